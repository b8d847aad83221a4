"""Project ▸ Pseudonymise: fill the key from suggestions, apply it, export and remove the key."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit

from qcdesk.core import backups
from qcdesk.core import pseudonyms as ps
from qcdesk.core.importers.text import read_txt
from qcdesk.ui import dialogs
from qcdesk.ui.commands import codebook as codebook_cmd
from qcdesk.ui.main_window import MainWindow
from qcdesk.ui.pseudonymise_dialog import FOUND, ORIGINAL, PSEUDONYM, PseudonymiseDialog
from builders import empty_project

pytestmark = pytest.mark.gui

TEXT = ("Dr Okafor: I trained in Sheffield 😀 and Leila Haddad taught me.\n\n"
        "Interviewer: What was that like?\n\n"
        "Dr Okafor: Leila Haddad was patient. Sheffield felt like home.\n")


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "pseudo.qcdesk"
    with empty_project(path) as project:
        doc = project.documents.add("Interview 1", read_txt(Path("i1.txt"), TEXT.encode("utf-8")))
        code = project.codebook.add("Teaching", color="#5dade2").value
        text = project.document_text(doc.id)
        start = text.index("Leila Haddad was")
        project.codings.apply(doc.id, code.id, start, text.index("patient.") + len("patient."))
    return path


@pytest.fixture
def window(make_window, project_path: Path, messages) -> MainWindow:
    return make_window(project_path, size=(1100, 700), exposed=True)


def open_dialog(win: MainWindow) -> PseudonymiseDialog:
    action = win.textedit.act_pseudonymise
    assert action in win.project_menu.actions() and action.isEnabled()
    action.trigger()
    dialog = win.textedit.pseudonymise_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def type_into(qtbot, dialog: PseudonymiseDialog, row: int, col: int, text: str) -> None:
    """Edit a cell as a person does: open the editor (unless Add opened it), type, press Return."""
    table = dialog.table
    editing = QAbstractItemView.State.EditingState
    if not (table.state() == editing and (table.currentRow(), table.currentColumn()) == (row, col)):
        qtbot.waitUntil(lambda: table.state() != editing, timeout=30000)  # the last editor has closed
        table.setCurrentCell(row, col)
        table.editItem(table.item(row, col))
    assert table.state() == editing
    editor = next(e for e in table.viewport().findChildren(QLineEdit) if e.isVisible())
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next event-loop turn
    qtbot.waitUntil(lambda: table.state() != editing and table.item(row, col).text() == text, timeout=30000)


def test_suggest_fill_apply_shows_the_new_text_keeps_codings_and_clears_undo(qtbot, window, messages, tmp_path):
    doc_id = window.transcript.document_id
    coding = window.project.codings_for_document(doc_id)[0]
    window.undo.run(codebook_cmd.add_code(window.project, "Belonging"))
    assert window.undo_stack.count() == 1
    dialog = open_dialog(window)
    qtbot.mouseClick(dialog.suggest_button, Qt.MouseButton.LeftButton)
    originals = [r[0] for r in dialog.rows()]
    assert {"Dr Okafor", "Leila Haddad", "Sheffield"} <= set(originals)
    assert "Interviewer" not in originals
    assert dialog.rows()[dialog.row_of("Leila Haddad")][FOUND] == "2 in 1 doc."
    dialog.grab().save(str(tmp_path / "pseudonymise.png"))

    type_into(qtbot, dialog, dialog.row_of("Dr Okafor"), PSEUDONYM, "[Participant 1]")
    type_into(qtbot, dialog, dialog.row_of("Leila Haddad"), PSEUDONYM, "[Teacher 1]")
    type_into(qtbot, dialog, dialog.row_of("Sheffield"), PSEUDONYM, "[City 1]")
    assert {(e.original, e.pseudonym) for e in ps.entries(window.project)} == {
        ("Dr Okafor", "[Participant 1]"), ("Leila Haddad", "[Teacher 1]"), ("Sheffield", "[City 1]")}

    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)

    kind, title, text = next(m for m in messages if m[0] == "confirm")
    assert "cannot be undone" in text and "undo history" in text
    shown = window.transcript.toPlainText()
    assert shown.startswith("[Participant 1]: I trained in [City 1] 😀 and [Teacher 1] taught me.")
    assert "Okafor" not in shown and "Haddad" not in shown
    stored = window.project.coding(coding.id)
    assert window.project.document_text(doc_id)[stored.start:stored.end] == "[Teacher 1] was patient."
    assert window.undo_stack.count() == 0 and not window.act_undo.isEnabled()
    assert "speakers: Interviewer, [Participant 1]" in window.doc_header.text()
    assert messages[-1][:2] == ("info", "Pseudonyms applied") and "Sheffield: 2 in 1 document(s)" in messages[-1][2]


def test_declining_the_confirmation_changes_nothing(qtbot, window, monkeypatch):
    ps.add_entry(window.project, "Sheffield", "[City 1]")
    dialog = open_dialog(window)
    monkeypatch.setattr(dialogs, "confirm", lambda *a: False)
    assert not dialog.apply()
    assert "Sheffield" in window.transcript.toPlainText()


def test_export_asks_the_passphrase_twice_then_remove_key(qtbot, window, monkeypatch, messages, tmp_path):
    ps.add_entry(window.project, "Leila Haddad", "[Teacher 1]", "taught the participant")
    dialog = open_dialog(window)
    assert dialog.rows() == [("Leila Haddad", "[Teacher 1]", "taught the participant", "")]
    key = tmp_path / "study.qckey"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: str(key))
    answers = iter(["horse battery", "horse batterz"])
    monkeypatch.setattr(dialog, "_ask_secret", lambda label: next(answers))
    assert not dialog.export_key()
    assert messages[-1][0] == "error" and "differ" in messages[-1][2] and not key.exists()

    answers = iter(["horse battery", "horse battery"])
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert key.exists() and b"Haddad" not in key.read_bytes()
    assert "written to" in dialog.status.text()

    qtbot.mouseClick(dialog.remove_key_button, Qt.MouseButton.LeftButton)
    assert dialog.rows() == [] and ps.entries(window.project) == []

    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a: str(key))
    answers = iter(["wrong"])
    assert not dialog.import_key()
    assert messages[-1][0] == "error" and "passphrase is wrong" in messages[-1][2]
    answers = iter(["horse battery"])
    assert dialog.import_key()
    assert dialog.rows() == [("Leila Haddad", "[Teacher 1]", "taught the participant", "")]


def test_add_and_remove_rows(qtbot, window):
    dialog = open_dialog(window)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    type_into(qtbot, dialog, 0, ORIGINAL, "Sheffield")
    assert ps.entries(window.project) == []  # no pseudonym yet: not stored
    type_into(qtbot, dialog, 0, PSEUDONYM, "[City 1]")
    assert [(e.original, e.pseudonym) for e in ps.entries(window.project)] == [("Sheffield", "[City 1]")]
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert ps.entries(window.project) == [] and dialog.rows() == []


@pytest.mark.parametrize("remove", [True, False])
def test_backups_made_before_are_offered_for_removal(qtbot, window, monkeypatch, messages, remove):
    made = [backups.make_backup(window.project), backups.make_backup(window.project)]
    ps.add_entry(window.project, "Sheffield", "[City 1]")
    ps.add_entry(window.project, "Leila Haddad", "[Teacher 1]")
    dialog = open_dialog(window)
    questions = []
    monkeypatch.setattr(dialogs, "confirm", lambda parent, title, text: questions.append((title, text))
                        or (remove or title == "Apply pseudonyms"))
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)

    assert [t for t, _ in questions] == ["Apply pseudonyms", "Backups made before"]
    assert "2 backups of this project made before pseudonymising still hold the original names" in questions[1][1]
    kind, title, text = messages[-1]
    assert (kind, title) == ("info", "Pseudonyms applied") and text == dialog.status.text()
    if remove:
        assert not any(p.exists() for p in made)
        assert "were removed: overwritten, then deleted" in text and "still hold" not in text
    else:
        assert all(p.exists() for p in made)
        assert "2 earlier copies of the project (backups made before" in text and "still hold" in text


def test_no_backup_no_question(qtbot, window, monkeypatch, messages):
    ps.add_entry(window.project, "Sheffield", "[City 1]")
    dialog = open_dialog(window)
    assert dialog.apply()
    assert [m[1] for m in messages if m[0] == "confirm"] == ["Apply pseudonyms"]


def test_an_exported_key_named_with_a_dot_still_gets_the_key_suffix(qtbot, window, monkeypatch, tmp_path):
    ps.add_entry(window.project, "Leila Haddad", "[Teacher 1]")
    dialog = open_dialog(window)
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: str(tmp_path / "Study 2.0 key"))
    monkeypatch.setattr(dialog, "_ask_secret", lambda label: "horse battery")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert [p.name for p in tmp_path.glob("Study 2.0 key*")] == ["Study 2.0 key.qckey"]
