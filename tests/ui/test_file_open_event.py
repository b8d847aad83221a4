"""macOS hands a double-clicked project to the running app as a FileOpen event: it opens it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QFileOpenEvent
from PySide6.QtWidgets import QApplication

from qcdesk.ui.app import open_files_from_the_desktop
from builders import empty_project

pytestmark = pytest.mark.gui


def test_file_open_event_opens_the_project_in_the_window(make_window, qtbot, tmp_path: Path, messages):
    path = tmp_path / "From Finder.qcdesk"
    empty_project(path).close()
    window = make_window()

    app = QApplication.instance()
    open_files_from_the_desktop(app, window, platform="darwin")
    try:
        QCoreApplication.sendEvent(app, QFileOpenEvent(str(path)))
        assert window.project is not None and window.project.path == path
        assert window.windowTitle().startswith("From Finder.qcdesk")
        assert messages == []
        # other events pass through untouched
        probe = QObject()
        assert not app._file_open_filter.eventFilter(probe, QEvent(QEvent.Type.User))
    finally:
        app.removeEventFilter(app._file_open_filter)
        window.close()


@pytest.mark.parametrize("platform", ["linux", "win32"])
def test_elsewhere_no_filter_watches_every_event(make_window, qtbot, tmp_path: Path, messages, platform):
    """Qt sends FileOpen events on macOS only; elsewhere the project comes in argv, and a filter on the
    whole application would be called for every event of every widget."""
    path = tmp_path / "Elsewhere.qcdesk"
    empty_project(path).close()
    window = make_window()
    app = QApplication.instance()
    known = getattr(app, "_file_open_filter", None)
    open_files_from_the_desktop(app, window, platform=platform)
    try:
        assert getattr(app, "_file_open_filter", None) is known
        QCoreApplication.sendEvent(app, QFileOpenEvent(str(path)))
        assert window.project is None
    finally:
        window.close()
