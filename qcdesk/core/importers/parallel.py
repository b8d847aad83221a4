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

Starting a worker costs about 0.1 CPU s (a new interpreter importing lxml and the readers, and
reading a made-up transcript); two, with multiprocessing's resource tracker, about 0.25 CPU s
(``benchmarks/import_bench.py``, 2026-12-05), what QualCoder takes to import 20 Word transcripts.
So :func:`warm_up` starts
the workers *before* an import is asked for, while the researcher is still choosing files (the
window calls it when its Import dialog opens or files are dragged over it; the command line
before it opens the project). An import then leases that pool (:class:`WarmPool`) instead of
starting its own; after :data:`IDLE_SECONDS` without an import its processes end.
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import os
import pickle
import queue
import sys
import threading
import time
import zipfile
from concurrent.futures import CancelledError, Executor, Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool, ProcessPoolExecutor
from pathlib import Path
from typing import Callable

from qcdesk.core.errors import ImportFailed
from qcdesk.core.importers import dispatch
from qcdesk.core.importers.base import ParsedDocument

#: worker processes: as many as there are cores, at most 4 (a 250,000-character transcript takes
#: about 35 ms to parse and 16-18 ms to store, so more than this would only wait)
WORKERS = max(1, min(4, os.cpu_count() or 1))
#: files parsed, or being parsed, beyond the one being stored: bounds the memory held by parsed
#: documents (a 250,000-character transcript is about 2 MB parsed), and what a cancel leaves parsed
#: for nothing. Room for every worker to parse one while as many wait to be stored: with one file
#: fewer than that, a worker sat idle whenever the storing fell behind (issue 19)
AHEAD = 2 * WORKERS + 1
#: how far below the importing process the workers run (``nice``; below normal on Windows): when
#: cores are short, the thread that stores the parsed files and paints the window goes first, and
#: the workers take what is left
WORKER_NICENESS = 10

#: files smaller than this in all are parsed in threads of this process unless workers are warm:
#: starting two workers costs about 0.25 CPU s (see the module's docstring), what parsing some
#: 20 Word transcripts of 250,000 characters (92 KB files, about 11 ms each) costs, and parsed files
#: must then travel between processes. Measured cold, 20 such files (1.8 MB): threads as fast
#: (0.33-0.37 against 0.37 s) for 40 % less
#: CPU; 30 files: 0.46 against 0.48 s; 40 files (3.7 MB): workers faster, 0.59 against 0.65 s
MIN_BYTES_FOR_WORKERS = 3_000_000

#: a warmed pool's processes end after this many seconds without an import leasing it
IDLE_SECONDS = 90.0

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
    """:func:`parse_result` with the document packed as it is sent from a worker process (see
    :meth:`ParsedDocument.packed`), checked once: where it is parsed (a worker process, or a
    thread of the importing process), not again when it is sent, nor in the thread that stores it
    (in the window, the one that paints)."""
    doc, why = parse_result(path)
    if doc is not None:
        doc = doc.packed(checked=True)  # parse_file has just checked it
    return doc, why


def machine_busy() -> bool:
    """Whether the last minute's load average is at least the number of cores (no core to spare)."""
    try:
        return os.getloadavg()[0] >= (os.cpu_count() or 1)
    except (AttributeError, OSError):  # Windows has no load average
        return False


def _spawn_pool(workers: int, *, started=None) -> ProcessPoolExecutor:
    """Worker processes, spawned; ``started``: a queue each worker puts its process id on once it
    has loaded the readers (warm workers, see :class:`WarmPool`)."""
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_worker_started, initargs=(started,))


def _worker_started(started) -> None:
    """Run as each worker process starts. Its garbage collector leaves the modules it loaded alone
    and runs less often: parsing makes many short-lived objects that reference counting frees, and
    the collections they triggered cost about 0.7 of 11-12 ms CPU per Word transcript. A warm
    worker then loads the Word and text readers (compiling the Word layout patterns takes about
    17 ms), so the first file it is given is only parsed, and says it is ready."""
    _lower_priority()
    gc.freeze()
    gc.set_threshold(10_000, 20, 1_000)
    if started is not None:
        for suffix in (".docx", ".txt"):
            dispatch.reader_for(suffix)
        _rehearse()
        started.put(os.getpid())


def _rehearse() -> None:
    """Read a made-up Word transcript of the usual size and pack it, as a file to import would be
    (a warm worker, before it says it is ready). A fresh process's first long file cost about a
    third more CPU than the next ones (15 against 11 ms for a 250,000-character transcript), most of
    it memory taken from the system for the first time (four times the page faults); the made-up
    file pays for that while the researcher is still choosing files. Best effort: a failure leaves
    the worker as it was."""
    try:
        from qcdesk.core.importers.docx_reader import read_docx

        pickle.dumps(read_docx(Path("rehearsal.docx"), rehearsal_docx()).packed(checked=True))
    except Exception:  # noqa: BLE001 - the worker parses real files without it, only slower at first
        pass


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def rehearsal_docx(paragraphs: int = 1300) -> bytes:
    """A Word transcript (heading style, a label run and an utterance run per paragraph, about
    250,000 characters) made in memory."""
    said = "and then we talked about the ward, the night shifts and who we could ask for help, "
    body = "".join(f'<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>{("Interviewer", "Participant")[i % 2]}:</w:t></w:r>'
                   f'<w:r><w:t xml:space="preserve"> {said * 2}{i}</w:t></w:r></w:p>' for i in range(paragraphs))
    heading = '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Interview</w:t></w:r></w:p>'
    parts = {
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                             f'<w:document xmlns:w="{_W}"><w:body>{heading}{body}</w:body></w:document>',
        "word/styles.xml": f'<w:styles xmlns:w="{_W}"><w:style w:type="paragraph" w:styleId="Heading1">'
                           '<w:name w:val="heading 1"/></w:style></w:styles>',
        "word/_rels/document.xml.rels": f'<Relationships xmlns="{_RELS_NS}"><Relationship Id="rId1" Type="'
                                        'http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"'
                                        ' Target="styles.xml"/></Relationships>',
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, xml in parts.items():
            zf.writestr(name, xml)
    return buf.getvalue()


def _lower_priority() -> None:
    """Run this worker process at a lower priority than the one that started it (best effort:
    a system that refuses leaves it as it is)."""
    try:
        if hasattr(os, "nice"):
            os.nice(WORKER_NICENESS)
        elif sys.platform == "win32":
            import ctypes

            below_normal = 0x4000  # BELOW_NORMAL_PRIORITY_CLASS
            kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
            kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), below_normal)
    except Exception:  # noqa: BLE001 - a worker left at normal priority still parses; one whose start failed would not
        pass


def _ready() -> int:
    return os.getpid()


class WarmPool:
    """Worker processes started ahead of an import and shared by the imports that follow.

    :meth:`start` makes the pool and has each worker load the readers, from a thread of its own
    (spawning a process takes a few milliseconds of the caller's thread: the window's must not
    wait). :meth:`lease` hands the pool to an import, :meth:`release` gives it back; once no import
    has held it for :data:`IDLE_SECONDS`, the pool is shut down. A pool that breaks (a worker
    died) is dropped with :meth:`discard`; the import that saw it goes on in a pool of its own.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._ready = threading.Event()  # every worker of the current pool has started
        self._users = 0
        self._timer: threading.Timer | None = None
        self._generation = 0  # which pool a timer was armed for

    def start(self, workers: int = WORKERS) -> bool:
        """Start the workers unless they are running; False when they cannot be started here."""
        with self._lock:
            if self._pool is not None:
                self._arm_idle_timer()
                return True
            try:
                started = multiprocessing.get_context("spawn").Queue()
                self._pool = _spawn_pool(workers, started=started)
            except (OSError, ImportError, NotImplementedError):  # e.g. no semaphores
                return False
            self._generation += 1
            self._ready = ready = threading.Event()
            pool = self._pool
            self._arm_idle_timer()
        threading.Thread(target=self._spawn, args=(pool, workers, started, ready), name="qcdesk-warm-parsers",
                         daemon=True).start()
        return True

    def _spawn(self, pool: ProcessPoolExecutor, workers: int, started, ready: threading.Event) -> None:
        """Start ``workers`` processes (each job given while none is idle starts one more) and wait
        until each has said it is ready."""
        try:
            for _ in range(workers):
                pool.submit(_ready)
        except (BrokenProcessPool, RuntimeError, OSError):
            self.discard(pool)
            return
        pids: set[int] = set()
        deadline = time.monotonic() + 120
        while len(pids) < workers and time.monotonic() < deadline:
            with self._lock:
                if self._pool is not pool:
                    return  # dropped or shut down meanwhile
            try:
                pids.add(started.get(timeout=0.5))
            except queue.Empty:
                continue
            except (OSError, EOFError, ValueError):
                return
        if len(pids) >= workers:
            ready.set()

    def wait_ready(self, timeout: float = 60.0) -> bool:
        """Wait until every worker has started and loaded the readers (for measuring: a researcher
        spends this time choosing files); False if there is no pool, it broke, or ``timeout``
        passed."""
        with self._lock:
            pool, ready = self._pool, self._ready
        return pool is not None and ready.wait(timeout) and self.running()

    def running(self) -> bool:
        with self._lock:
            return self._pool is not None

    def ready(self) -> bool:
        """Whether the workers are running and have all started (without waiting)."""
        with self._lock:
            return self._pool is not None and self._ready.is_set()

    def lease(self) -> ProcessPoolExecutor | None:
        """The warm pool for one import (stopping the idle timer), or None when there is none."""
        with self._lock:
            if self._pool is None:
                return None
            self._users += 1
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None
            return self._pool

    def release(self, pool: Executor) -> None:
        with self._lock:
            if pool is not self._pool:
                return
            self._users = max(0, self._users - 1)
            if self._users == 0:
                self._arm_idle_timer()

    def discard(self, pool: Executor) -> None:
        """Drop ``pool`` (broken) if it is the warm one; an import holding it keeps its own lease count."""
        with self._lock:
            if pool is not self._pool:
                return
            self._pool, self._users = None, 0
            self._cancel_timer()
        pool.shutdown(wait=False, cancel_futures=True)

    def shut_down(self) -> None:
        """End the workers now (an import holding the pool finishes in threads of its own)."""
        with self._lock:
            pool, self._pool, self._users = self._pool, None, 0
            self._cancel_timer()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _arm_idle_timer(self) -> None:  # with the lock held
        self._cancel_timer()
        timer = threading.Timer(IDLE_SECONDS, self._expire, args=(self._generation,))
        timer.daemon = True  # never keeps the application from quitting
        timer.name = "qcdesk-warm-parsers-idle"
        self._timer = timer
        timer.start()

    def _cancel_timer(self) -> None:  # with the lock held
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _expire(self, generation: int) -> None:
        with self._lock:
            if generation != self._generation or self._users or self._pool is None:
                return
            pool, self._pool, self._timer = self._pool, None, None
        pool.shutdown(wait=False, cancel_futures=True)


#: the worker processes shared by this process's imports
WARM = WarmPool()


def warm_up() -> bool:
    """Start parsing workers for an import about to be asked for, where they pay: at least two
    cores, and one to spare (see :func:`worth_processes`). Returns whether workers are running or
    starting. Cheap to call again: it only keeps them from ending for :data:`IDLE_SECONDS`."""
    if (os.cpu_count() or 1) < 2 or machine_busy():
        return WARM.running()
    return WARM.start()


def worth_processes(paths: list[Path]) -> bool:
    """Whether parsing ``paths`` in worker processes should pay for starting them: two files or
    more, together large enough (:data:`MIN_BYTES_FOR_WORKERS`), and a core to spare. When the
    machine is already busy (the last minute's load average at least its number of cores), worker
    processes only take turns with the rest and cost their start-up on top (measured at load
    average 13 on 2 cores: 25-30 % more CPU time and slower than threads); then threads parse.
    Workers already started (:func:`warm_up`) are used for any two files or more: their start-up
    is paid."""
    if len(paths) < 2:
        return False
    if WARM.running():
        return True
    size = 0
    for path in paths:
        try:
            size += path.stat().st_size
        except OSError:
            continue
    return size >= MIN_BYTES_FOR_WORKERS and not machine_busy()


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

    def __init__(self, paths: list[Path], workers: int = WORKERS, *, processes: bool | None = None,
                 on_done: Callable[[], None] | None = None):
        """``on_done``: called, from another thread, each time a file's parse ends (see :meth:`ready`)."""
        self.paths = paths
        self._on_done = on_done
        self.workers = max(1, min(workers, len(paths)))
        self.jobs: dict[int, Future] = {}
        self._in_pool: set[int] = set()  # files handed to the worker processes
        #: parse in worker processes (else in threads of this one); None: when :func:`worth_processes`
        self.processes = worth_processes(paths) if processes is None else processes
        threads = 1 if self.processes else self.workers
        self._local = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="qcdesk-parse")
        self._pool: Executor | None = None
        self._leased: Executor | None = None  # the warm pool, shared: given back, never shut down
        self._warm_ready = False
        if self.processes:
            self._warm_ready = WARM.ready()
            self._pool = self._leased = WARM.lease()

    def _executor(self) -> Executor:
        if not self.processes:
            return self._local
        if self._pool is None:
            try:
                self._pool = _spawn_pool(self.workers)
            except (OSError, ImportError, NotImplementedError):  # e.g. no semaphores: threads it is
                self.processes = False
                return self._local
        return self._pool

    def submit(self, i: int) -> None:
        """Start parsing file ``i`` unless it is started already."""
        if i in self.jobs or i >= len(self.paths):
            return
        path = self.paths[i]
        # the first file is parsed here while the worker processes start (about 0.1 CPU s each,
        # mostly importing lxml and the readers), so neither this process nor they wait idle;
        # warm workers that are ready take it too
        local = (i == 0 and not self._warm_ready) or not self.processes or _in_this_process(path)
        executor = self._local if local else self._executor()
        try:
            self.jobs[i] = executor.submit(parse_packed, path)
            if executor is self._pool:
                self._in_pool.add(i)
        except (BrokenProcessPool, RuntimeError):  # the pool died (or could not start a process)
            self._restart()
            self.jobs[i] = self._local.submit(parse_packed, path)
        if self._on_done is not None:
            on_done = self._on_done
            self.jobs[i].add_done_callback(lambda _future: on_done())

    def ready(self, i: int) -> bool:
        """Whether file ``i`` was submitted and its parse has ended: :meth:`result` will not wait."""
        job = self.jobs.get(i)
        return job is not None and job.done()

    def result(self, i: int, timeout: float | None = None) -> Result:
        """File ``i`` parsed, or why not; raises ``concurrent.futures.TimeoutError`` after ``timeout``."""
        self.submit(i)
        future = self.jobs.pop(i)
        executor_was_pool = i in self._in_pool
        self._in_pool.discard(i)
        try:
            outcome = future.result(timeout)
        except CancelledError:  # the warm pool was shut down under this import: parse it here
            outcome = parse_packed(self.paths[i])
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
                with _spawn_pool(1) as alone:
                    outcome = alone.submit(parse_packed, self.paths[i]).result()
            except BrokenProcessPool:
                outcome = None, BROKEN
        return outcome

    def _restart(self) -> None:
        """A new pool for the files after a dead worker, started again where they were in flight."""
        broken, self._pool = self._pool, None
        if broken is not None and broken is self._leased:
            self._leased = None
            WARM.discard(broken)
        elif broken is not None:
            broken.shutdown(wait=False, cancel_futures=True)
        lost = [j for j in sorted(self._in_pool & self.jobs.keys()) if not _parsed(self.jobs[j])]
        self._in_pool.clear()
        for j in lost:
            del self.jobs[j]
            self.submit(j)

    def close(self) -> None:
        """Stop what was not started and wait for the files being parsed; a warm pool is given
        back running (only this import's files are cancelled), a pool of its own is shut down."""
        if self._leased is not None:
            for future in self.jobs.values():
                future.cancel()
            for future in self.jobs.values():
                if not future.cancelled():
                    try:
                        future.exception()  # waits for it
                    except Exception:  # noqa: BLE001 - it broke: the pool is no longer ours to judge
                        pass
            WARM.release(self._leased)
            self._leased = None
            self._pool = None
        for executor in (self._pool, self._local):
            if executor is not None:
                executor.shutdown(wait=True, cancel_futures=True)
        self.jobs.clear()
