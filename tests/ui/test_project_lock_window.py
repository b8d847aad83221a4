"""The window with a project another qcdesk holds, or one on read-only media."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.core.storage import lockfile
from qcdesk.ui import dialogs
from qcdesk.ui.main_window import MainWindow
from builders import empty_project

pytestmark = pytest.mark.gui


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "held.qcdesk"
    with empty_project(path) as project:
        project.documents.add("Interview 1", ParsedDocument(text="Mentor: Welcome aboard.", source_format="txt"))
        project.codebook.add("Welcome")
    return path


@pytest.fixture
def window(make_window, messages) -> MainWindow:
    return make_window(teardown="project")


def test_project_held_elsewhere_opens_read_only_when_asked(window, project_path, messages):
    with Project.open(project_path) as holder:
        assert window.open_project(project_path)
        kind, title, text = messages[0]
        assert (kind, title) == ("confirm", "Project already open")
        assert "already open in another qcdesk window" in text
        assert window.project.read_only
        assert window.windowTitle().endswith("[read-only]") or "[read-only]" in window.windowTitle()
        window.codebook.select_code(window.project.codes()[0].id)
        window.transcript.select_range(0, 6)
        assert not window.act_apply.isEnabled()
        assert not window.act_import.isEnabled()
        assert not window.apply_current_code()
        assert holder.codings_for_document(holder.documents()[0].id) == []


def test_declining_leaves_no_project_open(window, project_path, messages, monkeypatch):
    monkeypatch.setattr(dialogs, "confirm", lambda *a: False)
    with Project.open(project_path):
        assert not window.open_project(project_path)
    assert window.project is None


def test_read_only_media_shows_a_notice(window, project_path, messages, monkeypatch):
    monkeypatch.setattr(lockfile, "writable", lambda path: False)
    assert window.open_project(project_path)
    assert window.project.read_only
    assert ("info", "Opened read-only") == messages[0][:2]
    assert "copy held.qcdesk to a folder of your own" in messages[0][2]
    assert not window.act_new_code.isEnabled()
