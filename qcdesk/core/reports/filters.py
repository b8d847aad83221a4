"""Which coded segments a report keeps: the retrieval panel's filters, applied per coding.

A report lists codings one by one under their codes; the retrieval panel lists passages.
Both must agree on which text a filter lets through, so this module uses the retrieval
module's own pieces: a case is its linked documents plus the turns of its speakers
(:class:`~qcdesk.core.retrieval.CaseMap`), attribute values are matched by
:func:`~qcdesk.core.retrieval.cases_matching`, and a segment's speaker is the one whose
turn holds its first character. For each code, the segments a report shows are exactly
the ranges ``retrieve(Query(codes=(code,), ...))`` returns with the same filters.

Several values ticked for one attribute mean any of them (Role = mentee or mentor);
conditions on different attributes must all hold, as in the retrieval panel. Document sets
narrow the documents: those in any of the sets chosen.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field

import sqlite_utils

from qcdesk.core.errors import ExportFailed, OperationError
from qcdesk.core.retrieval import AttributeCondition, CaseMap, cases_matching
from qcdesk.core.storage import retrieval as sql
from qcdesk.core.storage import sets as set_sql


@dataclass
class SegmentFilter:
    """Case, speaker and coder conditions a coding must meet; ``None`` keeps everything."""

    coder_ids: set[int] | None = None
    #: the cases whose text counts (chosen cases meeting the attribute conditions)
    case_ids: set[int] | None = None
    speakers: set[str] | None = None
    case_map: CaseMap | None = None
    #: one sentence per active filter, for the title page
    descriptions: list[str] = field(default_factory=list)
    _turns: dict[int, list[sql.TurnSpan]] = field(default_factory=dict, repr=False)
    _db: sqlite_utils.Database | None = field(default=None, repr=False)

    @property
    def active(self) -> bool:
        return self.coder_ids is not None or self.case_ids is not None or self.speakers is not None

    def keeps(self, document_id: int, start: int, end: int, coder_id: int | None) -> bool:
        if self.coder_ids is not None and coder_id not in self.coder_ids:
            return False
        if (self.case_map is not None and self.case_ids is not None
                and not (self.case_map.cases_of(document_id, start, end) & self.case_ids)):
            return False
        if self.speakers is not None and self.speaker_at(document_id, start) not in self.speakers:
            return False
        return True

    def speaker_at(self, document_id: int, position: int) -> str | None:
        """The speaker whose turn holds ``position`` (as the retrieval panel finds it)."""
        if document_id not in self._turns:
            if self._db is None:  # a filter made without a project knows no speakers
                return None
            self._turns.update(sql.turns(self._db, [document_id]))
            self._turns.setdefault(document_id, [])
        spans = self._turns[document_id]
        i = bisect_right(spans, (position, float("inf"))) - 1
        if i >= 0 and spans[i].start <= position < max(spans[i].end, spans[i].start + 1):
            return spans[i].speaker
        return None


def _names(pairs, wanted) -> str:
    names = dict(pairs)
    return ", ".join(str(names[i]) for i in wanted)


def resolve(project, options) -> tuple[SegmentFilter, set[int] | None]:
    """The filter for ``options`` and, when cases or sets narrow the documents, the documents
    that hold any of their text and are in any of the sets (``None``: no narrowing). Unknown
    ids raise :class:`ExportFailed`."""
    found = SegmentFilter(_db=project.db)
    if options.coder_ids is not None:
        coders = [(c.id, c.name) for c in project.coders()]
        _check(options.coder_ids, dict(coders), "Coder", "coders")
        found.coder_ids = set(options.coder_ids)
        found.descriptions.append("coded by " + (_names(coders, options.coder_ids) or "no coder"))

    cases: set[int] | None = None
    if options.case_ids is not None:
        known = dict(sql.cases(project.db))
        _check(options.case_ids, known, "Case", "cases")
        cases = set(options.case_ids)
        found.descriptions.append("cases " + (_names(known.items(), options.case_ids) or "none"))
    if options.attribute_values is not None:
        matching, text = _attribute_cases(project, options.attribute_values)
        cases = matching if cases is None else cases & matching
        found.descriptions.append(text)
    if options.speakers is not None:
        known_speakers = set(sql.speakers(project.db))
        unknown = [s for s in options.speakers if s not in known_speakers]
        if unknown:
            raise ExportFailed(f"No transcript has a speaker called {unknown[0]!r}; check the name "
                               "(speaker names match exactly) and export again.")
        found.speakers = set(options.speakers)
        found.descriptions.append("speakers " + (", ".join(options.speakers) or "none"))

    documents = None
    if cases is not None:
        found.case_ids = cases
        found.case_map = CaseMap(project)
        documents = found.case_map.documents_of(cases)
    if getattr(options, "set_ids", None) is not None:
        known = {s.id: s.name for s in set_sql.all_sets(project.db)}
        _check(options.set_ids, known, "Set", "sets")
        in_sets = set_sql.documents_in_sets(project.db, options.set_ids)
        documents = in_sets if documents is None else documents & in_sets
        found.descriptions.append("sets " + (_names(known.items(), options.set_ids) or "none"))
    return found, documents


def _check(ids, known, what: str, plural: str) -> None:
    missing = [i for i in ids if i not in known]
    if missing:
        raise ExportFailed(f"{what} {missing[0]} does not exist in this project; "
                           f"choose the {plural} to report again.")


def _label(condition: AttributeCondition) -> str:
    if condition.value is not None:
        return str(condition.value)
    low = "" if condition.minimum is None else str(condition.minimum)
    high = "" if condition.maximum is None else str(condition.maximum)
    return f"{low}..{high}"


def _attribute_cases(project, items) -> tuple[set[int], str]:
    """Cases meeting any ticked condition of each attribute, for every attribute ticked.

    ``items`` holds ``(attribute id, value)`` pairs or :class:`AttributeCondition` s (ranges)."""
    names = {a.id: a.name for a in sql.attributes(project.db)}
    conditions: dict[int, list[AttributeCondition]] = defaultdict(list)
    for item in items:
        condition = item if isinstance(item, AttributeCondition) else AttributeCondition(item[0], value=str(item[1]))
        if condition.attribute_id not in names:
            raise ExportFailed(f"Attribute {condition.attribute_id} does not exist in this project; "
                               "choose the attribute values to report again.")
        conditions[condition.attribute_id].append(condition)
    if not conditions:
        return set(), "no attribute value"
    cases: set[int] | None = None
    parts = []
    for attribute_id, wanted in conditions.items():
        try:
            found = [(c, cases_matching(project, [c])) for c in wanted]
        except (OperationError, ValueError) as exc:
            raise ExportFailed(f"Cannot compare the values of {names[attribute_id]}: {exc}") from exc
        for condition, matched in found:
            if not matched:  # a typo or a value nobody has: say so rather than report nothing
                raise ExportFailed(f"No case has {names[attribute_id]} = {_label(condition)}; "
                                   f"check the value (see the cases' attributes) and export again.")
        ids = set().union(*(matched for _c, matched in found))
        cases = ids if cases is None else cases & ids
        parts.append(f"{names[attribute_id]} = {' or '.join(_label(c) for c in wanted)}")
    return cases or set(), "; ".join(parts)
