"""Document sets in the window: the documents panel's set chooser, its "Sets" button and the
context menu on selected documents (Add to set ▸ …, New set…, Remove from set ▸ …), each change
one undo step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from qcdesk.core.models import Changes
from qcdesk.core.project import Project
from qcdesk.ui import dialogs
from qcdesk.ui.commands import sets as set_cmd

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices


class SetsFeature:
    def __init__(self, window: "WindowServices"):
        self.window = window
        self.panel = window.documents
        self.project: Project | None = None
        menu = self.panel.sets_menu
        self.act_new = self._action(menu, "New set from selected documents…", "actionNewSet", self.new_set)
        menu.addSeparator()
        self.act_rename = self._action(menu, "Rename set…", "actionRenameSet", self.rename_shown_set)
        self.act_delete = self._action(menu, "Delete set", "actionDeleteSet", self.delete_shown_set)
        self.panel.set_box.currentIndexChanged.connect(lambda _i: self._update_enabled())
        self.panel.contextMenuAboutToShow.connect(self._document_menu)
        self.panel.newSetRequested.connect(lambda: self.new_set())
        window.projectOpened.connect(self._opened)
        window.projectClosing.connect(self._closing)
        self._update_enabled()

    def _action(self, menu: QMenu, text: str, name: str, slot) -> QAction:
        action = menu.addAction(text)
        action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # ------------------------------------------------------------------ project
    def _opened(self, _path: str) -> None:
        self.project = self.window.project
        self.project.subscribe(self._changes)
        self._update_enabled()

    def _closing(self) -> None:
        if self.project is not None:
            self.project.unsubscribe(self._changes)
        self.project = None
        self._update_enabled()

    def _changes(self, changes: Changes) -> None:
        if changes.sets and not changes.document_list:  # the window refreshes the list for those
            self.panel.refresh()
        self._update_enabled()

    def _editable(self) -> bool:
        return self.project is not None and not self.project.read_only

    def _update_enabled(self) -> None:
        shown = self.panel.shown_set_id() is not None
        self.act_new.setEnabled(self._editable())
        self.act_rename.setEnabled(self._editable() and shown)
        self.act_delete.setEnabled(self._editable() and shown)

    # ------------------------------------------------------------------ the context menu
    def _document_menu(self, menu: QMenu, _document_id: int) -> None:
        if self.project is None:
            return
        selected = self.panel.selected_document_ids()
        all_sets = self.project.sets.with_documents()
        menu.addSeparator()
        add = menu.addMenu("Add to set")
        add.setObjectName("menuAddToSet")
        add.setEnabled(self._editable())
        for group in all_sets:
            missing = [d for d in selected if d not in group.document_ids]
            action = add.addAction(group.set.name)
            action.setObjectName(f"addToSet:{group.set.id}")
            action.setEnabled(bool(missing))
            action.triggered.connect(lambda _c=False, s=group.set.id, ids=selected: self.add_to_set(s, ids))
        if all_sets:
            add.addSeparator()
        new = add.addAction("New set…")
        new.setObjectName("actionNewSetFromMenu")
        new.triggered.connect(lambda _c=False, ids=selected: self.new_set(ids))
        holding = [g for g in all_sets if any(d in g.document_ids for d in selected)]
        remove = menu.addMenu("Remove from set")
        remove.setObjectName("menuRemoveFromSet")
        remove.setEnabled(self._editable() and bool(holding))
        for group in holding:
            action = remove.addAction(group.set.name)
            action.setObjectName(f"removeFromSet:{group.set.id}")
            action.triggered.connect(lambda _c=False, s=group.set.id, ids=selected: self.remove_from_set(s, ids))

    # ------------------------------------------------------------------ actions
    def new_set(self, document_ids: list[int] | None = None) -> bool:
        if not self._editable():
            return False
        ids = self.panel.selected_document_ids() if document_ids is None else document_ids
        count = f" with {len(ids)} document{'s' * (len(ids) != 1)}" if ids else ""
        name = dialogs.ask_text(self.window, "New document set", f"Name of the new set{count}:")
        if name is None:
            return False
        return self.window.undo.run(set_cmd.create_set(self.project, name, ids))

    def add_to_set(self, set_id: int, document_ids: list[int]) -> bool:
        return self._editable() and self.window.undo.run(set_cmd.add_to_set(self.project, set_id, document_ids))

    def remove_from_set(self, set_id: int, document_ids: list[int]) -> bool:
        return self._editable() and self.window.undo.run(set_cmd.remove_from_set(self.project, set_id, document_ids))

    def rename_shown_set(self) -> bool:
        set_id = self.panel.shown_set_id()
        if not self._editable() or set_id is None:
            return False
        current = self.project.sets.get(set_id).name
        name = dialogs.ask_text(self.window, "Rename document set", "New name of the set:", current)
        if name is None:
            return False
        return self.window.undo.run(set_cmd.rename_set(self.project, set_id, name))

    def delete_shown_set(self) -> bool:
        """Delete the set the panel shows (its documents stay; Undo brings the set back)."""
        set_id = self.panel.shown_set_id()
        if not self._editable() or set_id is None:
            return False
        return self.window.undo.run(set_cmd.delete_set(self.project, set_id))


def install(window: "WindowServices") -> SetsFeature:
    return SetsFeature(window)
