"""Errors with a message meant for the researcher, shown as-is in the window and on the command line."""

from __future__ import annotations

from qcdesk.core.safe_names import shown_name


class QcdeskError(Exception):
    """Base of every error whose ``str()`` is a complete sentence for the user."""


class ProjectError(QcdeskError):
    """The project file cannot be opened or used."""


class ProjectTooNewError(ProjectError):
    """The file was written by a newer qcdesk whose schema this version does not know."""


class NotAProjectError(ProjectError):
    """The file is not a qcdesk project (or not a database at all, or encrypted with another key)."""


class ProjectLockedError(ProjectError):
    """The file is busy: another qcdesk window or another program is writing to it."""


class ProjectNeedsUpgradeError(ProjectError):
    """An older project format was opened read-only; upgrading it needs write access."""


class OperationError(QcdeskError):
    """A requested change is not valid (empty code name, range outside the text, ...)."""


class ImportFailed(QcdeskError):
    """A file could not be read as a transcript; nothing from it was stored."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"Could not import {shown_name(path)}: {reason}")


class ExportFailed(QcdeskError):
    """A report could not be written."""
