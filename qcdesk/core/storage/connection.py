"""The one place that opens a project file: driver choice, key, pragmas.

Every connection the application makes goes through :func:`connect`, so the
SQLCipher driver (same API as :mod:`sqlite3`) slots in by passing a passphrase.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import threading
import weakref
from pathlib import Path
from typing import Any

import sqlite_utils

from qcdesk.core.errors import NotAProjectError, ProjectError, ProjectLockedError, QcdeskError, disk_full

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


def side_file(path: str | Path, suffix: str) -> Path:
    """The project's WAL (``-wal``) or WAL index (``-shm``) beside it."""
    path = Path(path)
    return path.with_name(path.name + suffix)


#: project files this process has connections to: (device, inode) -> [path, connections, encrypted]
_OPEN_HERE: dict[tuple[int, int], list] = {}
_OPEN_HERE_LOCK = threading.RLock()  # worker threads open and close connections too; reentrant
# because a collected connection can be forgotten (by its finalizer) while another is remembered


def _identity(path: str | Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino) if info.st_ino else None


def _forget(key: tuple[int, int]) -> None:
    with _OPEN_HERE_LOCK:
        entry = _OPEN_HERE.get(key)
        if entry is not None:
            entry[1] -= 1
            if entry[1] <= 0:
                del _OPEN_HERE[key]


class _Database(sqlite_utils.Database):
    """A project connection that this process remembers until it is closed (or collected).

    SQLite's locks are POSIX locks, dropped when the process closes *any* descriptor of the
    file; facts about an open file (is it encrypted?) are therefore answered from here, and
    readers of arbitrary files can ask :func:`opened_here` before they open one.
    """

    _forgetting: weakref.finalize | None = None
    #: removes the private copy read in place of the project, if there is one
    _scratch: weakref.finalize | None = None

    def _remember(self, path: Path, encrypted: bool) -> None:
        key = _identity(path)
        if key is not None:
            with _OPEN_HERE_LOCK:
                entry = _OPEN_HERE.setdefault(key, [path, 0, encrypted])
                entry[1] += 1
            self._forgetting = weakref.finalize(self, _forget, key)

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self._forgetting is not None:
                self._forgetting()  # runs once, here or when the object is collected
            if self._scratch is not None:
                self._scratch()


def opened_here(path: str | Path) -> bool:
    """Whether ``path`` is (another name of) a project file this process has open, or its WAL or WAL index.

    Opening such a file to read it, and closing it again, would drop SQLite's locks.
    """
    key = _identity(path)
    if key is None:
        return False
    if key in _OPEN_HERE:
        return True
    return any(_identity(side_file(entry[0], side)) == key
               for entry in list(_OPEN_HERE.values()) for side in ("-wal", "-shm"))


def open_untouched(path: str | Path, *, passphrase: str | None = None) -> sqlite_utils.Database:
    """Open ``path`` to read it, WAL included, without writing or creating anything beside it.

    A read-only connection in the ordinary sense still writes: it creates an empty WAL and
    WAL index for a file in WAL mode, rewrites an index left by a crash, and (if it was
    writable) folds the WAL into the file and deletes it on close. Checks before opening, a
    refused file and read-only media need better:

    * WAL and its index present (as a live writer keeps them): read both, the index read-only
      (``readonly_shm``), which SQLite supports on read-only media too and which follows a
      live writer's commits;
    * no WAL content and no live writer: the file alone is the whole database, read as
      ``immutable``;
    * WAL without its index (SQLite cannot read that read-only), or a rollback journal left by
      a crash (which must be played back, a write): the file and its WAL or journal are
      copied into a private folder (owner-only, deleted on close) and read there. An
      encrypted project's copy stays encrypted.
    """
    path = Path(path)
    wal, shm, journal = side_file(path, "-wal"), side_file(path, "-shm"), side_file(path, "-journal")
    if _has_content(journal):
        return _open_private_copy(path, journal, passphrase)
    if wal.exists() and shm.exists():  # also how a live writer's files look, even with an empty WAL
        return connect(path, passphrase=passphrase, read_only=True, readonly_shm=True)
    if _has_content(wal):
        return _open_private_copy(path, wal, passphrase)
    return connect(path, passphrase=passphrase, read_only=True, immutable=True)


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def _open_private_copy(path: Path, side: Path, passphrase: str | None) -> _Database:
    if opened_here(path):
        # copying would open and close the file in this process, dropping the locks of the
        # connection that has it open; SQLite's own read-only connection shares them instead
        return connect(path, passphrase=passphrase, read_only=True)
    scratch = None
    try:
        scratch = Path(tempfile.mkdtemp(prefix="qcdesk-read-"))  # mode 0700: only this user reads it
        copy = scratch / path.name
        shutil.copyfile(path, copy)
        shutil.copyfile(side, side_file(copy, side.name[len(path.name):]))
    except OSError as exc:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
        raise ProjectError(
            f"{path.name} could not be read: its latest work is in {side.name}, which qcdesk reads "
            f"from a private copy, and copying failed ({exc.strerror or exc}). Free some space in "
            f"{tempfile.gettempdir()} and try again. The file was not changed.") from exc
    try:
        # a journal is played back into the copy: that needs a connection that may write (the copy)
        db = connect(copy, passphrase=passphrase, read_only=side.name.endswith("-wal"), shown_as=path)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    # deleted on close, when collected, or at the latest when qcdesk exits
    db._scratch = weakref.finalize(db, shutil.rmtree, scratch, ignore_errors=True)
    return db


def connect(
    path: str | Path,
    *,
    passphrase: str | None = None,
    read_only: bool = False,
    immutable: bool = False,
    readonly_shm: bool = False,
    shown_as: Path | None = None,
) -> _Database:
    """Open ``path`` (created if missing unless ``read_only``) with the project's pragmas.

    Raises :class:`NotAProjectError` when the bytes are not a database (or the
    passphrase is wrong: SQLCipher cannot tell the two apart) and
    :class:`ProjectLockedError` when another program holds the write lock. Messages
    name ``shown_as`` when given (a private copy is read in place of the project).
    """
    path = Path(path)
    if passphrase is not None and not passphrase:
        raise ProjectError("An empty passphrase cannot protect a project; enter the passphrase.")
    driver = _driver(passphrase is not None)
    try:
        if read_only:
            # immutable: the file alone, no locks, no WAL; readonly_shm: the WAL index is read, never written
            uri = (path.resolve().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")
                   + ("&readonly_shm=1" if readonly_shm else ""))
            conn = driver.connect(uri, uri=True, check_same_thread=True)
        else:
            conn = driver.connect(str(path), check_same_thread=True)
    except (sqlite3.Error, getattr(driver, "Error", sqlite3.Error)) as exc:
        raise ProjectError(
            f"{shown_as or path} could not be opened or created ({exc}). Check that the folder exists "
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
        raise _open_error(exc, shown_as or path, passphrase) from exc
    db = _Database(conn, execute_plugins=False)
    db._remember(path, passphrase is not None)
    return db


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


def _open_error(exc: Exception, path: Path, passphrase: str | None) -> QcdeskError:
    full = disk_full(exc, path, "qcdesk could not open the project, as SQLite needs a little room beside "
                                "the file even to read it; nothing was changed")
    if full is not None:
        return full
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


def checkpoint(db: sqlite_utils.Database) -> None:
    """Fold the write-ahead log back into the file, so the project is one self-contained file again."""
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def is_encrypted_connection(db: sqlite_utils.Database) -> bool:
    """True when ``db`` reads and writes through SQLCipher with a key (plain sqlite3 knows no such pragma)."""
    try:
        row = db.execute("PRAGMA cipher_status").fetchone()
    except sqlite3.DatabaseError:
        return False
    return row is not None and str(row[0]) == "1"


def is_encrypted_file(path: str | Path) -> bool:
    """True when ``path`` exists, is non-empty and does not start with SQLite's plain header.

    A file this process has open is not read again (closing it would drop SQLite's locks):
    the answer is how it was opened.
    """
    path = Path(path)
    entry = _OPEN_HERE.get(_identity(path))  # type: ignore[arg-type]
    if entry is not None:
        return bool(entry[2])
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError:
        return False
    return len(head) == 16 and head != b"SQLite format 3\x00"
