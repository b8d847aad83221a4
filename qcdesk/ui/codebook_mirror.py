"""The codebook as the tree paints it: Qt's own item model, kept in step with :class:`CodebookModel`.

:class:`CodebookModel` owns the codebook's shape and values (and drag and drop's rules), but it is
Python: the tree asked it for every visible cell's roles and flags on each repaint, through the
filtering proxy, and those calls were half the time of a repaint (2.7 ms of a codebook of 100 codes,
against 1.0 ms from a ``QStandardItemModel``), and a repaint follows each click on a code.

The mirror holds the same rows as ``QStandardItem`` s whose values are copied from the model when
they change: a reset is copied whole, a code added is inserted, ``dataChanged`` copies those cells
again. Repaints then stay in C++. Tooltips are not copied: the tree asks the model for a cell's
tooltip when it is hovered (``CodebookPanel.tooltip_at``); a code's tooltip shows the path of its
ancestors' names and its criteria, which made a fifth of the cost of copying a large codebook.
Drag and drop is answered by the model (the mirror's indexes are translated by code id), and
rows never leave the mirror except through the model.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from qcdesk.ui.codebook_model import CODE_ID_ROLE, COLUMN_COUNT, ITEM_FLAGS, ROOT_FLAGS, CodebookModel

_ANY_INDEX = QModelIndex | QPersistentModelIndex
_NOTHING = object()
_EDIT = int(Qt.ItemDataRole.EditRole)
_HEADER_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole)


class CodebookMirror(QStandardItemModel):
    """The rows of ``source``, in the same order, with the same roles (tooltips aside)."""

    def __init__(self, source: CodebookModel, parent=None):
        super().__init__(parent)
        self.source = source
        #: code id -> its row's items, one per column
        self._items: dict[int, list[QStandardItem]] = {}
        #: code id, column -> the values set on that cell, by role
        self._shown: dict[tuple[int, int], dict[int, object]] = {}
        self.setColumnCount(COLUMN_COUNT)
        for section in range(COLUMN_COUNT):
            for role in _HEADER_ROLES:
                value = source.headerData(section, Qt.Orientation.Horizontal, role)
                if value is not None:
                    self.setHeaderData(section, Qt.Orientation.Horizontal, value, role)
        self.invisibleRootItem().setFlags(ROOT_FLAGS)  # drops on empty space: top level
        source.modelAboutToBeReset.connect(self.beginResetModel)
        source.modelReset.connect(self._copy_after_reset)
        source.rowsInserted.connect(self._rows_inserted)
        source.dataChanged.connect(self._data_changed)
        self.beginResetModel()
        self._copy_after_reset()

    # ------------------------------------------------------------------ look-ups
    def index_for_code(self, code_id: int | None, column: int = 0) -> QModelIndex:
        items = self._items.get(code_id) if code_id is not None else None
        return self.indexFromItem(items[column]) if items else QModelIndex()

    @staticmethod
    def code_id(index: _ANY_INDEX) -> int | None:
        """The code of any index of the mirror, or of a proxy over it."""
        value = index.data(CODE_ID_ROLE) if index.isValid() else None
        return int(value) if value is not None else None

    def _source_index(self, index: _ANY_INDEX) -> QModelIndex:
        code_id = self.code_id(index)
        return self.source.index_for_code(code_id, index.column()) if code_id is not None else QModelIndex()

    # ------------------------------------------------------------------ copying
    def refresh_all(self) -> None:
        """Copy every cell again (the model's values changed without a signal: the palette)."""
        for code_id in self._items:
            for column in range(COLUMN_COUNT):
                self._copy_cell(code_id, column)

    def _copy_after_reset(self) -> None:
        """The model was reset: copy it whole, silently, inside the reset this mirror began too.

        The rows are taken out and put back in the model's new order, the same items for the same
        codes, and only the values that differ are set again: a move or a sort of a large codebook
        changes little but the order (new items for every code took twice as long)."""
        blocked = self.blockSignals(True)
        try:
            root = self.invisibleRootItem()
            kept = self._items
            self._take_rows(root)
            self._items = {}
            for code_id in self.source.children_ids(None):
                root.appendRow(self._row(code_id, kept))
            for code_id in kept:  # codes gone: their items are Python's now, and freed with ``kept``
                for column in range(COLUMN_COUNT):
                    self._shown.pop((code_id, column), None)
        finally:
            self.blockSignals(blocked)
        self.endResetModel()

    @classmethod
    def _take_rows(cls, parent: QStandardItem) -> None:
        """Take every row below ``parent`` out of the model, each item on its own (no children)."""
        for row in range(parent.rowCount() - 1, -1, -1):
            cls._take_rows(parent.child(row, 0))
            parent.takeRow(row)

    def _row(self, code_id: int, kept: dict[int, list[QStandardItem]]) -> list[QStandardItem]:
        """The items of one code's row (those it had, else new ones), with its sub-codes' rows below."""
        items = kept.pop(code_id, None)
        if items is None:
            items = []
            for _column in range(COLUMN_COUNT):
                item = QStandardItem()
                item.setFlags(ITEM_FLAGS)
                items.append(item)
        for column, item in enumerate(items):
            self._set_values(code_id, column, item)
        self._items[code_id] = items
        for child_id in self.source.children_ids(code_id):
            items[0].appendRow(self._row(child_id, kept))
        return items

    def _values(self, code_id: int, column: int) -> dict[int, object]:
        """The model's values of a cell, without EditRole (a QStandardItem keeps it with
        DisplayRole; no code is edited in the tree)."""
        values = dict(self.source.cell(code_id, column))
        values.pop(_EDIT, None)
        return values

    def _copy_cell(self, code_id: int, column: int) -> None:
        self._set_values(code_id, column, self._items[code_id][column])

    def _set_values(self, code_id: int, column: int, item: QStandardItem) -> None:
        """Give ``item`` the model's values of the cell, setting only those that changed."""
        values = self._values(code_id, column)
        shown = self._shown.get((code_id, column), {})
        for role in shown.keys() - values.keys():
            item.setData(None, role)
        for role, value in values.items():
            old = shown.get(role, _NOTHING)
            if old is not value and (old is _NOTHING or type(old) is not type(value) or old != value):
                item.setData(value, role)
        self._shown[(code_id, column)] = values

    def _rows_inserted(self, parent: QModelIndex, first: int, last: int) -> None:
        parent_id = self.source.code_id(parent) if parent.isValid() else None
        into = self.invisibleRootItem() if parent_id is None else self._items[parent_id][0]
        siblings = self.source.children_ids(parent_id)
        for row in range(first, last + 1):
            into.insertRow(row, self._row(siblings[row], {}))

    def _data_changed(self, top_left: QModelIndex, bottom_right: QModelIndex, _roles=()) -> None:
        parent = top_left.parent()
        for row in range(top_left.row(), bottom_right.row() + 1):
            code_id = self.source.code_id(self.source.index(row, 0, parent))
            if code_id is None or code_id not in self._items:
                continue
            for column in range(top_left.column(), bottom_right.column() + 1):
                self._copy_cell(code_id, column)

    # ------------------------------------------------------------------ drag and drop: the model's
    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return self.source.supportedDropActions()

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return self.source.supportedDragActions()

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return self.source.mimeTypes()

    def mimeData(self, indexes):  # noqa: N802
        return self.source.mimeData([self._source_index(i) for i in indexes])

    def canDropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802
        return self.source.canDropMimeData(data, action, row, column, self._source_index(parent))

    def dropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802
        return self.source.dropMimeData(data, action, row, column, self._source_index(parent))

    def removeRows(self, row: int, count: int, parent: _ANY_INDEX = QModelIndex()) -> bool:  # noqa: N802
        return False  # rows leave only when the model says so (after the project did)
