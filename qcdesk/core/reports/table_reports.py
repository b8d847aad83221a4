"""Report kinds made of tables and charts: "matrices" and "attributes".

"matrices": code × case, code × attribute value (one per attribute), code × document set and
code co-occurrence, each a grid from :mod:`qcdesk.core.matrices` with row and column totals,
counting exactly the codings the segments report lists with the same filters
(:func:`matrix_filter`); then, when charts are wanted, the code frequencies as a bar chart and
the saturation curve. "attributes": who the participants are (:mod:`.participants`).

Both also exist as spreadsheets (:func:`spreadsheet_tables`): one sheet per table in XLSX,
one table in CSV. Wide grids go on a landscape page in a smaller type, split into column groups
that fit, with the header row repeated on every page.
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


#: text width of a portrait and a landscape page (cm), and bold header characters per cm of a
#: column, cell margins included (9 pt, and 7.5 pt for dense landscape tables; measured in
#: LibreOffice: "Interview" fits a 2.1 cm column, "consultant" breaks)
TEXT_CM = {False: 16.0, True: 25.7}
CHARS_PER_CM = {False: 4.5, True: 5.4}


def header_word_limit(columns: int, landscape: bool) -> int:
    """The longest word a value column's header holds without breaking mid-word."""
    width = TEXT_CM[landscape] / (2.6 + columns)
    return int(width * CHARS_PER_CM[landscape])


def column_labels(headers: list[str], limit: int) -> tuple[list[str], list[str]]:
    """Headers for narrow columns: as they are when every word fits in ``limit`` characters,
    else numbers with a key ("1 = Participant 12") so no header breaks mid-word; "Total" stays."""
    if all(len(word) <= limit for h in headers for word in str(h).split()):
        return list(headers), []
    labels, key, n = [], [], 0
    for header in headers:
        if header == "Total":
            labels.append(header)
            continue
        n += 1
        labels.append(str(n))
        key.append(f"{n} = {header}")
    return labels, key


def word_tables(grid: sheet.Table) -> list[Block]:
    """A matrix as Word blocks: a heading, its notes, and column groups that fit the page, with
    a numbered key under each when column names are too long for a narrow column."""
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
        empty = ("No two codes overlap here." if grid.keys.get("kind") == "cooccurrence" and grid.keys.get("hidden")
                 else "Nothing to count yet.")
        out.append(Paragraph((Run(empty, muted=True, italic=True),)))
    else:
        labels, key = column_labels(list(grid.column_headers),
                                    header_word_limit(min(n, per_table), landscape))
        last = len(grid.row_headers) - 1 if grid.keys.get("totals") else -1
        key_of = _key_lines(grid.column_headers, key)
        for first in range(0, n, per_table):
            cols = range(first, min(first + per_table, n))
            rows = tuple(TableRow((grid.row_headers[r], *(_cell(grid.cells[r][c]) for c in cols)),
                                  indent=grid.level(r), total=r == last) for r in range(len(grid.row_headers)))
            caption = (f"Columns {first + 1}–{cols[-1] + 1} of {n}" if n > per_table else "")
            out.append(Table(header=(grid.corner or "", *(labels[c] for c in cols)),
                             rows=rows, widths=(2.6, *([1.0] * len(cols))),
                             numeric=(False, *([True] * len(cols))), caption=caption,
                             dense=landscape))
            shown = [key_of[c] for c in cols if c in key_of]
            if shown:
                out.append(Paragraph((Run("Columns: " + " · ".join(shown), muted=True),), kind="note"))
    if landscape:
        out.append(Section(landscape=False))
    return out


def _key_lines(headers, key: list[str]) -> dict[int, str]:
    """Column index -> its line of the numbered key (columns other than "Total", in order)."""
    if not key:
        return {}
    numbered = [c for c, h in enumerate(headers) if h != "Total"]
    return dict(zip(numbered, key))


#: with no codes or levels chosen, a codebook larger than this is shown down to the level that fits
DEFAULT_ROWS = 120


def default_level(project, options: ReportOptions) -> int | None:
    """The deepest codebook level shown when the researcher chose neither codes nor levels:
    every level while the rows stay under :data:`DEFAULT_ROWS`, else the deepest that does
    (at least the top level). ``None``: all levels."""
    if options.max_level is not None or options.code_ids is not None:
        return options.max_level
    depths = [level for _code, level in project.codes_in_tree_order()]
    if len(depths) <= DEFAULT_ROWS:
        return None
    level = 1
    while sum(1 for d in depths if d < level + 1) <= DEFAULT_ROWS:
        level += 1
    return level


def matrix_filter(project, options: ReportOptions) -> matrices.MatrixFilter:
    """The report's filters as matrices count them: exactly the codings the segments report lists
    with the same options (documents, sets, cases, attribute values, speakers, coders), the
    chosen codes (with their sub-codes) as rows, and the chosen cases as columns."""
    selection = select(project, options)
    found = selection.segment_filter
    descriptions = list(found.descriptions)
    if options.document_ids is not None or options.pseudonymised_only:
        descriptions.insert(0, "documents " + ", ".join(d.name for d in selection.documents))
    if options.code_ids is not None:
        descriptions.append("codes " + ", ".join(c.name for c, level in selection.codes if level == 1))
    return matrices.MatrixFilter(
        documents=(selection.document_ids if selection.documents_filtered else None),
        keeps=found.keeps if found.active else None, case_ids=found.case_ids,
        code_ids={c.id for c, _ in selection.codes} if options.code_ids is not None else None,
        max_level=default_level(project, options), descriptions=descriptions)


def _grids(project, options: ReportOptions) -> list[sheet.Table]:

    sub, set_ids = options.include_subcodes, options.set_ids or ()
    # all matrices: code × set only when the project has sets
    wanted = options.matrices or [k for k in matrices.KINDS if k != "code-set" or project.sets.all()]
    unknown = [k for k in wanted if k not in matrices.KINDS]
    if unknown:
        raise ExportFailed(f"There is no matrix called {unknown[0]!r}; choose one of: "
                           f"{', '.join(matrices.KINDS)}.")
    shown = matrix_filter(project, options)
    if shown.max_level is not None and options.max_level is None and options.code_ids is None:
        shown.level_reason = (f"the codebook has more than {DEFAULT_ROWS} codes; choose codes or levels "
                              "to see the others")
    grids: list[sheet.Table] = []
    for kind in wanted:
        if kind == "code-attribute":

            ids = [options.attribute_id] if options.attribute_id else [a.id for a in project.attributes.all()]
            grids += [matrices.build(project, kind, attribute_id=i, include_subcodes=sub, set_ids=set_ids,
                                     shown=shown) for i in ids]
        else:
            grids.append(matrices.build(project, kind, include_subcodes=sub, set_ids=set_ids, shown=shown,
                                        hide_empty=True))
    return [matrices.with_totals(g) for g in grids]


def _filtered_codes_per_document(project, options: ReportOptions):
    """The selection, and per chosen document the codes of the codings the filters keep."""
    from qcdesk.core.reports.selection import segment_counts

    selection = select(project, options)
    per_document: dict[int, dict[int, int]] = {}
    for (code_id, doc_id), n in segment_counts(project, selection).items():
        per_document.setdefault(doc_id, {})[code_id] = n
    return selection, per_document


def code_frequency_chart(project, options: ReportOptions) -> Chart | None:
    """The most used codes (with their sub-codes) in the segments the filters keep, as bars."""
    selection, per_document = _filtered_codes_per_document(project, options)
    direct: dict[int, int] = {}
    for counts in per_document.values():
        for code_id, n in counts.items():
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


def saturation_chart(project, options: ReportOptions | None = None) -> Chart | None:
    """New codes per interview and distinct codes so far, in interview order, over the chosen
    documents and the codings the filters keep (as :func:`qcdesk.core.saturation.saturation`
    counts them: each code as itself)."""
    selection, per_document = _filtered_codes_per_document(project, options or ReportOptions())
    order = {code.id: i for i, (code, _level) in enumerate(selection.codes)}
    seen: set[int] = set()
    names, new, so_far = [], [], []
    uncoded = 0
    for doc in selection.documents:
        present = set(per_document.get(doc.id, ()))
        if not present:  # not coded yet: "0 new codes" would look like saturation
            uncoded += 1
            continue
        names.append(doc.name)
        new.append(float(len(present - seen)))
        seen |= present
        so_far.append(float(len(seen)))
    if not names or not order:
        return None
    return Chart("line", "Saturation: new codes per interview", tuple(names), tuple(new),
                 x_label="Interview", y_label="New codes", series=(("Codes so far", tuple(so_far)),),
                 caption="New codes in each interview (bars) and distinct codes so far (line), "
                         "in interview order." + _left_out(uncoded))


def _left_out(uncoded: int) -> str:
    if not uncoded:
        return ""
    return (f" {uncoded} interview not coded yet is left out." if uncoded == 1
            else f" {uncoded} interviews not coded yet are left out.")


def spreadsheet_tables(project, kind: str, options: ReportOptions | None = None) -> list[sheet.Table]:
    """The tables a spreadsheet export of ``kind`` holds (one sheet each in XLSX)."""
    options = options or ReportOptions()
    if kind == ATTRIBUTES:
        from qcdesk.core.reports import participants

        return participants.tables(project, options)
    if kind == MATRICES:
        return _grids(project, options)
    raise ExportFailed(f"The {kind!r} report has no spreadsheet form; export it to Word (.docx).")


def spreadsheet_table(project, kind: str, options: ReportOptions | None = None) -> sheet.Table:
    """The one table a CSV export of ``kind`` holds."""
    tables = spreadsheet_tables(project, kind, options)
    if kind == MATRICES and len(tables) != 1:
        raise ExportFailed(f"A CSV file holds one matrix and these options make {len(tables)}: choose one "
                           "matrix (--matrix KIND, and --matrix-attribute NAME for code-attribute), or "
                           "write .xlsx (one sheet per matrix) or .docx.")
    return tables[0]


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
        charts = [c for c in (code_frequency_chart(project, options), saturation_chart(project, options)) if c]
        if charts:
            report.blocks.append(Heading(1, "Charts"))
            report.blocks.extend(charts)
    if progress is not None:
        progress(steps, steps)
    return report


def build_attributes(project, options: ReportOptions | None = None, progress: Progress | None = None) -> Report:
    from qcdesk.core.reports import participants

    options = options or ReportOptions()
    rows, descriptions = participants.chosen_rows(project, options)
    selection = select(project, options)
    report = new_report(project, selection, options, ATTRIBUTES, TITLES[ATTRIBUTES],
                        len(selection.codes), None)
    if descriptions and not any(label == "Filtered to" for label, _ in report.metadata):
        report.metadata.append(("Filtered to", "; ".join(descriptions)))
    summaries = project.attributes.summary(case_ids=[r.case.id for r in rows])
    blocks = report.blocks
    blocks.append(Heading(1, "Participants"))
    if not summaries:
        blocks.append(Paragraph((Run("The project has no case attributes yet."),)))
    else:
        blocks.append(Paragraph((Run(f"{plural(len(rows), 'case')}, described by "
                                     f"{plural(len(summaries), 'attribute')}."),)))
        for summary in summaries:
            blocks.append(Paragraph((Run(summary.text()),)))
        grid = participants.value_table(project, options, rows)
        cells = tuple(TableRow((grid.row_headers[r], *(_cell(v) for v in grid.cells[r])), indent=grid.level(r),
                               total=grid.level(r) == 0) for r in range(len(grid.row_headers)))
        blocks.append(Table(header=("Attribute / value", "n", "%"), rows=cells, widths=(4.0, 1.0, 1.0),
                            numeric=(False, True, True), caption="Cases per attribute value"))
        for note in grid.notes:
            blocks.append(Paragraph((Run(note, muted=True),), kind="note"))
        if rows:
            blocks.extend(word_tables(participants.case_table(project, options, rows)))
    if progress is not None:
        progress(1, 1)
    return report
