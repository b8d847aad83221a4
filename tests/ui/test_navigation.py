"""Moving between panes and documents from the keyboard, and the focused pane showing it. Run on
X11 too (python3 packaging/dev.py test runs tests/ui under Xvfb): focus and shortcuts differ there."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from test_main_window import code_id, project_path, window  # noqa: F401 - shared fixtures

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block

pytestmark = pytest.mark.gui

CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
KEYS = [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5]


def test_ctrl_shift_number_moves_the_keyboard_to_each_pane_and_that_pane_shows_it(qtbot, window, activate):
    win = window
    nav = win.navigation
    targets = [win.transcript, win.codebook.view, win.segments.tree, win.documents.list, win.search.panel.query]
    assert [p.name for p in nav.panes] == ["Transcript", "Codebook", "Coded segments", "Documents", "Search"]
    for key, pane, target in zip(KEYS, nav.panes, targets, strict=True):
        activate(win)
        qtbot.keyClick(QApplication.focusWidget() or win, key, CTRL | SHIFT)
        qtbot.waitUntil(lambda t=target: QApplication.focusWidget() is t)
        assert nav.focused_pane() is pane
        assert [bool(p.frame.property("paneFocused")) for p in nav.panes].count(True) == 1
    assert win.search.dock.isVisible()  # a hidden panel is shown to take the focus
    # a click elsewhere moves the mark with the focus
    qtbot.mouseClick(win.transcript.viewport(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: nav.focused_pane() is nav.panes[0])
    assert win.doc_header.autoFillBackground()


def test_f6_and_shift_f6_step_the_keyboard_through_the_panes_and_round(qtbot, window, activate):
    win = window
    nav = win.navigation
    activate(win)
    win.transcript.setFocus()
    order = [win.codebook.view, win.segments.tree, win.documents.list, win.search.panel.query, win.transcript]
    for target in order:
        qtbot.keyClick(QApplication.focusWidget() or win, Qt.Key.Key_F6)
        qtbot.waitUntil(lambda t=target: QApplication.focusWidget() is t)
    for target in reversed(order[:-1]):
        qtbot.keyClick(QApplication.focusWidget() or win, Qt.Key.Key_F6, SHIFT)
        qtbot.waitUntil(lambda t=target: QApplication.focusWidget() is t)
    assert nav.focused_pane() is nav.panes[1]


def test_ctrl_page_down_and_up_step_through_the_documents(qtbot, window, activate):
    win = window
    for name in ("Interview 2", "Interview 3"):
        win.project.documents.add(name, ParsedDocument(text=f"{name} text.", source_format="txt",
                                                       blocks=[Block("paragraph", 0, 5)]))
    qtbot.waitUntil(lambda: win.documents.list.count() == 3)
    names = {d.id: d.name for d in win.project.documents()}
    activate(win)
    win.transcript.setFocus()
    qtbot.keyClick(win.transcript, Qt.Key.Key_PageDown, CTRL)
    assert names[win.transcript.document_id] == "Interview 2"
    assert QApplication.focusWidget() is win.transcript  # reading on, the keyboard stays in the text
    qtbot.keyClick(win.transcript, Qt.Key.Key_PageDown, CTRL)
    qtbot.keyClick(win.transcript, Qt.Key.Key_PageDown, CTRL)
    assert names[win.transcript.document_id] == "Interview 3"
    assert "last document" in win.statusBar().currentMessage()
    qtbot.keyClick(win.transcript, Qt.Key.Key_PageUp, CTRL)
    assert names[win.transcript.document_id] == "Interview 2"


def test_the_go_to_shortcuts_are_in_the_view_menu_help_list_and_tooltips(window):
    nav = window.navigation
    assert nav.go_menu.menuAction() in window.view_menu.actions()
    rows = window.help.shortcut_rows()
    for act in nav.actions + [nav.act_next, nav.act_previous, nav.act_next_pane, nav.act_previous_pane]:
        keys = act.shortcut().toString()
        assert keys in act.toolTip()
        assert any(keys == k for _what, k in rows)


def title_colours(dock) -> set[str]:
    """The colours across the middle line of a dock's title strip, as drawn."""
    image = dock.grab().toImage()
    y = dock.widget().geometry().top() // 2
    return {image.pixelColor(x, y).name() for x in range(dock.width() // 3, dock.width() // 2)}


def test_the_focused_docks_title_is_highlighted_without_restyling_the_panel(qtbot, window, activate):
    """Only the title strip is drawn in the highlight colour: a style sheet on the dock restyled
    every widget of the panel on each focus change (about 12 ms for the codebook)."""
    win = window
    nav = win.navigation
    highlight = win.palette().color(QPalette.ColorRole.Highlight).name()
    activate(win)
    qtbot.keyClick(QApplication.focusWidget() or win, Qt.Key.Key_2, CTRL | SHIFT)
    qtbot.waitUntil(lambda: nav.focused_pane() is nav.panes[1])
    dock = win.codebook_dock
    assert title_colours(dock) == {highlight}
    assert dock.styleSheet() == "" and win.codebook.view.styleSheet() == ""
    win.transcript.setFocus()
    qtbot.waitUntil(lambda: nav.focused_pane() is nav.panes[0])
    assert highlight not in title_colours(dock)
    assert title_colours(win.segments_dock) == title_colours(dock)  # as an unfocused dock
