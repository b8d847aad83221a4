"""Importing transcripts and exporting reports from the window: workers, progress, messages."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from qcdesk.ui import dialogs
from qcdesk.ui.main_window import MainWindow
from builders import empty_project

pytestmark = pytest.mark.gui


@pytest.fixture
def window(make_window, tmp_path: Path, messages) -> MainWindow:
    return make_window(new=tmp_path / "study.qcdesk")


def write_docx(path: Path, paragraphs: list[str]) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(path)
    return path


def run_import(qtbot, win: MainWindow, paths: list[Path]):
    with qtbot.waitSignal(win.imports.finished, timeout=20000) as blocker:
        win.imports.start(paths)
    return blocker.args[0]


def test_import_good_and_bad_files_in_the_background(qtbot, tmp_path, window, messages):
    good = tmp_path / "Interview A.txt"
    good.write_text("Interviewer: Hello.\n\nP1: Hi there.\n\nInterviewer: Tell me more.\n\nP1: Sure.\n",
                    encoding="utf-8")
    word = write_docx(tmp_path / "Interview B.docx", ["Interviewer: Welcome.", "P2: Thank you for having me."])
    junk = tmp_path / "broken.txt"
    junk.write_bytes(bytes(range(256)) * 40)

    report = run_import(qtbot, window, [good, junk, word])

    assert [d.name for d in report.imported] == ["Interview A", "Interview B"]
    assert [name for name, _ in report.failed] == ["broken.txt"]
    assert window.documents.names() == ["Interview A", "Interview B"]
    assert window.transcript.document_id == report.imported[-1].id
    assert "Thank you for having me." in window.transcript.toPlainText()
    kind, title, text = messages[-1]
    assert kind == "warning" and "broken.txt" in text and "nothing from these files was stored" in text
    assert [d.name for d in window.project.documents()] == ["Interview A", "Interview B"]


def test_duplicate_text_asks_and_can_be_skipped(qtbot, tmp_path, window, monkeypatch):
    first = tmp_path / "one.txt"
    first.write_text("The same interview text.\n", encoding="utf-8")
    copy = tmp_path / "copy.txt"
    copy.write_text("The same interview text.\n", encoding="utf-8")
    run_import(qtbot, window, [first])
    asked = []
    monkeypatch.setattr(dialogs, "confirm", lambda parent, title, text: asked.append(text) or False)
    report = run_import(qtbot, window, [copy])
    assert report.imported == [] and report.skipped and "already in the project" in report.skipped[0][1]
    assert asked and "“one”" in asked[0]
    assert window.documents.names() == ["one"]


def test_dropping_files_on_the_window_imports_them(qtbot, tmp_path, window):
    path = tmp_path / "dropped.txt"
    path.write_text("Interviewer: Dropped in.\n", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.imports.finished, timeout=20000):
        window.dropEvent(event)
    assert window.documents.names() == ["dropped"]


def test_export_word_report_in_a_worker(qtbot, tmp_path, window, messages):
    path = tmp_path / "int.txt"
    path.write_text("Interviewer: How was feedback?\n\nP1: Feedback was kind but vague.\n", encoding="utf-8")
    run_import(qtbot, window, [path])
    project = window.project
    doc = project.documents()[0]
    text = project.document_text(doc.id)
    code = project.codebook.add("Vague feedback", description="Feedback without specifics.").value
    start = text.index("kind but vague")
    project.codings.apply(doc.id, code.id, start, start + len("kind but vague"))

    out = tmp_path / "report.docx"
    with qtbot.waitSignal(window.exports.finished, timeout=30000) as blocker:
        window.exports.start("segments-by-code", out)
    assert blocker.args == [True, str(out)]
    body = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert "Vague feedback" in body and "kind but vague" in body and "Feedback without specifics." in body
    assert messages[-1][0] == "info" and "not encrypted" in messages[-1][2]


def test_failed_export_says_why_and_writes_nothing(qtbot, tmp_path, window, messages):
    out = tmp_path / "no such folder" / "report.docx"
    with qtbot.waitSignal(window.exports.finished, timeout=30000) as blocker:
        window.exports.start("segments-by-code", out)
    assert blocker.args[0] is False
    assert messages[-1][0] == "error" and messages[-1][2]
    assert not out.parent.exists()


def test_project_file_dropped_opens_it(qtbot, tmp_path, window):
    other = tmp_path / "other.qcdesk"
    empty_project(other).close()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other))])
    window.dropEvent(QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier))
    assert window.project.path == other


def test_file_names_with_control_characters_are_shown_clean(qtbot, tmp_path, window, messages):
    nasty = "\x1b[31mP04\u202eevil"
    good = tmp_path / f"{nasty}.txt"
    good.write_text("Interviewer: Hello.\n\nP4: Hi.\n\nInterviewer: Bye.\n", encoding="utf-8")
    bad = tmp_path / f"{nasty}.vtt"
    bad.write_text("not subtitles\n", encoding="utf-8")
    report = run_import(qtbot, window, [good, bad])
    assert window.documents.names() == ["[31mP04evil"]
    kind, title, text = messages[-1]
    assert "[31mP04evil.vtt" in text
    assert not any(ch in text for ch in "\x1b\u202e")
    assert [name for name, _ in report.failed] == ["[31mP04evil.vtt"]
