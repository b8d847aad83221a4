"""On opening, the window compares every transcript's text with its import fingerprint in the
background, names damaged documents and offers to restore a backup."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcdesk.core import backups
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.ui.main_window import MainWindow
from builders import empty_project

pytestmark = pytest.mark.gui

TEXTS = {
    "Interview 1": "Mentee: I was welcomed warmly by everyone in the lab.\n",
    "Interview 2": "Mentor: We met every Tuesday to plan the week ahead.\n",
}


def flip_byte_in_file(path: Path, needle: bytes, offset: int) -> None:
    data = bytearray(path.read_bytes())
    assert data.count(needle) == 1
    data[data.index(needle) + offset] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "study.qcdesk"
    with empty_project(path) as project:
        for name, text in TEXTS.items():
            project.documents.add(name, ParsedDocument(text=text, source_format="txt"))
        backups.make_backup(project)  # a sound copy to go back to
    return path


@pytest.fixture
def window(make_window, messages) -> MainWindow:
    return make_window(teardown="project")


def test_a_damaged_text_is_named_on_opening_and_a_backup_restores_it(window, project_path, messages,
                                                                     monkeypatch, qtbot):
    flip_byte_in_file(project_path, b"met every Tuesday", 5)
    chosen = []
    monkeypatch.setattr(window.backup_actions, "_choose_backup",
                        lambda infos: chosen.append(infos) or infos[0].path)
    assert window.open_project(project_path)  # SQLite finds nothing wrong: it opens

    qtbot.waitUntil(lambda: any(kind == "confirm" for kind, _t, _m in messages), timeout=10_000)
    kind, title, text = next(m for m in messages if m[0] == "confirm")
    assert "Interview 2" in text and "Interview 1" not in text
    assert "backup" in text.lower()
    # "yes" (the messages fixture answers yes): File › Restore from backup… with the sound copy
    qtbot.waitUntil(lambda: bool(chosen))
    qtbot.waitUntil(lambda: any(t == "Restored" for _k, t, _m in messages))
    doc = next(d for d in window.project.documents() if d.name == "Interview 2")
    assert window.project.document_text(doc.id) == TEXTS["Interview 2"]


def test_a_sound_project_says_nothing(window, project_path, messages, qtbot):
    assert window.open_project(project_path)
    checker = window.text_check
    qtbot.waitUntil(lambda: checker.last_result is not None, timeout=10_000)
    assert checker.last_result == []
    assert messages == []


def test_the_check_primes_the_search_so_that_searches_read_no_text(window, project_path, qtbot, monkeypatch):
    from qcdesk.core import search
    from qcdesk.core.storage import search as search_sql

    assert window.open_project(project_path)
    project = window.project
    qtbot.waitUntil(lambda: window.text_check.last_result is not None, timeout=10_000)
    assert set(search._indexes[project].kept) == {d.id for d in project.documents()}
    monkeypatch.setattr(search_sql, "texts", lambda *a: pytest.fail("a primed search read the texts"))
    hits = search.search(project, "the")
    assert [(h.document_name, h.context) for h in hits] == [
        ("Interview 1", TEXTS["Interview 1"].strip()), ("Interview 2", TEXTS["Interview 2"].strip())]


def test_closing_stops_priming_the_search(window, project_path, qtbot):
    from qcdesk.core import search

    assert window.open_project(project_path)
    index = search._indexes[window.project]
    window.close_project()  # at once
    assert not window.text_check.running()
    kept = dict(index.kept)
    qtbot.wait(0)
    assert index.kept == kept  # nothing more is folded for the closed project


def test_closing_while_checking_waits_for_the_check_and_stays_quiet(window, project_path, messages, qtbot):
    flip_byte_in_file(project_path, b"met every Tuesday", 5)
    assert window.open_project(project_path)
    window.close_project()  # at once: the check of the closed project must not speak afterwards
    assert not window.text_check.running()
    qtbot.wait(0)  # let queued signals arrive
    assert messages == []


def test_a_read_only_project_is_checked_without_offering_to_restore(window, project_path, messages, qtbot):
    flip_byte_in_file(project_path, b"met every Tuesday", 5)
    holder = Project.open(project_path)  # another window has it: this one opens it read-only
    try:
        assert window.open_project(project_path)
        assert window.project.read_only
        qtbot.waitUntil(lambda: any(kind == "warning" for kind, _t, _m in messages), timeout=10_000)
        text = next(m[2] for m in messages if m[0] == "warning")
        assert "Interview 2" in text
        window.close_project()
    finally:
        holder.close()
