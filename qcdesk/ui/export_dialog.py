"""File › Export report…: choose the report, what it covers and the file format, with a live preview.

The dialog only gathers :class:`~qcdesk.core.reports.ReportOptions`; the export itself
runs in :class:`~qcdesk.ui.import_flow.ExportFlow`'s worker. The preview line counts
what the chosen options include ("3 documents, 412 segments under 27 codes") from the
window's own connection, so a researcher sees an empty selection before writing a file.
It counts with the reports' own selection (:func:`~qcdesk.core.reports.selection.select`,
:func:`~qcdesk.core.reports.selection.segment_counts`), so the numbers are those of the file.

The case, attribute-value, speaker and coder lists filter as the retrieval panel does: a case
is its documents plus its speakers' turns; ticked values of one attribute mean any of them.
Document sets start unticked (no condition); ticking some keeps the documents in any of them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout, QGroupBox, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QSpinBox, QVBoxLayout, QWidget,
)

from qcdesk.core import matrices, retrieval
from qcdesk.core.errors import QcdeskError
from qcdesk.core.reports import REPORT_KINDS, TABLE_KINDS, FORMATS, ReportOptions, formats_for
from qcdesk.core.reports.selection import segment_counts, select
from qcdesk.core.reports.structure import plural

#: report languages offered (any BCP 47 tag can be typed)
LANGUAGES = ["en-GB", "en-US", "de-DE", "fr-FR", "es-ES", "it-IT", "nl-NL", "pt-PT", "sv-SE", "da-DK",
             "pl-PL", "ar", "he-IL", "ja-JP", "zh-CN"]
GROUPINGS = {"code": "By code (nested headings)", "theme": "By theme (top-level code, sub-code sub-headings)"}
MATRIX_NAMES = {None: "All matrices", "code-case": "Code × case", "code-attribute": "Code × attribute",
                "code-set": "Code × document set", "cooccurrence": "Code co-occurrence"}
#: report kinds for which each option means something
USES = {
    "grouping": {"segments-by-code"},
    "memos": {"segments-by-code", "coded-transcript"},
    "quotes": {"segments-by-code", "framework"},
    "uncoded": {"coded-transcript"},
    "charts": {"matrices"},
    "matrix": {"matrices"},
    "filters": {"segments-by-code", "coded-transcript", "codebook", "matrices", "attributes", "framework", "memos"},
    #: filters on codings: a list of participants cannot honour them
    "coding filters": {"segments-by-code", "coded-transcript", "codebook", "matrices", "framework", "memos"},
    "sets": {"segments-by-code", "coded-transcript", "codebook", "matrices", "attributes", "framework", "memos"},
    "levels": {"matrices"},
    "bins": {"attributes"},
}


class CheckList(QListWidget):
    """A list of checkable items, all checked at first; ``chosen()`` is None when all are."""

    def __init__(self, items: list[tuple[object, str, int]], parent: QWidget | None = None):
        super().__init__(parent)
        for key, label, indent in items:
            item = QListWidgetItem("    " * indent + label)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.addItem(item)
        self.setMaximumHeight(110)

    def items(self) -> list[QListWidgetItem]:
        return [self.item(i) for i in range(self.count())]

    def chosen(self) -> list | None:
        items = self.items()
        keys = [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]
        return None if len(keys) == len(items) else keys

    def set_chosen(self, keys) -> None:
        for item in self.items():
            on = keys is None or item.data(Qt.ItemDataRole.UserRole) in keys
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


class SetList(CheckList):
    """Document sets, all unticked at first; ``chosen()`` is None while none is ticked (no condition)."""

    def __init__(self, items: list[tuple[object, str, int]], parent: QWidget | None = None):
        super().__init__(items, parent)
        for item in self.items():
            item.setCheckState(Qt.CheckState.Unchecked)

    def chosen(self) -> list | None:
        keys = [i.data(Qt.ItemDataRole.UserRole) for i in self.items() if i.checkState() == Qt.CheckState.Checked]
        return keys or None


class ExportDialog(QDialog):
    def __init__(self, project, kind: str | None = None, parent: QWidget | None = None,
                 remembered: dict | None = None):
        super().__init__(parent)
        self.project = project
        self.setWindowTitle("Export report")
        self.setObjectName("exportDialog")

        self.kind_box = QComboBox()
        for key, title in REPORT_KINDS.items():
            self.kind_box.addItem(title, key)
        self.grouping = QComboBox()
        for key, label in GROUPINGS.items():
            self.grouping.addItem(label, key)
        self.matrix_box = QComboBox()
        for key, label in MATRIX_NAMES.items():
            self.matrix_box.addItem(label, key)
        self.format_box = QComboBox()
        self.levels = QSpinBox()
        self.levels.setObjectName("exportLevels")
        self.levels.setRange(0, 20)
        self.levels.setSpecialValueText("All (as many as fit)")
        self.levels.setSuffix(" level(s)")
        self.levels.setToolTip("Matrices: codes down to this level of the codebook (1: top-level codes only)")
        self.bins = QLineEdit()
        self.bins.setObjectName("exportBins")
        self.bins.setPlaceholderText("one row per value; or 5 bins, or edges 20,30,40")
        self.bins.setToolTip("Participants: group number attributes into this many equal bins, or at these edges")

        self.codes = CheckList([(c.id, c.name, depth) for c, depth in project.codes_in_tree_order()])
        self.documents = CheckList([(d.id, d.name, 0) for d in project.documents()])
        self.coders = CheckList([(c.id, c.name, 0) for c in project.coders()])
        choices = retrieval.filter_choices(project)
        self.cases = CheckList([(cid, name, 0) for cid, name in choices.cases])
        self.attribute_values = CheckList([
            ((aid, value), f"{name} = {value}", 0)
            for aid, name in choices.attributes for value in retrieval.attribute_values(project, aid)])
        self.speakers = CheckList([(s, s, 0) for s in choices.speakers])
        self.sets = SetList([(sid, name, 0) for sid, name in choices.sets])
        self.sets.setObjectName("exportSets")
        self.memos = QCheckBox("Include memos (on codings and codes)")
        self.charts = QCheckBox("Include charts (code frequencies, saturation curve)")
        self.charts.setChecked(True)
        self.pseudonymised = QCheckBox("Only documents marked as pseudonymised")
        self.language = QComboBox()
        self.language.setEditable(True)
        self.language.addItems(LANGUAGES)
        self.language.setObjectName("exportLanguage")
        self.title_edit, self.subtitle_edit, self.header_edit, self.footer_edit = (
            QLineEdit() for _ in range(4))
        self.title_edit.setPlaceholderText("the report kind's title")
        self.subtitle_edit.setPlaceholderText("the project file's name")
        self.cite_box = QComboBox()
        self.cite_box.addItem("Document name", "document")
        self.cite_box.addItem("Case (participant) and attributes", "case")
        self.cite_attributes = CheckList([(a.id, a.name, 0) for a in project.attributes.all()])
        self.cite_attributes.set_chosen([])
        self.quotation_marks = QCheckBox("Quotes between quotation marks")
        self.contents = QCheckBox("Table of contents")
        self.contents.setChecked(True)
        self.uncoded = QCheckBox("Include documents without codings")
        self.uncoded.setChecked(True)
        self.preview = QLabel()
        self.preview.setObjectName("exportPreview")
        self.preview.setWordWrap(True)

        form = QFormLayout()
        form.addRow("Report:", self.kind_box)
        form.addRow("Grouping:", self.grouping)
        form.addRow("Matrix:", self.matrix_box)
        form.addRow("Format:", self.format_box)
        form.addRow("Language:", self.language)
        form.addRow("Title:", self.title_edit)
        form.addRow("Subtitle:", self.subtitle_edit)
        form.addRow("Header text:", self.header_edit)
        form.addRow("Footer text:", self.footer_edit)
        form.addRow("Quotes cite:", self.cite_box)
        form.addRow("Cite attributes:", self.cite_attributes)
        form.addRow("Code levels:", self.levels)
        form.addRow("Number bins:", self.bins)
        self.filters = QGroupBox("Include")
        grid = QGridLayout(self.filters)
        for n, (title, widget) in enumerate((
                ("Codes", self.codes), ("Documents", self.documents), ("Cases", self.cases),
                ("Attribute values", self.attribute_values), ("Speakers", self.speakers),
                ("Coders", self.coders))):
            cell = QVBoxLayout()
            cell.setSpacing(2)
            cell.addWidget(QLabel(title))
            cell.addWidget(widget)
            cell.addStretch(1)
            grid.addLayout(cell, n // 3, n % 3)
        self.sets_box = QGroupBox("Only documents in the document sets ticked (any of them)")
        sets_layout = QVBoxLayout(self.sets_box)
        sets_layout.addWidget(self.sets)
        self.sets_box.setVisible(bool(choices.sets))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.filters)
        layout.addWidget(self.sets_box)
        for box in (self.memos, self.charts, self.pseudonymised, self.quotation_marks, self.contents,
                    self.uncoded):
            layout.addWidget(box)
        layout.addWidget(self.preview)
        layout.addWidget(buttons)

        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        for box in (self.grouping, self.matrix_box, self.format_box):
            box.currentIndexChanged.connect(self.refresh)
        self.levels.valueChanged.connect(self.refresh)
        self.bins.textChanged.connect(self.refresh)
        for lst in (self.codes, self.documents, self.coders, self.cases, self.attribute_values, self.speakers,
                    self.sets):
            lst.itemChanged.connect(self.refresh)
        for box in (self.memos, self.charts, self.pseudonymised):
            box.toggled.connect(self.refresh)
        remembered = remembered or {}
        if kind not in REPORT_KINDS:
            kind = remembered.get("kind")
        if kind in REPORT_KINDS:
            self.kind_box.setCurrentIndex(list(REPORT_KINDS).index(kind))
        self._kind_changed()
        self._restore(remembered)

    # ------------------------------------------------------------ remembered per project
    def remembered_options(self) -> dict:
        """The choices worth offering again for this project (not the ticked codes or documents,
        which change as the project grows)."""
        return {"kind": self.kind(), "format": self.suffix(), "grouping": self.grouping.currentData(),
                "matrix": self.matrix_box.currentData(), "memos": self.memos.isChecked(),
                "charts": self.charts.isChecked(), "pseudonymised": self.pseudonymised.isChecked()}

    def _restore(self, remembered: dict) -> None:
        for box, key in ((self.grouping, "grouping"), (self.matrix_box, "matrix")):
            index = box.findData(remembered.get(key))
            if key in remembered and index >= 0:
                box.setCurrentIndex(index)
        if remembered.get("kind") == self.kind():  # a format belongs to the kind it was chosen for
            index = self.format_box.findData(remembered.get("format"))
            if index >= 0:
                self.format_box.setCurrentIndex(index)
        for box, key in ((self.memos, "memos"), (self.charts, "charts"), (self.pseudonymised, "pseudonymised")):
            if isinstance(remembered.get(key), bool):
                box.setChecked(remembered[key])

    # ------------------------------------------------------------ what the user chose
    def kind(self) -> str:
        return self.kind_box.currentData()

    def suffix(self) -> str:
        return self.format_box.currentData() or ".docx"

    def options(self) -> ReportOptions:
        kind = self.kind()
        matrix = self.matrix_box.currentData()
        filters = kind in USES["filters"]
        on_codings = kind in USES["coding filters"]
        return ReportOptions(
            code_ids=self.codes.chosen() if on_codings else None,
            document_ids=self.documents.chosen() if filters else None,
            coder_ids=self.coders.chosen() if on_codings else None,
            case_ids=self.cases.chosen() if filters else None,
            attribute_values=self._attribute_values() if filters else None,
            speakers=self.speakers.chosen() if on_codings else None,
            max_level=(self.levels.value() or None) if kind in USES["levels"] else None,
            bins=self._bins() if kind in USES["bins"] else None,
            include_memos=self.memos.isChecked() and kind in USES["memos"],
            group_by=self.grouping.currentData() if kind in USES["grouping"] else "code",
            pseudonymised_only=self.pseudonymised.isChecked(),
            include_charts=self.charts.isChecked(),
            matrices=[matrix] if matrix else None,
            set_ids=self.sets.chosen() if kind in USES["sets"] else None,
            language=self.language.currentText().strip(),
            title=self.title_edit.text().strip() or None,
            subtitle=self.subtitle_edit.text().strip() or None,
            header_text=self.header_edit.text().strip(), footer_text=self.footer_edit.text().strip(),
            include_contents=self.contents.isChecked(),
            quotation_marks=self.quotation_marks.isChecked() and kind in USES["quotes"],
            cite_by=self.cite_box.currentData() if kind in USES["quotes"] else "document",
            cite_attribute_ids=[i.data(Qt.ItemDataRole.UserRole) for i in self.cite_attributes.items()
                                if i.checkState() == Qt.CheckState.Checked],
            include_uncoded_documents=self.uncoded.isChecked() or kind not in USES["uncoded"],
        )

    def _bins(self) -> int | list[float] | None:
        """The bins typed: a number of bins, or edges; None when empty or not understood."""
        text = self.bins.text().strip()
        if not text:
            return None
        try:
            if "," not in text:
                return int(text)
            return [float(part) for part in text.split(",") if part.strip()]
        except ValueError:
            return None

    def _attribute_values(self) -> list[tuple[int, str]] | None:
        """(attribute, value) pairs for the attributes with some values unticked; an attribute
        with every value ticked sets no condition (its cases without a value stay in), one
        with none ticked leaves nothing."""
        by_attribute: dict[int, list[tuple[str, bool]]] = {}
        for item in self.attribute_values.items():
            aid, value = item.data(Qt.ItemDataRole.UserRole)
            by_attribute.setdefault(aid, []).append((value, item.checkState() == Qt.CheckState.Checked))
        pairs: list[tuple[int, str]] = []
        for aid, values in by_attribute.items():
            ticked = [value for value, on in values if on]
            if not ticked:
                return []
            if len(ticked) < len(values):
                pairs += [(aid, value) for value in ticked]
        return pairs or None

    # ------------------------------------------------------------ keeping the form consistent
    def _kind_changed(self) -> None:
        kind = self.kind()
        self.format_box.blockSignals(True)
        self.format_box.clear()
        for suffix in formats_for(kind):
            self.format_box.addItem(f"{FORMATS[suffix]} ({suffix})", suffix)
        self.format_box.blockSignals(False)
        self.grouping.setEnabled(kind in USES["grouping"])
        self.memos.setEnabled(kind in USES["memos"])
        self.charts.setEnabled(kind in USES["charts"])
        self.matrix_box.setEnabled(kind in USES["matrix"])
        for widget in (self.quotation_marks, self.cite_box, self.cite_attributes):
            widget.setEnabled(kind in USES["quotes"])
        self.uncoded.setEnabled(kind in USES["uncoded"])
        self.filters.setEnabled(kind in USES["filters"])
        for widget in (self.codes, self.coders, self.speakers):
            widget.setEnabled(kind in USES["coding filters"])
        self.levels.setEnabled(kind in USES["levels"])
        self.bins.setEnabled(kind in USES["bins"])
        self.sets_box.setEnabled(kind in USES["sets"])
        self.refresh()

    def preview_text(self) -> str:
        return self.preview.text()

    def refresh(self) -> None:
        """Count what the options include; warn when nothing is, and keep Export off then."""
        kind, options = self.kind(), self.options()
        problem = ""
        if kind in TABLE_KINDS:
            text = self._table_preview(kind, options)
            if self.suffix() == ".csv" and kind == "matrices" and self.matrix_box.currentData() is None:
                problem = "A CSV file holds one matrix: choose one above, or export to Excel or Word."
            elif self.bins.text().strip() and kind in USES["bins"] and options.bins is None:
                problem = "Bins: type a number of bins (5) or edges (20,30,40)."
            else:
                try:
                    select(self.project, options)
                except QcdeskError as exc:
                    problem = str(exc)
        else:
            text, empty = self._segment_preview(options)
            if empty:
                problem = "Nothing to export with these choices."
        self.preview.setText(text + (f"\n{problem}" if problem else ""))
        self.export_button.setEnabled(not problem)

    def _segment_preview(self, options: ReportOptions) -> tuple[str, bool]:
        """What the report will hold, counted by the reports' own selection and filters."""
        try:
            selection = select(self.project, options)
        except QcdeskError as exc:
            return str(exc), True
        per_code: dict[int, int] = {}
        for (code_id, _doc), n in segment_counts(self.project, selection).items():
            per_code[code_id] = per_code.get(code_id, 0) + n
        segments = sum(per_code.values())
        docs = len(selection.documents)
        text = (f"{plural(docs, 'document')}, {plural(segments, 'segment')} under "
                f"{plural(len([c for c in per_code if per_code[c]]), 'code')}")
        return text, not docs or (segments == 0 and self.kind() != "codebook")

    def _table_preview(self, kind: str, options: ReportOptions) -> str:

        n_cases, n_attrs = len(self.project.cases.all()), len(self.project.attributes.all())
        if kind == "attributes":
            return f"{plural(n_cases, 'case')} described by {plural(n_attrs, 'attribute')}"
        has_sets = bool(self.sets.count())
        wanted = options.matrices or [k for k in matrices.KINDS if k != "code-set" or has_sets]
        n = sum(n_attrs if k == "code-attribute" else 1 for k in wanted)
        charts = " and 2 charts" if options.include_charts and self.suffix() == ".docx" else ""
        return (f"{plural(n, 'matrix', 'matrices')}{charts} over "
                f"{plural(len(self.project.codes()), 'code')} and {plural(n_cases, 'case')}")
