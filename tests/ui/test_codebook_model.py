"""CodebookModel over a real project: structure, refresh and drag-and-drop requests."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QIcon

from qcdesk.ui.codebook_model import CODE_ID_ROLE, MIME_TYPE, CodebookModel


@pytest.fixture
def project(codebook_project):
    """Barriers > {Access > {Travel, Waiting}, Communication > {Jargon}}, Identity > {Role models}."""
    return codebook_project


def names(model: CodebookModel, parent: QModelIndex = QModelIndex()) -> list[str]:
    return [model.index(r, 0, parent).data() for r in range(model.rowCount(parent))]


def test_model_passes_qt_model_tester(qtmodeltester, project):
    model = CodebookModel(project)
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_tree_mirrors_the_codebook(project):
    model = CodebookModel(project)
    ids = project.ids
    assert names(model) == ["Barriers", "Identity"]
    barriers = model.index_for_code(ids["Barriers"])
    assert names(model, barriers) == ["Access", "Communication"]
    access = model.index_for_code(ids["Access"])
    assert names(model, access) == ["Travel", "Waiting"]
    travel = model.index_for_code(ids["Travel"])
    assert travel.parent() == access and access.parent() == barriers and not barriers.parent().isValid()
    assert model.rowCount(travel) == 0
    for name, code_id in ids.items():
        index = model.index_for_code(code_id)
        assert index.data() == name
        assert model.code_id(index) == code_id
        assert index.data(CODE_ID_ROLE) == code_id
        assert model.index_for_code(code_id, 2).data(CODE_ID_ROLE) == code_id
    assert not model.index_for_code(9999).isValid()
    assert model.code_id(QModelIndex()) is None


def test_columns_show_counts_colour_and_tooltip(project):
    model = CodebookModel(project)
    ids = project.ids
    assert model.index_for_code(ids["Travel"], 1).data() == 2
    assert model.index_for_code(ids["Travel"], 2).data() == 1
    # a code with coded sub-codes: its own count / with its sub-codes (a document counted once)
    assert model.index_for_code(ids["Access"], 1).data() == "0 / 3"
    assert model.index_for_code(ids["Access"], 2).data() == "0 / 1"
    assert model.index_for_code(ids["Barriers"], 1).data() == "0 / 3"
    assert model.index_for_code(ids["Identity"], 1).data() == 0  # sub-codes adding nothing: one number
    assert ("3 including sub-codes, in 1 document"
            in model.index_for_code(ids["Access"], 1).data(Qt.ItemDataRole.ToolTipRole))
    icon = model.index_for_code(ids["Barriers"]).data(Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon)
    image = icon.pixmap(14, 14).toImage()
    assert image.pixelColor(7, 7).name() == "#ff0000"
    tip = model.index_for_code(ids["Travel"]).data(Qt.ItemDataRole.ToolTipRole)
    assert "Barriers › Access › Travel" in tip and "Getting there" in tip
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["Code", "Segs", "Docs"]


def test_rename_and_recolour_emit_data_changed_not_reset(qtbot, qtmodeltester, project, captured):
    model = CodebookModel(project)
    resets, changed = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda tl, br, roles: changed.append((model.code_id(tl), tl.column(), br.column())))
    project.codebook.rename(project.ids["Jargon"], "Medical jargon")
    model.apply_changes(captured[-1])
    project.codebook.set_color(project.ids["Access"], "#00ff00")
    model.apply_changes(captured[-1])
    assert resets == []
    assert changed == [(project.ids["Jargon"], 0, 0), (project.ids["Access"], 0, 0)]
    assert model.index_for_code(project.ids["Jargon"]).data() == "Medical jargon"
    icon = model.index_for_code(project.ids["Access"]).data(Qt.ItemDataRole.DecorationRole)
    assert icon.pixmap(14, 14).toImage().pixelColor(7, 7).name() == "#00ff00"
    qtmodeltester.check(model)


def test_codings_refresh_only_the_counts_of_touched_codes(project, captured):
    model = CodebookModel(project)
    changed = []
    model.dataChanged.connect(lambda tl, br, roles: changed.append((model.code_id(tl), tl.column(), br.column())))
    project.codings.apply(project.doc_id, project.ids["Jargon"], 0, 10)
    model.apply_changes(captured[-1])
    # the code and its ancestors, whose totals include it; nothing else
    assert sorted(changed) == sorted((project.ids[n], 1, 2) for n in ("Jargon", "Communication", "Barriers"))
    assert model.index_for_code(project.ids["Jargon"], 1).data() == 1
    assert model.index_for_code(project.ids["Communication"], 1).data() == "0 / 1"
    assert model.index_for_code(project.ids["Barriers"], 1).data() == "0 / 4"
    coding = project.codings_for_codes([project.ids["Travel"]])[0]
    project.codings.remove(coding.id)
    model.apply_changes(captured[-1])
    assert model.index_for_code(project.ids["Travel"], 1).data() == 1


def test_removing_the_last_coding_of_a_code_and_deleting_a_document_recount(project, captured):
    model = CodebookModel(project)
    waiting = project.codings_for_codes([project.ids["Waiting"]])[0]
    project.codings.remove(waiting.id)          # few codings: only that code is recounted
    model.apply_changes(captured[-1])
    assert model.index_for_code(project.ids["Waiting"], 1).data() in (0, None, "")
    assert model.index_for_code(project.ids["Travel"], 1).data() == 2
    project.documents.delete(project.doc_id)    # many codes at once: everything is recounted
    model.apply_changes(captured[-1])
    assert model.index_for_code(project.ids["Travel"], 1).data() in (0, None, "")


@pytest.mark.parametrize("action", ["add", "move", "delete", "restore"])
def test_structural_changes_reset_the_model(qtmodeltester, project, captured, action):
    """Moves, deletions and restores reset the model; a new code is one inserted row."""
    model = CodebookModel(project)
    resets, inserted = [], []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsInserted.connect(lambda parent, first, last: inserted.append((model.code_id(parent), first, last)))
    ids = project.ids
    if action == "add":
        project.codebook.add("Cost", parent_id=ids["Access"], position=0)
    elif action == "move":
        project.codebook.move(ids["Jargon"], ids["Identity"], 0)
    else:
        snapshot = project.codebook.delete(ids["Access"]).undo
        if action == "restore":
            model.apply_changes(captured[-1])
            snapshot.run()
    model.apply_changes(captured[-1])
    if action == "add":
        assert not resets and inserted == [(ids["Access"], 0, 0)]
    else:
        assert resets
    expected = {
        "add": (ids["Access"], ["Cost", "Travel", "Waiting"]),
        "move": (ids["Identity"], ["Jargon", "Role models"]),
        "delete": (ids["Barriers"], ["Communication"]),
        "restore": (ids["Barriers"], ["Access", "Communication"]),
    }[action]
    assert names(model, model.index_for_code(expected[0])) == expected[1]
    if action == "delete":
        assert not model.index_for_code(ids["Travel"]).isValid()
    else:
        assert model.index_for_code(ids["Travel"], 1).data() == 2
    qtmodeltester.check(model)


def test_mime_data_carries_ids_in_tree_order_without_dragged_descendants(project):
    model = CodebookModel(project)
    ids = project.ids
    indexes = [model.index_for_code(ids["Role models"]), model.index_for_code(ids["Travel"]),
               model.index_for_code(ids["Access"]), model.index_for_code(ids["Access"], 1)]
    data = model.mimeData(indexes)
    assert model.mimeTypes() == [MIME_TYPE]
    assert bytes(data.data(MIME_TYPE).data()) == f"{ids['Access']},{ids['Role models']}".encode()
    assert model.decode_ids(data) == [ids["Access"], ids["Role models"]]
    assert model.supportedDropActions() == Qt.DropAction.MoveAction
    flags = model.flags(model.index_for_code(ids["Travel"]))
    assert flags & Qt.ItemFlag.ItemIsDragEnabled and flags & Qt.ItemFlag.ItemIsDropEnabled


def drop(qtbot, model, code_ids, row, parent_id):
    """Drop ``code_ids`` at ``row`` of ``parent_id``; the moves requested, and what dropMimeData said."""
    data = model.mimeData([model.index_for_code(i) for i in code_ids])
    parent = model.index_for_code(parent_id) if parent_id is not None else QModelIndex()
    moves = []
    model.moveRequested.connect(lambda *args: moves.append(args))
    result = model.dropMimeData(data, Qt.DropAction.MoveAction, row, 0, parent)
    return moves, result


def test_drop_onto_another_code_requests_a_reparent(qtbot, project):
    model = CodebookModel(project)
    ids = project.ids
    data = model.mimeData([model.index_for_code(ids["Jargon"])])
    with qtbot.waitSignal(model.moveRequested, timeout=1000,
                          check_params_cb=lambda cid, parent, row: (cid, parent, row)
                          == (ids["Jargon"], ids["Identity"], 1)):
        model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, model.index_for_code(ids["Identity"]))
    # the model itself moved nothing, and neither did the project
    assert names(model, model.index_for_code(ids["Communication"])) == ["Jargon"]
    assert project.code(ids["Jargon"]).parent_id == ids["Communication"]


def test_drop_to_top_level_and_reorder_rows_are_core_rows(qtbot, project):
    model = CodebookModel(project)
    ids = project.ids
    moves, _ = drop(qtbot, model, [ids["Travel"]], 2, ids["Access"])  # below Waiting
    assert moves == [(ids["Travel"], ids["Access"], 1)]               # row once Travel is taken out
    moves, _ = drop(qtbot, model, [ids["Waiting"]], 0, ids["Access"])
    assert moves == [(ids["Waiting"], ids["Access"], 0)]
    moves, _ = drop(qtbot, model, [ids["Jargon"]], 1, None)           # between the two themes
    assert moves == [(ids["Jargon"], None, 1)]
    moves, result = drop(qtbot, model, [ids["Travel"]], 1, ids["Access"])  # where it already is
    assert moves == [] and result is False


@pytest.mark.parametrize("dragged, row, target, expected", [
    (["Travel", "Jargon"], 0, "Identity", ["Travel", "Jargon", "Role models"]),
    (["Travel", "Waiting"], -1, "Barriers", ["Access", "Communication", "Travel", "Waiting"]),
    (["Travel", "Waiting"], 3, "Access", ["Cost", "Travel", "Waiting"]),
    (["Travel", "Cost"], 2, "Access", ["Waiting", "Travel", "Cost"]),
    (["Waiting", "Cost"], 0, "Access", ["Waiting", "Cost", "Travel"]),
])
def test_dropping_several_codes_is_one_move_that_keeps_their_order(
        qtbot, project, captured, dragged, row, target, expected):
    ids = project.ids
    ids["Cost"] = project.codebook.add("Cost", parent_id=ids["Access"]).value.id  # Access: Travel, Waiting, Cost
    model = CodebookModel(project)
    many = []
    model.moveManyRequested.connect(lambda *args: many.append(args))
    moves, result = drop(qtbot, model, [ids[n] for n in dragged], row, ids[target])
    assert result is True and moves == [] and len(many) == 1
    code_ids, parent_id, new_row = many[0]
    project.codebook.move_many(code_ids, parent_id, new_row)  # what the main window's undo command does
    model.apply_changes(captured[-1])
    assert names(model, model.index_for_code(ids[target])) == expected


def test_drop_into_itself_or_a_descendant_is_refused(qtbot, project):
    model = CodebookModel(project)
    ids = project.ids
    for target in ("Barriers", "Access", "Travel"):
        data = model.mimeData([model.index_for_code(ids["Barriers"])])
        parent = model.index_for_code(ids[target])
        assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, 0, parent)
        with qtbot.assertNotEmitted(model.moveRequested):
            assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, parent) is False
    data = model.mimeData([model.index_for_code(ids["Access"])])
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0, model.index_for_code(ids["Identity"]))
    assert not model.canDropMimeData(data, Qt.DropAction.CopyAction, 0, 0, model.index_for_code(ids["Identity"]))
    assert not model.removeRows(0, 1, model.index_for_code(ids["Access"]))
