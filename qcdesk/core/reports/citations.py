"""How a quote cites where it comes from: the document, or the participant (case) it belongs to.

By document: ``Interview 03 · DC09 · 12:40``. By case, with chosen attributes:
``Participant 3, woman, partner · DC09 · 12:40`` — the case is the one linked to the
speaker's turns in that document, else the one linked to the whole document; a quote
belonging to no case falls back to its document. The speaker is left out when it is the
case's own name (the citation already says who speaks).

When the citation names the speaker, a quote that starts with the turn's own label
("DC09: I think...") drops that label: the words are the speaker's, the label is not.

The time is the one :func:`qcdesk.core.timing.time_at` knows for where the quote starts: a
subtitle cue or a stamp inside the turn, else the turn's start, interpolated towards its end
(whole seconds) where the turn's end is known.
"""

from __future__ import annotations

import dataclasses

from qcdesk.core.errors import ExportFailed
from qcdesk.core.models import Segment
from qcdesk.core.reports.structure import format_time
from qcdesk.core.time_codings import format_range
from qcdesk.core.timing import Timeline

SEPARATOR = " · "


class Citer:
    def __init__(self, project, options) -> None:
        self.project = project
        #: document id -> its known times, read once
        self._timelines: dict[int, Timeline] = {}
        self.by_case = options.cite_by == "case"
        if options.cite_by not in ("document", "case"):
            raise ExportFailed(f"Quotes cite a document or a case, not {options.cite_by!r}.")
        self.speaker_case: dict[tuple[int, str], str] = {}
        self.document_case: dict[int, str] = {}
        if not self.by_case:
            return
        from qcdesk.core import attributes

        wanted = list(options.cite_attribute_ids or [])
        known = {a.id: a for a in project.attributes.all()}
        missing = [i for i in wanted if i not in known]
        if missing:
            raise ExportFailed(f"Attribute {missing[0]} does not exist in this project; "
                               "choose the attributes to cite again.")
        values = {row.case.id: row for row in project.attributes.table()}
        for case in project.cases.all():
            row = values.get(case.id)
            shown = [attributes.display(row.get(known[a])) if row else "" for a in wanted]
            label = ", ".join([case.name, *(v for v in shown if v)])
            for link in project.cases.speakers_of(case.id):
                self.speaker_case.setdefault((link.document_id, link.speaker), label)
            for doc_id in project.cases.documents_of(case.id):
                self.document_case.setdefault(doc_id, label)

    def source(self, seg: Segment, by_document=None) -> str:
        """Who said it and where: the case (or document), the speaker, the time or paragraph.

        ``by_document(seg)``, if given, writes the citation when quotes cite documents."""
        known = self.time(seg) if seg.time_range is None else None
        if known is not None:
            seg = dataclasses.replace(seg, time_start=known)
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

    def time(self, seg: Segment) -> float | None:
        """The time at the quote's start (see :func:`qcdesk.core.timing.time_at`), or None."""
        doc_id = seg.coding.document_id
        timeline = self._timelines.get(doc_id)
        if timeline is None:
            timeline = self._timelines[doc_id] = Timeline(self.project, doc_id)
        moment = timeline.moment(seg.coding.start)
        return None if moment is None else moment.seconds

    @staticmethod
    def text(seg: Segment) -> str:
        """The quote's words, without the turn's leading "Speaker:" label (the source names them)."""
        text = seg.text.strip()
        if seg.speaker:
            label = f"{seg.speaker}:"
            if text.startswith(label) and len(text) > len(label):
                text = text[len(label):].lstrip()
        return text
