"""Report kinds made of tables and charts: "matrices" and "attributes".

"matrices": code × case, code × attribute value (one per attribute) and code
co-occurrence, each a grid from :mod:`qcdesk.core.matrices`; then, when charts are
wanted, the code frequencies as a bar chart and the saturation curve (new codes per
interview and codes so far). "attributes": who the participants are, one line per
attribute ("Gender: 24 women, 19 men") and a table of counts per value.

Both also exist as one spreadsheet table (:func:`spreadsheet_table`) for CSV/XLSX.
Wide grids go on a landscape page in a smaller type, split into column groups that
fit, with the header row repeated on every page.
"""

from __future__ import annotations

from qcdesk.core import matrices
from qcdesk.core import tables as sheet
from qcdesk.core.errors import ExportFailed
from qcdesk.core.reports.selection import (
    Progress, ReportOptions, new_report, select, subtree_totals,
)
from qcdesk.core.reports.structure import (
    Block, Chart, Heading, Paragraph, Report, Run, Section, Table, TableRow, plural,
)

MATRICES, ATTRIBUTES = "matrices", "attributes"
TITLES = {MATRICES: "Matrices and charts", ATTRIBUTES: "Participants"}
#: value columns beside the row header on a portrait page, and per table on a landscape page
PORTRAIT_COLUMNS, LANDSCAPE_COLUMNS = 6, 14
#: codes shown in the frequency chart (the most used first)
CHART_CODES = 25


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:.2f}"
    return str(int(value)) if isinstance(value, float) else str(value)


def word_tables(grid: sheet.Table) -> list[Block]:
    """A matrix as Word blocks: a heading, its notes, and column groups that fit the page."""
    n = len(grid.column_headers)
    landscape = n > PORTRAIT_COLUMNS
    per_table = LANDSCAPE_COLUMNS if landscape else PORTRAIT_COLUMNS
    out: list[Block] = []
    if landscape:
        out.append(Section(landscape=True))
    out.append(Heading(1, grid.title))
    for note in grid.notes:
        if note:
            out.append(Paragraph((Run(note, muted=True),), kind="note"))
    if not grid.row_headers or not n:
        out.append(Paragraph((Run("Nothing to count yet.", muted=True, italic=True),)))
    else:
        for first in range(0, n, per_table):
            cols = range(first, min(first + per_table, n))
            rows = tuple(TableRow((grid.row_headers[r], *(_cell(grid.cells[r][c]) for c in cols)),
                                  indent=grid.level(r)) for r in range(len(grid.row_headers)))
            caption = (f"Columns {first + 1}–{cols[-1] + 1} of {n}" if n > per_table else "")
            out.append(Table(header=(grid.corner or "", *(grid.column_headers[c] for c in cols)),
                             rows=rows, widths=(2.6, *([1.0] * len(cols))),
                             numeric=(False, *([True] * len(cols))), caption=caption,
                             dense=landscape))
    if landscape:
        out.append(Section(landscape=False))
    return out


def _grids(project, options: ReportOptions) -> list[sheet.Table]:
    from qcdesk.core.document_sets import sets

    sub, set_ids = options.include_subcodes, options.set_ids or ()
    # all matrices: code × set only when the project has sets
    wanted = options.matrices or [k for k in matrices.KINDS if k != "code-set" or sets(project)]
    grids: list[sheet.Table] = []
    for kind in wanted:
        if kind == "code-attribute":
            from qcdesk.core.attributes import attributes

            ids = [options.attribute_id] if options.attribute_id else [a.id for a in attributes(project)]
            grids += [matrices.build(project, kind, attribute_id=i, include_subcodes=sub, set_ids=set_ids)
                      for i in ids]
        elif kind in matrices.KINDS:
            grids.append(matrices.build(project, kind, include_subcodes=sub, set_ids=set_ids))
        else:
            raise ExportFailed(f"There is no matrix called {kind!r}; choose one of: "
                               f"{', '.join(matrices.KINDS)}.")
    return grids


def code_frequency_chart(project, options: ReportOptions) -> Chart | None:
    """The most used codes (with their sub-codes) in the chosen documents, as bars."""
    selection = select(project, options)
    wanted = selection.document_ids
    direct: dict[int, int] = {}
    for (code_id, doc_id), n in project.counts_by_code_and_document().items():
        if doc_id in wanted:
            direct[code_id] = direct.get(code_id, 0) + n
    totals = subtree_totals(selection.codes, direct)
    top = [(code, totals[code.id]) for code, level in selection.codes if level == 1 and totals[code.id]]
    if not top:
        return None
    top.sort(key=lambda cn: -cn[1])
    top = top[:CHART_CODES]
    return Chart("bar", "Coded segments per top-level code", tuple(c.name for c, _ in top),
                 tuple(float(n) for _, n in top), x_label="Code", y_label="Segments",
                 colors=tuple(c.color for c, _ in top),
                 caption="Segments coded with each top-level code or its sub-codes.")


def saturation_chart(project) -> Chart | None:
    from qcdesk.core.saturation import saturation

    rows = saturation(project)
    if not rows:
        return None
    return Chart("line", "Saturation: new codes per interview", tuple(r.document_name for r in rows),
                 tuple(float(r.new_count) for r in rows), x_label="Interview", y_label="New codes",
                 series=(("Codes so far", tuple(float(r.cumulative) for r in rows)),),
                 caption="New codes in each interview (bars) and distinct codes so far (line), "
                         "in interview order.")


def attribute_table(project) -> sheet.Table:
    """Cases per attribute value, one row per (attribute, value): the spreadsheet form."""
    from qcdesk.core.attributes import attribute_summary

    rows, levels, cells = [], [], []
    for summary in attribute_summary(project):
        rows.append(summary.attribute.name)
        levels.append(0)
        cells.append([summary.cases - summary.missing, summary.text()])
        for value, n in summary.counts:
            rows.append(value)
            levels.append(1)
            cells.append([n, ""])
        if summary.missing:
            rows.append("not recorded")
            levels.append(1)
            cells.append([summary.missing, ""])
    return sheet.Table("Participants by attribute", ["Cases", "Summary"], rows, cells,
                       row_levels=levels, corner="Attribute / value")


def spreadsheet_table(project, kind: str, options: ReportOptions | None = None) -> sheet.Table:
    """The one table a CSV or XLSX export of ``kind`` holds."""
    options = options or ReportOptions()
    if kind == ATTRIBUTES:
        return attribute_table(project)
    if kind == MATRICES:
        grids = _grids(project, options)
        if len(grids) != 1:
            raise ExportFailed("A spreadsheet holds one matrix: choose one matrix (and one attribute "
                               "for code × attribute), or export to Word for all of them.")
        return grids[0]
    raise ExportFailed(f"The {kind!r} report has no spreadsheet form; export it to Word (.docx).")


def build_matrices(project, options: ReportOptions | None = None, progress: Progress | None = None) -> Report:
    options = options or ReportOptions()
    selection = select(project, options)
    grids = _grids(project, options)
    report = new_report(project, selection, options, MATRICES, TITLES[MATRICES],
                        len(selection.codes), None)
    steps = len(grids) + 1
    for i, grid in enumerate(grids, 1):
        report.blocks.extend(word_tables(grid))
        if progress is not None:
            progress(i, steps)
    if options.include_charts:
        charts = [c for c in (code_frequency_chart(project, options), saturation_chart(project)) if c]
        if charts:
            report.blocks.append(Heading(1, "Charts"))
            report.blocks.extend(charts)
    if progress is not None:
        progress(steps, steps)
    return report


def build_attributes(project, options: ReportOptions | None = None, progress: Progress | None = None) -> Report:
    from qcdesk.core.attributes import attribute_summary

    options = options or ReportOptions()
    selection = select(project, options)
    summaries = attribute_summary(project)
    report = new_report(project, selection, options, ATTRIBUTES, TITLES[ATTRIBUTES],
                        len(selection.codes), None)
    blocks = report.blocks
    blocks.append(Heading(1, "Participants"))
    if not summaries:
        blocks.append(Paragraph((Run("The project has no case attributes yet."),)))
    else:
        cases = summaries[0].cases
        blocks.append(Paragraph((Run(f"{plural(cases, 'case')}, described by "
                                     f"{plural(len(summaries), 'attribute')}."),)))
        for summary in summaries:
            blocks.append(Paragraph((Run(summary.text()),)))
        grid = attribute_table(project)
        rows = tuple(TableRow((grid.row_headers[r], _cell(grid.cells[r][0])), indent=grid.level(r),
                              total=grid.level(r) == 0) for r in range(len(grid.row_headers)))
        blocks.append(Table(header=("Attribute / value", "Cases"), rows=rows, widths=(4.0, 1.0),
                            numeric=(False, True), caption="Cases per attribute value"))
    if progress is not None:
        progress(1, 1)
    return report
