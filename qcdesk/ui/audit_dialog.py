"""Project › Audit trail: who added, removed or changed what and when, filtered by coder, kind
and dates, with an export to CSV (for an ethics file or a methods appendix)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from qcdesk.core import audit
from qcdesk.core.errors import QcdeskError
from qcdesk.ui import dialogs
from qcdesk.ui.export_safety import confirm_unencrypted_export

if TYPE_CHECKING:
    from qcdesk.ui.main_window import MainWindow

COLUMNS = ("When (UTC)", "Coder", "Action", "Kind", "What")
_KIND_LABELS = {"": "All kinds", "coding": "Codings", "code": "Codes", "document": "Documents",
                "set": "Document sets", "media": "Recordings"}


class AuditDialog(QDialog):
    def __init__(self, window: "MainWindow", parent: QWidget | None = None):
        super().__init__(parent or window)
        self.window = window
        self.setObjectName("auditDialog")
        self.setWindowTitle("Audit trail")
        self.resize(900, 520)
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.coder = QComboBox()
        self.coder.setObjectName("auditCoder")
        self.kind = QComboBox()
        self.kind.setObjectName("auditKind")
        for key, label in _KIND_LABELS.items():
            self.kind.addItem(label, key)
        self.since = QLineEdit()
        self.since.setObjectName("auditSince")
        self.since.setPlaceholderText("from YYYY-MM-DD")
        self.until = QLineEdit()
        self.until.setObjectName("auditUntil")
        self.until.setPlaceholderText("to YYYY-MM-DD")
        for widget in (QLabel("Coder:"), self.coder, QLabel("Kind:"), self.kind, QLabel("Dates:"),
                       self.since, self.until):
            filters.addWidget(widget)
        filters.addStretch(1)
        layout.addLayout(filters)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("auditTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for col in range(len(COLUMNS) - 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.count = QLabel()
        self.count.setObjectName("auditCount")
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setObjectName("auditExport")
        close = QPushButton("Close")
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.export_button)
        bottom.addWidget(close)
        layout.addLayout(bottom)
        self.export_button.clicked.connect(self.export_csv)
        close.clicked.connect(self.reject)
        self.coder.currentIndexChanged.connect(self.refresh)
        self.kind.currentIndexChanged.connect(self.refresh)
        self.since.editingFinished.connect(self.refresh)
        self.until.editingFinished.connect(self.refresh)
        self.reload_coders()
        self.refresh()

    def reload_coders(self) -> None:
        project = self.window.project
        self.coder.blockSignals(True)
        self.coder.clear()
        self.coder.addItem("All coders", None)
        for name in audit.coders(project) if project is not None else []:
            self.coder.addItem(name, name)
        self.coder.blockSignals(False)

    def filters(self) -> audit.AuditFilter:
        return audit.AuditFilter(coder=self.coder.currentData(), kind=self.kind.currentData() or None,
                                 since=self.since.text().strip() or None,
                                 until=self.until.text().strip() or None)

    def refresh(self, *_args) -> None:
        project = self.window.project
        self.table.setRowCount(0)
        if project is None:
            self.count.setText("No project is open.")
            return
        try:
            rows = audit.entries(project, self.filters())
        except QcdeskError as exc:
            self.count.setText(str(exc))
            return
        self.table.setRowCount(len(rows))
        for r, entry in enumerate(reversed(rows)):  # newest first
            values = (entry.at.replace("T", " ").rstrip("Z"), entry.coder or "—", entry.action,
                      entry.kind, audit.describe(entry))
            for c, value in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self.count.setText(f"{len(rows)} entr{'y' if len(rows) == 1 else 'ies'}")

    def export_csv(self) -> bool:
        project = self.window.project
        if project is None or not confirm_unencrypted_export(self.window, "the CSV file"):
            return False
        folder = Path(self.window.settings.last_folder())
        out = dialogs.ask_save_file(self, "Export audit trail", folder / f"{project.path.stem} audit trail.csv",
                                    "CSV files (*.csv)", ".csv")
        if out is None:
            return False
        try:
            count = audit.export_csv(project, out, self.filters())
        except QcdeskError as exc:
            dialogs.error(self, "Audit trail not exported", str(exc))
            return False
        self.window.settings.set_last_folder(out.parent)
        dialogs.info(self, "Audit trail exported", f"{count} entries were written to\n{out}")
        return True


class AuditTrail:
    """Owns Project › Audit trail… and the (non-modal) dialog it opens."""

    def __init__(self, window: "MainWindow"):
        self.window = window
        self.dialog: AuditDialog | None = None
        self.action = QAction("&Audit trail…", window)
        self.action.setObjectName("actionAuditTrail")
        self.action.triggered.connect(lambda _checked=False: self.show())
        window.projectOpened.connect(self._update)
        window.projectClosed.connect(self._update)
        self._update()

    def _update(self, *_args) -> None:
        self.action.setEnabled(self.window.project is not None)
        if self.window.project is None and self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def show(self) -> AuditDialog | None:
        if self.window.project is None:
            return None
        if self.dialog is None:
            self.dialog = AuditDialog(self.window)
        else:
            self.dialog.reload_coders()
            self.dialog.refresh()
        self.dialog.show()
        self.dialog.raise_()
        return self.dialog
