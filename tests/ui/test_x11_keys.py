"""The window's shortcuts pressed on a real X11 keyboard (issue #17).

QTest hands Qt a key code and modifiers directly, bypassing the X server's keyboard map; on a real
keyboard Shift+1 is "!" (keysym exclam), and whether Qt's xcb plugin still matches "Ctrl+Shift+1"
is what these tests check. xdotool sends XTEST events through the X server, as a keyboard does.
They run only on the xcb platform with xdotool installed (python3 packaging/dev.py test runs
tests/ui under Xvfb and, as root, installs xdotool with Xvfb).
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication
from test_main_window import code_id, project_path, select_with_keyboard, window  # noqa: F401 - shared fixtures

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def x11_keyboard(qapp):
    if QGuiApplication.platformName() != "xcb":
        pytest.skip("real X key events need the xcb platform (python3 packaging/dev.py test runs these under Xvfb)")
    if shutil.which("xdotool") is None:
        pytest.skip("xdotool is not installed (Debian: apt-get install xdotool; packaging/dev.py test does it as root)")


def press(qtbot, win, keys: str) -> None:
    """Press ``keys`` (xdotool's names, "ctrl+shift+1") on the X server's keyboard, into the active window."""
    qtbot.waitUntil(win.isActiveWindow)
    QApplication.processEvents()
    subprocess.run(["xdotool", "key", "--clearmodifiers", keys], check=True, timeout=30)


def test_ctrl_shift_digits_move_the_keyboard_to_each_pane(qtbot, window, activate):
    win = window
    targets = [win.transcript, win.codebook.view, win.segments.tree, win.documents.list, win.search.panel.query]
    activate(win)
    for n, target in reversed(list(enumerate(targets, start=1))):
        press(qtbot, win, f"ctrl+shift+{n}")
        qtbot.waitUntil(lambda t=target: QApplication.focusWidget() is t)
        assert win.navigation.focused_pane() is win.navigation.panes[n - 1]


def test_ctrl_page_down_and_up_step_through_the_documents(qtbot, window, activate):
    win = window
    win.project.documents.add("Interview 2", ParsedDocument(text="Second text.", source_format="txt",
                                                            blocks=[Block("paragraph", 0, 6)]))
    qtbot.waitUntil(lambda: win.documents.list.count() == 2)
    names = {d.id: d.name for d in win.project.documents()}
    activate(win)
    win.transcript.setFocus()
    press(qtbot, win, "ctrl+Next")
    qtbot.waitUntil(lambda: names.get(win.transcript.document_id) == "Interview 2")
    press(qtbot, win, "ctrl+Prior")
    qtbot.waitUntil(lambda: names.get(win.transcript.document_id) == "Interview 1")


def test_quick_code_ctrl_digit_and_both_redo_keys(qtbot, window, activate):
    win = window
    activate(win)
    select_with_keyboard(qtbot, win, 0, 4)
    assert win.apply_code(code_id(win, "Belonging"))
    assert len(win.transcript.codings()) == 1
    select_with_keyboard(qtbot, win, 10, 4)
    press(qtbot, win, "ctrl+1")  # the quick code bar's first slot: Belonging, just applied
    qtbot.waitUntil(lambda: len(win.transcript.codings()) == 2)
    for redo in ("ctrl+shift+z", "ctrl+y"):
        win.act_undo.trigger()
        qtbot.waitUntil(lambda: len(win.transcript.codings()) == 1)
        press(qtbot, win, redo)
        qtbot.waitUntil(lambda: len(win.transcript.codings()) == 2)


def test_player_function_keys_reach_their_actions(qtbot, window, activate):
    win = window
    media = win.player
    fired: list[str] = []
    for action, key in ((media.act_back, "F3"), (media.act_play, "F4"), (media.act_forward, "F5")):
        action.setEnabled(True)  # no recording attached: the action would be off; the key is what is checked
        action.triggered.connect(lambda _c=False, k=key: fired.append(k))
    activate(win)
    win.transcript.setFocus()
    for key in ("F3", "F4", "F5"):
        press(qtbot, win, key)
        qtbot.waitUntil(lambda k=key: k in fired)
    assert fired == ["F3", "F4", "F5"]


@pytest.fixture
def french_keyboard():
    """The X server's keyboard switched to French AZERTY, where the digits need Shift; back to us after."""
    if shutil.which("setxkbmap") is None:
        pytest.skip("setxkbmap is not installed (Debian: x11-xkb-utils)")
    subprocess.run(["setxkbmap", "fr"], check=True, timeout=30)
    yield
    subprocess.run(["setxkbmap", "us"], check=True, timeout=30)


def test_on_azerty_f6_still_reaches_every_pane_and_shift_digit_key_is_the_quick_code(
        qtbot, window, activate, french_keyboard):
    """On AZERTY the key marked 1 types "&" and Shift+it "1": Qt reads Ctrl+Shift+<that key> as Ctrl+1
    (the quick code), so Ctrl+Shift+1 cannot be typed there; F6 / Shift+F6 move between the panes."""
    win = window
    activate(win)
    win.transcript.setFocus()
    for target in (win.codebook.view, win.segments.tree):
        press(qtbot, win, "F6")
        qtbot.waitUntil(lambda t=target: QApplication.focusWidget() is t)
    press(qtbot, win, "shift+F6")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.codebook.view)
    press(qtbot, win, "shift+F6")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is win.transcript)
    select_with_keyboard(qtbot, win, 0, 4)
    assert win.apply_code(code_id(win, "Belonging"))
    select_with_keyboard(qtbot, win, 10, 4)
    press(qtbot, win, "ctrl+shift+ampersand")  # the key marked 1, with Shift as a French typist types 1
    qtbot.waitUntil(lambda: len(win.transcript.codings()) == 2)
