"""CodebookMirror: the tree paints from Qt's own model, which must show exactly what CodebookModel holds.

The mirror is compared with the model cell by cell and role by role (through the same filtering
proxy the tree uses), after the fixture's codebook and after random sequences of the actions that
change it (hypothesis): a code added, renamed, recoloured, moved, deleted and brought back, codings
applied and removed, the coded document deleted and brought back, the palette changed.
"""

from __future__ import annotations

import os
import tempfile

import pytest
from builders import empty_project
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from PySide6.QtCore import QByteArray, QEvent, QMimeData, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QGuiApplication, QHelpEvent, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QToolTip

from qcdesk.core.errors import OperationError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.ui.codebook_dock import CodebookPanel
from qcdesk.ui.codebook_mirror import CodebookMirror
from qcdesk.ui.codebook_model import CODE_ID_ROLE, MIME_TYPE, CodebookModel

TEXT = "Participant: the bus took an hour, and then the clinic kept us waiting. " * 4
#: every role a delegate or the tree asks when painting (not EditRole: a QStandardItem keeps it with
#: DisplayRole, and no code is edited in the tree; not ToolTipRole: a hovered cell's tooltip is asked
#: of the model, see test_hovering_a_code_shows_the_models_tooltip)
ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole,
         Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole,
         Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.CheckStateRole,
         CODE_ID_ROLE)


def comparable(value):
    """A role's value in a form that compares (an icon by its pixmap's centre colour, a brush by its
    colour, a font by its italics)."""
    if isinstance(value, QIcon):
        return "icon", value.pixmap(14, 14).toImage().pixelColor(7, 7).name()
    if hasattr(value, "color") and hasattr(value, "style"):
        return "brush", value.color().name()
    if hasattr(value, "italic"):
        return "font", value.italic(), value.bold()
    if hasattr(value, "__int__") and not isinstance(value, (int, str)):
        return int(value)
    return value


def shown(model, parent: QModelIndex = QModelIndex(), depth: int = 0) -> list:
    """Every row below ``parent``, depth first: its depth, and each cell's flags and roles."""
    rows = []
    for row in range(model.rowCount(parent)):
        cells = []
        for column in range(model.columnCount(parent)):
            index = model.index(row, column, parent)
            cells.append((int(model.flags(index).value),
                          tuple(comparable(model.data(index, role)) for role in ROLES)))
        rows.append((depth, cells))
        rows += shown(model, model.index(row, 0, parent), depth + 1)
    return rows


def through_proxy(source) -> QSortFilterProxyModel:
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(source)
    proxy.setRecursiveFilteringEnabled(True)
    return proxy


def assert_same(model: CodebookModel, mirror: CodebookMirror, proxy: QSortFilterProxyModel) -> None:
    assert shown(proxy) == shown(model)
    assert int(proxy.flags(QModelIndex()).value) == int(model.flags(QModelIndex()).value)
    for section in range(3):
        for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole):
            assert (comparable(proxy.headerData(section, Qt.Orientation.Horizontal, role))
                    == comparable(model.headerData(section, Qt.Orientation.Horizontal, role)))
    for code_id in model.code_ids():
        assert mirror.code_id(mirror.index_for_code(code_id, 2)) == code_id
    assert not mirror.index_for_code(9999).isValid() and mirror.code_id(QModelIndex()) is None


@pytest.fixture
def project(codebook_project):
    return codebook_project


def test_the_mirror_shows_what_the_model_holds(qtmodeltester, project):
    model = CodebookModel(project)
    mirror = CodebookMirror(model)
    proxy = through_proxy(mirror)
    assert len(shown(proxy)) == 8
    assert_same(model, mirror, proxy)
    qtmodeltester.check(mirror)


def test_changes_reach_the_mirror_and_a_new_code_is_one_inserted_row(project, captured):
    model = CodebookModel(project)
    mirror = CodebookMirror(model)
    proxy = through_proxy(mirror)
    resets, inserted = [], []
    proxy.modelReset.connect(lambda: resets.append(1))
    proxy.rowsInserted.connect(lambda parent, first, last: inserted.append((mirror.code_id(parent), first)))
    ids = project.ids
    shown(proxy)  # the proxy maps (and forwards the changes of) the rows the tree has shown
    project.codebook.add("Cost", parent_id=ids["Access"], position=0)
    model.apply_changes(captured[-1])
    assert (resets, inserted) == ([], [(ids["Access"], 0)])
    assert_same(model, mirror, proxy)
    project.codebook.rename(ids["Travel"], "Long travel")
    project.codings.apply(project.doc_id, ids["Identity"], 10, 30)   # Identity's grey goes
    model.apply_changes(captured[-2])
    model.apply_changes(captured[-1])
    assert not resets
    assert_same(model, mirror, proxy)
    project.codebook.move(ids["Waiting"], ids["Identity"], 0)
    model.apply_changes(captured[-1])
    assert resets
    assert_same(model, mirror, proxy)


def test_a_palette_change_reaches_the_mirror(qapp, project):
    """The grey of unused codes comes from the palette; the model drops its kept values and the
    mirror copies them again (refresh_all)."""
    model = CodebookModel(project)
    mirror = CodebookMirror(model)
    old = QGuiApplication.palette()
    palette = QPalette(old)
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor("#123456"))
    QApplication.setPalette(palette)
    try:
        model.forget_shown_values()
        mirror.refresh_all()
        identity = mirror.index_for_code(project.ids["Identity"], 1)
        assert identity.data(Qt.ItemDataRole.ForegroundRole).color().name() == "#123456"
        assert_same(model, mirror, through_proxy(mirror))
    finally:
        QApplication.setPalette(old)


def test_hovering_a_code_shows_the_models_tooltip(qtbot, project, captured):
    """The tree's tooltips come from the model when a cell is hovered: after a parent's rename the
    path shown for its sub-code is the new one."""
    panel = CodebookPanel(project)
    qtbot.addWidget(panel)
    panel.resize(400, 400)
    panel.show()
    qtbot.waitExposed(panel)
    ids = project.ids

    def hover(code_id: int, column: int = 0) -> str:
        index = panel.proxy_index(code_id, column)
        pos = panel.view.visualRect(index).center()
        event = QHelpEvent(QEvent.Type.ToolTip, pos, panel.view.viewport().mapToGlobal(pos))
        QApplication.sendEvent(panel.view.viewport(), event)
        qtbot.waitUntil(QToolTip.isVisible)
        return QToolTip.text()

    assert "Barriers › Access › Travel" in hover(ids["Travel"]) and "Getting there" in hover(ids["Travel"])
    assert hover(ids["Travel"], 1) == "2 coded segments in 1 document"
    project.codebook.rename(ids["Access"], "Getting in")
    panel.apply_changes(captured[-1])
    assert "Barriers › Getting in › Travel" in hover(ids["Travel"])
    assert hover(ids["Access"], 1) == model_tip(panel.model, ids["Access"], 1)
    QToolTip.hideText()


def model_tip(model: CodebookModel, code_id: int, column: int) -> str:
    return model.index_for_code(code_id, column).data(Qt.ItemDataRole.ToolTipRole)


def test_drag_and_drop_through_the_mirror_asks_the_model(qtbot, project):
    model = CodebookModel(project)
    mirror = CodebookMirror(model)
    ids = project.ids
    data = mirror.mimeData([mirror.index_for_code(ids["Waiting"]), mirror.index_for_code(ids["Travel"], 1)])
    assert bytes(data.data(MIME_TYPE).data()).decode() == f"{ids['Travel']},{ids['Waiting']}"
    assert mirror.mimeTypes() == [MIME_TYPE]
    assert not mirror.canDropMimeData(data, Qt.DropAction.MoveAction, -1, 0, mirror.index_for_code(ids["Travel"]))
    with qtbot.waitSignal(model.moveManyRequested) as moved:
        assert mirror.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, mirror.index_for_code(ids["Identity"]))
    assert moved.args == [[ids["Travel"], ids["Waiting"]], ids["Identity"], 1]  # after Role models
    one = mirror.mimeData([mirror.index_for_code(ids["Identity"])])
    with qtbot.waitSignal(model.moveRequested) as moved:
        assert mirror.dropMimeData(one, Qt.DropAction.MoveAction, 0, 0, QModelIndex())  # top level, first
    assert moved.args == [ids["Identity"], None, 0]
    before = shown(mirror)
    assert not mirror.removeRows(0, 1, QModelIndex())  # the view's move tries it: rows leave through the model only
    assert shown(mirror) == before
    # text dragged in from another program, or codes of an id this project does not hold: refused
    requested = []
    model.moveRequested.connect(lambda *args: requested.append(args))
    model.moveManyRequested.connect(lambda *args: requested.append(args))
    foreign, unknown = QMimeData(), QMimeData()
    foreign.setText("P01: a passage from a word processor")
    unknown.setData(MIME_TYPE, QByteArray(b"9999"))
    for data in (foreign, unknown):
        target = mirror.index_for_code(ids["Identity"])
        assert not mirror.canDropMimeData(data, Qt.DropAction.MoveAction, -1, 0, target)
        assert not mirror.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, target)
    assert requested == [] and shown(mirror) == before


# ---------------------------------------------------------------------------- random sequences
NAMES = st.sampled_from(["Belonging", "Feedback", "Isolation", "Mentoring", "Porters <ward>", "Ward"])
COLORS = st.sampled_from(["#aa0000", "#00aa00", "#0000aa", "#999999"])
IDX = st.integers(0, 1000)


class MirrorMachine(RuleBasedStateMachine):
    """Random codebook actions, each applied to the model as the window does; the mirror (through
    the tree's kind of proxy) must always show what the model holds, and never more resets than
    the model made."""

    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.mkdtemp()
        self.p = empty_project(os.path.join(self.dir, "m.qcdesk"))
        self.p.db.execute("PRAGMA synchronous = OFF")
        self.doc = self.p.documents.add("Interview", ParsedDocument(text=TEXT, source_format="txt")).id
        self.seen: list = []
        self.p.subscribe(self.seen.append)
        self.model = CodebookModel(self.p)
        self.mirror = CodebookMirror(self.model)
        self.proxy = through_proxy(self.mirror)
        self.undo: list = []
        self.resets = [0, 0]
        self.model.modelReset.connect(lambda: self._count(0))
        self.proxy.modelReset.connect(lambda: self._count(1))

    def _count(self, which: int) -> None:
        self.resets[which] += 1

    def teardown(self) -> None:
        self.p.close()

    def _do(self, action) -> None:
        before = len(self.seen)
        try:
            done = action()
        except OperationError:
            return
        if getattr(done, "undo", None) is not None:
            self.undo.append(done.undo)
        for changes in self.seen[before:]:
            self.model.apply_changes(changes)

    def _codes(self) -> list[int]:
        return self.model.code_ids()

    @initialize(names=st.lists(NAMES, min_size=1, max_size=4))
    def some_codes(self, names):
        for name in names:
            self._do(lambda n=name: self.p.codebook.add(n))

    @rule(name=NAMES, parent=IDX, top=st.booleans(), position=st.none() | st.integers(0, 3))
    def add(self, name, parent, top, position):
        codes = self._codes()
        parent_id = None if top or not codes else codes[parent % len(codes)]
        self._do(lambda: self.p.codebook.add(name, parent_id=parent_id, position=position))

    @precondition(lambda self: self.model.code_ids())
    @rule(i=IDX, name=NAMES)
    def rename(self, i, name):
        codes = self._codes()
        self._do(lambda: self.p.codebook.rename(codes[i % len(codes)], name))

    @precondition(lambda self: self.model.code_ids())
    @rule(i=IDX, color=COLORS)
    def recolour(self, i, color):
        codes = self._codes()
        self._do(lambda: self.p.codebook.set_color(codes[i % len(codes)], color))

    @precondition(lambda self: self.model.code_ids())
    @rule(i=IDX, j=IDX, top=st.booleans(), row=st.integers(0, 3))
    def move(self, i, j, top, row):
        codes = self._codes()
        parent_id = None if top else codes[j % len(codes)]
        self._do(lambda: self.p.codebook.move(codes[i % len(codes)], parent_id, row))

    @precondition(lambda self: self.model.code_ids())
    @rule(i=IDX)
    def delete(self, i):
        codes = self._codes()
        self._do(lambda: self.p.codebook.delete(codes[i % len(codes)]))

    @precondition(lambda self: self.model.code_ids())
    @rule(i=IDX, start=st.integers(0, 200), length=st.integers(1, 60))
    def code_text(self, i, start, length):
        codes = self._codes()
        self._do(lambda: self.p.codings.apply(self.doc, codes[i % len(codes)], start, start + length))

    @precondition(lambda self: self.doc in {d.id for d in self.p.documents()}
                  and self.p.codings_for_document(self.doc))
    @rule(i=IDX)
    def uncode(self, i):
        codings = self.p.codings_for_document(self.doc)
        self._do(lambda: self.p.codings.remove(codings[i % len(codings)].id))

    @rule()
    def delete_document(self):  # every count recounted; undo brings the document and its codings back
        self._do(lambda: self.p.documents.delete(self.doc))

    @precondition(lambda self: self.undo)
    @rule()
    def undo_last(self):
        undo = self.undo.pop()
        self._do(undo.run)

    @invariant()
    def the_mirror_shows_the_model(self):
        assert_same(self.model, self.mirror, self.proxy)
        assert self.resets[1] == self.resets[0]

    @invariant()
    def the_model_shows_the_project(self):
        """What the model holds after following each change (a few codes recounted, totals carried
        along) is what a model built afresh from the project holds."""
        fresh = CodebookModel(self.p)
        assert shown(self.model) == shown(fresh)
        for code_id in fresh.code_ids():
            for column in range(3):
                assert self.model.tooltip(code_id, column) == fresh.tooltip(code_id, column)


def test_random_codebook_actions_keep_the_mirror_in_step(qapp):
    MirrorMachine.TestCase.settings = settings(stateful_step_count=25, max_examples=15, deadline=None,
                                               suppress_health_check=[HealthCheck.too_slow])
    MirrorMachine.TestCase().runTest()
