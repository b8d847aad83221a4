"""The recording's timeline in the Recording dock, driven with the mouse: a drag marks a range that
F9 codes, a click plays from there, the time codings show as bands; and a time range's memo
edited from the list (double-click or its menu), undoable."""

from __future__ import annotations

import pytest

QtMultimedia = pytest.importorskip("PySide6.QtMultimedia", reason="Qt Multimedia cannot be imported here")

from PySide6.QtCore import QPoint, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QColor  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QPlainTextEdit  # noqa: E402
from test_media_player import SECONDS, _open, _project, press  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def window(make_window, qtbot, tmp_path, messages, activate):
    win = _open(make_window, _project(tmp_path), activate)
    win.player.panel.volume.setValue(0)
    qtbot.waitUntil(lambda: win.player.panel.player.duration() > 0, timeout=15000)
    wave = win.time_ranges.wave
    qtbot.waitUntil(lambda: wave.isVisible() and wave.width() > 100 and wave.peaks is not None, timeout=15000)
    yield win
    win.close()


def doc_id(win) -> int:
    return next(d.id for d in win.project.documents() if d.name == "Interview 1")


def code_id(win) -> int:
    return next(c.id for c in win.project.codes() if c.name == "Belonging")


def x_for(wave, seconds: float) -> int:
    """The pixel of ``seconds`` from the widget's width alone (the timeline spans the whole recording)."""
    return int(wave.width() * seconds / SECONDS)


def test_dragging_across_the_timeline_then_f9_codes_that_range(qtbot, window):
    wave, feature = window.time_ranges.wave, window.time_ranges
    assert window.codebook.select_code(code_id(window))
    y = wave.height() // 2
    start, end = QPoint(x_for(wave, 2), y), QPoint(x_for(wave, 9), y)
    qtbot.mousePress(wave, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(wave, QPoint((start.x() + end.x()) // 2, y))
    qtbot.mouseMove(wave, end)
    qtbot.mouseRelease(wave, Qt.MouseButton.LeftButton, pos=end)
    pixel_ms = SECONDS * 1000 / wave.width()
    steps = window.undo_stack.count()
    press(qtbot, window, Qt.Key.Key_F9)
    [made] = window.project.time_codings.for_document(doc_id(window))
    assert abs(made.start_ms - 2000) <= pixel_ms + 1 and abs(made.end_ms - 9000) <= pixel_ms + 1, made
    assert made.code_id == code_id(window) and window.undo_stack.count() == steps + 1
    assert "In 00:0" in feature.marks_label.text()
    # the new time coding is a band in its code's colour (#58d68d) across the range
    qtbot.waitUntil(lambda: len(wave.bands) == 1)
    image = wave.grab().toImage()
    inside = QColor(image.pixel(x_for(wave, 5.5), wave.height() - 2))
    outside = QColor(image.pixel(x_for(wave, 12), wave.height() - 2))
    assert inside.green() > inside.red() + 40 and inside != outside


def test_clicking_the_timeline_plays_from_there(qtbot, window):
    wave, player = window.time_ranges.wave, window.player.panel.player
    assert player.position() < 1000
    qtbot.mouseClick(wave, Qt.MouseButton.LeftButton, pos=QPoint(x_for(wave, 10), wave.height() // 2))
    pixel_ms = SECONDS * 1000 / wave.width()
    qtbot.waitUntil(lambda: abs(player.position() - 10000) <= pixel_ms + 300, timeout=10000)
    assert window.time_ranges.mark_in is None  # a click marks nothing


def test_the_position_line_follows_the_player(qtbot, window):
    wave, panel = window.time_ranges.wave, window.player.panel
    panel.seek(7000)
    qtbot.waitUntil(lambda: abs(wave.position_ms - 7000) < 100, timeout=10000)


def _answer_memo_dialog(qtbot, text: str | None):
    """When the memo editor opens: type ``text`` and press OK (None: Cancel)."""
    seen = []

    def answer():
        dialog = next((w for w in QApplication.topLevelWidgets()
                       if isinstance(w, QDialog) and w.objectName() == "timeCodingMemoDialog" and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(20, answer)
            return
        editor = dialog.findChild(QPlainTextEdit, "timeCodingMemoEdit")
        seen.append(editor.toPlainText())
        buttons = dialog.findChild(QDialogButtonBox)
        if text is None:
            qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
            return
        editor.selectAll()
        qtbot.keyClicks(editor, text)
        qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    return seen


def test_double_clicking_a_listed_range_edits_its_memo_undoably(qtbot, window):
    made = window.project.time_codings.add(doc_id(window), code_id(window), 6000, 7500, memo="laughs").value
    feature = window.time_ranges
    item = feature.list.topLevelItem(0)
    qtbot.waitUntil(lambda: feature.list.isVisible()
                    and feature.list.viewport().rect().contains(feature.list.visualItemRect(item).center()))
    seen = _answer_memo_dialog(qtbot, "long pause before answering")
    steps = window.undo_stack.count()
    centre = feature.list.visualItemRect(item).center()
    # as a hand does it: a click, then the second press of the double-click
    qtbot.mouseClick(feature.list.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(feature.list.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.waitUntil(lambda: window.project.time_codings.get(made.id).memo == "long pause before answering")
    assert seen == ["laughs"]  # the editor opened on the memo it had
    assert feature.rows() == [("00:06–00:07.500", "Belonging", "long pause before answering")]
    assert window.undo_stack.count() == steps + 1
    window.undo_stack.undo()
    assert window.project.time_codings.get(made.id).memo == "laughs"
    assert feature.rows()[0][2] == "laughs"
    window.undo_stack.redo()
    assert window.project.time_codings.get(made.id).memo == "long pause before answering"


def test_memo_from_the_lists_menu_and_cancel_changes_nothing(qtbot, window):
    made = window.project.time_codings.add(doc_id(window), code_id(window), 1000, 3000).value
    feature = window.time_ranges
    steps = window.undo_stack.count()
    menu = feature.menu_for(feature.list.topLevelItem(0))
    [memo] = [a for a in menu.actions() if a.objectName() == "actionTimeCodingMemo"]
    _answer_memo_dialog(qtbot, None)
    memo.trigger()
    assert window.project.time_codings.get(made.id).memo == "" and window.undo_stack.count() == steps
    menu = feature.menu_for(feature.list.topLevelItem(0))
    _answer_memo_dialog(qtbot, "sighs")
    next(a for a in menu.actions() if a.objectName() == "actionTimeCodingMemo").trigger()
    assert window.project.time_codings.get(made.id).memo == "sighs" and window.undo_stack.count() == steps + 1


def test_at_1024_by_700_the_recording_dock_leaves_the_transcript_its_room(qtbot, window):
    """The dock takes at most a quarter of the window, with the time-range list shown or not, and
    shows all it holds at its own size (the list's rows are not squeezed away); the transcript
    keeps what it has without the recording less that quarter."""
    window.resize(1024, 700)
    dock, viewport, feature = window.player.dock, window.transcript.viewport(), window.time_ranges
    qtbot.waitUntil(lambda: window.height() == 700)
    dock.hide()
    qtbot.waitUntil(lambda: not dock.isVisible())
    window.layout().activate()  # the hidden dock's room goes back to the central area now
    without = viewport.height()
    quarter = window.height() // 4
    window.player.load_open_document()  # shows the dock again, sized to fit

    def room_ok():
        return dock.isVisible() and dock.height() <= quarter + 2 and viewport.height() >= without - quarter - 8

    qtbot.waitUntil(room_ok)
    assert feature.list.isHidden()
    window.project.time_codings.add(doc_id(window), code_id(window), 1000, 2000)
    window.project.time_codings.add(doc_id(window), code_id(window), 3000, 4000)
    window.project.time_codings.add(doc_id(window), code_id(window), 5000, 6000)
    qtbot.waitUntil(lambda: feature.list.isVisible())
    qtbot.waitUntil(room_ok)
    # everything in the dock is on screen at its own height: the wave, and the list's three rows
    shown = dock.widget().viewport().rect()
    wave = feature.wave
    assert wave.height() >= wave.sizeHint().height()
    assert shown.contains(wave.mapTo(dock.widget().viewport(), wave.rect().bottomRight()))
    last = feature.list.visualItemRect(feature.list.topLevelItem(2))
    qtbot.waitUntil(lambda: feature.list.viewport().rect().contains(
        feature.list.visualItemRect(feature.list.topLevelItem(2))))
    bottom = feature.list.viewport().mapTo(dock.widget().viewport(), last.bottomLeft())
    assert shown.contains(bottom)
