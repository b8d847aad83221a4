"""The window's undoable codebook edits (named commands over ``project.codebook``)."""

from __future__ import annotations

from qcdesk.core.codebook import CRITERIA_FIELDS
from qcdesk.core.project import Project
from qcdesk.ui.commands import CoreCommand


def _names(project: Project, ids: list[int]) -> str:
    names = [f"“{project.code(i).name}”" for i in ids[:3]]
    return ", ".join(names) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")


def add_code(project: Project, name: str, parent_id: int | None = None, color: str | None = None) -> CoreCommand:
    return CoreCommand(f"New code “{name}”", lambda: project.codebook.add(name, parent_id=parent_id, color=color))


#: what an edit of one field of a code is called in the Edit menu
LABELS = {"name": "Rename code", "color": "Recolour code"}


def update_code(project: Project, code_id: int, field: str, value: str) -> CoreCommand:
    """Rename or recolour a code (its description is one of its criteria: :func:`code_criteria`)."""
    setter = {"name": project.codebook.rename, "color": project.codebook.set_color}[field]
    text = f"Rename “{project.code(code_id).name}” to “{value}”" if field == "name" else LABELS[field]
    return CoreCommand(text, lambda: setter(code_id, value))


def move_code(project: Project, code_id: int, parent_id: int | None, row: int | None) -> CoreCommand:
    return CoreCommand(f"Move code “{project.code(code_id).name}”",
                       lambda: project.codebook.move(code_id, parent_id, row))


def delete_code(project: Project, code_id: int) -> CoreCommand:
    return CoreCommand(f"Delete code “{project.code(code_id).name}”", lambda: project.codebook.delete(code_id))


def merge_codes(project: Project, source_ids: list[int], target_id: int) -> CoreCommand:
    ids = list(source_ids)
    return CoreCommand(f"Merge {_names(project, ids)} into “{project.code(target_id).name}”",
                       lambda: project.codebook.merge(ids, target_id))


def move_codes(project: Project, ids: list[int], parent_id: int | None, row: int | None) -> CoreCommand:
    where = f"into “{project.code(parent_id).name}”" if parent_id is not None else "to the top level"
    ids = list(ids)
    row = row if row is None or row >= 0 else None  # a negative row (a drop after the last): after the last
    return CoreCommand(f"Move {_names(project, ids)} {where}", lambda: project.codebook.move_many(ids, parent_id, row))


def sort_codes(project: Project, parent_id: int | None, key: str, recursive: bool = False) -> CoreCommand:
    what = f"the codes in “{project.code(parent_id).name}”" if parent_id is not None else "the top-level codes"
    return CoreCommand(f"Sort {what} {'A–Z' if key == 'name' else 'by count'}",
                       lambda: project.codebook.sort(parent_id, key, recursive))


def code_criteria(project: Project, code_id: int, values: dict[str, str]) -> CoreCommand:
    """Description, inclusion, exclusion and example of one code, edited together."""
    new = {k: v for k, v in values.items() if k in CRITERIA_FIELDS}
    return CoreCommand(f"Edit the criteria of “{project.code(code_id).name}”",
                       lambda: project.codebook.set_criteria(code_id, **new))
