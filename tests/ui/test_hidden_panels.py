"""Panels docked as tabs behind others do no work until their tab is chosen (a coding stays fast)."""

from __future__ import annotations

import traceback
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.ui.main_window import MainWindow
from qcdesk.ui.panel_state import shown
from builders import empty_project

pytestmark = pytest.mark.gui


@pytest.fixture
def window(make_window, tmp_path: Path, messages) -> MainWindow:
    path = tmp_path / "p.qcdesk"
    with empty_project(path) as project:
        for i in (1, 2):
            project.documents.add(f"Interview {i}", ParsedDocument(text="P1: I felt welcome here.", source_format="txt"))
        project.codebook.add("Welcome")
    return make_window(path, coder="Ana", settings_file="s.ini", size=(1200, 800), exposed=True)


def settled(panel) -> bool:
    """Nothing of the panel's is pending: the events already posted are handled, no timer runs."""
    QApplication.processEvents()
    return not any(timer.isActive() for timer in panel.findChildren(QTimer))


def _code_rows(grid) -> list[str]:
    return [grid.verticalHeaderItem(i).text().strip() for i in range(grid.rowCount())]


def _tree_texts(tree) -> list[str]:
    from PySide6.QtWidgets import QTreeWidgetItemIterator
    found, it = [], QTreeWidgetItemIterator(tree)
    while it.value():
        found.append(it.value().text(0))
        it += 1
    return found


#: for each feature panel: the method that recomputes it, and what it shows once it has caught up
#: with the changes the test makes while it is hidden (a coding, a code "Belonging", a case "P1")
PANELS = {
    "saturation": ("refresh", lambda p: p.table.rowCount() == 2 and p.table.item(0, 1).text() == "1"),
    "matrices": ("refresh", lambda p: "Belonging" in _code_rows(p.grid)),
    "cases": ("refresh", lambda p: p.model.rowCount() == 1),
    "agreement": ("recompute", lambda p: "Belonging" in [p.codes.item(i).text() for i in range(p.codes.count())]),
    "retrieval": ("refresh", lambda p: "Belonging" in _tree_texts(p.codes)),
}


def test_every_lazy_panel_is_covered():
    """Every panel module that puts work off with panel_state.when_shown is in PANELS (the Memos
    panel, which re-lists at once after a memo or case change, has its own test in
    test_code_creation_refresh.py; the Search panel's speaker list at open, in
    test_open_loads_little.py): a new lazy panel gets this test too."""
    import qcdesk.ui
    ui = Path(qcdesk.ui.__file__).parent
    lazy = {path.stem.removesuffix("_panel") for path in ui.glob("*.py")
            if "panel_state.when_shown(" in path.read_text(encoding="utf-8")}
    # the Search panel puts off only its speaker list at open: tests/ui/test_open_loads_little.py
    assert lazy == set(PANELS) | {"memos", "search"}


def hidden_and_watched(window, panel, method: str, qtbot, monkeypatch) -> list[str]:
    """Put ``panel`` behind the segments tab, wait until what opening started is over, then record
    each call of its ``method`` (the stack that made it) in the list returned."""
    window.segments_dock.raise_()
    qtbot.waitUntil(lambda: not shown(panel))
    qtbot.waitUntil(lambda: settled(panel))
    calls: list[str] = []
    original = getattr(panel, method)

    def watched(*args, **kwargs):
        calls.append("".join(traceback.format_stack(limit=6)))
        return original(*args, **kwargs)

    monkeypatch.setattr(panel, method, watched)
    return calls


@pytest.mark.parametrize("feature", sorted(PANELS))
def test_a_panel_behind_a_tab_waits_until_shown(window, qtbot, monkeypatch, feature):
    """(Saturation: a coding made behind the tab shows as one new code in the first interview.)"""
    method, caught_up = PANELS[feature]
    owner = getattr(window, feature)
    panel, dock = owner.panel, owner.dock
    calls = hidden_and_watched(window, panel, method, qtbot, monkeypatch)
    doc = window.project.documents()[0]
    window.project.codings.apply(doc.id, window.project.codes()[0].id, 4, 9)
    window.project.codebook.add("Belonging")
    window.project.cases.add("P1")
    qtbot.waitUntil(lambda: settled(panel))  # every debounce of the panel has run out
    assert calls == [], calls[0]  # nothing computed behind the tab
    assert not caught_up(panel)  # and nothing shown of the changes yet
    window.show_panel(dock)
    qtbot.waitUntil(lambda: shown(panel))
    qtbot.waitUntil(lambda: bool(calls), timeout=30000)
    qtbot.waitUntil(lambda: caught_up(panel), timeout=30000)  # choosing the tab shows the new state
    qtbot.waitUntil(lambda: settled(panel))
    assert len(calls) == 1, "the changes made while hidden are caught up with once"


def test_the_saturation_menu_entry_catches_up_once(window, qtbot, monkeypatch):
    """Analysis ▸ Saturation on a panel with changes put off recomputes once, not once for the
    menu entry and again for the work put off."""
    panel = window.saturation.panel
    calls = hidden_and_watched(window, panel, "refresh", qtbot, monkeypatch)
    doc = window.project.documents()[0]
    window.project.codings.apply(doc.id, window.project.codes()[0].id, 4, 9)
    qtbot.waitUntil(lambda: settled(panel))
    assert calls == []
    window.saturation.act_show.trigger()
    qtbot.waitUntil(lambda: shown(panel))
    qtbot.waitUntil(lambda: PANELS["saturation"][1](panel))
    qtbot.waitUntil(lambda: settled(panel))
    assert len(calls) == 1


def test_saturation_behind_a_tab_lists_its_options_when_shown(window, qtbot, monkeypatch):
    """A code created while Saturation is behind another tab reads no code list there; choosing the
    tab lists the new tree level among the count options."""
    panel, dock = window.saturation.panel, window.saturation.dock
    calls = hidden_and_watched(window, panel, "fill_choices", qtbot, monkeypatch)
    parent = window.project.codes()[0]
    window.project.codebook.add("Belonging", parent_id=parent.id)
    window.project.set_coder("Bo")
    qtbot.waitUntil(lambda: settled(panel))
    assert calls == []
    levels = [panel.count.itemText(i) for i in range(panel.count.count())]
    assert "Codes at level 2" not in levels
    window.show_panel(dock)
    qtbot.waitUntil(lambda: shown(panel))
    qtbot.waitUntil(lambda: "Codes at level 2" in [panel.count.itemText(i) for i in range(panel.count.count())])
    assert len(calls) == 1
