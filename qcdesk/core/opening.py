"""Creating and opening a project file: the lock, the checks before anything is written, the
write-ahead log and the schema migration (with a copy made first). :class:`~qcdesk.core.project.Project`
wraps what comes out; a file refused here stays exactly as it was."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import NamedTuple

import sqlite_utils

from qcdesk.core import clean_close, private_files
from qcdesk.core.errors import ProjectError, ProjectNeedsUpgradeError
from qcdesk.core.storage import connection, lockfile, schema, soundness


class Opened(NamedTuple):
    """An open project database with what was found on the way."""

    db: sqlite_utils.Database
    path: Path
    #: None when the project is read-only (nobody else is kept from writing)
    lock: lockfile.ProjectLock | None
    read_only: bool
    #: the copy made before migrating an older file, if one was made
    backup: Path | None = None
    #: why the project was opened read-only although writing was asked for
    notice: str | None = None
    #: SQLite's full integrity check was not run before opening (the file matched its clean-close
    #: seal, or only the quick check ran); it must pass before the first write
    #: (:mod:`qcdesk.core.deferred_check`)
    check_deferred: bool = False


def create(path: Path, passphrase: str | None) -> Opened:
    """A new, empty project file at ``path``, locked and at the current schema."""
    if path.exists() and path.stat().st_size > 0:
        raise ProjectError(f"{path.name} already exists; choose another name or open it.")
    lock = lockfile.ProjectLock.acquire(path)
    if not path.name.startswith(":"):
        with contextlib.suppress(OSError):  # a missing folder is reported by connect
            private_files.prepare(path)  # owner-only; SQLite gives -wal/-shm the same mode
    try:
        db = connection.connect(path, passphrase=passphrase)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    try:
        if lock is not None:
            lock.cover_identity()  # the file exists now: lock it under every name it gets
        connection.use_wal(db, path)
        schema.upgrade(db, path, 0)
    except BaseException:
        db.close()
        if lock is not None:
            lock.release()
        raise
    return Opened(db, path, lock, read_only=False)


def open_existing(path: Path, passphrase: str | None, read_only: bool, seal: str | None = None, *,
                  defer_check: bool = False) -> Opened:
    """The project file at ``path``, checked before anything is written, locked unless it is
    read-only, and migrated to the current schema (with a copy made first).

    ``seal``: the file's seal from when this machine last closed it cleanly after a full check
    (:mod:`qcdesk.core.clean_close`). If the file still matches it, only its header and schema are
    read here. Else, with ``defer_check`` (the window, which runs the full check in the background)
    and writing asked for, SQLite's quick check runs here. Either way SQLite's full integrity check
    is left for later (``Opened.check_deferred``: the first write waits for it). Else, and always
    before an upgrade, the full check runs here."""
    if not path.exists():
        raise ProjectError(f"{path} does not exist.")
    if path.is_dir():
        raise ProjectError(f"{path} is a folder, not a qcdesk project file.")
    if path.stat().st_size == 0:
        raise ProjectError(f"{path.name} is empty: it is not a qcdesk project.")
    lock, notice = None, None
    if not read_only:
        if lockfile.writable(path):
            lock = lockfile.ProjectLock.acquire(path)
        if lock is None:
            read_only = True
            wal = connection.side_file(path, "-wal")
            files = (f"{path.name} together with {wal.name} (its latest work is still in "
                     "that file)" if wal.is_file() and wal.stat().st_size else path.name)
            notice = (f"{path.name} is on a drive or in a folder qcdesk cannot write to, so it "
                      "is open read-only: you can read, search and export, but not change it. "
                      f"To work on it, copy {files} to a folder of your own.")
    try:
        # every check runs on a connection that writes nothing, not even the WAL or its
        # index: a refused file stays exactly as it was
        probe = connection.open_untouched(path, passphrase=passphrase)
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    try:
        # read the seal before the probe could change anything (it changes nothing)
        if clean_close.matches(path, seal):
            deferred, check = True, soundness.HEADER
        elif defer_check and not read_only:
            deferred, check = True, soundness.QUICK
        else:
            deferred, check = False, soundness.FULL
        version = soundness.checked_version(probe, path, check=check)
        if deferred and version < schema.SCHEMA_VERSION and not read_only:
            # an upgrade writes: the whole file is checked first, whatever its seal
            deferred = False
            version = soundness.checked_version(probe, path)
        if version == 0:
            raise ProjectError(f"{path.name} is an empty database, not a qcdesk project.")
        if read_only and version < schema.SCHEMA_VERSION:
            raise ProjectNeedsUpgradeError(
                f"{path.name} uses an older project format and must be upgraded, "
                "which needs write access."
            )
    except BaseException:
        probe.close()
        if lock is not None:
            lock.release()
        raise
    if notice is not None or (read_only and not lockfile.writable(path)):
        # read-only media: SQLite could not even create the WAL's index there; the probe
        # reads the WAL as it is
        db = probe
    else:
        probe.close()
        try:
            db = connection.connect(path, passphrase=passphrase, read_only=read_only)
        except BaseException:
            if lock is not None:
                lock.release()
            raise
    try:
        backup = None
        if not read_only:
            # only now that the file is known to be ours and not too new
            connection.use_wal(db, path)
            if version < schema.SCHEMA_VERSION:
                backup = schema.upgrade(db, path, version)
    except BaseException:
        db.close()
        if lock is not None:
            lock.release()
        raise
    return Opened(db, path, lock, read_only=read_only, backup=backup, notice=notice, check_deferred=deferred)
