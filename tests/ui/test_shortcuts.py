"""Keyboard shortcuts on the platform the tests run on (offscreen, and X11 in the second run of
``python3 packaging/dev.py test``): none bound twice where both could fire, and Redo works with
both documented keys. A key sequence bound twice is ambiguous to Qt, which then runs neither."""

from __future__ import annotations

from itertools import combinations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDockWidget, QWidget
from test_main_window import TEXT, code_id, project_path, select_with_keyboard, window  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.gui

Context = Qt.ShortcutContext
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier


def bindings(win) -> list[tuple[str, str, Context, list[QWidget]]]:
    """(owner, key sequence, context, widgets it is active on) for every shortcut of the window."""
    out = []
    for action in win.findChildren(QAction):
        widgets = [o for o in action.associatedObjects() if isinstance(o, QWidget)]
        for seq in action.shortcuts():
            out.append((f"action {action.objectName() or action.text()!r}", seq.toString(),
                        action.shortcutContext(), widgets))
    for shortcut in win.findChildren(QShortcut):
        for seq in shortcut.keys():
            out.append((f"shortcut on {shortcut.parent().objectName()!r}", seq.toString(),
                        shortcut.context(), [shortcut.parent()]))
    return out


def may_fire_together(a, b) -> bool:
    """Whether both shortcuts could be live at once, as Qt's shortcut map decides it."""
    window_wide = {Context.WindowShortcut, Context.ApplicationShortcut}
    (_, _, context_a, widgets_a), (_, _, context_b, widgets_b) = a, b
    if context_a in window_wide or context_b in window_wide:
        return True  # a widget shortcut is live while its widget has the focus, in the window

    def covers(context, holders, focus) -> bool:
        if context == Context.WidgetShortcut:
            return focus in holders
        return any(h is focus or h.isAncestorOf(focus) for h in holders)

    focusable = widgets_a + widgets_b
    return any(covers(context_a, widgets_a, f) and covers(context_b, widgets_b, f) for f in focusable)


def clashes(win) -> list[str]:
    found = []
    for a, b in combinations(bindings(win), 2):
        if a[1] == b[1] and may_fire_together(a, b):
            found.append(f"{a[1]}: {a[0]} and {b[0]}")
    return found


def test_no_key_sequence_is_bound_twice(qtbot, window):
    for dock in window.findChildren(QDockWidget):
        window.show_panel(dock)  # every panel, with the actions it adds
    assert len(bindings(window)) > 15
    assert clashes(window) == [], QApplication.platformName()


def test_the_clash_check_finds_a_clash(qtbot, window):
    extra = QAction("Again", window)
    extra.setShortcut(QKeySequence("Ctrl+E"))
    window.addAction(extra)
    assert clashes(window) == ["Ctrl+E: action 'actionApplyCode' and action 'Again'"]


def test_documented_undo_and_redo_keys(window):
    assert "Ctrl+Z" in [s.toString() for s in window.act_undo.shortcuts()]
    redo = [s.toString() for s in window.act_redo.shortcuts()]
    assert redo[:2] == ["Ctrl+Shift+Z", "Ctrl+Y"] and len(redo) == len(set(redo))


@pytest.mark.parametrize("key, modifiers", [(Qt.Key.Key_Z, CTRL | SHIFT), (Qt.Key.Key_Y, CTRL)],
                         ids=["ctrl-shift-z", "ctrl-y"])
def test_redo_keys_bring_the_coding_back(qtbot, window, activate, key, modifiers):
    win = window
    start, words = TEXT.index("I felt I belonged"), "I felt I belonged"
    activate(win)
    select_with_keyboard(qtbot, win, start, len(words))
    win.codebook.select_code(code_id(win, "Belonging"))
    qtbot.keyClick(win.transcript, Qt.Key.Key_E, CTRL)
    document = win.transcript.document_id
    [coding] = win.project.codings_for_document(document)
    qtbot.keyClick(win.transcript, Qt.Key.Key_Z, CTRL)
    assert win.project.codings_for_document(document) == []
    qtbot.keyClick(win.transcript, key, modifiers)
    assert [(c.id, c.start, c.end) for c in win.project.codings_for_document(document)] == \
        [(coding.id, start, start + len(words))]
    qtbot.keyClick(win.transcript, key, modifiers)  # nothing left to redo: no second coding
    assert len(win.project.codings_for_document(document)) == 1
