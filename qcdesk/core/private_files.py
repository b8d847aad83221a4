"""Files holding project content are readable by their owner only.

Project files (SQLite gives the -wal and -shm files the database file's mode), backups,
migration copies, encrypted and decrypted copies, reports, exports, pseudonym key files and
the audit CSV are created with mode 0600, and the backup folder with 0700, whatever the
umask: on a shared computer other accounts must not read interviews. Writers call
:func:`prepare` on the file they are about to write (often a temporary file moved into
place afterwards); SQLite, openpyxl, zipfile and ``open(..., "w")`` keep the mode of a file
that already exists, so the content never sits in a file others may read.

On Windows the mode bits only mark files read-only; there the folder's access rights decide.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

OWNER_ONLY = 0o600
OWNER_ONLY_FOLDER = 0o700


def prepare(path: str | Path) -> Path:
    """Make ``path`` an owner-only file about to be written: created empty with mode 0600 when
    missing, otherwise narrowed to 0600 (when this account may change its mode)."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), OWNER_ONLY)
    except FileExistsError:
        restrict(path)
    else:
        os.close(fd)
    return path


def restrict(path: str | Path) -> None:
    """Narrow an existing file to owner-only (a file of another account is left as it is)."""
    if os.name != "posix":
        return
    with contextlib.suppress(PermissionError):
        os.chmod(path, OWNER_ONLY)


def folder(path: str | Path) -> Path:
    """Create the folder ``path`` (owner-only) if it is missing; an existing one is left alone."""
    path = Path(path)
    path.mkdir(mode=OWNER_ONLY_FOLDER, exist_ok=True)
    return path


def overwrite(fd: int) -> None:
    """Fill the file behind ``fd`` with zeros and flush it to disk (its name may already be gone)."""
    size = os.fstat(fd).st_size
    os.lseek(fd, 0, os.SEEK_SET)
    block = b"\0" * (1 << 20)
    left = size
    while left > 0:
        left -= os.write(fd, block[:min(left, len(block))])
    os.fsync(fd)


def shred(path: str | Path) -> None:
    """Overwrite ``path`` with zeros, then delete it.

    Removes the readable copy from the folder; an SSD or a copy-on-write or journalling file
    system may still keep old blocks, which only encrypting before importing rules out.
    """
    fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        overwrite(fd)
    finally:
        os.close(fd)
    os.unlink(path)
