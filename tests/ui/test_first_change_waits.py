"""A project the window opens without SQLite's full integrity check (only the quick check ran: it was
not closed cleanly) is checked in full in the background; a change made before that check ends
waits for it, with a busy cursor and a status line saying why, and damage it finds refuses the
change and is said once (issue 19)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from builders import meetings_project
from tests.damage import hold_full_check, index_out_of_step

pytestmark = pytest.mark.gui


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return meetings_project(tmp_path / "study.qcdesk", documents=3).path


@pytest.fixture
def held_check(monkeypatch):
    """The background full check starts, then holds until the test releases it."""
    held = hold_full_check(monkeypatch)
    return held.started, held.release


def _watch_the_wait(window, release: threading.Event) -> list[tuple[bool, object, str]]:
    """(waiting, override cursor shape, status line) each time the window is told a change waits
    for the check or has stopped waiting; the check is released once the change waits."""
    project = window.project
    shown = project.check_wait_listener
    assert shown is not None  # the window listens
    seen: list[tuple[bool, object, str]] = []

    def watch(waiting: bool) -> None:
        shown(waiting)
        cursor = QApplication.overrideCursor()
        seen.append((waiting, cursor.shape() if cursor is not None else None,
                     window.statusBar().currentMessage()))
        if waiting:
            release.set()

    project.check_wait_listener = watch
    return seen


def _apply_first_code(window, start: int = 100, end: int = 140) -> bool:
    window.documents.select(1)
    window.transcript.select_range(start, end)
    window.codebook.select_code(window.project.codes()[0].id)
    return window.apply_current_code()


def test_a_coding_made_while_the_check_runs_waits_with_a_busy_cursor_and_a_status_line(
        make_window, project_path, messages, held_check, qtbot):
    started, release = held_check
    window = make_window(project_path, coder="Ana", exposed=True)
    project = window.project
    assert project.check_deferred and started.wait(20)  # opened; the full check runs in the background
    assert [c.name for c in project.coders()] == []  # the coder is not written before it passes
    seen = _watch_the_wait(window, release)

    assert _apply_first_code(window)
    from qcdesk.ui.text_check import WAIT_MESSAGE

    assert seen == [(True, Qt.CursorShape.WaitCursor, WAIT_MESSAGE), (False, None, "")]
    assert QApplication.overrideCursor() is None
    assert not project.check_deferred and not project.read_only
    ana = next(c for c in project.coders() if c.name == "Ana")
    coded = [c for c in project.codings_for_document(1) if (c.start, c.end) == (100, 140)]
    assert [c.coder_id for c in coded] == [ana.id]
    assert any(c.start == 100 for c in window.transcript.codings())
    qtbot.waitUntil(lambda: window.text_check.last_result is not None, timeout=20_000)
    assert messages == []


def test_damage_found_by_a_waiting_change_is_said_once(make_window, project_path, messages, held_check, qtbot):
    started, release = held_check
    index_out_of_step(project_path)  # passes the quick check: the window opens it
    before = project_path.read_bytes()
    window = make_window(project_path, coder="Ana", exposed=True)
    assert started.wait(20)
    seen = _watch_the_wait(window, release)
    checker = window.text_check

    with qtbot.waitSignal(checker.file_checked, timeout=20_000):  # the background check's own result too
        assert not _apply_first_code(window)
    assert [w for w, _cursor, _line in seen] == [True, False] and QApplication.overrideCursor() is None
    [(kind, _title, text)] = messages  # one message: the refused change's
    assert kind == "error" and "\n" not in text
    assert "study.qcdesk is damaged" in text and "read-only" in text and "backup" in text
    assert text.endswith(window.project.damage)  # "Code with “Weekly meetings”: study.qcdesk is damaged…"
    assert window.statusBar().currentMessage() == window.project.damage
    assert window.project.read_only and "[read-only]" in window.windowTitle()
    assert not window.act_apply.isEnabled()
    assert window.settings.clean_close_seal(project_path) is None
    window.close_project()
    assert project_path.read_bytes() == before  # nothing was written into it


def test_damage_the_background_check_found_before_a_change_is_said_once_too(
        make_window, project_path, messages, held_check, qtbot):
    """The check ended (damage) but its signal has not reached the window when a change is made:
    the change is refused at once, and the signal then only makes the window follow."""
    started, release = held_check
    index_out_of_step(project_path)
    window = make_window(project_path, coder="Ana", exposed=True)
    assert started.wait(20)
    release.set()
    finished = threading.Event()
    # wait for the worker without processing Qt events, so its result's signal stays queued
    while window.project.full_check.result is None:
        assert window.text_check.running() or window.project.full_check.result is not None
        finished.wait(0.01)

    assert not _apply_first_code(window)
    [(kind, _title, text)] = messages
    assert kind == "error" and "study.qcdesk is damaged" in text
    qtbot.waitUntil(lambda: "[read-only]" in window.windowTitle(), timeout=20_000)  # the signal came
    assert len(messages) == 1  # no second "Project damaged" dialog
    assert window.statusBar().currentMessage() == window.project.damage
    assert not window.act_apply.isEnabled()
    assert window.settings.clean_close_seal(project_path) is None
