"""The "segments-by-code" report: every coded segment under its code, then a code x document table.

For each code in tree order: a heading nested by depth, the code's path, colour,
description and counts, then each segment as a quote with its source (document,
speaker, time or paragraph). The closing table counts segments per code and
document, with totals; it turns the page to landscape, and splits into several
tables, when there are too many documents for one page width.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from qcdesk.core.models import Code, Segment
from qcdesk.core.retrieval import coded_by
from qcdesk.core.reports.citations import Citer
from qcdesk.core.reports.selection import (
    DocumentTexts, Progress, ReportOptions, Selection, code_segments, keep_codes, new_report, select, subtree_totals,
)
from qcdesk.core.reports.structure import (
    Block, Heading, Paragraph, Quote, Report, Run, Section, Swatch, Table, TableRow,
    format_time, plural,
)
from qcdesk.core.time_codings import citation as time_citation

KIND = "segments-by-code"
TITLE = "Coded segments by code"

#: document columns that fit beside the code column on a portrait page
PORTRAIT_DOCUMENT_COLUMNS = 6
#: document columns per table on a landscape page; more are split over several tables
LANDSCAPE_DOCUMENT_COLUMNS = 12
#: rough characters per line across the text width (9 pt bold) at each orientation
LINE_CHARS = {False: 95, True: 143}
#: beyond this many documents the code x document table would run to pages of landscape tables
#: nobody reads (and tens of thousands of cells); the summary then gives each code's totals
MAX_DOCUMENT_COLUMNS = 36
#: relative widths of the code column, each document column and the Total column
CODE_WEIGHT, DOC_WEIGHT, TOTAL_WEIGHT = 2.4, 1.0, 0.8
#: Word knows nine heading levels
MAX_HEADING_LEVEL = 9
PATH_SEPARATOR = " › "
SUMMARY_GRID = "Summary: segments per code and document"
SUMMARY_TOTALS = "Summary: segments per code"


def source_line(seg: Segment) -> str:
    """Where a segment comes from: document, speaker, then time if known, else paragraph; a
    recording's time coding: ``Diary 3, 02:10–02:45``."""
    if seg.time_range is not None:
        return time_citation(seg.document_name, *seg.time_range)
    parts = [seg.document_name]
    if seg.speaker:
        parts.append(seg.speaker)
    if seg.time_start is not None:
        parts.append(format_time(seg.time_start))
    elif seg.paragraph is not None:
        parts.append(f"¶ {seg.paragraph}")
    return " · ".join(parts)


def passages(segs: list[Segment]) -> list[list[Segment]]:
    """The segments of one code grouped by passage: codings of the same range of the same document
    (one per coder, in a merged team project) are quoted once."""
    grouped: dict[tuple, list[Segment]] = {}
    for seg in segs:
        span = seg.time_range or (seg.coding.start, seg.coding.end)
        grouped.setdefault((seg.coding.document_id, *span, seg.time_range is not None), []).append(seg)
    return list(grouped.values())


def code_facts(selection: Selection, code: Code, own: int, own_docs: int, with_subcodes: int) -> Paragraph:
    """The line under a code's heading: colour, path, counts."""
    runs: list = [Swatch(code.color)]
    path = selection.path(code)
    if len(path) > 1:
        runs.append(Run(PATH_SEPARATOR.join(path)))
        runs.append(Run("  ·  ", muted=True))
    counts = plural(own, "segment")
    if own:
        counts += f" in {plural(own_docs, 'document')}"
    if with_subcodes != own:
        counts += f" ({with_subcodes} with sub-codes)"
    runs.append(Run(counts, muted=True))
    return Paragraph(tuple(runs), kind="meta")


def build(project, options: ReportOptions | None = None, progress: Progress | None = None) -> Report:
    """The whole report, every block in memory: :func:`stream` collected."""
    report, body = stream(project, options, progress)
    report.blocks.extend(body)
    return report


def tally(project, selection: Selection) -> tuple[dict[int, dict[int, int]], set[int | None]]:
    """Segments per code and document, and who coded them, for the selected codes and documents
    and the filters: SQL counts (text is never read), or with a filter one pass over the ranges."""
    from qcdesk.core.storage import reports as report_sql

    per_doc: dict[int, dict[int, int]] = defaultdict(dict)
    coders: set[int | None] = set()
    if not selection.codes or not selection.documents:
        return per_doc, coders
    code_ids = [code.id for code, _ in selection.codes]
    doc_ids = [d.id for d in selection.documents]
    if selection.segment_filter.active:
        keeps = selection.segment_filter.keeps
        for code_id, doc_id, start, end, coder_id in report_sql.coding_spans(project.db, code_ids, doc_ids):
            if keeps(doc_id, start, end, coder_id):
                counts = per_doc[code_id]
                counts[doc_id] = counts.get(doc_id, 0) + 1
                coders.add(coder_id)
    else:
        for row in report_sql.tally(project.db, code_ids, doc_ids):
            counts = per_doc[row.code_id]
            counts[row.document_id] = counts.get(row.document_id, 0) + row.codings
            coders.add(row.coder_id)
    return per_doc, coders


def _heading(selection: Selection, code: Code, level: int, by_theme: bool) -> Heading:
    if by_theme and level > 1:  # one sub-heading per sub-code, named by its path in the theme
        path = selection.path(code)
        return Heading(2, PATH_SEPARATOR.join(path[len(path) - level + 1:]))
    return Heading(min(level, MAX_HEADING_LEVEL), code.name)


def stream(project, options: ReportOptions | None = None,
           progress: Progress | None = None) -> tuple[Report, Iterator[Block]]:
    """The report's title page and outline (its headings, in :attr:`Report.outline`), and its
    body as blocks produced code by code: each code's segments and their text are read when its
    section is reached and let go once it is written, so memory holds one code's segments at most.
    ``progress(done, total)`` is called as each code's section is produced."""
    options = options or ReportOptions()
    selection = select(project, options)
    per_doc, coder_ids = tally(project, selection)
    direct = {cid: sum(counts.values()) for cid, counts in per_doc.items()}
    totals = subtree_totals(selection.codes, direct)
    include_empty = bool(options.include_empty_codes)
    codes = keep_codes(selection.codes, totals, include_empty)
    n_segments = sum(direct.get(code.id, 0) for code, _ in codes)

    report = new_report(project, selection, options, KIND, TITLE, len(codes), n_segments)
    by_theme = options.group_by == "theme"
    summary = bool(options.include_summary_table and codes and selection.documents)
    outline = [_heading(selection, code, level, by_theme) for code, level in codes]
    if summary:
        outline.append(Heading(1, SUMMARY_TOTALS if len(selection.documents) > MAX_DOCUMENT_COLUMNS
                               else SUMMARY_GRID))
    report.outline = outline
    coders = {c.id: c.name for c in project.coders()}
    # when more than one coder coded the segments reported, each quote names who coded it
    team = len(coder_ids & coders.keys()) > 1

    def body() -> Iterator[Block]:
        if not codes:
            yield Paragraph((Run("No coded segments match the chosen codes and documents."),))
        coding_memos: dict[int, list[str]] = {}
        code_memos: dict[int, list[str]] = {}
        if options.include_memos:
            from qcdesk.core.storage import reports as memo_sql

            coding_memos = memo_sql.coding_memos(project.db)
            code_memos = memo_sql.code_memos(project.db)
        citer = Citer(project, options)
        order = {d.id: i for i, d in enumerate(selection.documents)}
        names = {d.id: d.name for d in selection.all_documents}
        texts = DocumentTexts(project)
        total = len(codes)
        for i, (code, _level) in enumerate(codes, 1):
            yield outline[i - 1]
            own = direct.get(code.id, 0)
            yield code_facts(selection, code, own, len(per_doc.get(code.id, ())), totals.get(code.id, 0))
            if code.description.strip():
                yield Paragraph((Run(code.description.strip()),), kind="note")
            for memo in code_memos.get(code.id, ()):
                yield Paragraph((Run("Code memo: ", bold=True), Run(memo)), kind="note")
            if not own:
                note = ("No segments of its own; see its sub-codes." if totals.get(code.id, 0)
                        else "No coded segments.")
                yield Paragraph((Run(note, muted=True, italic=True),))
            segs = code_segments(project, selection, code.id, order, names, texts) if own else []
            for passage in passages(segs):
                seg = passage[0]
                source = citer.source(seg, source_line)
                if team:
                    who = coded_by(sorted({coders[s.coding.coder_id] for s in passage
                                           if s.coding.coder_id in coders}, key=str.casefold))
                    source = f"{source} · {who}" if who else source
                yield Quote(citer.text(seg), source, code.color)
                for memo in (m for s in passage for m in coding_memos.get(s.coding.id, ())):
                    yield Paragraph((Run("Memo: ", bold=True), Run(memo)), kind="note")
            del segs
            if progress is not None:
                progress(i, total)
        if summary:
            yield from summary_tables(selection, codes, per_doc)

    return report, body()


def summary_tables(selection: Selection, codes: list[tuple[Code, int]],
                   per_doc: dict[int, dict[int, int]]) -> list[Block]:
    """Code x document counts with a Total column and a totals row, page-width aware; with more
    than :data:`MAX_DOCUMENT_COLUMNS` documents, each code's segments and documents instead.
    ``per_doc``: code id -> document id -> segments (see :func:`tally`)."""
    docs = selection.documents
    per_doc = defaultdict(dict, per_doc)
    if len(docs) > MAX_DOCUMENT_COLUMNS:
        return _totals_table(docs, codes, per_doc)

    landscape = len(docs) > PORTRAIT_DOCUMENT_COLUMNS
    width = LANDSCAPE_DOCUMENT_COLUMNS if landscape else PORTRAIT_DOCUMENT_COLUMNS
    chunks = [docs[i:i + width] for i in range(0, len(docs), width)]

    weight = CODE_WEIGHT + DOC_WEIGHT * len(chunks[0]) + TOTAL_WEIGHT
    col_chars = LINE_CHARS[landscape] * DOC_WEIGHT / weight - 2
    keyed = any(len(d.name) > 3 * col_chars or max(map(len, d.name.split() or [""])) > col_chars
                for d in docs)
    label = {d.id: (f"D{i}" if keyed else d.name) for i, d in enumerate(docs, 1)}

    out: list[Block] = []
    if landscape:
        out.append(Section(landscape=True))
    out.append(Heading(1, SUMMARY_GRID))
    note = ("Each cell counts the segments coded with the code itself in one document; "
            "sub-codes have rows of their own.")
    if keyed:
        note += " Columns D1, D2… are the documents listed in the key below the table."
    out.append(Paragraph((Run(note, muted=True),), kind="note"))
    for n, chunk in enumerate(chunks, 1):
        header = ("Code", *(label[d.id] for d in chunk), "Total")
        rows = []
        for code, level in codes:
            counts = per_doc[code.id]
            cells = [str(counts.get(d.id, 0)) for d in chunk]
            rows.append(TableRow((code.name, *cells, str(sum(counts.values()))),
                                 indent=level - 1, color=code.color))
        col_sums = [sum(per_doc[c.id].get(d.id, 0) for c, _ in codes) for d in chunk]
        grand = sum(sum(per_doc[c.id].values()) for c, _ in codes)
        rows.append(TableRow(("Total", *map(str, col_sums), str(grand)), total=True))
        caption = "Segments per code and document"
        if len(chunks) > 1:
            first = (n - 1) * width + 1
            caption += f", documents {first}–{first + len(chunk) - 1} of {len(docs)}"
        out.append(Table(
            header=header, rows=tuple(rows),
            widths=(CODE_WEIGHT, *([DOC_WEIGHT] * len(chunk)), TOTAL_WEIGHT),
            numeric=(False, *([True] * len(chunk)), True),
            caption=caption,
        ))
    if keyed:
        out.append(Table(header=("Key", "Document"),
                         rows=tuple(TableRow((label[d.id], d.name)) for d in docs),
                         widths=(1.5, 8.5), caption="Key to the document columns"))
    return out


def _totals_table(docs, codes: list[tuple[Code, int]], per_doc: dict[int, dict[int, int]]) -> list[Block]:
    rows = [TableRow((code.name, str(sum(per_doc[code.id].values())), str(len(per_doc[code.id]))),
                     indent=level - 1, color=code.color)
            for code, level in codes]
    coded_docs = {d for counts in per_doc.values() for d in counts}
    total = sum(sum(counts.values()) for counts in per_doc.values())
    rows.append(TableRow(("Total", str(total), str(len(coded_docs))), total=True))
    note = (f"Each row counts the segments coded with the code itself, and the documents they are in; "
            f"sub-codes have rows of their own. With {len(docs)} documents a table of every code by "
            "every document would not fit on paper: Analysis ▸ Matrices shows codes by case and "
            "exports them as a spreadsheet.")
    return [Heading(1, SUMMARY_TOTALS),
            Paragraph((Run(note, muted=True),), kind="note"),
            Table(header=("Code", "Segments", "Documents"), rows=tuple(rows),
                  widths=(CODE_WEIGHT * 2, DOC_WEIGHT, DOC_WEIGHT), numeric=(False, True, True),
                  caption="Segments and documents per code")]
