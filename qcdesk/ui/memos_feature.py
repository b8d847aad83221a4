"""Memos in the window: the Memos panel, Project ▸ Project journal, and "Memo…" entries on
codes (codebook), documents (documents list) and coded segments (transcript menu, and the coded
segments panel's menu: add, edit, remove). A coded segment with a memo has a mark in the margin;
clicking it opens the memo.

"Memo…" opens the memo already attached to that thing or starts one; starting and
deleting a memo are undo steps, typing is saved by the panel as the user writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from qcdesk.core.project import Project
from qcdesk.ui import dialogs
from qcdesk.ui.commands import CoreCommand
from qcdesk.ui.memos_panel import MemosPanel

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices


class MemosFeature:
    def __init__(self, window: "WindowServices"):
        self.window = window
        self.project: Project | None = None
        self.panel = MemosPanel()
        self.dock = window.add_panel("Memos", "memosDock", self.panel)
        self.act_journal = QAction("Project &journal", window)
        self.act_journal.setObjectName("actionProjectJournal")
        self.act_journal.setStatusTip("Open the project journal: a memo about the whole study")
        self.act_journal.triggered.connect(lambda _checked=False: self.open_journal())
        window.project_menu.addAction(self.act_journal)

        self.panel.newRequested.connect(self.new_note)
        self.panel.deleteRequested.connect(self.delete_memo)
        self.panel.targetActivated.connect(self.show_target)
        self.panel.saveFailed.connect(lambda text: dialogs.error(window, "Memo not saved", text))
        window.codebook.memoRequested.connect(lambda code_id: self.open_memo(code_id=code_id))
        window.documents.contextMenuAboutToShow.connect(self._document_menu)
        window.transcriptMenuAboutToShow.connect(self._transcript_menu)
        window.segments.contextMenuAboutToShow.connect(self._segment_menu)
        window.transcript.margin.memoClicked.connect(lambda coding_id: self.open_memo(coding_id=coding_id))
        window.projectOpened.connect(self._opened)
        window.projectClosing.connect(self._closing)
        self._update_enabled()

    # ------------------------------------------------------------------ project
    def _opened(self, _path: str) -> None:
        self.project = self.window.project
        self.project.subscribe(self.panel.apply_changes)
        self.project.subscribe(self._mark_changes)
        self.panel.set_project(self.project)
        self._update_marks()
        self._update_enabled()

    def _closing(self) -> None:
        self.panel.set_project(None)  # saves what is being typed first
        if self.project is not None:
            self.project.unsubscribe(self.panel.apply_changes)
            self.project.unsubscribe(self._mark_changes)
        self.project = None
        self._update_marks()
        self._update_enabled()

    def _mark_changes(self, changes) -> None:
        if changes.memos:
            self._update_marks()
        elif changes.codings and self.project is not None:
            # only the codings changed can have gained or lost a memo (issue 19: re-reading every
            # memo after each coding cost 12-50 ms on a project with 5,000 memos)
            margin = self.window.transcript.margin
            with_memo = self.project.memos.codings_with_memos(changes.codings)
            margin.memo_codings = (set(margin.memo_codings) - changes.codings) | with_memo
            margin.update()

    def _update_marks(self) -> None:
        """The margin marks the coded segments that have a memo."""
        margin = self.window.transcript.margin
        counts = self.project.memos.counts() if self.project is not None else {}
        margin.memo_codings = {target for (column, target), n in counts.items() if column == "coding_id" and n}
        margin.update()

    def _editable(self) -> bool:
        return self.project is not None and not self.project.read_only

    def _update_enabled(self) -> None:
        self.act_journal.setEnabled(self.project is not None)

    # ------------------------------------------------------------------ opening memos
    def open_memo(self, **target: int) -> int | None:
        """Show the memo on ``target`` (code_id=, document_id=, case_id= or coding_id=; none: the
        journal), starting it if there is none. Returns the memo id."""
        if self.project is None:
            return None
        attached = any(v is not None for v in target.values())
        found = self.project.memos.on(**target) if attached else self.project.memos.journal()
        if found is None:
            if not self._editable():
                return None
            project = self.project
            command = CoreCommand("Start memo", lambda: project.memos.ensure(**target),
                                  named=lambda memo: f"Start memo “{memo.title}”")  # type: ignore[attr-defined]
            if not self.window.undo.run(command):
                return None
            memo_id = command.value.id  # type: ignore[attr-defined]
        else:
            memo_id = found.id
        self.window.show_panel(self.dock)
        self.panel.open_memo(memo_id)
        return memo_id

    def open_journal(self) -> int | None:
        return self.open_memo()

    def new_note(self) -> None:
        if self._editable():
            project = self.project
            command = CoreCommand("New note", lambda: project.memos.create("New note"))
            if self.window.undo.run(command):
                self.panel.open_memo(command.value.id)  # type: ignore[attr-defined]
                self.panel.title_edit.selectAll()
                self.panel.title_edit.setFocus()

    def delete_memo(self, memo_id: int) -> None:
        if self._editable():
            self.panel.save_now()
            project = self.project
            title = project.memos.get(memo_id).title or "untitled"
            self.window.undo.run(CoreCommand(f"Delete memo “{title}”", lambda: project.memos.delete(memo_id)))

    def show_target(self, column: str, target_id: int) -> None:
        """Double-click on a memo: show what it is about."""
        if column == "code_id":
            self.window.codebook.select_code(target_id)
        elif column == "document_id":
            self.window.documents.select(target_id)
        elif column == "coding_id":
            coding = self.project.coding(target_id)
            self.window.jump_to(coding.document_id, coding.start, coding.end)

    # ------------------------------------------------------------------ menus of other views
    def _document_menu(self, menu, document_id: int) -> None:
        if self.project is None:
            return
        action = menu.addAction("Memo…")
        action.setObjectName("actionDocumentMemo")
        action.setEnabled(self._editable() or self.project.memos.on(document_id=document_id) is not None)
        action.triggered.connect(lambda _checked=False: self.open_memo(document_id=document_id))

    def _transcript_menu(self, menu, codings: list) -> None:
        if self.project is None or not codings:
            return
        menu.addSeparator()
        sub = menu.addMenu("Memo on coded segment")
        sub.setObjectName("menuCodingMemo")
        counts = self.project.memos.counts()
        for coding in codings:
            name = self.project.code(coding.code_id).name
            has = counts.get(("coding_id", coding.id), 0)
            action = sub.addAction(f"{name}{' (has a memo)' if has else ''}…")
            action.setEnabled(self._editable() or bool(has))
            action.triggered.connect(lambda _checked=False, cid=coding.id: self.open_memo(coding_id=cid))


    def _segment_menu(self, menu, coding_id: int) -> None:
        """A coded segment's memo: add one, or edit or remove the one it has (each undoable)."""
        if self.project is None:
            return
        found = self.project.memos.on(coding_id=coding_id)
        menu.addSeparator()
        if found is None:
            action = menu.addAction("Add memo…")
            action.setObjectName("actionAddSegmentMemo")
            action.setEnabled(self._editable())
            action.triggered.connect(lambda _checked=False: self.open_memo(coding_id=coding_id))
            return
        edit = menu.addAction("Edit memo…")
        edit.setObjectName("actionEditSegmentMemo")
        edit.triggered.connect(lambda _checked=False: self.open_memo(coding_id=coding_id))
        remove = menu.addAction("Remove memo")
        remove.setObjectName("actionRemoveSegmentMemo")
        remove.setEnabled(self._editable())
        remove.triggered.connect(lambda _checked=False, m=found.id: self.delete_memo(m))


def install(window: "WindowServices") -> MemosFeature:
    return MemosFeature(window)
