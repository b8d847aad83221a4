"""The coded segments of the shown codes as a table model that reads text only when asked.

The rows come from the codings table alone (ids, ranges, documents); a row's text, speaker,
time span and paragraph are looked up when the view asks for that row, which it does for the rows
on screen. Selecting a code with thousands of segments in hundreds of transcripts therefore
reads a handful of transcripts, not all of them (issue 19).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from qcdesk.core import timing
from qcdesk.core.models import Coding, Segment

EXCERPT = 160
RANGE_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ("Document", "Speaker / where", "Code", "Text")
#: transcripts kept in memory for the rows on screen (a screenful rarely spans more)
TEXTS_KEPT = 6


def format_time(seconds: float | None) -> str:
    if seconds is None:
        return ""
    total = int(seconds)
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def where(segment: Segment, time_end: float | None = None) -> str:
    """``Speaker · 0:04–0:05``: the speaker, and the time span when the document has times
    (``time_end`` when known and later than the start), else the paragraph."""
    parts = []
    if segment.speaker:
        parts.append(segment.speaker)
    if segment.time_start is not None:
        span = format_time(segment.time_start)
        if time_end is not None and format_time(time_end) != span and time_end > segment.time_start:
            span += "–" + format_time(time_end)
        parts.append(span)
    if not parts and segment.paragraph:
        parts.append(f"¶ {segment.paragraph}")
    return " · ".join(parts)


def sort_key(coding: Coding) -> tuple[int, int, int, int]:
    return (coding.document_id, coding.start, coding.end, coding.id)  # the store's order


class SegmentsModel(QAbstractTableModel):
    """One row per coding, in the store's order (document, start, end, id)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.project = None
        self._codings: list[Coding] = []
        self._keys: list[tuple[int, int, int, int]] = []
        self._by_id: dict[int, tuple[int, int, int, int]] = {}
        self._docs: dict[int, int] = {}
        self.doc_names: dict[int, str] = {}
        self.code_names: dict[int, str] = {}
        self._texts: OrderedDict[int, str] = OrderedDict()
        self._timelines: OrderedDict[int, timing.Timeline] = OrderedDict()
        self._wheres: dict[int, str] = {}

    # ------------------------------------------------------------------ filling
    def reset(self, project, codings: list[Coding], code_names: dict[int, str]) -> None:
        self.beginResetModel()
        self.project = project
        self._codings = sorted(codings, key=sort_key)
        self._keys = [sort_key(c) for c in self._codings]
        self._by_id = {c.id: k for c, k in zip(self._codings, self._keys)}
        self._docs = {}
        for c in self._codings:
            self._docs[c.document_id] = self._docs.get(c.document_id, 0) + 1
        self.doc_names = project.document_names() if project is not None and codings else {}
        self.code_names = code_names
        self._texts.clear()
        self._timelines.clear()
        self._wheres.clear()
        self.endResetModel()

    def insert(self, coding: Coding) -> None:
        if coding.document_id not in self.doc_names:
            self.doc_names[coding.document_id] = self.project.document(coding.document_id).name
        key = sort_key(coding)
        row = bisect_left(self._keys, key)
        self.beginInsertRows(QModelIndex(), row, row)
        self._codings.insert(row, coding)
        self._keys.insert(row, key)
        self._by_id[coding.id] = key
        self._docs[coding.document_id] = self._docs.get(coding.document_id, 0) + 1
        self.endInsertRows()

    def remove(self, coding_id: int) -> None:
        key = self._by_id.pop(coding_id)
        row = bisect_left(self._keys, key)
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._keys[row]
        del self._codings[row]
        self._wheres.pop(coding_id, None)
        doc_id = key[0]
        self._docs[doc_id] -= 1
        if not self._docs[doc_id]:
            del self._docs[doc_id]
        self.endRemoveRows()

    def rename_codes(self, code_names: dict[int, str]) -> None:
        """New code names (a rename): only the Code column changes."""
        self.code_names = code_names
        if self._codings:
            self.dataChanged.emit(self.index(0, 2), self.index(len(self._codings) - 1, 2),
                                  [Qt.ItemDataRole.DisplayRole])

    def coding_id(self, row: int) -> int:
        """The id of the coding listed in ``row``."""
        return self._keys[row][3]

    def __contains__(self, coding_id: int) -> bool:
        return coding_id in self._by_id

    @property
    def document_count(self) -> int:
        return len(self._docs)

    # ------------------------------------------------------------------ reading on demand
    def _text(self, document_id: int) -> str:
        text = self._texts.get(document_id)
        if text is None:
            text = self._texts[document_id] = self.project.document_text(document_id)
            while len(self._texts) > TEXTS_KEPT:
                self._texts.popitem(last=False)
        else:
            self._texts.move_to_end(document_id)
        return text

    def segment_text(self, row: int) -> str:
        c = self._codings[row]
        return self._text(c.document_id)[c.start:c.end]

    def _timeline(self, document_id: int) -> timing.Timeline:
        line = self._timelines.get(document_id)
        if line is None:
            line = self._timelines[document_id] = timing.Timeline(self.project, document_id)
            while len(self._timelines) > TEXTS_KEPT:
                self._timelines.popitem(last=False)
        else:
            self._timelines.move_to_end(document_id)
        return line

    def _where(self, coding: Coding) -> str:
        found = self._wheres.get(coding.id)
        if found is None:
            project = self.project
            turn = project.turn_at(coding.document_id, coding.start)
            # the times citations give: the turn's, refined by sync points and interpolation
            line = self._timeline(coding.document_id)
            moment = line.moment(coding.start)
            found = self._wheres[coding.id] = where(Segment(
                coding=coding, document_name="", text="",
                speaker=turn.speaker if turn else None, time_start=moment.seconds if moment else None,
                paragraph=project.paragraph_number(coding.document_id, coding.start)),
                line.end_seconds(coding.end) if moment else None)
        return found

    def excerpt(self, row: int) -> str:
        text = " ".join(self.segment_text(row).split())
        return text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"

    def cells(self, row: int) -> tuple[str, str, str, str]:
        c = self._codings[row]
        return (self.doc_names.get(c.document_id, ""), self._where(c), self.code_names.get(c.code_id, ""),
                self.excerpt(row))

    # ------------------------------------------------------------------ Qt
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._codings)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        coding = self._codings[row]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return self.doc_names.get(coding.document_id, "")
            if col == 1:
                return self._where(coding)
            if col == 2:
                return self.code_names.get(coding.code_id, "")
            return self.excerpt(row)
        if role == Qt.ItemDataRole.ToolTipRole and col == 3:
            return self.segment_text(row)[:2000]
        if role == RANGE_ROLE:
            return (coding.document_id, coding.start, coding.end)
        return None
