"""Undo commands for cases and attribute values (ids and snapshots only, never model indexes)."""

from __future__ import annotations

from qcdesk.core import attributes as attrs
from qcdesk.core import cases
from qcdesk.core.project import Project
from qcdesk.ui.commands import ProjectCommand


class AddCaseCommand(ProjectCommand):
    def __init__(self, project: Project, name: str):
        super().__init__(project, f"New case “{name}”")
        self.name = name
        self.case_id: int | None = None
        self.snapshot: dict | None = None

    def do_first(self) -> None:
        self.case_id = cases.add_case(self.project, self.name).id

    def do_undo(self) -> None:
        self.snapshot = cases.delete_case(self.project, self.case_id)

    def do_redo(self) -> None:
        cases.restore_case(self.project, self.snapshot)


class RenameCaseCommand(ProjectCommand):
    def __init__(self, project: Project, case_id: int, name: str):
        super().__init__(project, f"Rename case to “{name}”")
        self.case_id, self.new = case_id, name
        self.old = cases.case(project, case_id).name

    def do_first(self) -> None:
        cases.rename_case(self.project, self.case_id, self.new)

    do_redo = do_first

    def do_undo(self) -> None:
        cases.rename_case(self.project, self.case_id, self.old)


class DeleteCaseCommand(ProjectCommand):
    def __init__(self, project: Project, case_id: int):
        super().__init__(project, f"Delete case “{cases.case(project, case_id).name}”")
        self.case_id = case_id
        self.snapshot: dict | None = None

    def do_first(self) -> None:
        self.snapshot = cases.delete_case(self.project, self.case_id)

    do_redo = do_first

    def do_undo(self) -> None:
        cases.restore_case(self.project, self.snapshot)


class SetCaseDocumentsCommand(ProjectCommand):
    def __init__(self, project: Project, case_id: int, document_ids: list[int]):
        super().__init__(project, f"Documents of “{cases.case(project, case_id).name}”")
        self.case_id, self.new = case_id, list(document_ids)
        self.old = cases.case_documents(project, case_id)

    def do_first(self) -> None:
        cases.set_case_documents(self.project, self.case_id, self.new)

    do_redo = do_first

    def do_undo(self) -> None:
        cases.set_case_documents(self.project, self.case_id, self.old)


class SetAttributeValueCommand(ProjectCommand):
    """One cell of the attribute table; undo puts back the stored text exactly."""

    def __init__(self, project: Project, case_id: int, attribute_id: int, raw: object):
        attr = attrs.attribute(project, attribute_id)
        super().__init__(project, f"Set {attr.name} of “{cases.case(project, case_id).name}”")
        self.case_id, self.attribute_id, self.raw = case_id, attribute_id, raw
        self.old = attrs.stored_value(project, case_id, attribute_id)
        self.new: str | None = None

    def do_first(self) -> None:
        attrs.set_value(self.project, self.case_id, self.attribute_id, self.raw)
        self.new = attrs.stored_value(self.project, self.case_id, self.attribute_id)
        if self.new == self.old:
            self.setObsolete(True)

    def do_redo(self) -> None:
        attrs.set_value(self.project, self.case_id, self.attribute_id, self.new)

    def do_undo(self) -> None:
        attrs.set_value(self.project, self.case_id, self.attribute_id, self.old)


class DeleteAttributeCommand(ProjectCommand):
    def __init__(self, project: Project, attribute_id: int):
        super().__init__(project, f"Delete attribute “{attrs.attribute(project, attribute_id).name}”")
        self.attribute_id = attribute_id
        self.snapshot: dict | None = None

    def do_first(self) -> None:
        self.snapshot = attrs.delete_attribute(self.project, self.attribute_id)

    do_redo = do_first

    def do_undo(self) -> None:
        attrs.restore_attribute(self.project, self.snapshot)
