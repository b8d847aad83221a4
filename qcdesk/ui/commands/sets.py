"""The window's undoable edits of document sets (named commands)."""

from __future__ import annotations

from qcdesk.core.project import Project
from qcdesk.ui.commands import CoreCommand


def create_set(project: Project, name: str, document_ids: list[int] = ()) -> CoreCommand:
    ids = list(document_ids)
    return CoreCommand(f"New set “{' '.join(name.split())}”", lambda: project.sets.create(name, ids))


def rename_set(project: Project, set_id: int, name: str) -> CoreCommand:
    return CoreCommand(f"Rename set “{project.sets.get(set_id).name}”",
                       lambda: project.sets.rename(set_id, name))


def delete_set(project: Project, set_id: int) -> CoreCommand:
    return CoreCommand(f"Delete set “{project.sets.get(set_id).name}”", lambda: project.sets.delete(set_id))


def add_to_set(project: Project, set_id: int, document_ids: list[int]) -> CoreCommand:
    """Put documents in a set; undo takes out only those that were not in it before."""
    ids = list(document_ids)
    return CoreCommand(f"Add to set “{project.sets.get(set_id).name}”",
                       lambda: project.sets.add_documents(set_id, ids))


def remove_from_set(project: Project, set_id: int, document_ids: list[int]) -> CoreCommand:
    """Take documents out of a set; undo puts back only those that were in it."""
    ids = list(document_ids)
    return CoreCommand(f"Remove from set “{project.sets.get(set_id).name}”",
                       lambda: project.sets.remove_documents(set_id, ids))
