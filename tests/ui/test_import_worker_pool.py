"""The import worker parses several files at once, hands them to the main thread in the order
chosen, and never holds more than ``AHEAD`` parsed files the main thread has not stored (issue 19:
one file at a time serialised parsing and storing)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Slot

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


class Run:
    def __init__(self, qtbot, paths, monkeypatch, parse=parse_file):
        self.calls: list[str] = []
        self.lock = threading.Lock()

        def counted(path):
            with self.lock:
                self.calls.append(Path(path).name)
            return parse(path)

        monkeypatch.setattr(dispatch, "parse_file", counted)
        self.owner = Owner()
        self.parser = ImportParser(paths)
        self.got: list[str] = []
        self.failed: list[str] = []
        self.parser.parsed.connect(lambda path, _doc: self.got.append(Path(path).name))
        self.parser.failed.connect(lambda path, _why: self.failed.append(Path(path).name))
        self.thread = start_in_thread(self.parser, self.owner, self.owner.finished)

    @property
    def done(self) -> bool:
        return self.owner.done


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
    qtbot.waitUntil(lambda: run.done, timeout=30000)
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
