"""One writer per project file: an operating-system lock on a small file beside the project.

SQLite alone would keep two qcdesk windows on one file consistent row by row, but not the
windows themselves: each would hold stale undo snapshots and views, and undoing in one could
resurrect rows the other had deleted. So a project opened for writing takes an exclusive,
non-blocking lock on ``.<name>.lock`` next to the real file (symlinks resolved) and on a lock
named after the file's device and inode in a folder of the user's (so a hard link under another
name meets it too); a second opener gets a clear message naming who holds it, and may open
read-only instead. The identity lock names the file it covers: a window whose file was deleted
while open, its inode since given to another file, does not lock that other file (a claim that
it is "already open" would not be true). Neither lock opens the project file itself: closing any descriptor of the
project file would drop SQLite's own locks on it.

The lock is the operating system's (``flock`` / ``msvcrt.locking``), not the file's existence:
when qcdesk is killed the lock goes with the process, so a stale lock file never blocks anyone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import stat
import sys
import tempfile
from pathlib import Path
from typing import IO

from qcdesk.core.errors import ProjectLockedError

if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds
    import msvcrt

    def _try_lock(fh: IO[bytes]) -> bool:
        try:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fh: IO[bytes]) -> None:
        with contextlib.suppress(OSError):
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _try_lock(fh: IO[bytes]) -> bool:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def _unlock(fh: IO[bytes]) -> None:
        with contextlib.suppress(OSError):
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def lock_path(project_path: Path) -> Path:
    """The lock beside the real file: a symlink's target, so every symlink shares it."""
    real = Path(os.path.realpath(project_path))
    return real.with_name(f".{real.name}.lock")


def _identity_folder() -> Path | None:
    """This user's folder of locks keyed by file identity, or None when it cannot be made safely."""
    uid = os.getuid() if hasattr(os, "getuid") else None
    folder = Path(tempfile.gettempdir()) / (f"qcdesk-locks-{uid}" if uid is not None else "qcdesk-locks")
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or (uid is not None and info.st_uid != uid):
        return None  # somebody else's folder or a link planted in its place: do not use it
    return folder


#: identity locks tried for one device and inode: the first may be held by a window whose own file
#: was deleted while open, its inode since given to this file (see :func:`_holds_other_file`)
IDENTITY_NAMES = 3


def identity_lock_path(project_path: Path, attempt: int = 0) -> Path | None:
    """The lock keyed by the file's device and inode, which every name of it (hard links too) shares.

    Hard links can sit in different folders, so this lock lives in a folder of this user's on
    this computer; the lock beside the file still covers other computers on a shared drive.
    ``attempt`` > 0 names the next lock of the same identity.
    """
    try:
        info = os.stat(project_path)
    except OSError:
        return None
    folder = _identity_folder()
    if folder is None or not info.st_ino:  # some network file systems report no inode numbers
        return None
    return folder / (f"{info.st_dev:x}-{info.st_ino:x}" + (f"-{attempt}" if attempt else "") + ".lock")


def _holds_other_file(lock: Path, project_path: Path) -> bool:
    """Whether the window holding the identity ``lock`` has another file open than ``project_path``:
    its file was deleted while it was open, and the inode went to this file. Only a holder that
    wrote its file's path can say so; otherwise the lock is taken to cover this file."""
    try:
        recorded = json.loads(lock.read_text(encoding="utf-8") or "{}").get("file")
    except (OSError, ValueError, AttributeError):
        return False
    if not isinstance(recorded, str) or not recorded:
        return False
    try:
        return not os.path.samestat(os.stat(recorded), os.stat(project_path))
    except FileNotFoundError:
        return True  # the holder's file is gone: its lock covers a deleted file
    except OSError:
        return False


def _holder(path: Path) -> str:
    """Who holds the lock, in words, from what the holder wrote into the file."""
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "another qcdesk window"
    parts = ["another qcdesk window"]
    if info.get("host"):
        parts.append(f"on {info['host']}")
    if info.get("pid"):
        parts.append(f"(process {info['pid']})")
    if info.get("since"):
        parts.append(f"since {info['since']}")
    return " ".join(parts)


def _same_file(handle: IO[bytes], path: Path) -> bool:
    """False when the holder removed the file between our open and our lock (it was releasing)."""
    try:
        return os.path.samestat(os.fstat(handle.fileno()), os.stat(path))
    except OSError:
        return False


def writable(project_path: Path) -> bool:
    """Whether qcdesk may write the project: the file and its folder (for the journal files).

    False on read-only media (a CD, a locked USB stick, a read-only network share) even for
    an administrator, because the operating system reports those as read-only to everyone.
    """
    real = Path(os.path.realpath(project_path))  # a symlink's journal files go beside its target
    return os.access(real, os.W_OK) and os.access(real.parent, os.W_OK)


def _take(path: Path, project_name: str, file: Path | None = None) -> IO[bytes] | None:
    """Lock the file at ``path`` and write who holds it (``file``: the project file it covers, for
    an identity lock); None when it cannot be created."""
    for _attempt in range(3):
        try:
            handle = open(path, "a+b")  # noqa: SIM115 - held open for the lock's lifetime
        except OSError:
            return None
        if not _try_lock(handle):
            handle.close()
            if file is not None and _holds_other_file(path, file):
                raise _OtherFile()
            raise ProjectLockedError(
                f"{project_name} is already open in {_holder(path)}. Switch to that "
                "window, or open the project read-only here."
            )
        if _same_file(handle, path):
            break
        # the holder removed the file between our open and our lock: it was closing
        _unlock(handle)
        handle.close()
    else:
        raise ProjectLockedError(f"{project_name} is being opened and closed by another "
                                 "qcdesk window; try again.")
    info = {
        "pid": os.getpid(),
        "host": platform.node(),
        "since": dt.datetime.now().isoformat(timespec="minutes"),
    }
    if file is not None:
        info["file"] = os.path.realpath(file)
    # who holds the lock is a courtesy for the message others get: a full disk must not
    # stop the lock (the lock is the OS's; an empty or cut-short file names no one)
    with contextlib.suppress(OSError):
        handle.seek(0)
        handle.truncate()
        os.write(handle.fileno(), json.dumps(info).encode("utf-8"))  # unbuffered: nothing pending
    return handle


class _OtherFile(Exception):
    """The identity lock is held for another file (see :func:`_holds_other_file`)."""


def _give_back(path: Path, handle: IO[bytes]) -> None:
    # remove the file while still holding the lock, so nobody locks a file about to vanish
    with contextlib.suppress(OSError):
        path.unlink()
    _unlock(handle)
    handle.close()


class ProjectLock:
    """An exclusive lock on a project file, held until :meth:`release`.

    Two locks make it: one beside the real file (symlinks resolved), which other computers
    sharing the drive see too, and one keyed by the file's identity (device and inode), so
    a hard link under another name or in another folder meets the same lock.
    """

    def __init__(self, project_path: Path, handle: IO[bytes]):
        self.project_path = project_path
        self.path = lock_path(project_path)
        self._handle: IO[bytes] | None = handle
        self._identity: tuple[Path, IO[bytes]] | None = None

    @classmethod
    def acquire(cls, project_path: str | Path) -> "ProjectLock | None":
        """Take the lock, or raise :class:`ProjectLockedError` naming the holder.

        Returns ``None`` when no lock file can be written at all (a read-only folder):
        the caller then opens the project read-only, where no lock is needed.
        """
        project_path = Path(project_path)
        handle = _take(lock_path(project_path), project_path.name)
        if handle is None:
            return None
        lock = cls(project_path, handle)
        try:
            lock.cover_identity()
        except BaseException:
            lock.release()
            raise
        return lock

    def cover_identity(self) -> None:
        """Take the identity lock too, once the file exists (a new project: after creating it)."""
        if self._identity is not None or self._handle is None:
            return
        for attempt in range(IDENTITY_NAMES):
            path = identity_lock_path(self.project_path, attempt)
            if path is None:
                return
            try:
                handle = _take(path, self.project_path.name, self.project_path)
            except _OtherFile:
                continue  # held for a deleted file that had this inode: the next name is this file's
            if handle is not None:
                self._identity = (path, handle)
            return

    @property
    def held(self) -> bool:
        return self._handle is not None

    def release(self) -> None:
        identity, self._identity = self._identity, None
        if identity is not None:
            _give_back(*identity)
        handle, self._handle = self._handle, None
        if handle is not None:
            _give_back(self.path, handle)
