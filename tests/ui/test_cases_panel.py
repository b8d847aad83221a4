"""The Cases panel driven as a researcher drives it: cases, typed cell edits, links, import/export."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QComboBox, QDateEdit, QLineEdit, QWidget

from qcdesk.ui import dialogs
from qcdesk.ui.main_window import MainWindow
from builders import lines_document, empty_project

pytestmark = pytest.mark.gui


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "study.qcdesk"
    with empty_project(path) as project:
        project.documents.add("P01", lines_document(["Interviewer: How was it?", "P01: Good."]))
        project.documents.add("P02", lines_document(["Interviewer: And you?", "P02: Hard."]))
        project.documents.add("Focus group", lines_document(["Moderator: Hello", "Ben: Hi", "Cara: Hey"]))
        project.attributes.define("Age", "number")
        project.attributes.define("Interviewed", "date")
        project.attributes.define("Role", "choice", ["Mentor", "Mentee"])
    return path


@pytest.fixture
def window(make_window, project_path, messages) -> MainWindow:
    win = make_window(project_path, size=(1200, 800), exposed=True)
    win.show_panel(win.cases.dock)
    return win


def table_texts(panel) -> list[list[str]]:
    proxy = panel.proxy
    return [[proxy.index(r, c).data() or "" for c in range(proxy.columnCount())] for r in range(proxy.rowCount())]


def edit_cell(qtbot, panel, case: str, column: str):
    index = panel.index_of(case, column)
    assert index.isValid()
    panel.table.setCurrentIndex(index)
    panel.table.edit(index)
    editors = [w for w in panel.table.viewport().findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
               if w.isVisible()]
    assert len(editors) == 1, editors
    return editors[0]


def commit(qtbot, panel, editor, case: str, column: str, shown: str) -> None:
    """Return in the editor (the delegate commits on the next turn of the event loop),
    then wait for the cell to show the value."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.index_of(case, column).data() == shown, timeout=30000)


def test_menu_and_cases_from_documents(window, messages):
    panel = window.cases.panel
    assert window.cases.act_show in window.project_menu.actions()
    panel.act_from_docs.trigger()
    assert [row[:2] for row in table_texts(panel)] == [
        ["Focus group", "Focus group"], ["P01", "P01"], ["P02", "P02"]]
    assert messages[-1][0] == "info" and "3 case(s) created" in messages[-1][2]
    panel.act_from_docs.trigger()
    assert "every document already has a case" in messages[-1][2]


def test_cases_from_speakers_lists_their_turns(window, monkeypatch, messages):
    panel = window.cases.panel
    monkeypatch.setattr(dialogs, "ask_text", lambda parent, title, label, initial="": initial)
    panel.act_from_speakers.trigger()
    rows = {r[0]: r[1] for r in table_texts(panel)}
    assert rows == {"P01": "P01 in P01", "P02": "P02 in P02", "Ben": "Ben in Focus group",
                    "Cara": "Cara in Focus group"}
    assert "4 case(s) created" in messages[-1][2]


def test_typed_cell_edits_are_stored_and_survive_reopening(qtbot, window, project_path, messages):
    panel = window.cases.panel
    window.project.cases.add("P01")
    editor = edit_cell(qtbot, panel, "P01", "Age")
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "34")
    commit(qtbot, panel, editor, "P01", "Age", "34")

    editor = edit_cell(qtbot, panel, "P01", "Interviewed")
    assert isinstance(editor, QDateEdit)
    editor.setDate(QDate(2024, 3, 5))
    commit(qtbot, panel, editor, "P01", "Interviewed", "2024-03-05")

    editor = edit_cell(qtbot, panel, "P01", "Role")
    assert isinstance(editor, QComboBox)
    assert [editor.itemText(i) for i in range(editor.count())] == ["", "Mentor", "Mentee"]
    editor.setCurrentIndex(2)
    commit(qtbot, panel, editor, "P01", "Role", "Mentee")
    assert messages == []

    window.close_project()
    assert panel.proxy.rowCount() == 0
    assert window.open_project(project_path)
    assert panel.index_of("P01", "Age").data() == "34"
    assert panel.index_of("P01", "Interviewed").data() == "2024-03-05"
    [row] = window.project.attributes.table()
    assert sorted(map(str, row.values.values())) == ["2024-03-05", "34", "Mentee"]


def test_bad_value_is_refused_with_a_message_and_undo_restores(qtbot, window, messages):
    panel = window.cases.panel
    case = window.project.cases.add("P01").value
    age = window.project.attributes.by_name("Age")
    panel.model.setData(panel.proxy.mapToSource(panel.index_of("P01", "Age")), "41")
    assert panel.index_of("P01", "Age").data() == "41"
    panel.model.setData(panel.proxy.mapToSource(panel.index_of("P01", "Age")), "forty")
    assert messages[-1][0] == "error" and "“forty” is not a number" in messages[-1][2]
    assert panel.index_of("P01", "Age").data() == "41"
    panel.table.setCurrentIndex(panel.index_of("P01", "Age"))
    panel.act_clear.trigger()
    assert panel.index_of("P01", "Age").data() == ""
    window.undo_stack.undo()
    assert window.project.attributes.value(case.id, age.id) == 41
    window.undo_stack.undo()
    assert window.project.attributes.value(case.id, age.id) is None
    window.undo_stack.redo()
    assert panel.index_of("P01", "Age").data() == "41"


def test_add_rename_delete_case_with_undo(qtbot, window, monkeypatch, messages):
    panel = window.cases.panel
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Ana")
    panel.act_add.trigger()
    assert [r[0] for r in table_texts(panel)] == ["Ana"]
    assert panel.act_rename.isEnabled()
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Ana (mentor)")
    panel.act_rename.trigger()
    assert [r[0] for r in table_texts(panel)] == ["Ana (mentor)"]
    panel.act_delete.trigger()
    assert messages[-1][0] == "confirm" and table_texts(panel) == []
    window.undo_stack.undo()
    assert [r[0] for r in table_texts(panel)] == ["Ana (mentor)"]
    window.undo_stack.undo()
    assert [r[0] for r in table_texts(panel)] == ["Ana"]


def test_link_documents_dialog(qtbot, window, monkeypatch):
    panel = window.cases.panel
    ana = window.project.cases.add("Ana").value
    panel.select_case(ana.id)
    ids = {d.name: d.id for d in window.project.documents()}
    dialog_seen = []

    def ask(case_id):
        from qcdesk.ui.case_dialogs import LinkDocumentsDialog
        dialog = LinkDocumentsDialog(window.project, "Ana", window.project.cases.documents_of(case_id), panel)
        dialog.set_checked(ids["P01"], True)
        dialog.set_checked(ids["P02"], True)
        dialog_seen.append(dialog.list.count())
        return dialog.checked_ids()

    monkeypatch.setattr(panel, "_ask_documents", ask)
    panel.act_link.trigger()
    assert dialog_seen == [3]
    assert panel.index_of("Ana", "Documents and speakers").data() == "P01; P02"
    window.undo_stack.undo()
    assert panel.index_of("Ana", "Documents and speakers").data() == ""


def test_attributes_dialog_adds_and_deletes_columns(qtbot, window, messages):
    panel = window.cases.panel
    dialog = panel.attributes_dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("School")
    dialog.kind.setCurrentIndex(dialog.kind.findData("choice"))
    dialog.choices.setPlainText("North\nSouth\n")
    qtbot.mouseClick(dialog.btn_add, Qt.MouseButton.LeftButton)
    headers = [panel.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(panel.proxy.columnCount())]
    assert headers == ["Case", "Documents and speakers", "Age", "Interviewed", "Role", "School"]
    assert window.project.attributes.by_name("School").choices == ("North", "South")
    dialog.name.setText("Age")
    qtbot.mouseClick(dialog.btn_add, Qt.MouseButton.LeftButton)
    assert messages[-1][0] == "error" and "already an attribute" in messages[-1][2]
    dialog.list.setCurrentRow(0)
    assert dialog.name.text() == "Age"
    qtbot.mouseClick(dialog.btn_delete, Qt.MouseButton.LeftButton)
    assert "Age" not in [panel.proxy.headerData(c, Qt.Orientation.Horizontal)
                         for c in range(panel.proxy.columnCount())]
    window.undo_stack.undo()
    assert window.project.attributes.by_name("Age") is not None
    dialog.grab().save(str(Path(window.project.path).with_name("attributes.png")))


def test_import_and_export_through_the_panel(qtbot, window, monkeypatch, messages, tmp_path):
    panel = window.cases.panel
    source = tmp_path / "people.csv"
    source.write_text("Name,Age,Role,Gender\nP01,34,mentor,woman\nP02,x,Mentee,man\nP03,29,Mentee,woman\n",
                      encoding="utf-8")
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a, **k: str(source))
    panel.act_import.trigger()
    kind, _title, text = messages[-1]
    assert kind == "info" and "3 case(s) created" in text and "row 3, Age: “x” is not a number" in text
    assert [r[0] for r in table_texts(panel)] == ["P01", "P02", "P03"]
    assert panel.index_of("P01", "Role").data() == "Mentor"
    assert panel.index_of("P03", "Gender").data() == "woman"
    out = tmp_path / "out"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a, **k: str(out))
    panel.act_export.trigger()
    assert "3 case(s) written to out.xlsx" in messages[-1][2]
    sheet = load_workbook(tmp_path / "out.xlsx").active
    assert [c.value for c in sheet[1]] == ["Case", "Age", "Interviewed", "Role", "Gender"]
    assert [c.value for c in sheet[2]] == ["P01", 34, None, "Mentor", "woman"]


def test_screenshot(window, qtbot, tmp_path, ink):
    panel = window.cases.panel
    panel.act_from_docs.trigger()
    project = window.project
    age = project.attributes.by_name("Age")
    for i, case in enumerate(project.cases.all()):
        project.attributes.set_value(case.id, age.id, 30 + i)
    panel.grab().save(str(tmp_path / "cases_panel.png"))
    assert panel.index_of("P02", "Age").data() == "32"
    # what the researcher sees: the age drawn in its cell, nothing in the empty date beside it
    table = panel.table
    # the panel shares the window with the transcript: bring the cell into view as a reader would
    table.scrollTo(panel.index_of("P02", "Age"))
    qtbot.waitUntil(lambda: table.viewport().rect().contains(table.visualRect(panel.index_of("P02", "Age"))))
    cell = table.visualRect(panel.index_of("P02", "Age")).adjusted(2, 2, -2, -2)
    empty = table.visualRect(panel.index_of("P02", "Interviewed")).adjusted(2, 2, -2, -2)
    assert ink(table.viewport(), cell) > 0
    assert panel.index_of("P02", "Interviewed").data() in (None, "") and ink(table.viewport(), empty) == 0


def test_memo_on_the_current_case(make_window, qtbot, tmp_path, messages):

    path = tmp_path / "memo.qcdesk"
    with empty_project(path) as project:
        project.cases.add("P07")
    win = make_window(path, coder="Ana", settings_file="s.ini")
    panel = win.cases.panel

    win.show_panel(win.cases.dock)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    case_id = win.project.cases.by_name("P07").id
    panel.select_case(case_id)
    assert panel.act_memo.isEnabled()
    panel.act_memo.trigger()
    qtbot.keyClicks(win.memos.panel.body_edit, "Quiet at first; opened up about exams.")
    win.memos.panel.save_now()
    assert win.project.memos.on(case_id=case_id).body == "Quiet at first; opened up about exams."
    win.close()
