"""Rotating backups of a project, and restoring one in place.

A backup is a complete project file (SQLite's online backup of the live database, so it is
consistent even while the project is open, and encrypted with the project's key when the
project is encrypted) in a folder beside the project: ``<stem> backups/<stem> <date time>.qcdesk``.
It opens in qcdesk like any project. The newest :data:`DEFAULT_KEEP` are kept.

Restoring copies a backup *into* the open project through the same online-backup API, so the
project stays open, locked and consistent; the state before restoring is backed up first, so
a restore can itself be undone by restoring that backup.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from qcdesk import PROJECT_SUFFIX
from qcdesk.core import private_files
from qcdesk.core.errors import OperationError, ProjectError, QcdeskError, disk_full
from qcdesk.core.models import Changes
from qcdesk.core.storage import backups as backup_sql
from qcdesk.core.storage import checks
from qcdesk.core.storage import info as info_sql
from qcdesk.core.storage import schema

#: how many backups are kept per project (the oldest go first)
DEFAULT_KEEP = 10
#: how often the window backs up a project that has changed
DEFAULT_INTERVAL_MINUTES = 30

_STAMP_FORMAT = "%Y-%m-%d %H-%M-%S"
_STAMP_RE = re.compile(r" (\d{4}-\d\d-\d\d \d\d-\d\d-\d\d)(?: (\d+))?$")
#: a backup copy failed: the disk, or a damaged project file
_COPY_ERRORS: tuple[type[BaseException], ...] = (OSError, *checks.DAMAGE)


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: dt.datetime
    size: int
    #: 2, 3, ... for further backups made within the same second
    sequence: int = 1

    @property
    def label(self) -> str:
        return self.created.strftime("%Y-%m-%d %H:%M:%S")


def backup_folder(project_path: Path) -> Path:
    return project_path.with_name(f"{project_path.stem} backups")


def _parse(path: Path, stem: str) -> BackupInfo | None:
    if path.suffix != PROJECT_SUFFIX or not path.stem.startswith(stem):
        return None
    match = _STAMP_RE.search(path.stem[len(stem):])
    if match is None:
        return None
    created = dt.datetime.strptime(match.group(1), _STAMP_FORMAT)
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return BackupInfo(path, created, size, int(match.group(2) or 1))


def list_backups(project_path: str | Path) -> list[BackupInfo]:
    """The project's backups, newest first."""
    project_path = Path(project_path)
    folder = backup_folder(project_path)
    if not folder.is_dir():
        return []
    found = [info for p in folder.iterdir() if (info := _parse(p, project_path.stem)) is not None]
    return sorted(found, key=lambda b: (b.created, b.sequence), reverse=True)


def _new_backup_path(project_path: Path) -> Path:
    folder = backup_folder(project_path)
    now = dt.datetime.now().replace(microsecond=0)
    stamp = now.strftime(_STAMP_FORMAT)
    # later backups within the same second number on from the highest (pruning leaves gaps)
    same = [b.sequence for b in list_backups(project_path) if b.created == now]
    n = max(same) + 1 if same else 1
    suffix = f" {n}" if n > 1 else ""
    return folder / f"{project_path.stem} {stamp}{suffix}{PROJECT_SUFFIX}"


def make_backup(project, keep: int = DEFAULT_KEEP) -> Path:
    """Copy the open project into its backup folder and drop backups beyond ``keep``.

    The copy is written as ``<name>.part`` and renamed when complete: a backup that cannot be
    finished (a full disk) leaves no file behind, nor the folder if it was made for it."""
    path = Path(project.path)
    target = _new_backup_path(path)
    tmp = target.with_name(target.name + ".part")
    made_folder = not target.parent.exists()
    try:
        private_files.folder(target.parent)
        tmp.unlink(missing_ok=True)
        schema.copy_database(project.db, tmp)
        tmp.replace(target)
    except _COPY_ERRORS as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        if made_folder:
            with contextlib.suppress(OSError):
                target.parent.rmdir()  # only if empty
        full = disk_full(exc, target.parent, "the backup was not made (no part of it is left behind); "
                                             "the project itself is unchanged")
        if full is not None:
            raise full from exc
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise OperationError(
            f"The backup could not be written to {target.parent} ({reason}). "
            "The project itself is unchanged; free some disk space or check the folder."
        ) from exc
    prune(path, keep)
    return target


def prune(project_path: Path, keep: int = DEFAULT_KEEP) -> list[Path]:
    """Delete all but the ``keep`` newest backups; return what was deleted."""
    removed = []
    for info in list_backups(project_path)[max(keep, 1):]:
        with contextlib.suppress(OSError):
            info.path.unlink()
            removed.append(info.path)
    return removed


def restore_backup(project, backup: str | Path, keep: int = DEFAULT_KEEP) -> Path:
    """Replace the open project's content with ``backup``; return the backup of the state before.

    The backup is checked first (a qcdesk project this version can read, passing SQLite's
    integrity check); a damaged or foreign file is refused and nothing changes.
    """
    if project.read_only:
        raise OperationError("This project is open read-only; it cannot be restored from a backup.")
    backup = Path(backup)
    source = _open_backup(project, backup)
    try:
        before = make_backup(project, keep=keep + 1)
        backup_sql.copy_into(source, project.db)
        version = schema.file_version(project.db)
        if version < schema.SCHEMA_VERSION:
            schema.upgrade(project.db, Path(project.path), version)
    finally:
        source.close()
    project.forget_caches()
    project.notify(Changes(document_list=True, codebook=True, memos=True, cases=True,
                           attributes=True, coders=True,
                           documents={d.id for d in project.documents()},
                           coded_documents={d.id for d in project.documents()}))
    return before


def _open_backup(project, backup: Path):
    from qcdesk.core.storage import connection

    if not backup.is_file():
        raise OperationError(f"The backup {backup.name} no longer exists.")
    try:
        db = connection.connect(backup, passphrase=getattr(project, "passphrase", None), read_only=True)
    except QcdeskError as exc:
        raise OperationError(f"{backup.name} cannot be restored: {exc}") from exc
    try:
        schema.check_version(db, backup)
        if schema.file_version(db) == 0:
            raise ProjectError(f"{backup.name} is an empty database.")
        if not info_sql.integrity_ok(db):
            raise ProjectError(f"{backup.name} is damaged (it fails SQLite's integrity check).")
    except QcdeskError as exc:
        db.close()
        raise OperationError(f"{backup.name} cannot be restored: {exc} The project is unchanged.") from exc
    return db
