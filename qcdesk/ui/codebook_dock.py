"""The codebook side panel: a filterable code tree with the actions that edit it.

The panel never changes the project. It asks the user (name, colour, description,
confirmation) and emits a request carrying ids and final values; the main window
turns each request into an undo command, and the project's listener brings the
result back through :meth:`CodebookPanel.apply_changes`.
"""

from __future__ import annotations

import contextlib
from typing import Iterator

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QColorDialog, QDialog, QHeaderView, QLabel, QLineEdit, QMenu, QMessageBox,
    QStyledItemDelegate, QToolBar, QToolTip, QTreeView, QVBoxLayout, QWidget,
)

from qcdesk.core.models import Changes, Code
from qcdesk.ui import dialogs
from qcdesk.ui.codebook_dialogs import TOP_LEVEL, CodePickerDialog, CriteriaDialog
from qcdesk.ui.codebook_inline import InlineNameField
from qcdesk.ui.codebook_mirror import CodebookMirror
from qcdesk.ui.codebook_model import COL_DOCUMENTS, COL_NAME, COL_SEGMENTS, CodebookModel


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class _CodeTips(QStyledItemDelegate):
    """Qt's own delegate, but a hovered cell's tooltip comes from the panel (the model), which
    builds it then: the mirror the tree paints from holds no tooltips."""

    def __init__(self, panel: "CodebookPanel"):
        super().__init__(panel)
        self.panel = panel

    def helpEvent(self, event, view, option, index) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.ToolTip:
            return super().helpEvent(event, view, option, index)
        tip = self.panel.tooltip_at(index) if index.isValid() else ""
        if tip:
            QToolTip.showText(event.globalPos(), tip, view, view.visualRect(index))
        else:
            QToolTip.hideText()
        return True


class CodebookPanel(QWidget):
    """Codes of the open project; put it in a ``QDockWidget``."""

    addRequested = Signal(object, str)          # parent id or None, name
    renameRequested = Signal(int, str)          # code id, new name
    recolourRequested = Signal(int, str)        # code id, "#rrggbb"
    criteriaRequested = Signal(int, dict)       # code id, {description, inclusion, exclusion, example}
    deleteRequested = Signal(int)               # code id (its sub-codes and codings go with it)
    moveRequested = Signal(int, object, int)    # code id, new parent id or None, row among new siblings
    moveManyRequested = Signal(list, object, int)  # code ids, new parent id or None, row (-1: last)
    mergeRequested = Signal(list, int)          # source code ids, target code id
    sortRequested = Signal(object, str)         # parent id or None (top level), "name" or "count"
    memoRequested = Signal(int)                 # code id: open (or start) its memo
    codeActivated = Signal(int)                 # double-click or Enter: apply to the selected text
    currentCodeChanged = Signal(object)         # code id or None

    def __init__(self, project=None, parent: QWidget | None = None):
        super().__init__(parent)
        self._project = None
        self._current: int | None = None
        self._collapsed: set[int] = set()   # codes the user collapsed; all others are shown expanded
        self._saved_selection: tuple[int | None, list[int]] = (None, [])
        self._quiet = False                 # restoring view state: no signals, no bookkeeping
        self._loading = False               # switching projects: nothing to restore

        self.model = CodebookModel(None, self)
        self.model.moveRequested.connect(self.moveRequested)
        self.model.moveManyRequested.connect(self.moveManyRequested)
        # the tree paints from Qt's own model, a copy kept in step with this one (see codebook_mirror)
        self.mirror = CodebookMirror(self.model, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.mirror)
        self.proxy.setFilterKeyColumn(COL_NAME)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setRecursiveFilteringEnabled(True)

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("codebookFilter")
        self.filter_edit.setPlaceholderText("Filter codes…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter_changed)
        self.filter_edit.installEventFilter(self)

        self.view = QTreeView()
        self.view.setObjectName("codebookTree")
        self.view.setModel(self.proxy)
        self.view.setItemDelegate(_CodeTips(self))
        self.view.setUniformRowHeights(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDropIndicatorShown(True)
        self.view.setExpandsOnDoubleClick(False)  # double-click applies the code
        self.view.setAllColumnsShowFocus(True)
        self.view.setIndentation(16)
        header = self.view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        # Fixed widths sized for "own / total" counts: fitting to contents re-measured every row on each
        # count change (about 55 ms per coding with 500 codes, in benchmarks/run.py).
        digits = self.view.fontMetrics().horizontalAdvance("99 / 999") + 10
        for column in (COL_SEGMENTS, COL_DOCUMENTS):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, max(digits, header.sectionSizeHint(column)))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._show_context_menu)
        self.view.doubleClicked.connect(self._activate_index)
        self.view.expanded.connect(lambda idx: self._track_expansion(idx, True))
        self.view.collapsed.connect(lambda idx: self._track_expansion(idx, False))
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.selectionModel().currentChanged.connect(self._selection_changed)
        self.view.installEventFilter(self)
        self.proxy.modelAboutToBeReset.connect(self._save_view_state)
        self.proxy.modelReset.connect(self._restore_view_state)
        self.proxy.rowsInserted.connect(self._expand_new_parent)
        self.inline = InlineNameField(self)

        self.empty_label = QLabel("No codes yet. Add one with “New code”.")
        self.empty_label.setObjectName("codebookEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setEnabled(False)

        self.toolbar = QToolBar("Codebook")
        self.toolbar.setObjectName("codebookToolBar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.action_add_code = self._action("action_add_code", "New", "New top-level code (a theme)",
                                            self._add_code)
        self.action_add_subcode = self._action("action_add_subcode", "Sub-code", "New code inside the selected one",
                                               self._add_subcode)
        self.action_rename_code = self._action("action_rename_code", "Rename", "Rename the selected code",
                                               self._rename_code, QKeySequence(Qt.Key.Key_F2))
        self.action_recolour_code = self._action("action_recolour_code", "Colour", "Change the code's colour",
                                                 self._recolour_code)
        self.action_describe_code = self._action("action_describe_code", "Edit description and criteria…",
                                                 "Edit the code's description, its inclusion and exclusion "
                                                 "criteria and an example", self._describe_code)
        self.action_describe_code.setIconText("Describe")
        self.action_delete_code = self._action("action_delete_code", "Delete",
                                               "Delete the selected code with its sub-codes and codings",
                                               self._delete_code, QKeySequence(Qt.Key.Key_Delete))
        self._edit_actions = [self.action_add_code, self.action_add_subcode, self.action_rename_code,
                         self.action_recolour_code, self.action_describe_code, self.action_delete_code]
        for action in self._edit_actions:
            self.toolbar.addAction(action)
        self.action_merge_codes = self._action("action_merge_codes", "Merge into…",
                                               "Merge the selected codes into another code", self._merge_codes)
        self.action_move_codes = self._action("action_move_codes", "Move to…",
                                              "Move the selected codes under another code", self._move_codes)
        self.action_sort_name = self._action("action_sort_name", "Sort A–Z",
                                             "Sort by name the sub-codes of the selected code (its own level if it "
                                             "has none; the top level if no code is selected)",
                                             lambda: self._sort("name"))
        self.action_sort_count = self._action("action_sort_count", "Sort by count",
                                              "Sort the same codes as Sort A–Z, most coded first "
                                              "(with their sub-codes' segments)", lambda: self._sort("count"))
        self.action_code_memo = self._action("action_code_memo", "Memo…", "Open the memo on the selected code",
                                             self._memo)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty_label, 1)
        self.set_project(project)

    def _action(self, name: str, text: str, tip: str, slot, shortcut: QKeySequence | None = None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setToolTip(tip + (f" ({shortcut.toString(QKeySequence.SequenceFormat.NativeText)})"
                                 if shortcut else ""))
        action.setStatusTip(tip)
        if shortcut is not None:
            action.setShortcut(shortcut)
            # only while the tree has focus: Delete in the filter box or the transcript is theirs
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.view.addAction(action)
        action.triggered.connect(slot)
        return action

    @contextlib.contextmanager
    def _quietly(self) -> Iterator[None]:
        """Restore view state without emitting or recording anything."""
        previous, self._quiet = self._quiet, True
        try:
            yield
        finally:
            self._quiet = previous

    # ------------------------------------------------------------------ project
    @property
    def project(self):
        return self._project

    def set_project(self, project) -> None:
        """Show ``project``'s codebook (None: nothing), fully expanded, nothing selected."""
        self._project = project
        self._collapsed.clear()
        self._loading = True
        try:
            with self._quietly():
                self.filter_edit.clear()
                self.model.set_project(project)
                self.view.clearSelection()
                self.view.expandAll()
        finally:
            self._loading = False
        editable = project is not None and not getattr(project, "read_only", False)
        self.view.setDragEnabled(editable)
        self.view.setAcceptDrops(editable)
        self.filter_edit.setEnabled(project is not None)
        self._update_current()

    def clear(self) -> None:
        self.set_project(None)

    def apply_changes(self, changes: Changes) -> None:
        """Refresh after a committed action (call it from the project's listener)."""
        self.model.apply_changes(changes)
        self._update_current()

    # ------------------------------------------------------------------ selection
    def current_code_id(self) -> int | None:
        """The code the user is on: the current row if selected, else the first selected one."""
        selection = self.view.selectionModel()
        current = selection.currentIndex()
        if current.isValid() and selection.isRowSelected(current.row(), current.parent()):
            return self._id(current)
        rows = selection.selectedRows(COL_NAME)
        return self._id(rows[0]) if rows else None

    def selected_code_ids(self) -> list[int]:
        ids = {self._id(i) for i in self.view.selectionModel().selectedRows(COL_NAME)} - {None}
        return [cid for cid in self.model.code_ids() if cid in ids]

    def select_code(self, code_id: int) -> bool:
        """Make ``code_id`` current and selected, showing it (the filter is cleared if it hides it)."""
        source = self.mirror.index_for_code(code_id)
        if not source.isValid():
            return False
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            self.filter_edit.clear()
            index = self.proxy.mapFromSource(source)
        self.view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.view.scrollTo(index)
        return True

    def proxy_index(self, code_id: int, column: int = 0) -> QModelIndex:
        """The view's index of a code (invalid if unknown or filtered out)."""
        return self.proxy.mapFromSource(self.mirror.index_for_code(code_id, column))

    def _id(self, proxy_index: QModelIndex) -> int | None:
        return CodebookMirror.code_id(proxy_index)

    def tooltip_at(self, proxy_index: QModelIndex) -> str:
        """What hovering a cell of the tree shows ("" for none): asked of the model when needed."""
        code_id = self._id(proxy_index)
        return self.model.tooltip(code_id, proxy_index.column()) if code_id is not None else ""

    def _selection_changed(self, *_args) -> None:
        if not self._quiet:
            self._update_current()

    def _update_current(self) -> None:
        code_id = self.current_code_id()
        has_code = code_id is not None
        editable = self._project is not None and not getattr(self._project, "read_only", False)
        self.action_add_code.setEnabled(editable)
        for action in self._edit_actions[1:] + [self.action_code_memo]:
            action.setEnabled(editable and has_code)
        selected = len(self.view.selectionModel().selectedRows(COL_NAME)) if has_code else 0
        self.action_move_codes.setEnabled(editable and selected > 0)
        self.action_merge_codes.setEnabled(editable and 0 < selected < self.model.code_count())
        for action in (self.action_sort_name, self.action_sort_count):
            action.setEnabled(editable and (has_code or self.model.rowCount() > 1))
        empty = (self._project is not None and self.model.rowCount() == 0
                 and not (self.inline.isVisible() or self.inline.mode))
        self.view.setVisible(not empty)
        self.empty_label.setVisible(empty)
        if code_id != self._current:
            self._current = code_id
            self.currentCodeChanged.emit(code_id)

    # ------------------------------------------------------------------ view state
    def _track_expansion(self, index: QModelIndex, expanded: bool) -> None:
        code_id = self._id(index)
        if self._quiet or code_id is None:
            return
        if expanded:
            self._collapsed.discard(code_id)
        else:
            self._collapsed.add(code_id)

    def _apply_expansion(self) -> None:
        """Expand every shown code except those the user collapsed (all while filtering)."""
        with self._quietly():
            if self.filter_edit.text().strip():
                self.view.expandAll()
                return
            for code_id in self.model.code_ids():
                if self.model.children_ids(code_id):
                    index = self.proxy_index(code_id)
                    if index.isValid():
                        self.view.setExpanded(index, code_id not in self._collapsed)

    def _expand_new_parent(self, parent: QModelIndex, _first: int, _last: int) -> None:
        """A code added under another (no reset): its parent opens, unless the user closed it."""
        code_id = self._id(parent) if parent.isValid() else None
        if code_id is not None and code_id not in self._collapsed:
            with self._quietly():
                self.view.setExpanded(parent, True)

    def _save_view_state(self) -> None:
        # another project's ids mean nothing here
        self._saved_selection = (None, []) if self._loading else (self.current_code_id(), self.selected_code_ids())

    def _restore_view_state(self) -> None:
        current, selected = self._saved_selection
        # kept for codes gone for now: a deleted code that undo brings back (same id) comes back
        # collapsed as the user left it; the set is cleared when another project opens
        self._apply_expansion()
        with self._quietly():
            selection = self.view.selectionModel()
            flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            for code_id in selected:
                index = self.proxy_index(code_id)
                if index.isValid():
                    selection.select(index, flags)
            index = self.proxy_index(current) if current is not None else QModelIndex()
            if index.isValid():
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
                self.view.scrollTo(index)
        self._update_current()

    def _filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._apply_expansion()
        current = self.proxy_index(self._current) if self._current is not None else QModelIndex()
        if current.isValid():
            self.view.scrollTo(current)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.model.forget_shown_values()  # the grey of unused codes comes from the palette
            self.mirror.refresh_all()
        super().changeEvent(event)

    # ------------------------------------------------------------------ keys
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if watched is self.view and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                    and self.view.state() != QAbstractItemView.State.EditingState:
                self._activate_index(self.view.currentIndex())
                return True
            if watched is self.filter_edit:
                if key == Qt.Key.Key_Escape and self.filter_edit.text():
                    self.filter_edit.clear()
                    return True
                if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    self._focus_first_match()
                    return True
        return super().eventFilter(watched, event)

    def _focus_first_match(self) -> None:
        """From the filter box into the tree, on the first code whose name matches."""
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        text = self.filter_edit.text().strip().casefold()
        for code_id in self.model.code_ids():
            code = self.model.code(code_id)
            if code is not None and text in code.name.casefold():
                self.select_code(code_id)
                return

    def _activate_index(self, index: QModelIndex) -> None:
        code_id = self._id(index)
        if code_id is not None:
            self.codeActivated.emit(code_id)

    # ------------------------------------------------------------------ context menu
    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.addAction(self.action_add_code)
        menu.addAction(self.action_add_subcode)
        menu.addSeparator()
        menu.addAction(self.action_rename_code)
        menu.addAction(self.action_recolour_code)
        menu.addAction(self.action_describe_code)
        menu.addAction(self.action_code_memo)
        menu.addSeparator()
        menu.addActions([self.action_merge_codes, self.action_move_codes])
        sort = menu.addMenu("Sort")
        sort.setObjectName("menuSortCodes")
        sort.addActions([self.action_sort_name, self.action_sort_count])
        menu.addSeparator()
        menu.addAction(self.action_delete_code)
        return menu

    def _show_context_menu(self, pos) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            self.view.clearSelection()
        elif not self.view.selectionModel().isRowSelected(index.row(), index.parent()):
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        menu = self.context_menu()
        self._exec_menu(menu, self.view.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _exec_menu(self, menu: QMenu, global_pos) -> None:
        menu.exec(global_pos)

    # ------------------------------------------------------------------ actions
    def _current_code(self) -> Code | None:
        code_id = self.current_code_id()
        return self.model.code(code_id) if code_id is not None else None

    @staticmethod
    def _clean_name(name: str | None) -> str | None:
        name = " ".join((name or "").split())
        return name or None

    def _add_code(self) -> None:
        """A new top-level code (a theme), named in the tree (see :mod:`qcdesk.ui.codebook_inline`)."""
        self._start_inline(lambda: self.inline.start_add(None))

    def _add_subcode(self) -> None:
        parent = self._current_code()
        if parent is not None:
            self._start_inline(lambda: self.inline.start_add(parent.id))

    def _rename_code(self) -> None:
        code = self._current_code()
        if code is not None:
            self._start_inline(lambda: self.inline.start_rename(code.id))

    def _start_inline(self, start) -> None:
        if self._project is None:
            return
        if self.filter_edit.text():
            self.filter_edit.clear()  # the new code's place must be in view
        self.view.setVisible(True)   # an empty codebook shows its first code being named
        self.empty_label.setVisible(False)
        start()

    def _recolour_code(self) -> None:
        code = self._current_code()
        if code is None:
            return
        color = self._ask_color(code.color)
        if color and QColor(color).isValid():
            color = QColor(color).name()
            if color != code.color.lower():
                self.recolourRequested.emit(code.id, color)

    def _describe_code(self) -> None:
        code = self._current_code()
        if code is None:
            return
        values = self._ask_criteria(code)
        if values is not None and any(getattr(code, k) != v for k, v in values.items()):
            self.criteriaRequested.emit(code.id, values)

    def _memo(self) -> None:
        code_id = self.current_code_id()
        if code_id is not None:
            self.memoRequested.emit(code_id)

    def _merge_codes(self) -> None:
        """Merge the selected codes into one chosen among the others, after confirming with counts."""
        sources = self.selected_code_ids()
        if not sources:
            return
        target = self._ask_merge_target(sources)
        if target is None or target in sources or not self._confirm_merge(sources, target):
            return
        self.mergeRequested.emit(sources, target)
        self.select_code(target)

    def merge_summary(self, sources: list[int]) -> tuple[int, int]:
        """(coded segments, documents) of the codes to merge, each code alone."""
        codings = self._project.codings_for_codes(sources) if self._project is not None else []
        return len(codings), len({c.document_id for c in codings})

    def _move_codes(self) -> None:
        ids = self.selected_code_ids()
        if not ids:
            return
        chosen = self._ask_move_parent(ids)
        if chosen is None:
            return
        parent = None if chosen == TOP_LEVEL else chosen
        self.moveManyRequested.emit(ids, parent, -1)

    def sort_parent(self) -> int | None:
        """Whose children a sort orders: the current code's, or its own level if it has none."""
        code = self._current_code()
        if code is None:
            return None
        return code.id if self.model.children_ids(code.id) else code.parent_id

    def _sort(self, key: str) -> None:
        self.sortRequested.emit(self.sort_parent(), key)

    def _code_choices(self, excluded: set[int]) -> list[tuple[object, str, str]]:
        out = []
        for code_id in self.model.code_ids():
            if code_id in excluded:
                continue
            segments, documents = self.model.counts(code_id)
            path = " › ".join(self.model.path(code_id))
            out.append((code_id, path, f"{_plural(segments, 'coded segment')} in {_plural(documents, 'document')}"))
        return out

    def _delete_code(self) -> None:
        code = self._current_code()
        if code is not None and self._confirm_delete(code):
            self.deleteRequested.emit(code.id)

    def delete_summary(self, code_id: int) -> tuple[int, int]:
        """(sub-codes, coded segments) that deleting ``code_id`` removes with it."""
        subtree = self.model.subtree_ids(code_id)
        return max(0, len(subtree) - 1), sum(self.model.counts(cid).segments for cid in subtree)

    # ------------------------------------------------------------------ dialogs (patched in tests)
    def _ask_color(self, initial: str) -> str | None:
        color = QColorDialog.getColor(QColor(initial), self, "Code colour")
        return color.name() if color.isValid() else None

    def _run_dialog(self, dialog: QDialog, result):
        try:
            return result() if dialog.exec() == QDialog.DialogCode.Accepted else None
        finally:
            dialog.deleteLater()

    def _ask_criteria(self, code: Code) -> dict[str, str] | None:
        dialog = CriteriaDialog(self, code, " › ".join(self.model.path(code.id)))
        return self._run_dialog(dialog, dialog.values)

    def merge_dialog(self, sources: list[int]) -> CodePickerDialog:
        names = ", ".join(f"“{self.model.code(i).name}”" for i in sources)
        return CodePickerDialog(self, "Merge codes", f"Merge {names} into which code?",
                                self._code_choices(set(sources)), "Merge")

    def _ask_merge_target(self, sources: list[int]) -> int | None:
        dialog = self.merge_dialog(sources)
        return self._run_dialog(dialog, dialog.chosen)

    def move_dialog(self, ids: list[int]) -> CodePickerDialog:
        inside = {cid for code_id in ids for cid in self.model.subtree_ids(code_id)}
        choices = [(TOP_LEVEL, "(Top level)", "Make them top-level codes (themes)")] + self._code_choices(inside)
        return CodePickerDialog(self, "Move codes", f"Move {_plural(len(ids), 'code')} under which code?",
                                choices, "Move")

    def _ask_move_parent(self, ids: list[int]) -> object | None:
        dialog = self.move_dialog(ids)
        return self._run_dialog(dialog, dialog.chosen)

    def _confirm_merge(self, sources: list[int], target: int) -> bool:
        segments, documents = self.merge_summary(sources)
        names = ", ".join(f"“{self.model.code(i).name}”" for i in sources)
        into = self.model.code(target).name
        t_segments, t_documents = self.model.counts(target)
        text = (f"Merge {names} ({_plural(segments, 'coded segment')} in {_plural(documents, 'document')}) "
                f"into “{into}” ({_plural(t_segments, 'coded segment')} in {_plural(t_documents, 'document')})?"
                f"\n\nIdentical segments are combined; memos and sub-codes move to “{into}”, and "
                f"{'the merged codes are' if len(sources) > 1 else 'the merged code is'} deleted. "
                "You can undo this.")
        return dialogs.confirm(self, "Merge codes", text)

    def _confirm_delete(self, code: Code) -> bool:
        subcodes, segments = self.delete_summary(code.id)
        parts = []
        if subcodes:
            parts.append(_plural(subcodes, "sub-code"))
        if segments:
            parts.append(_plural(segments, "coded segment"))
        also = f" This also removes its {' and '.join(parts)}." if parts else ""
        text = f"Delete the code “{code.name}”?{also}\n\nYou can bring it back with Undo."
        answer = QMessageBox.question(
            self, "Delete code", text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes
