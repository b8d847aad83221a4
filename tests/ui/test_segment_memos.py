"""Memos on coded segments: from the coded-segments panel's context menu (add, edit, remove, each
undoable), and a mark in the transcript's margin that opens the memo when clicked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from test_main_window import TEXT, code_id, project_path, window  # noqa: F401 - shared fixtures


pytestmark = pytest.mark.gui

MY_MENTOR = TEXT.index("My mentor")


def segment_menu(win, monkeypatch, row: int = 0):
    shown = []
    panel = win.segments
    monkeypatch.setattr(panel, "_exec_menu", lambda menu, pos: shown.append(menu))
    panel.tree.customContextMenuRequested.emit(panel.tree.visualRect(panel.model.index(row, 0)).center())
    [menu] = shown
    return {a.objectName(): a for a in menu.actions() if a.objectName()}


def test_segment_memo_added_edited_and_removed_from_the_segments_menu_with_a_margin_mark(qtbot, window,
                                                                                         monkeypatch):
    win = window
    mentoring = code_id(win, "Mentoring")
    coding = win.project.codings.apply(win.transcript.document_id, mentoring, MY_MENTOR, MY_MENTOR + 9).value
    win.codebook.select_code(mentoring)
    qtbot.waitUntil(lambda: win.segments.row_count() == 1)
    margin = win.transcript.margin
    assert margin.memo_marks() == []

    actions = segment_menu(win, monkeypatch)
    assert list(actions) == ["actionAddSegmentMemo"]
    actions["actionAddSegmentMemo"].trigger()
    memo = win.project.memos.on(coding_id=coding.id)
    assert memo is not None and win.memos.dock.isVisible() and win.memos.panel.memo_id == memo.id
    qtbot.waitUntil(lambda: [s.coding_id for _r, s in margin.memo_marks()] == [coding.id])
    win.undo_stack.undo()
    assert win.project.memos.on(coding_id=coding.id) is None
    qtbot.waitUntil(lambda: margin.memo_marks() == [])
    win.undo_stack.redo()
    qtbot.waitUntil(lambda: len(margin.memo_marks()) == 1)

    # the mark, clicked, opens the memo
    win.memos.dock.hide()
    [(rect, _span)] = margin.memo_marks()
    qtbot.mouseClick(margin, Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.memos.dock.isVisible() and win.memos.panel.memo_id == memo.id

    actions = segment_menu(win, monkeypatch)
    assert sorted(actions) == ["actionEditSegmentMemo", "actionRemoveSegmentMemo"]
    actions["actionRemoveSegmentMemo"].trigger()
    assert win.project.memos.on(coding_id=coding.id) is None
    qtbot.waitUntil(lambda: margin.memo_marks() == [])
    win.undo_stack.undo()
    assert win.project.memos.on(coding_id=coding.id).id == memo.id
    qtbot.waitUntil(lambda: len(margin.memo_marks()) == 1)


def test_the_mark_follows_its_coding_removed_undone_and_coded_again(qtbot, window):
    """A coding's changes update only its own mark (issue 19), exactly: removing a coding takes its
    memo and its mark, undo and redo follow, and a new coding of the same words shows no mark."""
    win = window
    mentoring = code_id(win, "Mentoring")
    doc = win.transcript.document_id
    coding = win.project.codings.apply(doc, mentoring, MY_MENTOR, MY_MENTOR + 9).value
    win.project.memos.create("Why", "Why this matters", coding_id=coding.id)
    margin = win.transcript.margin
    qtbot.waitUntil(lambda: [s.coding_id for _r, s in margin.memo_marks()] == [coding.id])

    win.transcript.select_range(MY_MENTOR + 2, MY_MENTOR + 3)
    win.act_remove.trigger()
    qtbot.waitUntil(lambda: margin.memo_marks() == [])
    win.undo_stack.undo()
    qtbot.waitUntil(lambda: [s.coding_id for _r, s in margin.memo_marks()] == [coding.id])
    win.undo_stack.redo()
    qtbot.waitUntil(lambda: margin.memo_marks() == [])

    again = win.project.codings.apply(doc, mentoring, MY_MENTOR, MY_MENTOR + 9).value
    qtbot.waitUntil(lambda: again.id in {c.id for c in win.transcript.codings()})
    assert margin.memo_marks() == []
