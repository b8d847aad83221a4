"""Analysis › Saturation: new codes per interview, in interview order, as a chart and a table.

The chart is drawn with :mod:`qcdesk.ui.charts` (the same drawing the Word reports use).
The interview order is the documents' order; Move up / Move down change it for the whole
project (one action each). The panel recomputes only while it is visible.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QPainter
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from qcdesk.core import private_files
from qcdesk.core.errors import QcdeskError
from qcdesk.core.models import Changes
from qcdesk.core.project import Project
from qcdesk.core.saturation import SaturationRow, saturation
from qcdesk.ui import charts, dialogs, panel_state

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices

DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Document", "New codes", "Codes so far", "Codes first seen here")


def saturation_series(rows: list[SaturationRow]) -> list[charts.Series]:
    return [charts.Series("New codes", [r.new_count for r in rows], kind="bar"),
            charts.Series("Distinct codes so far", [r.cumulative for r in rows])]


def draw_saturation(painter: QPainter, rect: QRectF, rows: list[SaturationRow], title: str = "") -> None:
    """Bars of new codes per coded document and the line of distinct codes so far (documents not
    coded yet are left out: their "no new codes" would look like saturation)."""
    rows = [r for r in rows if r.coded]
    charts.paint_line_chart(painter, rect, title or "New codes per interview",
                            [r.document_name for r in rows], saturation_series(rows), y_label="Codes")


class SaturationChart(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("saturationChart")
        self.rows: list[SaturationRow] = []
        self.title = ""
        self.setMinimumHeight(180)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(640, 320)

    def ticks(self) -> list[float]:
        """The value axis drawn: whole numbers (the counts have no fractions)."""
        return charts.axis_ticks(saturation_series(self.rows))

    def set_rows(self, rows: list[SaturationRow], title: str) -> None:
        self.rows, self.title = [r for r in rows if r.coded], title  # the documents coded so far
        self.update()

    def paintEvent(self, _event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        draw_saturation(painter, QRectF(self.rect()), self.rows, self.title)
        painter.end()


class SaturationPanel(QWidget):
    def __init__(self, window: "WindowServices"):
        super().__init__(window)
        self.window_ = window
        self.setObjectName("saturationPanel")
        self.rows: list[SaturationRow] = []
        self._choices_stale = False
        self.count = QComboBox()
        self.count.setObjectName("saturationCount")
        self.coder = QComboBox()
        self.coder.setObjectName("saturationCoder")
        self.set_filter = QComboBox()
        self.set_filter.setObjectName("saturationSet")
        self.set_filter.setToolTip("Only the interviews of one document set, in interview order")
        self.btn_up = QPushButton("Move up")
        self.btn_down = QPushButton("Move down")
        self.btn_save = QPushButton("Save chart…")
        for button in (self.btn_up, self.btn_down, self.btn_save):
            button.setAutoDefault(False)
        self.btn_up.clicked.connect(lambda: self.move_current(-1))
        self.btn_down.clicked.connect(lambda: self.move_current(1))
        self.btn_save.clicked.connect(self.save_chart)
        self.count.currentIndexChanged.connect(lambda *_: self.refresh())
        self.coder.currentIndexChanged.connect(lambda *_: self.refresh())
        self.set_filter.currentIndexChanged.connect(lambda *_: self.refresh())
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Count:"))
        controls.addWidget(self.count)
        controls.addWidget(QLabel("Coder:"))
        controls.addWidget(self.coder)
        controls.addWidget(QLabel("Set:"))
        controls.addWidget(self.set_filter)
        controls.addStretch(1)
        controls.addWidget(QLabel("Interview order:"))
        controls.addWidget(self.btn_up)
        controls.addWidget(self.btn_down)
        controls.addWidget(self.btn_save)
        self.chart = SaturationChart()
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("saturationTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        rows_header = self.table.verticalHeader()
        rows_header.setVisible(False)
        rows_header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # known heights: the table fits them
        rows_header.setDefaultSectionSize(self.table.fontMetrics().height() + 10)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 200)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_enabled)
        self.table.itemDoubleClicked.connect(self._open_document)
        self.splitter = splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.installEventFilter(self)  # resized: the table keeps the height of all its rows
        splitter.addWidget(self.chart)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addWidget(splitter)
        self.fill_choices()

    @property
    def project(self) -> Project | None:
        return self.window_.project

    # ------------------------------------------------------------------ options
    def fill_choices(self) -> None:
        """Count options (all codes, leaves, each tree level present) and the coders."""
        self._choices_stale = False
        keep_count, keep_coder = self.count.currentData(), self.coder.currentData()
        keep_set = self.set_filter.currentData()
        for combo in (self.count, self.coder, self.set_filter):
            combo.blockSignals(True)
            combo.clear()
        self.count.addItem("All codes", ("all", None))
        self.count.addItem("Leaf codes only", ("leaves", None))
        self.coder.addItem("All coders", None)
        self.set_filter.addItem("All documents", None)
        if self.project is not None:
            depth = max((d for _c, d in self.project.codes_in_tree_order()), default=-1)
            for level in range(depth + 1):
                label = "Top-level codes (themes)" if level == 0 else f"Codes at level {level + 1}"
                self.count.addItem(label, ("level", level))
            for coder in self.project.coders():
                self.coder.addItem(coder.name, coder.id)
            for found in self.project.sets.all():
                self.set_filter.addItem(found.name, found.id)
        self.count.setCurrentIndex(max(0, self.count.findData(keep_count)))
        self.coder.setCurrentIndex(max(0, self.coder.findData(keep_coder)))
        self.set_filter.setCurrentIndex(max(0, self.set_filter.findData(keep_set)))
        for combo in (self.count, self.coder, self.set_filter):
            combo.blockSignals(False)

    def options(self) -> dict:
        kind, level = self.count.currentData() or ("all", None)
        return {"level": level if kind == "level" else None, "leaves_only": kind == "leaves",
                "coder_id": self.coder.currentData(),
                "set_ids": [self.set_filter.currentData()] if self.set_filter.currentData() is not None else None}

    # ------------------------------------------------------------------ refresh
    def on_changes(self, changes: Changes) -> None:
        choices = bool(changes.codebook or changes.coders or changes.sets)
        if choices or changes.codings or changes.coded_documents or changes.document_list \
                or changes.documents:
            self.invalidate(choices=choices)

    def invalidate(self, *, choices: bool = False) -> None:
        """Recompute now if shown, else when next shown; with ``choices``, the count, coder and set
        options are listed again first (a code created behind another tab reads no code list)."""
        self._choices_stale = self._choices_stale or choices
        panel_state.when_shown(self, "refresh", self.refresh)

    def refresh(self) -> None:
        if self._choices_stale:
            self.fill_choices()
        current = self.current_document_id()
        self.rows = saturation(self.project, **self.options()) if self.project is not None else []
        title = "New codes per interview"
        if self.count.currentIndex() > 0:
            title += f" ({self.count.currentText().lower()})"
        if self.coder.currentData() is not None:
            title += f", coded by {self.coder.currentText()}"
        if self.set_filter.currentData() is not None:
            title += f", set “{self.set_filter.currentText()}”"
        self.chart.set_rows(self.rows, title)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            new = str(row.new_count) if row.coded else "not coded"
            cells = (row.document_name, new, str(row.cumulative), ", ".join(row.new_code_names))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(DOC_ID_ROLE, row.document_id)
                if c in (1, 2):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if c == 3:
                    item.setToolTip(text)
                self.table.setItem(r, c, item)
        if current is not None:
            self.select_document(current)
        self._fit_table()
        self._update_enabled()

    def _fit_table(self) -> None:
        """Give the table the height of all its rows, the chart the rest (at least a third)."""
        table = self.table
        needed = (max(table.horizontalHeader().height(), table.horizontalHeader().sizeHint().height())
                  + 2 * table.frameWidth() + 4 + table.rowCount() * table.verticalHeader().defaultSectionSize())
        if table.horizontalScrollBar().isVisible():
            needed += table.horizontalScrollBar().height()
        total = sum(self.splitter.sizes())
        if total <= 0:
            return
        table_height = min(needed, int(total * 2 / 3))
        self.splitter.setSizes([total - table_height, table_height])

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if watched is self.splitter and event.type() == QEvent.Type.Resize:
            QTimer.singleShot(0, self, self._fit_table)  # once the splitter has laid out its new size
        return super().eventFilter(watched, event)

    def current_document_id(self) -> int | None:
        items = self.table.selectedItems()
        return items[0].data(DOC_ID_ROLE) if items else None

    def select_document(self, document_id: int) -> None:
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).data(DOC_ID_ROLE) == document_id:
                self.table.selectRow(r)

    def _update_enabled(self) -> None:
        doc_id = self.current_document_id()
        ids = [r.document_id for r in self.rows]
        # the interview order is of all documents: reordered with every document shown
        whole = self.set_filter.currentData() is None
        self.btn_up.setEnabled(whole and doc_id is not None and ids.index(doc_id) > 0)
        self.btn_down.setEnabled(whole and doc_id is not None and ids.index(doc_id) < len(ids) - 1)
        self.btn_save.setEnabled(bool(self.rows))

    # ------------------------------------------------------------------ actions
    def move_current(self, step: int) -> None:
        doc_id = self.current_document_id()
        if doc_id is None or self.project is None or self.set_filter.currentData() is not None:
            return
        ids = [r.document_id for r in self.rows]
        i = ids.index(doc_id)
        j = i + step
        if not 0 <= j < len(ids):
            return
        ids[i], ids[j] = ids[j], ids[i]
        try:
            self.project.documents.reorder(ids)
        except QcdeskError as exc:
            dialogs.error(self, "Interview order", str(exc))
            return
        self.select_document(doc_id)

    def _open_document(self, item: QTableWidgetItem) -> None:
        self.window_.show_document(item.data(DOC_ID_ROLE))

    def save_chart(self) -> None:
        title = "Save saturation chart"
        settings = self.window_.settings
        path = dialogs.ask_save_file(self, title, Path(settings.last_folder()) / "saturation.png",
                                     "PNG image (*.png)", ".png")
        if path is None:
            return
        rows, chart_title = self.rows, self.chart.title
        data = charts.render_png(lambda p, r: draw_saturation(p, r, rows, chart_title), 1800, 1000, dpi=200)
        try:
            private_files.prepare(path).write_bytes(data)  # owner-only, like every export
        except OSError as exc:
            dialogs.error(self, title, f"Could not write {path}: {exc.strerror or exc}")


class SaturationFeature:
    def __init__(self, window: "WindowServices"):
        self.window = window
        self.panel = SaturationPanel(window)
        self.dock = window.add_panel("Saturation", "saturationDock", self.panel)
        self.act_show = QAction("&Saturation", window)
        self.act_show.setObjectName("actionSaturation")
        self.act_show.triggered.connect(lambda _c=False: self.show())
        window.analysis_menu.addAction(self.act_show)
        window.projectOpened.connect(self._opened)
        window.projectClosed.connect(self._closed)
        self._project: Project | None = None
        self.act_show.setEnabled(False)
        if window.project is not None:
            self._opened()

    def show(self) -> None:
        self.window.show_panel(self.dock)  # up to date now: work put off while hidden runs here, once

    def _opened(self, *_args) -> None:
        self._forget()
        self._project = self.window.project
        self._project.subscribe(self.panel.on_changes)
        self.act_show.setEnabled(True)
        self.panel.fill_choices()
        self.panel.invalidate()

    def _forget(self) -> None:
        if self._project is not None:
            self._project.unsubscribe(self.panel.on_changes)
            self._project = None

    def _closed(self) -> None:
        self._forget()
        self.act_show.setEnabled(False)
        self.panel.fill_choices()
        self.panel.refresh()


def install(window: "WindowServices") -> SaturationFeature:
    return SaturationFeature(window)
