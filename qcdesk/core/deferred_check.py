"""SQLite's full integrity check of a project opened without it, and the first write waiting for it.

Opening a large project must not wait for the full check (about 1–2 s for 160 MB): a file exactly as
this machine last closed it cleanly opens after reading its header and schema
(:mod:`qcdesk.core.clean_close`), any other file after SQLite's quick check (every page's structure,
a fifth of the time), when the window opens it (``Project.open(..., defer_check=True)``). The full
check, which also compares every index with its table, then runs once, in whichever thread asks
first: the window's background thread (:mod:`qcdesk.ui.text_check`), or the first change, which
waits for it. Nothing is written before it has passed: if it finds damage, that change is refused
and the project becomes read-only (``Project.found_damaged``).
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from qcdesk.core import check
from qcdesk.core.errors import OperationError

if TYPE_CHECKING:
    from qcdesk.core.project import Project


class FullCheck:
    """The full check of one open project's file, run at most once to the end (thread-safe)."""

    def __init__(self, path: Path, passphrase: str | None, *, immutable: bool = False):
        self.path = path
        self.passphrase = passphrase
        self.immutable = immutable
        #: held by the thread running the check: another that wants the result waits on it
        self._lock = threading.Lock()
        self._problem = ""
        self._finished = threading.Event()

    @property
    def result(self) -> str | None:
        """The first problem found ("" when sound), or None while not finished."""
        return self._problem if self._finished.is_set() else None

    def run(self, cancelled: Callable[[], bool] | None = None) -> str | None:
        """Run the check in this thread unless it has finished (waiting for another thread running
        it): the first problem SQLite found ("" when sound), or None when ``cancelled`` stopped it
        first (then nothing is known, and the next caller runs it again)."""
        with self._lock:
            if not self._finished.is_set():
                problems = check.sqlite_problems(self.path, self.passphrase, immutable=self.immutable,
                                                 cancelled=cancelled)
                if problems is None:
                    return None
                self._problem = problems[0] if problems else ""
                self._finished.set()
            return self._problem


def wait_before_write(project: "Project") -> None:
    """Before the first write after opening without the full check (``Project.action`` calls it):
    wait for the check, or run it here if no other thread is running it, telling
    ``project.check_wait_listener`` while it waits; refuse the write, with the message of
    ``Project.found_damaged``, when it found damage."""
    full_check = project.full_check
    if full_check is None:
        return
    problem = full_check.result
    if problem is None:
        listener = project.check_wait_listener
        if listener is not None:
            listener(True)
        try:
            problem = full_check.run()
            if problem:
                project.found_damaged(problem)
        finally:
            if listener is not None:
                listener(False)
    if problem:
        raise OperationError(project.found_damaged(problem))
    project.check_passed()
