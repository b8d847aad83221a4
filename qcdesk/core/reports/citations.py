"""How a quote cites where it comes from: the document, or the participant (case) it belongs to.

By document: ``Interview 03 · DC09 · 12:40``. By case, with chosen attributes:
``Participant 3, woman, partner · DC09 · 12:40`` — the case is the one linked to the
speaker's turns in that document, else the one linked to the whole document; a quote
belonging to no case falls back to its document. The speaker is left out when it is the
case's own name (the citation already says who speaks).

When the citation names the speaker, a quote that starts with the turn's own label
("DC09: I think...") drops that label: the words are the speaker's, the label is not.

A turn has one time (where it starts). Where the transcript marks later sentences of a
turn with their own time ("... [12:58] And then ..."), a quote starting after such a
mark cites that time instead.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right

from qcdesk.core.errors import ExportFailed
from qcdesk.core.importers.layouts import TIME, parse_time
from qcdesk.core.models import Segment
from qcdesk.core.reports.structure import format_time
from qcdesk.core.time_codings import format_range

SEPARATOR = " · "
#: a time marked inside a turn's text: [12:58], (1:02:03), [00:12:58.5]
INLINE_TIME = re.compile(rf"[\[(]({TIME})[\])]")


class Citer:
    def __init__(self, project, options) -> None:
        self.project = project
        #: document id -> (positions, seconds) of the times marked in its text, found once
        self._marks: dict[int, tuple[list[int], list[float]]] = {}
        self.by_case = options.cite_by == "case"
        if options.cite_by not in ("document", "case"):
            raise ExportFailed(f"Quotes cite a document or a case, not {options.cite_by!r}.")
        self.speaker_case: dict[tuple[int, str], str] = {}
        self.document_case: dict[int, str] = {}
        if not self.by_case:
            return
        from qcdesk.core import attributes, cases

        wanted = list(options.cite_attribute_ids or [])
        known = {a.id: a for a in attributes.attributes(project)}
        missing = [i for i in wanted if i not in known]
        if missing:
            raise ExportFailed(f"Attribute {missing[0]} does not exist in this project; "
                               "choose the attributes to cite again.")
        values = {row.case.id: row for row in attributes.attribute_table(project)}
        for case in cases.cases(project):
            row = values.get(case.id)
            shown = [attributes.display(row.get(known[a])) if row else "" for a in wanted]
            label = ", ".join([case.name, *(v for v in shown if v)])
            for doc_id, speaker in cases.case_speakers(project, case.id):
                self.speaker_case.setdefault((doc_id, speaker), label)
            for doc_id in cases.case_documents(project, case.id):
                self.document_case.setdefault(doc_id, label)

    def source(self, seg: Segment, by_document=None) -> str:
        """Who said it and where: the case (or document), the speaker, the time or paragraph.

        ``by_document(seg)``, if given, writes the citation when quotes cite documents."""
        inline = self.inline_time(seg) if seg.time_range is None else None
        if inline is not None:
            seg = dataclasses.replace(seg, time_start=inline)
        if not self.by_case and by_document is not None:
            return by_document(seg)
        doc_id = seg.coding.document_id
        case = None
        if self.by_case:
            case = (self.speaker_case.get((doc_id, seg.speaker)) if seg.speaker else None) \
                or self.document_case.get(doc_id)
        parts = [case or seg.document_name]
        if seg.speaker and not (case and case.split(",")[0] == seg.speaker):
            parts.append(seg.speaker)
        if seg.time_range is not None:  # a recording's time coding
            parts.append(format_range(*seg.time_range))
        elif seg.time_start is not None:
            parts.append(format_time(seg.time_start))
        elif seg.paragraph is not None:
            parts.append(f"¶ {seg.paragraph}")
        return SEPARATOR.join(parts)

    def inline_time(self, seg: Segment) -> float | None:
        """The last time marked in the segment's turn before the segment starts (or at its
        very start), if the turn's text has any; else None (the turn's own time stands)."""
        if seg.time_start is None:
            return None  # an untimed transcript: nothing to refine
        coding = seg.coding
        turn = self.project.turn_at(coding.document_id, coding.start)
        if turn is None:
            return None
        marks = self._marks.get(coding.document_id)
        if marks is None:
            marks = self._marks[coding.document_id] = self._find_marks(coding.document_id)
        positions, seconds = marks
        i = bisect_right(positions, coding.start) - 1
        if i < 0 or positions[i] <= turn.start:
            return None  # none in this turn (one at its very start is the turn's own time)
        return seconds[i]

    def _find_marks(self, document_id: int) -> tuple[list[int], list[float]]:
        """Where the document's text marks a time, keeping positions only (not the text)."""
        positions: list[int] = []
        seconds: list[float] = []
        for m in INLINE_TIME.finditer(self.project.document_text(document_id)):
            value = parse_time(m.group(1))
            if value is not None:
                positions.append(m.start())
                seconds.append(value)
        return positions, seconds

    @staticmethod
    def text(seg: Segment) -> str:
        """The quote's words, without the turn's leading "Speaker:" label (the source names them)."""
        text = seg.text.strip()
        if seg.speaker:
            label = f"{seg.speaker}:"
            if text.startswith(label) and len(text) > len(label):
                text = text[len(label):].lstrip()
        return text
