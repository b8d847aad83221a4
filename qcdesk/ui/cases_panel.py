"""The Cases panel: participants in rows, their attributes in columns, edited in place.

Each cell is edited with an editor of its attribute's type (a number field, a date
picker, a list of choices) and stored through an undo command, so one edit is one
action and one undo step. The table is rebuilt from the project's change
notifications, whatever made them (this panel, an import, an undo).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QAction, QDoubleValidator, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDateEdit, QHeaderView, QLineEdit,
                               QStyledItemDelegate, QTableView, QToolBar, QVBoxLayout, QWidget)

from qcdesk.core import attributes as attrs
from qcdesk.core import cases
from qcdesk.core.attributes_io import export_attributes, import_attributes
from qcdesk.core.errors import QcdeskError
from qcdesk.core.models import Attribute, Changes
from qcdesk.core.project import Project
from qcdesk.ui import dialogs, panel_state
from qcdesk.ui.commands import cases as ccmd
from qcdesk.ui.case_dialogs import AttributesDialog, LinkDocumentsDialog
from qcdesk.ui.export_safety import confirm_unencrypted_export

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
FIXED_COLUMNS = ("Case", "Documents and speakers")
TABLE_FILTERS = "Excel workbook (*.xlsx);;CSV table (*.csv);;All files (*)"


class CasesModel(QAbstractTableModel):
    """Cases × (name, their text, attributes). Edits are handed to ``on_edit`` callbacks."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.columns: list[Attribute] = []
        self.rows: list[attrs.CaseRow] = []
        self.text_of: dict[int, str] = {}
        self.rename: Callable[[int, str], None] | None = None
        self.set_value: Callable[[int, int, object], None] | None = None

    def load(self, project: Project | None) -> None:
        self.beginResetModel()
        if project is None:
            self.columns, self.rows, self.text_of = [], [], {}
        else:
            self.columns = project.attributes.all()
            self.rows = project.attributes.table()
            names = {d.id: d.name for d in project.documents()}
            self.text_of = {}
            for row in self.rows:
                parts = [names[i] for i in project.cases.documents_of(row.case.id)]
                parts += [f"{link.speaker} in {names[link.document_id]}"
                          for link in project.cases.speakers_of(row.case.id)]
                self.text_of[row.case.id] = "; ".join(parts)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(FIXED_COLUMNS) + len(self.columns)

    def attribute_at(self, column: int) -> Attribute | None:
        i = column - len(FIXED_COLUMNS)
        return self.columns[i] if 0 <= i < len(self.columns) else None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal:
            return None
        attr = self.attribute_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return attr.name if attr else FIXED_COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole and attr:
            extra = f": {', '.join(attr.choices)}" if attr.value_type == "choice" else ""
            return f"{attr.name} ({attr.value_type}{extra})"
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        attr = self.attribute_at(index.column())
        if role == CASE_ID_ROLE:
            return row.case.id
        if index.column() == 0:
            value: object = row.case.name
        elif index.column() == 1:
            value = self.text_of.get(row.case.id, "")
        else:
            value = row.get(attr)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return attrs.display(value)
        if role == Qt.ItemDataRole.EditRole:
            return value
        if role == SORT_ROLE:
            if isinstance(value, (int, float)):
                return float(value)
            return attrs.display(value).casefold()
        if role == Qt.ItemDataRole.TextAlignmentRole and attr and attr.value_type == "number":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: QModelIndex):
        base = super().flags(index)
        if index.isValid() and index.column() != 1:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        case_id = self.rows[index.row()].case.id
        attr = self.attribute_at(index.column())
        if index.column() == 0 and self.rename:
            if str(value).strip() != self.rows[index.row()].case.name:
                self.rename(case_id, str(value))
            return True
        if attr is not None and self.set_value:
            self.set_value(case_id, attr.id, value)
            return True
        return False


class AttributeDelegate(QStyledItemDelegate):
    """A typed editor per attribute: number field, date picker, choice list or plain text."""

    def __init__(self, model: CasesModel, parent=None):
        super().__init__(parent)
        self.model = model

    def _attribute(self, index: QModelIndex) -> Attribute | None:
        source = index.model().mapToSource(index) if hasattr(index.model(), "mapToSource") else index
        return self.model.attribute_at(source.column())

    def createEditor(self, parent, option, index):  # noqa: N802
        attr = self._attribute(index)
        if attr is None or attr.value_type == "text":
            return QLineEdit(parent)
        if attr.value_type == "number":
            editor = QLineEdit(parent)
            validator = QDoubleValidator(editor)
            validator.setNotation(QDoubleValidator.Notation.StandardNotation)
            editor.setValidator(validator)
            editor.setPlaceholderText("a number")
            return editor
        if attr.value_type == "date":
            editor = QDateEdit(parent)
            editor.setCalendarPopup(True)
            editor.setDisplayFormat("yyyy-MM-dd")
            return editor
        editor = QComboBox(parent)
        editor.addItem("", None)
        for choice in attr.choices:
            editor.addItem(choice, choice)
        return editor

    def setEditorData(self, editor, index):  # noqa: N802
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QDateEdit):
            day = value if isinstance(value, dt.date) else dt.date.today()
            editor.setDate(QDate(day.year, day.month, day.day))
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)) if value else 0)
        else:
            editor.setText(attrs.display(value))

    def setModelData(self, editor, model, index):  # noqa: N802
        if isinstance(editor, QDateEdit):
            value: object = editor.date().toString("yyyy-MM-dd")
        elif isinstance(editor, QComboBox):
            value = editor.currentData() or ""
        else:
            value = editor.text()
        model.setData(index, value, Qt.ItemDataRole.EditRole)


class CasesPanel(QWidget):
    def __init__(self, window: "WindowServices"):
        super().__init__(window)
        self.window_ = window
        self.setObjectName("casesPanel")
        self.model = CasesModel(self)
        self.model.rename = lambda case_id, name: self._run(ccmd.rename_case(self.project, case_id, name))
        self.model.set_value = lambda case_id, attr_id, raw: self._run(
            ccmd.set_attribute_value(self.project, case_id, attr_id, raw))
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setObjectName("casesTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setItemDelegate(AttributeDelegate(self.model, self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setDefaultSectionSize(120)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.toolbar = QToolBar()
        self.toolbar.setObjectName("casesToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.act_add = self._action("Add case…", self.add_case)
        self.act_rename = self._action("Rename…", self.rename_case)
        self.act_delete = self._action("Delete", self.delete_case)
        self.toolbar.addSeparator()
        self.act_link = self._action("Documents…", self.link_documents)
        self.act_memo = self._action("Memo…", self.open_memo)
        self.act_from_docs = self._action("Cases from documents", self.cases_from_documents)
        self.act_from_speakers = self._action("Cases from speakers…", self.cases_from_speakers)
        self.toolbar.addSeparator()
        self.act_attributes = self._action("Attributes…", self.manage_attributes)
        self.act_import = self._action("Import attributes (CSV/XLSX)…", self.import_table)
        self.act_export = self._action("Export attributes…", self.export_table)
        self.act_clear = QAction("Clear value", self)
        self.act_clear.setShortcut(QKeySequence.StandardKey.Delete)
        self.act_clear.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.act_clear.triggered.connect(self.clear_current_value)
        self.table.addAction(self.act_clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.table)
        self.table.selectionModel().currentChanged.connect(lambda *_: self._update_enabled())
        self._update_enabled()

    @property
    def project(self) -> Project | None:
        return self.window_.project

    def _action(self, text: str, slot) -> QAction:
        action = self.toolbar.addAction(text)
        action.triggered.connect(lambda _c=False: slot())
        return action

    def _run(self, command) -> bool:
        return self.window_.undo.run(command)

    # ------------------------------------------------------------------ state
    def refresh(self) -> None:
        current = self.current_case_id()
        self.model.load(self.project)
        for column, cap in ((0, 220), (1, 280)):
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, min(cap, max(100, self.table.columnWidth(column))))
        if current is not None:
            self.select_case(current)
        self._update_enabled()

    def on_changes(self, changes: Changes) -> None:
        if changes.cases or changes.attributes or changes.document_list:
            self.invalidate()

    def invalidate(self) -> None:
        """Reload now if on screen, else when next shown."""
        if self.project is None:
            self.refresh()
        else:
            panel_state.when_shown(self, "refresh", self.refresh)

    def open_memo(self) -> None:
        """The memo on the current case (a participant's profile, reflections on the interview)."""
        case_id = self.current_case_id()
        if case_id is not None:
            self.window_.memos.open_memo(case_id=case_id)

    def _update_enabled(self) -> None:
        has_project = self.project is not None
        has_case = self.current_case_id() is not None
        for act in (self.act_add, self.act_from_docs, self.act_from_speakers, self.act_attributes,
                    self.act_import, self.act_export):
            act.setEnabled(has_project)
        for act in (self.act_rename, self.act_delete, self.act_link, self.act_memo):
            act.setEnabled(has_case)

    def current_case_id(self) -> int | None:
        index = self.table.currentIndex()
        return index.data(CASE_ID_ROLE) if index.isValid() else None

    def select_case(self, case_id: int, column: int = 0) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, column)
            if index.data(CASE_ID_ROLE) == case_id:
                self.table.setCurrentIndex(index)
                return True
        return False

    def index_of(self, case_name: str, column_name: str) -> QModelIndex:
        """The view index of a cell by case and column name (for tests and jumping)."""
        column = next(c for c in range(self.model.columnCount())
                      if self.model.headerData(c, Qt.Orientation.Horizontal) == column_name)
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data() == case_name:
                return self.proxy.index(row, column)
        return QModelIndex()

    # ------------------------------------------------------------------ case actions
    def add_case(self) -> None:
        name = dialogs.ask_text(self, "Add case", "Name of the participant (case):")
        if name and self._run(ccmd.add_case(self.project, name)):
            found = self.project.cases.by_name(name)
            if found:
                self.select_case(found.id)

    def rename_case(self) -> None:
        case_id = self.current_case_id()
        if case_id is None:
            return
        name = dialogs.ask_text(self, "Rename case", "New name:", self.project.cases.get(case_id).name)
        if name:
            self._run(ccmd.rename_case(self.project, case_id, name))

    def delete_case(self) -> None:
        case_id = self.current_case_id()
        if case_id is None:
            return
        name = self.project.cases.get(case_id).name
        if dialogs.confirm(self, "Delete case", f"Delete the case “{name}” with its attribute values? "
                           "Its documents and codings stay."):
            self._run(ccmd.delete_case(self.project, case_id))

    def clear_current_value(self) -> None:
        index = self.proxy.mapToSource(self.table.currentIndex())
        attr = self.model.attribute_at(index.column()) if index.isValid() else None
        if attr is not None:
            self.model.setData(index, "", Qt.ItemDataRole.EditRole)

    def _ask_documents(self, case_id: int) -> list[int] | None:
        dialog = LinkDocumentsDialog(self.project, self.project.cases.get(case_id).name,
                                     self.project.cases.documents_of(case_id), self)
        return dialog.checked_ids() if dialog.exec() == LinkDocumentsDialog.DialogCode.Accepted else None

    def link_documents(self) -> None:
        case_id = self.current_case_id()
        if case_id is None:
            return
        chosen = self._ask_documents(case_id)
        if chosen is not None:
            self._run(ccmd.set_case_documents(self.project, case_id, chosen))

    def _guard(self, title: str, job):
        try:
            return job()
        except QcdeskError as exc:
            dialogs.error(self, title, str(exc))
        except OSError as exc:
            dialogs.error(self, title, f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        return None

    def cases_from_documents(self) -> None:
        project = self.project
        created = self._guard("Cases from documents", lambda: project.cases.from_documents([d.id for d in project.documents()]))
        if created is not None:
            dialogs.info(self, "Cases from documents",
                         f"{len(created)} case(s) created, one per document"
                         + (": " + ", ".join(c.name for c in created) if created else
                            "; every document already has a case of its name.") + ".")

    def cases_from_speakers(self) -> None:
        excluded = dialogs.ask_text(self, "Cases from speakers",
                                    "Speakers who are not participants (separated by commas):",
                                    ", ".join(cases.DEFAULT_EXCLUDED_SPEAKERS))
        if excluded is None:
            return
        skip = [s.strip() for s in excluded.split(",") if s.strip()]
        created = self._guard("Cases from speakers", lambda: self.project.cases.from_speakers(None, skip))
        if created is not None:
            dialogs.info(self, "Cases from speakers",
                         f"{len(created)} case(s) created, one per speaker"
                         + (": " + ", ".join(c.name for c in created) if created else "") + ".")

    # ------------------------------------------------------------------ attributes
    def _delete_attribute(self, attribute_id: int) -> None:
        self._run(ccmd.delete_attribute(self.project, attribute_id))

    def attributes_dialog(self) -> AttributesDialog:
        return AttributesDialog(self.project, self._delete_attribute, self)

    def manage_attributes(self) -> None:
        self.attributes_dialog().exec()

    def import_table(self) -> None:
        title = "Import case attributes"
        settings = self.window_.settings
        chosen = dialogs.ask_open_path(self, title, settings.last_folder(),
                                       "Tables (*.xlsx *.csv);;" + TABLE_FILTERS)
        if not chosen:
            return
        path = Path(chosen)
        settings.set_last_folder(path.parent)
        create = dialogs.confirm(self, title, "Create a case for each name in the first column that is "
                                 "not a case yet?\n(No: rows of unknown cases are skipped and listed.)")
        report = self._guard(title, lambda: import_attributes(self.project, path, create_cases=create))
        if report is not None:
            dialogs.info(self, title, f"Imported {path.name}.\n\n{report.text()}")

    def export_table(self) -> None:
        title = "Export case attributes"
        if not confirm_unencrypted_export(self.window_, "the participants' attribute table"):
            return
        settings = self.window_.settings
        suggested = Path(settings.last_folder()) / f"{self.project.path.stem} attributes.xlsx"
        path = dialogs.ask_save_file(self, title, suggested, TABLE_FILTERS, (".xlsx", ".csv"))
        if path is None:
            return
        settings.set_last_folder(path.parent)
        count = self._guard(title, lambda: export_attributes(self.project, path))
        if count is not None:
            dialogs.info(self, title, f"{count} case(s) written to {path.name}.")


class CasesFeature:
    """Owns the Cases dock and its wiring to the window's project."""

    def __init__(self, window: "WindowServices"):
        self.window = window
        self.panel = CasesPanel(window)
        self.dock = window.add_panel("Cases", "casesDock", self.panel)
        self.act_show = QAction("&Cases and attributes", window)
        self.act_show.setObjectName("actionShowCases")
        self.act_show.triggered.connect(lambda _c=False: window.show_panel(self.dock))
        window.project_menu.addAction(self.act_show)
        window.projectOpened.connect(self._opened)
        window.projectClosed.connect(self._closed)
        self._project: Project | None = None
        if window.project is not None:
            self._opened()

    def _opened(self, *_args) -> None:
        self._forget()
        self._project = self.window.project
        self._project.subscribe(self.panel.on_changes)
        self.panel.invalidate()

    def _forget(self) -> None:
        if self._project is not None:
            self._project.unsubscribe(self.panel.on_changes)
            self._project = None

    def _closed(self) -> None:
        self._forget()
        self.panel.refresh()


def install(window: "WindowServices") -> CasesFeature:
    return CasesFeature(window)
