"""Analysis ▸ Retrieve coded segments: choose codes and how they combine, narrow by document,
document set, case, attribute value, speaker and coder, read each passage in its context, jump to it, and
copy exemplar quotes for a paper.

The panel re-runs its query shortly after any control changes and after project changes
(debounced; while the panel is hidden it only notes that it is out of date).
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, QTimer
from PySide6.QtGui import QAbstractTextDocumentLayout, QAction, QKeySequence, QPalette, QTextDocument
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox,
                               QComboBox, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                               QSplitter, QStyle, QStyledItemDelegate, QStyleOptionViewItem,
                               QTreeWidget, QTreeWidgetItem, QTreeWidgetItemIterator, QVBoxLayout, QWidget)

from qcdesk.core.errors import QcdeskError
from qcdesk.core.models import Changes
from qcdesk.core.retrieval import (Query, Result, attribute_values, coded_by, filter_choices, format_quotes,
                                   format_time, retrieve)
from qcdesk.core.retrieval_names import condition_from_text
from qcdesk.ui import panel_state
from qcdesk.ui.panel_feature import PanelFeature

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices

ID_ROLE = Qt.ItemDataRole.UserRole + 1
HTML_ROLE = Qt.ItemDataRole.UserRole + 2
DEBOUNCE_MS = 250
#: context shown in the list, at most this many characters each side (the quote is never cut)
SHOWN_CONTEXT = 300
MODES = [("Any of the codes", "or"), ("All of them (overlap)", "and"), ("Without…", "not")]
CONTEXTS = [("Whole speaker turn", None), ("100 characters", 100), ("300 characters", 300)]
TEXT_COLUMN = 4
CODES_COLUMN = 3


def _clip(text: str, keep: int, from_end: bool) -> str:
    text = " ".join(text.split())
    if len(text) <= keep:
        return text
    return "…" + text[-keep:] if from_end else text[:keep] + "…"


def result_html(result: Result) -> str:
    """The passage with the segment in bold and its context in grey."""
    before = html.escape(_clip(result.before, SHOWN_CONTEXT, from_end=True))
    after = html.escape(_clip(result.after, SHOWN_CONTEXT, from_end=False))
    quote = html.escape(" ".join(result.text.split()))
    space_before = " " if result.before[-1:].isspace() else ""
    space_after = " " if result.after[:1].isspace() else ""
    return (f"<span style='color:#666'>{before}{space_before}</span><b>{quote}</b>"
            f"<span style='color:#666'>{space_after}{after}</span>")


class PassageDelegate(QStyledItemDelegate):
    """Paints the text column as rich text, wrapped to the column's width."""

    def _document(self, option: QStyleOptionViewItem, index: QModelIndex, width: int) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setDocumentMargin(2)
        doc.setHtml(index.data(HTML_ROLE) or "")
        doc.setTextWidth(max(50, width))
        return doc

    def paint(self, painter, option, index) -> None:  # noqa: D401 - Qt override
        if index.data(HTML_ROLE) is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._document(opt, index, opt.rect.width())
        context = QAbstractTextDocumentLayout.PaintContext()
        if opt.state & QStyle.StateFlag.State_Selected:
            context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(QPalette.ColorRole.HighlightedText))
        painter.save()
        painter.translate(opt.rect.topLeft())
        painter.setClipRect(QRect(0, 0, opt.rect.width(), opt.rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option, index) -> QSize:  # noqa: N802
        if index.data(HTML_ROLE) is None:
            return super().sizeHint(option, index)
        view = option.widget
        width = view.columnWidth(index.column()) if view is not None else 400
        doc = self._document(option, index, width)
        return QSize(width, int(doc.size().height()) + 2)


class RetrievalPanel(QWidget):
    def __init__(self, window: "WindowServices"):
        super().__init__()
        self.window = window
        self.setObjectName("retrievalPanel")
        self.results: list[Result] = []
        self._dirty = False
        self._loading = False
        self._code_names: dict[int, str] = {}
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self._due)
        self._build()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        self.code_filter = QLineEdit()
        self.code_filter.setPlaceholderText("Filter codes…")
        self.code_filter.setClearButtonEnabled(True)
        self.code_filter.textChanged.connect(self._filter_codes)
        self.codes = QTreeWidget()
        self.codes.setObjectName("retrievalCodes")
        self.codes.setHeaderLabels(["Code", "Without"])
        self.codes.setColumnHidden(1, True)
        self.codes.setUniformRowHeights(True)
        self.codes.itemChanged.connect(lambda *_: self._changed())
        self.include_sub = QCheckBox("Include sub-codes")
        self.include_sub.setChecked(True)
        self.include_sub.toggled.connect(self._changed)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.code_filter)
        left_layout.addWidget(self.codes, 1)
        left_layout.addWidget(self.include_sub)

        self.mode = self._combo("retrievalMode", MODES)
        self.mode.currentIndexChanged.connect(self._mode_changed)
        self.document = self._combo("retrievalDocument")
        self.case = self._combo("retrievalCase")
        self.attribute = self._combo("retrievalAttribute")
        self.attribute.currentIndexChanged.connect(self._attribute_changed)
        self.value = QComboBox()
        self.value.setObjectName("retrievalValue")
        self.value.setEditable(True)
        self.value.setToolTip("A value, or a range LOW..HIGH for numbers and dates (YYYY-MM-DD)")
        self.value.currentTextChanged.connect(self._changed)
        self.speaker = self._combo("retrievalSpeaker")
        self.coder = self._combo("retrievalCoder")
        self.set_filter = self._combo("retrievalSet")
        self.set_filter.setToolTip("Only documents in this document set")
        self.context = self._combo("retrievalContext", CONTEXTS)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        for col, (label, widget) in enumerate([("Codes:", self.mode), ("Document:", self.document),
                                               ("Case:", self.case), ("Speaker:", self.speaker)]):
            grid.addWidget(QLabel(label), 0, 2 * col)
            grid.addWidget(widget, 0, 2 * col + 1)
        attribute_box = QHBoxLayout()
        attribute_box.addWidget(self.attribute, 1)
        attribute_box.addWidget(QLabel("="))
        attribute_box.addWidget(self.value, 1)
        for col, (label, widget) in enumerate([("Attribute:", attribute_box), ("Coder:", self.coder),
                                               ("Set:", self.set_filter), ("Context:", self.context)]):
            grid.addWidget(QLabel(label), 1, 2 * col)
            if isinstance(widget, QHBoxLayout):
                grid.addLayout(widget, 1, 2 * col + 1)
            else:
                grid.addWidget(widget, 1, 2 * col + 1)

        self.summary = QLabel("Tick one or more codes.")
        self.summary.setObjectName("retrievalSummary")
        self.copy_button = QPushButton("Copy as quotes")
        self.copy_button.setObjectName("copyQuotes")
        self.copy_button.setToolTip("Copy the selected passages (all, if none is selected) as quotes "
                                    "with speaker, document, paragraph and time")
        self.copy_button.clicked.connect(lambda: self.copy_quotes())
        self.copy_action = QAction("Copy as quotes", self)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.copy_action.triggered.connect(lambda: self.copy_quotes())
        self.list = QTreeWidget()
        self.list.setObjectName("retrievalResults")
        self.list.setHeaderLabels(["Document", "Speaker", "¶ / time", "Codes", "Passage"])
        self.list.setRootIsDecorated(False)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setItemDelegateForColumn(TEXT_COLUMN, PassageDelegate(self.list))
        self.list.header().setStretchLastSection(True)
        self.list.header().sectionResized.connect(lambda *_: self.list.doItemsLayout())
        self.list.itemDoubleClicked.connect(self._jump)
        self.list.itemActivated.connect(self._jump)
        self.list.addAction(self.copy_action)

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.copy_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(grid)
        right_layout.addLayout(top)
        right_layout.addWidget(self.list, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([220, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)

    def _combo(self, name: str, items: list[tuple[str, object]] | None = None) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(10)
        for text, data in items or []:
            combo.addItem(text, data)
        combo.currentIndexChanged.connect(self._changed)
        return combo

    # ------------------------------------------------------------------ project
    def set_project(self, project) -> None:
        self.results = []
        self.list.clear()
        # the choices and results: now if shown, else when first shown (issue 19: open at scale)
        panel_state.when_shown(self, "project", self._load_and_refresh)

    def _load_and_refresh(self) -> None:
        self.load_choices()
        self.refresh()

    def on_changes(self, changes: Changes) -> None:
        if (changes.codebook or changes.codings or changes.codes or changes.cases or changes.attributes
                or changes.document_list or changes.documents or changes.coders or changes.sets):
            self._dirty = True  # the filter lists are reloaded too
            if not panel_state.is_pending(self, "project"):  # else that reload shows the changes too
                panel_state.when_shown(self, "changes", self.timer.start)

    def _due(self) -> None:
        """The debounce is over: refresh if on screen, else wait to be shown."""
        panel_state.when_shown(self, "changes", self.refresh)

    def load_choices(self) -> None:
        """Fill the code tree and the filter lists, keeping what was chosen where it still exists."""
        project = self.window.project
        ticked, excluded = self.checked_codes(0), self.checked_codes(1)
        kept = {combo: combo.currentData() for combo in (self.document, self.case, self.attribute,
                                                         self.speaker, self.coder, self.set_filter)}
        self._loading = True
        try:
            self.codes.clear()
            self._code_names = {}
            items: dict[int, QTreeWidgetItem] = {}
            for code, _level in (project.codes_in_tree_order() if project else []):
                parent = items.get(code.parent_id)
                item = QTreeWidgetItem(parent) if parent is not None else QTreeWidgetItem(self.codes)
                item.setText(0, code.name)
                item.setData(0, ID_ROLE, code.id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Checked if code.id in ticked else Qt.CheckState.Unchecked)
                item.setCheckState(1, Qt.CheckState.Checked if code.id in excluded else Qt.CheckState.Unchecked)
                items[code.id] = item
                self._code_names[code.id] = code.name
            self.codes.expandAll()
            self.codes.resizeColumnToContents(0)
            choices = filter_choices(project) if project else None
            self._fill(self.document, "All documents", choices.documents if choices else [])
            self._fill(self.case, "All cases", choices.cases if choices else [])
            self._fill(self.attribute, "Any attribute", choices.attributes if choices else [])
            self._fill(self.speaker, "All speakers", [(s, s) for s in choices.speakers] if choices else [])
            self._fill(self.coder, "All coders", choices.coders if choices else [])
            self._fill(self.set_filter, "All documents", choices.sets if choices else [])
            for combo, data in kept.items():
                found = combo.findData(data)
                combo.setCurrentIndex(max(0, found))
            self._attribute_changed(keep=True)
            self._filter_codes(self.code_filter.text())
        finally:
            self._loading = False

    @staticmethod
    def _fill(combo: QComboBox, everything: str, items) -> None:
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for data, text in items:
            combo.addItem(text, data)
        combo.blockSignals(False)

    # ------------------------------------------------------------------ choosing
    def checked_codes(self, column: int = 0) -> list[int]:
        out = []
        it = QTreeWidgetItemIterator(self.codes)
        while it.value():
            item = it.value()
            if item.checkState(column) == Qt.CheckState.Checked:
                out.append(item.data(0, ID_ROLE))
            it += 1
        return out

    def code_item(self, code_id: int) -> QTreeWidgetItem | None:
        it = QTreeWidgetItemIterator(self.codes)
        while it.value():
            if it.value().data(0, ID_ROLE) == code_id:
                return it.value()
            it += 1
        return None

    def _filter_codes(self, text: str) -> None:
        needle = text.strip().casefold()

        def visit(item: QTreeWidgetItem) -> bool:
            shown = [visit(item.child(i)) for i in range(item.childCount())]
            match = not needle or needle in item.text(0).casefold() or any(shown)
            item.setHidden(not match)
            return match

        for i in range(self.codes.topLevelItemCount()):
            visit(self.codes.topLevelItem(i))

    def _mode_changed(self) -> None:
        self.codes.setColumnHidden(1, self.mode.currentData() != "not")
        self._changed()

    def _attribute_changed(self, *_args, keep: bool = False) -> None:
        attribute, project = self.attribute.currentData(), self.window.project
        previous = self.value.currentText()
        self.value.blockSignals(True)
        self.value.clear()
        if attribute is not None and project is not None:
            self.value.addItems(attribute_values(project, attribute))
            if keep and previous:
                self.value.setCurrentText(previous)
        self.value.setEnabled(attribute is not None)
        self.value.blockSignals(False)
        if not keep:
            self._changed()

    def _changed(self, *_args) -> None:
        if not self._loading:
            self.timer.start()

    def query(self) -> Query | None:
        """The query the controls describe, or None while no code is ticked."""
        codes = self.checked_codes(0)
        if not codes:
            return None
        mode = self.mode.currentData()
        pick = lambda combo: [combo.currentData()] if combo.currentData() is not None else []  # noqa: E731
        attributes = []
        if self.attribute.currentData() is not None and self.value.currentText().strip():
            attributes = [condition_from_text(self.attribute.currentData(), self.value.currentText())]
        return Query(codes, mode=mode, exclude_codes=self.checked_codes(1) if mode == "not" else [],
                     include_subcodes=self.include_sub.isChecked(), documents=pick(self.document),
                     cases=pick(self.case), attributes=attributes, speakers=pick(self.speaker),
                     coders=pick(self.coder), context_chars=self.context.currentData(),
                     sets=pick(self.set_filter))

    def set_query(self, query: Query) -> None:
        """Show the segments of ``query`` (from a matrix cell): codes, mode, case and attribute
        value are set on the controls; the other filters are cleared."""
        self._loading = True
        try:
            wanted, excluded = set(query.codes), set(query.exclude_codes)
            it = QTreeWidgetItemIterator(self.codes)
            while it.value():
                item = it.value()
                code_id = item.data(0, ID_ROLE)
                item.setCheckState(0, Qt.CheckState.Checked if code_id in wanted else Qt.CheckState.Unchecked)
                item.setCheckState(1, Qt.CheckState.Checked if code_id in excluded else Qt.CheckState.Unchecked)
                it += 1
            self.mode.setCurrentIndex(next(i for i, (_t, m) in enumerate(MODES) if m == query.mode))
            self.include_sub.setChecked(query.include_subcodes)
            for combo, values in ((self.document, query.documents), (self.case, query.cases),
                                  (self.speaker, query.speakers), (self.coder, query.coders),
                                  (self.set_filter, query.sets)):
                combo.setCurrentIndex(max(0, combo.findData(values[0])) if values else 0)
            condition = query.attributes[0] if query.attributes else None
            self.attribute.setCurrentIndex(max(0, self.attribute.findData(condition.attribute_id))
                                           if condition else 0)
            self._attribute_changed(keep=True)
            if condition is not None:
                self.value.setCurrentText(condition.value or "")
        finally:
            self._loading = False
        self.refresh()

    # ------------------------------------------------------------------ results
    def refresh(self) -> None:
        self.timer.stop()
        if self._dirty:
            self._dirty = False
            self.load_choices()
        self.list.clear()
        self.results = []
        project, query = self.window.project, self.query()
        if project is None or query is None:
            self.summary.setText("Tick one or more codes." if project else "Open a project first.")
            self.copy_button.setEnabled(False)
            return
        if query.mode == "not" and not query.exclude_codes:
            self.summary.setText("Tick the codes to leave out in the “Without” column.")
            self.copy_button.setEnabled(False)
            return
        try:
            self.results = retrieve(project, query)
        except QcdeskError as exc:
            self.summary.setText(str(exc))
            self.copy_button.setEnabled(False)
            return
        items = []
        for i, result in enumerate(self.results):
            where = " · ".join(p for p in (f"¶{result.paragraph}" if result.paragraph else "",
                                           format_time(result.time_start)) if p)
            codes = ", ".join(self._code_names.get(c, "") for c in result.code_ids)
            item = QTreeWidgetItem([result.document_name, result.speaker or "", where, codes, ""])
            item.setToolTip(CODES_COLUMN, codes)
            item.setData(0, ID_ROLE, i)
            item.setData(TEXT_COLUMN, HTML_ROLE, result_html(result))
            tip = ", ".join(self._code_names.get(c, "") for c in result.code_ids)
            if result.coders:
                tip += f" ({coded_by(result.coders)})"
            item.setToolTip(TEXT_COLUMN, tip)
            items.append(item)
        self.list.addTopLevelItems(items)
        for col in range(TEXT_COLUMN):
            self.list.resizeColumnToContents(col)
        if self.list.columnWidth(CODES_COLUMN) > 220:  # many codes: the passage keeps its room
            self.list.setColumnWidth(CODES_COLUMN, 220)
        documents = len({r.document_id for r in self.results})
        n = len(self.results)
        self.summary.setText(f"{n} passage{'s' * (n != 1)} in {documents} document{'s' * (documents != 1)}")
        self.copy_button.setEnabled(bool(self.results))

    def selected_results(self) -> list[Result]:
        rows = sorted(item.data(0, ID_ROLE) for item in self.list.selectedItems())
        return [self.results[i] for i in rows]

    def copy_quotes(self, style: str = "inline") -> str:
        chosen = self.selected_results() or self.results
        text = format_quotes(chosen, style)
        if chosen:
            QApplication.clipboard().setText(text)
            self.window.statusBar().showMessage(
                f"Copied {len(chosen)} quote{'s' * (len(chosen) != 1)} to the clipboard.", 5000)
        return text

    def _jump(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        result = self.results[item.data(0, ID_ROLE)]
        self.window.jump_to(result.document_id, result.start, result.end)


class RetrievalFeature(PanelFeature):
    """Analysis › Retrieve coded segments."""

    def __init__(self, window: "WindowServices"):
        super().__init__(window, RetrievalPanel(window), title="Retrieve segments",
                         dock_name="retrievalDock", action_text="&Retrieve coded segments…",
                         action_name="actionRetrieve", shortcut="Ctrl+Shift+R",
                         tip="Find passages by code combinations, cases, attributes and speakers")



def install(window: "WindowServices") -> RetrievalFeature:
    return RetrievalFeature(window)
