"""Analysis › Saturation: the chart is drawn, the table lists new codes, order and options change it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage

from qcdesk.ui import charts, dialogs
from qcdesk.ui.main_window import MainWindow
from builders import empty_project, paragraph_document

pytestmark = pytest.mark.gui

BAR = QColor(charts.PALETTE[0])
LINE = QColor(charts.PALETTE[1])


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "study.qcdesk"
    with empty_project(path) as p:
        support = p.codebook.add("Support").value
        mentor = p.codebook.add("Mentor", parent_id=support.id).value
        peers = p.codebook.add("Peers", parent_id=support.id).value
        time = p.codebook.add("Time").value
        a = p.documents.add("Interview A", paragraph_document("first interview text"))
        b = p.documents.add("Interview B", paragraph_document("second interview text"))
        p.documents.add("Interview C", paragraph_document("third interview text"))
        p.codings.apply(a.id, mentor.id, 0, 5)
        p.codings.apply(a.id, time.id, 6, 10)
        p.codings.apply(b.id, peers.id, 0, 5)
    return path


@pytest.fixture
def window(make_window, project_path, messages) -> MainWindow:
    win = make_window(project_path, size=(1200, 800), exposed=True)
    win.saturation.act_show.trigger()
    return win


def rows(panel) -> list[tuple[str, ...]]:
    table = panel.table
    return [tuple(table.item(r, c).text() for c in range(table.columnCount())) for r in range(table.rowCount())]


def colour_count(image: QImage, colour: QColor, tolerance: int = 12) -> int:
    n = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            if (abs(c.red() - colour.red()) + abs(c.green() - colour.green())
                    + abs(c.blue() - colour.blue())) <= tolerance:
                n += 1
    return n


def test_menu_opens_panel_with_table(window):
    assert window.saturation.act_show in window.analysis_menu.actions()
    panel = window.saturation.panel
    assert panel.isVisible()
    # Interview C has no coding yet: "not coded", not "0 new codes" (which would look like saturation)
    assert rows(panel) == [("Interview A", "2", "2", "Mentor, Time"), ("Interview B", "1", "3", "Peers"),
                           ("Interview C", "not coded", "3", "")]
    assert [r.document_name for r in panel.chart.rows] == ["Interview A", "Interview B"]


def test_the_table_shows_every_row_and_the_axis_whole_numbers(qtbot, window):
    panel = window.saturation.panel
    project = window.project
    for n in range(5):
        project.documents.add(f"Interview {'DEFGH'[n]}", paragraph_document("more interview text"))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 8)
    window.resizeDocks([window.saturation.dock], [520], Qt.Orientation.Vertical)  # the user makes room
    qtbot.waitUntil(lambda: window.saturation.dock.height() >= 450)
    table = panel.table
    qtbot.waitUntil(lambda: all(table.viewport().rect().contains(table.visualRect(table.model().index(r, 0)))
                                for r in range(table.rowCount())), timeout=2000)
    assert panel.chart.height() >= 120  # the chart keeps room too
    assert charts.nice_ticks(3, integer=True) == [0, 1, 2, 3]
    assert charts.nice_ticks(2, integer=True) == [0, 1, 2]
    assert charts.nice_ticks(1, integer=True) == [0, 1]
    assert charts.nice_ticks(2) == [0, 0.5, 1, 1.5, 2]  # measurements keep fractional ticks
    assert all(float(t).is_integer() for t in panel.chart.ticks())


def test_chart_is_drawn(window, tmp_path):
    chart = window.saturation.panel.chart
    chart.resize(700, 320)
    image = chart.grab().toImage()
    image.save(str(tmp_path / "saturation_chart.png"))
    assert colour_count(image, BAR) > 200  # the bars of new codes
    assert colour_count(image, LINE) > 30  # the cumulative line
    # and with no documents the chart says so instead of drawing axes
    chart.set_rows([], "")
    empty = chart.grab().toImage()
    assert colour_count(empty, BAR) == 0


def test_refreshes_on_coding_and_reorders(qtbot, window):
    panel = window.saturation.panel
    project = window.project
    c = next(d for d in project.documents() if d.name == "Interview C")
    identity = project.codebook.add("Identity").value
    project.codings.apply(c.id, identity.id, 0, 5)
    assert rows(panel)[2] == ("Interview C", "1", "4", "Identity")
    panel.table.selectRow(2)
    assert panel.btn_up.isEnabled() and not panel.btn_down.isEnabled()
    qtbot.mouseClick(panel.btn_up, Qt.MouseButton.LeftButton)
    assert [d.name for d in project.documents()] == ["Interview A", "Interview C", "Interview B"]
    assert [r[0] for r in rows(panel)] == ["Interview A", "Interview C", "Interview B"]
    assert window.documents.names() == ["Interview A", "Interview C", "Interview B"]
    assert panel.current_document_id() == c.id
    window.undo_stack.clear()


def test_count_options(window):
    panel = window.saturation.panel
    labels = [panel.count.itemText(i) for i in range(panel.count.count())]
    assert labels == ["All codes", "Leaf codes only", "Top-level codes (themes)", "Codes at level 2"]
    panel.count.setCurrentIndex(2)
    assert rows(panel) == [("Interview A", "2", "2", "Support, Time"), ("Interview B", "0", "2", ""),
                           ("Interview C", "not coded", "2", "")]
    assert "top-level codes" in panel.chart.title


def test_save_chart_png(window, monkeypatch, tmp_path):
    out = tmp_path / "chart"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a, **k: str(out))
    old_umask = os.umask(0o022)
    try:
        window.saturation.panel.btn_save.click()
    finally:
        os.umask(old_umask)
    image = QImage(str(tmp_path / "chart.png"))
    assert (image.width(), image.height()) == (1800, 1000)
    assert colour_count(image, BAR) > 1000
    if os.name == "posix":  # owner-only, like every export (whatever the umask)
        assert stat.S_IMODE((tmp_path / "chart.png").stat().st_mode) == 0o600


def test_render_png_bar_chart(qapp):
    data = charts.render_png(lambda p, r: charts.paint_bar_chart(
        p, r, "Participants by role", ["Mentor", "Mentee with a very long role description"], [3, 5]),
        600, 300, dpi=96)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage.fromData(data)
    assert colour_count(image, BAR) > 300
    assert charts.nice_ticks(32) == [0, 10, 20, 30, 40]
    assert QRectF(0, 0, 1, 1).isValid()


def test_count_axes_have_whole_number_ticks():
    assert charts.nice_ticks(12, integer=True) == [0, 5, 10, 15]
    assert charts.nice_ticks(3, integer=True) == [0, 1, 2, 3]
    assert charts.nice_ticks(12) == [0, 2.5, 5, 7.5, 10, 12.5]  # measurements keep fine steps
