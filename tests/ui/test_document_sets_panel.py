"""Document sets in the window, driven as a researcher does: select documents, put them in a set
from the context menu, show a set, rename and delete it, filter retrieval, search, matrices,
saturation and the export by it, and undo and redo every step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block
from qcdesk.ui import dialogs
from qcdesk.ui.export_dialog import ExportDialog
from builders import empty_project

pytestmark = pytest.mark.gui

TEXTS = {"P01": "My mentor helped me settle in.", "P02": "A mentor opened doors for me.",
         "P03": "No mentor at all, money worries.", "P04": "Peers were my mentor."}


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "study.qcdesk"
    with empty_project(path) as p:
        code = p.codebook.add("Mentoring").value
        for name, text in TEXTS.items():
            doc = p.documents.add(name, ParsedDocument(text=text, source_format="txt",
                                                       blocks=[Block("paragraph", 0, len(text))]))
            start = text.index("mentor")
            p.codings.apply(doc.id, code.id, start, start + len("mentor"))
    return path


def click_document(qtbot, win, name: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    lst = win.documents.list
    item = next(lst.item(i) for i in range(lst.count()) if lst.item(i).text() == name)
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, modifier, lst.visualItemRect(item).center())


def context_menu(win, monkeypatch, name: str) -> QMenu:
    """The documents list's context menu over ``name``, as feature modules filled it."""
    shown: list[QMenu] = []
    monkeypatch.setattr(win.documents, "_exec_menu", lambda menu, pos: shown.append(menu))
    lst = win.documents.list
    item = next(lst.item(i) for i in range(lst.count()) if lst.item(i).text() == name)
    lst.customContextMenuRequested.emit(lst.visualItemRect(item).center())
    [menu] = shown
    return menu


def action(menu: QMenu, name: str):
    for act in menu.actions():
        if act.objectName() == name:
            return act
        if act.menu() is not None:
            found = action(act.menu(), name)
            if found is not None:
                return found
    return None


def sets_state(win) -> list[tuple[str, tuple[str, ...]]]:
    names = {d.id: d.name for d in win.project.documents()}
    return [(s.set.name, tuple(names[i] for i in s.document_ids)) for s in win.project.sets.with_documents()]


def test_select_documents_new_set_from_the_menu_show_it_and_undo_redo(qtbot, window, monkeypatch):
    win = window
    panel = win.documents
    assert not panel.set_box.isVisible()  # no sets yet: no chooser
    click_document(qtbot, win, "P01")
    click_document(qtbot, win, "P03", Qt.KeyboardModifier.ControlModifier)
    assert sorted(win.project.document(i).name for i in panel.selected_document_ids()) == ["P01", "P03"]
    menu = context_menu(win, monkeypatch, "P03")
    assert sorted(win.project.document(i).name for i in panel.selected_document_ids()) == ["P01", "P03"]
    monkeypatch.setattr(dialogs, "ask_text", lambda parent, title, label, initial="": "Wave 1")
    action(menu, "actionNewSetFromMenu").trigger()
    assert sets_state(win) == [("Wave 1", ("P01", "P03"))]
    qtbot.waitUntil(lambda: panel.set_box.isVisible())
    assert panel.set_box.itemText(1) == "Wave 1 (2)"
    panel.set_box.setCurrentIndex(1)
    assert panel.names() == ["P01", "P03"]
    assert win.undo_stack.undoText() == "New set “Wave 1”"

    win.activateWindow()
    qtbot.waitUntil(lambda: win.isActiveWindow())
    qtbot.keyClick(win, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert sets_state(win) == []
    qtbot.waitUntil(lambda: panel.names() == ["P01", "P02", "P03", "P04"])
    assert not panel.set_box.isVisible()
    win.undo_stack.redo()
    assert sets_state(win) == [("Wave 1", ("P01", "P03"))]
    assert win.project.sets.all()[0].id == 1  # the same id (and GUID) as before the undo


def test_the_menu_over_a_document_not_selected_is_about_that_document_alone(qtbot, window, monkeypatch):
    """Right-clicking a document outside the selection selects it alone (as file managers do):
    the menu's "New set…" then takes that document, not it and the ones selected before."""
    win = window
    click_document(qtbot, win, "P01")
    click_document(qtbot, win, "P03", Qt.KeyboardModifier.ControlModifier)
    menu = context_menu(win, monkeypatch, "P02")
    assert [win.project.document(i).name for i in win.documents.selected_document_ids()] == ["P02"]
    monkeypatch.setattr(dialogs, "ask_text", lambda parent, title, label, initial="": "Just P02")
    action(menu, "actionNewSetFromMenu").trigger()
    assert sets_state(win) == [("Just P02", ("P02",))]


def test_add_to_and_remove_from_a_set_from_the_context_menu_each_undoable(qtbot, window, monkeypatch):
    win = window
    ids = {d.name: d.id for d in win.project.documents()}
    wave = win.project.sets.create("Wave 1", [ids["P01"]]).value
    win.project.sets.create("Site B", [ids["P04"]])
    click_document(qtbot, win, "P01")
    click_document(qtbot, win, "P02", Qt.KeyboardModifier.ShiftModifier)
    menu = context_menu(win, monkeypatch, "P02")
    add = action(menu, f"addToSet:{wave.id}")
    assert add.isEnabled() and add.text() == "Wave 1"
    add.trigger()
    assert sets_state(win) == [("Site B", ("P04",)), ("Wave 1", ("P01", "P02"))]
    menu = context_menu(win, monkeypatch, "P02")
    remove_menu = next(m for m in menu.findChildren(QMenu) if m.objectName() == "menuRemoveFromSet")
    assert [a.text() for a in remove_menu.actions()] == ["Wave 1"]  # only the sets holding P01 or P02
    action(menu, f"removeFromSet:{wave.id}").trigger()
    assert sets_state(win) == [("Site B", ("P04",)), ("Wave 1", ())]
    win.undo_stack.undo()  # the removal
    assert sets_state(win) == [("Site B", ("P04",)), ("Wave 1", ("P01", "P02"))]
    win.undo_stack.undo()  # the addition: P01 was in the set before, so it stays
    assert sets_state(win) == [("Site B", ("P04",)), ("Wave 1", ("P01",))]
    win.undo_stack.redo()
    win.undo_stack.redo()
    assert sets_state(win) == [("Site B", ("P04",)), ("Wave 1", ())]


def test_rename_and_delete_the_shown_set_with_undo(qtbot, window, monkeypatch, messages):
    win = window
    panel = win.documents
    ids = {d.name: d.id for d in win.project.documents()}
    win.project.sets.create("Wave 1", [ids["P02"], ids["P03"]])
    win.project.sets.create("Site B", [ids["P04"]])
    feature = win.sets
    assert not feature.act_rename.isEnabled()  # all documents shown: no set to rename
    panel.select(ids["P01"])
    assert win.transcript.document_id == ids["P01"]
    panel.show_set(win.project.sets.id_of("Wave 1"))
    assert panel.names() == ["P02", "P03"] and feature.act_rename.isEnabled()
    assert win.transcript.document_id == ids["P01"]  # the open document stays open
    assert feature.act_rename in panel.sets_button.menu().actions()

    monkeypatch.setattr(dialogs, "ask_text", lambda parent, title, label, initial="": "site b")
    feature.act_rename.trigger()  # a name already taken: refused with one message, nothing changed
    assert messages[-1][0] == "error" and "already a set called “Site B”" in messages[-1][2]
    assert sets_state(win) == [("Site B", ("P04",)), ("Wave 1", ("P02", "P03"))]
    monkeypatch.setattr(dialogs, "ask_text", lambda parent, title, label, initial="": "First wave")
    feature.act_rename.trigger()
    assert panel.set_box.currentText() == "First wave (2)" and panel.names() == ["P02", "P03"]

    feature.act_delete.trigger()
    assert sets_state(win) == [("Site B", ("P04",))]
    assert panel.shown_set_id() is None and panel.names() == ["P01", "P02", "P03", "P04"]
    assert len(win.project.documents()) == 4
    win.undo_stack.undo()
    assert sets_state(win) == [("First wave", ("P02", "P03")), ("Site B", ("P04",))]
    win.undo_stack.undo()
    assert sets_state(win) == [("Site B", ("P04",)), ("Wave 1", ("P02", "P03"))]


def test_deleting_a_document_and_undoing_it_restores_its_sets(qtbot, window):
    win = window
    ids = {d.name: d.id for d in win.project.documents()}
    win.project.sets.create("Wave 1", [ids["P02"], ids["P03"]])
    snapshot = win.project.documents.delete(ids["P02"]).undo
    assert sets_state(win) == [("Wave 1", ("P03",))]
    qtbot.waitUntil(lambda: win.documents.set_box.itemText(1) == "Wave 1 (1)")
    snapshot.run()
    assert sets_state(win) == [("Wave 1", ("P02", "P03"))]
    qtbot.waitUntil(lambda: win.documents.set_box.itemText(1) == "Wave 1 (2)")


def test_analysis_panels_and_export_dialog_filter_by_set(qtbot, window):
    win = window
    ids = {d.name: d.id for d in win.project.documents()}
    win.project.sets.create("Wave 1", [ids["P01"], ids["P02"]])
    # retrieval: tick the code, choose the set
    win.retrieval.show()
    panel = win.retrieval.panel
    qtbot.waitUntil(lambda: panel.set_filter.count() == 2)
    panel.code_item(win.project.codes()[0].id).setCheckState(0, Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: len(panel.results) == 4)
    panel.set_filter.setCurrentIndex(panel.set_filter.findText("Wave 1"))
    qtbot.waitUntil(lambda: sorted(r.document_name for r in panel.results) == ["P01", "P02"])
    assert panel.summary.text() == "2 passages in 2 documents"
    # search
    win.search.show()
    search = win.search.panel
    qtbot.keyClicks(search.query, "mentor")
    qtbot.keyClick(search.query, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: search.status.text() == "4 hits in 4 documents")
    search.set_filter.setCurrentIndex(search.set_filter.findText("Wave 1"))
    qtbot.waitUntil(lambda: search.status.text() == "2 hits in 2 documents")
    # matrices: code × document set
    win.matrices.show()
    matrices = win.matrices.panel
    matrices.kind.setCurrentIndex(matrices.kind.findData("code-set"))
    qtbot.waitUntil(lambda: matrices.grid.columnCount() == 1
                    and matrices.grid.horizontalHeaderItem(0).text() == "Wave 1 (n=2)")
    assert matrices.grid.item(0, 0).text() == "2"
    # saturation: only the set's interviews
    win.saturation.show()
    saturation = win.saturation.panel
    saturation.set_filter.setCurrentIndex(saturation.set_filter.findText("Wave 1"))
    assert [r.document_name for r in saturation.rows] == ["P01", "P02"]
    assert not saturation.btn_up.isEnabled()
    # the export dialog: sets start unticked; ticking one narrows the report
    dialog = ExportDialog(win.project, "segments-by-code", win)
    qtbot.addWidget(dialog)
    assert dialog.sets_box.isVisibleTo(dialog) and dialog.options().set_ids is None
    assert dialog.preview_text().startswith("4 documents")
    item = dialog.sets.item(0)
    item.setCheckState(Qt.CheckState.Checked)
    assert dialog.options().set_ids == [win.project.sets.id_of("Wave 1")]
    assert dialog.preview_text().startswith("2 documents, 2 segments")


def test_with_no_sets_the_sets_button_offers_to_make_one_from_the_selected_documents(qtbot, window, monkeypatch):
    win = window
    panel = win.documents
    button = panel.sets_button
    assert button.isVisible() and button.menu() is None  # nothing to rename or delete: no empty menu
    assert button.text() == "New set…" and "selected documents" in button.toolTip()
    click_document(qtbot, win, "P02")
    click_document(qtbot, win, "P04", Qt.KeyboardModifier.ControlModifier)
    monkeypatch.setattr(dialogs, "ask_text", lambda parent, title, label, initial="": "Site B")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert sets_state(win) == [("Site B", ("P02", "P04"))]
    qtbot.waitUntil(lambda: button.menu() is not None)  # sets now: the menu to manage them
    assert button.text() == "Sets" and win.sets.act_rename in button.menu().actions()
    win.undo_stack.undo()
    qtbot.waitUntil(lambda: button.menu() is None)
    assert button.text() == "New set…"
