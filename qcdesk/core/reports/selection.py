"""What a report covers: the options a user picks, resolved against a project.

Only public :class:`~qcdesk.core.project.Project` methods are used. Every pass
here is linear in the number of codes, documents or segments, so reports over
thousands of segments stay fast.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from qcdesk.core.errors import ExportFailed
from qcdesk.core.models import Code, Document, Segment
from qcdesk.core.reports.filters import SegmentFilter, resolve
from qcdesk.core.reports.structure import Report

Progress = Callable[[int, int], None]


@dataclass
class ReportOptions:
    """What to put in a report. ``None`` lists mean "all"."""

    #: codes to report; each brings its sub-codes along. ``None``: every code
    code_ids: list[int] | None = None
    #: documents whose segments count; ``None``: every document
    document_ids: list[int] | None = None
    include_summary_table: bool = True
    #: show codes without any segment (in the chosen documents). ``None``: the
    #: report's own default (left out of "segments-by-code", kept in "codebook")
    include_empty_codes: bool | None = None
    #: replaces the report kind's title on the title page and in the file's properties
    title: str | None = None
    #: only codings made by these coders; ``None``: every coder
    coder_ids: list[int] | None = None
    #: add the memos written on codings (and on codes) under the passages they annotate
    include_memos: bool = False
    #: "code": one section per code, nested by depth; "theme": one section per top-level
    #: code with its sub-codes as sub-headings
    group_by: str = "code"
    #: leave out documents not marked as pseudonymised (for reports that leave the project)
    pseudonymised_only: bool = False
    #: charts as pictures where a report has them (a small table without a chart renderer)
    include_charts: bool = True
    #: "matrices" report: which matrices (``qcdesk.core.matrices.KINDS``); ``None``: all
    matrices: list[str] | None = None
    #: code x attribute matrix: the attribute whose values are the columns; ``None``: each one
    attribute_id: int | None = None
    #: matrices count a sub-code's segments under its parents too
    include_subcodes: bool = False
    #: matrices show codes down to this codebook level (1: top-level only). ``None``: all levels,
    #: or for a codebook too large for a page the deepest level that fits (said in a note)
    max_level: int | None = None
    #: "attributes" report: number attributes grouped into this many equal bins, or at these
    #: edges (a list of numbers). ``None``: one row per value
    bins: int | list[float] | None = None
    #: only text of these cases: their linked documents plus their speakers' turns. ``None``: all
    case_ids: list[int] | None = None
    #: only text of cases with these (attribute id, value) pairs (or retrieval
    #: ``AttributeCondition`` s, for ranges): any value of one attribute, every attribute
    #: listed. ``None``: no attribute condition
    attribute_values: list | None = None
    #: only segments starting in these speakers' turns. ``None``: every speaker
    speakers: list[str] | None = None
    #: only documents in any of these document sets. ``None``: no set condition
    set_ids: list[int] | None = None
    #: the document language (BCP 47 tag such as ``en-GB``, ``de-DE``, ``ar``)
    language: str = "en-GB"
    #: replaces the project file's name under the title
    subtitle: str | None = None
    #: text at the top of every page
    header_text: str = ""
    #: text at the foot of every page (before the page number); empty: title — subtitle
    footer_text: str = ""
    #: a table of contents after the title page
    include_contents: bool = True
    #: quotes between quotation marks
    quotation_marks: bool = False
    #: quotes cite "document" (its name) or "case" (the participant, with ``cite_attribute_ids``)
    cite_by: str = "document"
    #: attributes named after the case in a citation, e.g. gender and role
    cite_attribute_ids: list[int] | None = None
    #: coded transcripts: also print documents without any coding (in the chosen codes)
    include_uncoded_documents: bool = True


@dataclass
class Selection:
    """The codes (tree order, with heading level) and documents a report covers."""

    #: (code, level) in tree order; level 1 for codes whose parent is not included
    codes: list[tuple[Code, int]]
    documents: list[Document]
    all_documents: list[Document]
    codes_filtered: bool
    documents_filtered: bool
    #: every code of the project by id, to spell out paths of sub-codes
    code_by_id: dict[int, Code]
    #: only codings by these coders count; ``None``: all
    coder_ids: set[int] | None = None
    #: the coder, case, attribute and speaker conditions, as in the retrieval panel
    segment_filter: SegmentFilter = field(default_factory=SegmentFilter)

    def keeps(self, coding) -> bool:
        """Whether a coding passes the coder, case, attribute and speaker filters."""
        return self.segment_filter.keeps(coding.document_id, coding.start, coding.end, coding.coder_id)

    @property
    def document_ids(self) -> set[int]:
        return {d.id for d in self.documents}

    def path(self, code: Code) -> list[str]:
        names = [code.name]
        while code.parent_id is not None and code.parent_id in self.code_by_id:
            code = self.code_by_id[code.parent_id]
            names.append(code.name)
        return names[::-1]


def select(project, options: ReportOptions) -> Selection:
    """Resolve ``options`` into codes and documents; unknown ids raise :class:`ExportFailed`."""
    tree = project.codes_in_tree_order()
    all_docs = project.documents()

    if options.code_ids is None:
        chosen = {code.id for code, _ in tree}
    else:
        known = {code.id for code, _ in tree}
        missing = [i for i in options.code_ids if i not in known]
        if missing:
            raise ExportFailed(f"Code {missing[0]} does not exist in this project; "
                               "choose the codes to report again.")
        chosen = set(options.code_ids)

    level: dict[int, int] = {}
    codes: list[tuple[Code, int]] = []
    for code, _depth in tree:  # parents always come before their children
        parent_level = level.get(code.parent_id) if code.parent_id is not None else None
        if code.id in chosen or parent_level is not None:
            level[code.id] = 1 if parent_level is None else parent_level + 1
            codes.append((code, level[code.id]))

    if options.document_ids is None:
        docs = all_docs
        if options.pseudonymised_only:
            from qcdesk.core.storage.reports import pseudonymised_documents

            marked = pseudonymised_documents(project.db)
            docs = [d for d in all_docs if d.id in marked]
    else:
        wanted = set(options.document_ids)
        known_docs = {d.id for d in all_docs}
        missing = [i for i in options.document_ids if i not in known_docs]
        if missing:
            raise ExportFailed(f"Document {missing[0]} does not exist in this project; "
                               "choose the documents to report again.")
        docs = [d for d in all_docs if d.id in wanted]
        if options.pseudonymised_only:
            from qcdesk.core.storage.reports import pseudonymised_documents

            marked = pseudonymised_documents(project.db)
            docs = [d for d in docs if d.id in marked]

    segment_filter, in_cases = resolve(project, options)
    if in_cases is not None:
        docs = [d for d in docs if d.id in in_cases]

    return Selection(codes=codes, documents=docs, all_documents=all_docs,
                     codes_filtered=options.code_ids is not None,
                     documents_filtered=(options.document_ids is not None or options.pseudonymised_only
                                         or in_cases is not None),
                     code_by_id={code.id: code for code, _ in tree}, coder_ids=segment_filter.coder_ids,
                     segment_filter=segment_filter)


def segments_by_code(project, selection: Selection) -> dict[int, list[Segment]]:
    """Segments of the selected codes in the selected documents, per code, in document order."""
    if not selection.codes or not selection.documents:
        return {}
    order = {d.id: i for i, d in enumerate(selection.documents)}
    grouped: dict[int, list[Segment]] = defaultdict(list)
    for seg in project.segments([code.id for code, _ in selection.codes]):
        if seg.coding.document_id in order and selection.keeps(seg.coding):
            grouped[seg.coding.code_id].append(seg)
    for segs in grouped.values():
        segs.sort(key=lambda s: (order[s.coding.document_id], s.coding.start, s.coding.end, s.coding.id))
    return dict(grouped)


class DocumentTexts:
    """Document texts read whole, once, and kept while they fit :attr:`budget` bytes: a report
    going code by code reaches the same documents again and again. A quote from a document
    beyond the budget is read alone from the project file."""

    #: bytes of text kept at most (a 50-million-character project of plain Latin text fits)
    BUDGET = 64 * 1024 * 1024

    def __init__(self, project, budget: int | None = None) -> None:
        self.project = project
        self.budget = self.BUDGET if budget is None else budget
        self.kept: dict[int, str] = {}
        self.used = 0
        self.full = False

    def want(self, document_ids) -> None:
        """Read and keep the texts of these documents while they fit."""
        import sys

        for doc_id in document_ids:
            if self.full:
                return
            if doc_id in self.kept:
                continue
            text = self.project.document_text(doc_id)
            size = sys.getsizeof(text)
            if self.used + size > self.budget:
                self.full = True
                return
            self.kept[doc_id] = text
            self.used += size


def code_segments(project, selection: Selection, code_id: int, order: dict[int, int],
                  names: dict[int, str], texts: DocumentTexts | None = None) -> list[Segment]:
    """The segments of one code in the selected documents that pass the filters, in the order of
    :func:`segments_by_code` (``order``: document id -> position in ``selection.documents``;
    ``names``: document names by id); texts from ``texts`` where it holds them, else each
    quote read alone."""
    from qcdesk.core.models import Coding
    from qcdesk.core.storage import reports as report_sql

    kept = texts.kept if texts is not None else {}
    if texts is not None and not texts.full:
        texts.want(d for d in report_sql.code_documents(project.db, code_id) if d in order)
    out: list[Segment] = []
    for *fields, text in report_sql.code_segments(project.db, code_id, order, kept):
        coding = Coding(*fields)
        if not selection.keeps(coding):
            continue
        if text is None:
            text = kept[coding.document_id][coding.start:coding.end]
        turn = project.turn_at(coding.document_id, coding.start)
        out.append(Segment(coding=coding, document_name=names[coding.document_id], text=text,
                           speaker=turn.speaker if turn else None,
                           time_start=turn.time_start if turn else None,
                           paragraph=project.paragraph_number(coding.document_id, coding.start)))
    for t in project.time_codings.for_codes([code_id]):
        coding = Coding(-t.id, t.document_id, t.code_id, 0, 0, t.coder_id, t.created_at)
        if t.document_id in order and selection.keeps(coding):
            out.append(Segment(coding=coding, document_name=names[t.document_id], text=t.memo,
                               time_start=t.start_ms / 1000, time_range=(t.start_ms, t.end_ms)))
    out.sort(key=lambda s: (order[s.coding.document_id], s.coding.start, s.coding.end, s.coding.id))
    return out


def segment_counts(project, selection: Selection) -> dict[tuple[int, int], int]:
    """(code id, document id) -> segments that pass the filters, for the selected codes and
    documents: the counts the segments report lists, without reading any text."""
    from qcdesk.core.storage import retrieval as sql

    codes = {code.id for code, _ in selection.codes}
    docs = selection.document_ids
    if not codes or not docs:
        return {}
    if not selection.segment_filter.active:
        return {key: n for key, n in project.counts_by_code_and_document().items()
                if key[0] in codes and key[1] in docs}
    keeps = selection.segment_filter.keeps
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for _id, doc_id, code_id, start, end, coder_id in sql.codings(project.db, codes, document_ids=docs):
        if keeps(doc_id, start, end, coder_id):
            counts[code_id, doc_id] += 1
    return dict(counts)


def subtree_totals(codes: list[tuple[Code, int]], direct: dict[int, int]) -> dict[int, int]:
    """Each code's own count plus all its included sub-codes' counts (one reverse pass)."""
    totals = {code.id: direct.get(code.id, 0) for code, _ in codes}
    for code, _ in reversed(codes):
        if code.parent_id in totals:
            totals[code.parent_id] += totals[code.id]
    return totals


def subtree_documents(codes: list[tuple[Code, int]],
                      docs_of: dict[int, set[int]]) -> dict[int, int]:
    """How many distinct documents each code or one of its included sub-codes occurs in."""
    sets: dict[int, set[int]] = {code.id: set(docs_of.get(code.id, ())) for code, _ in codes}
    for code, _ in reversed(codes):
        if code.parent_id in sets:
            sets[code.parent_id] |= sets[code.id]
    return {cid: len(s) for cid, s in sets.items()}


def keep_codes(codes: list[tuple[Code, int]], totals: dict[int, int],
               include_empty: bool) -> list[tuple[Code, int]]:
    """Drop codes with nothing in their whole subtree, unless empty codes are wanted."""
    if include_empty:
        return list(codes)
    return [(code, lvl) for code, lvl in codes if totals.get(code.id, 0) > 0]


def project_label(project) -> str:
    """The project file's name only: reports never reveal the user's folders."""
    return project.path.name


def coder_names(project) -> list[str]:
    return [c.name for c in project.coders()]


def today() -> str:
    return _dt.date.today().isoformat()


def title_metadata(project, selection: Selection, n_codes: int, n_segments: int | None) -> list[tuple[str, str]]:
    """The facts on a title page, saying "of N" wherever a filter narrowed the project."""
    stats = project.stats()
    n_docs = len(selection.documents)
    docs = f"{n_docs} of {len(selection.all_documents)}" if selection.documents_filtered else str(n_docs)
    codes = f"{n_codes} of {stats.get('codes', n_codes)}" if (
        selection.codes_filtered or n_codes != stats.get("codes", n_codes)) else str(n_codes)
    meta = [("Project", project_label(project)), ("Date", today()),
            ("Documents", docs), ("Codes", codes)]
    if n_segments is not None:
        total = stats.get("codings", n_segments)
        meta.append(("Coded segments",
                     f"{n_segments} of {total}" if n_segments != total else str(n_segments)))
    names = coder_names(project)
    meta.append(("Coders" if len(names) != 1 else "Coder", ", ".join(names) if names else "not recorded"))
    if selection.segment_filter.descriptions:
        meta.append(("Filtered to", "; ".join(selection.segment_filter.descriptions)))
    return meta


def new_report(project, selection: Selection, options: "ReportOptions", kind: str, title: str,
               n_codes: int, n_segments: int | None) -> Report:
    """An empty report with the title page every report kind shares."""
    check_language(options.language)
    coder = getattr(project, "coder", None)
    return Report(
        kind=kind, title=options.title or title,
        subtitle=project_label(project) if options.subtitle is None else options.subtitle,
        metadata=title_metadata(project, selection, n_codes, n_segments),
        author=", ".join(coder_names(project)), language=options.language,
        coder=coder.name if coder is not None else "", header=options.header_text,
        footer=options.footer_text, contents=options.include_contents,
        quotation_marks=options.quotation_marks,
    )


_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


def check_language(tag: str) -> None:
    """A report language must be a language tag such as ``en-GB``; anything else is refused."""
    if not _LANGUAGE_TAG.match(tag or ""):
        raise ExportFailed(f"{tag!r} is not a language tag; write one such as en-GB, de-DE or ar.")
