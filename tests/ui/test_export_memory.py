"""File ▸ Export report remembers, per project, where its reports went and the choices made."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.ui import dialogs
from qcdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(make_window, tmp_path: Path, messages) -> MainWindow:
    win = make_window(new=tmp_path / "study.qcdesk")
    p = win.project
    doc = p.documents.add("Interview A", ParsedDocument(text="P1: Nights were exhausting.", source_format="txt"))
    code = p.codebook.add("Fatigue").value
    p.codings.apply(doc.id, code.id, 4, 10)
    yield win
    win.exports.wait()


def test_export_remembers_its_folder_and_options_per_project(window, qtbot, tmp_path, monkeypatch):
    imports = tmp_path / "interviews"
    imports.mkdir()
    window.settings.set_last_folder(imports)  # the last import came from here
    suggested = []
    monkeypatch.setattr(dialogs, "ask_save_path", lambda parent, title, path, *a: suggested.append(path) or None)
    dialog = window.exports.make_dialog()
    qtbot.addWidget(dialog)
    window.exports.export_from(dialog)
    assert Path(suggested[-1]).parent == window.project.path.parent  # beside the project, not the interviews

    dialog = window.exports.make_dialog()
    qtbot.addWidget(dialog)
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("matrices"))
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(".xlsx"))
    dialog.matrix_box.setCurrentIndex(dialog.matrix_box.findData("cooccurrence"))
    dialog.charts.setChecked(False)
    reports = tmp_path / "reports"
    reports.mkdir()
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: str(reports / "co.xlsx"))
    with qtbot.waitSignal(window.exports.finished, timeout=30000):
        window.exports.export_from(dialog)

    again = window.exports.make_dialog()
    qtbot.addWidget(again)
    assert (again.kind(), again.suffix(), again.matrix_box.currentData()) == ("matrices", ".xlsx", "cooccurrence")
    assert not again.charts.isChecked()
    monkeypatch.setattr(dialogs, "ask_save_path", lambda parent, title, path, *a: suggested.append(path) or None)
    window.exports.export_from(again)
    assert Path(suggested[-1]).parent == reports
    # asked for one kind, that kind it is; the other options stay remembered
    chosen = window.exports.make_dialog("coded-transcript")
    qtbot.addWidget(chosen)
    assert chosen.kind() == "coded-transcript" and not chosen.charts.isChecked()

    # another project has its own: the defaults, beside it
    (tmp_path / "other").mkdir()
    assert window.new_project(tmp_path / "other" / "second.qcdesk")
    fresh = window.exports.make_dialog()
    qtbot.addWidget(fresh)
    assert fresh.kind() == "segments-by-code" and fresh.charts.isChecked()
    window.exports.export_from(fresh)
    assert Path(suggested[-1]).parent == tmp_path / "other"
