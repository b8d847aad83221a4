"""Long work off the main thread, with progress and cancel.

SQLite connections belong to the thread that made them. Import workers only
*parse* (pure functions of the files, in worker processes when that pays); every
parsed file comes back to the main thread, which stores it as one action. Export
workers open their own read-only connection to the project file.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from qcdesk.core.errors import QcdeskError
from qcdesk.core.importers.parallel import AheadParser


class ImportParser(QObject):
    """Parses files ahead of the main thread and hands them over in the order given.

    ``WORKERS`` files are parsed at the same time, in worker processes when that pays (see
    :mod:`qcdesk.core.importers.parallel`, else in threads), while the main thread stores earlier
    ones. At most ``AHEAD`` files are parsed, or being parsed, beyond those the main thread has
    stored (it calls :meth:`stored` after each): that bounds the memory held by parsed documents,
    and without it every file would be parsed and queued before the user's Cancel is even seen,
    so Cancel would stop nothing.
    """

    WORKERS = max(2, min(4, os.cpu_count() or 1))
    AHEAD = 2 * WORKERS + 1  # why: see parallel.AHEAD
    #: how long :meth:`run` waits at most before it looks again without being woken (a safety net)
    POLL_SECONDS = 0.05

    parsed = Signal(str, object)  # path, ParsedDocument
    failed = Signal(str, str)  # path, reason
    progress = Signal(int, int, str)  # done, total, current file name
    finished = Signal()

    def __init__(self, paths: list[Path]):
        super().__init__()
        self.paths = paths
        self._cancel = threading.Event()
        self._room = threading.Semaphore(self.AHEAD)
        #: set when the main thread has stored a file or a parse has ended: :meth:`run` looks again
        self._wake = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()
        self._wake.set()

    def stored(self) -> None:
        """The main thread is done with one parsed file: the next may be parsed."""
        self._room.release()
        self._wake.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @Slot()
    def run(self) -> None:
        total = len(self.paths)
        submitted = 0  # files handed to the parser; files before ``i`` were handed to the main thread
        parser = AheadParser(self.paths, self.WORKERS, on_done=self._wake.set)
        try:
            i = 0
            while i < total and not self._cancel.is_set():
                # Cleared before looking, so a file stored, a parse ended or a cancel from here on
                # wakes the wait below (a cancel just before the clear is seen by the test after it).
                # A file is submitted as soon as there is room, not only once the file handed over
                # next is parsed: waiting for that one left a worker idle meanwhile.
                self._wake.clear()
                if self._cancel.is_set():
                    break
                while submitted < total and self._room.acquire(blocking=False):
                    parser.submit(submitted)
                    submitted += 1
                if submitted == i or not parser.ready(i):  # no room, or file i is still being parsed
                    self._wake.wait(self.POLL_SECONDS)
                    continue
                doc, why = parser.result(i)  # parsed: no wait
                if self._cancel.is_set():
                    break
                path = self.paths[i]
                self.progress.emit(i, total, path.name)
                if why is None:
                    self.parsed.emit(str(path), doc)  # the room is given back by stored()
                else:
                    self.failed.emit(str(path), why or "could not be read")
                    self._room.release()
                i += 1
        finally:
            parser.close()
        self.progress.emit(total, total, "")
        self.finished.emit()


class ExportJob(QObject):
    """Writes a report from a read-only connection of its own."""

    progress = Signal(int, int)
    done = Signal(str)  # output path
    failed = Signal(str)  # message
    finished = Signal()

    def __init__(self, project_path: Path, kind: str, out: Path, options: object = None,
                 passphrase: str | None = None):
        super().__init__()
        self.args = (project_path, kind, out, options, passphrase)

    @Slot()
    def run(self) -> None:
        from qcdesk.core.project import Project
        from qcdesk.core.reports import write_report
        from qcdesk.ui.report_charts import render_chart

        project_path, kind, out, options, passphrase = self.args
        try:
            with Project.open(project_path, passphrase=passphrase, read_only=True) as project:
                written = write_report(project, kind, out, options,
                                       progress=lambda d, t: self.progress.emit(d, t),
                                       chart_renderer=render_chart)
            self.done.emit(str(written))
        except QcdeskError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(f"Could not write {out.name}: {exc.strerror or exc}")
        except Exception as exc:  # noqa: BLE001 - report any bug instead of dying silently
            self.failed.emit(f"The report could not be written: {exc}")
        self.finished.emit()


def end_thread(thread: QThread | None, timeout_ms: int) -> bool:
    """Wait, on the main thread, for a thread :func:`start_in_thread` started; True once it has ended.

    The worker's ``finished`` reaches ``thread.quit`` through the main thread's event loop (the
    thread object lives there), and that loop is blocked while we wait: without the ``quit`` here
    the thread's event loop would run on and the wait last its whole timeout. ``quit`` does not
    cut the worker short: its ``run`` goes on to its end (cancel it first to make that soon), and
    only then does the thread see it. Nothing is queued to an object that may be deleted meanwhile.
    """
    if thread is None:
        return True
    try:
        thread.quit()
        return thread.wait(timeout_ms)
    except RuntimeError:  # already finished and deleted (its deleteLater ran)
        return True


def start_in_thread(worker: QObject, owner: QObject, on_finished: Callable[[], None] | None = None) -> QThread:
    """Move ``worker`` to a new thread owned by ``owner``, run ``worker.run``, clean up after.

    The caller keeps a Python reference to ``worker`` until ``on_finished`` and drops it there:
    Python alone deletes it, on the main thread. (A ``deleteLater`` as well made the ending
    thread and Python's garbage collection delete it at the same moment: a crash.)
    """
    thread = QThread(owner)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    thread.finished.connect(thread.deleteLater)
    if on_finished is not None:
        thread.finished.connect(on_finished)
    thread.start()
    return thread
