"""Parsing workers started before an import is asked for (``parallel.warm_up``): the import uses
them instead of starting its own, gives them back running, and they end once no import has used
them for ``IDLE_SECONDS`` (issue 19: starting two workers costs as much as QualCoder's whole
import of 20 transcripts)."""

from __future__ import annotations

import os
import time
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

import pytest

from qcdesk.core import importing
from qcdesk.core.importers import dispatch, parallel, parse_file
from builders import empty_project
from builders import transcript_files as files

pytestmark = pytest.mark.core


@pytest.fixture
def quiet_machine(monkeypatch):
    """Two cores and a core to spare, whatever this machine is doing."""
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (0.0, 0.0, 0.0), raising=False)
    yield
    parallel.WARM.shut_down()


def until(condition, seconds: float = 30.0) -> bool:
    """Poll ``condition`` until it holds or ``seconds`` pass (processes end in their own time)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def worker_pids() -> set[int]:
    """Process ids of (some of) the warm workers, asked through the pool itself."""
    pool = parallel.WARM.lease()
    assert pool is not None
    try:
        return {pool.submit(parallel._ready).result(30) for _ in range(8)}
    finally:
        parallel.WARM.release(pool)


def warm_pool():
    pool = parallel.WARM.lease()
    parallel.WARM.release(pool)
    return pool


def test_an_import_after_warm_up_parses_every_file_in_the_warm_workers(tmp_path, monkeypatch, quiet_machine):
    """Parsing in this process is broken on purpose and no new pool may be made: three small
    files (too small to start workers for) come back whole, the first one too, and the workers
    are still running for the next import."""
    assert parallel.warm_up()
    assert parallel.WARM.wait_ready(60)
    before = warm_pool()
    parse = dispatch.parse_file

    def no_new_pool(*args, **kwargs):
        raise AssertionError("an import started its own workers")

    def broken(path):
        raise RuntimeError("parsed in the importing process")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_new_pool)
    monkeypatch.setattr(dispatch, "parse_file", broken)
    paths = files(tmp_path, 3)
    assert not sum(p.stat().st_size for p in paths) >= parallel.MIN_BYTES_FOR_WORKERS
    with empty_project(tmp_path / "p.qcdesk") as project:
        report = importing.import_files(project, paths)
        assert not report.failed
        assert [d.name for d in project.documents()] == [p.stem for p in paths]
        for doc, path in zip(report.imported, paths):
            assert project.speaker_turns(doc.id) == parse(path).turns
    assert warm_pool() is before and parallel.WARM.ready()


def test_the_first_file_is_parsed_here_while_warm_workers_still_start(tmp_path, monkeypatch, quiet_machine):
    monkeypatch.setattr(parallel.WARM, "ready", lambda: False)
    assert parallel.warm_up()
    parser = parallel.AheadParser(files(tmp_path, 3))
    try:
        assert parser.processes
        parser.submit(0)
        parser.submit(1)
        assert 0 not in parser._in_pool and 1 in parser._in_pool
        assert parser.result(0)[0] is not None and parser.result(1)[0] is not None
    finally:
        parser.close()


def test_warm_workers_end_once_no_import_used_them_for_a_while(monkeypatch, quiet_machine):
    assert parallel.warm_up()
    assert parallel.WARM.wait_ready(60)
    pids = worker_pids()
    assert pids and all(alive(pid) for pid in pids)
    monkeypatch.setattr(parallel, "IDLE_SECONDS", 0.3)
    assert parallel.warm_up()  # asked again: the idle time counts from now
    assert until(lambda: not parallel.WARM.running())
    assert until(lambda: not any(alive(pid) for pid in pids))


def test_an_import_holding_the_workers_keeps_them_past_the_idle_time(monkeypatch, quiet_machine):
    assert parallel.warm_up()
    pool = parallel.WARM.lease()
    assert pool is not None
    monkeypatch.setattr(parallel, "IDLE_SECONDS", 0.2)
    parallel.WARM._expire(parallel.WARM._generation)  # what the idle timer would do
    assert parallel.WARM.running() and pool.submit(parallel._ready).result(60)
    parallel.WARM.release(pool)
    assert until(lambda: not parallel.WARM.running())


def test_warm_up_again_keeps_the_same_workers(quiet_machine):
    assert parallel.warm_up() and parallel.WARM.wait_ready(60)
    pool = warm_pool()
    assert parallel.warm_up()
    assert warm_pool() is pool


@pytest.mark.parametrize("cores, load", [(1, 0.0), (2, 2.0), (4, 7.5)])
def test_no_workers_are_warmed_on_one_core_or_a_busy_machine(monkeypatch, cores, load):
    parallel.WARM.shut_down()
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: cores)
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (load, 0.0, 0.0), raising=False)
    assert not parallel.warm_up()
    assert not parallel.WARM.running()


class FakePools(ThreadPoolExecutor):
    """Stands in for worker process pools: the first one made (the warm one) breaks on every
    job, as when a worker is killed; the next ones work."""

    made: list = []

    def __init__(self, workers, mp_context=None, initializer=None, initargs=()):
        super().__init__(workers)
        FakePools.made.append(self)

    def submit(self, fn, *args):
        if self is FakePools.made[0]:
            dead: Future = Future()
            dead.set_exception(BrokenProcessPool("a worker died"))
            return dead
        return super().submit(fn, *args)


def test_a_broken_warm_pool_is_dropped_and_the_import_goes_on(tmp_path, monkeypatch, quiet_machine):
    FakePools.made = []
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", FakePools)
    assert parallel.warm_up()
    assert not parallel.WARM.wait_ready(1)  # its workers died
    paths = files(tmp_path, 4)
    with empty_project(tmp_path / "p.qcdesk") as project:
        report = importing.import_files(project, paths)
        assert not report.failed
        assert [d.name for d in project.documents()] == [p.stem for p in paths]
    assert not parallel.WARM.running()
    assert len(FakePools.made) >= 2


def test_a_cancelled_import_gives_the_workers_back_for_the_next(tmp_path, quiet_machine):
    assert parallel.warm_up() and parallel.WARM.wait_ready(60)
    pool = warm_pool()
    paths = files(tmp_path, 8)
    with empty_project(tmp_path / "p.qcdesk") as project:
        report = importing.import_files(project, paths, cancelled=lambda: len(project.documents()) >= 2)
        assert [d.name for d in project.documents()] == ["file-0", "file-1"]
        assert [name for name, _ in report.skipped] == [p.name for p in paths[2:]]
        assert warm_pool() is pool and parallel.WARM.ready()
        again = importing.import_files(project, paths[2:])
        assert [d.name for d in again.imported] == [p.stem for p in paths[2:]]


def test_workers_shut_down_under_an_import_leave_it_to_parse_here(tmp_path, quiet_machine):
    assert parallel.warm_up() and parallel.WARM.wait_ready(60)
    paths = files(tmp_path, 5)
    parser = parallel.AheadParser(paths)
    try:
        for i in range(len(paths)):
            parser.submit(i)
        parallel.WARM.shut_down()
        assert [parser.result(i)[0].text for i in range(len(paths))] == [parse_file(p).text for p in paths]
    finally:
        parser.close()
    assert not parallel.WARM.running()


def test_the_command_line_starts_the_workers_before_it_opens_the_project(tmp_path, monkeypatch, capsys):
    """``qcdesk-cli import`` of files worth workers starts them first, so they load while the
    project opens and checks itself; a small import starts none."""
    from qcdesk.cli import documents, main

    said: list[str] = []
    monkeypatch.setattr(parallel, "warm_up", lambda: said.append("warm") or False)
    opening = documents.open_project

    def open_project(*args, **kwargs):
        said.append("open")
        return opening(*args, **kwargs)

    monkeypatch.setattr(documents, "open_project", open_project)
    project = tmp_path / "p.qcdesk"
    assert main(["import", str(project), *map(str, files(tmp_path, 2)), "--create"]) == 0
    assert said == ["open"]  # 2 small files: parsed here
    said.clear()
    big = tmp_path / "big.txt"
    big.write_text("P1: words\n" * (parallel.MIN_BYTES_FOR_WORKERS // 10 + 1), encoding="utf-8")
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (0.0, 0.0, 0.0), raising=False)
    assert main(["import", str(project), str(big), str(tmp_path / "file-0.txt"), "--allow-duplicates"]) == 0
    assert said == ["warm", "open"]
    assert "imported big" in capsys.readouterr().out


def test_workers_collect_garbage_less_often_and_leave_their_modules_alone(quiet_machine):
    """Collections triggered by parsing's short-lived objects cost about 6 % of parsing a Word
    transcript in a worker; the worker's settings, not this process's, are changed."""
    import gc

    before = gc.get_threshold()
    assert parallel.warm_up() and parallel.WARM.wait_ready(60)
    pool = parallel.WARM.lease()
    try:
        assert pool.submit(gc.get_threshold).result(60) == (10_000, 20, 1_000)
        assert pool.submit(gc.get_freeze_count).result(60) > 1_000
    finally:
        parallel.WARM.release(pool)
    assert gc.get_threshold() == before


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="process priorities are read with os.getpriority")
def test_workers_run_below_the_importing_process(quiet_machine):
    """When cores are short, the thread that stores parsed files (and paints the window) goes
    first: the workers' niceness is raised, this process's is not."""
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    assert parallel.warm_up() and parallel.WARM.wait_ready(60)
    pids = worker_pids()
    assert pids and os.getpid() not in pids
    expected = min(mine + parallel.WORKER_NICENESS, 19)
    assert {os.getpriority(os.PRIO_PROCESS, pid) for pid in pids} == {expected}
    assert os.getpriority(os.PRIO_PROCESS, 0) == mine


def test_a_worker_whose_priority_cannot_be_lowered_starts_all_the_same(monkeypatch):
    """Lowering the priority is best effort: without os.nice, on Windows without ctypes (a
    stripped Python), the worker starts at normal priority instead of failing to start."""
    import sys

    monkeypatch.delattr(parallel.os, "nice", raising=False)
    monkeypatch.setattr(parallel.sys, "platform", "win32")
    monkeypatch.setitem(sys.modules, "ctypes", None)  # import ctypes raises ImportError
    parallel._lower_priority()


def test_ready_means_every_worker_has_started(quiet_machine):
    """The first file goes to the workers only when all of them are up (else it is parsed here
    while they start), and the benchmark measures an import only once none is still starting."""
    assert parallel.warm_up()
    assert parallel.WARM.wait_ready(60) and parallel.WARM.ready()
    pool = warm_pool()
    assert len(pool._processes) == parallel.WORKERS  # each started and said so


def test_a_warm_worker_has_read_a_made_up_transcript_before_it_says_it_is_ready(quiet_machine):
    """A fresh process's first long file cost a third more than the next ones (memory taken from
    the system for the first time): a warm worker pays that on a made-up transcript before the
    researcher has chosen the files."""
    assert parallel.warm_up() and parallel.WARM.wait_ready(60)
    pool = parallel.WARM.lease()
    try:
        seen = "'Participant' in __import__('qcdesk.core.importers.layouts', fromlist=['_'])._VALID_NAMES"
        assert pool.submit(eval, seen).result(60) is True  # the made-up transcript's speaker
    finally:
        parallel.WARM.release(pool)


def test_the_made_up_transcript_reads_as_one_and_a_failing_rehearsal_is_left_alone(monkeypatch):
    from qcdesk.core.importers import docx_reader

    doc = docx_reader.read_docx(parallel.Path("rehearsal.docx"), parallel.rehearsal_docx())
    assert len(doc.text) > 200_000 and len(doc.turns) == 1300
    assert [t.speaker for t in doc.turns[:2]] == ["Interviewer", "Participant"]
    assert doc.blocks[0].kind == "heading" and doc.text[:9] == "Interview"

    def broken(path, data):
        raise MemoryError

    monkeypatch.setattr(docx_reader, "read_docx", broken)
    parallel._rehearse()  # no exception: the worker starts all the same
