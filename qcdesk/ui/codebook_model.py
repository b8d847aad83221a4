"""The codebook as a Qt item model: a read-only view of the project's code tree.

The model keeps a plain-Python tree of nodes keyed by code id (the pattern of
novelWriter's ``itemmodel.py``); every ``QModelIndex`` carries the code id as its
internal id, so an index outliving a reset can never point at freed memory and
``index_for_code`` is a dictionary look-up. The tree shows it through
:class:`~qcdesk.ui.codebook_mirror.CodebookMirror` (Qt's own item model, kept in step), so
that repainting the tree calls no Python.

The model never writes to the project. Drag and drop only *asks* for a move
(:attr:`CodebookModel.moveRequested`); the move itself runs in the core (through an
undo command) and comes back through :meth:`CodebookModel.apply_changes`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtCore import (
    QAbstractItemModel, QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, QRectF, Qt, Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QIcon, QPainter, QPalette, QPen, QPixmap

from qcdesk.core.models import NO_CODINGS, Changes, Code, CodeCount

#: data role returning the code id (an ``int``) of any cell
CODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: the MIME type of dragged codes: their ids, comma separated, in tree order
MIME_TYPE = "application/x-qcdesk-code-ids"

COL_NAME, COL_SEGMENTS, COL_DOCUMENTS = 0, 1, 2
_HEADERS = ("Code", "Segs", "Docs")
_HEADER_TIPS = (
    "Code name",
    "Coded segments of this code; for a code with sub-codes: its own / including its sub-codes",
    "Documents in which this code is applied; for a code with sub-codes: its own / including its sub-codes",
)
_SWATCH = 14
_ANY_INDEX = QModelIndex | QPersistentModelIndex
COLUMN_COUNT = len(_HEADERS)

# Plain ints and flags computed once: Qt's enum attributes and operators cost more in Python than the
# rest of a data() call. The tree paints from :class:`~qcdesk.ui.codebook_mirror.CodebookMirror`,
# which copies these values when they change.
_DISPLAY, _EDIT, _DECORATION, _TOOLTIP, _FONT, _ALIGNMENT, _FOREGROUND = (int(r) for r in (
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.DecorationRole,
    Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole,
    Qt.ItemDataRole.ForegroundRole))
_CODE_ID = int(CODE_ID_ROLE)
_RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ITEM_FLAGS = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
               | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled)
ROOT_FLAGS = Qt.ItemFlag.ItemIsDropEnabled


@dataclass(slots=True)
class _Node:
    code: Code
    row: int = 0
    children: list[int] = field(default_factory=list)


class CodebookModel(QAbstractItemModel):
    """Codes as a tree: column 0 the name, 1 the segment count, 2 the document count."""

    #: (code id, new parent id or None, row among the new siblings once the code is removed)
    moveRequested = Signal(int, object, int)
    #: (code ids in tree order, new parent id or None, row among the new parent's other children)
    moveManyRequested = Signal(list, object, int)

    def __init__(self, project=None, parent=None):
        super().__init__(parent)
        self._project = project
        self._nodes: dict[int, _Node] = {}
        self._roots: list[int] = []
        self._counts: dict[int, CodeCount] = {}
        self._icons: dict[str, QIcon] = {}
        # what data() returns for each (code id, column), role by role, tooltips aside (built on
        # hover); emptied whenever the codes, their counts or the palette change
        self._cells: dict[tuple[int, int], dict[int, object]] = {}
        self._grey: QBrush | None = None  # the unused codes' counts, in the palette's placeholder colour
        self._build()

    # ------------------------------------------------------------------ loading
    @property
    def project(self):
        return self._project

    def set_project(self, project) -> None:
        """Show another project (or none): a reset."""
        self.beginResetModel()
        self._project = project
        self._build()
        self.endResetModel()

    def reload(self) -> None:
        """Rebuild everything from the project: a reset."""
        self.beginResetModel()
        self._build()
        self.endResetModel()

    def forget_shown_values(self) -> None:
        """Drop the values kept for data() (the palette changed: the unused codes' grey)."""
        self._cells = {}
        self._grey = None

    def _build(self, codes: list[Code] | None = None) -> None:
        self._nodes, self._roots, self._counts, self._cells = {}, [], {}, {}
        self._totals: dict[int, CodeCount] = {}
        if self._project is None:
            return
        if codes is None:
            codes = self._project.codes()
        # codes() lists siblings in order; parents may come after their children
        self._nodes = {c.id: _Node(c) for c in codes}
        for code in codes:
            siblings = self._roots if code.parent_id is None else self._nodes[code.parent_id].children
            self._nodes[code.id].row = len(siblings)
            siblings.append(code.id)
        self._counts = dict(self._project.code_counts())
        self._totals = {}

    def apply_changes(self, changes: Changes) -> None:
        """Refresh after a committed action: a reset only if the tree's shape changed.

        Renames, recolouring and new descriptions emit ``dataChanged`` for the
        touched rows; so do changed counts (codings added or removed).
        """
        if self._project is None:
            return
        self._cells = {}  # names, colours or counts may change below
        if changes.codebook:
            codes = self._project.codes()
            if self._shape_changed(codes) and not self._insert_new_codes(codes, changes):
                self.beginResetModel()
                self._build(codes)
                self.endResetModel()
                return
            for code in codes:
                node = self._nodes[code.id]
                if node.code != code:
                    node.code = code
                    self._emit_row_changed(code.id, COL_NAME, COL_NAME)
            if not (changes.codings or changes.coded_documents or changes.documents or changes.document_list):
                return  # codes added, renamed or recoloured: no count changed
        if changes.codes or changes.codings or changes.coded_documents:
            old = self._counts
            if self._few_codes_changed(changes):
                # a coding applied or undone: recount only its codes (a full recount of a
                # large project takes longer than the whole coding action should)
                fresh = self._project.code_counts(changes.codes)
                counts = dict(old)
                for code_id in changes.codes:
                    counts.pop(code_id, None)
                counts.update(fresh)
                touched = changes.codes
            else:
                counts = dict(self._project.code_counts())
                touched = old.keys() | counts.keys()
            self._counts = counts
            if touched is changes.codes and len(changes.coded_documents) == 1:
                self._follow_totals(old, counts, changes.codes, next(iter(changes.coded_documents)))
            else:
                self._totals = {}
            changed = {code_id for code_id in touched
                       if code_id in self._nodes and old.get(code_id) != counts.get(code_id)}
            for code_id in set(changed):  # a parent's totals change with its sub-codes' counts
                parent = self._nodes[code_id].code.parent_id
                while parent is not None and parent in self._nodes:
                    changed.add(parent)
                    parent = self._nodes[parent].code.parent_id
            for code_id in changed:
                self._emit_row_changed(code_id, COL_SEGMENTS, COL_DOCUMENTS,
                                       [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                                        Qt.ItemDataRole.ForegroundRole])

    def _follow_totals(self, old: dict, counts: dict, codes: set[int], document_id: int) -> None:
        """Codings of ``codes`` changed in one document only: carry the known totals of those codes'
        ancestors along (segments by the counts' difference; documents by whether that document
        held codings of the subtree before and holds some now) instead of recounting every total."""
        ancestors: set[int] = set()
        for code_id in codes:
            while code_id is not None and code_id in self._nodes:
                ancestors.add(code_id)
                code_id = self._nodes[code_id].code.parent_id
        for code_id in ancestors & self._totals.keys():
            subtree = self.subtree_ids(code_id)
            delta = sum(counts.get(c, NO_CODINGS).segments - old.get(c, NO_CODINGS).segments
                        for c in codes if c in subtree)
            if not delta:
                continue  # a coding moved or its memo changed: the same totals
            segments, documents = self._totals[code_id]
            now = self._project.codings_in_document(subtree, document_id)
            documents += (now > 0) - (now - delta > 0)
            self._totals[code_id] = CodeCount(segments + delta, documents)

    @staticmethod
    def _few_codes_changed(changes: Changes) -> bool:
        """Whether the changed codings are few and all of their codes are named in ``changes``."""
        return (bool(changes.codes) and len(changes.codings) <= 50 and not changes.codebook
                and not changes.document_list and not changes.documents)

    def _insert_new_codes(self, codes: list[Code], changes: Changes) -> bool:
        """Codes were only added (Ctrl+I, New, Sub-code): insert their rows, keeping the rest of
        the tree, its counts and the view's state. False (nothing done) for any other change of
        shape, which needs a reset."""
        if changes.codings or changes.coded_documents:
            return False  # codes put back with their codings: a reset recounts them
        new = [c for c in codes if c.id not in self._nodes]
        if not new or len(codes) - len(new) != len(self._nodes):
            return False
        new_ids = {c.id for c in new}
        children: dict[int | None, list[int]] = {}
        for code in codes:
            if code.id in new_ids and code.parent_id is not None and code.parent_id not in self._nodes:
                return False  # a sub-code of another new code
            children.setdefault(code.parent_id, []).append(code.id)
        for parent_id, ids in children.items():
            old = [i for i in ids if i not in new_ids]
            if old != self.children_ids(parent_id) or any(self._nodes[i].code.parent_id != parent_id for i in old):
                return False  # something else moved too
        for code in new:
            siblings = children[code.parent_id]
            row = siblings.index(code.id)
            current = self._roots if code.parent_id is None else self._nodes[code.parent_id].children
            parent = QModelIndex() if code.parent_id is None else self.index_for_code(code.parent_id)
            self.beginInsertRows(parent, row, row)
            self._nodes[code.id] = _Node(code, row)
            current.insert(row, code.id)
            for later in current[row + 1:]:
                self._nodes[later].row += 1
            self.endInsertRows()
            ancestor = code.parent_id
            while ancestor is not None and ancestor in self._nodes:  # "own / with sub-codes" now
                self._totals.pop(ancestor, None)
                self._emit_row_changed(ancestor, COL_SEGMENTS, COL_DOCUMENTS)
                ancestor = self._nodes[ancestor].code.parent_id
        return True

    def _shape_changed(self, codes: list[Code]) -> bool:
        if len(codes) != len(self._nodes):
            return True
        seen: dict[int | None, int] = {}
        for code in codes:
            node = self._nodes.get(code.id)
            if node is None or node.code.parent_id != code.parent_id:
                return True
            row = seen.get(code.parent_id, 0)
            if node.row != row:
                return True
            seen[code.parent_id] = row + 1
        return False

    def _emit_row_changed(self, code_id: int, first: int, last: int, roles=None) -> None:
        for column in range(first, last + 1):  # kept even if asked for mid-change
            self._cells.pop((code_id, column), None)
        row = self._nodes[code_id].row
        self.dataChanged.emit(self.createIndex(row, first, code_id), self.createIndex(row, last, code_id),
                              roles or [])

    # ------------------------------------------------------------------ look-ups
    def code_id(self, index: _ANY_INDEX) -> int | None:
        if not index.isValid() or index.model() is not self:
            return None
        code_id = int(index.internalId())
        return code_id if code_id in self._nodes else None

    def index_for_code(self, code_id: int | None, column: int = 0) -> QModelIndex:
        node = self._nodes.get(code_id) if code_id is not None else None
        if node is None or not 0 <= column < self.columnCount():
            return QModelIndex()
        return self.createIndex(node.row, column, code_id)

    def code(self, code_id: int) -> Code | None:
        node = self._nodes.get(code_id)
        return node.code if node else None

    def code_count(self) -> int:
        """How many codes the tree holds."""
        return len(self._nodes)

    def code_ids(self) -> list[int]:
        """All ids in tree order (depth first)."""
        out: list[int] = []
        stack = list(reversed(self._roots))
        while stack:
            code_id = stack.pop()
            out.append(code_id)
            stack.extend(reversed(self._nodes[code_id].children))
        return out

    def children_ids(self, code_id: int | None) -> list[int]:
        if code_id is None:
            return list(self._roots)
        node = self._nodes.get(code_id)
        return list(node.children) if node else []

    def subtree_ids(self, code_id: int) -> list[int]:
        """The code and all its descendants."""
        if code_id not in self._nodes:
            return []
        out, stack = [], [code_id]
        while stack:
            cid = stack.pop()
            out.append(cid)
            stack.extend(self._nodes[cid].children)
        return out

    def counts(self, code_id: int) -> CodeCount:
        """Segments and documents of the code alone."""
        return self._counts.get(code_id, NO_CODINGS)

    def totals(self, code_id: int) -> CodeCount:
        """Segments and documents of the code with all its sub-codes (a document counted once)."""
        node = self._nodes.get(code_id)
        if node is None or not node.children:
            return self.counts(code_id)
        if code_id not in self._totals:
            ids = self.subtree_ids(code_id)
            segments = sum(self.counts(cid).segments for cid in ids)
            documents = self._project.documents_coded_with(ids) if segments else 0
            self._totals[code_id] = CodeCount(segments, documents)
        return self._totals[code_id]

    def path(self, code_id: int) -> list[str]:
        names: list[str] = []
        node = self._nodes.get(code_id)
        while node is not None:
            names.append(node.code.name)
            parent = node.code.parent_id
            node = self._nodes.get(parent) if parent is not None else None
        return names[::-1]

    def is_in_subtree(self, code_id: int | None, root_id: int) -> bool:
        """True if ``code_id`` is ``root_id`` or one of its descendants."""
        while code_id is not None:
            if code_id == root_id:
                return True
            node = self._nodes.get(code_id)
            code_id = node.code.parent_id if node else None
        return False

    # ------------------------------------------------------------------ structure
    def index(self, row: int, column: int, parent: _ANY_INDEX = QModelIndex()) -> QModelIndex:
        if parent.isValid():
            if parent.column() != 0:
                return QModelIndex()
            node = self._nodes.get(parent.internalId())
            children = node.children if node else []
        else:
            children = self._roots
        if 0 <= row < len(children) and 0 <= column < COLUMN_COUNT:
            return self.createIndex(row, column, children[row])
        return QModelIndex()

    def parent(self, index: _ANY_INDEX | None = None):  # type: ignore[override]
        if index is None:  # QObject.parent()
            return super().parent()
        if not index.isValid():
            return QModelIndex()
        node = self._nodes.get(index.internalId())
        if node is None or node.code.parent_id is None:
            return QModelIndex()
        parent_id = node.code.parent_id
        return self.createIndex(self._nodes[parent_id].row, 0, parent_id)

    def rowCount(self, parent: _ANY_INDEX = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._roots)
        if parent.column() != 0:
            return 0
        node = self._nodes.get(int(parent.internalId()))
        return len(node.children) if node else 0

    def columnCount(self, parent: _ANY_INDEX = QModelIndex()) -> int:
        return COLUMN_COUNT

    def hasChildren(self, parent: _ANY_INDEX = QModelIndex()) -> bool:
        return self.rowCount(parent) > 0

    # ------------------------------------------------------------------ data
    def data(self, index: _ANY_INDEX, role: int = _DISPLAY):
        if not index.isValid():
            return None
        key = (index.internalId(), index.column())
        cell = self._cells.get(key) or self._keep_cell(key)
        value = cell.get(role)
        if value is None and role == _TOOLTIP and cell:
            return self.tooltip(*key)
        return value

    def cell(self, code_id: int, column: int) -> dict[int, object]:
        """A cell's values by role, tooltips aside (what :meth:`data` answers); empty for an unknown code."""
        return self._cells.get((code_id, column)) or self._keep_cell((code_id, column))

    def _keep_cell(self, key: tuple[int, int]) -> dict[int, object]:
        """What data() returns for a cell, by role (tooltips aside), kept until the next change;
        empty (and not kept) for a code the model does not hold."""
        code_id, column = key
        node = self._nodes.get(code_id)
        if node is None:
            return {}
        if column == COL_NAME:
            cell: dict[int, object] = {_CODE_ID: code_id, _DISPLAY: node.code.name, _EDIT: node.code.name,
                                       _DECORATION: self._swatch(node.code.color)}
            if not node.code.codable:
                font = QFont()
                font.setItalic(True)  # a code that only groups others
                cell[_FONT] = font
        else:
            segments, documents = self.counts(code_id)
            own = total = segments if column == COL_SEGMENTS else documents
            if node.children:
                totals = self.totals(code_id)
                total = totals.segments if column == COL_SEGMENTS else totals.documents
            # a theme or category: its own count / with its sub-codes' (when they add any)
            cell = {_CODE_ID: code_id, _DISPLAY: own if total == own else f"{own} / {total}",
                    _ALIGNMENT: _RIGHT_ALIGNED}
            if not total:  # unused codes stand out less than used ones
                if self._grey is None:  # one brush for every unused code, until the palette changes
                    self._grey = QBrush(QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText))
                cell[_FOREGROUND] = self._grey
        self._cells[key] = cell
        return cell

    def tooltip(self, code_id: int, column: int) -> str:
        """What hovering the cell shows (built when asked: it names the code's ancestors)."""
        node = self._nodes[code_id]
        if column == COL_NAME:
            return self._name_tooltip(node)
        segments, documents = self.counts(code_id)
        tip = (f"{segments} coded segment{'s' * (segments != 1)} in "
               f"{documents} document{'s' * (documents != 1)}")
        if node.children:
            all_segments, all_documents = self.totals(code_id)
            tip += (f"\n{all_segments} including sub-codes, in {all_documents} "
                    f"document{'s' * (all_documents != 1)}")
        return tip

    def _name_tooltip(self, node: _Node) -> str:
        path = " › ".join(html.escape(n) for n in self.path(node.code.id))
        tip = f"<b>{path}</b>"
        if not node.code.codable:
            tip += "<br><i>Groups other codes; it is not applied to text.</i>"
        for label, text in (("", node.code.description), ("Include when", node.code.inclusion),
                            ("Exclude when", node.code.exclusion), ("Example", node.code.example)):
            text = text.strip()
            if text:
                body = html.escape(text).replace("\n", "<br>")
                tip += f"<br><i>{label}:</i> {body}" if label else f"<br>{body}"
        return f"<qt>{tip}</qt>"

    def _swatch(self, color: str) -> QIcon:
        icon = self._icons.get(color)
        if icon is None:
            fill = QColor(color)
            pixmap = QPixmap(_SWATCH, _SWATCH)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(QPen(fill.darker(150), 1))
            painter.setBrush(fill)
            painter.drawRoundedRect(QRectF(1.5, 1.5, _SWATCH - 3, _SWATCH - 3), 3, 3)
            painter.end()
            icon = QIcon(pixmap)
            icon.addPixmap(pixmap, QIcon.Mode.Selected)  # the code's own colour, not a tinted one
            self._icons[color] = icon
        return icon

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(_HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return _HEADER_TIPS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section != COL_NAME:
            return _RIGHT_ALIGNED
        return None

    def flags(self, index: _ANY_INDEX) -> Qt.ItemFlag:
        if not index.isValid():
            return ROOT_FLAGS  # drops on empty space: top level
        return ITEM_FLAGS

    # ------------------------------------------------------------------ drag and drop
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes) -> QMimeData:
        """The dragged codes, in tree order, leaving out those whose ancestor is dragged too."""
        picked = {self.code_id(i) for i in indexes} - {None}
        ids = [cid for cid in self.code_ids() if cid in picked
               and not any(self.is_in_subtree(self._nodes[cid].code.parent_id, other) for other in picked)]
        data = QMimeData()
        data.setData(MIME_TYPE, QByteArray(",".join(map(str, ids)).encode("ascii")))
        return data

    def decode_ids(self, data: QMimeData | None) -> list[int]:
        """The code ids in ``data``; empty if it holds none of ours (or unknown ids)."""
        if data is None or not data.hasFormat(MIME_TYPE):
            return []
        try:
            ids = [int(part) for part in bytes(data.data(MIME_TYPE).data()).decode("ascii").split(",") if part]
        except ValueError:
            return []
        return ids if ids and all(cid in self._nodes for cid in ids) else []

    def _drop_parent_id(self, parent: _ANY_INDEX) -> tuple[bool, int | None]:
        if not parent.isValid():
            return True, None
        code_id = self.code_id(parent)
        return code_id is not None, code_id

    def canDropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802
        if action != Qt.DropAction.MoveAction or self._project is None:
            return False
        ids = self.decode_ids(data)
        ok, parent_id = self._drop_parent_id(parent)
        if not ids or not ok:
            return False
        return not any(self.is_in_subtree(parent_id, cid) for cid in ids)

    def dropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802
        """Ask for the move (``moveRequested`` for one code, ``moveManyRequested`` for several);
        never move rows here.

        Returns True when moves were requested: the view then tries ``removeRows``,
        which this model refuses, so nothing is removed behind the core's back.
        """
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        ids = self.decode_ids(data)
        _, parent_id = self._drop_parent_id(parent)
        moves = self.plan_moves(ids, parent_id, row)
        if len(ids) > 1 and moves:
            # several codes: one move (one undo step); the row counts the codes that stay
            siblings = self.children_ids(parent_id)
            row = len(siblings) if row < 0 or row > len(siblings) else row
            self.moveManyRequested.emit(ids, parent_id, len([c for c in siblings[:row] if c not in ids]))
            return True
        for code_id, new_parent, new_row in moves:
            self.moveRequested.emit(code_id, new_parent, new_row)
        return bool(moves)

    def plan_moves(self, ids: list[int], parent_id: int | None, row: int) -> list[tuple[int, int | None, int]]:
        """The ``(code, parent, row)`` moves, applied in turn, that put ``ids`` at ``row``.

        ``row`` is a drop row in the current children of ``parent_id`` (-1: after the
        last); each planned row is the core's: among the siblings once that code is
        taken out. Moves that change nothing are left out.
        """
        siblings = self.children_ids(parent_id)
        if row < 0 or row > len(siblings):
            row = len(siblings)
        # the code (not moved) after which the dropped codes go
        before = [cid for cid in siblings[:row] if cid not in ids]
        anchor = before[-1] if before else None
        state = list(siblings)
        moves: list[tuple[int, int | None, int]] = []
        for code_id in ids:
            rest = [cid for cid in state if cid != code_id]
            new_row = rest.index(anchor) + 1 if anchor is not None else 0
            new_state = rest[:new_row] + [code_id] + rest[new_row:]
            if new_state != state:
                moves.append((code_id, parent_id, new_row))
            state, anchor = new_state, code_id
        return moves

    def removeRows(self, row: int, count: int, parent: _ANY_INDEX = QModelIndex()) -> bool:  # noqa: N802
        return False  # rows leave only when the project says so
