"""The main window driven as a researcher drives it: open, select text, code, undo, redo, reopen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QTextCursor

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block, SpeakerTurn
from qcdesk.ui import dialogs
from qcdesk.ui.main_window import MainWindow
from builders import empty_project

pytestmark = pytest.mark.gui

TEXT = ("Interviewer: How did you find your mentor?\n"
        "P1: My mentor was assigned 😀 by the school. It felt random at first.\n"
        "Interviewer: And later?\n"
        "P1: Later we met every month and I felt I belonged.")


def _structure(text: str) -> ParsedDocument:
    blocks, turns, pos = [], [], 0
    for i, line in enumerate(text.split("\n")):
        end = pos + len(line)
        blocks.append(Block("paragraph", pos, end))
        turns.append(SpeakerTurn(line.split(":")[0], pos, end, float(i * 30), None))
        pos = end + 1
    return ParsedDocument(text=text, source_format="txt", blocks=blocks, turns=turns)


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "study.qcdesk"
    with empty_project(path) as project:
        project.documents.add("Interview 1", _structure(TEXT))
        theme = project.codebook.add("Mentoring", color="#5dade2").value
        project.codebook.add("Assigned mentor", parent_id=theme.id, color="#f4d03f")
        project.codebook.add("Belonging", color="#58d68d")
    return path


@pytest.fixture
def window(make_window, project_path: Path, messages) -> MainWindow:
    # the tests press window shortcuts (Ctrl+E, Ctrl+Z, …): the window is the active one
    return make_window(project_path, size=(1200, 800), exposed=True, active=True)


def code_id(win: MainWindow, name: str) -> int:
    return next(c.id for c in win.project.codes() if c.name == name)


def click_at(qtbot, win: MainWindow, cp: int) -> None:
    """Put the text cursor at code point ``cp`` with a real mouse click."""
    view = win.transcript
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(cp))
    rect = view.cursorRect(cursor)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.left() + 1, rect.center().y()))


def select_with_keyboard(qtbot, win: MainWindow, start: int, length: int) -> None:
    click_at(qtbot, win, start)
    view = win.transcript
    assert view.cursor_position() == start
    for _ in range(length):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)


def double_click_code(qtbot, win: MainWindow, name: str) -> None:
    tree = win.codebook.view
    index = win.codebook.proxy_index(code_id(win, name))
    rect = tree.visualRect(index)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def background_at(win: MainWindow, cp: int) -> QColor | None:
    """The highlight colour the layout paints at a code point, or None."""
    view = win.transcript
    qt_pos = view.offsets.to_qt(cp)
    block = view.document().findBlock(qt_pos)
    offset = qt_pos - block.position()
    for fmt_range in block.layout().formats():
        if fmt_range.start <= offset < fmt_range.start + fmt_range.length:
            return fmt_range.format.background().color()
    return None


def test_select_with_keyboard_double_click_code_then_undo_redo_and_reopen(make_window, qtbot, window, project_path):
    win = window
    start = TEXT.index("My mentor was assigned")
    select_with_keyboard(qtbot, win, start, len("My mentor was assigned"))
    double_click_code(qtbot, win, "Assigned mentor")

    codings = win.project.codings_for_document(win.transcript.document_id)
    assert [(c.start, c.end) for c in codings] == [(start, start + len("My mentor was assigned"))]
    assert background_at(win, start + 3) == QColor("#f4d03f")
    assert background_at(win, start - 2) is None
    assert "Assigned mentor" in win._status_codes.text()

    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert win.project.codings_for_document(win.transcript.document_id) == []
    assert background_at(win, start + 3) is None

    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    again = win.project.codings_for_document(win.transcript.document_id)
    assert [(c.id, c.start, c.end) for c in again] == [(codings[0].id, codings[0].start, codings[0].end)]
    assert background_at(win, start + 3) == QColor("#f4d03f")

    win.close()
    reopened = make_window(project_path, settings=win.settings, show=False)
    assert [c.start for c in reopened.transcript.codings()] == [start]
    assert background_at(reopened, start + 3) == QColor("#f4d03f")
    reopened.close()


def test_selection_across_emoji_stores_code_points(qtbot, window):
    win = window
    start = TEXT.index("assigned 😀 by")
    length = len("assigned 😀 by")  # the emoji is one code point, two UTF-16 units
    click_at(qtbot, win, start)
    for _ in range(length):
        qtbot.keyClick(win.transcript, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    assert win.transcript.selected_range() == (start, start + length)
    win.codebook.select_code(code_id(win, "Belonging"))
    qtbot.keyClick(win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    [segment] = win.project.segments([code_id(win, "Belonging")])
    assert segment.text == "assigned 😀 by"
    assert segment.speaker == "P1"


def test_in_vivo_code_from_selection_and_undo(qtbot, window):
    win = window
    start = TEXT.index("I felt I belonged")
    select_with_keyboard(qtbot, win, start, len("I felt I belonged"))
    qtbot.keyClick(win, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    new = [c for c in win.project.codes() if c.name == "I felt I belonged"]
    assert len(new) == 1
    assert win.codebook.current_code_id() == new[0].id
    assert [(c.code_id, c.start) for c in win.transcript.codings()] == [(new[0].id, start)]
    win.act_undo.trigger()
    assert [c.name for c in win.project.codes()] == ["Mentoring", "Assigned mentor", "Belonging"]
    assert win.transcript.codings() == []


def click_code(qtbot, win: MainWindow, name: str) -> None:
    tree = win.codebook.view
    rect = tree.visualRect(win.codebook.proxy_index(code_id(win, name)))
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_in_vivo_codes_go_under_the_selected_code_without_end_punctuation(qtbot, window):
    win = window
    click_code(qtbot, win, "Mentoring")
    assert win.codebook.current_code_id() == code_id(win, "Mentoring")
    first = TEXT.index("It felt random")
    select_with_keyboard(qtbot, win, first, len("It felt random at first."))
    win.activateWindow()
    qtbot.keyClick(win.transcript, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    new = win.project.code(win.codebook.current_code_id())
    assert new.name == "It felt random at first"  # the full stop is not part of the name
    assert new.parent_id == code_id(win, "Mentoring")
    coding = win.project.codings_for_document(win.transcript.document_id)[-1]
    assert (coding.start, coding.end) == (first, first + len("It felt random at first."))
    # the next in-vivo code, with the one just made still selected, goes beside it
    second = TEXT.index("I felt I belonged")
    select_with_keyboard(qtbot, win, second, len("I felt I belonged."))
    qtbot.keyClick(win.transcript, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    other = win.project.code(win.codebook.current_code_id())
    assert (other.name, other.parent_id) == ("I felt I belonged", code_id(win, "Mentoring"))
    win.act_undo.trigger()
    win.act_undo.trigger()
    assert [c.name for c in win.project.codes()] == ["Mentoring", "Assigned mentor", "Belonging"]


def test_overlapping_codings_listed_at_cursor_and_removed_one_at_a_time(qtbot, window, monkeypatch):
    win = window
    doc = win.transcript.document_id
    a = TEXT.index("Later we met")
    win.project.codings.apply(doc, code_id(win, "Belonging"), a, a + 40)
    win.project.codings.apply(doc, code_id(win, "Assigned mentor"), a + 9, a + 20)
    click_at(qtbot, win, a + 12)
    assert "Belonging" in win._status_codes.text() and "Assigned mentor" in win._status_codes.text()
    assert background_at(win, a + 12) == QColor("#f4d03f")  # the shorter coding is on top
    assert background_at(win, a + 2) == QColor("#58d68d")
    labels = [s.name for _r, spans in win.transcript.margin.labels(win.transcript.margin.visible()) for s in spans]
    assert labels == ["Belonging", "Assigned mentor"]

    monkeypatch.setattr(dialogs, "choose", lambda *a, **k: 0)  # remove the first candidate
    win.codebook.view.clearSelection()
    qtbot.keyClick(win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    left = win.project.codings_for_document(doc)
    assert [win.project.code(c.code_id).name for c in left] == ["Assigned mentor"]
    win.act_undo.trigger()
    assert len(win.project.codings_for_document(doc)) == 2


def test_remove_coding_asks_which_when_codings_overlap_even_with_a_code_selected(qtbot, window, monkeypatch):
    """The selected code's coding may be hidden under another: Ctrl+Shift+E asks, as the menu does."""
    win = window
    doc = win.transcript.document_id
    a = TEXT.index("Later we met")
    win.project.codings.apply(doc, code_id(win, "Belonging"), a, a + 40)
    win.project.codings.apply(doc, code_id(win, "Assigned mentor"), a + 9, a + 20)
    click_at(qtbot, win, a + 12)
    win.codebook.select_code(code_id(win, "Belonging"))
    offered = []
    monkeypatch.setattr(dialogs, "choose", lambda parent, title, label, items: offered.append(items) or None)
    win.activateWindow()
    qtbot.keyClick(win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert offered == [["Belonging", "Assigned mentor"]]  # the selected code's coding offered first
    assert len(win.project.codings_for_document(doc)) == 2  # cancelled: nothing removed
    monkeypatch.setattr(dialogs, "choose", lambda *a, **k: 0)
    qtbot.keyClick(win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert [win.project.code(c.code_id).name for c in win.project.codings_for_document(doc)] == ["Assigned mentor"]


def test_turn_timestamps_are_shown_in_the_left_margin(qtbot, window):
    win = window
    view = win.transcript
    gutter = view.times
    assert gutter.isVisible()
    shown = gutter.visible_times()
    assert [label for _rect, label in shown] == ["0:00", "0:30", "1:00", "1:30"]
    starts = [0] + [i + 1 for i, ch in enumerate(TEXT) if ch == "\n"]
    for (rect, _label), start in zip(shown, starts):
        assert rect.top() == view.line_top(view.offsets.to_qt(start))  # beside the turn's first line
    # the gutter sits left of the text, which it never covers
    text_left = view.viewport().mapTo(view, view.viewport().rect().topLeft()).x()
    assert gutter.geometry().right() < text_left
    assert gutter.width() >= max(gutter.fontMetrics().horizontalAdvance(label) for _r, label in shown)


def test_jumps_put_the_passage_near_the_middle(make_window, qtbot, tmp_path, messages):
    long_text = "\n".join(f"P1: line {i} of a long interview about mentoring and belonging." for i in range(300))
    path = tmp_path / "long.qcdesk"
    with empty_project(path) as project:
        project.documents.add("Long", ParsedDocument(text=long_text, source_format="txt"))
    win = make_window(path, settings_file="s.ini", size=(1000, 700), exposed=True)
    start = long_text.index("line 200 ")
    win.jump_to(win.transcript.document_id, start, start + 8)
    view = win.transcript
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(start))
    y = view.cursorRect(cursor).center().y()
    height = view.viewport().height()
    assert height * 0.3 <= y <= height * 0.7, (y, height)
    win.close()


def test_each_document_keeps_its_scroll_position(make_window, qtbot, tmp_path, messages):
    # paragraphs that wrap: the view scrolls by lines, and lines not laid out yet count as one
    long_text = "\n".join(f"P1: line {i} of a long interview about mentoring and belonging. " * 4
                          for i in range(300))
    path = tmp_path / "two.qcdesk"
    with empty_project(path) as project:
        first = project.documents.add("First", ParsedDocument(text=long_text, source_format="txt")).id
        second = project.documents.add("Second", ParsedDocument(text=long_text, source_format="txt")).id
    win = make_window(path, settings_file="s.ini", size=(1000, 700), exposed=True)
    view = win.transcript
    win.documents.select(first)
    bar = view.verticalScrollBar()
    bar.setValue(150)
    first_top = view.top_position()
    assert first_top > 0
    win.documents.select(second)
    assert view.document_id == second and bar.value() == 0  # a document not read yet: its start
    bar.setValue(40)
    second_top = view.top_position()
    win.documents.select(first)
    assert view.document_id == first and view.top_position() == first_top  # the same first line
    win.documents.select(second)
    assert view.top_position() == second_top
    win.close()


def mouse_at(win: MainWindow, cp: int) -> QPoint:
    view = win.transcript
    cursor = QTextCursor(view.document())
    cursor.setPosition(view.offsets.to_qt(cp))
    rect = view.cursorRect(cursor)
    return QPoint(rect.left() + 1, rect.center().y())


def test_mouse_selections_snap_to_whole_words_unless_alt_or_switched_off(qtbot, window):
    win = window
    view = win.transcript
    line = TEXT.index("My mentor")
    a, b = line + len("My me"), line + len("My mentor was assi")  # inside "mentor" and "assigned"
    Mod, Left = Qt.KeyboardModifier, Qt.MouseButton.LeftButton
    qtbot.mouseClick(view.viewport(), Left, pos=mouse_at(win, a))
    qtbot.mouseClick(view.viewport(), Left, Mod.ShiftModifier, pos=mouse_at(win, b))
    assert TEXT[slice(*view.selected_range())] == "mentor was assigned"
    # Alt held when the button is released: exactly where the mouse was
    qtbot.mouseClick(view.viewport(), Left, pos=mouse_at(win, a))
    qtbot.mousePress(view.viewport(), Left, Mod.ShiftModifier, pos=mouse_at(win, b))
    qtbot.mouseRelease(view.viewport(), Left, Mod.ShiftModifier | Mod.AltModifier, pos=mouse_at(win, b))
    assert view.selected_range() == (a, b)
    # the option off: exact too, and remembered
    assert win.act_snap_words.isChecked()
    win.act_snap_words.trigger()
    assert not win.settings.snap_to_words()
    qtbot.mouseClick(view.viewport(), Left, pos=mouse_at(win, a))
    qtbot.mouseClick(view.viewport(), Left, Mod.ShiftModifier, pos=mouse_at(win, b))
    assert view.selected_range() == (a, b)
    # keyboard selections are never changed
    win.act_snap_words.trigger()
    select_with_keyboard(qtbot, win, a, 3)
    assert view.selected_range() == (a, a + 3)


def test_quick_code_bar_applies_recent_codes_with_ctrl_digits(qtbot, window, monkeypatch):
    win = window
    doc = win.transcript.document_id
    quick = win.quick_codes
    assert [a.isVisible() for a in quick.actions] == [False] * 9  # nothing applied yet
    first = TEXT.index("My mentor")
    select_with_keyboard(qtbot, win, first, 9)
    double_click_code(qtbot, win, "Belonging")
    second = TEXT.index("Later we met")
    select_with_keyboard(qtbot, win, second, 5)
    double_click_code(qtbot, win, "Assigned mentor")
    assert [a.text() for a in quick.actions if a.isVisible()] == ["1 Assigned mentor", "2 Belonging"]
    assert "Ctrl+2" in quick.actions[1].toolTip()
    third = TEXT.index("every month")
    select_with_keyboard(qtbot, win, third, 11)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    qtbot.keyClick(win.transcript, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    coded = {(win.project.code(c.code_id).name, c.start) for c in win.project.codings_for_document(doc)}
    assert ("Belonging", third) in coded
    assert [a.text() for a in quick.actions if a.isVisible()] == ["1 Belonging", "2 Assigned mentor"]
    # a deleted code leaves the bar
    monkeypatch.setattr(win.codebook, "_confirm_delete", lambda code: True)
    win.codebook.select_code(code_id(win, "Belonging"))
    win.codebook.findChild(type(win.act_undo), "action_delete_code").trigger()
    assert [a.text() for a in quick.actions if a.isVisible()] == ["1 Assigned mentor"]
    assert not quick.apply(1)


def test_apply_without_selection_says_what_to_do(qtbot, window):
    win = window
    click_at(qtbot, win, 5)
    win.codebook.select_code(code_id(win, "Belonging"))
    qtbot.keyClick(win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert "Select some text" in win.statusBar().currentMessage()
    assert win.project.codings_for_document(win.transcript.document_id) == []


def outline(win: MainWindow) -> list[tuple[int, str]]:
    """The codebook tree as the view shows it: (depth, name), expanded rows only."""
    view, model, out = win.codebook.view, win.codebook.view.model(), []

    def walk(parent, depth):
        for r in range(model.rowCount(parent)):
            index = model.index(r, 0, parent)
            out.append((depth, index.data()))
            if view.isExpanded(index):
                walk(index, depth + 1)

    walk(view.rootIndex(), 0)
    return out


def test_a_codebook_outline_is_typed_in_the_tree_without_dialogs(qtbot, window):
    """Themes, categories and codes typed as an outline: Enter adds a sibling, Tab indents,
    Shift+Tab outdents; each new code is selected; undo takes them back one by one and the
    tree keeps what is expanded."""
    win = window
    panel = win.codebook
    panel.view.clearSelection()
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    qtbot.keyClick(win, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    field = panel.inline
    qtbot.waitUntil(field.hasFocus)

    def line(text, *keys):
        qtbot.keyClicks(field, text)
        qtbot.keyClick(field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: field.hasFocus() and field.text() == "")
        for key, mods in keys:
            qtbot.keyClick(field, key, mods)

    tab = (Qt.Key.Key_Tab, Qt.KeyboardModifier.NoModifier)
    back = (Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    line("Support", tab)
    line("Family", tab)
    line("Parents")
    assert win.project.code(panel.current_code_id()).name == "Parents"  # the new code is selected
    line("Siblings", back)
    line("Friends", tab)
    line("School friends", back, back)
    line("Barriers")
    qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert not field.isVisible()
    assert outline(win)[3:] == [(0, "Support"), (1, "Family"), (2, "Parents"), (2, "Siblings"),
                                (1, "Friends"), (2, "School friends"), (0, "Barriers")]
    assert win.project.code(panel.current_code_id()).name == "Barriers"
    before = len(win.project.codes())
    win.act_undo.trigger()
    win.act_undo.trigger()
    assert len(win.project.codes()) == before - 2
    assert outline(win)[3:] == [(0, "Support"), (1, "Family"), (2, "Parents"), (2, "Siblings"), (1, "Friends")]
    win.act_redo.trigger()
    assert outline(win)[3:][-1] == (2, "School friends")


def test_collapsed_codes_stay_collapsed_through_changes_and_undo(qtbot, window):
    win = window
    panel = win.codebook
    mentoring = panel.proxy_index(code_id(win, "Mentoring"))
    panel.view.collapse(mentoring)
    panel.select_code(code_id(win, "Belonging"))
    panel.findChild(type(win.act_undo), "action_add_subcode").trigger()
    qtbot.waitUntil(panel.inline.hasFocus)
    qtbot.keyClicks(panel.inline, "Welcome")
    qtbot.keyClick(panel.inline, Qt.Key.Key_Return)
    qtbot.keyClick(panel.inline, Qt.Key.Key_Escape)
    assert panel.view.isExpanded(panel.proxy_index(code_id(win, "Belonging")))
    for step in (win.act_undo, win.act_redo, win.act_undo):
        step.trigger()
        assert not panel.view.isExpanded(panel.proxy_index(code_id(win, "Mentoring"))), step.text()
    # a collapsed code deleted and brought back by undo comes back collapsed
    panel.select_code(code_id(win, "Mentoring"))
    panel._confirm_delete = lambda code: True
    panel.findChild(type(win.act_undo), "action_delete_code").trigger()
    win.act_undo.trigger()
    assert not panel.view.isExpanded(panel.proxy_index(code_id(win, "Mentoring")))


def test_codebook_changes_are_undoable(qtbot, window, monkeypatch):
    win = window
    panel = win.codebook
    panel.select_code(code_id(win, "Belonging"))
    panel.findChild(type(win.act_undo), "action_rename_code").trigger()
    qtbot.waitUntil(panel.inline.hasFocus)
    panel.inline.selectAll()
    qtbot.keyClicks(panel.inline, "Sense of belonging")
    qtbot.keyClick(panel.inline, Qt.Key.Key_Return)
    assert win.project.code(code_id(win, "Sense of belonging")).name == "Sense of belonging"
    win.act_undo.trigger()
    assert {c.name for c in win.project.codes()} == {"Mentoring", "Assigned mentor", "Belonging"}

    # delete a code that has codings: confirmation, then undo brings codes and codings back
    doc = win.transcript.document_id
    coding = win.project.codings.apply(doc, code_id(win, "Assigned mentor"), 0, 11).value
    panel.select_code(code_id(win, "Mentoring"))
    monkeypatch.setattr(panel, "_confirm_delete", lambda code: True)
    panel.findChild(type(win.act_undo), "action_delete_code").trigger()
    assert [c.name for c in win.project.codes()] == ["Belonging"]
    assert win.transcript.codings() == []
    win.act_undo.trigger()
    assert [c.name for c, _ in win.project.codes_in_tree_order()] == ["Mentoring", "Assigned mentor", "Belonging"]
    assert [c.id for c in win.transcript.codings()] == [coding.id]


def test_drag_to_reparent_goes_through_undo(qtbot, window):
    win = window
    model = win.codebook.model
    child = model.index_for_code(code_id(win, "Belonging"))
    target = model.index_for_code(code_id(win, "Mentoring"))
    model.dropMimeData(model.mimeData([child]), Qt.DropAction.MoveAction, 0, 0, target)
    assert win.project.code(code_id(win, "Belonging")).parent_id == code_id(win, "Mentoring")
    assert [c.name for c, d in win.project.codes_in_tree_order()] == ["Mentoring", "Belonging", "Assigned mentor", ]
    win.act_undo.trigger()
    assert win.project.code(code_id(win, "Belonging")).parent_id is None


def test_segments_panel_lists_and_jumps(qtbot, tmp_path, window):
    win = window
    second = win.project.documents.add("Interview 2", _structure("Interviewer: Hi\nP2: I never belonged there."))
    mentoring = code_id(win, "Belonging")
    b = "P2: I never belonged there.".index("I never")
    win.project.codings.apply(second.id, mentoring, 16 + b, 16 + b + 15)
    win.codebook.select_code(mentoring)
    rows = win.segments.rows()
    assert rows == [("Interview 2", "P2 · 0:30", "Belonging", "I never belonge")]
    rect = win.segments.tree.visualRect(win.segments.tree.model().index(0, 0))
    qtbot.mouseClick(win.segments.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert win.transcript.document_id == second.id
    assert win.transcript.selected_range() == (16 + b, 16 + b + 15)


def test_bad_project_files_get_a_clear_message(make_window, qtbot, tmp_path, messages):
    win = make_window(settings_file="s.ini", show=False)
    junk = tmp_path / "notes.qcdesk"
    junk.write_bytes(b"\x00\x01binary junk" * 50)
    before = junk.read_bytes()
    assert not win.open_project(junk)
    assert "not a qcdesk project" in messages[-1][2]
    assert junk.read_bytes() == before
    assert win.project is None and win.stack.currentIndex() == 0


def test_recent_projects_and_window_state_are_kept(make_window, qtbot, tmp_path, project_path):
    win = make_window(settings_file="s.ini")
    win.open_project(project_path)
    win.segments_dock.hide()
    win.close()
    again = make_window(settings_file="s.ini", show=False)
    assert again.settings.recent_projects() == [str(project_path.resolve())]
    assert again.segments_dock.isHidden()
