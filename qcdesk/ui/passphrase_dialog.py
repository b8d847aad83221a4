"""The dialog that asks for a passphrase: hidden typing, an optional repeat field for new
passphrases, and room for the reason the last attempt failed."""

from __future__ import annotations

from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout, QWidget)

from qcdesk.core.encryption import MIN_PASSPHRASE_LENGTH, check_new_passphrase, check_passphrase_text
from qcdesk.core.errors import QcdeskError


class PassphraseDialog(QDialog):
    """Asks once; ``new=True`` asks twice and applies the core's passphrase policy (for a new key)."""

    def __init__(self, parent: QWidget | None, title: str, prompt: str, *, new: bool = False,
                 message: str = ""):
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.setWindowTitle(title)
        self.new = new
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        form = QFormLayout()
        self.field = QLineEdit()
        self.field.setObjectName("passphrase")
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Passphrase:", self.field)
        self.repeat = QLineEdit()
        self.repeat.setObjectName("passphraseRepeat")
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        if new:
            form.addRow("Repeat:", self.repeat)
        layout.addLayout(form)
        if new:
            hint = QLabel(f"At least {MIN_PASSPHRASE_LENGTH} characters. There is no way to recover "
                          "the project without it: keep it somewhere safe.")
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #555")
            layout.addWidget(hint)
        self.message = QLabel(message)
        self.message.setObjectName("passphraseMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b03a2e")
        self.message.setVisible(bool(message))
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def passphrase(self) -> str:
        return self.field.text()

    def accept(self) -> None:
        text = self.field.text()
        if not text:
            self.show_message("Enter the passphrase.")
            return
        try:
            (check_new_passphrase if self.new else check_passphrase_text)(text)
        except QcdeskError as exc:
            self.show_message(str(exc))
            return
        if self.new:
            if self.repeat.text() != text:
                self.show_message("The two passphrases differ; type them again.")
                self.repeat.clear()
                return
        super().accept()


def ask(parent: QWidget | None, title: str, prompt: str, *, new: bool = False,
        message: str = "") -> str | None:
    """Run the dialog; the passphrase, or None when cancelled."""
    dialog = PassphraseDialog(parent, title, prompt, new=new, message=message)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.passphrase()
        return None
    finally:
        dialog.field.clear()
        dialog.repeat.clear()
        dialog.deleteLater()
