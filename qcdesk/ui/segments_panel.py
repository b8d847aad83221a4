"""The coded segments of the selected code across all documents; click one to jump there.

The rows are known from the codings alone; their text is read when they come on screen
(:mod:`qcdesk.ui.segments_model`).
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QHBoxLayout, QLabel, QMenu, QTableView, QVBoxLayout,
                               QWidget)

from qcdesk.core.errors import QcdeskError
from qcdesk.core.models import Changes, Coding
from qcdesk.core.project import Project
from qcdesk.ui.segments_model import EXCERPT, RANGE_ROLE, SegmentsModel, format_time, where

__all__ = ["EXCERPT", "RANGE_ROLE", "SegmentsPanel", "format_time", "where"]

_PROMPT = "Select a code to see its coded segments."


class SegmentsPanel(QWidget):
    """Lists segments; ``segmentActivated(document_id, start, end)`` when one is clicked."""

    segmentActivated = Signal(int, int, int)
    #: (QMenu, coding id) before a segment's context menu shows: feature modules add their entries
    contextMenuAboutToShow = Signal(object, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.project: Project | None = None
        self.code_id: int | None = None
        self._shown_ids: set[int] = set()
        self._names: dict[int, str] = {}
        #: coder ids whose segments are listed; None lists every coder's
        self.shown_coders: set[int] | None = None
        self.title = QLabel(_PROMPT)
        self.title.setObjectName("segmentsTitle")
        self.include_sub = QCheckBox("Include sub-codes")
        self.include_sub.setChecked(True)
        self.include_sub.toggled.connect(self.refresh)
        self.model = SegmentsModel(self)
        # a table, not a tree: a tree view asks every row whether it has children each time
        # a row is inserted (16,000 calls into Python for a busy code)
        self.tree = QTableView()
        self.tree.setObjectName("segmentsList")
        self.tree.setModel(self.model)
        self.tree.verticalHeader().hide()
        self.tree.verticalHeader().setDefaultSectionSize(self.tree.fontMetrics().height() + 6)
        self.tree.setShowGrid(False)
        self.tree.setWordWrap(False)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.horizontalHeader().setStretchLastSection(True)
        # columns sized to the rows on screen only: sizing them to 1,000 rows read the speaker
        # turns of as many transcripts on each click
        self.tree.horizontalHeader().setResizeContentsPrecision(0)
        self.tree.setAlternatingRowColors(True)
        self.tree.activated.connect(self._activate)
        self.tree.clicked.connect(self._activate)
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

    def _clear(self) -> None:
        self.code_id = None
        self._shown_ids = set()
        self.model.reset(None, [], {})
        self.title.setText(_PROMPT)

    def refresh(self) -> None:
        if self.project is None or self.code_id is None:
            self._clear()
            return
        project = self.project
        try:
            project.code(self.code_id)
        except QcdeskError:  # the code was deleted meanwhile
            self._clear()
            return
        self._shown_ids = set(project.subtree_ids(self.code_id) if self.include_sub.isChecked() else [self.code_id])
        self._names = {c.id: c.name for c in project.codes()}
        codings = [c for c in project.codings_for_codes(sorted(self._shown_ids)) if self._wanted(c)]
        self.model.reset(project, codings, self._names)
        self._update_title()
        for col in range(3):
            self.tree.resizeColumnToContents(col)

    def apply_changes(self, changes: Changes) -> None:
        """Follow a committed action: a few codings added or removed change only their rows
        (re-listing a busy code's thousands of segments would cost more than the action), and
        codes added or renamed elsewhere in the codebook change no row at all."""
        if self.project is None or self.code_id is None:
            return
        if (changes.documents or changes.document_list or changes.texts or len(changes.codings) > 50
                or (changes.codebook and (changes.codings or not self._follow_codebook()))):
            self.refresh()
            return
        for coding_id in sorted(changes.codings):
            try:
                coding = self.project.coding(coding_id)
            except QcdeskError:
                coding = None
            if coding_id in self.model:
                self.model.remove(coding_id)
            if coding is not None and coding.code_id in self._shown_ids and self._wanted(coding):
                self.model.insert(coding)
        if changes.codings:
            self._update_title()

    def _follow_codebook(self) -> bool:
        """After a codebook change, bring the names up to date without re-listing the rows;
        False when the rows themselves may have changed (the shown code's sub-codes moved,
        merged or deleted), which needs a refresh."""
        project = self.project
        try:
            project.code(self.code_id)
        except QcdeskError:
            return False
        ids = set(project.subtree_ids(self.code_id) if self.include_sub.isChecked() else [self.code_id])
        added = ids - self._shown_ids
        if not ids >= self._shown_ids or (added and any(project.code_counts(added).values())):
            return False  # a code left the subtree, or one came in with codings of its own
        self._shown_ids = ids
        names = {c.id: c.name for c in project.codes()}
        if names != self._names:
            self._names = names
            self.model.rename_codes(names)
            self._update_title()
        return True

    # ------------------------------------------------------------------ rows
    def _wanted(self, coding: Coding) -> bool:
        return self.shown_coders is None or coding.coder_id in self.shown_coders  # View ▸ Show codings of

    def _update_title(self) -> None:
        name = self._names.get(self.code_id, "")
        n, d = self.model.rowCount(), self.model.document_count
        self.title.setText(f"“{name}”: {n} segment{'s' * (n != 1)} in {d} document{'s' * (d != 1)}")

    def row_count(self) -> int:
        return self.model.rowCount()

    def rows(self) -> list[tuple[str, str, str, str]]:
        """What the list shows, row by row (for tests and screen readers; reads every row's text)."""
        return [self.model.cells(row) for row in range(self.model.rowCount())]

    def _activate(self, index: QModelIndex) -> None:
        doc_id, start, end = self.model.data(index, RANGE_ROLE)
        self.segmentActivated.emit(doc_id, start, end)

    # ------------------------------------------------------------------ context menu
    def coding_id_at(self, row: int) -> int:
        """The coding listed in ``row``."""
        return self.model.coding_id(row)

    def _show_context_menu(self, pos) -> None:
        index = self.tree.indexAt(pos)
        if not index.isValid():
            return
        self.tree.setCurrentIndex(index)
        menu = QMenu(self)
        self.contextMenuAboutToShow.emit(menu, self.coding_id_at(index.row()))
        if not menu.isEmpty():
            self._exec_menu(menu, self.tree.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _exec_menu(self, menu: QMenu, global_pos) -> None:
        menu.exec(global_pos)
