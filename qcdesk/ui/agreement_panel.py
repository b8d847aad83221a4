"""Team ▸ Inter-coder agreement: figures per code and document for the chosen coders, the places
where they disagree, and settling each one (accept / reject) as an undoable step.

The figures are recomputed whenever codings change while the panel is open, so accepting a
disagreement (or undoing that) shows its effect at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem, QPushButton, QSplitter,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from qcdesk.core import agreement as ag
from qcdesk.core.errors import QcdeskError
from qcdesk.core.models import Changes
from qcdesk.core.project import Project
from qcdesk.core.tables import write_table
from qcdesk.ui import dialogs, panel_state
from qcdesk.ui.commands import CoreCommand
from qcdesk.ui.export_safety import confirm_unencrypted_export

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices

DASH = "–"
EXCERPT = 120
DATA = Qt.ItemDataRole.UserRole + 1


def fmt(value: float | None, percent: bool = False) -> str:
    if value is None:
        return DASH
    return f"{value:.1f} %" if percent else f"{value:.3f}"


def _checklist(name: str) -> QListWidget:
    widget = QListWidget()
    widget.setObjectName(name)
    widget.setMaximumHeight(140)
    return widget


class AgreementPanel(QWidget):
    def __init__(self, window: "WindowServices"):
        super().__init__()
        self.window = window
        self.project: Project | None = None
        self.result: ag.AgreementResult | None = None
        self.found: list[ag.Disagreement] = []
        self._choices_due = False  # the coders and codes to choose from are read again when shown
        self.coders = _checklist("agreementCoders")
        self.codes = _checklist("agreementCodes")
        self.coders.itemChanged.connect(lambda _item: self.recompute())
        self.codes.itemChanged.connect(lambda _item: self.recompute())
        self.status = QLabel("Choose two or more coders.")
        self.status.setObjectName("agreementStatus")
        self.status.setWordWrap(True)
        self.table = QTreeWidget()
        self.table.setObjectName("agreementTable")
        self.table.setHeaderLabels(["Code / document", "% agreement", "Kappa", "Alpha"])
        self.table.setAlternatingRowColors(True)
        header = self.table.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.list = QTreeWidget()
        self.list.setObjectName("disagreementList")
        self.list.setHeaderLabels(["Document", "Code", "Coded by", "Not coded by", "Text"])
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.itemActivated.connect(self._jump)
        self.list.itemClicked.connect(self._jump)
        self.accept_button = QPushButton("Accept")
        self.accept_button.setObjectName("acceptDisagreement")
        self.accept_button.setToolTip("Code this text for the coders who did not")
        self.reject_button = QPushButton("Reject")
        self.reject_button.setObjectName("rejectDisagreement")
        self.reject_button.setToolTip("Remove the coding of this text for the coders who made it")
        self.export_button = QPushButton("Export table…")
        self.export_button.setObjectName("exportAgreement")
        self.accept_button.clicked.connect(lambda: self.settle_current("accept"))
        self.reject_button.clicked.connect(lambda: self.settle_current("reject"))
        self.export_button.clicked.connect(self.export_dialog)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self._build_layout()
        self._update_buttons()

    def _build_layout(self) -> None:
        choose = QHBoxLayout()
        for title, widget in (("Coders (two or more)", self.coders), ("Codes", self.codes)):
            box = QVBoxLayout()
            box.addWidget(QLabel(title))
            box.addWidget(widget)
            choose.addLayout(box)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addLayout(choose)
        top_layout.addWidget(self.status)
        top_layout.addWidget(self.table, 1)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(QLabel("Disagreements (click one to see it in the transcript)"))
        bottom_layout.addWidget(self.list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        bottom_layout.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(top)
        split.addWidget(bottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(split)

    # ------------------------------------------------------------------ project
    def set_project(self, project: Project | None) -> None:
        if self.project is not None:
            self.project.unsubscribe(self._on_changes)
        self.project = project
        if project is not None:
            project.subscribe(self._on_changes)
        # the coders and codes to choose from, and the figures: when first shown (issue 19)
        self._choices_due = True
        panel_state.when_shown(self, "update", self._update)

    def _update(self) -> None:
        """Fill the coders and codes to choose from if they changed, then the figures."""
        if self._choices_due:
            self._choices_due = False
            self._fill_choices()
        self.recompute()

    def _fill_choices(self) -> None:
        for widget, items in ((self.coders, self.project.coders() if self.project else []),
                              (self.codes, [c for c, _ in self.project.codes_in_tree_order()] if self.project else [])):
            checked = self.checked(widget)
            widget.blockSignals(True)
            widget.clear()
            for obj in items:
                label = obj.name if widget is self.coders else " / ".join(self.project.code_path(obj.id))
                item = QListWidgetItem(label)
                item.setData(DATA, obj.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                default = widget is self.codes or len(items) <= 2
                item.setCheckState(Qt.CheckState.Checked if (obj.id in checked if checked else default)
                                   else Qt.CheckState.Unchecked)
                widget.addItem(item)
            widget.blockSignals(False)

    @staticmethod
    def checked(widget: QListWidget) -> list[int]:
        return [widget.item(i).data(DATA) for i in range(widget.count())
                if widget.item(i).checkState() == Qt.CheckState.Checked]

    def choose(self, coder_ids: list[int], code_ids: list[int] | None = None) -> None:
        """Tick exactly these coders (and codes; all when None), then recompute."""
        for widget, wanted in ((self.coders, coder_ids), (self.codes, code_ids)):
            widget.blockSignals(True)
            for i in range(widget.count()):
                item = widget.item(i)
                on = wanted is None or item.data(DATA) in wanted
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            widget.blockSignals(False)
        self.recompute()

    def _on_changes(self, changes: Changes) -> None:
        if changes.coders or changes.codebook:
            self._choices_due = True
        if changes.codings or changes.coded_documents or changes.coders or changes.codebook:
            panel_state.when_shown(self, "update", self._update)

    # ------------------------------------------------------------------ figures
    def recompute(self) -> None:
        self.table.clear()
        self.list.clear()
        self.result, self.found = None, []
        coders = self.checked(self.coders)
        if self.project is None or len(coders) < 2:
            self.status.setText("Choose two or more coders." if self.project else "No project is open.")
            self._update_buttons()
            return
        codes = self.checked(self.codes)
        try:
            self.result = ag.agreement(self.project, coders, codes)
            self.found = ag.disagreements(self.project, coders, codes)
        except QcdeskError as exc:
            self.status.setText(str(exc))
            self._update_buttons()
            return
        self._fill_table()
        self._fill_list()
        n = len(self.result.document_ids)
        self.status.setText(
            f"{n} document{'s' * (n != 1)} coded by all chosen coders; {len(self.found)} "
            f"disagreement{'s' * (len(self.found) != 1)}. Units are characters; – means not defined "
            "(nothing coded).")
        self._update_buttons()

    def _fill_table(self) -> None:
        project, result = self.project, self.result
        docs = {d.id: d.name for d in project.documents()}

        def item(label: str, fig: ag.Figures) -> QTreeWidgetItem:
            row = QTreeWidgetItem([label, fmt(fig.percent, True), fmt(fig.kappa), fmt(fig.alpha)])
            for col in (1, 2, 3):
                row.setTextAlignment(col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return row

        for code in result.codes:
            top = item(" / ".join(project.code_path(code.code_id)), code.figures)
            for doc_id, fig in code.by_document.items():
                top.addChild(item(docs.get(doc_id, "?"), fig))
            self.table.addTopLevelItem(top)
        overall = item("Overall", result.overall)
        font = overall.font(0)
        font.setBold(True)
        for col in range(4):
            overall.setFont(col, font)
        self.table.addTopLevelItem(overall)

    def _fill_list(self) -> None:
        project = self.project
        docs = {d.id: d.name for d in project.documents()}
        coders = {c.id: c.name for c in project.coders()}
        names = {c.id: c.name for c in project.codes()}
        texts: dict[int, str] = {}
        for i, d in enumerate(self.found):
            if d.document_id not in texts:
                texts[d.document_id] = project.document_text(d.document_id)
            text = " ".join(texts[d.document_id][d.start:d.end].split())
            row = QTreeWidgetItem([docs.get(d.document_id, "?"), names.get(d.code_id, "?"),
                                   ", ".join(coders.get(c, "?") for c in d.coded_by),
                                   ", ".join(coders.get(c, "?") for c in d.not_coded_by),
                                   text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"])
            row.setToolTip(4, texts[d.document_id][d.start:d.end][:2000])
            row.setData(0, DATA, i)
            self.list.addTopLevelItem(row)
        for col in range(4):
            self.list.resizeColumnToContents(col)

    def table_rows(self) -> list[list[str]]:
        """What the table shows, depth first (for tests and screen readers)."""
        out = []

        def walk(item: QTreeWidgetItem, depth: int) -> None:
            out.append(["  " * depth + item.text(0)] + [item.text(c) for c in (1, 2, 3)])
            for k in range(item.childCount()):
                walk(item.child(k), depth + 1)

        for i in range(self.table.topLevelItemCount()):
            walk(self.table.topLevelItem(i), 0)
        return out

    def disagreement_rows(self) -> list[list[str]]:
        return [[self.list.topLevelItem(i).text(c) for c in range(5)]
                for i in range(self.list.topLevelItemCount())]

    # ------------------------------------------------------------------ acting
    def current(self) -> ag.Disagreement | None:
        item = self.list.currentItem()
        return self.found[item.data(0, DATA)] if item is not None else None

    def _update_buttons(self) -> None:
        writable = self.project is not None and not self.project.read_only
        has = self.current() is not None
        self.accept_button.setEnabled(writable and has)
        self.reject_button.setEnabled(writable and has)
        self.export_button.setEnabled(self.result is not None)

    def _jump(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        d = self.found[item.data(0, DATA)]
        self.window.jump_to(d.document_id, d.start, d.end)

    def settle_current(self, decision: str) -> bool:
        d = self.current()
        if d is None or self.project is None:
            return False
        row = self.list.currentIndex().row()
        label = " ".join(self.project.document_text(d.document_id)[d.start:d.end].split())
        label = label if len(label) <= 40 else label[:39] + "…"
        project, verb = self.project, "Accept" if decision == "accept" else "Reject"
        done = self.window.undo.run(CoreCommand(f"{verb} “{label}”", lambda: ag.settle(project, d, decision)))
        if done and self.list.topLevelItemCount():
            self.list.setCurrentItem(self.list.topLevelItem(min(row, self.list.topLevelItemCount() - 1)))
        return done

    def export_dialog(self) -> None:
        if self.result is None:
            return
        if not confirm_unencrypted_export(self.window, "the agreement table"):
            return
        folder = Path(self.window.settings.last_folder())
        chosen = dialogs.ask_save_path(self, "Export agreement table", str(folder / "agreement.csv"),
                                       "CSV (*.csv);;Excel workbook (*.xlsx)")
        if chosen:
            self.export(Path(chosen))

    def export(self, path: Path) -> Path | None:
        path = dialogs.forced_suffix(path, (".csv", ".xlsx"))
        try:
            written = write_table(ag.as_table(self.project, self.result), path)
        except (QcdeskError, OSError) as exc:
            dialogs.error(self, "Export agreement table", str(exc))
            return None
        self.window.statusBar().showMessage(f"Wrote {written.name}.", 5000)
        return written


class AgreementFeature:
    def __init__(self, window: "WindowServices"):
        self.window = window
        self.panel = AgreementPanel(window)
        self.dock = window.add_panel("Inter-coder agreement", "agreementDock", self.panel)
        self.dock.hide()
        self.action = QAction("Inter-coder &agreement…", window)
        self.action.setObjectName("actionAgreement")
        self.action.setStatusTip("Compare coders: % agreement, Cohen's kappa, Krippendorff's alpha, "
                                 "and settle their disagreements")
        self.action.triggered.connect(lambda _checked=False: self.open())
        window.team_menu.addAction(self.action)
        window.projectOpened.connect(lambda _path: self._project_changed())
        window.projectClosed.connect(self._project_changed)
        self._project_changed()

    def _project_changed(self) -> None:
        self.action.setEnabled(self.window.project is not None)
        self.panel.set_project(self.window.project)

    def open(self) -> None:
        self.window.show_panel(self.dock)  # runs what the panel put off while hidden
        self.panel.recompute()


def install(window: "WindowServices") -> AgreementFeature:
    return AgreementFeature(window)
