"""Team › Inter-coder agreement: choose coders, read the figures, settle a disagreement, undo."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.ui.main_window import MainWindow
from builders import empty_project

pytestmark = pytest.mark.gui

TEXT = "abcdefghijklmnopqrst"


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "team.qcdesk"
    with empty_project(path) as p:
        doc = p.documents.add("Interview 1", ParsedDocument(text=TEXT, source_format="txt"))
        code = p.codebook.add("Support").value
        for coder, end in (("Ana", 10), ("Ben", 8), ("Cy", 10)):
            p.set_coder(coder)
            with p.action():
                p.db["codings"].insert({"document_id": doc.id, "code_id": code.id, "start": 0, "end": end,
                                        "coder_id": p.coder.id, "created": "2024-01-01"})
    return path


@pytest.fixture
def window(make_window, project_path, messages) -> MainWindow:
    return make_window(project_path, coder="Ana", size=(1200, 800))


def coder_ids(win: MainWindow, *names: str) -> list[int]:
    by_name = {c.name: c.id for c in win.project.coders()}
    return [by_name[n] for n in names]


def test_choose_coders_read_figures_accept_and_undo(qtbot, window):
    feature = window.agreement
    feature.action.trigger()
    panel = feature.panel
    assert feature.dock.isVisible()
    assert panel.table_rows() == []  # three coders: none ticked until chosen
    assert "two or more" in panel.status.text()
    panel.choose(coder_ids(window, "Ana", "Ben"))
    rows = panel.table_rows()
    assert rows[0] == ["Support", "90.0 %", "0.800", rows[0][3]]
    assert rows[1][0] == "  Interview 1" and rows[1][1:3] == ["90.0 %", "0.800"]
    assert rows[-1][:3] == ["Overall", "90.0 %", "0.800"]
    assert panel.disagreement_rows() == [["Interview 1", "Support", "Ana", "Ben", "ij"]]
    panel.list.setCurrentItem(panel.list.topLevelItem(0))
    with qtbot.waitSignal(window.undo_stack.indexChanged):
        qtbot.mouseClick(panel.accept_button, Qt.MouseButton.LeftButton)
    assert panel.table_rows()[0][:4] == ["Support", "100.0 %", "1.000", "1.000"]
    assert panel.disagreement_rows() == []
    assert window.undo_stack.undoText().startswith("Accept “ij”")
    window.undo_stack.undo()
    assert panel.table_rows()[0][1:3] == ["90.0 %", "0.800"]
    assert len(panel.disagreement_rows()) == 1


def test_reject_and_jump_to_the_text(qtbot, window):
    window.agreement.open()
    panel = window.agreement.panel
    panel.choose(coder_ids(window, "Ana", "Ben"))
    item = panel.list.topLevelItem(0)
    panel.list.setCurrentItem(item)
    panel._jump(item)
    assert window.transcript.selected_range() == (8, 10)
    assert panel.settle_current("reject")
    ana = coder_ids(window, "Ana")[0]
    spans = [(c.start, c.end) for c in window.project.codings_for_document(window.project.documents()[0].id)
             if c.coder_id == ana]
    assert spans == [(0, 8)]
    assert panel.table_rows()[0][1] == "100.0 %"


def test_three_coders_and_csv_export(qtbot, window, tmp_path):
    window.agreement.open()
    panel = window.agreement.panel
    panel.choose(coder_ids(window, "Ana", "Ben", "Cy"))
    assert panel.table_rows()[0][1] == "93.3 %"
    assert panel.disagreement_rows()[0][2:4] == ["Ana, Cy", "Ben"]
    out = panel.export(tmp_path / "agreement.csv")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Code", "% agreement", "Kappa", "Alpha"]
    assert rows[1][0] == "Support" and float(rows[1][1]) == pytest.approx(93.33, abs=0.01)
    assert float(rows[1][2]) == pytest.approx((1 + 0.8 + 0.8) / 3, abs=1e-4)


def test_undefined_figures_show_a_dash(qtbot, window):
    window.agreement.open()
    panel = window.agreement.panel
    panel.choose(coder_ids(window, "Ana", "Cy"))
    assert panel.table_rows()[0][1:3] == ["100.0 %", "1.000"]
    with window.project.action() as changes:
        window.project.db.execute("UPDATE codings SET start = 0, \"end\" = 20")
        changes.codings.add(1)
    assert panel.table_rows()[0][2] == "–"
