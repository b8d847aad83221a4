"""import_files parses the next files while it stores one, still stores in order, one action per
file, and a cancel stops before anything of the files after it is stored (issue 19)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from qcdesk.core import importing
from qcdesk.core.importers import parse_file
from qcdesk.core.project import Project

pytestmark = pytest.mark.core


def files(folder: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        path = folder / f"file-{i}.txt"
        path.write_text(f"Interviewer: file {i}\n\nP1: answer {i}\n\nInterviewer: thanks {i}\n", encoding="utf-8")
        paths.append(path)
    return paths


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

    monkeypatch.setattr(importing, "parse_file", parse)
    monkeypatch.setattr(importing, "store_parsed", storing)
    with Project.create(tmp_path / "p.qcdesk") as project:
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

    monkeypatch.setattr(importing, "parse_file", parse)
    with Project.create(tmp_path / "p.qcdesk") as project:
        report = importing.import_files(project, paths, cancelled=lambda: len(project.documents()) >= 2)
        assert [d.name for d in project.documents()] == ["file-0", "file-1"]
        assert [name for name, _ in report.skipped] == [p.name for p in paths[2:]]
    assert len(parsed) <= 2 + importing.PARSE_AHEAD
