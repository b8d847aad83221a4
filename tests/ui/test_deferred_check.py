"""A project this window last closed cleanly opens without SQLite's blocking full integrity check;
the check runs in the background, and damage it finds makes the project read-only at once, said in
the status bar and a message (issue 19: opening at scale)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcdesk.core.errors import OperationError
from qcdesk.ui.main_window import MainWindow
from tests.damage import damage_page_keeping_mtime
from builders import meetings_project

pytestmark = pytest.mark.gui


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return meetings_project(tmp_path / "study.qcdesk", coded=None).path


@pytest.fixture
def window(make_window, messages) -> MainWindow:
    """A shown window with no project open yet; closing its project at the end (not the window:
    these tests read the seal it kept in its settings)."""
    return make_window(teardown="project")


def _open_and_close_cleanly(window: MainWindow, path: Path, qtbot) -> None:
    assert window.open_project(path)
    checker = window.text_check
    qtbot.waitUntil(lambda: checker.last_result is not None, timeout=20_000)
    window.close_project()
    assert window.settings.clean_close_seal(path) is not None


def test_a_project_closed_cleanly_reopens_with_the_check_in_the_background(window, project_path, messages, qtbot):
    assert window.settings.clean_close_seal(project_path) is None
    assert window.open_project(project_path)
    first = window.project
    assert first.check_deferred  # never sealed here: only SQLite's quick check ran before opening
    qtbot.waitUntil(lambda: not first.check_deferred, timeout=20_000)  # the full check, in the background
    window.close_project()
    assert window.settings.clean_close_seal(project_path) is not None
    _open_and_close_cleanly(window, project_path, qtbot)

    assert window.open_project(project_path)
    project = window.project
    assert project.check_deferred  # the file is as this window left it
    qtbot.waitUntil(lambda: not project.check_deferred, timeout=20_000)  # the background check passed
    assert not project.read_only and messages == []


def test_damage_found_in_the_background_makes_the_project_read_only(window, project_path, messages, qtbot):
    _open_and_close_cleanly(window, project_path, qtbot)
    damage_page_keeping_mtime(project_path, 0.9)
    before = project_path.read_bytes()

    assert window.open_project(project_path)  # the seal matches: no blocking check
    qtbot.waitUntil(lambda: any(title == "Project damaged" for _k, title, _t in messages), timeout=20_000)
    kind, _title, text = next(m for m in messages if m[1] == "Project damaged")
    assert kind == "warning" and "\n" not in text
    assert "study.qcdesk is damaged" in text and "read-only" in text and "backup" in text
    assert window.statusBar().currentMessage() == text
    assert window.project.read_only and "[read-only]" in window.windowTitle()
    assert not window.act_apply.isEnabled() and not window.act_new_code.isEnabled()
    with pytest.raises(OperationError):
        window.project.codebook.add("Written into a damaged file")
    assert window.settings.clean_close_seal(project_path) is None  # checked in full next time
    window.close_project()
    assert project_path.read_bytes() == before  # nothing was written into it

    messages.clear()
    assert not window.open_project(project_path)  # next time it is refused before opening
    assert messages and messages[0][0] == "error" and "is damaged" in messages[0][2]
