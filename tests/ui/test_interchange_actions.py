"""File › Exchange in the window: export the project and its codebook, import a project or a codebook."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block
from qcdesk.core.project import Project
from qcdesk.ui import dialogs
from qcdesk.ui.main_window import MainWindow
from builders import empty_project

pytestmark = pytest.mark.gui

TEXT = "P1: My mentor was assigned 😀 by the school.\nP1: Later I felt I belonged."


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "study.qcdesk"
    with empty_project(path) as project:
        doc = project.documents.add("Interview 1", ParsedDocument(
            TEXT, "txt", [Block("paragraph", 0, 44), Block("paragraph", 45, len(TEXT))]))
        theme = project.codebook.add("Mentoring", color="#5dade2", description="Being guided").value
        project.codebook.add("Belonging", color="#58d68d")
        project.set_coder("Ana")
        project.codings.apply(doc.id, theme.id, TEXT.index("My mentor"), TEXT.index(" by the"))
    return path


@pytest.fixture
def window(make_window, project_path, messages) -> MainWindow:
    return make_window(project_path, exposed=True)


def _menu_texts(win: MainWindow) -> list[str]:
    file_menu = next(a.menu() for a in win.menuBar().actions() if a.text() == "&File")
    return [a.text() for a in file_menu.actions()]


def test_file_menu_has_exchange_submenu_after_export(window):
    texts = _menu_texts(window)
    assert texts.index("E&xchange") == texts.index("&Export report…") + 1
    assert [a.text() for a in window.exchange.menu.actions() if a.text()] == [
        "Export project as REFI-QDA (.qdpx)…", "Export codebook (.qdc)…",
        "Import REFI-QDA project or codebook…"]


def test_actions_follow_the_open_project(window):
    assert window.exchange.act_export_project.isEnabled()
    window.close_project()
    assert not window.exchange.act_export_project.isEnabled()
    assert not window.exchange.act_import.isEnabled()


def test_export_project_writes_the_package_and_reports(window, tmp_path, monkeypatch, messages):
    asked = []
    monkeypatch.setattr(dialogs, "ask_save_path",
                        lambda parent, title, folder, filters: asked.append((folder, filters)) or
                        str(tmp_path / "shared-study"))
    window.exchange.act_export_project.trigger()
    out = tmp_path / "shared-study.qdpx"
    assert out.exists() and "project.qde" in zipfile.ZipFile(out).namelist()
    assert asked[0][0].endswith("study.qdpx") and "*.qdpx" in asked[0][1]
    kind, title, text = messages[-1]
    assert kind == "info" and "shared-study.qdpx" in text
    assert "Wrote 1 document, 2 codes, 1 coding, " in text


def test_export_codebook(window, tmp_path, monkeypatch, messages):
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: str(tmp_path / "codes.qdc"))
    window.exchange.act_export_codebook.trigger()
    assert b'name="Mentoring"' in (tmp_path / "codes.qdc").read_bytes()
    assert messages[-1][0] == "info" and "Wrote 2 codes." in messages[-1][2]


def test_cancelled_dialog_does_nothing(window, tmp_path, monkeypatch, messages):
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: None)
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a: None)
    window.exchange.act_export_project.trigger()
    window.exchange.act_import.trigger()
    assert messages == [] and list(tmp_path.glob("*.qdpx")) == []


def test_import_codebook_outline_shows_new_codes_in_the_panel(window, tmp_path, monkeypatch, messages, qtbot):
    outline = tmp_path / "template.txt"
    outline.write_text("Mentoring\n  Assigned mentor\n  Chosen mentor\nIdentity\n", encoding="utf-8")
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a: str(outline))
    window.exchange.act_import.trigger()
    kind, _, text = messages[-1]
    assert kind == "info" and "Added 3 codes." in text and "matched): 1 code." in text
    names = [c.name for c, _ in window.project.codes_in_tree_order()]
    assert names == ["Mentoring", "Assigned mentor", "Chosen mentor", "Belonging", "Identity"]
    shown = _panel_names(window)
    assert {"Assigned mentor", "Chosen mentor", "Identity"} <= shown


def _panel_names(window: MainWindow) -> set[str]:
    from PySide6.QtCore import QModelIndex

    model = window.codebook.view.model()
    out: set[str] = set()

    def walk(parent: QModelIndex) -> None:
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            out.add(str(index.data()).split("  ")[0].strip())
            walk(index)

    walk(QModelIndex())
    return out


def test_import_project_package_adds_documents_and_codings(window, tmp_path, monkeypatch, messages):
    other = tmp_path / "colleague.qcdesk"
    with empty_project(other) as p:
        doc = p.documents.add("Interview 7", ParsedDocument("I: Hi.\nP7: The night team was kind.", "txt"))
        code = p.codebook.add("Kindness", color="#f1948a").value
        p.codings.apply(doc.id, code.id, 11, 33)
    from qcdesk.core.interchange import export_file
    with Project.open(other) as p:
        export_file(p, tmp_path / "colleague.qdpx")
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a: str(tmp_path / "colleague.qdpx"))
    window.exchange.act_import.trigger()
    assert messages[-1][0] == "info"
    assert "Added 1 document, 1 code, 1 coding." in messages[-1][2]
    assert [d.name for d in window.project.documents()] == ["Interview 1", "Interview 7"]
    assert "Interview 7" in window.documents.names()


def test_broken_file_shows_an_error_and_changes_nothing(window, tmp_path, monkeypatch, messages):
    bad = tmp_path / "broken.qdpx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a: str(bad))
    before = window.project.stats()
    window.exchange.act_import.trigger()
    kind, title, text = messages[-1]
    assert kind == "error" and "Could not import" in text and "damaged" in text
    assert window.project.stats() == before
