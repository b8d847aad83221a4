"""Table exports from an encrypted project say first that the file will not be encrypted."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.ui import dialogs, unlock
from qcdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

KEY = "ward nine passphrase"


@pytest.fixture(params=[KEY, None], ids=["encrypted", "plain"])
def window(request, make_window, tmp_path: Path, monkeypatch, messages) -> MainWindow:
    path = tmp_path / "p.qcdesk"
    with Project.create(path, passphrase=request.param) as project:
        doc = project.documents.add("Interview 1", ParsedDocument(text="P1: The nurse was kind.", source_format="txt"))
        project.codings.apply(doc.id, project.codebook.add("Kindness").value.id, 4, 23)
    monkeypatch.setattr(unlock, "_ask_passphrase", lambda *a, **k: KEY)
    return make_window(path, coder="Ana", settings_file="s.ini")


def _refuse_and_record(monkeypatch):
    asked, saved = [], []
    monkeypatch.setattr(dialogs, "confirm", lambda parent, title, text: asked.append((title, text)) or False)
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a, **k: saved.append(a) or None)
    return asked, saved


def test_each_table_export_warns_for_encrypted_projects_only(window, monkeypatch):
    encrypted = bool(window.project.passphrase)
    asked, saved = _refuse_and_record(monkeypatch)
    window.matrices.panel.table_data = window.matrices.panel.table_data or _any_table()
    window.matrices.panel.export(".csv")
    window.cases.panel.export_table()
    window.agreement.panel.result = object()
    window.agreement.panel.export_dialog()
    if encrypted:
        assert [t for t, _ in asked] == ["Export will not be encrypted"] * 3
        assert "matrix" in asked[0][1] and "attribute" in asked[1][1] and "agreement" in asked[2][1]
        assert saved == []               # declining stops before a file is even chosen
    else:
        assert asked == [] and len(saved) == 3


def _any_table():
    from qcdesk.core.tables import Table

    return Table(title="Codes by case", column_headers=["P1"], row_headers=["Kindness"], cells=[[1]])
