"""Memos in the window: typed, saved without a Save button, found again, attached to codes,
documents and coded segments, and brought back by undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block
from qcdesk.core.project import Project
from qcdesk.ui.main_window import MainWindow
from builders import empty_project

pytestmark = pytest.mark.gui

TEXT = "P1: My mentor was assigned by the school. Later we met every month and I felt I belonged."


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "study.qcdesk"
    with empty_project(path) as project:
        doc = project.documents.add("Interview 1", ParsedDocument(
            text=TEXT, source_format="txt", blocks=[Block("paragraph", 0, len(TEXT))], turns=[]))
        code = project.codebook.add("Belonging").value
        start = TEXT.index("I felt")
        project.codings.apply(doc.id, code.id, start, start + len("I felt I belonged"))
    return path


@pytest.fixture
def window(make_window, project_path: Path, messages) -> MainWindow:
    return make_window(project_path, size=(1200, 800), exposed=True, active=True)


def test_journal_typed_saved_after_a_pause_reopened_and_found(make_window, qtbot, window, tmp_path, project_path):
    win = window
    panel = win.memos.panel
    journal = win.findChild(QAction, "actionProjectJournal")
    assert journal in win.project_menu.actions()
    journal.trigger()
    assert win.memos.dock.isVisible()
    assert panel.title_edit.text() == "Project journal"
    assert panel.shown_titles() == ["Project journal and notes (1)", "  Project journal"]
    panel._timer.setInterval(50)  # a shorter pause than a person's, same behaviour
    saves = []
    win.project.subscribe(lambda changes: changes.memos and saves.append(changes))
    qtbot.keyClicks(panel.body_edit, "Mentoring ASSIGNED by the school feels arbitrary.")
    assert panel.pending()
    qtbot.waitUntil(lambda: panel.status_label.text() == "Saved", timeout=30000)
    assert 1 <= len(saves) < len("Mentoring ASSIGNED by the school feels arbitrary.")  # not one per key
    [memo] = win.project.memos.all()
    assert memo.body == "Mentoring ASSIGNED by the school feels arbitrary."
    win.close()

    again = make_window(project_path, size=(1200, 800), exposed=True, active=True)
    panel = again.memos.panel
    again.memos.open_journal()
    assert panel.body_edit.toPlainText() == "Mentoring ASSIGNED by the school feels arbitrary."
    qtbot.keyClicks(panel.search_edit, "assigned")
    assert panel.shown_titles() == ["Project journal and notes (1)", "  Project journal"]
    item = panel.item_for(memo.id)
    assert "ASSIGNED by the school" in item.text(1)
    panel.search_edit.clear()
    qtbot.keyClicks(panel.search_edit, "nothing like this")
    assert panel.shown_titles() == []
    again.close()


def test_typing_then_closing_at_once_still_saves(qtbot, window, tmp_path, project_path):
    win = window
    win.memos.open_journal()
    qtbot.keyClicks(win.memos.panel.body_edit, "last thought")
    assert win.memos.panel.pending()
    win.close()
    with Project.open(project_path) as project:
        assert project.memos.journal().body == "last thought"


def test_memo_on_code_from_the_codebook_menu(qtbot, window):
    win = window
    code_id = win.project.codes()[0].id
    win.codebook.select_code(code_id)
    win.codebook.findChild(QAction, "action_code_memo").trigger()
    panel = win.memos.panel
    assert panel.about_label.text() == "<b>Code: Belonging</b>"
    qtbot.keyClicks(panel.body_edit, "Belonging grows with regular meetings")
    panel.save_now()
    assert win.project.memos.on(code_id=code_id).body == "Belonging grows with regular meetings"
    assert panel.shown_titles() == ["Codes (1)", "  Belonging"]
    # asking again opens the same memo, and starting it was one undo step
    win.codebook.findChild(QAction, "action_code_memo").trigger()
    assert len(win.project.memos.all()) == 1
    win.act_undo.trigger()
    assert win.project.memos.all() == [] and panel.shown_titles() == []
    assert not panel.body_edit.isEnabled()


def test_memo_on_document_from_the_documents_list(qtbot, window, monkeypatch):
    win = window
    shown = []
    monkeypatch.setattr(win.documents, "_exec_menu", lambda menu, pos: shown.append(menu))
    rect = win.documents.list.visualItemRect(win.documents.list.item(0))
    win.documents.list.customContextMenuRequested.emit(rect.center())
    [menu] = shown
    [act] = [a for a in menu.actions() if a.objectName() == "actionDocumentMemo"]
    act.trigger()
    doc_id = win.project.documents()[0].id
    assert win.project.memos.on(document_id=doc_id).title == "Interview 1"
    assert win.memos.panel.about_label.text() == "<b>Document: Interview 1</b>"


def test_memo_on_a_coded_segment_comes_back_with_undo_of_its_removal(qtbot, window):
    win = window
    coding = win.project.codings_for_document(win.transcript.document_id)[0]
    win.transcript.select_range(coding.start + 2, coding.start + 2)
    # what the window's transcript menu asks feature modules to add to, with the codings at the cursor
    menu = QMenu(win)
    win.transcriptMenuAboutToShow.emit(menu, win.transcript.codings_at_cursor())
    sub = next(m for m in menu.findChildren(QMenu) if m.objectName() == "menuCodingMemo")
    [act] = sub.actions()
    assert act.text() == "Belonging…"
    act.trigger()
    panel = win.memos.panel
    assert panel.about_label.text() == "<b>Coded segment: Belonging in Interview 1</b>"
    qtbot.keyClicks(panel.body_edit, "the turning point")
    panel.save_now()

    win.remove_coding(coding.id)
    assert win.project.memos.all() == []
    assert not panel.body_edit.isEnabled()
    win.act_undo.trigger()
    [memo] = win.project.memos.all()
    assert (memo.coding_id, memo.body) == (coding.id, "the turning point")
    assert panel.shown_titles() == ["Coded segments (1)", "  Belonging in Interview 1"]


def test_delete_memo_and_undo(qtbot, window):
    win = window
    win.memos.panel.new_button.click()
    panel = win.memos.panel
    assert panel.title_edit.text() == "New note" and panel.title_edit.hasFocus()
    qtbot.keyClicks(panel.title_edit, "Ideas")
    panel.delete_button.click()
    assert win.project.memos.all() == []
    win.act_undo.trigger()
    assert [m.title for m in win.project.memos.all()] == ["Ideas"]
    assert panel.shown_titles() == ["Project journal and notes (1)", "  Ideas"]


def test_screenshot(qtbot, window, ink):
    win = window
    win.memos.open_journal()
    body = win.memos.panel.body_edit
    qtbot.keyClicks(body, "Assigned mentors: compare P1 and P4.")
    win.memos.panel.save_now()
    assert win.memos.dock.isVisible()
    assert win.project.memos.journal().body == "Assigned mentors: compare P1 and P4."
    # what is shown: the words drawn on the first line (the cursor is at their end), the next lines empty
    line = body.cursorRect()
    first = QRect(0, line.top(), body.viewport().width(), line.height())
    assert ink(body.viewport(), first) > 0
    assert ink(body.viewport(), first.translated(0, 2 * line.height())) == 0
