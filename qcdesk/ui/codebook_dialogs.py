"""Dialogs of the codebook panel: choosing a code (merge target, move destination) and editing
a code's description and criteria.

Both are plain ``QDialog`` objects that tests build, fill and accept without ``exec()``;
the panel only reads :meth:`CodePickerDialog.chosen` and :meth:`CriteriaDialog.values`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit,
    QVBoxLayout, QWidget,
)

from qcdesk.core.models import Code

#: a choice that stands for "no parent": the top level of the codebook
TOP_LEVEL = "top"
_CHOICE_ROLE = Qt.ItemDataRole.UserRole + 1


class CodePickerDialog(QDialog):
    """A filterable list of codes (shown with their path) to pick one from."""

    def __init__(self, parent: QWidget | None, title: str, label: str,
                 choices: list[tuple[object, str, str]], ok_text: str = "OK"):
        """``choices``: (value, text, tooltip); the value is what :meth:`chosen` returns."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("codePickerFilter")
        self.filter_edit.setPlaceholderText("Filter codes…")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._filter)
        self.list = QListWidget()
        self.list.setObjectName("codePickerList")
        for value, text, tip in choices:
            item = QListWidgetItem(text)
            item.setData(_CHOICE_ROLE, value)
            item.setToolTip(tip)
            self.list.addItem(item)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.list.currentItemChanged.connect(lambda *_: self._update_ok())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        prompt = QLabel(label)
        prompt.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.resize(420, 460)
        self._update_ok()

    def _filter(self, text: str) -> None:
        needle = text.strip().casefold()
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            hidden = bool(needle) and needle not in item.text().casefold()
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        current = self.list.currentItem()
        if current is None or current.isHidden():
            self.list.setCurrentItem(first)
        self._update_ok()

    def _update_ok(self) -> None:
        current = self.list.currentItem()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            current is not None and not current.isHidden())

    def choose(self, value: object) -> bool:
        """Make the entry with ``value`` current (what a click does)."""
        for i in range(self.list.count()):
            if self.list.item(i).data(_CHOICE_ROLE) == value:
                self.list.setCurrentRow(i)
                return True
        return False

    def chosen(self) -> object | None:
        current = self.list.currentItem()
        return current.data(_CHOICE_ROLE) if current is not None and not current.isHidden() else None


class CriteriaDialog(QDialog):
    """A code's definition, when to apply it, when not to, and a typical quote: plain text."""

    FIELDS = (("description", "Description", "What the code means."),
              ("inclusion", "Include when", "What must be present to apply this code."),
              ("exclusion", "Exclude when", "What looks similar but belongs elsewhere."),
              ("example", "Example", "A typical quote from the data."))

    def __init__(self, parent: QWidget | None, code: Code, path: str):
        super().__init__(parent)
        self.setWindowTitle(f"Criteria of “{code.name}”")
        self.editors: dict[str, QPlainTextEdit] = {}
        form = QFormLayout()
        for name, label, hint in self.FIELDS:
            editor = QPlainTextEdit(getattr(code, name))
            editor.setObjectName(f"criteria_{name}")
            editor.setPlaceholderText(hint)
            editor.setTabChangesFocus(True)
            editor.setMinimumHeight(60)
            self.editors[name] = editor
            form.addRow(label + ":", editor)
        heading = QLabel(path)
        heading.setObjectName("criteriaPath")
        heading.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form, 1)
        layout.addWidget(buttons)
        self.resize(520, 480)

    def values(self) -> dict[str, str]:
        return {name: editor.toPlainText() for name, editor in self.editors.items()}
