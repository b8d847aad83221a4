"""The window's undoable edits of cases and attribute values (named commands)."""

from __future__ import annotations

from qcdesk.core import attributes as attrs
from qcdesk.core import cases
from qcdesk.core.project import Project
from qcdesk.ui.commands import CoreCommand


def add_case(project: Project, name: str) -> CoreCommand:
    return CoreCommand(f"New case “{name}”", lambda: cases.add_case(project, name))


def rename_case(project: Project, case_id: int, name: str) -> CoreCommand:
    return CoreCommand(f"Rename case to “{name}”", lambda: cases.rename_case(project, case_id, name))


def delete_case(project: Project, case_id: int) -> CoreCommand:
    return CoreCommand(f"Delete case “{cases.case(project, case_id).name}”", lambda: cases.delete_case(project, case_id))


def set_case_documents(project: Project, case_id: int, document_ids: list[int]) -> CoreCommand:
    ids = list(document_ids)
    return CoreCommand(f"Documents of “{cases.case(project, case_id).name}”",
                       lambda: cases.set_case_documents(project, case_id, ids))


def set_attribute_value(project: Project, case_id: int, attribute_id: int, raw: object) -> CoreCommand:
    """One cell of the attribute table; undo puts back the stored text exactly."""
    name = attrs.attribute(project, attribute_id).name
    return CoreCommand(f"Set {name} of “{cases.case(project, case_id).name}”",
                       lambda: attrs.set_value(project, case_id, attribute_id, raw))


def delete_attribute(project: Project, attribute_id: int) -> CoreCommand:
    return CoreCommand(f"Delete attribute “{attrs.attribute(project, attribute_id).name}”",
                       lambda: attrs.delete_attribute(project, attribute_id))
