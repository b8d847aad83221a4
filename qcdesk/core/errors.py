"""Errors with a message meant for the researcher, shown as-is in the window and on the command line."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from pathlib import Path

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


# ---------------------------------------------------------------------- a full disk
#: the kinds of "no room": the disk is full, the user's quota is used up, the file reached the
#: largest size the disk (or a limit set for the process) allows
FULL, QUOTA, TOO_LARGE = "full", "quota", "too large"
#: SQLite's result codes (the primary code is the low byte of an extended one)
_SQLITE_IOERR, _SQLITE_FULL = 10, 13
#: below this many free bytes an I/O error from SQLite is taken to mean the disk is full: SQLite
#: reports a failed write to its index file (-shm) or journal as "disk I/O error", not SQLITE_FULL
NEARLY_FULL_BYTES = 1 << 20


class DiskFullError(QcdeskError):
    """No room left where a file had to be written: the disk is full (or a quota or size limit
    is reached). What was being done was not done, and nothing was left half-written."""

    def __init__(self, where: str | os.PathLike, what: str, cause: str = FULL):
        self.where = Path(where)
        self.what = what
        self.cause = cause
        if cause == TOO_LARGE:
            reason = f"{self.where} has grown to the largest file size its disk allows"
        elif cause == QUOTA:
            reason = f"Your disk quota on the disk holding {self.where} is used up"
        else:
            reason = f"The disk holding {self.where} is full"
        super().__init__(f"{reason}: {what}. Free some space there and try again.")

    def saying(self, what: str) -> "DiskFullError":
        """The same cause told about another step (e.g. which files were not imported)."""
        return DiskFullError(self.where, what, self.cause)


def _free_bytes(path: Path) -> int | None:
    for folder in (path, *path.parents):
        try:
            return shutil.disk_usage(folder).free
        except OSError:
            continue
    return None


def _is_driver_error(exc: BaseException) -> bool:
    """An error from sqlite3 or from SQLCipher's driver (whose classes are not sqlite3's)."""
    return isinstance(exc, sqlite3.Error) or type(exc).__module__.startswith("sqlcipher3")


def no_room_cause(exc: BaseException, path: str | os.PathLike) -> str | None:
    """:data:`FULL`, :data:`QUOTA` or :data:`TOO_LARGE` when ``exc`` comes from there being no room
    to write at ``path``; None for any other error."""
    if isinstance(exc, OSError):
        return {errno.ENOSPC: FULL, errno.EDQUOT: QUOTA, errno.EFBIG: TOO_LARGE}.get(exc.errno or 0)
    if not _is_driver_error(exc):
        return None
    message = str(exc).lower()
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == _SQLITE_FULL or "database or disk is full" in message:
        return FULL
    if primary == _SQLITE_IOERR or "disk i/o error" in message:
        free = _free_bytes(Path(path))
        if free is not None and free < NEARLY_FULL_BYTES:
            return FULL
    return None


def disk_full(exc: BaseException, path: str | os.PathLike, what: str) -> DiskFullError | None:
    """A :class:`DiskFullError` saying ``what`` was not done, when ``exc`` means no room at ``path``."""
    if isinstance(exc, DiskFullError):
        return exc
    cause = no_room_cause(exc, path)
    return DiskFullError(path, what, cause) if cause else None
