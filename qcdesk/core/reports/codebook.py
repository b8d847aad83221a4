"""The "codebook" report: the code tree with descriptions and how much each code is used.

An overview table (code, segments, documents, segments with sub-codes) comes
first, then one heading per code, nested by depth, with its colour, path,
counts and description. Counts are those of the chosen documents, and follow the
coder, case, attribute and speaker filters when set (the subtitle then says whose
codings are counted). Codes with no segments are kept by default: an unused code is
still part of the codebook.
"""

from __future__ import annotations

from collections import defaultdict

from qcdesk.core.reports.selection import (
    Progress, ReportOptions, keep_codes, new_report, segment_counts, select, subtree_documents,
    subtree_totals,
)
from qcdesk.core.reports.structure import Heading, Paragraph, Report, Run, Swatch, Table, TableRow, plural

KIND = "codebook"
TITLE = "Codebook"
MAX_HEADING_LEVEL = 9
PATH_SEPARATOR = " › "


def build(project, options: ReportOptions | None = None, progress: Progress | None = None) -> Report:
    options = options or ReportOptions()
    selection = select(project, options)
    segs: dict[int, int] = defaultdict(int)
    docs_of: dict[int, set[int]] = defaultdict(set)
    for (code_id, doc_id), n in segment_counts(project, selection).items():
        segs[code_id] += n
        docs_of[code_id].add(doc_id)
    seg_totals = subtree_totals(selection.codes, segs)
    doc_totals = subtree_documents(selection.codes, docs_of)
    include_empty = True if options.include_empty_codes is None else options.include_empty_codes
    codes = keep_codes(selection.codes, seg_totals, include_empty)
    n_segments = sum(segs.get(code.id, 0) for code, _ in codes)

    report = new_report(project, selection, options, KIND, TITLE, len(codes), n_segments)
    if selection.segment_filter.descriptions:
        report.subtitle += " · counts of segments " + "; ".join(selection.segment_filter.descriptions)
    blocks = report.blocks
    if not codes:
        blocks.append(Paragraph((Run("The codebook is empty: no codes match the chosen options."),)))
        return report

    if options.include_summary_table:
        blocks.append(Heading(1, "Overview"))
        rows = [TableRow((code.name, str(segs.get(code.id, 0)), str(len(docs_of.get(code.id, ()))),
                          str(seg_totals[code.id])), indent=level - 1, color=code.color)
                for code, level in codes]
        used_docs = set().union(*(docs_of.get(code.id, set()) for code, _ in codes))
        rows.append(TableRow(("Total", str(n_segments), str(len(used_docs)), str(n_segments)),
                             total=True))
        blocks.append(Table(
            header=("Code", "Segments", "Documents", "With sub-codes"),
            rows=tuple(rows), widths=(3.2, 1.2, 1.2, 1.4), numeric=(False, True, True, True),
            caption="Codes and how often they are used"))
        blocks.append(Heading(1, "Codes"))
        offset = 1
    else:
        offset = 0

    total = len(codes)
    for i, (code, level) in enumerate(codes, 1):
        blocks.append(Heading(min(level + offset, MAX_HEADING_LEVEL), code.name))
        runs: list = [Swatch(code.color)]
        path = selection.path(code)
        if len(path) > 1:
            runs += [Run(PATH_SEPARATOR.join(path)), Run("  ·  ", muted=True)]
        own, own_docs = segs.get(code.id, 0), len(docs_of.get(code.id, ()))
        counts = f"{plural(own, 'segment')} in {plural(own_docs, 'document')}"
        if seg_totals[code.id] != own:
            counts += (f"; with sub-codes {plural(seg_totals[code.id], 'segment')}"
                       f" in {plural(doc_totals[code.id], 'document')}")
        runs.append(Run(counts, muted=True))
        blocks.append(Paragraph(tuple(runs), kind="meta"))
        if code.description.strip():
            blocks.append(Paragraph((Run(code.description.strip()),), kind="body"))
        else:
            blocks.append(Paragraph((Run("No description yet.", muted=True, italic=True),)))
        if progress is not None:
            progress(i, total)
    return report
