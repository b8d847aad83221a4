"""Panels docked as tabs behind others do no work until their tab is chosen (a coding stays fast)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.ui.main_window import MainWindow
from qcdesk.ui.panel_state import shown

pytestmark = pytest.mark.gui


@pytest.fixture
def window(make_window, tmp_path: Path, messages) -> MainWindow:
    path = tmp_path / "p.qcdesk"
    with Project.create(path) as project:
        for i in (1, 2):
            project.add_document(f"Interview {i}", ParsedDocument(text="P1: I felt welcome here.", source_format="txt"))
        project.add_code("Welcome")
    return make_window(path, coder="Ana", settings_file="s.ini", size=(1200, 800), exposed=True)


def settled(panel) -> bool:
    """Nothing of the panel's is pending: the events already posted are handled, no timer runs."""
    QApplication.processEvents()
    return not any(timer.isActive() for timer in panel.findChildren(QTimer))


@pytest.mark.parametrize("feature, method", [("saturation", "refresh"), ("matrices", "refresh"),
                                             ("cases", "refresh"), ("agreement", "recompute")])
def test_a_panel_behind_a_tab_waits_until_shown(window, qtbot, monkeypatch, feature, method):
    owner = getattr(window, feature)
    panel, dock = owner.panel, owner.dock
    window.segments_dock.raise_()
    qtbot.waitUntil(lambda: not shown(panel))
    calls = []
    original = getattr(panel, method)
    monkeypatch.setattr(panel, method, lambda *a, **k: (calls.append(__import__("traceback").format_stack(limit=6)), original(*a, **k))[1])
    if feature == "agreement":
        panel._stale = False
    doc = window.project.documents()[0]
    window.project.apply_code(doc.id, window.project.codes()[0].id, 4, 9)
    window.project.add_code("Belonging")
    from qcdesk.core import cases
    cases.add_case(window.project, "P1")
    qtbot.waitUntil(lambda: settled(panel))  # every debounce of the panel has run out
    assert calls == [], "".join(calls[0])  # nothing computed behind the tab
    window.show_panel(dock)
    qtbot.waitUntil(lambda: shown(panel))
    qtbot.waitUntil(lambda: bool(calls), timeout=30000)


def test_saturation_shown_after_changes_has_the_new_code(window, qtbot):
    panel, dock = window.saturation.panel, window.saturation.dock
    window.segments_dock.raise_()
    qtbot.waitUntil(lambda: not shown(panel))
    doc = window.project.documents()[0]
    window.project.apply_code(doc.id, window.project.codes()[0].id, 4, 9)
    window.show_panel(dock)
    qtbot.waitUntil(lambda: shown(panel))
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2)
    qtbot.waitUntil(lambda: panel.table.item(0, 1).text() == "1")   # one new code in the first interview
