"""Parsing files in worker processes while earlier ones are stored, handed back in order (issue 19).

Parsing a Word transcript is mostly Python (lxml builds the tree, the layout and assembling run
in Python), so worker *threads* took turns on Python's lock with each other and with the thread
storing the files. Worker processes parse truly at the same time; a parsed document comes back
as its text and the rows storage inserts (see :meth:`ParsedDocument.__reduce__`).

Processes are started with ``spawn`` on every system (no fork of a process running Qt or holding
SQLite connections); a frozen bundle needs ``multiprocessing.freeze_support()`` in its entry point
(``qcdesk/__main__.py``). Processes are used only where they pay (:func:`worth_processes`);
otherwise threads of this process parse, as before. The first file is parsed in this process
while the workers start, and so is a file this process has open as a project (only here can it
be recognised and refused). If worker processes cannot be started, threads parse instead; if one
dies, the files it may have held are parsed again in a new pool, the one it died on alone.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool, ProcessPoolExecutor
from pathlib import Path

from qcdesk.core.errors import ImportFailed
from qcdesk.core.importers import dispatch
from qcdesk.core.importers.base import ParsedDocument

#: worker processes: as many as there are cores, at most 4 (a 250,000-character transcript takes
#: about 35 ms to parse and 16-18 ms to store, so more than this would only wait)
WORKERS = max(1, min(4, os.cpu_count() or 1))
#: files parsed, or being parsed, beyond the ones stored: bounds the memory held by parsed
#: documents, and what a cancel leaves parsed for nothing
AHEAD = WORKERS + 1

#: files smaller than this in all are parsed in threads of this process: starting two workers
#: costs about 0.45 CPU s (measured; mostly importing lxml and the readers), about what parsing
#: 1 MB of Word files costs (a 250,000-character transcript is a 92 KB file parsed in 35 ms)
MIN_BYTES_FOR_WORKERS = 1_000_000

Result = tuple[ParsedDocument | None, str | None]
BROKEN = "the reader stopped unexpectedly while reading it; the file may be damaged"


def parse_result(path: Path | str) -> Result:
    """(ParsedDocument, None) or (None, why it could not be read); never raises."""
    try:
        return dispatch.parse_file(path), None
    except ImportFailed as exc:
        return None, exc.reason
    except Exception as exc:  # noqa: BLE001 - an importer bug must not stop the other files
        return None, f"unexpected error while reading: {exc}"


def parse_packed(path: Path | str) -> Result:
    """:func:`parse_result` with the document packed as a worker process sends it (see
    :meth:`ParsedDocument.packed`): a thread of the importing process does that work, not the
    thread that stores (in the window, the one that paints)."""
    doc, why = parse_result(path)
    if doc is not None:
        doc = doc.packed(checked=True)  # parse_file has just checked it
    return doc, why


def worth_processes(paths: list[Path]) -> bool:
    """Whether parsing ``paths`` in worker processes should pay for starting them: two files or
    more, together large enough (:data:`MIN_BYTES_FOR_WORKERS`), and a core to spare. When the
    machine is already busy (the last minute's load average at least its number of cores), worker
    processes only take turns with the rest and cost their start-up on top (measured at load
    average 13 on 2 cores: 25-30 % more CPU time and slower than threads); then threads parse."""
    if len(paths) < 2:
        return False
    size = 0
    for path in paths:
        try:
            size += path.stat().st_size
        except OSError:
            continue
    try:
        busy = os.getloadavg()[0] >= (os.cpu_count() or 1)
    except (AttributeError, OSError):  # Windows has no load average
        busy = False
    return size >= MIN_BYTES_FOR_WORKERS and not busy


def _in_this_process(path: Path) -> bool:
    connection = sys.modules.get("qcdesk.core.storage.connection")
    return connection is not None and connection.opened_here(path)


def _parsed(future: Future) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


class AheadParser:
    """Parses ``paths`` in worker processes (or threads, see :func:`worth_processes`): :meth:`submit`
    starts one, :meth:`result` waits for it.

    The caller decides how far ahead it submits (see :data:`AHEAD`); :meth:`close` stops what was
    not started and waits for the files being parsed."""

    def __init__(self, paths: list[Path], workers: int = WORKERS, *, processes: bool | None = None):
        self.paths = paths
        self.workers = max(1, min(workers, len(paths)))
        self.jobs: dict[int, Future] = {}
        self._in_pool: set[int] = set()  # files handed to the worker processes
        #: parse in worker processes (else in threads of this one); None: when :func:`worth_processes`
        self.processes = worth_processes(paths) if processes is None else processes
        threads = 1 if self.processes else self.workers
        self._local = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="qcdesk-parse")
        self._pool: Executor | None = None

    def _executor(self) -> Executor:
        if not self.processes:
            return self._local
        if self._pool is None:
            try:
                self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
            except (OSError, ImportError, NotImplementedError):  # e.g. no semaphores: threads it is
                self.processes = False
                return self._local
        return self._pool

    def submit(self, i: int) -> None:
        """Start parsing file ``i`` unless it is started already."""
        if i in self.jobs or i >= len(self.paths):
            return
        path = self.paths[i]
        # the first file is parsed here while the worker processes start (about 0.2 CPU s each,
        # mostly importing lxml and the readers), so neither this process nor they wait idle
        local = i == 0 or not self.processes or _in_this_process(path)
        executor = self._local if local else self._executor()
        try:
            self.jobs[i] = executor.submit(parse_packed if executor is self._local else parse_result, path)
            if executor is self._pool:
                self._in_pool.add(i)
        except (BrokenProcessPool, RuntimeError):  # the pool died (or could not start a process)
            self._restart()
            self.jobs[i] = self._local.submit(parse_packed, path)

    def result(self, i: int, timeout: float | None = None) -> Result:
        """File ``i`` parsed, or why not; raises ``concurrent.futures.TimeoutError`` after ``timeout``."""
        self.submit(i)
        future = self.jobs.pop(i)
        executor_was_pool = i in self._in_pool
        self._in_pool.discard(i)
        try:
            outcome = future.result(timeout)
        except FutureTimeout:
            self.jobs[i] = future
            if executor_was_pool:
                self._in_pool.add(i)
            raise
        except BrokenProcessPool:
            # a worker died (a reader crashed, or it ran out of memory): that file or another one
            # in flight; this one is read again alone, in a new worker, to tell which
            self._restart()
            try:
                with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as alone:
                    outcome = alone.submit(parse_result, self.paths[i]).result()
            except BrokenProcessPool:
                outcome = None, BROKEN
        return outcome

    def _restart(self) -> None:
        """A new pool for the files after a dead worker, started again where they were in flight."""
        broken, self._pool = self._pool, None
        if broken is not None:
            broken.shutdown(wait=False, cancel_futures=True)
        lost = [j for j in sorted(self._in_pool & self.jobs.keys()) if not _parsed(self.jobs[j])]
        self._in_pool.clear()
        for j in lost:
            del self.jobs[j]
            self.submit(j)

    def close(self) -> None:
        for executor in (self._pool, self._local):
            if executor is not None:
                executor.shutdown(wait=True, cancel_futures=True)
        self.jobs.clear()
