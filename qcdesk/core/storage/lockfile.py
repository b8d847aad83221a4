"""One writer per project file: an operating-system lock on a small file beside the project.

SQLite alone would keep two qcdesk windows on one file consistent row by row, but not the
windows themselves: each would hold stale undo snapshots and views, and undoing in one could
resurrect rows the other had deleted. So a project opened for writing takes an exclusive,
non-blocking lock on ``.<name>.lock`` next to it; a second opener gets a clear message naming
who holds it, and may open read-only instead.

The lock is the operating system's (``flock`` / ``msvcrt.locking``), not the file's existence:
when qcdesk is killed the lock goes with the process, so a stale lock file never blocks anyone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import sys
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
    return project_path.with_name(f".{project_path.name}.lock")


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
    return os.access(project_path, os.W_OK) and os.access(project_path.parent, os.W_OK)


class ProjectLock:
    """An exclusive lock on a project file, held until :meth:`release`."""

    def __init__(self, project_path: Path, handle: IO[bytes]):
        self.project_path = project_path
        self.path = lock_path(project_path)
        self._handle: IO[bytes] | None = handle

    @classmethod
    def acquire(cls, project_path: str | Path) -> "ProjectLock | None":
        """Take the lock, or raise :class:`ProjectLockedError` naming the holder.

        Returns ``None`` when no lock file can be written at all (a read-only folder):
        the caller then opens the project read-only, where no lock is needed.
        """
        project_path = Path(project_path)
        path = lock_path(project_path)
        for _attempt in range(3):
            try:
                handle = open(path, "a+b")  # noqa: SIM115 - held open for the lock's lifetime
            except OSError:
                return None
            if not _try_lock(handle):
                handle.close()
                raise ProjectLockedError(
                    f"{project_path.name} is already open in {_holder(path)}. Switch to that "
                    "window, or open the project read-only here."
                )
            if _same_file(handle, path):
                break
            # the holder removed the file between our open and our lock: it was closing
            _unlock(handle)
            handle.close()
        else:
            raise ProjectLockedError(f"{project_path.name} is being opened and closed by another "
                                     "qcdesk window; try again.")
        info = {
            "pid": os.getpid(),
            "host": platform.node(),
            "since": dt.datetime.now().isoformat(timespec="minutes"),
        }
        # who holds the lock is a courtesy for the message others get: a full disk must not
        # stop the lock (the lock is the OS's; an empty or cut-short file names no one)
        with contextlib.suppress(OSError):
            handle.seek(0)
            handle.truncate()
            os.write(handle.fileno(), json.dumps(info).encode("utf-8"))  # unbuffered: nothing pending
        return cls(project_path, handle)

    @property
    def held(self) -> bool:
        return self._handle is not None

    def release(self) -> None:
        handle, self._handle = self._handle, None
        if handle is None:
            return
        # remove the file while still holding the lock, so nobody locks a file about to vanish
        with contextlib.suppress(OSError):
            self.path.unlink()
        _unlock(handle)
        handle.close()
