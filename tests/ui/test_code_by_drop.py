"""Dragging a selection from the transcript onto a code codes it (one undo step). QDrag's own loop
cannot be driven in a test: the drag's start is checked with the mime data it carries, and the drop
with real QDropEvents carrying that mime data, at a code's place in the codebook tree."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from test_main_window import TEXT, code_id, project_path, select_with_keyboard, window  # noqa: F401 - shared fixtures

from qcdesk.ui.transcript_view import PASSAGE_MIME, TranscriptView, passage_of

pytestmark = pytest.mark.gui

MY_MENTOR = TEXT.index("My mentor")


def drop(target, pos: QPoint, mime: QMimeData) -> bool:
    """DragEnter, DragMove and Drop at ``pos`` of ``target``; whether the drop was accepted."""
    action, buttons, mods = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, action, mime, buttons, mods)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    move = QDragMoveEvent(pos, action, mime, buttons, mods)
    QApplication.sendEvent(target, move)
    if not move.isAccepted():
        return False
    event = QDropEvent(QPointF(pos), action, mime, buttons, mods)
    QApplication.sendEvent(target, event)
    return event.isAccepted()


def code_point(win, name: str) -> QPoint:
    view = win.codebook.view
    index = win.codebook.proxy_index(code_id(win, name))
    view.scrollTo(index)
    return view.visualRect(index).center()


def test_a_drag_from_the_selection_carries_the_passage(qtbot, window, monkeypatch):
    win = window
    view = win.transcript
    select_with_keyboard(qtbot, win, MY_MENTOR, len("My mentor"))
    started = []
    monkeypatch.setattr(TranscriptView, "_exec_drag", lambda self, drag: started.append(drag.mimeData()))
    rect = view.cursorRect()  # the selection's end; press just inside it
    inside = QPoint(rect.left() - 6, rect.center().y())
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=inside)
    qtbot.mouseMove(view.viewport(), inside + QPoint(0, QApplication.startDragDistance() + 20))
    [mime] = started
    assert passage_of(mime) == (view.document_id, MY_MENTOR, MY_MENTOR + len("My mentor"))
    assert mime.text() == "My mentor"
    assert view.selected_range() == (MY_MENTOR, MY_MENTOR + len("My mentor"))  # the drag keeps it


def test_dropping_the_passage_on_a_code_codes_it_one_undo_step(qtbot, window):
    win = window
    view = win.transcript
    select_with_keyboard(qtbot, win, MY_MENTOR, len("My mentor"))
    mime = view.createMimeDataFromSelection()
    assert mime.hasFormat(PASSAGE_MIME)
    viewport = win.codebook.view.viewport()
    assert drop(viewport, code_point(win, "Belonging"), mime)
    belonging = code_id(win, "Belonging")
    assert [(c.code_id, c.start, c.end) for c in win.project.codings_for_document(view.document_id)] == [
        (belonging, MY_MENTOR, MY_MENTOR + len("My mentor"))]
    assert win.undo_stack.undoText() == "Code with “Belonging”"
    win.undo_stack.undo()
    assert win.project.codings_for_document(view.document_id) == []

    # below the last code: no code there, nothing coded
    below = QPoint(5, viewport.height() - 3)
    assert win.codebook.view.indexAt(below).isValid() is False
    assert not drop(viewport, below, mime)
    assert win.project.codings_for_document(view.document_id) == []

    # plain text from elsewhere is not a passage: the tree ignores it
    other = QMimeData()
    other.setText("My mentor")
    assert not drop(viewport, code_point(win, "Belonging"), other)


def test_dropping_on_a_recent_code_in_the_quick_code_bar(qtbot, window):
    win = window
    view = win.transcript
    select_with_keyboard(qtbot, win, MY_MENTOR, len("My mentor"))
    assert win.apply_code(code_id(win, "Mentoring"))
    select_with_keyboard(qtbot, win, TEXT.index("belonged"), len("belonged"))
    mime = view.createMimeDataFromSelection()
    bar = win.quick_codes.bar
    button = bar.widgetForAction(win.quick_codes.actions[0])
    qtbot.waitUntil(lambda: bar.actionAt(button.geometry().center()) is win.quick_codes.actions[0])
    assert drop(bar, button.geometry().center(), mime)
    mentoring = code_id(win, "Mentoring")
    assert sorted((c.code_id, c.start) for c in win.project.codings_for_document(view.document_id)) == [
        (mentoring, MY_MENTOR), (mentoring, TEXT.index("belonged"))]


def test_a_click_in_the_selection_still_moves_the_cursor_and_shift_click_still_changes_the_selection(qtbot, window):
    win = window
    view = win.transcript
    select_with_keyboard(qtbot, win, MY_MENTOR, len("My mentor"))
    from PySide6.QtGui import QTextCursor

    at = QTextCursor(view.document())
    at.setPosition(view.offsets.to_qt(MY_MENTOR + 1))  # inside "My", the selection's first word
    rect = view.cursorRect(at)
    inside = QPoint(rect.left() + 1, rect.center().y())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ShiftModifier, inside)
    assert view.selected_range() == (MY_MENTOR, MY_MENTOR + len("My"))  # shrunk to that word
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=inside)
    assert view.selected_range() is None  # a plain click drops the selection, as before
