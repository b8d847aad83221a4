"""Analysis ▸ Matrices: code × case, code × attribute value and code co-occurrence counts as a
heat-shaded table; clicking a cell lists the segments behind it in the retrieval panel, and the
table exports to CSV or XLSX (:mod:`qcdesk.core.tables`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from qcdesk.core import matrices
from qcdesk.core.errors import QcdeskError
from qcdesk.core.models import Changes
from qcdesk.core.retrieval import filter_choices
from qcdesk.core.tables import Table, write_table
from qcdesk.ui import dialogs, panel_state
from qcdesk.ui.export_safety import confirm_unencrypted_export
from qcdesk.ui.panel_feature import PanelFeature

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices

DEBOUNCE_MS = 300
KINDS = [("Code × case", "code-case"), ("Code × attribute value", "code-attribute"),
         ("Code × document set", "code-set"), ("Code co-occurrence", "cooccurrence")]
MEASURES = {"code-case": [("Segments", "segments"), ("Documents", "documents")],
            "code-attribute": [("Segments", "segments"), ("Cases", "cases")],
            "code-set": [("Segments", "segments"), ("Documents", "documents")],
            "cooccurrence": [("Overlapping pairs", "segments")]}
#: the darkest shade (the largest count); smaller counts are lighter
HEAT = QColor("#e67e22")


def heat(value: object, largest: float) -> QColor | None:
    """The cell's shade: transparent for 0 or empty, up to :data:`HEAT` for the largest."""
    if not isinstance(value, (int, float)) or not value or largest <= 0:
        return None
    shade = QColor(HEAT)
    shade.setAlpha(int(40 + 180 * value / largest))
    return shade


class MatricesPanel(QWidget):
    def __init__(self, window: "WindowServices"):
        super().__init__()
        self.window = window
        self.setObjectName("matricesPanel")
        self.table_data: Table | None = None
        self._dirty = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self._due)

        self.kind = QComboBox()
        self.kind.setObjectName("matrixKind")
        for text, kind in KINDS:
            self.kind.addItem(text, kind)
        self.measure = QComboBox()
        self.measure.setObjectName("matrixMeasure")
        self.attribute = QComboBox()
        self.attribute.setObjectName("matrixAttribute")
        self.set_filter = QComboBox()
        self.set_filter.setObjectName("matrixSet")
        self.set_filter.setToolTip("Count only the documents of one document set")
        self.include_sub = QCheckBox("Include sub-codes")
        self.include_sub.setObjectName("matrixSubcodes")
        self.export_csv = QPushButton("Export CSV…")
        self.export_csv.setObjectName("matrixExportCsv")
        self.export_xlsx = QPushButton("Export XLSX…")
        self.export_xlsx.setObjectName("matrixExportXlsx")
        self.export_csv.clicked.connect(lambda: self.export(".csv"))
        self.export_xlsx.clicked.connect(lambda: self.export(".xlsx"))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for signal in (self.measure.currentIndexChanged, self.attribute.currentIndexChanged,
                       self.set_filter.currentIndexChanged, self.include_sub.toggled):
            signal.connect(lambda *_: self.timer.start())
        self.title = QLabel()
        self.title.setObjectName("matrixTitle")
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #666")
        self.grid = QTableWidget()
        self.grid.setObjectName("matrixTable")
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.horizontalHeader().setMinimumSectionSize(56)
        self.grid.cellClicked.connect(self.show_cell)
        self.grid.setToolTip("Click a count to list its segments in the retrieval panel")

        controls = QHBoxLayout()
        for widget in (QLabel("Matrix:"), self.kind, QLabel("Count:"), self.measure, QLabel("Attribute:"),
                       self.attribute, QLabel("Set:"), self.set_filter, self.include_sub):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.export_csv)
        controls.addWidget(self.export_xlsx)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(self.title)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.notes)
        self._kind_changed()

    # ------------------------------------------------------------------ controls
    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.measure.blockSignals(True)
        self.measure.clear()
        for text, measure in MEASURES[kind]:
            self.measure.addItem(text, measure)
        self.measure.blockSignals(False)
        self.attribute.setEnabled(kind == "code-attribute")
        self.timer.start()

    def load_choices(self) -> None:
        project, kept = self.window.project, self.attribute.currentData()
        self.attribute.blockSignals(True)
        self.attribute.clear()
        for attribute_id, name in (filter_choices(project).attributes if project else []):
            self.attribute.addItem(name, attribute_id)
        self.attribute.setCurrentIndex(max(0, self.attribute.findData(kept)))
        self.attribute.blockSignals(False)
        kept_set = self.set_filter.currentData()
        self.set_filter.blockSignals(True)
        self.set_filter.clear()
        self.set_filter.addItem("All documents", None)
        for set_id, name in (filter_choices(project).sets if project else []):
            self.set_filter.addItem(name, set_id)
        self.set_filter.setCurrentIndex(max(0, self.set_filter.findData(kept_set)))
        self.set_filter.blockSignals(False)

    def set_project(self, _project) -> None:
        # the filter choices: now if shown, else when first shown (issue 19: open at scale)
        panel_state.when_shown(self, "choices", self.load_choices)
        if _project is None:
            self.refresh()
        else:  # computed when first shown: a large matrix is not free
            panel_state.when_shown(self, "changes", self.refresh)

    def on_changes(self, changes: Changes) -> None:
        if (changes.codebook or changes.codings or changes.codes or changes.cases or changes.attributes
                or changes.document_list or changes.documents or changes.sets):
            self._dirty = True  # the filter lists are reloaded too
            panel_state.when_shown(self, "changes", self.timer.start)

    def _due(self) -> None:
        """The debounce is over: refresh if on screen, else wait to be shown."""
        panel_state.when_shown(self, "changes", self.refresh)

    # ------------------------------------------------------------------ table
    def refresh(self) -> None:
        self.timer.stop()
        if self._dirty:
            self._dirty = False
            self.load_choices()
        self.grid.clear()
        self.grid.setRowCount(0)
        self.grid.setColumnCount(0)
        self.table_data = None
        project, kind = self.window.project, self.kind.currentData()
        self.export_csv.setEnabled(False)
        self.export_xlsx.setEnabled(False)
        if project is None:
            self.title.setText("Open a project first.")
            self.notes.setText("")
            return
        if kind == "code-attribute" and self.attribute.currentData() is None:
            self.title.setText("Define case attributes (Analysis ▸ Cases) to compare groups.")
            self.notes.setText("")
            return
        try:
            table = matrices.build(project, kind, measure=self.measure.currentData() or "segments",
                                   attribute_id=self.attribute.currentData(),
                                   include_subcodes=self.include_sub.isChecked(),
                                   set_ids=[self.set_filter.currentData()] if self.set_filter.currentData() else ())
        except QcdeskError as exc:
            self.title.setText(str(exc))
            return
        self.table_data = table
        self._show(table)
        self.export_csv.setEnabled(True)
        self.export_xlsx.setEnabled(True)

    def _show(self, table: Table) -> None:
        self.title.setText(f"<b>{table.title}</b>")
        self.notes.setText(" ".join(table.notes))
        self.grid.setRowCount(len(table.row_headers))
        self.grid.setColumnCount(len(table.column_headers))
        self.grid.setHorizontalHeaderLabels(table.column_headers)
        self.grid.setVerticalHeaderLabels(["    " * table.level(i) + name
                                           for i, name in enumerate(table.row_headers)])
        for i in range(len(table.row_headers)):
            self.grid.verticalHeaderItem(i).setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        largest = table.max_value()
        for r, row in enumerate(table.cells):
            for c, value in enumerate(row):
                item = QTableWidgetItem("" if value is None else str(value))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                shade = heat(value, largest)
                if shade is not None:
                    item.setBackground(shade)
                self.grid.setItem(r, c, item)
        self.grid.resizeColumnsToContents()

    def cell_text(self, row: int, column: int) -> str:
        item = self.grid.item(row, column)
        return item.text() if item else ""

    def show_cell(self, row: int, column: int) -> None:
        """List the segments behind a count in the retrieval panel."""
        if self.table_data is None:
            return
        query = matrices.cell_query(self.table_data, row, column)
        retrieval = self.window.retrieval
        if query is None:
            return
        retrieval.show()
        retrieval.panel.set_query(query)

    def export(self, suffix: str) -> Path | None:
        if self.table_data is None or self.window.project is None:
            return None
        if not confirm_unencrypted_export(self.window, "the matrix table"):
            return None
        folder = Path(self.window.settings.last_folder())
        name = "".join(ch if ch.isalnum() or ch in " -_" else " " for ch in self.table_data.title).strip()
        path = dialogs.ask_save_file(self.window, f"Export matrix as {suffix[1:].upper()}", folder / f"{name}{suffix}",
                                     "CSV (*.csv)" if suffix == ".csv" else "Excel workbook (*.xlsx)", suffix)
        if path is None:
            return None
        self.window.settings.set_last_folder(path.parent)
        try:
            write_table(self.table_data, path)
        except QcdeskError as exc:
            dialogs.error(self.window, "Export matrix", str(exc))
            return None
        except OSError as exc:
            dialogs.error(self.window, "Export matrix", f"{exc.strerror or exc}: {exc.filename or path}")
            return None
        self.window.statusBar().showMessage(f"Matrix written to {path.name}.", 5000)
        return path


class MatricesFeature(PanelFeature):
    """Analysis › Matrices."""

    def __init__(self, window: "WindowServices"):
        super().__init__(window, MatricesPanel(window), title="Matrices", dock_name="matricesDock",
                         action_text="&Matrices…", action_name="actionMatrices",
                         tip="Counts of codes by case, by attribute value and by co-occurrence")



def install(window: "WindowServices") -> MatricesFeature:
    return MatricesFeature(window)
