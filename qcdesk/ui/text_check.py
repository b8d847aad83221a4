"""Each time a project opens, its transcripts' texts are compared with their import fingerprints.

SQLite's integrity check (run before a project opens) cannot see a byte changed inside a row, so
a worker thread reads every text through a read-only connection of its own and hashes it (see
:mod:`qcdesk.core.check`); the window stays usable meanwhile. Damaged documents are named in a
message that offers File ▸ Restore from backup…; a sound project says nothing.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QThread, Signal, Slot

from qcdesk.ui import dialogs, workers

if TYPE_CHECKING:
    from qcdesk.ui.main_window import MainWindow


class TextCheckJob(QObject):
    """Hashes every document's text from its own read-only connection (SQLite's are per thread)."""

    done = Signal(int, list)  # run number, [(document id, name)] of damaged documents
    failed = Signal(int, str)  # run number, message
    finished = Signal()

    def __init__(self, run: int, path: Path, passphrase: str | None, immutable: bool):
        super().__init__()
        self.run_number = run
        self.args = (path, passphrase, immutable)
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        from qcdesk.core import check
        from qcdesk.core.errors import QcdeskError
        from qcdesk.core.storage import connection

        path, passphrase, immutable = self.args
        try:
            db = connection.connect(path, passphrase=passphrase, read_only=True, immutable=immutable)
            try:
                damaged = check.damaged_documents(db, cancelled=self._cancel.is_set)
            finally:
                db.close()
            if not self._cancel.is_set():
                self.done.emit(self.run_number, [(d.id, d.name) for d in damaged])
        except QcdeskError as exc:
            self.failed.emit(self.run_number, str(exc))
        except Exception as exc:  # noqa: BLE001 - a damaged file may fail in any driver error
            self.failed.emit(self.run_number, f"the texts could not be read ({exc})")
        self.finished.emit()


class TextCheck(QObject):
    """Lives in the main thread, so the job's results arrive there (queued), not in the worker."""

    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self._run = 0
        self._job: TextCheckJob | None = None
        self._thread: QThread | None = None
        #: damaged documents found by the last finished check of the open project, None before that
        self.last_result: list[tuple[int, str]] | None = None
        window.projectOpened.connect(lambda _path: self.start())
        window.projectClosing.connect(self.stop)

    def running(self) -> bool:
        return self._thread is not None

    def start(self) -> None:
        """Check the open project's texts in the background (a check still running is stopped)."""
        self.stop()
        project = self.window.project
        if project is None:
            return
        self._run += 1
        self.last_result = None
        immutable = getattr(project, "read_only_notice", None) is not None  # opened from read-only media
        job = TextCheckJob(self._run, Path(project.path), project.passphrase, immutable)
        job.done.connect(self._done)
        job.failed.connect(self._failed)
        self._job = job
        self._thread = workers.start_in_thread(job, self.window, on_finished=self._thread_ended)

    def stop(self) -> None:
        """Stop a check still running and wait for its thread (it ends within one document)."""
        self._run += 1  # whatever it still reports is about a project no longer open
        job, thread = self._job, self._thread
        self._job = self._thread = None
        if job is not None:
            job.cancel()
        if thread is not None and shiboken6.isValid(thread):
            thread.quit()
            thread.wait()

    @Slot()
    def _thread_ended(self) -> None:
        thread = self._thread
        if thread is None or not shiboken6.isValid(thread) or not thread.isRunning():
            self._job = self._thread = None

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
        backup_actions = getattr(self.window, "backup_actions", None)
        if project.read_only or backup_actions is None:
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
    def _failed(self, run: int, message: str) -> None:
        if run != self._run or self.window.project is None:
            return
        self.window.statusBar().showMessage(f"The texts could not be checked: {message}", 30_000)


def install(window: "MainWindow") -> TextCheck:
    return TextCheck(window)
