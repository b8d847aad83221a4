"""The seal of a project file as this machine last closed it cleanly, after a full check.

SQLite's full integrity check reads every page: 1.1 s for a 160 MB project on an idle machine,
several seconds under load. A file that is byte for byte as qcdesk left it when it last closed it
cleanly (after that session's full check found it sound) needs no blocking check before the first
write: opening then checks only the header and the schema, and the full check runs in the
background (the window does it; if it finds damage the project becomes read-only at once).

The seal is the file's size, modification time (ns), inode and device, and the SHA-256 of its
first and last :data:`EDGE` bytes (the header with SQLite's change counter, and the pages written
last). Anything else — a file copied or synced in, touched by another program or machine, a crash
that left a ``-wal`` file — fails to match, and the full check runs before anything is written.
Seals are kept by the caller (the window keeps them in its settings); no file is written here.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

#: bytes read from each end of the file for the seal's digest
EDGE = 64 * 1024


def seal_of(path: str | Path) -> str | None:
    """The seal of the file at ``path`` as it is now, or None when it cannot be sealed (missing,
    unreadable, or with a write-ahead log still holding work)."""
    path = Path(path)
    try:
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return None  # not self-contained: its latest work is in the -wal file
        st = path.stat()
        digest = hashlib.sha256()
        with path.open("rb") as f:
            digest.update(f.read(EDGE))
            if st.st_size > EDGE:
                f.seek(max(EDGE, st.st_size - EDGE))
                digest.update(f.read(EDGE))
    except OSError:
        return None
    return json.dumps({"size": st.st_size, "mtime_ns": st.st_mtime_ns, "inode": st.st_ino,
                       "device": st.st_dev, "sha256": digest.hexdigest()}, sort_keys=True)


def matches(path: str | Path, seal: str | None) -> bool:
    """Is the file at ``path`` exactly as it was sealed?"""
    if not seal:
        return False
    now = seal_of(path)
    return now is not None and now == seal
