"""The POSIX locks the kernel lists in /proc/locks for a project file and its WAL index.

POSIX (fcntl) locks belong to the process and vanish when it closes *any* descriptor of the
file, so anything in qcdesk's process that opens and closes the project file silently drops
SQLite's locks on it. Tests compare these lists before and after such a path.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def _key(path: Path) -> str | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return f"{os.major(info.st_dev):02x}:{os.minor(info.st_dev):02x}:{info.st_ino}"


def posix_locks(project_path: str | Path) -> dict[str, list[tuple[str, ...]]]:
    """{"file": [...], "-shm": [...]}: (kind, mode, pid, start, end) of every lock, sorted.

    The kernel writes /proc/locks a page at a time from a list that other processes change
    meanwhile (on a busy machine, other test processes lock their own files all the time), so one
    reading may show a lock twice or miss one. The list is read until two readings in a row agree
    on these files; a lock listed twice is one lock (a process's locks on one range merge)."""
    if not Path("/proc/locks").exists():
        pytest.skip("/proc/locks is Linux's; the kernel's lock list is not available here")
    project_path = Path(project_path)
    keys = {"file": _key(project_path), "-shm": _key(project_path.with_name(project_path.name + "-shm"))}
    found = _read(keys)
    for _ in range(20):
        again = _read(keys)
        if again == found:
            break
        found = again
    return found


def _read(keys: dict[str, str | None]) -> dict[str, list[tuple[str, ...]]]:
    lines = Path("/proc/locks").read_text().splitlines()
    found: dict[str, list[tuple[str, ...]]] = {}
    for what, key in keys.items():
        rows = set()
        for line in lines:
            fields = line.split()
            if "->" in fields:  # a process waiting for a lock
                continue
            if key is not None and len(fields) >= 8 and fields[5] == key and fields[1] == "POSIX":
                rows.add((fields[1], fields[3], fields[4], fields[6], fields[7]))
        found[what] = sorted(rows)
    return found


def held_by_me(project_path: str | Path) -> dict[str, list[tuple[str, ...]]]:
    """The locks of this process only, which must be there while a project is open."""
    mine = str(os.getpid())
    locks = {what: [row for row in rows if row[2] == mine] for what, rows in posix_locks(project_path).items()}
    assert locks["file"] and locks["-shm"], f"an open project holds SQLite locks: {locks}"
    return locks
