"""Reorganising the codebook in the window: merge, move many, sort, criteria; each undone."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QColor

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block
from qcdesk.ui import dialogs
from qcdesk.ui.codebook_dialogs import TOP_LEVEL, CriteriaDialog
from qcdesk.ui.codebook_model import COL_DOCUMENTS, COL_NAME, COL_SEGMENTS
from qcdesk.ui.main_window import MainWindow
from builders import empty_project

pytestmark = pytest.mark.gui

TEXT = "P1: I felt lost on the ward. Nobody told me where to go. Then a nurse took me under her wing."


def span(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "study.qcdesk"
    with empty_project(path) as project:
        doc = project.documents.add("Interview 1", ParsedDocument(
            text=TEXT, source_format="txt", blocks=[Block("paragraph", 0, len(TEXT))], turns=[]))
        theme = project.codebook.add("Transition", color="#5dade2").value
        lost = project.codebook.add("Lost", parent_id=theme.id, color="#f4d03f").value
        dis = project.codebook.add("Disoriented", parent_id=theme.id, color="#58d68d").value
        project.codebook.add("No directions", parent_id=dis.id, color="#bb8fce")
        project.codebook.add("Support", color="#f1948a")
        project.codings.apply(doc.id, lost.id, *span("I felt lost"))
        project.codings.apply(doc.id, dis.id, *span("I felt lost"))
        project.codings.apply(doc.id, dis.id, *span("Nobody told me"))
    return path


def cid(win: MainWindow, name: str) -> int:
    return next(c.id for c in win.project.codes() if c.name == name)


def rows(win: MainWindow) -> list[tuple[str, int, int, int]]:
    """What the tree shows: (indent, name, segments, documents) of every visible row."""
    view, out = win.codebook.view, []

    def walk(parent, depth):
        model = view.model()
        for r in range(model.rowCount(parent)):
            index = model.index(r, COL_NAME, parent)
            out.append((depth, index.data(), model.index(r, COL_SEGMENTS, parent).data(),
                        model.index(r, COL_DOCUMENTS, parent).data()))
            walk(index, depth + 1)

    walk(view.rootIndex(), 0)
    return out


def click_codes(qtbot, win: MainWindow, *names: str) -> None:
    """Click the first code, Ctrl+click the others, as a user selects several."""
    view = win.codebook.view
    for n, name in enumerate(names):
        rect = view.visualRect(win.codebook.proxy_index(cid(win, name)))
        modifier = Qt.KeyboardModifier.ControlModifier if n else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def background_at(win: MainWindow, cp: int) -> QColor | None:
    view = win.transcript
    qt_pos = view.offsets.to_qt(cp)
    block = view.document().findBlock(qt_pos)
    offset = qt_pos - block.position()
    for fmt_range in block.layout().formats():
        if fmt_range.start <= offset < fmt_range.start + fmt_range.length:
            return fmt_range.format.background().color()
    return None


def action(win: MainWindow, name: str) -> QAction:
    return win.codebook.findChild(QAction, name)


BEFORE = [(0, "Transition", "0 / 3", "0 / 1"), (1, "Lost", 1, 1), (1, "Disoriented", 2, 1), (2, "No directions", 0, 0),
          (0, "Support", 0, 0)]


def test_select_two_codes_merge_then_undo_and_redo(qtbot, window, messages, monkeypatch):
    win = window
    assert rows(win) == BEFORE
    assert background_at(win, span("Nobody")[0]) == QColor("#58d68d")
    click_codes(qtbot, win, "Disoriented", "Support")
    assert win.codebook.selected_code_ids() == [cid(win, "Disoriented"), cid(win, "Support")]
    offered = []

    def pick(sources):
        dialog = win.codebook.merge_dialog(sources)
        offered.extend(dialog.list.item(i).text() for i in range(dialog.list.count()))
        qtbot.keyClicks(dialog.filter_edit, "lost")
        chosen = dialog.chosen()
        dialog.deleteLater()
        return chosen

    monkeypatch.setattr(win.codebook, "_ask_merge_target", pick)
    action(win, "action_merge_codes").trigger()
    # the sources are not offered as targets; the confirmation says what moves where
    assert offered == ["Transition", "Transition › Lost", "Transition › Disoriented › No directions"]
    kind, title, text = messages[-1]
    assert kind == "confirm" and "“Disoriented”, “Support” (2 coded segments in 1 document)" in text
    assert "into “Lost” (1 coded segment in 1 document)" in text

    assert rows(win) == [(0, "Transition", "0 / 2", "0 / 1"), (1, "Lost", 2, 1), (2, "No directions", 0, 0)]
    assert win.codebook.current_code_id() == cid(win, "Lost")
    assert background_at(win, span("Nobody")[0]) == QColor("#f4d03f")   # now highlighted as “Lost”
    assert win.act_undo.text().replace("&", "").startswith("Undo Merge “Disoriented”, “Support” into “Lost”")

    win.act_undo.trigger()
    assert rows(win) == BEFORE
    assert background_at(win, span("Nobody")[0]) == QColor("#58d68d")
    win.act_redo.trigger()
    assert rows(win)[1] == (1, "Lost", 2, 1)


def test_merge_cancelled_or_refused_changes_nothing(qtbot, window, messages, monkeypatch):
    win = window
    click_codes(qtbot, win, "Lost")
    monkeypatch.setattr(win.codebook, "_ask_merge_target", lambda sources: None)
    action(win, "action_merge_codes").trigger()
    monkeypatch.setattr(win.codebook, "_ask_merge_target", lambda sources: cid(win, "Support"))
    monkeypatch.setattr(dialogs, "confirm", lambda *a: False)
    action(win, "action_merge_codes").trigger()
    assert rows(win) == BEFORE and not win.undo_stack.canUndo()


def test_move_many_to_top_level_then_sort_and_undo(qtbot, window, monkeypatch):
    win = window
    click_codes(qtbot, win, "Lost", "No directions")
    moved = []

    def pick(ids):
        dialog = win.codebook.move_dialog(ids)
        moved.append([dialog.list.item(i).text() for i in range(dialog.list.count())])
        assert dialog.choose(TOP_LEVEL)
        return dialog.chosen()

    monkeypatch.setattr(win.codebook, "_ask_move_parent", pick)
    action(win, "action_move_codes").trigger()
    # the moved codes (and their sub-codes) cannot be chosen as the new parent
    assert moved == [["(Top level)", "Transition", "Transition › Disoriented", "Support"]]
    names = [(d, n) for d, n, _s, _c in rows(win)]
    assert names == [(0, "Transition"), (1, "Disoriented"), (0, "Support"), (0, "Lost"), (0, "No directions")]
    assert win.undo_stack.count() == 1

    win.codebook.view.clearSelection()
    action(win, "action_sort_name").trigger()
    assert [n for d, n, _s, _c in rows(win) if d == 0] == ["Lost", "No directions", "Support", "Transition"]
    action(win, "action_sort_count").trigger()
    assert [n for d, n, _s, _c in rows(win) if d == 0][:2] == ["Transition", "Lost"]
    for _ in range(3):
        win.act_undo.trigger()
    assert rows(win) == BEFORE


def test_criteria_dialog_tooltip_and_undo(qtbot, window, monkeypatch):
    win = window
    click_codes(qtbot, win, "Lost")

    def fill(code):
        dialog = CriteriaDialog(win.codebook, code, "Transition › Lost")
        qtbot.addWidget(dialog)
        dialog.editors["inclusion"].setFocus()
        qtbot.keyClicks(dialog.editors["inclusion"], "Says <lost> or confused")
        qtbot.keyClicks(dialog.editors["example"], "I felt lost")
        dialog.accept()
        return dialog.values()

    monkeypatch.setattr(win.codebook, "_ask_criteria", fill)
    action(win, "action_describe_code").trigger()
    code = win.project.code(cid(win, "Lost"))
    assert (code.inclusion, code.example, code.exclusion) == ("Says <lost> or confused", "I felt lost", "")
    tip = win.codebook.tooltip_at(win.codebook.proxy_index(code.id))
    assert "Include when:</i> Says &lt;lost&gt; or confused" in tip and "Example:</i> I felt lost" in tip
    win.act_undo.trigger()
    assert win.project.code(code.id).inclusion == ""
    assert "Include when" not in win.codebook.tooltip_at(win.codebook.proxy_index(code.id))


def test_context_menu_on_a_selection_offers_merge_and_move(qtbot, window, monkeypatch):
    win = window
    click_codes(qtbot, win, "Lost", "Support")
    shown = []
    monkeypatch.setattr(win.codebook, "_exec_menu", lambda menu, pos: shown.extend(
        a.objectName() for a in menu.actions() if a.isEnabled()))
    rect = win.codebook.view.visualRect(win.codebook.proxy_index(cid(win, "Support")))
    win.codebook.view.customContextMenuRequested.emit(QPoint(rect.center()))
    assert {"action_merge_codes", "action_move_codes", "action_code_memo"} <= set(shown)
    assert win.codebook.selected_code_ids() == [cid(win, "Lost"), cid(win, "Support")]
