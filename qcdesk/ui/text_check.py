"""Each time a project opens, its transcripts' texts are compared with their import fingerprints.

SQLite's integrity check (run before a project opens) cannot see a byte changed inside a row, so
a worker thread reads every text through a read-only connection of its own and hashes it (see
:mod:`qcdesk.core.check`); the window stays usable meanwhile. Damaged documents are named in a
message that offers File ▸ Restore from backup…; a sound project says nothing. Each sound text
read is also folded for search as it goes (:func:`qcdesk.core.search.prime`, within its memory
bound), so that the researcher's searches read no text; a search started earlier reads them itself.

When opening left SQLite's full integrity check to the background (always in the window: only the
header, or SQLite's quick check, was read: :mod:`qcdesk.core.deferred_check`), the same thread runs
it first. If it finds damage the project becomes read-only at once, and the status bar and a message
say so in one line; if not, the project may be sealed again when it closes. A change made before it
has finished waits for it (nothing is written before), with a busy cursor and :data:`WAIT_MESSAGE`
in the status bar; damage it finds then refuses that change, whose message says so (once).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication

from qcdesk.ui import dialogs

if TYPE_CHECKING:
    from qcdesk.core.deferred_check import FullCheck
    from qcdesk.ui.window_services import WindowServices

#: the status bar while a change waits for the full check of the file opened without it
WAIT_MESSAGE = "Checking the project file before the first change…"


def check_texts(path: Path, passphrase: str | None, immutable: bool, cancelled: Callable[[], bool],
                sound: Callable[[int, str, bytes], None] | None = None) -> list[tuple[int, str]]:
    """The damaged documents' (id, name), read through a read-only connection of this thread's own
    (``sound``: called with each sound text, see :func:`qcdesk.core.check.damaged_documents`)."""
    from qcdesk.core import check
    from qcdesk.core.storage import connection

    db = connection.connect(path, passphrase=passphrase, read_only=True, immutable=immutable)
    try:
        return [(d.id, d.name) for d in check.damaged_documents(db, cancelled=cancelled, sound=sound)]
    finally:
        db.close()


class TextCheck(QObject):
    """Runs the check in a plain worker thread; its results come back through this object's
    signals, which Qt queues to the main thread (this object lives there)."""

    #: run number, [(document id, name)] of damaged documents
    done = Signal(int, list)
    #: run number, message
    failed = Signal(int, str)
    #: run number, the first problem SQLite's deferred integrity check found ("" when none)
    file_checked = Signal(int, str)

    def __init__(self, window: "WindowServices"):
        super().__init__(window)
        self.window = window
        self._run = 0
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        #: damaged documents found by the last finished check of the open project, None before that
        self.last_result: list[tuple[int, str]] | None = None
        self.done.connect(self._done)
        self.failed.connect(self._failed)
        self.file_checked.connect(self._file_checked)
        window.projectOpened.connect(lambda _path: self.start())
        window.projectClosing.connect(self.stop)

    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Check the open project's texts in the background (a check still running is stopped)."""
        self.stop()
        project = self.window.project
        if project is None:
            return
        self._run += 1
        self.last_result = None
        self._cancel = threading.Event()
        immutable = getattr(project, "read_only_notice", None) is not None  # opened from read-only media
        from qcdesk.core import search

        full_check = getattr(project, "full_check", None)
        if full_check is not None and project.check_deferred and not project.read_only:
            project.check_wait_listener = self._waiting  # a change made before it ends waits for it
        else:
            full_check = None
        args = (self._run, Path(project.path), project.passphrase, immutable, self._cancel, full_check,
                search.prime(project))
        self._thread = threading.Thread(target=self._work, args=args, name="qcdesk text check", daemon=True)
        self._thread.start()

    def _work(self, run: int, path: Path, passphrase: str | None, immutable: bool,
              cancel: threading.Event, full_check: "FullCheck | None",
              prime: Callable[[int, str, bytes], None]) -> None:
        from qcdesk.core.errors import QcdeskError

        try:
            if full_check is not None:
                # shared with the project: a change that cannot wait for this thread waits here too
                problem = full_check.run(cancelled=cancel.is_set)
                if problem is None or cancel.is_set():
                    return
                self.file_checked.emit(run, problem)
                if problem:
                    return  # the texts of a damaged file are not worth reading
            damaged = check_texts(path, passphrase, immutable, cancel.is_set, prime)
        except QcdeskError as exc:
            message = str(exc)
        except Exception as exc:  # noqa: BLE001 - a damaged file may fail with any driver error
            message = f"the texts could not be read ({exc})"
        else:
            if not cancel.is_set():
                self.done.emit(run, damaged)
            return
        if not cancel.is_set():
            self.failed.emit(run, message)

    def stop(self) -> None:
        """Stop a check still running and wait for it (it ends within one document)."""
        self._run += 1  # whatever it still reports is about a project no longer open
        self._cancel.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()

    @Slot(int, list)
    def _done(self, run: int, damaged: list) -> None:
        if run != self._run or self.window.project is None:
            return
        self.last_result = [tuple(d) for d in damaged]
        if not damaged:
            return
        project = self.window.project
        names = ", ".join(f"“{name}”" for _id, name in damaged)
        many = len(damaged) > 1
        text = (f"The text of {names} {'are' if many else 'is'} no longer the text that was imported: "
                f"{project.path.name} was damaged on disk (SQLite's own check cannot see this kind of "
                f"damage). Codings, searches and quotes from {'them' if many else 'it'} may be wrong.")
        self.window.statusBar().showMessage(f"Damaged: {names}", 30_000)
        backup_actions = self.window.backup_actions
        if project.read_only:
            dialogs.warning(self.window, "Damaged documents",
                            f"{text}\n\nOpen the project where you can change it and restore it from a "
                            "backup (File ▸ Restore from backup…), or import the documents again.")
            return
        if dialogs.confirm(self.window, "Damaged documents",
                           f"{text}\n\nRestore the project from a backup now (File ▸ Restore from "
                           "backup…)? The project as it is now is backed up first."):
            if backup_actions.restore():
                self.start()  # the backup chosen may be damaged too

    @Slot(int, str)
    def _file_checked(self, run: int, problem: str) -> None:
        project = self.window.project
        if run != self._run or project is None:
            return
        if not problem:
            project.check_passed()
            return
        if project.damage is not None:
            # a change made before this signal came found it first, and its refusal said so
            self._became_damaged(project.damage)
            return
        message = project.found_damaged(problem)
        self._became_damaged(message)
        dialogs.warning(self.window, "Project damaged", message)

    def _became_damaged(self, message: str) -> None:
        """The open project was found damaged: it is read-only now and is not sealed at close."""
        self.window.settings.set_clean_close_seal(self.window.project.path, None)
        self.last_result = None
        self.window.project_became_read_only()
        self.window.statusBar().showMessage(message)

    def _waiting(self, waiting: bool) -> None:
        """A change waits for the full check (``Project.check_wait_listener``), in this (the main)
        thread, which stays blocked until it ends: a busy cursor and a status line say why."""
        status = self.window.statusBar()
        if waiting:
            QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
            status.showMessage(WAIT_MESSAGE)
            status.repaint()  # now: no event is processed before the check ends
            return
        QApplication.restoreOverrideCursor()
        project = self.window.project
        if project is not None and project.damage is not None:
            self._became_damaged(project.damage)  # the refused change's message says it, once
        elif status.currentMessage() == WAIT_MESSAGE:
            status.clearMessage()

    @Slot(int, str)
    def _failed(self, run: int, message: str) -> None:
        if run != self._run or self.window.project is None:
            return
        self.window.statusBar().showMessage(f"The texts could not be checked: {message}", 30_000)


def install(window: "WindowServices") -> TextCheck:
    return TextCheck(window)
