"""CodebookPanel driven like a user: filter, click, keys, actions, drops and refreshes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QHBoxLayout, QMenu, QMessageBox, QPlainTextEdit, QStyledItemDelegate,
    QStyleOptionViewItem, QWidget,
)

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.ui.codebook_dock import CodebookPanel
from builders import empty_project

pytestmark = pytest.mark.gui

TEXT = "Participant: the bus took an hour, and then the clinic kept us waiting. " * 4
ACTIONS = ["action_add_code", "action_add_subcode", "action_rename_code", "action_recolour_code",
           "action_describe_code", "action_delete_code"]


@pytest.fixture
def project(tmp_path):
    """Barriers > {Access > {Travel, Waiting}, Communication > {Jargon}}, Identity > {Role models}."""
    p = empty_project(tmp_path / "p.qcdesk")
    ids = {}
    ids["Barriers"] = p.codebook.add("Barriers").value.id
    ids["Access"] = p.codebook.add("Access", parent_id=ids["Barriers"]).value.id
    ids["Travel"] = p.codebook.add("Travel", parent_id=ids["Access"]).value.id
    ids["Waiting"] = p.codebook.add("Waiting", parent_id=ids["Access"], description="Queues, delays").value.id
    ids["Communication"] = p.codebook.add("Communication", parent_id=ids["Barriers"]).value.id
    ids["Jargon"] = p.codebook.add("Jargon", parent_id=ids["Communication"]).value.id
    ids["Identity"] = p.codebook.add("Identity").value.id
    ids["Role models"] = p.codebook.add("Role models", parent_id=ids["Identity"]).value.id
    doc = p.documents.add("Interview 1", ParsedDocument(text=TEXT, source_format="txt"))
    p.codings.apply(doc.id, ids["Travel"], 0, 20)
    p.codings.apply(doc.id, ids["Travel"], 30, 40)
    p.codings.apply(doc.id, ids["Jargon"], 50, 70)
    p.ids, p.doc_id = ids, doc.id
    p.changes = []
    p.subscribe(p.changes.append)
    yield p
    p.close()


@pytest.fixture
def panel(qtbot, project):
    widget = CodebookPanel()
    qtbot.addWidget(widget)
    widget.set_project(project)
    widget.resize(360, 500)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def action(panel: CodebookPanel, name: str) -> QAction:
    found = panel.findChild(QAction, name)
    assert found is not None, name
    return found


def visible_names(panel: CodebookPanel) -> list[str]:
    """Names of the rows a user can see: shown by the filter, under expanded parents."""
    out: list[str] = []

    def walk(parent: QModelIndex) -> None:
        for row in range(panel.proxy.rowCount(parent)):
            index = panel.proxy.index(row, 0, parent)
            out.append(index.data())
            if panel.view.isExpanded(index):
                walk(index)

    walk(QModelIndex())
    return out


def click_code(qtbot, panel: CodebookPanel, code_id: int, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    index = panel.proxy_index(code_id)
    assert index.isValid()
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, modifier,
                     pos=panel.view.visualRect(index).center())


def focus_tree(qtbot, panel: CodebookPanel) -> None:
    panel.activateWindow()
    panel.view.setFocus()
    qtbot.waitUntil(lambda: panel.view.hasFocus())


ALL = ["Barriers", "Access", "Travel", "Waiting", "Communication", "Jargon", "Identity", "Role models"]


def test_loads_expanded_with_name_and_count_columns(panel, project):
    assert visible_names(panel) == ALL
    header = panel.view.header()
    assert [panel.proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["Code", "Segs", "Docs"]
    assert not header.isSectionHidden(1)
    assert panel.view.uniformRowHeights()
    assert panel.view.dragDropMode() == QAbstractItemView.DragDropMode.InternalMove
    assert panel.view.selectionMode() == QAbstractItemView.SelectionMode.ExtendedSelection
    travel = panel.proxy_index(project.ids["Travel"], 1)
    assert travel.data() == 2
    assert panel.view.visualRect(panel.proxy_index(project.ids["Role models"])).isValid()
    assert panel.current_code_id() is None
    assert [action(panel, n).isEnabled() for n in ACTIONS] == [True, False, False, False, False, False]


def test_filter_keeps_matches_and_their_ancestors_case_insensitively(qtbot, panel):
    qtbot.keyClicks(panel.filter_edit, "WAIT")
    assert visible_names(panel) == ["Barriers", "Access", "Waiting"]
    panel.filter_edit.clear()
    qtbot.keyClicks(panel.filter_edit, "mM")
    assert visible_names(panel) == ["Barriers", "Communication"]  # a match's sub-codes need to match too
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Escape)
    assert panel.filter_edit.text() == ""
    assert visible_names(panel) == ALL


def test_filter_down_key_enters_the_tree_on_the_first_match(qtbot, panel, project):
    focus_tree(qtbot, panel)
    panel.filter_edit.setFocus()
    qtbot.keyClicks(panel.filter_edit, "role")
    with qtbot.waitSignal(panel.currentCodeChanged, timeout=1000,
                          check_params_cb=lambda cid: cid == project.ids["Role models"]):
        qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Down)
    assert panel.view.hasFocus()


def test_collapsed_codes_stay_collapsed_after_filtering(qtbot, panel, project):
    panel.view.collapse(panel.proxy_index(project.ids["Access"]))
    qtbot.keyClicks(panel.filter_edit, "travel")
    assert visible_names(panel) == ["Barriers", "Access", "Travel"]  # while filtering, matches show
    panel.filter_edit.clear()
    assert visible_names(panel) == [n for n in ALL if n not in ("Travel", "Waiting")]


def test_clicking_a_row_makes_it_current(qtbot, panel, project):
    with qtbot.waitSignal(panel.currentCodeChanged, timeout=1000,
                          check_params_cb=lambda cid: cid == project.ids["Jargon"]):
        click_code(qtbot, panel, project.ids["Jargon"])
    assert panel.current_code_id() == project.ids["Jargon"]
    assert all(action(panel, n).isEnabled() for n in ACTIONS)
    click_code(qtbot, panel, project.ids["Travel"], Qt.KeyboardModifier.ControlModifier)
    assert panel.selected_code_ids() == [project.ids["Travel"], project.ids["Jargon"]]
    with qtbot.waitSignal(panel.currentCodeChanged, timeout=1000, check_params_cb=lambda cid: cid is None):
        panel.view.clearSelection()
    assert not action(panel, "action_rename_code").isEnabled()


def test_select_code_clears_a_filter_that_hides_it(panel, project):
    panel.filter_edit.setText("role")
    assert panel.select_code(project.ids["Jargon"])
    assert panel.filter_edit.text() == ""
    assert panel.current_code_id() == project.ids["Jargon"]
    assert not panel.select_code(12345)


def test_double_click_and_enter_activate_the_code(qtbot, panel, project):
    index = panel.proxy_index(project.ids["Waiting"])
    center = panel.view.visualRect(index).center()
    with qtbot.waitSignal(panel.codeActivated, timeout=1000,
                          check_params_cb=lambda cid: cid == project.ids["Waiting"]):
        qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=center)
        qtbot.mouseDClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=center)
    focus_tree(qtbot, panel)
    panel.select_code(project.ids["Access"])
    with qtbot.waitSignal(panel.codeActivated, timeout=1000,
                          check_params_cb=lambda cid: cid == project.ids["Access"]):
        qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert panel.view.isExpanded(panel.proxy_index(project.ids["Access"]))  # double-click did not collapse


def test_add_code_and_sub_code_are_named_in_the_tree(qtbot, panel, project, activate):
    activate(panel)  # on X11 a field takes the focus only in the active window
    action(panel, "action_add_code").trigger()
    field = panel.inline
    qtbot.waitUntil(field.hasFocus)
    assert field.isVisible() and "top level" in field.placeholderText()
    with qtbot.waitSignal(panel.addRequested, timeout=1000,
                          check_params_cb=lambda parent, name: (parent, name) == (None, "Cost of care")):
        qtbot.keyClicks(field, "  Cost   of care ")
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert field.isVisible() and field.text() == ""  # ready for the next sibling
    with qtbot.assertNotEmitted(panel.addRequested):
        qtbot.keyClick(field, Qt.Key.Key_Escape)
    assert not field.isVisible()
    panel.select_code(project.ids["Access"])
    action(panel, "action_add_subcode").trigger()
    assert "Access" in field.placeholderText()
    field_rect = field.geometry()
    assert field_rect.top() > panel.view.visualRect(panel.proxy_index(project.ids["Waiting"])).top()
    with qtbot.waitSignal(panel.addRequested, timeout=1000,
                          check_params_cb=lambda parent, name: (parent, name) == (project.ids["Access"],
                                                                                  "Cost of care")):
        qtbot.keyClicks(field, "Cost of care")
        qtbot.keyClick(field, Qt.Key.Key_Enter)
    with qtbot.assertNotEmitted(panel.addRequested):
        qtbot.keyClick(field, Qt.Key.Key_Return)  # an empty name: stop
    assert not field.isVisible()


def test_rename_with_f2_in_the_tree_offers_the_current_name(qtbot, panel, project):
    click_code(qtbot, panel, project.ids["Jargon"])
    focus_tree(qtbot, panel)
    qtbot.keyClick(panel.view, Qt.Key.Key_F2)
    field = panel.inline
    qtbot.waitUntil(field.hasFocus)
    assert field.text() == "Jargon" and field.selectedText() == "Jargon"
    rect = panel.view.visualRect(panel.proxy_index(project.ids["Jargon"]))
    assert field.geometry().top() <= rect.center().y() <= field.geometry().bottom()
    with qtbot.waitSignal(panel.renameRequested, timeout=1000,
                          check_params_cb=lambda cid, name: (cid, name) == (project.ids["Jargon"], "Medical jargon")):
        qtbot.keyClicks(field, "Medical jargon")
        qtbot.keyClick(field, Qt.Key.Key_Return)
    assert not field.isVisible()
    with qtbot.assertNotEmitted(panel.renameRequested):
        action(panel, "action_rename_code").trigger()
        qtbot.keyClick(field, Qt.Key.Key_Return)  # unchanged: nothing to do
        action(panel, "action_rename_code").trigger()
        qtbot.keyClicks(field, "Other")
        qtbot.keyClick(field, Qt.Key.Key_Escape)  # cancelled


def test_recolour_and_describe(qtbot, panel, project, monkeypatch):
    waiting = project.code(project.ids["Waiting"])
    offered = []
    monkeypatch.setattr(panel, "_ask_color", lambda initial: offered.append(initial) or "#AA3300")
    monkeypatch.setattr(panel, "_ask_criteria", lambda code: offered.append(code.description) or
                        {"description": "Queues and delays", "inclusion": "", "exclusion": "", "example": ""})
    panel.select_code(waiting.id)
    with qtbot.waitSignal(panel.recolourRequested, timeout=1000,
                          check_params_cb=lambda cid, color: (cid, color) == (waiting.id, "#aa3300")):
        action(panel, "action_recolour_code").trigger()
    with qtbot.waitSignal(panel.criteriaRequested, timeout=1000,
                          check_params_cb=lambda cid, values: (cid, values["description"])
                          == (waiting.id, "Queues and delays")):
        action(panel, "action_describe_code").trigger()
    assert offered == [waiting.color, "Queues, delays"]
    monkeypatch.setattr(panel, "_ask_color", lambda initial: None)
    monkeypatch.setattr(panel, "_ask_criteria", lambda code: None)
    with qtbot.assertNotEmitted(panel.recolourRequested), qtbot.assertNotEmitted(panel.criteriaRequested):
        action(panel, "action_recolour_code").trigger()
        action(panel, "action_describe_code").trigger()


def test_delete_asks_first_and_no_means_nothing(qtbot, panel, project, monkeypatch):
    questions = []

    def question(parent, title, text, *args):
        questions.append(text)
        return answer

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    click_code(qtbot, panel, project.ids["Barriers"])
    focus_tree(qtbot, panel)
    answer = QMessageBox.StandardButton.No
    with qtbot.assertNotEmitted(panel.deleteRequested):
        qtbot.keyClick(panel.view, Qt.Key.Key_Delete)
    assert len(questions) == 1
    assert "“Barriers”" in questions[0] and "5 sub-codes" in questions[0]
    assert "3 coded segments" in questions[0] and "Undo" in questions[0]
    answer = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(panel.deleteRequested, timeout=1000,
                          check_params_cb=lambda cid: cid == project.ids["Barriers"]):
        action(panel, "action_delete_code").trigger()
    panel.select_code(project.ids["Waiting"])
    action(panel, "action_delete_code").trigger()
    assert "sub-code" not in questions[-1] and "segment" not in questions[-1]


def test_f2_and_delete_elsewhere_in_the_window_do_not_touch_codes(qtbot, project, monkeypatch):
    window = QWidget()
    qtbot.addWidget(window)
    panel = CodebookPanel(project)
    transcript = QPlainTextEdit("Participant: the bus took an hour.")
    transcript.setReadOnly(True)
    layout = QHBoxLayout(window)
    layout.addWidget(transcript)
    layout.addWidget(panel)
    window.show()
    qtbot.waitExposed(window)
    monkeypatch.setattr(panel, "_confirm_delete", lambda code: pytest.fail("asked to delete"))
    panel.select_code(project.ids["Travel"])
    window.activateWindow()
    for widget in (transcript, panel.filter_edit):
        widget.setFocus()
        qtbot.waitUntil(widget.hasFocus)
        qtbot.keyClick(widget, Qt.Key.Key_F2)
        qtbot.keyClick(widget, Qt.Key.Key_Delete)
    assert not panel.inline.isVisible()  # no rename started
    qtbot.keyClicks(panel.filter_edit, "tr")
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Home)
    qtbot.keyClick(panel.filter_edit, Qt.Key.Key_Delete)
    assert panel.filter_edit.text() == "r"


def test_context_menu_offers_the_same_actions(panel):
    menu = panel.context_menu()
    shown = [a.objectName() for a in menu.actions() if not a.isSeparator() and a.menu() is None]
    assert shown == ACTIONS[:5] + ["action_code_memo", "action_merge_codes", "action_move_codes", ACTIONS[5]]
    sort = menu.findChild(QMenu, "menuSortCodes")
    assert [a.objectName() for a in sort.actions()] == ["action_sort_name", "action_sort_count"]


def test_drop_forwards_move_requests_and_refuses_a_drop_into_a_child(qtbot, panel, project):
    model = panel.model
    ids = project.ids
    data = model.mimeData([model.index_for_code(ids["Communication"])])
    with qtbot.waitSignal(panel.moveRequested, timeout=1000,
                          check_params_cb=lambda cid, parent, row: (cid, parent, row)
                          == (ids["Communication"], ids["Identity"], 0)):
        assert model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, model.index_for_code(ids["Identity"]))
    data = model.mimeData([model.index_for_code(ids["Barriers"])])
    with qtbot.assertNotEmitted(panel.moveRequested):
        assert not model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, model.index_for_code(ids["Jargon"]))
    assert visible_names(panel) == ALL


def test_rename_in_the_project_shows_after_apply_changes(qtbot, panel, project):
    panel.select_code(project.ids["Jargon"])
    qtbot.keyClicks(panel.filter_edit, "jarg")
    assert panel.current_code_id() == project.ids["Jargon"]
    # the filter no longer matches: the code disappears, and a hidden code is not current
    with qtbot.waitSignal(panel.currentCodeChanged, timeout=1000, check_params_cb=lambda cid: cid is None):
        project.codebook.rename(project.ids["Jargon"], "Technical terms")
        panel.apply_changes(project.changes[-1])
    assert visible_names(panel) == []
    panel.filter_edit.clear()
    assert panel.proxy_index(project.ids["Jargon"]).data() == "Technical terms"
    assert "Technical terms" in visible_names(panel)
    project.codings.apply(project.doc_id, project.ids["Role models"], 0, 5)
    panel.apply_changes(project.changes[-1])
    assert panel.proxy_index(project.ids["Role models"], 1).data() == 1


def drawn(panel: CodebookPanel, code_id: int, column: int) -> tuple[str, str, str | None]:
    """What the tree's delegate draws in a cell: its text, the text's colour and the icon's colour."""
    option = QStyleOptionViewItem()
    QStyledItemDelegate().initStyleOption(option, panel.proxy_index(code_id, column))
    icon = option.icon.pixmap(14, 14).toImage().pixelColor(7, 7).name() if not option.icon.isNull() else None
    return option.text, option.palette.color(QPalette.ColorRole.Text).name(QColor.NameFormat.HexArgb), icon


def test_painted_cells_follow_renames_recolours_counts_and_the_palette(qtbot, panel, project):
    """The values drawn once (kept for the next repaints) are drawn anew after each change."""
    ids = project.ids
    panel.view.viewport().grab()  # every row painted once
    text, grey, _ = drawn(panel, ids["Role models"], 1)
    assert text == "0"
    assert drawn(panel, ids["Jargon"], 0)[0] == "Jargon"
    project.codebook.rename(ids["Jargon"], "Technical terms")
    panel.apply_changes(project.changes[-1])
    project.codebook.set_color(ids["Travel"], "#00ff00")
    panel.apply_changes(project.changes[-1])
    project.codings.apply(project.doc_id, ids["Role models"], 0, 5)
    panel.apply_changes(project.changes[-1])
    panel.view.viewport().grab()
    assert drawn(panel, ids["Jargon"], 0)[0] == "Technical terms"
    assert drawn(panel, ids["Travel"], 0)[2] == "#00ff00"
    text, colour, _ = drawn(panel, ids["Role models"], 1)
    assert text == "1" and colour != grey  # used now: no longer greyed
    assert drawn(panel, ids["Identity"], 1)[0] == "0 / 1"
    old = QApplication.palette()
    changed = QPalette(old)
    changed.setColor(QPalette.ColorRole.PlaceholderText, QColor("#123456"))
    QApplication.setPalette(changed)
    try:
        qtbot.waitUntil(lambda: drawn(panel, ids["Waiting"], 1)[1] == "#ff123456", timeout=1000)
    finally:
        QApplication.setPalette(old)


def test_expansion_and_selection_survive_a_reset(qtbot, panel, project):
    resets = []
    panel.model.modelReset.connect(lambda: resets.append(1))
    panel.view.collapse(panel.proxy_index(project.ids["Communication"]))
    click_code(qtbot, panel, project.ids["Waiting"])
    with qtbot.assertNotEmitted(panel.currentCodeChanged):
        new = project.codebook.add("Cost", parent_id=project.ids["Identity"]).value
        panel.apply_changes(project.changes[-1])
        project.codebook.move(project.ids["Travel"], project.ids["Identity"], 0)
        panel.apply_changes(project.changes[-1])
    assert len(resets) == 1  # the move; the new code was inserted as a row
    assert visible_names(panel) == ["Barriers", "Access", "Waiting", "Communication",
                                    "Identity", "Travel", "Role models", "Cost"]
    assert panel.current_code_id() == project.ids["Waiting"]
    assert panel.selected_code_ids() == [project.ids["Waiting"]]
    panel.select_code(new.id)
    with qtbot.waitSignal(panel.currentCodeChanged, timeout=1000, check_params_cb=lambda cid: cid is None):
        project.codebook.delete(new.id)
        panel.apply_changes(project.changes[-1])
    assert not action(panel, "action_delete_code").isEnabled()


def test_clear_and_read_only_projects_disable_editing(qtbot, panel, project, tmp_path):
    panel.select_code(project.ids["Travel"])
    with qtbot.waitSignal(panel.currentCodeChanged, timeout=1000, check_params_cb=lambda cid: cid is None):
        panel.clear()
    assert panel.proxy.rowCount() == 0
    assert not any(action(panel, n).isEnabled() for n in ACTIONS)
    project.read_only = True
    panel.set_project(project)
    panel.select_code(project.ids["Travel"])
    assert panel.current_code_id() == project.ids["Travel"]
    assert not any(action(panel, n).isEnabled() for n in ACTIONS)
    assert not panel.view.dragEnabled()


def test_an_empty_codebook_says_how_to_start(qtbot, tmp_path):
    widget = CodebookPanel(empty_project(tmp_path / "empty.qcdesk"))
    qtbot.addWidget(widget)
    widget.show()
    assert widget.empty_label.isVisible() and not widget.view.isVisible()
    assert action(widget, "action_add_code").isEnabled()
    widget.project.close()


def test_context_menu_request_selects_the_row_under_the_mouse(qtbot, panel, project, monkeypatch):
    shown = []
    monkeypatch.setattr(panel, "_exec_menu", lambda menu, pos: shown.append(
        [x.objectName() for x in menu.actions() if x.isEnabled() and not x.isSeparator() and x.menu() is None]))
    rect = panel.view.visualRect(panel.proxy_index(project.ids["Identity"]))
    panel.view.customContextMenuRequested.emit(rect.center())
    assert panel.current_code_id() == project.ids["Identity"]
    assert shown == [ACTIONS[:5] + ["action_code_memo", "action_merge_codes", "action_move_codes", ACTIONS[5]]]
    panel.view.customContextMenuRequested.emit(QPoint(5, panel.view.viewport().height() - 5))
    assert panel.current_code_id() is None
    assert shown[-1] == ["action_add_code"]
