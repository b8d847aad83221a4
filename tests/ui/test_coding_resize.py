"""Resizing a coding in the window: drag a stripe's end in the margin, or extend the coding to the
selection (Code menu, its shortcut, the transcript's context menu); each one undo step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QMenu
from test_main_window import TEXT, code_id, project_path, select_with_keyboard, window  # noqa: F401 - shared fixtures
from builders import empty_project

pytestmark = pytest.mark.gui

MY_MENTOR = TEXT.index("My mentor")
LATER_LINE = TEXT.index("P1: Later")


def bar_of(win, coding_id):
    margin = win.transcript.margin
    [rect] = [r for r, span in margin.visible() if span.coding_id == coding_id]
    return rect


def line_y(win, cp):
    return win.transcript.line_top(win.transcript.offsets.to_qt(cp)) + 3


def ranges(win):
    return [(c.code_id, c.start, c.end) for c in win.project.codings_for_document(win.transcript.document_id)]


def test_dragging_a_stripes_bottom_end_down_extends_the_coding_to_that_line_one_undo_step(qtbot, window):
    win = window
    mentoring = code_id(win, "Mentoring")
    coding = win.project.codings.apply(win.transcript.document_id, mentoring, MY_MENTOR, MY_MENTOR + len("My mentor")).value
    margin = win.transcript.margin
    qtbot.waitUntil(lambda: any(s.coding_id == coding.id for _r, s in margin.visible()))
    rect = bar_of(win, coding.id)
    grab = QPoint(rect.center().x(), rect.bottom() - 1)
    assert margin.handle_at(grab) is not None and margin.handle_at(grab)[1] == "end"
    target = QPoint(rect.center().x(), line_y(win, LATER_LINE + 5))
    qtbot.mousePress(margin, Qt.MouseButton.LeftButton, pos=grab)
    qtbot.mouseMove(margin, target)
    qtbot.mouseRelease(margin, Qt.MouseButton.LeftButton, pos=target)
    assert ranges(win) == [(mentoring, MY_MENTOR, len(TEXT))]  # to the end of the line dropped on
    assert win.undo_stack.undoText() == "Resize coding “Mentoring”"
    qtbot.waitUntil(lambda: bar_of(win, coding.id).bottom() > target.y() - 4)  # the stripe follows

    win.undo_stack.undo()
    assert ranges(win) == [(mentoring, MY_MENTOR, MY_MENTOR + len("My mentor"))]
    win.undo_stack.redo()
    assert ranges(win) == [(mentoring, MY_MENTOR, len(TEXT))]

    # the top end dragged below the bottom one: refused with a message, nothing changed
    rect = bar_of(win, coding.id)
    grab, below = QPoint(rect.center().x(), rect.top() + 1), QPoint(rect.center().x(), rect.bottom() + 30)
    assert margin.handle_at(grab)[1] == "start"
    qtbot.mousePress(margin, Qt.MouseButton.LeftButton, pos=grab)
    qtbot.mouseRelease(margin, Qt.MouseButton.LeftButton, pos=below)
    assert ranges(win) == [(mentoring, MY_MENTOR, len(TEXT))]


def test_dragging_onto_the_same_codes_other_coding_is_refused_with_a_message(qtbot, window, messages):
    win = window
    doc = win.transcript.document_id
    mentoring = code_id(win, "Mentoring")
    line2_start = TEXT.index("P1: My")
    line2_end = TEXT.index("\nInterviewer: And")
    win.project.codings.apply(doc, mentoring, line2_start, line2_end)  # the whole line
    part = win.project.codings.apply(doc, mentoring, line2_start, line2_start + 9).value  # its first words
    margin = win.transcript.margin
    qtbot.waitUntil(lambda: len(margin.visible()) == 2)
    before = ranges(win)
    rect = bar_of(win, part.id)
    grab = QPoint(rect.center().x(), rect.bottom() - 1)
    assert margin.handle_at(grab)[1] == "end"
    # its end dropped on its own line: to the line's end, which would make it the other coding
    qtbot.mousePress(margin, Qt.MouseButton.LeftButton, pos=grab)
    qtbot.mouseRelease(margin, Qt.MouseButton.LeftButton, pos=grab)
    assert messages and "already coded with “Mentoring” by the same coder" in messages[-1][2]
    assert ranges(win) == before and win.undo_stack.count() == 0


def test_extend_coding_to_the_selection_from_the_code_menu_shortcut_and_context_menu(qtbot, window, activate):
    win = window
    doc = win.transcript.document_id
    mentoring = code_id(win, "Mentoring")
    coding = win.project.codings.apply(doc, mentoring, MY_MENTOR, MY_MENTOR + len("My mentor")).value
    assert win.coding_edits.act_extend in win.code_menu.actions()
    was = TEXT.index("was assigned")
    select_with_keyboard(qtbot, win, was, len("was assigned"))  # the next words, a space between
    activate(win)
    qtbot.keyClick(win.transcript, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
    end = was + len("was assigned")
    assert ranges(win) == [(mentoring, MY_MENTOR, end)]
    assert win.undo_stack.undoText() == "Extend coding “Mentoring”"
    win.undo_stack.undo()
    assert ranges(win) == [(mentoring, MY_MENTOR, MY_MENTOR + len("My mentor"))]

    shown: list[QMenu] = []

    def seen(menu, _codings):  # the menu as the window filled it; it closes as soon as it shows
        shown.append(menu)
        menu.aboutToShow.connect(lambda: QTimer.singleShot(0, menu.close))

    win.transcriptMenuAboutToShow.connect(seen)
    select_with_keyboard(qtbot, win, was, len("was assigned"))
    win.transcript.customContextMenuRequested.emit(win.transcript.cursorRect().center())
    [menu] = shown
    [extend] = [m for m in menu.findChildren(QMenu) if m.objectName() == "menuExtendCoding"]
    [act] = extend.actions()
    assert act.text() == "Mentoring" and act.objectName() == f"extendCoding:{coding.id}"
    act.trigger()
    assert ranges(win) == [(mentoring, MY_MENTOR, end)]

    # words far from any coding: nothing to extend, said in the status bar
    select_with_keyboard(qtbot, win, TEXT.index("belonged"), len("belonged"))
    assert not win.coding_edits.extend_to_selection()
    assert "No coding" in win.statusBar().currentMessage()


def test_in_a_right_to_left_transcript_a_dragged_end_takes_the_whole_line(make_window, qtbot, tmp_path, messages):
    from qcdesk.core.importers.base import ParsedDocument
    from qcdesk.core.models import Block

    lines = ["ספרי לי על המשמרת הראשונה.", "הרופאה אמרה לי שהמשמרת הראשונה היא הקשה ביותר.",
             "ומה עזר לך?", "השיחות עם האחיות בלילה עזרו לי מאוד."]
    text = "\n".join(lines)
    blocks, pos = [], 0
    for line in lines:
        blocks.append(Block("paragraph", pos, pos + len(line)))
        pos += len(line) + 1
    path = tmp_path / "rtl.qcdesk"
    with empty_project(path) as project:
        project.documents.add("hebrew", ParsedDocument(text=text, source_format="txt", blocks=blocks))
        code = project.codebook.add("Shifts").value
        word = text.index("הרופאה")
        coding = project.codings.apply(1, code.id, word, word + len("הרופאה")).value
    win = make_window(path, size=(1000, 700), exposed=True)

    margin = win.transcript.margin
    qtbot.waitUntil(lambda: len(margin.visible()) == 1)
    rect = bar_of(win, coding.id)
    last_line = text.index(lines[3])
    qtbot.mousePress(margin, Qt.MouseButton.LeftButton, pos=QPoint(rect.center().x(), rect.bottom() - 1))
    qtbot.mouseRelease(margin, Qt.MouseButton.LeftButton, pos=QPoint(rect.center().x(), line_y(win, last_line + 2)))
    assert [(c.start, c.end) for c in win.project.codings_for_document(1)] == [(word, len(text))]
    rect = bar_of(win, coding.id)
    qtbot.mousePress(margin, Qt.MouseButton.LeftButton, pos=QPoint(rect.center().x(), rect.top() + 1))
    qtbot.mouseRelease(margin, Qt.MouseButton.LeftButton, pos=QPoint(rect.center().x(), line_y(win, 2)))
    assert [(c.start, c.end) for c in win.project.codings_for_document(1)] == [(0, len(text))]
    win.close()
