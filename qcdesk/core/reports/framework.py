"""The "framework" report: a code summary per case (a framework matrix, cases × codes).

One section per case (the participants), and under it one entry per code with what the
case said: the coded segments as quotes, or, where a memo on the case is titled with the
code's name, that summary instead. The closing table counts segments per case and code.
A case's text is its linked documents plus its speakers' turns, as in retrieval.
"""

from __future__ import annotations

from collections import defaultdict

from qcdesk.core.reports.citations import Citer
from qcdesk.core.reports.coded_segments import source_line
from qcdesk.core.reports.selection import (
    Progress, ReportOptions, new_report, segments_by_code, select,
)
from qcdesk.core.reports.structure import Heading, Paragraph, Quote, Report, Run, Table, TableRow, plural

KIND = "framework"
TITLE = "Framework matrix: codes by case"
#: quotes shown per case and code; more are counted, not printed
MAX_QUOTES = 5


def build(project, options: ReportOptions | None = None, progress: Progress | None = None) -> Report:

    options = options or ReportOptions()
    selection = select(project, options)
    grouped = segments_by_code(project, selection)
    wanted = set(options.case_ids) if options.case_ids is not None else None
    all_cases = [c for c in project.cases.all() if wanted is None or c.id in wanted]
    codes = [code for code, _ in selection.codes]
    citer = Citer(project, options)

    cases_of: dict[int, list[int]] = defaultdict(list)  # coding id -> the cases it belongs to
    for case in all_cases:
        for coding_id in project.cases.coding_ids(case.id):
            cases_of[coding_id].append(case.id)
    cell: dict[tuple[int, int], list] = defaultdict(list)
    for code in codes:
        for seg in grouped.get(code.id, ()):
            for case_id in cases_of.get(seg.coding.id, ()):
                cell[case_id, code.id].append(seg)
    summaries: dict[tuple[int, str], str] = {}
    for case in all_cases:
        for memo in project.memos.on_target(case_id=case.id):
            if memo.body.strip():
                summaries[case.id, memo.title.strip().casefold()] = memo.body.strip()

    n_segments = sum(len(v) for v in cell.values())
    report = new_report(project, selection, options, KIND, TITLE, len(codes), n_segments)
    report.metadata.append(("Cases", str(len(all_cases))))
    blocks = report.blocks
    if not all_cases or not codes:
        blocks.append(Paragraph((Run("There are no cases to summarise: make cases from documents or "
                                     "speakers first (Cases panel)."),)))
        return report
    for i, case in enumerate(all_cases, 1):
        blocks.append(Heading(1, case.name))
        if case.description.strip():
            blocks.append(Paragraph((Run(case.description.strip()),), kind="note"))
        shown = 0
        for code in codes:
            segs = cell.get((case.id, code.id), [])
            summary = summaries.get((case.id, code.name.casefold()))
            if not segs and not summary:
                continue
            shown += 1
            blocks.append(Heading(2, code.name))
            blocks.append(Paragraph((Run(plural(len(segs), "segment"), muted=True),), kind="meta"))
            if summary:
                blocks.append(Paragraph((Run("Summary: ", bold=True), Run(summary))))
                continue
            for seg in segs[:MAX_QUOTES]:
                blocks.append(Quote(citer.text(seg), citer.source(seg, source_line), code.color))
            if len(segs) > MAX_QUOTES:
                blocks.append(Paragraph((Run(f"… and {len(segs) - MAX_QUOTES} more.", muted=True),)))
        if not shown:
            blocks.append(Paragraph((Run("Nothing coded for this case.", muted=True, italic=True),)))
        if progress is not None:
            progress(i, len(all_cases))
    rows = tuple(TableRow((case.name, *(str(len(cell.get((case.id, code.id), ()))) for code in codes)))
                 for case in all_cases)
    if len(codes) <= 12:
        blocks.append(Heading(1, "Summary: segments per case and code"))
        blocks.append(Table(header=("Case", *(c.name for c in codes)), rows=rows,
                            widths=(2.5,) + (1.0,) * len(codes), numeric=(False,) + (True,) * len(codes),
                            caption="Segments per case and code", dense=len(codes) > 6))
    return report
