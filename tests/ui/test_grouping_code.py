"""A code that only groups others (REFI-QDA isCodable="false") is not applied from the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from test_main_window import code_id, double_click_code, project_path, select_with_keyboard, window  # noqa: F401

from qcdesk.core.project import Project
from qcdesk.core.storage import interchange as ex_sql

pytestmark = pytest.mark.gui


@pytest.fixture
def grouping(project_path):  # noqa: F811
    with Project.open(project_path) as p, p.action():
        ex_sql.set_code_codable(p.db, next(c.id for c in p.codes() if c.name == "Mentoring"), False)
    return project_path


def test_double_clicking_a_grouping_code_says_why_and_codes_nothing(qtbot, grouping, window, messages):  # noqa: F811
    win = window
    index = win.codebook.proxy_index(code_id(win, "Mentoring"))
    assert "Groups other codes" in win.codebook.tooltip_at(index)
    assert index.data(Qt.ItemDataRole.FontRole).italic()
    select_with_keyboard(qtbot, win, 0, 5)
    double_click_code(qtbot, win, "Mentoring")
    assert any("groups other codes" in text for _kind, _title, text in messages), messages
    assert win.project.codings_for_document(win.transcript.document_id) == []
    assert win.undo_stack.count() == 0
    double_click_code(qtbot, win, "Assigned mentor")  # its sub-code is applied as usual
    assert [win.project.code(c.code_id).name for c in win.project.codings_for_document(
        win.transcript.document_id)] == ["Assigned mentor"]
