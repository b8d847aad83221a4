"""Project ▸ Speakers: rename a speaker in place, code every turn of a speaker, undo both."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from qcdesk.core.importers.text import read_txt
from qcdesk.ui import dialogs
from qcdesk.ui.main_window import MainWindow
from builders import empty_project

pytestmark = pytest.mark.gui

TEXT = ("S01: I was placed with a mentor 😀 in my first week.\n\n"
        "Interviewer: How was that?\n\n"
        "S01: Reassuring. We met every month.\n")


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "speakers.qcdesk"
    with empty_project(path) as project:
        project.documents.add("Interview 1", read_txt(Path("i1.txt"), TEXT.encode("utf-8")))
        project.codebook.add("Mentoring", color="#5dade2")
        project.codebook.add("Participant talk", color="#58d68d")
    return path


@pytest.fixture
def window(make_window, project_path: Path, messages) -> MainWindow:
    return make_window(project_path, size=(1100, 700), exposed=True)


def open_dialog(win: MainWindow):
    action = win.findChild(type(win.textedit.act_speakers), "actionSpeakers")
    assert action in win.project_menu.actions() and action.isEnabled()
    action.trigger()
    dialog = win.textedit.speakers_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_rename_in_place_updates_transcript_codings_and_undo(qtbot, window, tmp_path):
    doc_id = window.transcript.document_id
    code = next(c for c in window.project.codes() if c.name == "Mentoring")
    text = window.project.document_text(doc_id)
    start = text.index("Reassuring")
    coding = window.project.codings.apply(doc_id, code.id, start, start + len("Reassuring. We met every month.")).value
    dialog = open_dialog(window)
    assert dialog.speakers_shown() == [("Interviewer", 1, 1), ("S01", 2, 1)]

    dialog.select_speaker("S01")
    dialog.rename_button.click()
    editor = dialog.table.findChild(QLineEdit)
    assert editor is not None and editor.text() == "S01"
    editor.selectAll()
    qtbot.keyClicks(editor, "Participant Amber")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next event-loop turn
    qtbot.waitUntil(lambda: window.transcript.toPlainText().startswith("Participant Amber"), timeout=30000)

    shown = window.transcript.toPlainText()
    assert shown.startswith("Participant Amber: I was placed with a mentor 😀")
    assert "\n\nParticipant Amber: Reassuring." in shown
    stored = window.project.coding(coding.id)
    new = window.project.document_text(doc_id)
    assert new[stored.start:stored.end] == "Reassuring. We met every month."
    span = next(s for s in window.transcript.highlighter.spans() if s.coding_id == coding.id)
    from_qt = window.transcript.offsets.from_qt  # the highlight is in UTF-16 units (the emoji counts two)
    assert shown[from_qt(span.start):from_qt(span.end)] == "Reassuring. We met every month."
    assert dialog.speakers_shown() == [("Interviewer", 1, 1), ("Participant Amber", 2, 1)]
    assert "speakers: Interviewer, Participant Amber" in window.doc_header.text()
    dialog.grab().save(str(tmp_path / "speakers.png"))

    window.act_undo.trigger()
    assert window.transcript.toPlainText().startswith("S01: I was placed")
    stored = window.project.coding(coding.id)
    assert text[stored.start:stored.end] == "Reassuring. We met every month."
    assert dialog.speakers_shown() == [("Interviewer", 1, 1), ("S01", 2, 1)]
    window.act_redo.trigger()
    assert window.transcript.toPlainText().startswith("Participant Amber: ")


def test_a_refused_rename_shows_the_old_name_again(qtbot, window, messages):
    dialog = open_dialog(window)
    assert not dialog.rename("S01", "   ")
    assert ("error", "Not done") == messages[-1][:2] and "needs a name" in messages[-1][2]
    assert dialog.speakers_shown()[1][0] == "S01"


def test_code_every_turn_of_a_speaker_then_undo(qtbot, window, monkeypatch):
    doc_id = window.transcript.document_id
    dialog = open_dialog(window)
    dialog.select_speaker("S01")
    asked = []
    monkeypatch.setattr(dialogs, "choose", lambda parent, title, label, items: asked.append(items)
                        or items.index("Participant talk"))
    qtbot.mouseClick(dialog.code_button, Qt.MouseButton.LeftButton)

    assert asked and "Participant talk" in asked[0]
    text = window.project.document_text(doc_id)
    codings = window.project.codings_for_document(doc_id)
    assert [text[c.start:c.end] for c in codings] == ["I was placed with a mentor 😀 in my first week.",
                                                      "Reassuring. We met every month."]
    assert len(window.transcript.highlighter.spans()) == 2
    assert "Coded 2 turn(s) of “S01” with “Participant talk”" in dialog.status.text()

    qtbot.mouseClick(dialog.code_button, Qt.MouseButton.LeftButton)  # again: nothing new, no undo step
    assert len(window.project.codings_for_document(doc_id)) == 2
    assert "already coded" in dialog.status.text()

    window.act_undo.trigger()
    assert window.project.codings_for_document(doc_id) == []
    assert window.transcript.highlighter.spans() == []
