"""The import worker parses several files at once, hands them to the main thread in the order
chosen, and never holds more than ``AHEAD`` parsed files the main thread has not stored (issue 19:
one file at a time serialised parsing and storing)."""

from __future__ import annotations

import sys
import threading
import traceback
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QObject, Qt, Slot

from qcdesk.core.errors import ImportFailed
from qcdesk.core.importers import parse_file
from qcdesk.core.importers import dispatch
from qcdesk.ui.workers import ImportParser, start_in_thread
from builders import transcript_files as files

pytestmark = pytest.mark.gui


class Owner(QObject):
    """Owns the worker's thread and hears it end (a slot of a QObject living on this thread)."""

    def __init__(self):
        super().__init__()
        self.done = False

    @Slot()
    def finished(self) -> None:
        self.done = True


class Storer(QObject):
    """Stores like the window: a slot on the main thread, reached through the event loop; each
    store waits first until ``hold()`` returns (a test's way of choosing when the room comes)."""

    def __init__(self, parser: ImportParser, hold=lambda: None):
        super().__init__()
        self.parser = parser
        self.hold = hold
        parser.parsed.connect(self.store)

    @Slot(str, object)
    def store(self, _path: str, _doc: object) -> None:
        self.hold()
        self.parser.stored()


class CountingRoom:
    """The parser's room semaphore, counting the times it had no room to give."""

    def __init__(self, inner: threading.Semaphore):
        self.inner = inner
        self.refusals = 0
        self.changed = threading.Condition()

    def acquire(self, blocking: bool = True, timeout: float | None = None) -> bool:
        got = self.inner.acquire(blocking, timeout)
        if not got:
            with self.changed:
                self.refusals += 1
                self.changed.notify_all()
        return got

    def release(self) -> None:
        self.inner.release()


class Run:
    def __init__(self, qtbot, paths, monkeypatch, parse=parse_file, setup=lambda parser: None):
        self.calls: list[str] = []
        self.lock = threading.Lock()

        def counted(path):
            with self.lock:
                self.calls.append(Path(path).name)
            return parse(path)

        monkeypatch.setattr(dispatch, "parse_file", counted)
        self.owner = Owner()
        self.parser = ImportParser(paths)
        setup(self.parser)
        self.got: list[str] = []
        self.failed: list[str] = []
        self.parser.parsed.connect(lambda path, _doc: self.got.append(Path(path).name))
        self.parser.failed.connect(lambda path, _why: self.failed.append(Path(path).name))
        self.thread = start_in_thread(self.parser, self.owner, self.owner.finished)

    @property
    def done(self) -> bool:
        return self.owner.done

    def wait_done(self, qtbot, timeout: int = 30000, **state) -> None:
        """Wait for the parser to finish; if it does not, fail saying what each thread was doing
        (the files parsed, handed over and failed, what each of ``state``'s functions says now,
        and every thread's stack)."""
        try:
            qtbot.waitUntil(lambda: self.done, timeout=timeout)
        except qtbot.TimeoutError:
            frames = sys._current_frames()
            stacks = "\n".join(f"--- {t.name}\n" + "".join(traceback.format_stack(frames[t.ident])[-6:])
                               for t in threading.enumerate() if t.ident in frames)
            now = {name: value() for name, value in state.items()}
            pytest.fail(f"the parser did not finish: parsed {self.calls}, handed over {self.got}, "
                        f"failed {self.failed}, {now}\n{stacks}")


def test_files_are_parsed_at_the_same_time_and_arrive_in_order(qtbot, tmp_path, monkeypatch):
    assert ImportParser.WORKERS >= 2
    paths = files(tmp_path, 6)
    both = threading.Barrier(2, timeout=20)

    def parse(path):
        if Path(path).name in ("file-0.txt", "file-1.txt"):
            both.wait()  # only returns when the two files are being parsed at the same time
            if Path(path).name == "file-0.txt":
                second_done.wait(20)  # the first file finishes last: it must still come first
        result = parse_file(path)
        if Path(path).name == "file-1.txt":
            second_done.set()
        return result

    second_done = threading.Event()
    run = Run(qtbot, paths, monkeypatch, parse)
    run.parser.parsed.connect(lambda *_: run.parser.stored())
    run.wait_done(qtbot, barrier_broken=lambda: both.broken, second_done=second_done.is_set)
    assert run.got == [p.name for p in paths]
    assert not run.failed


def test_at_most_ahead_parsed_files_wait_for_the_main_thread(qtbot, tmp_path, monkeypatch):
    paths = files(tmp_path, ImportParser.AHEAD + 4)
    run = Run(qtbot, paths, monkeypatch)
    qtbot.waitUntil(lambda: len(run.got) == ImportParser.AHEAD, timeout=30000)
    assert ImportParser.AHEAD >= 2
    # nothing was stored yet: no further file may be parsed (memory stays bounded)
    assert len(run.calls) == ImportParser.AHEAD
    run.parser.stored()
    qtbot.waitUntil(lambda: len(run.got) == ImportParser.AHEAD + 1, timeout=30000)
    assert len(run.calls) == ImportParser.AHEAD + 1
    run.parser.cancel()
    qtbot.waitUntil(lambda: run.done, timeout=30000)
    assert run.got == [p.name for p in paths[:ImportParser.AHEAD + 1]]


def test_a_stored_file_makes_room_at_once_while_the_next_one_is_still_being_parsed(qtbot, tmp_path, monkeypatch):
    """Once the main thread has stored a file, the next file is started without waiting for the
    file to be handed over next to finish: waiting for it kept a worker idle (issue 19).

    The first file is stored only once the parser has found no room after handing it over (so
    the room comes while it waits for file-1, never before it looks), and the poll is made longer
    than the test: only the wake-up on storing can start the later file while file-1 is parsed."""
    monkeypatch.setattr(ImportParser, "POLL_SECONDS", 60.0)
    paths = files(tmp_path, ImportParser.AHEAD + 2)
    later = paths[ImportParser.AHEAD].name  # the first file there is no room for at the start
    later_started = threading.Event()
    waited: list[bool] = []
    rooms: list[CountingRoom] = []

    def parse(path):
        name = Path(path).name
        if name == later:
            later_started.set()
        if name == "file-1.txt":  # still being parsed when file-0 is stored
            waited.append(later_started.wait(20))
        return parse_file(path)

    def count_refusals(parser: ImportParser) -> None:
        rooms.append(CountingRoom(parser._room))  # noqa: SLF001 - the test watches the room
        parser._room = rooms[0]  # noqa: SLF001

    def hold() -> None:  # at the start: room for AHEAD files, none for the next (one refusal)
        with rooms[0].changed:
            rooms[0].changed.wait_for(lambda: rooms[0].refusals >= 2, timeout=20)

    run = Run(qtbot, paths, monkeypatch, parse, setup=count_refusals)
    storer = Storer(run.parser, hold)
    qtbot.waitUntil(lambda: run.done, timeout=60000)
    assert storer.parser is run.parser
    assert waited == [True]
    assert run.got == [p.name for p in paths]
    assert not run.failed


def test_a_file_that_fails_frees_its_place(qtbot, tmp_path, monkeypatch):
    paths = files(tmp_path, 5)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(bytes(range(256)) * 40)
    paths[1:1] = [bad, bad.with_name("missing.txt")]
    run = Run(qtbot, paths, monkeypatch)
    run.parser.parsed.connect(lambda *_: run.parser.stored())
    qtbot.waitUntil(lambda: run.done, timeout=30000)
    assert run.failed == ["bad.txt", "missing.txt"]
    assert run.got == [p.name for p in paths if p.name not in ("bad.txt", "missing.txt")]


def test_the_window_parses_large_imports_in_worker_processes(qtbot, tmp_path, monkeypatch):
    """Parsing in this process is broken on purpose: only the first file (parsed here while the
    workers start) fails; the others come from worker processes, whole and in order."""
    from qcdesk.core.importers import parallel

    paths = files(tmp_path, 5)

    def broken(path):
        raise RuntimeError("parsed in the window's process")

    monkeypatch.setattr(parallel, "worth_processes", lambda paths: True)
    run = Run(qtbot, paths, monkeypatch, broken)
    docs: list = []
    run.parser.parsed.connect(lambda _path, doc: (docs.append(doc), run.parser.stored()))
    qtbot.waitUntil(lambda: run.done, timeout=60000)
    assert run.failed == ["file-0.txt"] and run.calls == ["file-0.txt"]
    assert run.got == [p.name for p in paths[1:]]
    assert [d.text for d in docs] == [parse_file(p).text for p in paths[1:]]
    assert [d.turns for d in docs] == [parse_file(p).turns for p in paths[1:]]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# storing slower than parsing, more files than room: only a store can wake the parser
@example(plan=[(0, False)] * 8, store_ms=[4], cancel_after=None)
@given(plan=st.lists(st.tuples(st.integers(0, 4), st.booleans()), min_size=1, max_size=10),
       store_ms=st.lists(st.integers(0, 4), min_size=1, max_size=4),
       cancel_after=st.one_of(st.none(), st.integers(0, 6)))
def test_files_arrive_in_order_within_the_room_whatever_the_timing(qtbot, tmp_path, monkeypatch, plan,
                                                                   store_ms, cancel_after):
    """Random parse times (0-4 ms), files that fail, store times and a cancel: every file comes
    back once and in order (parsed or failed), up to the cancel; no file starts to be parsed
    without room (at most AHEAD beyond those stored or failed); and the parser never waits for a
    wake-up that does not come (the poll is longer than the test)."""
    monkeypatch.setattr(ImportParser, "POLL_SECONDS", 60.0)
    paths = files(tmp_path, len(plan))
    timing = {p.name: (ms, fails) for p, (ms, fails) in zip(paths, plan)}
    lock = threading.Lock()
    count = {"started": 0, "stored": 0, "failed": 0}
    overdrawn: list[str] = []

    def parse(path):
        name = Path(path).name
        with lock:
            count["started"] += 1
            if count["started"] > count["stored"] + count["failed"] + ImportParser.AHEAD:
                overdrawn.append(name)
        ms, fails = timing[name]
        threading.Event().wait(ms / 1000)
        if fails:
            raise ImportFailed(str(path), "made to fail")
        return parse_file(path)

    def counted_failure(*_args) -> None:  # in the parser's thread, before it gives the room back
        with lock:
            count["failed"] += 1

    def prepare(parser: ImportParser) -> None:
        parser.failed.connect(counted_failure, Qt.ConnectionType.DirectConnection)

    def hold() -> None:
        with lock:
            count["stored"] += 1
            stored = count["stored"]
        threading.Event().wait(store_ms[stored % len(store_ms)] / 1000)
        if cancel_after is not None and stored == cancel_after:
            run.parser.cancel()

    run = Run(qtbot, paths, monkeypatch, parse, setup=prepare)
    storer = Storer(run.parser, hold)  # kept: a collected Storer would store nothing
    qtbot.waitUntil(lambda: run.done, timeout=20000)
    assert storer.parser is run.parser
    parsed = [p.name for p, (_ms, fails) in zip(paths, plan) if not fails]
    failed = [p.name for p, (_ms, fails) in zip(paths, plan) if fails]
    assert run.got == parsed[:len(run.got)]  # in order, each once, up to the cancel
    assert run.failed == failed[:len(run.failed)]
    if cancel_after is None or not 0 < cancel_after <= len(parsed):  # no cancel came
        assert (run.got, run.failed) == (parsed, failed)
    assert not overdrawn


def test_a_cancel_just_before_the_parser_waits_is_not_missed(tmp_path, monkeypatch):
    """Cancel comes after the parser last looked at it but before it clears its wake-up: it must
    still stop at once, not after the next parse ends or the next file is stored (the parses
    here end only after the test, and the poll is longer than the test)."""
    from qcdesk.ui import workers

    monkeypatch.setattr(ImportParser, "POLL_SECONDS", 60.0)
    release = threading.Event()
    monkeypatch.setattr(dispatch, "parse_file", lambda path: (release.wait(30), parse_file(path))[1])
    parser = ImportParser(files(tmp_path, 3))

    class CancelOnClear(threading.Event):
        def clear(self) -> None:
            parser.cancel()  # the user's Cancel, right between the parser's look and its clear
            super().clear()

    parser._wake = CancelOnClear()  # noqa: SLF001 - the test times the race
    left = threading.Event()
    close = workers.AheadParser.close
    monkeypatch.setattr(workers.AheadParser, "close", lambda self: (left.set(), close(self))[1])
    runner = threading.Thread(target=parser.run)
    runner.start()
    try:
        assert left.wait(10), "the parser waited on after the cancel"
    finally:
        release.set()
        runner.join(30)
    assert not runner.is_alive()
