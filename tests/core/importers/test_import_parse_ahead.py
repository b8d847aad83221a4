"""import_files parses the next files while it stores one (in worker processes when that pays),
still stores in order, one action per file, and a cancel stops before anything of the files after
it is stored (issue 19)."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from qcdesk.core import importing
from qcdesk.core.importers import dispatch, parallel, parse_file
from builders import empty_project
from builders import transcript_files as files

pytestmark = pytest.mark.core


def test_the_next_file_is_parsed_while_one_is_stored(tmp_path, monkeypatch):
    paths = files(tmp_path, 4)
    together = threading.Barrier(2, timeout=20)
    store = importing.store_parsed

    def parse(path):
        if Path(path).name == "file-1.txt":
            together.wait()  # returns only while file-0 is being stored
        return parse_file(path)

    def storing(project, path, parsed, report, **kw):
        if path.name == "file-0.txt":
            together.wait()
        return store(project, path, parsed, report, **kw)

    monkeypatch.setattr(dispatch, "parse_file", parse)
    monkeypatch.setattr(importing, "store_parsed", storing)
    with empty_project(tmp_path / "p.qcdesk") as project:
        report = importing.import_files(project, paths)
        assert [d.name for d in report.imported] == [p.stem for p in paths]
        assert [d.name for d in project.documents()] == [p.stem for p in paths]
        assert not report.failed


def test_cancel_stores_nothing_after_it_and_parses_only_a_few_ahead(tmp_path, monkeypatch):
    paths = files(tmp_path, 12)
    parsed: list[str] = []
    lock = threading.Lock()

    def parse(path):
        with lock:
            parsed.append(Path(path).name)
        return parse_file(path)

    monkeypatch.setattr(dispatch, "parse_file", parse)
    with empty_project(tmp_path / "p.qcdesk") as project:
        report = importing.import_files(project, paths, cancelled=lambda: len(project.documents()) >= 2)
        assert [d.name for d in project.documents()] == ["file-0", "file-1"]
        assert [name for name, _ in report.skipped] == [p.name for p in paths[2:]]
    assert len(parsed) <= 2 + parallel.AHEAD


def test_large_imports_are_parsed_in_worker_processes_the_first_file_here(tmp_path, monkeypatch):
    """Parsing here is broken on purpose: only the first file (parsed here while the workers
    start) fails; the others were parsed in other processes, and come back whole and in order."""
    paths = files(tmp_path, 5)

    def broken(path):
        raise RuntimeError("parsed in the importing process")

    monkeypatch.setattr(dispatch, "parse_file", broken)
    monkeypatch.setattr(parallel, "worth_processes", lambda paths: True)
    with empty_project(tmp_path / "p.qcdesk") as project:
        report = importing.import_files(project, paths)
        assert report.failed == [("file-0.txt", "unexpected error while reading: parsed in the importing process")]
        assert [d.name for d in project.documents()] == [p.stem for p in paths[1:]]
        for doc, path in zip(report.imported, paths[1:]):
            expected = parse_file(path)
            assert project.document_text(doc.id) == expected.text
            assert project.speaker_turns(doc.id) == expected.turns
            assert project.blocks(doc.id) == expected.blocks


def test_a_cancel_with_worker_processes_stores_nothing_after_it(tmp_path, monkeypatch):
    paths = files(tmp_path, 10)
    monkeypatch.setattr(parallel, "worth_processes", lambda paths: True)
    with empty_project(tmp_path / "p.qcdesk") as project:
        report = importing.import_files(project, paths, cancelled=lambda: len(project.documents()) >= 3)
        assert [d.name for d in project.documents()] == ["file-0", "file-1", "file-2"]
        assert [name for name, _ in report.skipped] == [p.name for p in paths[3:]]
        assert project.db.execute("SELECT count(DISTINCT document_id) FROM speaker_turns").fetchone()[0] == 3


def test_worker_processes_only_when_they_pay(tmp_path, monkeypatch):
    small = files(tmp_path, 3)
    big = tmp_path / "big.txt"
    big.write_text("P1: words\n" * (parallel.MIN_BYTES_FOR_WORKERS // 10 + 1), encoding="utf-8")
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (0.0, 0.0, 0.0), raising=False)
    assert not parallel.worth_processes(small)  # starting workers would cost more than parsing
    assert not parallel.worth_processes([big])  # one file: parsed here
    assert parallel.worth_processes([*small, big])
    cores = parallel.os.cpu_count() or 1
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (float(cores), 0.0, 0.0), raising=False)
    assert not parallel.worth_processes([*small, big])  # no core to spare


class DyingPools(ThreadPoolExecutor):
    """Stands in for the worker process pool: the first pool's jobs all die as when a worker is
    killed, and so does any job reading ``crash.txt`` (a reader crashing the process)."""

    made: list = []

    def __init__(self, workers, mp_context=None, initializer=None, initargs=()):
        super().__init__(workers)
        DyingPools.made.append(self)

    def submit(self, fn, *args):
        if len(DyingPools.made) == 1 or Path(args[0]).name == "crash.txt":
            dead: Future = Future()
            dead.set_exception(BrokenProcessPool("a worker died"))
            return dead
        return super().submit(fn, *args)


def test_a_dead_worker_costs_only_the_file_that_killed_it(tmp_path, monkeypatch):
    paths = files(tmp_path, 6)
    crash = tmp_path / "crash.txt"
    crash.write_text("P1: fine here\n", encoding="utf-8")
    paths[3:3] = [crash]
    DyingPools.made = []
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", DyingPools)
    monkeypatch.setattr(parallel, "worth_processes", lambda paths: True)
    with empty_project(tmp_path / "p.qcdesk") as project:
        report = importing.import_files(project, paths)
        assert report.failed == [("crash.txt", parallel.BROKEN)]
        assert [d.name for d in project.documents()] == [p.stem for p in paths if p != crash]
    assert len(DyingPools.made) >= 2


def test_with_threads_the_storing_thread_neither_encodes_rows_nor_hashes(tmp_path, monkeypatch):
    """Packing a document for storage (its rows as JSON, its duplicate key) is done by the thread
    that parsed it, as a worker process would, not by the one that stores (the window's)."""
    import hashlib
    import json
    import sys

    from qcdesk.core.importers import base

    PACKERS = ("qcdesk.core.importers.base", "qcdesk.core.storage.documents")

    paths = files(tmp_path, 4)
    storing = threading.current_thread()
    seen: list[str] = []
    dumps, sha256 = json.dumps, hashlib.sha256

    def spy(real, what):
        def call(*args, **kwargs):  # json is shared: count only the import's callers
            caller = sys._getframe(1).f_globals.get("__name__", "")
            if threading.current_thread() is storing and caller in PACKERS:
                seen.append(f"{what} in {caller}")
            return real(*args, **kwargs)
        return call

    monkeypatch.setattr(base.json, "dumps", spy(dumps, "json"))
    monkeypatch.setattr(base.hashlib, "sha256", spy(sha256, "sha256"))
    monkeypatch.setattr(parallel, "worth_processes", lambda paths: False)
    with empty_project(tmp_path / "p.qcdesk") as project:
        report = importing.import_files(project, paths)
        assert [d.name for d in report.imported] == [p.stem for p in paths]
        assert [project.speaker_turns(d.id) for d in report.imported] == [parse_file(p).turns for p in paths]
    assert seen == []
