"""Undo commands for document sets (set ids, document ids and snapshots only, never model indexes)."""

from __future__ import annotations

from qcdesk.core import document_sets as ds
from qcdesk.core.project import Project
from qcdesk.ui.commands import ProjectCommand


class CreateSetCommand(ProjectCommand):
    def __init__(self, project: Project, name: str, document_ids: list[int] = ()):
        super().__init__(project, f"New set “{' '.join(name.split())}”")
        self.name, self.document_ids = name, list(document_ids)
        self.set_id: int | None = None
        self.snapshot: dict | None = None

    def do_first(self) -> None:
        self.set_id = ds.create_set(self.project, self.name, self.document_ids).id

    def do_undo(self) -> None:
        self.snapshot = ds.delete_set(self.project, self.set_id)

    def do_redo(self) -> None:
        ds.restore_set(self.project, self.snapshot)


class RenameSetCommand(ProjectCommand):
    def __init__(self, project: Project, set_id: int, name: str):
        self.old = ds.document_set(project, set_id).name
        super().__init__(project, f"Rename set “{self.old}”")
        self.set_id, self.new = set_id, name

    def do_first(self) -> None:
        if ds.rename_set(self.project, self.set_id, self.new).name == self.old:
            self.setObsolete(True)

    do_redo = do_first

    def do_undo(self) -> None:
        ds.rename_set(self.project, self.set_id, self.old)


class DeleteSetCommand(ProjectCommand):
    def __init__(self, project: Project, set_id: int):
        super().__init__(project, f"Delete set “{ds.document_set(project, set_id).name}”")
        self.set_id = set_id
        self.snapshot: dict | None = None

    def do_first(self) -> None:
        self.snapshot = ds.delete_set(self.project, self.set_id)

    do_redo = do_first

    def do_undo(self) -> None:
        ds.restore_set(self.project, self.snapshot)


class AddToSetCommand(ProjectCommand):
    """Put documents in a set; undo takes out only those that were not in it before."""

    def __init__(self, project: Project, set_id: int, document_ids: list[int]):
        super().__init__(project, f"Add to set “{ds.document_set(project, set_id).name}”")
        self.set_id, self.document_ids = set_id, list(document_ids)
        self.added: list[int] = []

    def do_first(self) -> None:
        self.added = ds.add_documents(self.project, self.set_id, self.document_ids)
        if not self.added:
            self.setObsolete(True)

    def do_redo(self) -> None:
        ds.add_documents(self.project, self.set_id, self.added)

    def do_undo(self) -> None:
        ds.remove_documents(self.project, self.set_id, self.added)


class RemoveFromSetCommand(ProjectCommand):
    """Take documents out of a set; undo puts back only those that were in it."""

    def __init__(self, project: Project, set_id: int, document_ids: list[int]):
        super().__init__(project, f"Remove from set “{ds.document_set(project, set_id).name}”")
        self.set_id, self.document_ids = set_id, list(document_ids)
        self.removed: list[int] = []

    def do_first(self) -> None:
        self.removed = ds.remove_documents(self.project, self.set_id, self.document_ids)
        if not self.removed:
            self.setObsolete(True)

    def do_redo(self) -> None:
        ds.remove_documents(self.project, self.set_id, self.removed)

    def do_undo(self) -> None:
        ds.add_documents(self.project, self.set_id, self.removed)
