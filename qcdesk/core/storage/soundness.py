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


#: how much of the file :func:`checked_version` reads: SQLite's full integrity check (every page and
#: index, and that each index matches its table), its quick check (every page's structure, not the
#: indexes' content: about a fifth of the time), or only the header and the schema
FULL, QUICK, HEADER = "integrity_check", "quick_check", ""
_CHECK_NAMES = {FULL: "integrity check", QUICK: "quick check"}


def checked_version(db: sqlite_utils.Database, path: Path, *, check: str = FULL) -> int:
    """:func:`schema.check_version`, then SQLite's ``check`` of the file (:data:`FULL`: every page
    and index, about 50 ms for 200 hour-long transcripts with their codings, 1.1 s for 1,000 with
    250,000 codings; :data:`QUICK`: the pages' structure, 0.3 s for the latter), before any write.
    With :data:`HEADER` only the header and the schema are read. Whoever opens with less than the
    full check runs it in the background before the first write (:mod:`qcdesk.core.deferred_check`)."""
    try:
        version = schema.check_version(db, path)
        if version == 0 or check == HEADER:
            return version
        if check not in _CHECK_NAMES:
            raise ValueError(f"not a check: {check!r}")
        problems = [row[0] for row in db.execute(f"PRAGMA {check}(5)").fetchall()]
    except DAMAGE as exc:
        raise damaged(path, "SQLite cannot read its structure") from exc
    if problems != ["ok"]:
        lines = [line for p in problems for line in p.splitlines() if line and not line.startswith("***")]
        raise damaged(path, f"SQLite's {_CHECK_NAMES[check]} found: {(lines or problems)[0]}")
    return version
