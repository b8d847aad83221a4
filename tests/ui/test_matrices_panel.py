"""Analysis ▸ Matrices: counts shown shaded, a click lists the segments, exports re-read."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from test_retrieval_panel import choose, project_path, wait_summary, window  # noqa: F401 - shared fixtures

from qcdesk.ui import dialogs

pytestmark = pytest.mark.gui


@pytest.fixture
def panel(window, qtbot):  # noqa: F811
    window.findChild(type(window.act_undo), "actionMatrices").trigger()
    panel = window.matrices.panel
    qtbot.waitUntil(panel.isVisible)
    qtbot.waitUntil(lambda: panel.grid.rowCount() > 0, timeout=30000)
    return panel


def shown(panel) -> dict[str, list[str]]:
    grid = panel.grid
    return {grid.verticalHeaderItem(r).text(): [panel.cell_text(r, c) for c in range(grid.columnCount())]
            for r in range(grid.rowCount())}


def headers(panel) -> list[str]:
    return [panel.grid.horizontalHeaderItem(c).text() for c in range(panel.grid.columnCount())]


def test_code_by_case_counts_with_tree_indentation_and_shading(qtbot, panel, click_check_box):
    assert panel.title.text() == "<b>Segments by code and case</b>"
    assert headers(panel) == ["M01", "M02", "P03"]
    assert shown(panel) == {"Mentoring": ["1", "0", "0"], "    Assigned": ["0", "0", "1"],
                            "Belonging": ["0", "1", "2"], "Worry": ["1", "0", "0"]}
    largest = panel.grid.item(2, 2).background().color()
    smaller = panel.grid.item(0, 0).background().color()
    assert largest.alpha() > smaller.alpha() > 0
    assert panel.grid.item(0, 1).background().style() == Qt.BrushStyle.NoBrush
    click_check_box(panel.include_sub)
    qtbot.waitUntil(lambda: shown(panel).get("Mentoring") == ["1", "0", "1"], timeout=30000)


def test_attribute_groups_and_cooccurrence(qtbot, panel):
    choose(qtbot, panel.kind, "Code × attribute value")
    qtbot.waitUntil(lambda: panel.grid.columnCount() == 2, timeout=30000)
    assert headers(panel) == ["mentor (n=2)", "mentee (n=1)"]
    assert shown(panel)["Belonging"] == ["1", "2"]
    choose(qtbot, panel.measure, "Cases")
    qtbot.waitUntil(lambda: shown(panel)["Belonging"] == ["1", "1"], timeout=30000)
    choose(qtbot, panel.kind, "Code co-occurrence")
    qtbot.waitUntil(lambda: panel.grid.columnCount() == 4, timeout=30000)
    assert shown(panel)["    Assigned"] == ["0", "", "1", "0"]
    assert shown(panel)["Worry"] == ["1", "0", "0", ""]


def test_clicking_a_count_lists_its_segments(qtbot, window, panel):
    grid = panel.grid
    rect = grid.visualItemRect(grid.item(2, 2))  # Belonging × P03
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    retrieval = window.retrieval.panel
    qtbot.waitUntil(retrieval.isVisible)
    wait_summary(qtbot, retrieval, "2 passages in 1 document")
    assert [r.text for r in retrieval.results] == ["was assigned by the school", "I felt I belonged"]
    assert retrieval.case.currentText() == "P03"


def test_export_csv_and_xlsx(qtbot, panel, tmp_path, monkeypatch):
    targets = iter([str(tmp_path / "by case"), str(tmp_path / "by case.xlsx")])
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a, **k: next(targets))
    qtbot.mouseClick(panel.export_csv, Qt.MouseButton.LeftButton)
    with (tmp_path / "by case.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Code", "M01", "M02", "P03"]
    assert rows[2] == ["  Assigned", "0", "0", "1"]
    qtbot.mouseClick(panel.export_xlsx, Qt.MouseButton.LeftButton)
    sheet = load_workbook(tmp_path / "by case.xlsx").active
    assert [c.value for c in sheet[4]] == ["Belonging", 0, 1, 2]
    assert sheet.freeze_panes == "B2"
