"""File › Export report…: choose the report, what it covers and the file format, with a live preview.

The dialog only gathers :class:`~qcdesk.core.reports.ReportOptions`; the export itself
runs in :class:`~qcdesk.ui.import_flow.ExportFlow`'s worker. The preview line counts
what the chosen options include ("3 documents, 412 segments under 27 codes") from the
window's own connection, so a researcher sees an empty selection before writing a file.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
    QListWidget, QListWidgetItem, QVBoxLayout, QWidget,
)

from qcdesk.core import matrices
from qcdesk.core.reports import REPORT_KINDS, TABLE_KINDS, FORMATS, ReportOptions, formats_for
from qcdesk.core.reports.structure import plural

GROUPINGS = {"code": "By code (nested headings)", "theme": "By theme (top-level code, sub-code sub-headings)"}
MATRIX_NAMES = {None: "All matrices", "code-case": "Code × case", "code-attribute": "Code × attribute",
                "cooccurrence": "Code co-occurrence"}
#: report kinds for which each option means something
USES = {
    "grouping": {"segments-by-code"},
    "memos": {"segments-by-code", "coded-transcript"},
    "charts": {"matrices"},
    "matrix": {"matrices"},
    "filters": {"segments-by-code", "coded-transcript", "codebook"},
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


class ExportDialog(QDialog):
    def __init__(self, project, kind: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.project = project
        self.setWindowTitle("Export report")
        self.setObjectName("exportDialog")
        self._counts = project.counts_by_code_and_document()

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

        self.codes = CheckList([(c.id, c.name, depth) for c, depth in project.codes_in_tree_order()])
        self.documents = CheckList([(d.id, d.name, 0) for d in project.documents()])
        self.coders = CheckList([(c.id, c.name, 0) for c in project.coders()])
        from qcdesk.core import cases as case_ops

        self._case_docs = {c.id: set(case_ops.case_documents(project, c.id)) for c in case_ops.cases(project)}
        self.cases = CheckList([(c.id, c.name, 0) for c in case_ops.cases(project)])
        self.memos = QCheckBox("Include memos (on codings and codes)")
        self.charts = QCheckBox("Include charts (code frequencies, saturation curve)")
        self.charts.setChecked(True)
        self.pseudonymised = QCheckBox("Only documents marked as pseudonymised")
        self.preview = QLabel()
        self.preview.setObjectName("exportPreview")
        self.preview.setWordWrap(True)

        form = QFormLayout()
        form.addRow("Report:", self.kind_box)
        form.addRow("Grouping:", self.grouping)
        form.addRow("Matrix:", self.matrix_box)
        form.addRow("Format:", self.format_box)
        self.filters = QGroupBox("Include")
        grid = QHBoxLayout(self.filters)
        for title, widget in (("Codes", self.codes), ("Documents", self.documents),
                              ("Cases", self.cases), ("Coders", self.coders)):
            column = QVBoxLayout()
            column.addWidget(QLabel(title))
            column.addWidget(widget)
            grid.addLayout(column)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = buttons.addButton("Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.filters)
        for box in (self.memos, self.charts, self.pseudonymised):
            layout.addWidget(box)
        layout.addWidget(self.preview)
        layout.addWidget(buttons)

        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        for box in (self.grouping, self.matrix_box, self.format_box):
            box.currentIndexChanged.connect(self.refresh)
        for lst in (self.codes, self.documents, self.coders, self.cases):
            lst.itemChanged.connect(self.refresh)
        for box in (self.memos, self.charts, self.pseudonymised):
            box.toggled.connect(self.refresh)
        if kind in REPORT_KINDS:
            self.kind_box.setCurrentIndex(list(REPORT_KINDS).index(kind))
        self._kind_changed()

    # ------------------------------------------------------------ what the user chose
    def kind(self) -> str:
        return self.kind_box.currentData()

    def suffix(self) -> str:
        return self.format_box.currentData() or ".docx"

    def options(self) -> ReportOptions:
        kind = self.kind()
        docs = self.documents.chosen()
        chosen_cases = self.cases.chosen()
        if chosen_cases is not None:
            in_cases = set().union(*(self._case_docs.get(c, set()) for c in chosen_cases))
            all_docs = [i.data(Qt.ItemDataRole.UserRole) for i in self.documents.items()]
            docs = [d for d in (docs if docs is not None else all_docs) if d in in_cases]
        matrix = self.matrix_box.currentData()
        return ReportOptions(
            code_ids=self.codes.chosen(), document_ids=docs, coder_ids=self.coders.chosen(),
            include_memos=self.memos.isChecked() and kind in USES["memos"],
            group_by=self.grouping.currentData() if kind in USES["grouping"] else "code",
            pseudonymised_only=self.pseudonymised.isChecked(),
            include_charts=self.charts.isChecked(),
            matrices=[matrix] if matrix else None,
        )

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
        self.filters.setEnabled(kind in USES["filters"])
        self.refresh()

    def preview_text(self) -> str:
        return self.preview.text()

    def refresh(self) -> None:
        """Count what the options include; warn when nothing is, and keep Export off then."""
        kind, options = self.kind(), self.options()
        problem = ""
        if kind in TABLE_KINDS:
            text = self._table_preview(kind, options)
            if self.suffix() != ".docx" and kind == "matrices" and self.matrix_box.currentData() is None:
                problem = "A spreadsheet holds one matrix: choose one above, or export to Word."
        else:
            text, empty = self._segment_preview(options)
            if empty:
                problem = "Nothing to export with these choices."
        self.preview.setText(text + (f"\n{problem}" if problem else ""))
        self.export_button.setEnabled(not problem)

    def _documents(self, options: ReportOptions) -> set[int]:
        docs = {i.data(Qt.ItemDataRole.UserRole) for i in self.documents.items()}
        if options.document_ids is not None:
            docs &= set(options.document_ids)
        if options.pseudonymised_only:
            from qcdesk.core.storage.reports import pseudonymised_documents

            docs &= pseudonymised_documents(self.project.db)
        return docs

    def _codes(self, options: ReportOptions) -> set[int]:
        """The chosen codes and their sub-codes (a report brings sub-codes along)."""
        tree = self.project.codes_in_tree_order()
        if options.code_ids is None:
            return {c.id for c, _ in tree}
        keep = set(options.code_ids)
        for code, _ in tree:  # parents come first
            if code.parent_id in keep:
                keep.add(code.id)
        return keep

    def _segment_preview(self, options: ReportOptions) -> tuple[str, bool]:
        docs, codes = self._documents(options), self._codes(options)
        if options.coder_ids is None:
            per_code = Counter()
            for (code_id, doc_id), n in self._counts.items():
                if doc_id in docs and code_id in codes:
                    per_code[code_id] += n
        else:
            coders = set(options.coder_ids)
            per_code = Counter(c.code_id for c in self.project.codings_for_codes(sorted(codes))
                               if c.document_id in docs and c.coder_id in coders)
        segments = sum(per_code.values())
        text = (f"{plural(len(docs), 'document')}, {plural(segments, 'segment')} under "
                f"{plural(len([c for c in per_code if per_code[c]]), 'code')}")
        return text, not docs or (segments == 0 and self.kind() != "codebook")

    def _table_preview(self, kind: str, options: ReportOptions) -> str:
        from qcdesk.core import attributes, cases

        n_cases, n_attrs = len(cases.cases(self.project)), len(attributes.attributes(self.project))
        if kind == "attributes":
            return f"{plural(n_cases, 'case')} described by {plural(n_attrs, 'attribute')}"
        wanted = options.matrices or list(matrices.KINDS)
        n = sum(n_attrs if k == "code-attribute" else 1 for k in wanted)
        charts = " and 2 charts" if options.include_charts and self.suffix() == ".docx" else ""
        return (f"{plural(n, 'matrix', 'matrices')}{charts} over "
                f"{plural(len(self.project.codes()), 'code')} and {plural(n_cases, 'case')}")
