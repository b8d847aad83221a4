"""The Cases panel's dialogs: which documents are a case's, and the attribute definitions.

Both are plain QDialogs built without blocking, so tests fill them and press their
buttons; the panel opens them with ``exec()`` through one small ``_ask_*`` method.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
                               QVBoxLayout, QWidget)

from qcdesk.core.attribute_values import VALUE_TYPES
from qcdesk.core.errors import QcdeskError
from qcdesk.core.project import Project
from qcdesk.ui import dialogs

ID_ROLE = Qt.ItemDataRole.UserRole + 1
TYPE_LABELS = {"text": "Text", "number": "Number", "date": "Date", "choice": "Choice (a fixed list)"}


class LinkDocumentsDialog(QDialog):
    """Check the documents that are wholly this case's (two interviews and a diary, say)."""

    def __init__(self, project: Project, case_name: str, checked: list[int], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Documents of {case_name}")
        self.setObjectName("linkDocumentsDialog")
        self.list = QListWidget()
        self.list.setObjectName("caseDocumentList")
        for doc in project.documents():
            item = QListWidgetItem(doc.name)
            item.setData(ID_ROLE, doc.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if doc.id in checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"The documents in which <b>{case_name}</b> is the participant:"))
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(420, 380)

    def set_checked(self, document_id: int, checked: bool) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(ID_ROLE) == document_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def checked_ids(self) -> list[int]:
        return [self.list.item(i).data(ID_ROLE) for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]


class AttributesDialog(QDialog):
    """Add, rename, retype and delete attributes; each button is one action on the project.

    ``delete`` is given by the panel so deleting goes through the undo stack.
    """

    def __init__(self, project: Project, delete: Callable[[int], None], parent: QWidget | None = None):
        super().__init__(parent)
        self.project, self._delete = project, delete
        self.setWindowTitle("Case attributes")
        self.setObjectName("attributesDialog")
        self.list = QListWidget()
        self.list.setObjectName("attributeList")
        self.list.currentItemChanged.connect(self._show_current)
        self.name = QLineEdit()
        self.name.setObjectName("attributeName")
        self.name.setPlaceholderText("e.g. Gender, Role, School, Age")
        self.kind = QComboBox()
        self.kind.setObjectName("attributeType")
        for value_type in VALUE_TYPES:
            self.kind.addItem(TYPE_LABELS[value_type], value_type)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.choices = QPlainTextEdit()
        self.choices.setObjectName("attributeChoices")
        self.choices.setPlaceholderText("One choice per line, e.g.\nMentor\nMentee")
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Type:", self.kind)
        form.addRow("&Choices:", self.choices)
        self.btn_add = QPushButton("&Add as new")
        self.btn_apply = QPushButton("&Save changes")
        self.btn_delete = QPushButton("&Delete")
        for button, slot in ((self.btn_add, self.add), (self.btn_apply, self.apply), (self.btn_delete, self.delete)):
            button.setAutoDefault(False)
            button.clicked.connect(lambda _c=False, s=slot: s())
        row = QHBoxLayout()
        row.addWidget(self.btn_add)
        row.addWidget(self.btn_apply)
        row.addWidget(self.btn_delete)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addLayout(row)
        right.addWidget(QLabel("Changing the type converts the values already entered; "
                               "if any does not fit, nothing changes."))
        right.itemAt(right.count() - 1).widget().setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(body)
        layout.addWidget(close)
        self.resize(620, 360)
        self.refresh()

    def refresh(self, select: int | None = None) -> None:
        current = select if select is not None else self.current_id()
        self.list.clear()
        for attr in self.project.attributes.all():
            item = QListWidgetItem(f"{attr.name}  ({attr.value_type})")
            item.setData(ID_ROLE, attr.id)
            self.list.addItem(item)
            if attr.id == current:
                self.list.setCurrentItem(item)
        self._update_buttons()

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(ID_ROLE) if item else None

    def _show_current(self, *_args) -> None:
        attr_id = self.current_id()
        if attr_id is not None:
            attr = self.project.attributes.get(attr_id)
            self.name.setText(attr.name)
            self.kind.setCurrentIndex(VALUE_TYPES.index(attr.value_type))
            self.choices.setPlainText("\n".join(attr.choices))
        self._update_buttons()

    def _kind_changed(self, *_args) -> None:
        self.choices.setEnabled(self.kind.currentData() == "choice")

    def _update_buttons(self) -> None:
        has = self.current_id() is not None
        self.btn_apply.setEnabled(has)
        self.btn_delete.setEnabled(has)
        self._kind_changed()

    def _fields(self) -> tuple[str, str, list[str]]:
        return self.name.text(), self.kind.currentData(), self.choices.toPlainText().splitlines()

    def _run(self, job) -> object:
        try:
            return job()
        except QcdeskError as exc:
            dialogs.error(self, "Case attributes", str(exc))
            return None

    def add(self) -> None:
        name, kind, choices = self._fields()
        attr = self._run(lambda: self.project.attributes.define(name, kind, choices))
        if attr is not None:
            self.refresh(select=attr.id)

    def apply(self) -> None:
        attr_id = self.current_id()
        if attr_id is None:
            return
        name, kind, choices = self._fields()
        if self._run(lambda: self.project.attributes.update(attr_id, name=name, value_type=kind, choices=choices)) is not None:
            self.refresh(select=attr_id)

    def delete(self) -> None:
        attr_id = self.current_id()
        if attr_id is None:
            return
        name = self.project.attributes.get(attr_id).name
        if dialogs.confirm(self, "Delete attribute",
                           f"Delete the attribute “{name}” and its value for every case?"):
            self._delete(attr_id)
            self.refresh()
