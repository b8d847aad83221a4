"""The window's undoable edits of cases and attribute values (named commands)."""

from __future__ import annotations

from qcdesk.core.project import Project
from qcdesk.ui.commands import CoreCommand


def add_case(project: Project, name: str) -> CoreCommand:
    return CoreCommand(f"New case “{name}”", lambda: project.cases.add(name))


def rename_case(project: Project, case_id: int, name: str) -> CoreCommand:
    return CoreCommand(f"Rename case to “{name}”", lambda: project.cases.rename(case_id, name))


def delete_case(project: Project, case_id: int) -> CoreCommand:
    return CoreCommand(f"Delete case “{project.cases.get(case_id).name}”", lambda: project.cases.delete(case_id))


def set_case_documents(project: Project, case_id: int, document_ids: list[int]) -> CoreCommand:
    ids = list(document_ids)
    return CoreCommand(f"Documents of “{project.cases.get(case_id).name}”",
                       lambda: project.cases.set_documents(case_id, ids))


def set_attribute_value(project: Project, case_id: int, attribute_id: int, raw: object) -> CoreCommand:
    """One cell of the attribute table; undo puts back the stored text exactly."""
    name = project.attributes.get(attribute_id).name
    return CoreCommand(f"Set {name} of “{project.cases.get(case_id).name}”",
                       lambda: project.attributes.set_value(case_id, attribute_id, raw))


def delete_attribute(project: Project, attribute_id: int) -> CoreCommand:
    return CoreCommand(f"Delete attribute “{project.attributes.get(attribute_id).name}”",
                       lambda: project.attributes.delete(attribute_id))
