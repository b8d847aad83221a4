"""The window's undo: one command class over core operations that return their inverse.

A core operation the window can undo returns a :class:`~qcdesk.core.undo.Done` (its value and
the :class:`~qcdesk.core.undo.Undo` that reverses it). :class:`CoreCommand` wraps such a call:
the first execution happens in :meth:`CoreCommand.execute`, called by :class:`UndoController`
before the command is pushed, so a refused operation (an empty name, a range outside the text)
shows its message and never reaches the stack; an operation that changed nothing (``undo`` is
None) is obsolete and not pushed. Undo runs the inverse and keeps the inverse's own Undo for
redo, so redo never depends on ids being handed out again. Every change notification of the
core refreshes the views. The small factories in ``commands/*.py`` name the commands.
"""

from __future__ import annotations

import sqlite3
from typing import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QUndoCommand, QUndoStack

from qcdesk.core.errors import QcdeskError
from qcdesk.core.undo import Done, Undo

ErrorHandler = Callable[[str, Exception], None]
#: failures of one undo or redo step that leave the file exactly as it was: every step is
#: one core action, one transaction, rolled back when it raises
ROLLED_BACK = (QcdeskError, sqlite3.Error)


class CoreCommand(QUndoCommand):
    """One undo step over a core operation: ``first`` runs it and returns its :class:`Done`
    (or directly its :class:`Undo`, None when nothing changed). ``named`` may rename the step
    from the operation's value (an in-vivo code's name is known once it is made)."""

    def __init__(self, text: str, first: Callable[[], Done | Undo | None],
                 named: Callable[[object], str] | None = None):
        super().__init__(text)
        self._run_first: Callable[[], Done | Undo | None] | None = first
        self._named = named
        #: the operation's value, once it ran
        self.value: object = None
        self._undo: Undo | None = None
        self._redo: Undo | None = None
        self._first = True
        self._skip_undo = False
        self.on_error: ErrorHandler | None = None
        #: told (command, "Undo" or "Redo", exception) when a step fails; set by UndoController
        self.on_step_failed: Callable[["CoreCommand", str, Exception], None] | None = None

    def execute(self) -> None:
        first, self._run_first = self._run_first, None  # runs once; what it holds (a passphrase) is not kept
        assert first is not None, "a command runs once"
        result = first()
        if isinstance(result, Done):
            self.value, self._undo = result.value, result.undo
        else:
            self._undo = result
        if self._named is not None:
            self.setText(self._named(self.value))
        if self._undo is None:  # nothing changed: nothing to undo
            self.setObsolete(True)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._guard(self._step_redo, "Redo")

    def undo(self) -> None:
        if self._skip_undo:  # the stack stepping back over a redo that failed
            self._skip_undo = False
            return
        self._guard(self._step_undo, "Undo")

    def _step_undo(self) -> None:
        assert self._undo is not None  # an obsolete command never reaches the stack
        self._redo = self._undo.run()

    def _step_redo(self) -> None:
        assert self._redo is not None  # redo follows an undo
        self._undo = self._redo.run()

    def skip_next(self, verb: str) -> None:
        """Let the stack step back over this command without running it again (the step
        ``verb`` failed and was rolled back, so the file is still where the stack was before it)."""
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


class UndoController(QObject):
    """Runs commands once, pushes the successful ones, and routes every failure to one handler."""

    def __init__(self, stack: QUndoStack, on_error: ErrorHandler):
        super().__init__(stack)
        self.stack = stack
        self.on_error = on_error

    def run(self, command: CoreCommand) -> bool:
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

    def _step_failed(self, command: CoreCommand, verb: str, exc: Exception) -> None:
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
