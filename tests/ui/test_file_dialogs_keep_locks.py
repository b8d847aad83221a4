"""A file dialog showing the open project's folder leaves SQLite's locks on the project alone.

Qt's file dialog guesses each listed file's type and icon; for a name it does not know (a
``.qcdesk`` project, its ``-wal`` and ``-shm``) it reads the first bytes, and closing that
descriptor dropped the window's POSIX locks on its own project (Ctrl+O then Cancel was enough).
These tests drive the real dialogs and read /proc/locks before and after.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel
from proc_locks import held_by_me

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.ui import dialogs
from qcdesk.ui.main_window import MainWindow
from qcdesk.ui.settings import Settings

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, make_window, tmp_path: Path, messages) -> MainWindow:
    path = tmp_path / "study.qcdesk"
    with Project.create(path) as project:
        project.documents.add("Interview 1", ParsedDocument(text="Mentor: Welcome aboard.", source_format="txt"))
    settings = Settings(tmp_path / "settings.ini")
    settings.set_last_folder(tmp_path)
    win = make_window(path, settings=settings, teardown="project")
    win.project.codebook.add("In the WAL")
    # the check of the texts after opening reads through a connection of its own: its read lock
    # comes and goes, so the locks are compared once it has ended
    qtbot.waitUntil(lambda: not win.text_check.running(), timeout=20000)
    return win


def _cancel_once_listed(qtbot, names: list[Path], seen: list[str]) -> None:
    """When the file dialog is up: wait until it has typed every file in the folder, then Cancel."""

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(0, drive)
            return
        seen.append(dialog.windowTitle())
        model = dialog.findChild(QFileSystemModel)
        try:
            qtbot.waitUntil(lambda: all(model.type(model.index(str(n))) for n in names), timeout=10000)
        finally:
            dialog.reject()

    QTimer.singleShot(0, drive)


def _listed(window: MainWindow) -> list[Path]:
    path = window.project.path
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def test_open_dialog_cancelled(qtbot, window, monkeypatch):
    before = held_by_me(window.project.path)
    seen: list[str] = []
    opened: list[str] = []
    monkeypatch.setattr(window, "open_project", opened.append)
    _cancel_once_listed(qtbot, _listed(window), seen)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    assert seen and seen == ["Open project"] and not opened
    assert held_by_me(window.project.path) == before
    window.project.codebook.add("Still writing")


def test_export_report_dialog_in_the_projects_folder(qtbot, window):
    before = held_by_me(window.project.path)
    seen: list[str] = []
    _cancel_once_listed(qtbot, _listed(window), seen)
    dialog = window.exports.make_dialog("segments-by-code")
    try:
        window.exports.export_from(dialog)
    finally:
        dialog.deleteLater()
    assert seen and seen == ["Export report"]
    assert window.exports.job is None  # cancelled: nothing is written
    assert held_by_me(window.project.path) == before


@pytest.mark.parametrize("ask", ["ask_open_path", "ask_open_paths", "ask_save_path"])
def test_every_file_question_lists_the_folder_without_reading_files(qtbot, window, ask):
    before = held_by_me(window.project.path)
    seen: list[str] = []
    _cancel_once_listed(qtbot, _listed(window), seen)
    answer = getattr(dialogs, ask)(window, "Pick", str(window.project.path.parent), "All files (*)")
    assert seen and not answer
    assert held_by_me(window.project.path) == before


def test_opening_the_open_project_again_keeps_the_locks(qtbot, window, monkeypatch, messages):
    """Recent projects or Ctrl+O on the project already open: refused, and its locks stay."""
    monkeypatch.setattr(dialogs, "confirm", lambda *a: False)  # "Open it read-only?" No
    project = window.project
    before = held_by_me(project.path)
    assert not window.open_project(project.path)
    assert window.project is project
    assert held_by_me(project.path) == before
    project.codebook.add("Still writing")
