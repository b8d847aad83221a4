"""Retrieving coded segments by code combinations and filters, for comparing groups and quoting.

A :class:`Query` chooses codes and how they combine:

* ``"or"`` – every segment coded with any of the codes (one result per distinct range);
* ``"and"`` – the text where codings of *all* the codes overlap in one document: the
  overlapping ranges themselves (the usual "intersection" retrieval);
* ``"not"`` – segments of ``codes`` that share no character with a coding of ``exclude_codes``.

Filters narrow the result: documents, document sets (the documents in any of them), cases (a
case is its linked documents plus the turns of its speakers), attribute conditions on cases, the
speaker at the segment's start, and coders.
The combination is done per document on sorted ranges (see :mod:`qcdesk.core.intervals`), so
a project with 50,000 codings is answered in a few queries and one sweep.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, TypeVar

from qcdesk.core import intervals
from qcdesk.core.errors import OperationError
from qcdesk.core.storage import retrieval as sql
from qcdesk.core.storage import sets as set_sql

if TYPE_CHECKING:
    from qcdesk.core.project import Project

MODES = ("or", "and", "not")
#: context shown around a segment when it stands outside any speaker turn or paragraph
FALLBACK_WINDOW = 200
ELLIPSIS = "…"


@dataclass(frozen=True)
class AttributeCondition:
    """Cases whose value of an attribute equals ``value`` or lies in ``[minimum, maximum]``.

    Equality ignores case and surrounding spaces. Ranges compare numbers for number
    attributes and ISO dates (YYYY-MM-DD) as text for dates; either bound may be left open.
    """

    attribute_id: int
    value: str | None = None
    minimum: float | str | None = None
    maximum: float | str | None = None


@dataclass(frozen=True)
class Query:
    codes: tuple[int, ...]
    mode: str = "or"
    exclude_codes: tuple[int, ...] = ()
    include_subcodes: bool = True
    #: empty filters keep everything
    documents: tuple[int, ...] = ()
    cases: tuple[int, ...] = ()
    attributes: tuple[AttributeCondition, ...] = ()
    speakers: tuple[str, ...] = ()
    #: only codings made by these coders count for ``codes`` (exclusions count whoever coded them)
    coders: tuple[int, ...] = ()
    #: characters of context each side; None shows the whole speaker turn (or paragraph)
    context_chars: int | None = None
    #: only documents in any of these document sets
    sets: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        for name in ("codes", "exclude_codes", "documents", "cases", "attributes", "speakers", "coders",
                     "sets"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.mode not in MODES:
            raise OperationError(f"Unknown retrieval mode {self.mode!r}: use one of {', '.join(MODES)}.")


@dataclass(frozen=True)
class Result:
    """One retrieved passage: where it is, who said it, and what surrounds it."""

    document_id: int
    document_name: str
    start: int
    end: int
    text: str
    code_ids: tuple[int, ...]
    coding_ids: tuple[int, ...]
    speaker: str | None
    time_start: float | None
    paragraph: int | None
    #: context before and after the segment, with an ellipsis where it was cut
    before: str = ""
    after: str = ""
    #: names of the coders whose codings are behind the passage (each once: a passage two coders
    #: coded is one result naming both)
    coders: tuple[str, ...] = ()
    #: ``(start_ms, end_ms)`` of a recording's time coding (``start``/``end`` are then 0 and
    #: ``text`` its memo); None for a passage of text
    time_range: tuple[int, int] | None = None


# ---------------------------------------------------------------- cases
class CaseMap:
    """Which cases a range of a document belongs to: the cases linked to the whole document,
    plus those whose speaker holds a turn overlapping the range."""

    def __init__(self, project: "Project"):
        self.whole: dict[int, set[int]] = {}
        for link in sql.case_documents(project.db):
            self.whole.setdefault(link.document_id, set()).add(link.case_id)
        turns: dict[int, list[tuple[int, int, int]]] = {}
        for turn in sql.case_turns(project.db):
            turns.setdefault(turn.document_id, []).append((turn.start, max(turn.end, turn.start + 1), turn.case_id))
        self.turns = {doc_id: intervals.IntervalIndex(items) for doc_id, items in turns.items()}
        self.speaking = {doc_id: {p for _s, _e, p in items} for doc_id, items in turns.items()}

    def cases_of(self, document_id: int, start: int, end: int) -> set[int]:
        found = set(self.whole.get(document_id, ()))
        index = self.turns.get(document_id)
        if index is not None:
            found.update(p for _s, _e, p in index.overlapping(start, max(end, start + 1)))
        return found

    def documents_of(self, case_ids: set[int]) -> set[int]:
        docs = {d for d, cs in self.whole.items() if cs & case_ids}
        docs.update(d for d, cs in self.speaking.items() if cs & case_ids)
        return docs


def _matches(condition: AttributeCondition, value_type: str, raw: str) -> bool:
    raw = raw.strip()
    if condition.value is not None:
        return raw.casefold() == str(condition.value).strip().casefold()
    lo, hi = condition.minimum, condition.maximum
    if value_type == "number":
        try:
            number = float(raw)
        except ValueError:
            return False
        return (lo is None or number >= float(lo)) and (hi is None or number <= float(hi))
    if value_type == "date":
        raw = raw[:10]
        lo = _iso(lo) if lo is not None else None
        hi = _iso(hi) if hi is not None else None
    return (lo is None or raw >= str(lo)) and (hi is None or raw <= str(hi))


def _iso(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value).strip()[:10]


def cases_matching(project: "Project", conditions: Iterable[AttributeCondition]) -> set[int]:
    """Ids of the cases meeting every condition."""
    types = {a.id: a.value_type for a in sql.attributes(project.db)}
    found: set[int] | None = None
    for condition in conditions:
        if condition.attribute_id not in types:
            raise OperationError(f"Attribute {condition.attribute_id} does not exist.")
        vtype = types[condition.attribute_id]
        ids = {row.case_id for row in sql.attribute_values(project.db, condition.attribute_id)
               if _matches(condition, vtype, str(row.value))}
        found = ids if found is None else found & ids
    return found if found is not None else set()


def value_order(value_type: str, choices: list[str], values: Iterable[str]) -> list[str]:
    """Attribute values as a researcher expects them: a choice list's own order, numbers by
    size, other text alphabetically."""
    folded = [c.casefold() for c in choices]

    def key(value: str):
        if value_type == "choice" and value.casefold() in folded:
            return (0, folded.index(value.casefold()), 0.0, "")
        if value_type == "number":
            try:
                return (1, 0, float(value), "")
            except ValueError:
                pass
        return (2, 0, 0.0, value.casefold())

    return sorted(values, key=key)


@dataclass(frozen=True)
class FilterChoices:
    """What the filters can be set to in this project (for pickers)."""

    documents: list[tuple[int, str]]
    cases: list[tuple[int, str]]
    attributes: list[tuple[int, str]]
    speakers: list[str]
    coders: list[tuple[int, str]]
    sets: list[tuple[int, str]] = field(default_factory=list)


def filter_choices(project: "Project") -> FilterChoices:
    return FilterChoices(
        documents=[(d.id, d.name) for d in project.documents()],
        cases=[(c.id, c.name) for c in sql.cases(project.db)],
        attributes=[(a.id, a.name) for a in sql.attributes(project.db)],
        speakers=sql.speakers(project.db),
        coders=[(c.id, c.name) for c in project.coders()],
        sets=[(s.id, s.name) for s in set_sql.all_sets(project.db)],
    )


def documents_in_sets(project: "Project", set_ids: Iterable[int]) -> set[int]:
    """The documents in any of these sets; an unknown set is an error."""
    ids = list(set_ids)
    known = {s.id for s in set_sql.all_sets(project.db)}
    missing = [i for i in ids if i not in known]
    if missing:
        raise OperationError(f"Set {missing[0]} does not exist.")
    return set_sql.documents_in_sets(project.db, ids)


def attribute_values(project: "Project", attribute_id: int) -> list[str]:
    """The distinct values cases have for an attribute (spelling as first written), in order."""
    found = {a.id: (a.value_type, a.choices) for a in sql.attributes(project.db)}
    if attribute_id not in found:
        raise OperationError(f"Attribute {attribute_id} does not exist.")
    vtype, choices = found[attribute_id]
    spelling: dict[str, str] = {}
    for row in sql.attribute_values(project.db, attribute_id):
        value = " ".join(str(row.value).split())
        spelling.setdefault(value.casefold(), value)
    return value_order(vtype, list(json.loads(choices or "[]")), spelling.values())


# ---------------------------------------------------------------- codes
def expand_codes(project: "Project", code_ids: Iterable[int], include_subcodes: bool) -> list[set[int]]:
    """One set per chosen code: the code, with its sub-codes when asked."""
    codes = project.codes()
    known = {c.id for c in codes}
    children: dict[int, list[int]] = {}
    for code in codes:
        if code.parent_id is not None:
            children.setdefault(code.parent_id, []).append(code.id)
    groups = []
    for code_id in code_ids:
        if code_id not in known:
            raise OperationError(f"Code {code_id} does not exist.")
        group, todo = {code_id}, [code_id]
        while include_subcodes and todo:
            for child in children.get(todo.pop(), ()):
                group.add(child)
                todo.append(child)
        groups.append(group)
    return groups


# ---------------------------------------------------------------- combining
def _combine_document(mode: str, groups: list[set[int]], rows: list[sql.CodingRow],
                      excluded: list[sql.CodingRow]) -> list[tuple[int, int, list[sql.CodingRow]]]:
    """The result ranges of one document with the codings behind each."""
    if mode == "and":
        common: list[intervals.Range] | None = None
        for group in groups:
            covered = intervals.union((r[3], r[4]) for r in rows if r[2] in group)
            common = covered if common is None else intervals.intersect(common, covered)
            if not common:
                return []
        index = intervals.IntervalIndex((r[3], r[4], r) for r in rows)
        return [(s, e, [p for _s, _e, p in index.overlapping(s, e)]) for s, e in common or []]
    wanted = set().union(*groups)
    by_range: dict[tuple[int, int], list[sql.CodingRow]] = {}
    for row in rows:
        if row[2] in wanted:
            by_range.setdefault((row[3], row[4]), []).append(row)
    if mode == "not" and excluded:
        left_out = intervals.IntervalIndex((r[3], r[4], None) for r in excluded)
        by_range = {k: v for k, v in by_range.items() if not left_out.any_overlap(*k)}
    return [(s, e, found) for (s, e), found in sorted(by_range.items())]


def retrieve(project: "Project", query: Query) -> list[Result]:
    """The passages the query asks for, in interview order then position."""
    if not query.codes:
        raise OperationError("Choose at least one code to retrieve.")
    if query.mode == "not" and not query.exclude_codes:
        raise OperationError("Choose the codes whose segments are to be left out.")
    groups = expand_codes(project, query.codes, query.include_subcodes)
    excluded_ids = set().union(*expand_codes(project, query.exclude_codes, query.include_subcodes)) \
        if query.mode == "not" else set()

    order = sql.document_order(project.db)
    documents: set[int] | None = set(query.documents) if query.documents else None
    if query.sets:
        in_sets = documents_in_sets(project, query.sets)
        documents = in_sets if documents is None else documents & in_sets
    cases: set[int] | None = None
    if query.cases:
        cases = set(query.cases)
    if query.attributes:
        matching = cases_matching(project, query.attributes)
        cases = matching if cases is None else cases & matching
    case_map = None
    if cases is not None:
        case_map = CaseMap(project)
        in_cases = case_map.documents_of(cases)
        documents = in_cases if documents is None else documents & in_cases
    if documents is not None and not documents:
        return []

    wanted = set().union(*groups)
    rows = sql.codings(project.db, wanted, document_ids=documents, coder_ids=query.coders or None)
    excluded = sql.codings(project.db, excluded_ids, document_ids={r[1] for r in rows}) if excluded_ids else []
    excluded_by_doc = {d: list(g) for d, g in itertools.groupby(excluded, key=lambda r: r[1])}

    found: list[tuple[int, int, int, list[sql.CodingRow]]] = []
    for doc_id, doc_rows in itertools.groupby(rows, key=lambda r: r[1]):
        for start, end, behind in _combine_document(query.mode, groups, list(doc_rows),
                                                    excluded_by_doc.get(doc_id, [])):
            if case_map is not None and cases is not None and not (case_map.cases_of(doc_id, start, end) & cases):
                continue
            found.append((doc_id, start, end, behind))
    if not found:
        return _time_results(project, query, wanted, documents, case_map, cases, order)
    doc_ids = {f[0] for f in found}
    texts = sql.texts(project.db, doc_ids)
    turns = sql.turns(project.db, doc_ids)
    blocks = sql.block_starts(project.db, doc_ids)
    speakers = set(query.speakers)
    coder_names = {c.id: c.name for c in project.coders()}
    results = []
    for doc_id, start, end, behind in found:
        turn = _containing(turns.get(doc_id, []), start)
        speaker = turn.speaker if turn else None
        if speakers and speaker not in speakers:
            continue
        doc_blocks = blocks.get(doc_id, [])
        block = _containing(doc_blocks, start)
        # as Project.paragraph_number: the last paragraph starting at or before the position
        paragraph = bisect_right(doc_blocks, (start, float("inf"))) or None
        text = texts[doc_id]
        before, after = _context(text, start, end, query.context_chars, turn or block)
        results.append(Result(
            document_id=doc_id, document_name=order[doc_id].name, start=start, end=end,
            text=text[start:end],
            code_ids=tuple(sorted({r[2] for r in behind})), coding_ids=tuple(sorted({r[0] for r in behind})),
            speaker=speaker, time_start=turn.time_start if turn else None, paragraph=paragraph,
            before=before, after=after,
            coders=tuple(sorted({coder_names[r[5]] for r in behind if r[5] in coder_names}, key=str.casefold)),
        ))
    results += _time_results(project, query, wanted, documents, case_map, cases, order)
    results.sort(key=lambda r: (order[r.document_id].rank, r.start, r.end, r.time_range or (0, 0)))
    return results


def _time_results(project: "Project", query: Query, wanted: set[int], documents: set[int] | None,
                  case_map: "CaseMap | None", cases: set[int] | None,
                  order: dict[int, sql.DocumentPlace]) -> list[Result]:
    """The time codings of recordings that an ``or`` query asks for (one result per coded range),
    with the document, case and coder filters; a speaker filter leaves them out (a time range has
    no speaker). ``and``/``not`` combine passages of text and leave them out."""
    if query.mode != "or" or query.speakers:
        return []
    coder_names = {c.id: c.name for c in project.coders()}
    by_range: dict[tuple[int, int, int], list] = {}
    for t in project.time_codings.for_codes(sorted(wanted)):
        if documents is not None and t.document_id not in documents:
            continue
        if query.coders and t.coder_id not in query.coders:
            continue
        if case_map is not None and cases is not None and not (case_map.cases_of(t.document_id, 0, 0) & cases):
            continue
        by_range.setdefault((t.document_id, t.start_ms, t.end_ms), []).append(t)
    return [Result(document_id=doc_id, document_name=order[doc_id].name, start=0, end=0,
                   text=next((t.memo for t in items if t.memo.strip()), ""),
                   code_ids=tuple(sorted({t.code_id for t in items})),
                   coding_ids=tuple(sorted(-t.id for t in items)), speaker=None, time_start=begin / 1000,
                   paragraph=None, time_range=(begin, end),
                   coders=tuple(sorted({coder_names[t.coder_id] for t in items if t.coder_id in coder_names},
                                       key=str.casefold)))
            for (doc_id, begin, end), items in by_range.items()]


Span = TypeVar("Span", sql.TurnSpan, sql.BlockSpan)


def _containing(spans: list[Span], position: int) -> Span | None:
    """The span (sorted by start) holding ``position``, if any."""
    i = bisect_right(spans, (position, float("inf"))) - 1
    if i >= 0 and spans[i].start <= position < max(spans[i].end, spans[i].start + 1):
        return spans[i]
    return None


def _context(text: str, start: int, end: int, chars: int | None,
             span: sql.TurnSpan | sql.BlockSpan | None) -> tuple[str, str]:
    if chars is None and span is not None:
        lo, hi = span.start, span.end
        return text[lo:start] if lo < start else "", text[end:hi] if hi > end else ""
    chars = FALLBACK_WINDOW if chars is None else max(0, chars)
    lo, hi = max(0, start - chars), min(len(text), end + chars)
    before, after = text[lo:start], text[end:hi]
    if lo > 0 and before:
        before = ELLIPSIS + before
    if hi < len(text) and after:
        after = after + ELLIPSIS
    return before, after


# ---------------------------------------------------------------- quoting
def format_time(seconds: float | None) -> str:
    """HH:MM:SS, as transcripts and papers cite a moment of a recording."""
    if seconds is None:
        return ""
    total = int(seconds)
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def coded_by(coders: Iterable[str]) -> str:
    """"coded by Ana and Bo": who coded a passage, for retrieval results and reports."""
    names = list(coders)
    if not names:
        return ""
    return "coded by " + (", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0])


def citation(result: Result) -> str:
    """Speaker, document, paragraph and time: what identifies a quote in a paper; a recording's
    time coding: ``Diary 3, 02:10–02:45``."""
    if result.time_range is not None:
        from qcdesk.core.time_codings import citation as time_citation

        return time_citation(result.document_name, *result.time_range)
    parts = [result.speaker or "", result.document_name,
             f"¶{result.paragraph}" if result.paragraph else "", format_time(result.time_start)]
    return ", ".join(p for p in parts if p)


QUOTE_STYLES = ("inline", "block")


def format_quotes(results: Iterable[Result], style: str = "inline") -> str:
    """Exemplar quotes ready to paste, one per paragraph.

    ``inline``: “quoted text” (P03, Interview 3, ¶12, 00:12:05)
    ``block``:  the quoted text on its own line, then ``— P03, Interview 3, ¶12, 00:12:05``.
    Whitespace inside a quote is collapsed and double quotes inside it become single ones.
    """
    if style not in QUOTE_STYLES:
        raise OperationError(f"Unknown quote style {style!r}: use one of {', '.join(QUOTE_STYLES)}.")
    out = []
    for result in results:
        words = " ".join(result.text.split())
        words = words.replace("“", "‘").replace("”", "’").replace('"', "'")
        if style == "inline":
            out.append(f"“{words}” ({citation(result)})")
        else:
            out.append(f"{words}\n— {citation(result)}")
    return "\n\n".join(out)
