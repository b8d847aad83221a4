"""Idle lock: the window hides everything after the idle time and shows it again only for the
passphrase (encrypted projects) or the Show button (plain ones)."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.ui import unlock
from qcdesk.ui.settings import Settings

pytestmark = pytest.mark.gui

PASS = "correct horse battery"
WORDS = "P: The nurse on ward nine was kind.\n"


def _window(make_window, tmp_path, monkeypatch, passphrase):
    path = tmp_path / "p.qcdesk"
    with Project.create(path, passphrase=passphrase) as project:
        project.documents.add("Interview 3", ParsedDocument(text=WORDS, source_format="txt"))
    monkeypatch.setattr(unlock, "_ask_passphrase", lambda *a, **k: PASS)
    return make_window(path, settings_file="s.ini")


def _visible_text(win) -> bool:
    return win.transcript.isVisible() or win.documents_dock.isVisible() or win.codebook_dock.isVisible()


def test_encrypted_project_locks_when_idle_and_needs_the_passphrase(make_window, qtbot, tmp_path, monkeypatch):
    win = _window(make_window, tmp_path, monkeypatch, PASS)
    assert win.transcript.toPlainText() == WORDS and _visible_text(win)
    win.security.idle.set_minutes(0.002)  # about 120 ms
    qtbot.waitUntil(lambda: win.security.idle.locked, timeout=30000)
    screen = win.centralWidget()
    assert screen.objectName() == "lockScreen"
    assert not _visible_text(win) and not win.menuBar().isEnabled()
    assert not win.act_undo.isEnabled() and not win.act_import.isEnabled()

    qtbot.keyClicks(screen.field, "not the passphrase")
    qtbot.mouseClick(screen.button, Qt.MouseButton.LeftButton)
    assert win.security.idle.locked and "wrong" in screen.message.text()
    assert screen.field.text() == ""

    qtbot.keyClicks(screen.field, PASS)
    qtbot.keyClick(screen.field, Qt.Key.Key_Return)
    assert not win.security.idle.locked
    assert win.centralWidget() is win.stack and _visible_text(win)
    assert win.transcript.toPlainText() == WORDS and win.menuBar().isEnabled() and win.act_import.isEnabled()
    win.security.idle.set_minutes(0)
    win.close_project()


def test_input_postpones_the_lock(make_window, qtbot, tmp_path, monkeypatch):
    """Keys pressed every 0.1 s keep a 1 s idle lock away; it comes 1 s after the last one.

    Judged on the clock, not on fixed waits: a busy machine may leave a longer gap between two
    presses, and then an earlier lock is right, but never a lock sooner than 1 s after input.
    """
    win = _window(make_window, tmp_path, monkeypatch, PASS)
    idle = win.security.idle
    interval = 1.0
    locked_at: list[float] = []
    idle.timer.timeout.connect(lambda: locked_at.append(time.monotonic()))
    presses: list[tuple[float, float]] = []  # (before, after) each key press
    began = time.monotonic()
    idle.set_minutes(interval / 60)
    while not locked_at and time.monotonic() - began < 3 * interval:
        last = presses[-1][0] if presses else began
        qtbot.waitUntil(lambda last=last: bool(locked_at) or time.monotonic() - last >= interval / 10)
        if not locked_at:
            before = time.monotonic()
            qtbot.keyClick(win.transcript, Qt.Key.Key_Right)
            presses.append((before, time.monotonic()))
    qtbot.waitUntil(lambda: idle.locked, timeout=30000)
    [when] = locked_at
    pressed_before = [before for before, _ in presses if before < when]
    # coarse timers may fire up to 5 % early
    assert when - max(pressed_before, default=began) >= 0.94 * interval
    gaps = [b[1] - a[0] for a, b in zip([(began, began), *presses], presses)]
    if max(gaps, default=interval) < 0.9 * interval:  # the machine kept up: the presses held the lock off
        assert len(pressed_before) == len(presses) >= 10
    idle.set_minutes(0)
    win.close_project()
    assert not idle.locked and win.centralWidget() is win.stack


def test_plain_project_ctrl_l_and_show_button(make_window, qtbot, tmp_path, monkeypatch):
    win = _window(make_window, tmp_path, monkeypatch, None)
    assert win.security.idle.minutes() == 15
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    qtbot.keyClick(win.transcript, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert win.security.idle.locked
    screen = win.centralWidget()
    assert not screen.field.isVisible() and screen.button.text() == "Show"
    qtbot.mouseClick(screen.button, Qt.MouseButton.LeftButton)
    assert not win.security.idle.locked and win.transcript.toPlainText() == WORDS


def test_idle_minutes_setting_from_the_menu(make_window, qtbot, tmp_path, monkeypatch, messages):
    from qcdesk.ui import dialogs

    win = _window(make_window, tmp_path, monkeypatch, None)
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "5")
    win.security.act_idle.trigger()
    assert win.security.idle.minutes() == 5 and win.security.idle.timer.interval() == 300_000
    assert Settings(tmp_path / "s.ini").qs.value("security/idle_minutes") in (5, "5")
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "soon")
    win.security.act_idle.trigger()
    assert messages[-1][0] == "error" and win.security.idle.minutes() == 5
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "0")
    win.security.act_idle.trigger()
    assert not win.security.idle.timer.isActive()
    win.close_project()


def test_closing_while_locked_keeps_the_panels_for_next_time(make_window, qtbot, tmp_path, monkeypatch):
    win = _window(make_window, tmp_path, monkeypatch, None)
    win.security.idle.lock()
    assert not win.documents_dock.isVisible()
    win.close()
    again = make_window(settings_file="s.ini")
    assert again.documents_dock.isVisible() and again.codebook_dock.isVisible()


def test_each_kind_of_input_holds_the_lock_off_and_other_events_do_not(make_window, qtbot, tmp_path, monkeypatch):
    """A key, a click, a move of the mouse and a turn of its wheel each start the idle time again;
    painting and timers do not (only what the researcher does counts)."""
    from PySide6.QtCore import QEvent, QPoint, QPointF
    from PySide6.QtGui import QMouseEvent, QWheelEvent
    from PySide6.QtWidgets import QApplication

    win = _window(make_window, tmp_path, monkeypatch, None)
    idle = win.security.idle
    idle.set_minutes(1)
    full = idle.timer.interval()
    viewport = win.transcript.viewport()
    centre = viewport.rect().center()

    def turn_wheel():
        event = QWheelEvent(QPointF(centre), QPointF(viewport.mapToGlobal(centre)), QPoint(0, 0), QPoint(0, -120),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(viewport, event)

    def move_mouse():  # as the window system sends it (QTest's move may reach the window later, or not)
        to = QPointF(centre + QPoint(3, 3))
        event = QMouseEvent(QEvent.Type.MouseMove, to, QPointF(viewport.mapToGlobal(to.toPoint())),
                            Qt.MouseButton.NoButton, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
        QApplication.sendEvent(viewport, event)

    inputs = {
        "key": lambda: qtbot.keyClick(win.transcript, Qt.Key.Key_Right),
        "click": lambda: qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=centre),
        "move": move_mouse,
        "wheel": turn_wheel,
    }
    for name, give in inputs.items():
        qtbot.waitUntil(lambda: idle.timer.remainingTime() < full - 600, timeout=5000)
        give()
        assert idle.timer.remainingTime() > full - 300, name  # started again (not 0.6 s gone)
    qtbot.waitUntil(lambda: idle.timer.remainingTime() < full - 600, timeout=5000)
    viewport.repaint()
    QApplication.sendEvent(win, QEvent(QEvent.Type.UpdateRequest))
    assert idle.timer.remainingTime() < full - 550  # no input: the idle time goes on
    idle.set_minutes(0)
