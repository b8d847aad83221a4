"""The coded segments of the selected code across all documents; click one to jump there."""

from __future__ import annotations

from bisect import bisect_left

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QLabel, QMenu, QTreeWidget, QTreeWidgetItem, QVBoxLayout,
                               QWidget)

from qcdesk.core.errors import QcdeskError
from qcdesk.core.models import Changes, Coding, Segment
from qcdesk.core.project import Project

EXCERPT = 160
RANGE_ROLE = Qt.ItemDataRole.UserRole + 1


def format_time(seconds: float | None) -> str:
    if seconds is None:
        return ""
    total = int(seconds)
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def where(segment: Segment) -> str:
    parts = []
    if segment.speaker:
        parts.append(segment.speaker)
    if segment.time_start is not None:
        parts.append(format_time(segment.time_start))
    if not parts and segment.paragraph:
        parts.append(f"¶ {segment.paragraph}")
    return " · ".join(parts)


class SegmentsPanel(QWidget):
    """Lists segments; ``segmentActivated(document_id, start, end)`` when one is clicked."""

    segmentActivated = Signal(int, int, int)
    #: (QMenu, coding id) before a segment's context menu shows: feature modules add their entries
    contextMenuAboutToShow = Signal(object, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.project: Project | None = None
        self.code_id: int | None = None
        # what the list shows, kept in step with its rows: sort keys, coding id -> key,
        # segments per document, the codes listed and their names
        self._keys: list[tuple[int, int, int, int]] = []
        self._by_id: dict[int, tuple[int, int, int, int]] = {}
        self._docs: dict[int, int] = {}
        self._shown_ids: set[int] = set()
        self._names: dict[int, str] = {}
        #: coder ids whose segments are listed; None lists every coder's
        self.shown_coders: set[int] | None = None
        self.title = QLabel("Select a code to see its coded segments.")
        self.title.setObjectName("segmentsTitle")
        self.include_sub = QCheckBox("Include sub-codes")
        self.include_sub.setChecked(True)
        self.include_sub.toggled.connect(self.refresh)
        self.tree = QTreeWidget()
        self.tree.setObjectName("segmentsList")
        self.tree.setHeaderLabels(["Document", "Speaker / where", "Code", "Text"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.itemActivated.connect(self._activate)
        self.tree.itemClicked.connect(self._activate)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._show_context_menu)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.include_sub)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.tree)

    def set_project(self, project: Project | None) -> None:
        self.project = project
        self.show_code(None)

    def show_code(self, code_id: int | None) -> None:
        self.code_id = code_id
        self.refresh()

    def refresh(self) -> None:
        self.tree.clear()
        self._keys, self._by_id, self._docs = [], {}, {}
        if self.project is None or self.code_id is None:
            self.title.setText("Select a code to see its coded segments.")
            return
        project = self.project
        try:
            code = project.code(self.code_id)
        except Exception:  # noqa: BLE001 - the code was deleted meanwhile
            self.code_id = None
            self.title.setText("Select a code to see its coded segments.")
            return
        self._shown_ids = set(project.subtree_ids(code.id) if self.include_sub.isChecked() else [code.id])
        self._names = {c.id: c.name for c in project.codes()}
        segments = [s for s in project.segments(sorted(self._shown_ids)) if self._wanted(s.coding)]
        items = []
        for seg in segments:
            items.append(self._item(seg))
            self._remember(len(self._keys), seg.coding)
        self.tree.addTopLevelItems(items)
        self._update_title()
        for col in range(3):
            self.tree.resizeColumnToContents(col)

    def apply_changes(self, changes: Changes) -> None:
        """Follow a committed action: a few codings added or removed change only their rows
        (re-listing a busy code's thousands of segments would cost more than the action)."""
        if self.project is None or self.code_id is None:
            return
        if (changes.codebook or changes.documents or changes.document_list or changes.texts
                or len(changes.codings) > 50):
            self.refresh()
            return
        for coding_id in sorted(changes.codings):
            try:
                coding = self.project.coding(coding_id)
            except QcdeskError:
                coding = None
            if coding_id in self._by_id:
                self._remove(coding_id)
            if coding is not None and coding.code_id in self._shown_ids and self._wanted(coding):
                self._insert(coding)
        if changes.codings:
            self._update_title()

    # ------------------------------------------------------------------ rows
    def _wanted(self, coding: Coding) -> bool:
        return self.shown_coders is None or coding.coder_id in self.shown_coders  # View ▸ Show codings of

    def _item(self, seg: Segment) -> QTreeWidgetItem:
        text = " ".join(seg.text.split())
        excerpt = text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"
        item = QTreeWidgetItem([seg.document_name, where(seg), self._names.get(seg.coding.code_id, ""), excerpt])
        item.setToolTip(3, seg.text[:2000])
        item.setData(0, RANGE_ROLE, (seg.coding.document_id, seg.coding.start, seg.coding.end))
        return item

    @staticmethod
    def _key(coding: Coding) -> tuple[int, int, int, int]:
        return (coding.document_id, coding.start, coding.end, coding.id)  # the store's order

    def _remember(self, row: int, coding: Coding) -> None:
        key = self._key(coding)
        self._keys.insert(row, key)
        self._by_id[coding.id] = key
        self._docs[coding.document_id] = self._docs.get(coding.document_id, 0) + 1

    def _insert(self, coding: Coding) -> None:
        project = self.project
        turn = project.turn_at(coding.document_id, coding.start)
        seg = Segment(coding=coding, document_name=project.document(coding.document_id).name,
                      text=project.document_text(coding.document_id)[coding.start:coding.end],
                      speaker=turn.speaker if turn else None,
                      time_start=turn.time_start if turn else None,
                      paragraph=project.paragraph_number(coding.document_id, coding.start))
        row = bisect_left(self._keys, self._key(coding))
        self.tree.insertTopLevelItem(row, self._item(seg))
        self._remember(row, coding)

    def _remove(self, coding_id: int) -> None:
        key = self._by_id.pop(coding_id)
        row = bisect_left(self._keys, key)
        del self._keys[row]
        self.tree.takeTopLevelItem(row)
        doc_id = key[0]
        self._docs[doc_id] -= 1
        if not self._docs[doc_id]:
            del self._docs[doc_id]

    def _update_title(self) -> None:
        name = self._names.get(self.code_id, "")
        n, d = len(self._keys), len(self._docs)
        self.title.setText(f"“{name}”: {n} segment{'s' * (n != 1)} in {d} document{'s' * (d != 1)}")

    def rows(self) -> list[tuple[str, str, str, str]]:
        """What the list shows, row by row (for tests and screen readers)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            out.append(tuple(item.text(c) for c in range(4)))
        return out

    def _activate(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        doc_id, start, end = item.data(0, RANGE_ROLE)
        self.segmentActivated.emit(doc_id, start, end)

    # ------------------------------------------------------------------ context menu
    def coding_id_at(self, row: int) -> int:
        """The coding listed in ``row``."""
        return self._keys[row][3]

    def _show_context_menu(self, pos) -> None:
        item = self.tree.itemAt(pos)
        if item is None:
            return
        self.tree.setCurrentItem(item)
        menu = QMenu(self)
        self.contextMenuAboutToShow.emit(menu, self.coding_id_at(self.tree.indexOfTopLevelItem(item)))
        if not menu.isEmpty():
            self._exec_menu(menu, self.tree.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _exec_menu(self, menu: QMenu, global_pos) -> None:
        menu.exec(global_pos)
