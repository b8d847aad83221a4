"""Is an opened project file sound? Checked before anything is written to it.

A damaged file (a bad sector, a copy cut short, a sync tool that mixed two versions) must be
refused with a message and left exactly as it is, not opened and written into, which can
spread the damage. SQLite reports damage as ``DatabaseError`` ("database disk image is
malformed"), and a damaged schema can even yield an error message that is not valid UTF-8,
which Python's driver turns into ``UnicodeDecodeError``: both become a :class:`ProjectError`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from qcdesk.core.errors import NotAProjectError
from qcdesk.core.storage import schema

#: what SQLite raises on a damaged file (the driver's own error types included)
DAMAGE = (sqlite3.DatabaseError, UnicodeDecodeError)


def damaged(path: Path, detail: str = "") -> NotAProjectError:
    why = f" ({detail})" if detail else ""
    return NotAProjectError(
        f"{path.name} is damaged{why}, so qcdesk did not open it. The file was not changed. "
        "Open one of its backup copies instead (they are kept beside the project), or ask "
        "whoever gave you the file for a new copy.")


def checked_version(db: sqlite_utils.Database, path: Path, *, full: bool = True) -> int:
    """:func:`schema.check_version`, then (unless ``full`` is false) SQLite's full integrity check
    of every page and index (about 50 ms for 200 hour-long transcripts with their codings, 1.1 s
    for 1,000 with 250,000 codings), before any write. Without it only the header and the schema
    are read: for a file known to be as it was last found sound (see :mod:`qcdesk.core.clean_close`),
    whose full check then runs in the background."""
    try:
        version = schema.check_version(db, path)
        if version == 0 or not full:
            return version
        problems = [row[0] for row in db.execute("PRAGMA integrity_check(5)").fetchall()]
    except DAMAGE as exc:
        raise damaged(path, "SQLite cannot read its structure") from exc
    if problems != ["ok"]:
        lines = [line for p in problems for line in p.splitlines() if line and not line.startswith("***")]
        raise damaged(path, f"SQLite's integrity check found: {(lines or problems)[0]}")
    return version
