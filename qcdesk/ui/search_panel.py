"""Analysis ▸ Search text: find words and phrases in every transcript, jump to them, code them.

The panel lists every hit (a table model asks for a row's context only when the row is
painted, so a word found ten thousand times lists at once). "Code hits with…" codes the
selected rows (all of them when none is selected),
widened to their sentence, paragraph or speaker turn if asked, as one undo step.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer
from PySide6.QtGui import QPalette, QTextDocument
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox,
                               QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTableView, QVBoxLayout,
                               QWidget)

from qcdesk.core.errors import QcdeskError
from qcdesk.core.models import Changes
from qcdesk.core.project import Project
from qcdesk.core.search import Hit, code_hits, search
from qcdesk.core.speakers import speakers as speaker_list
from qcdesk.ui import panel_state
from qcdesk.ui.commands import CoreCommand
from qcdesk.ui.panel_feature import PanelFeature

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices

#: (unit passed to code_hits, what the dialog calls it)
UNITS = (("hit", "The words found"), ("sentence", "Their sentence"), ("paragraph", "Their paragraph"),
         ("turn", "The speaker turn"))
#: the context column's rich text (the hit in bold)
HtmlRole = Qt.ItemDataRole.UserRole + 1


class HitsModel(QAbstractTableModel):
    HEADERS = ("Document", "Speaker", "¶", "Context")

    def __init__(self) -> None:
        super().__init__()
        self.hits: Sequence[Hit] = []

    def set_hits(self, hits: Sequence[Hit]) -> None:
        self.beginResetModel()
        self.hits = hits
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.hits)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        hit = self.hits[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:  # only the column asked for: a row is worked out as it is shown
            if column == 0:
                return hit.document_name
            if column == 1:
                return hit.speaker or ""
            if column == 2:
                return hit.paragraph or ""
            return hit.context
        if role == HtmlRole and column == 3:
            return f"{escape(hit.before)}<b>{escape(hit.text)}</b>{escape(hit.after)}"
        if role == Qt.ItemDataRole.ToolTipRole and column == 3:
            return hit.context
        return None


class BoldHitDelegate(QStyledItemDelegate):
    """Paints the context with the hit in bold (the model's HtmlRole), on one line."""

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = QTextDocument()
        doc.setDefaultFont(opt.font)
        doc.setDocumentMargin(2)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        color = opt.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        doc.setHtml(f"<span style='color:{color.name()}; white-space:pre'>{index.data(HtmlRole)}</span>")
        painter.save()
        painter.translate(opt.rect.left(), opt.rect.top())
        painter.setClipRect(0, 0, opt.rect.width(), opt.rect.height())
        doc.drawContents(painter)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        size = super().sizeHint(option, index)
        return QSize(size.width(), max(size.height(), option.fontMetrics.height() + 6))


class CodeHitsDialog(QDialog):
    """Which code, and how much text around each hit."""

    def __init__(self, parent: QWidget | None, project: Project, hits: int, current_code: int | None):
        super().__init__(parent)
        self.setWindowTitle("Code search hits")
        self.code = QComboBox()
        self.code.setObjectName("codeChoice")
        for code, depth in project.codes_in_tree_order():
            self.code.addItem("    " * depth + code.name, code.id)
        if current_code is not None and self.code.findData(current_code) >= 0:
            self.code.setCurrentIndex(self.code.findData(current_code))
        self.unit = QComboBox()
        self.unit.setObjectName("unitChoice")
        for unit, label in UNITS:
            self.unit.addItem(label, unit)
        form = QFormLayout(self)
        form.addRow(QLabel(f"Code {hits} hit{'s' * (hits != 1)} with the same code, as one step to undo."))
        form.addRow("&Code:", self.code)
        form.addRow("Code &what:", self.unit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Code hits")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def choice(self) -> tuple[int, str] | None:
        if self.code.currentIndex() < 0:
            return None
        return self.code.currentData(), self.unit.currentData()


class SearchPanel(QWidget):
    def __init__(self, window: "WindowServices"):
        super().__init__()
        self.window = window
        self.project: Project | None = None
        self._summary: str | None = None  # what the status line says about the current hits
        self.query = QLineEdit()
        self.query.setObjectName("searchQuery")
        self.query.setPlaceholderText('Words, "exact phrase", prefix*  (all must occur in a document)')
        self.query.setClearButtonEnabled(True)
        self.whole_words = QCheckBox("&Whole words")
        self.whole_words.setChecked(True)
        self.match_case = QCheckBox("Match &case")
        self.set_filter = QComboBox()
        self.set_filter.setObjectName("searchSet")
        self.set_filter.setToolTip("Search all documents, or only those of one document set")
        self.speaker_filter = QComboBox()
        self.speaker_filter.setObjectName("searchSpeaker")
        self.speaker_filter.setToolTip("Every hit, or only the hits in one speaker's turns")
        self.find_button = QPushButton("&Search")
        self.code_button = QPushButton("Code hits &with…")
        self.code_button.setObjectName("codeHitsButton")
        self.status = QLabel("")
        self.status.setObjectName("searchStatus")
        self.model = HitsModel()
        self.table = QTableView()
        self.table.setObjectName("searchResults")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(3, BoldHitDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.resizeSection(0, 160)
        header.resizeSection(1, 110)
        # wide enough for a five-digit paragraph number, from the font: sizing it to its contents
        # would work out the paragraph of a thousand hits, shown or not
        header.resizeSection(2, self.fontMetrics().horizontalAdvance("000000") + 12)
        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.whole_words)
        top.addWidget(self.match_case)
        top.addWidget(self.set_filter)
        top.addWidget(self.speaker_filter)
        top.addWidget(self.find_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.code_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.query.returnPressed.connect(self.run)
        self.find_button.clicked.connect(self.run)
        self.whole_words.toggled.connect(self._rerun)
        self.match_case.toggled.connect(self._rerun)
        self.set_filter.currentIndexChanged.connect(lambda _i: self._rerun())
        self.speaker_filter.currentIndexChanged.connect(lambda _i: self._rerun())
        self.table.doubleClicked.connect(self._activate)
        self.table.activated.connect(self._activate)
        self.code_button.clicked.connect(self.ask_and_code)
        self._rerun_timer = QTimer(self)
        self._rerun_timer.setSingleShot(True)
        self._rerun_timer.setInterval(300)
        self._rerun_timer.timeout.connect(self.run)
        self.set_project(None)

    # ------------------------------------------------------------------ project
    def set_project(self, project: Project | None) -> None:
        self.project = project
        self._rerun_timer.stop()
        self.model.set_hits([])
        self.status.setText("" if project else "Open a project to search its transcripts.")
        for widget in (self.query, self.find_button, self.whole_words, self.match_case, self.set_filter,
                       self.speaker_filter):
            widget.setEnabled(project is not None)
        self._fill_sets()
        # every document's speakers: read when the panel is first shown (issue 19: open at scale)
        panel_state.when_shown(self, "speakers", self._fill_speakers)
        self._update_buttons()

    def _fill_sets(self) -> None:
        kept = self.set_filter.currentData()
        self.set_filter.blockSignals(True)
        self.set_filter.clear()
        self.set_filter.addItem("All documents", None)
        for found in (self.project.sets.all() if self.project is not None else []):
            self.set_filter.addItem(found.name, found.id)
        self.set_filter.setCurrentIndex(max(0, self.set_filter.findData(kept)))
        self.set_filter.blockSignals(False)

    def _fill_speakers(self) -> None:
        """The speaker labels of every document (a renamed speaker is followed; a gone one is
        let go, back to every speaker)."""
        kept = self.speaker_filter.currentData()
        self.speaker_filter.blockSignals(True)
        self.speaker_filter.clear()
        self.speaker_filter.addItem("All speakers", None)
        for found in (speaker_list(self.project) if self.project is not None else []):
            self.speaker_filter.addItem(found.speaker, found.speaker)
        self.speaker_filter.setCurrentIndex(max(0, self.speaker_filter.findData(kept)))
        self.speaker_filter.blockSignals(False)

    def _follow_speakers(self) -> None:
        """The speakers again; the search again if the chosen one is gone."""
        before = self.speaker_filter.currentData()
        self._fill_speakers()
        if before is not None and self.speaker_filter.currentData() != before:
            self._rerun_timer.start()

    def on_changes(self, changes: Changes) -> None:
        """Documents added, removed or changed: the hits listed may be gone or moved. The search
        runs again once a burst of changes is over (an import stores one file at a time)."""
        if changes.sets:
            before = self.set_filter.currentData()
            self._fill_sets()
            if self.set_filter.currentData() is not None or before is not None:
                self._rerun_timer.start()
        if changes.document_list or changes.documents or changes.texts:
            # read again now if the panel is on screen, else once it is shown (an import stores
            # one file at a time: a hidden panel re-read every document's speakers after each)
            panel_state.when_shown(self, "speakers", self._follow_speakers)
        if (changes.document_list or changes.documents) and self.model.hits:
            self._rerun_timer.start()
        if (changes.codings or changes.coded_documents) and self._summary:
            # "Coded 4 passages…" is no longer true once codings change again (an undo, say)
            self.status.setText(self._summary)

    def _update_buttons(self) -> None:
        self.code_button.setEnabled(self.project is not None and bool(self.model.hits))

    # ------------------------------------------------------------------ searching
    def _rerun(self) -> None:
        if self.query.text().strip():
            self.run()

    def run(self) -> bool:
        if self.project is None:
            return False
        try:
            chosen = self.set_filter.currentData()
            speaker = self.speaker_filter.currentData()
            hits = search(self.project, self.query.text(), whole_words=self.whole_words.isChecked(),
                          case_sensitive=self.match_case.isChecked(),
                          set_ids=[chosen] if chosen is not None else None,
                          speakers=[speaker] if speaker is not None else None)
        except QcdeskError as exc:
            self.model.set_hits([])
            self._summary = None
            self.status.setText(str(exc))
            self._update_buttons()
            return False
        self.model.set_hits(hits)
        documents = len(hits.document_ids)
        self._summary = (f"{len(hits):,} hit{'s' * (len(hits) != 1)} in {documents} document"
                         f"{'s' * (documents != 1)}" if hits else "Not found.")
        if speaker is not None:
            self._summary = (self._summary + f", spoken by {speaker}" if hits
                             else f"Not found in the turns of {speaker}.")
        self.status.setText(self._summary)
        self._update_buttons()
        return True

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            hit = self.model.hits[index.row()]
            self.window.jump_to(hit.document_id, hit.start, hit.end)

    # ------------------------------------------------------------------ coding
    def _ask_code_and_unit(self) -> tuple[int, str] | None:
        dialog = CodeHitsDialog(self, self.project, len(self.chosen_hits()), self.window.codebook.current_code_id())
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def ask_and_code(self) -> bool:
        if self.project is None or not self.model.hits:
            return False
        if not self.project.codes():
            self.status.setText("The codebook is empty: add a code first.")
            return False
        choice = self._ask_code_and_unit()
        if choice is None:
            return False
        return self.code_hits(*choice)

    def chosen_hits(self) -> list:
        """The hits of the selected rows, in list order; every hit when no row is selected."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.hits[r] for r in rows] if rows else list(self.model.hits)

    def code_hits(self, code_id: int, unit: str) -> bool:
        project, hits = self.project, self.chosen_hits()
        command = CoreCommand(f"Code search hits with “{project.code(code_id).name}”",
                              lambda: code_hits(project, hits, code_id, unit))
        if not self.window.undo.run(command):
            return False
        name = self.project.code(code_id).name
        made = len(command.value)  # type: ignore[arg-type]
        self.status.setText(f"Coded {made} passage{'s' * (made != 1)} with “{name}”." if made else
                            f"Everything found is already coded with “{name}”.")
        return True


class SearchFeature(PanelFeature):
    """Analysis › Search text."""

    def __init__(self, window: "WindowServices"):
        super().__init__(window, SearchPanel(window), title="Search", dock_name="searchDock",
                         action_text="&Search text…", action_name="actionSearchText",
                         shortcut="Ctrl+Shift+F",
                         tip="Find words and phrases in all transcripts, and code what is found")

    def show(self) -> None:
        super().show()
        self.panel.query.setFocus()
        self.panel.query.selectAll()

    def _closing(self) -> None:
        super()._closing()
        self.panel.set_project(None)



def install(window: "WindowServices") -> SearchFeature:
    return SearchFeature(window)
