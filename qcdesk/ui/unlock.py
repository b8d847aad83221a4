"""Opening an encrypted project from the window: ask for the passphrase until one opens the
file or the user gives up. Each attempt is checked with a separate read-only connection,
which never writes, so a wrong passphrase leaves the file exactly as it was."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from qcdesk.core import encryption
from qcdesk.ui import passphrase_dialog

WRONG = ("That passphrase did not open {name}: it is wrong, or the file is not a qcdesk "
         "project. The file was not changed. Try again, or cancel.")


def _ask_passphrase(parent: QWidget | None, path: Path, message: str = "") -> str | None:
    """The question itself (tests replace this so nothing blocks)."""
    return passphrase_dialog.ask(parent, "Encrypted project",
                                 f"{path.name} is encrypted. Enter its passphrase to open it.",
                                 message=message)


def passphrase_for(parent: QWidget | None, path: str | Path) -> tuple[bool, str | None]:
    """``(True, None)`` for a plain file, ``(True, passphrase)`` once one opens an encrypted
    file, ``(False, None)`` when the user cancels."""
    path = Path(path)
    if not path.is_file() or not encryption.is_encrypted(path):
        return True, None
    message = ""
    while True:
        passphrase = _ask_passphrase(parent, path, message)
        if passphrase is None:
            return False, None
        if passphrase and encryption.passphrase_opens(path, passphrase):
            return True, passphrase
        message = WRONG.format(name=path.name)
