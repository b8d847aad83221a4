"""Undo commands for reorganising the codebook: merge, move many, sort, and criteria.

Like :mod:`qcdesk.ui.commands` they hold ids and core snapshots only; undo restores
the snapshot taken when the operation ran, redo runs the operation again.
"""

from __future__ import annotations

from qcdesk.core import codebook_ops as ops
from qcdesk.core.project import Project
from qcdesk.ui.commands import ProjectCommand


def _names(project: Project, ids: list[int]) -> str:
    names = [f"“{project.code(i).name}”" for i in ids[:3]]
    return ", ".join(names) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")


class MergeCodesCommand(ProjectCommand):
    def __init__(self, project: Project, source_ids: list[int], target_id: int):
        super().__init__(project, f"Merge {_names(project, source_ids)} into “{project.code(target_id).name}”")
        self.source_ids, self.target_id = list(source_ids), target_id
        self.snapshot: dict | None = None

    def do_first(self) -> None:
        self.snapshot = ops.merge_codes(self.project, self.source_ids, self.target_id)

    do_redo = do_first

    def do_undo(self) -> None:
        ops.unmerge(self.project, self.snapshot)


class _PositionsCommand(ProjectCommand):
    """A change of where codes stand; undo puts every code back where it was."""

    snapshot: dict | None = None

    def do_first(self) -> None:
        self.snapshot = self.apply()
        if ops.positions_snapshot(self.project) == self.snapshot:
            self.setObsolete(True)  # already in that order: nothing to undo

    do_redo = do_first

    def do_undo(self) -> None:
        ops.restore_positions(self.project, self.snapshot)

    def apply(self) -> dict:
        raise NotImplementedError


class MoveCodesCommand(_PositionsCommand):
    def __init__(self, project: Project, ids: list[int], parent_id: int | None, row: int | None):
        where = f"into “{project.code(parent_id).name}”" if parent_id is not None else "to the top level"
        super().__init__(project, f"Move {_names(project, ids)} {where}")
        # a negative row (a drop after the last) means: after the last
        self.ids, self.parent_id, self.row = list(ids), parent_id, row if row is None or row >= 0 else None

    def apply(self) -> dict:
        return ops.move_codes(self.project, self.ids, self.parent_id, self.row)


class SortCodesCommand(_PositionsCommand):
    def __init__(self, project: Project, parent_id: int | None, key: str, recursive: bool = False):
        what = f"the codes in “{project.code(parent_id).name}”" if parent_id is not None else "the top-level codes"
        super().__init__(project, f"Sort {what} {'A–Z' if key == 'name' else 'by count'}")
        self.parent_id, self.key, self.recursive = parent_id, key, recursive

    def apply(self) -> dict:
        return ops.sort_codes(self.project, self.parent_id, self.key, self.recursive)


class CodeCriteriaCommand(ProjectCommand):
    """Description, inclusion, exclusion and example of one code, edited together."""

    def __init__(self, project: Project, code_id: int, values: dict[str, str]):
        code = project.code(code_id)
        super().__init__(project, f"Edit the criteria of “{code.name}”")
        self.code_id = code_id
        self.old = ops.criteria(code)
        self.new = {k: v for k, v in values.items() if k in ops.CRITERIA_FIELDS}

    def do_first(self) -> None:
        code = ops.set_code_criteria(self.project, self.code_id, **self.new)
        if ops.criteria(code) == self.old:
            self.setObsolete(True)

    def do_redo(self) -> None:
        ops.set_code_criteria(self.project, self.code_id, **self.new)

    def do_undo(self) -> None:
        ops.set_code_criteria(self.project, self.code_id, **self.old)
