"""SQL of encryption: SQLCipher's export between keyed databases, rekeying, and the checks after.

``sqlcipher_export`` copies schema and rows into an attached database, encrypting or
decrypting on the way (the online backup API cannot cross that line). It does not copy
the header fields qcdesk relies on (``user_version`` is the schema version,
``application_id`` marks the file as a project), so they are copied here by hand.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import sqlite_utils

from qcdesk.core.storage import connection

_ALIAS = "qcdesk_copy"


def open_plain_for_export(path: Path) -> sqlite_utils.Database:
    """The plain project at ``path`` through SQLCipher's driver (no key), which can export to a keyed file."""
    import sqlcipher3  # type: ignore[import-not-found]

    conn = sqlcipher3.connect(str(path), check_same_thread=True)
    conn.execute(f"PRAGMA busy_timeout = {connection.BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA temp_store = MEMORY")
    return sqlite_utils.Database(conn, execute_plugins=False)


def cipher_library_version() -> str | None:
    """The SQLCipher library's version as it reports it ("unknown" when it does not say),
    or None when SQLCipher's driver is not installed."""
    try:
        import sqlcipher3  # type: ignore[import-not-found]
    except ImportError:
        return None
    try:
        conn = sqlcipher3.connect(":memory:")
        try:
            row = conn.execute("PRAGMA cipher_version").fetchone()
        finally:
            conn.close()
    except sqlcipher3.Error:
        return "unknown"
    return row[0] if row and row[0] else "unknown"


def database_errors() -> tuple[type[Exception], ...]:
    """The exceptions a damaged file raises through either driver."""
    import sqlite3

    try:
        import sqlcipher3  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - depends on the install
        return (sqlite3.DatabaseError,)
    return (sqlite3.DatabaseError, sqlcipher3.DatabaseError)


def export_copy(db: sqlite_utils.Database, target: Path, key: str | None) -> None:
    """Write all of ``db`` into the new file ``target``.

    ``key`` None: encrypted with ``db``'s own key (SQLCipher's rule for ATTACH without KEY);
    ``""``: plaintext; any other string: encrypted with that passphrase.
    """
    version = db.execute("PRAGMA user_version").fetchone()[0]
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    if key is None:
        db.execute(f"ATTACH DATABASE ? AS {_ALIAS}", [str(target)])
    else:
        db.execute(f"ATTACH DATABASE ? AS {_ALIAS} KEY ?", [str(target), key])
    try:
        db.execute(f"SELECT sqlcipher_export('{_ALIAS}')").fetchall()
        db.execute(f"PRAGMA {_ALIAS}.user_version = {int(version)}")
        db.execute(f"PRAGMA {_ALIAS}.application_id = {int(app_id)}")
    finally:
        db.execute(f"DETACH DATABASE {_ALIAS}")


def rekey(db: sqlite_utils.Database, passphrase: str) -> None:
    """Re-encrypt every page of ``db`` under ``passphrase`` (one transaction inside SQLCipher)."""
    db.execute(f"PRAGMA rekey = {connection._quote_key(passphrase)}")  # noqa: SLF001 - same module family


def checkpoint(db: sqlite_utils.Database, mode: str = "FULL") -> None:
    db.execute(f"PRAGMA wal_checkpoint({mode})").fetchall()


def table_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Rows per stored table (virtual tables are counted through their shadow tables)."""
    names = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name").fetchall()]
    return {name: db.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


class Header(NamedTuple):
    """What a project file's header says it is: its schema step and SQLite application id."""

    user_version: int
    application_id: int


def header(db: sqlite_utils.Database) -> Header:
    return Header(db.execute("PRAGMA user_version").fetchone()[0],
                  db.execute("PRAGMA application_id").fetchone()[0])

