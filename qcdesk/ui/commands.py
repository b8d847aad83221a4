"""Undo commands over core operations (the orange-canvas-core pattern).

Each command holds store ids and snapshots, never a ``QModelIndex``. The first
execution happens in :meth:`ProjectCommand.execute`, called by :class:`UndoController`
before the command is pushed, so a refused operation (an empty name, a range
outside the text) shows its message and never reaches the stack. Undo and redo
call the core, whose change notifications refresh every view.
"""

from __future__ import annotations

import sqlite3
from typing import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QUndoCommand, QUndoStack

from qcdesk.core.errors import QcdeskError
from qcdesk.core.project import Project

ErrorHandler = Callable[[str, Exception], None]
#: failures of one undo or redo step that leave the file exactly as it was: every step is
#: one core action, one transaction, rolled back when it raises
ROLLED_BACK = (QcdeskError, sqlite3.Error)


class ProjectCommand(QUndoCommand):
    def __init__(self, project: Project, text: str):
        super().__init__(text)
        self.project = project
        self._first = True
        self._skip_undo = False
        self.on_error: ErrorHandler | None = None
        #: told (command, "Undo" or "Redo", exception) when a step fails; set by UndoController
        self.on_step_failed: Callable[["ProjectCommand", str, Exception], None] | None = None

    # subclasses implement these three
    def do_first(self) -> None:
        raise NotImplementedError

    def do_redo(self) -> None:
        raise NotImplementedError

    def do_undo(self) -> None:
        raise NotImplementedError

    def execute(self) -> None:
        self.do_first()

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._guard(self.do_redo, "Redo")

    def undo(self) -> None:
        if self._skip_undo:  # the stack stepping back over a redo that failed
            self._skip_undo = False
            return
        self._guard(self.do_undo, "Undo")

    def skip_next(self, verb: str) -> None:
        """Let the stack step back over this command without running it again (the step
        ``verb`` failed, so the file is still where the stack was before it)."""
        if verb == "Undo":
            self._first = True
        else:
            self._skip_undo = True

    def _guard(self, fn: Callable[[], None], verb: str) -> None:
        try:
            fn()
        except Exception as exc:  # noqa: BLE001 - Qt cannot propagate out of undo(); report instead
            if self.on_step_failed:
                self.on_step_failed(self, verb, exc)
            elif self.on_error:
                self.on_error(f"{verb} of “{self.text()}” failed", exc)
            else:
                raise


class ApplyCodingCommand(ProjectCommand):
    def __init__(self, project: Project, document_id: int, code_id: int, start: int, end: int,
                 code_name: str = ""):
        super().__init__(project, f"Code with “{code_name}”" if code_name else "Apply code")
        self.args = (document_id, code_id, start, end)
        self.coding_id: int | None = None
        self.snapshot: dict | None = None

    def do_first(self) -> None:
        before = {c.id for c in self.project.codings_for_document(self.args[0])}
        coding = self.project.apply_code(*self.args)
        self.coding_id = coding.id
        if coding.id in before:  # the same code on the same text: nothing to undo
            self.setObsolete(True)

    def do_undo(self) -> None:
        self.snapshot = self.project.remove_coding(self.coding_id)

    def do_redo(self) -> None:
        self.project.restore_coding(self.snapshot)


class RemoveCodingCommand(ProjectCommand):
    def __init__(self, project: Project, coding_id: int, code_name: str = ""):
        super().__init__(project, f"Remove coding “{code_name}”" if code_name else "Remove coding")
        self.coding_id = coding_id
        self.snapshot: dict | None = None

    def do_first(self) -> None:
        self.snapshot = self.project.remove_coding(self.coding_id)

    do_redo = do_first

    def do_undo(self) -> None:
        self.project.restore_coding(self.snapshot)


class ResizeCodingCommand(ProjectCommand):
    """Move a coding's ends (dragged in the margin, or extended to the selection): one undo step."""

    def __init__(self, project: Project, coding_id: int, start: int, end: int, code_name: str = "",
                 verb: str = "Resize"):
        super().__init__(project, f"{verb} coding “{code_name}”" if code_name else f"{verb} coding")
        coding = project.coding(coding_id)
        self.coding_id, self.new, self.old = coding_id, (start, end), (coding.start, coding.end)

    def do_first(self) -> None:
        self.project.resize_coding(self.coding_id, *self.new)
        if self.new == self.old:
            self.setObsolete(True)

    do_redo = do_first

    def do_undo(self) -> None:
        self.project.resize_coding(self.coding_id, *self.old)


class AddCodeCommand(ProjectCommand):
    def __init__(self, project: Project, name: str, parent_id: int | None = None, color: str | None = None):
        super().__init__(project, f"New code “{name}”")
        self.name, self.parent_id, self.color = name, parent_id, color
        self.code_id: int | None = None
        self.snapshot: dict | None = None

    def do_first(self) -> None:
        self.code_id = self.project.add_code(self.name, parent_id=self.parent_id, color=self.color).id

    def do_undo(self) -> None:
        self.snapshot = self.project.delete_code(self.code_id)

    def do_redo(self) -> None:
        self.project.restore_code(self.snapshot)


class InVivoCodeCommand(ProjectCommand):
    """A new code named after the selected words, applied to them: one action, one undo step."""

    def __init__(self, project: Project, document_id: int, start: int, end: int,
                 parent_id: int | None = None, name: str | None = None):
        super().__init__(project, "New code from selection")
        self.args = (document_id, start, end)
        self.parent_id, self.name = parent_id, name
        self.code_id: int | None = None
        self.snapshot: dict | None = None

    def do_first(self) -> None:
        code, _ = self.project.add_code_from_selection(*self.args, parent_id=self.parent_id, name=self.name)
        self.code_id = code.id
        self.setText(f"New code “{code.name}” from selection")

    def do_undo(self) -> None:
        self.snapshot = self.project.delete_code(self.code_id)

    def do_redo(self) -> None:
        self.project.restore_code(self.snapshot)


class UpdateCodeCommand(ProjectCommand):
    """Rename, recolour or describe: one field, old value kept for undo."""

    LABELS = {"name": "Rename code", "color": "Recolour code", "description": "Describe code"}

    def __init__(self, project: Project, code_id: int, field: str, value: str):
        super().__init__(project, self.LABELS[field])
        code = project.code(code_id)
        self.code_id, self.field, self.new, self.old = code_id, field, value, getattr(code, field)
        if field == "name":
            self.setText(f"Rename “{code.name}” to “{value}”")

    def _set(self, value: str) -> None:
        setter = {"name": self.project.rename_code, "color": self.project.set_code_color,
                  "description": self.project.set_code_description}[self.field]
        setter(self.code_id, value)

    def do_first(self) -> None:
        self._set(self.new)
        if getattr(self.project.code(self.code_id), self.field) == self.old:
            self.setObsolete(True)

    def do_redo(self) -> None:
        self._set(self.new)

    def do_undo(self) -> None:
        self._set(self.old)


class MoveCodeCommand(ProjectCommand):
    def __init__(self, project: Project, code_id: int, parent_id: int | None, row: int | None):
        super().__init__(project, f"Move code “{project.code(code_id).name}”")
        self.code_id, self.target = code_id, (parent_id, row)
        self.origin = project.code_position(code_id)

    def do_first(self) -> None:
        self.project.move_code(self.code_id, *self.target)
        if self.project.code_position(self.code_id) == self.origin:
            self.setObsolete(True)

    do_redo = do_first

    def do_undo(self) -> None:
        self.project.move_code(self.code_id, *self.origin)


class DeleteCodeCommand(ProjectCommand):
    def __init__(self, project: Project, code_id: int):
        super().__init__(project, f"Delete code “{project.code(code_id).name}”")
        self.code_id = code_id
        self.snapshot: dict | None = None

    def do_first(self) -> None:
        self.snapshot = self.project.delete_code(self.code_id)

    do_redo = do_first

    def do_undo(self) -> None:
        self.project.restore_code(self.snapshot)


class UndoController(QObject):
    """Runs commands once, pushes the successful ones, and routes every failure to one handler."""

    def __init__(self, stack: QUndoStack, on_error: ErrorHandler):
        super().__init__(stack)
        self.stack = stack
        self.on_error = on_error

    def run(self, command: ProjectCommand) -> bool:
        command.on_error = self._failed_during_history
        command.on_step_failed = self._step_failed
        try:
            command.execute()
        except QcdeskError as exc:
            self.on_error(command.text(), exc)
            return False
        if not command.isObsolete():
            self.stack.push(command)
        return True

    def _step_failed(self, command: ProjectCommand, verb: str, exc: Exception) -> None:
        """An undo or redo failed. When it was refused or rolled back the file is unchanged:
        put the stack back where it was (the history still matches the file) so the user
        can fix the cause and try again. Anything else: start a fresh history."""
        if not isinstance(exc, ROLLED_BACK):
            self._failed_during_history(f"{verb} of “{command.text()}” failed", exc)
            return
        self.on_error(f"{verb} of “{command.text()}” failed", exc)
        command.skip_next(verb)
        # after Qt leaves undo()/redo(): step back over the command without running it
        QTimer.singleShot(0, self.stack.redo if verb == "Undo" else self.stack.undo)

    def _failed_during_history(self, what: str, exc: Exception) -> None:
        self.on_error(what, exc)
        # the history no longer matches the file: start a fresh one, after Qt leaves undo()
        QTimer.singleShot(0, self.stack.clear)
