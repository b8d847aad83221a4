"""The one place that opens a project file: driver choice, key, pragmas.

Every connection the application makes goes through :func:`connect`, so the
SQLCipher driver (same API as :mod:`sqlite3`) slots in by passing a passphrase.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlite_utils

from qcdesk.core.errors import NotAProjectError, ProjectError, ProjectLockedError

BUSY_TIMEOUT_MS = 5000


def _driver(encrypted: bool) -> Any:
    if not encrypted:
        return sqlite3
    try:
        import sqlcipher3  # type: ignore[import-not-found]
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ProjectError(
            "This project is encrypted, but the encryption component (sqlcipher3) is not installed."
        ) from exc
    return sqlcipher3


def _quote_key(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def connect(
    path: str | Path,
    *,
    passphrase: str | None = None,
    read_only: bool = False,
    immutable: bool = False,
) -> sqlite_utils.Database:
    """Open ``path`` (created if missing unless ``read_only``) with the project's pragmas.

    Raises :class:`NotAProjectError` when the bytes are not a database (or the
    passphrase is wrong: SQLCipher cannot tell the two apart) and
    :class:`ProjectLockedError` when another program holds the write lock.
    """
    path = Path(path)
    if passphrase is not None and not passphrase:
        raise ProjectError("An empty passphrase cannot protect a project; enter the passphrase.")
    driver = _driver(passphrase is not None)
    try:
        if read_only:
            # immutable: on read-only media SQLite cannot create the WAL's index file, and
            # nobody can change the file there anyway
            uri = path.resolve().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")
            conn = driver.connect(uri, uri=True, check_same_thread=True)
        else:
            conn = driver.connect(str(path), check_same_thread=True)
    except (sqlite3.Error, getattr(driver, "Error", sqlite3.Error)) as exc:
        raise ProjectError(
            f"{path} could not be opened or created ({exc}). Check that the folder exists "
            "and that you may write to it."
        ) from exc
    try:
        if passphrase is not None:
            # a wrong passphrase is reported to the user once, not logged to stderr by SQLCipher
            conn.execute("PRAGMA cipher_log_level = NONE")
            conn.execute(f"PRAGMA key = {_quote_key(passphrase)}")
            conn.execute("PRAGMA cipher_memory_security = ON")  # wipe freed memory (keys, pages)
        # The first read of the schema is where a wrong key or a non-database shows.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if passphrase is not None:
            # sorts and temporary tables stay in memory: no plaintext temp files on disk
            conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("PRAGMA foreign_keys = ON")
        if not read_only:
            # FULL: a transaction reported committed survives a power cut, not only a crash.
            conn.execute("PRAGMA synchronous = FULL")
    except (sqlite3.DatabaseError, getattr(driver, "DatabaseError", sqlite3.DatabaseError),
            UnicodeDecodeError) as exc:  # a damaged schema can give an error message that is not UTF-8
        conn.close()
        raise _open_error(exc, path, passphrase) from exc
    return sqlite_utils.Database(conn, execute_plugins=False)


def use_wal(db: sqlite_utils.Database, path: str | Path) -> None:
    """Switch the file to write-ahead logging.

    Switching rewrites the file header (and turns a tiny non-database file into an
    empty database), so call this only once the file is known to be a project this
    qcdesk may write: never before the version check.
    """
    try:
        db.execute("PRAGMA journal_mode = WAL")
    except sqlite3.DatabaseError as exc:
        raise _open_error(exc, Path(path), None) from exc


def _open_error(exc: Exception, path: Path, passphrase: str | None) -> ProjectError:
    message = str(exc).lower()
    if "locked" in message or "busy" in message:
        return ProjectLockedError(
            f"{path.name} is in use by another program; close it there and try again."
        )
    if passphrase is not None:
        return NotAProjectError(
            f"{path.name} could not be opened: the passphrase is wrong or the file is not "
            "a qcdesk project. The file was not changed."
        )
    return NotAProjectError(
        f"{path.name} is not a qcdesk project (it is not an SQLite database, or it is "
        "damaged or encrypted). The file was not changed."
    )


def is_encrypted_connection(db: sqlite_utils.Database) -> bool:
    """True when ``db`` reads and writes through SQLCipher with a key (plain sqlite3 knows no such pragma)."""
    try:
        row = db.execute("PRAGMA cipher_status").fetchone()
    except sqlite3.DatabaseError:
        return False
    return row is not None and str(row[0]) == "1"


def is_encrypted_file(path: str | Path) -> bool:
    """True when ``path`` exists, is non-empty and does not start with SQLite's plain header."""
    path = Path(path)
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    return len(head) == 16 and head != b"SQLite format 3\x00"
