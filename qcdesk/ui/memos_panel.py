"""The Memos panel: every memo of the project grouped by what it is about, a search box, and
an editor that saves as the researcher types.

There is no Save button: a short pause in typing (``SAVE_DELAY_MS``) saves the title and
body as one action; closing the project or opening another memo saves at once. Saved
edits are not steps of the window's undo history (the editor has its own undo while
typing); creating and deleting memos are (see :mod:`qcdesk.ui.memos_feature`).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QSplitter, QTreeWidget, QTreeWidgetItem,
    QVBoxLayout, QWidget,
)

from qcdesk.core import memos
from qcdesk.core.errors import QcdeskError
from qcdesk.core.models import Changes, Memo
from qcdesk.ui import panel_state

SAVE_DELAY_MS = 600
MEMO_ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: list groups in order: target column (None: attached to nothing) and heading
GROUPS = ((None, "Project journal and notes"), ("code_id", "Codes"), ("document_id", "Documents"),
          ("case_id", "Cases"), ("coding_id", "Coded segments"))


class MemosPanel(QWidget):
    newRequested = Signal()            # a memo attached to nothing
    deleteRequested = Signal(int)      # memo id
    targetActivated = Signal(object, int)  # target column, id: show what the memo is about
    saveFailed = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = None
        self.memo_id: int | None = None
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self.save_now)

        self.search_edit = QLineEdit()
        self.search_edit.setObjectName("memoSearch")
        self.search_edit.setPlaceholderText("Search memos…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(lambda _text: self.refresh())
        self.list = QTreeWidget()
        self.list.setObjectName("memoList")
        self.list.setColumnCount(2)
        self.list.setHeaderLabels(["Memo", "About"])
        self.list.setUniformRowHeights(True)
        self.list.header().setStretchLastSection(True)
        self.list.currentItemChanged.connect(self._current_changed)
        self.list.itemDoubleClicked.connect(self._activated)
        self.new_button = QPushButton("New memo")
        self.new_button.setObjectName("memoNew")
        self.new_button.setToolTip("A memo attached to nothing: a note in the project journal")
        self.new_button.clicked.connect(self.newRequested)
        self.delete_button = QPushButton("Delete")
        self.delete_button.setObjectName("memoDelete")
        self.delete_button.clicked.connect(lambda: self.memo_id is not None and self.deleteRequested.emit(self.memo_id))
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search_edit)
        left_layout.addWidget(self.list, 1)
        left_layout.addLayout(buttons)

        self.about_label = QLabel()
        self.about_label.setObjectName("memoAbout")
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("memoTitle")
        self.title_edit.setPlaceholderText("Title")
        self.body_edit = QPlainTextEdit()
        self.body_edit.setObjectName("memoBody")
        self.body_edit.setPlaceholderText("Write your memo here; it is saved as you type.")
        self.status_label = QLabel()
        self.status_label.setObjectName("memoStatus")
        self.title_edit.textEdited.connect(self._edited)
        self.body_edit.textChanged.connect(self._edited)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.about_label)
        right_layout.addWidget(self.title_edit)
        right_layout.addWidget(self.body_edit, 1)
        right_layout.addWidget(self.status_label)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([360, 720])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self.set_project(None)

    # ------------------------------------------------------------------ project
    def set_project(self, project) -> None:
        self.save_now()
        self.project = project
        self.memo_id = None
        self._load_editor(None)
        self.search_edit.clear()
        if project is None:
            self.refresh()
        else:  # listing thousands of memos waits until the Memos tab is chosen
            panel_state.when_shown(self, "changes", self.refresh)
        editable = project is not None and not getattr(project, "read_only", False)
        self.search_edit.setEnabled(project is not None)
        self.new_button.setEnabled(editable)

    def apply_changes(self, changes: Changes) -> None:
        """Refresh after any action that may change memos or the names they are shown with."""
        if self.project is None:
            return
        # a coding's memo removed or restored with it sets ``memos``, and so does a document or a
        # code removed with its memos; other codings do not matter
        if changes.memos or changes.cases:
            self._follow_changes()
        elif changes.codebook or changes.document_list:
            # only the names shown with code and document memos (each file an import stores changes
            # the document list): when the panel is on screen
            panel_state.when_shown(self, "changes", self._follow_changes)

    def _follow_changes(self) -> None:
        if self.project is None:
            return
        self.refresh()
        if self.memo_id is not None and not self._timer.isActive():
            self._reload_if_changed()

    # ------------------------------------------------------------------ list
    def refresh(self) -> None:
        """Rebuild the list (all memos by target, or the search hits), keeping the open memo current."""
        self.list.blockSignals(True)
        self.list.clear()
        if self.project is not None:
            query = self.search_edit.text().strip()
            if query:
                found = [(h.memo, h.snippet) for h in self.project.memos.search(query)]
            else:
                found = [(m, None) for m in self.project.memos.all()]
            groups: dict[str | None, list[tuple[Memo, str | None]]] = {}
            for memo, snippet in found:
                groups.setdefault(memos.target_of(memo)[0], []).append((memo, snippet))
            for column, heading in GROUPS:
                entries = groups.get(column)
                if not entries:
                    continue
                group = QTreeWidgetItem(self.list, [f"{heading} ({len(entries)})", ""])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                group.setFirstColumnSpanned(True)
                for memo, snippet in entries:
                    label = self.project.memos.target_label(memo)
                    about = snippet if snippet is not None else label.partition(": ")[2] or label
                    item = QTreeWidgetItem(group, [memo.title or "(untitled)", about])
                    item.setData(0, MEMO_ID_ROLE, memo.id)
                    item.setToolTip(0, f"{label}\nlast changed {memo.modified[:16].replace('T', ' ')}")
                    item.setToolTip(1, snippet or label)
                    if memo.id == self.memo_id:
                        self.list.setCurrentItem(item)
            self.list.expandAll()
            self.list.resizeColumnToContents(0)
        self.list.blockSignals(False)

    def item_for(self, memo_id: int) -> QTreeWidgetItem | None:
        for g in range(self.list.topLevelItemCount()):
            group = self.list.topLevelItem(g)
            for i in range(group.childCount()):
                if group.child(i).data(0, MEMO_ID_ROLE) == memo_id:
                    return group.child(i)
        return None

    def shown_titles(self) -> list[str]:
        """Group headings and memo titles as the list shows them (indented by two spaces)."""
        out = []
        for g in range(self.list.topLevelItemCount()):
            group = self.list.topLevelItem(g)
            out.append(group.text(0))
            out.extend("  " + group.child(i).text(0) for i in range(group.childCount()))
        return out

    def open_memo(self, memo_id: int) -> None:
        """Show ``memo_id`` in the editor (clearing a search that hides it) and select it."""
        if self.item_for(memo_id) is None and self.search_edit.text():
            self.search_edit.clear()
        item = self.item_for(memo_id)
        if item is not None:
            self.list.setCurrentItem(item)
        else:
            self._switch_to(memo_id)
        self.body_edit.setFocus()

    def _current_changed(self, current: QTreeWidgetItem | None, _previous) -> None:
        memo_id = current.data(0, MEMO_ID_ROLE) if current is not None else None
        if memo_id is not None and memo_id != self.memo_id:
            self._switch_to(memo_id)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        memo_id = item.data(0, MEMO_ID_ROLE)
        if memo_id is None or self.project is None:
            return
        column, target_id = memos.target_of(self.project.memos.get(memo_id))
        if column is not None:
            self.targetActivated.emit(column, target_id)

    # ------------------------------------------------------------------ editor
    def _switch_to(self, memo_id: int | None) -> None:
        self.save_now()
        self.memo_id = memo_id
        memo = None
        if memo_id is not None and self.project is not None:
            try:
                memo = self.project.memos.get(memo_id)
            except QcdeskError:
                self.memo_id = memo = None
        self._load_editor(memo)

    def _load_editor(self, memo: Memo | None) -> None:
        self._loading = True
        try:
            self.title_edit.setText(memo.title if memo else "")
            if memo is None or self.body_edit.toPlainText() != memo.body:
                self.body_edit.setPlainText(memo.body if memo else "")
        finally:
            self._loading = False
        editable = memo is not None and not getattr(self.project, "read_only", False)
        for widget in (self.title_edit, self.body_edit):
            widget.setEnabled(memo is not None)
            widget.setReadOnly(not editable)
        self.delete_button.setEnabled(editable)
        self.about_label.setText(f"<b>{self.project.memos.target_label(memo)}</b>" if memo else
                                 "Choose a memo, or start one with “Memo…” on a code, a document or a coded "
                                 "segment.")
        self.status_label.setText("")

    def _reload_if_changed(self) -> None:
        """An undo or another view changed the open memo (or deleted it): show what is stored."""
        try:
            memo = self.project.memos.get(self.memo_id)
        except QcdeskError:
            self.memo_id = None
            self._load_editor(None)
            return
        if (memo.title, memo.body) != (self.title_edit.text(), self.body_edit.toPlainText()):
            self._load_editor(memo)

    def _edited(self, *_args) -> None:
        if self._loading or self.memo_id is None:
            return
        self.status_label.setText("Editing…")
        self._timer.start()

    def pending(self) -> bool:
        return self._timer.isActive()

    def save_now(self) -> None:
        """Save the editor's title and body now if they changed: one action."""
        self._timer.stop()
        if self.memo_id is None or self.project is None or getattr(self.project, "read_only", False):
            return
        try:
            self.project.memos.update(self.memo_id, title=self.title_edit.text(), body=self.body_edit.toPlainText())
        except QcdeskError as exc:
            self.saveFailed.emit(str(exc))
            return
        self.status_label.setText("Saved")
