"""The warning before a file leaves an encrypted project: exports are never encrypted."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from qcdesk.ui import dialogs


def confirm_unencrypted_export(window: QWidget, what: str) -> bool:
    """Ask once per export when the open project is encrypted; True to go on.

    Plain projects export without a question (their own file is not encrypted either).
    """
    project = getattr(window, "project", None)
    if project is None or not getattr(project, "passphrase", None):
        return True
    return dialogs.confirm(
        window, "Export will not be encrypted",
        f"This project is encrypted, but {what} will not be: anyone who gets the file can read "
        "what it contains.\n\nSave it only where your ethics approval and data-management plan "
        "allow (not a shared or synced folder unless they permit it), and delete it when it is "
        "no longer needed.\n\nExport anyway?")
