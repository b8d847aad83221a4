"""The transcript owns the window: at laptop sizes it gets at least half the height and a good
share of the width, the panels around it can shrink (their content scrolls), and a focus mode
leaves only the text and the codebook."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QToolBar

from qcdesk.core.demo import build_demo_project
from qcdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

#: the transcript's text column (its viewport, without the coding margin) at least this share of the window
MIN_WIDTH_SHARE = 0.40
MIN_HEIGHT_SHARE = 0.50


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory) -> Path:
    return build_demo_project(tmp_path_factory.mktemp("demo") / "demo.qcdesk")


def open_window(make_window, qtbot, demo_path: Path, width: int, height: int) -> MainWindow:
    win = make_window(demo_path, coder="Ana", size=(width, height), exposed=True)
    qtbot.waitUntil(lambda: win.transcript.document_id is not None)
    return win


def bottom_docks(win: MainWindow) -> list[QDockWidget]:
    return [d for d in win.findChildren(QDockWidget)
            if win.dockWidgetArea(d) == Qt.DockWidgetArea.BottomDockWidgetArea and not d.isFloating()]


def assert_transcript_owns_the_window(win: MainWindow) -> None:
    viewport = win.transcript.viewport()
    assert viewport.height() >= MIN_HEIGHT_SHARE * win.height(), (viewport.size(), win.size())
    assert viewport.width() >= MIN_WIDTH_SHARE * win.width(), (viewport.size(), win.size())


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800)])
def test_the_transcript_gets_half_the_height_and_a_good_share_of_the_width(make_window, qtbot, tmp_path, demo_path,
                                                                            messages, size):
    win = open_window(make_window, qtbot, demo_path, *size)
    assert win.size().width() == size[0] and win.size().height() == size[1]
    assert win.documents_dock.isVisible() and win.codebook_dock.isVisible() and win.segments_dock.isVisible()
    assert_transcript_owns_the_window(win)
    # every bottom panel shown (the saturation chart is the tallest): the transcript keeps its room
    for dock in bottom_docks(win):
        win.show_panel(dock)
        qtbot.waitUntil(lambda d=dock: d.isVisible())
        assert_transcript_owns_the_window(win)
    win.close()


def test_bottom_panels_shrink_to_a_few_lines(make_window, qtbot, tmp_path, demo_path, messages):
    """No panel in the bottom area forces it tall or the window wide: its content scrolls instead."""
    win = open_window(make_window, qtbot, demo_path, 1024, 700)
    for dock in win.findChildren(QDockWidget):
        hint = dock.minimumSizeHint()
        assert hint.height() <= 140, (dock.objectName(), hint)
        assert hint.width() <= 300, (dock.objectName(), hint)
    win.saturation.show()
    qtbot.waitUntil(lambda: win.saturation.dock.isVisible())
    dock = win.saturation.dock
    win.resizeDocks([dock], [320], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: dock.height() >= 250)
    before = win.transcript.viewport().height()
    win.resizeDocks([dock], [90], Qt.Orientation.Vertical)
    qtbot.waitUntil(lambda: dock.height() <= 120)
    assert win.transcript.viewport().height() > before
    win.close()


def test_focus_mode_shows_only_the_text_and_the_codebook_and_comes_back(make_window, qtbot, tmp_path, demo_path, messages):
    win = open_window(make_window, qtbot, demo_path, 1024, 700)
    win.saturation.show()
    qtbot.waitUntil(lambda: win.saturation.dock.isVisible())
    shown_before = {d.objectName() for d in win.findChildren(QDockWidget) if d.isVisible()}
    width_before = win.transcript.viewport().width()
    height_before = win.transcript.viewport().height()
    win.activateWindow()
    qtbot.waitUntil(lambda: win.isActiveWindow())
    win.transcript.setFocus()
    qtbot.keyClick(win.transcript, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: not win.documents_dock.isVisible())
    assert win.act_focus.isChecked()
    visible = {d.objectName() for d in win.findChildren(QDockWidget) if d.isVisible()}
    assert visible == {"codebookDock"}
    assert not win.findChild(QToolBar, "mainToolbar").isVisible()
    assert win.codebook.toolbar.isVisible()  # the codebook keeps its own New / Sub-code buttons
    assert win.transcript.viewport().width() > width_before
    assert win.transcript.viewport().height() > height_before
    assert win.transcript.viewport().height() >= 0.75 * win.height()
    qtbot.keyClick(win.transcript, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: win.documents_dock.isVisible())
    assert not win.act_focus.isChecked()
    assert {d.objectName() for d in win.findChildren(QDockWidget) if d.isVisible()} == shown_before
    assert win.findChild(QToolBar, "mainToolbar").isVisible() and win.codebook.toolbar.isVisible()
    win.close()


def test_focus_mode_has_a_shortcut_no_other_action_uses(make_window, qtbot, tmp_path, demo_path, messages):
    from PySide6.QtGui import QAction

    win = open_window(make_window, qtbot, demo_path, 1024, 700)
    keys = win.act_focus.shortcut().toString()
    assert keys
    users = [a.objectName() or a.text() for a in win.findChildren(QAction)
             if any(s.toString() == keys for s in a.shortcuts())]
    assert users == [win.act_focus.objectName()]
    win.close()


@pytest.mark.parametrize("size, docs_column", [((1024, 700), False), ((1920, 1080), True)])
def test_a_narrow_codebook_leaves_out_the_docs_column_so_names_are_not_cut(make_window, qtbot, tmp_path, demo_path, messages,
                                                                           size, docs_column):
    from qcdesk.ui.codebook_model import COL_DOCUMENTS, COL_NAME

    win = open_window(make_window, qtbot, demo_path, *size)
    view = win.codebook.view
    qtbot.waitUntil(lambda: view.header().isSectionHidden(COL_DOCUMENTS) != docs_column)
    # the deepest names of the demo's codebook fit their column (from the font, whatever it is)
    proxy = win.codebook.proxy
    for code in win.project.codes():
        index = win.codebook.proxy_index(code.id, COL_NAME)
        if not index.isValid():
            continue
        view.scrollTo(index)
        rect = view.visualRect(index)
        needed = view.fontMetrics().horizontalAdvance(code.name) + 24  # and the colour square before it
        assert rect.width() >= needed, (code.name, rect.width(), needed, proxy.rowCount())
