"""Analysis ▸ Search text: typing a query, the list a researcher reads, jumping, coding hits, undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from qcdesk.ui.main_window import MainWindow
from qcdesk.ui.search_panel import HtmlRole
from builders import lines_document, empty_project

pytestmark = pytest.mark.gui

DOC1 = ["Interviewer: How did you find your mentor?",
        "P1: My mentor 😀 was assigned. It felt naïve at first. Later the mentor helped.",
        "Interviewer: And the café?"]
DOC2 = ["Interviewer: Tell me about the ward.", "P2: The ward was busy. No mentor there."]


@pytest.fixture
def window(make_window, tmp_path: Path, messages) -> MainWindow:
    path = tmp_path / "search.qcdesk"
    with empty_project(path) as project:
        project.documents.add("Interview 1", lines_document(DOC1))
        project.documents.add("Interview 2", lines_document(DOC2))
        project.codebook.add("Mentoring")
        project.codebook.add("Wards")
    # Ctrl+Shift+F is a window shortcut: the window is the active one
    return make_window(path, size=(1200, 800), exposed=True, active=True)


def open_search(qtbot, win: MainWindow, query: str):
    qtbot.keyClick(win, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    panel = win.search.panel
    assert win.search.dock.isVisible()
    assert panel.query.hasFocus()
    qtbot.keyClicks(panel.query, query)
    qtbot.keyClick(panel.query, Qt.Key.Key_Return)
    return panel


def rows(panel) -> list[tuple[str, ...]]:
    model = panel.model
    return [tuple(str(model.index(r, c).data()) for c in range(model.columnCount())) for r in range(model.rowCount())]


def test_menu_entry_and_shortcut(window):
    action = window.search.action
    assert action in window.analysis_menu.actions()
    assert action.shortcut().toString() == "Ctrl+Shift+F"
    assert action.isEnabled()
    window.close_project()
    assert not action.isEnabled()


def test_results_list_document_speaker_and_bold_hit(qtbot, window, tmp_path):
    panel = open_search(qtbot, window, "mentor")
    assert panel.status.text() == "4 hits in 2 documents"
    listed = rows(panel)
    assert [(r[0], r[1], r[2]) for r in listed] == [
        ("Interview 1", "Interviewer", "1"), ("Interview 1", "P1", "2"), ("Interview 1", "P1", "2"),
        ("Interview 2", "P2", "2")]
    html = panel.model.index(1, 3).data(HtmlRole)
    assert "<b>mentor</b>" in html and "My " in html
    window.search.dock.resize(1100, 300)


def test_options_and_bad_typing(qtbot, window):
    panel = open_search(qtbot, window, "ment")
    assert panel.status.text() == "Not found."
    qtbot.mouseClick(panel.whole_words, Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == 4
    panel.query.clear()
    qtbot.keyClicks(panel.query, '"naive')  # unbalanced quote, diacritics folded
    qtbot.keyClick(panel.query, Qt.Key.Key_Return)
    assert [r[3] for r in rows(panel)][0].count("naïve") == 1
    panel.query.setText("mentor OR ward")
    qtbot.keyClick(panel.query, Qt.Key.Key_Return)
    assert "not supported" in panel.status.text() and panel.model.rowCount() == 0
    assert not panel.code_button.isEnabled()


def test_double_click_jumps_to_the_hit(qtbot, window):
    panel = open_search(qtbot, window, "ward")
    index = panel.model.index(1, 3)
    rect = panel.table.visualRect(index)
    # a real double-click: press, release, then the second press Qt reports as a double-click
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.transcript.document_id == 2
    start, end = window.transcript.selected_range()
    assert window.project.document_text(2)[start:end] == "ward"
    assert start == window.project.document_text(2).index("ward was")


def test_code_hits_with_a_unit_then_undo_and_redo(qtbot, window, monkeypatch):
    panel = open_search(qtbot, window, "mentor")
    project = window.project
    mentoring = next(c.id for c in project.codes() if c.name == "Mentoring")
    monkeypatch.setattr(panel, "_ask_code_and_unit", lambda: (mentoring, "sentence"))
    qtbot.mouseClick(panel.code_button, Qt.MouseButton.LeftButton)
    text1, text2 = project.document_text(1), project.document_text(2)
    coded = [(c.document_id, (text1 if c.document_id == 1 else text2)[c.start:c.end])
             for c in project.codings_for_codes([mentoring])]
    assert coded == [(1, "How did you find your mentor?"), (1, "My mentor 😀 was assigned."),
                     (1, "Later the mentor helped."), (2, "No mentor there.")]
    assert panel.status.text() == "Coded 4 passages with “Mentoring”."
    # the open transcript shows the new codings
    assert len(window.transcript.codings()) == 3
    window.act_undo.trigger()
    assert project.codings_for_codes([mentoring]) == []
    assert window.transcript.codings() == []
    window.act_redo.trigger()
    assert len(project.codings_for_codes([mentoring])) == 4
    # coding again changes nothing and adds no undo step
    steps = window.undo_stack.count()
    assert panel.code_hits(mentoring, "sentence")
    assert window.undo_stack.count() == steps
    assert "already coded" in panel.status.text()


def test_code_hits_codes_exactly_the_selected_rows_and_the_status_follows_undo(qtbot, window, monkeypatch):
    panel = open_search(qtbot, window, "mentor")
    project = window.project
    mentoring = next(c.id for c in project.codes() if c.name == "Mentoring")
    assert panel.model.rowCount() == 4
    asked = []

    def ask():
        asked.append(panel.chosen_hits())
        return mentoring, "hit"

    monkeypatch.setattr(panel, "_ask_code_and_unit", ask)
    table = panel.table
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(panel.model.index(1, 3)).center())
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                     pos=table.visualRect(panel.model.index(3, 3)).center())
    qtbot.mouseClick(panel.code_button, Qt.MouseButton.LeftButton)
    hits = panel.model.hits
    assert asked == [[hits[1], hits[3]]]
    assert sorted((c.document_id, c.start) for c in project.codings_for_codes([mentoring])) == \
        sorted((h.document_id, h.start) for h in (hits[1], hits[3]))
    assert panel.status.text() == "Coded 2 passages with “Mentoring”."
    window.act_undo.trigger()
    assert project.codings_for_codes([mentoring]) == []
    assert "Coded" not in panel.status.text()  # not a stale claim after the undo
    assert panel.status.text() == "4 hits in 2 documents"
    # nothing selected: every hit
    table.clearSelection()
    qtbot.mouseClick(panel.code_button, Qt.MouseButton.LeftButton)
    assert len(asked[-1]) == 4 and len(project.codings_for_codes([mentoring])) == 4


def test_code_hits_dialog_lists_codes_and_units(qtbot, window):
    panel = open_search(qtbot, window, "ward")
    from qcdesk.ui.search_panel import CodeHitsDialog

    dialog = CodeHitsDialog(panel, window.project, len(panel.model.hits), None)
    qtbot.addWidget(dialog)
    assert [dialog.code.itemText(i) for i in range(dialog.code.count())] == ["Mentoring", "Wards"]
    dialog.code.setCurrentIndex(1)
    dialog.unit.setCurrentIndex(3)
    dialog.show()
    wards = next(c.id for c in window.project.codes() if c.name == "Wards")
    assert dialog.choice() == (wards, "turn")


def test_results_follow_document_changes(qtbot, window):
    panel = open_search(qtbot, window, "ward")
    assert panel.model.rowCount() == 2
    window.project.documents.delete(2)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=30000)
    assert panel.status.text() == "Not found."


def test_speaker_chooser_filters_the_hits_codes_only_those_and_the_status_follows_undo(qtbot, window, monkeypatch):
    panel = open_search(qtbot, window, "mentor")
    chooser = panel.speaker_filter
    assert chooser.isEnabled()
    assert [chooser.itemText(i) for i in range(chooser.count())] == ["All speakers", "Interviewer", "P1", "P2"]
    # choose P1 with the keyboard, as a researcher would
    chooser.setFocus()
    qtbot.keyClick(chooser, Qt.Key.Key_Down)
    qtbot.keyClick(chooser, Qt.Key.Key_Down)
    assert chooser.currentText() == "P1"
    qtbot.waitUntil(lambda: [r[1] for r in rows(panel)] == ["P1", "P1"])
    assert panel.status.text() == "2 hits in 1 document, spoken by P1"
    mentoring = next(c.id for c in window.project.codes() if c.name == "Mentoring")
    monkeypatch.setattr(panel, "_ask_code_and_unit", lambda: (mentoring, "hit"))
    qtbot.mouseClick(panel.code_button, Qt.MouseButton.LeftButton)
    assert len(window.project.codings_for_codes([mentoring])) == 2  # only P1's hits
    window.act_undo.trigger()
    assert panel.status.text() == "2 hits in 1 document, spoken by P1"
    chooser.setCurrentIndex(0)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 4)
    assert panel.status.text() == "4 hits in 2 documents"


def test_a_word_found_thousands_of_times_lists_at_once_reading_only_rows_shown(qtbot, window, monkeypatch):
    from qcdesk.core import search as search_mod

    many = ["P1: " + " ".join(["handover went fine"] * 20)] * 60
    window.project.documents.add("Long interview", lines_document(many))
    worked_out = []
    for name in ("context", "speaker", "paragraph"):
        prop = getattr(search_mod.Hit, name)
        monkeypatch.setattr(search_mod.Hit, name,
                            property(lambda hit, _p=prop, _n=name: worked_out.append(_n) or _p.fget(hit)))
    panel = open_search(qtbot, window, "handover")
    panel.table.viewport().grab()  # painted
    assert panel.status.text() == "1,200 hits in 1 document"
    shown = panel.table.rowAt(panel.table.viewport().height() - 1) + 1 or panel.model.rowCount()
    assert 0 < shown < 100
    # each row on screen is worked out (a few times over: painting, tooltips); not the 1,200
    assert 0 < len(worked_out) <= 12 * shown, (len(worked_out), shown)
