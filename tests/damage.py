"""Damage at rest for tests: a page overwritten inside a project file, its size and time kept, an
index out of step with its table; and the full integrity check held while a test acts."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from qcdesk.core import check, clean_close


def damage_page_keeping_mtime(path: Path, fraction: float, page: int = 4096) -> None:
    """Overwrite one whole page well inside the file (``fraction`` of the way between the sealed
    first and last :data:`clean_close.EDGE` bytes), keeping size and modification time: damage a
    bad sector or a faulty copy leaves, which the clean-close seal cannot see."""
    st = path.stat()
    pages = st.st_size // page
    first, last = clean_close.EDGE // page + 1, pages - clean_close.EDGE // page - 2
    assert last > first, f"{path.name} is too small to damage inside its sealed edges"
    number = first + int((last - first) * fraction)
    with path.open("r+b") as f:
        f.seek(number * page)
        f.write(b"\xff" * page)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def index_out_of_step(path: Path, index: str = "idx_codings_document") -> None:
    """Make an index disagree with its table (its entries stay as written, the schema now says
    they hold its columns in the other order): damage a faulty copy or sync tool can leave, which
    SQLite's quick check (the pages' structure) passes and only its full integrity check finds."""
    import sqlite3

    db = sqlite3.connect(path)
    try:
        (sql,) = db.execute("SELECT sql FROM sqlite_schema WHERE name = ?", (index,)).fetchone()
        head, _, columns = sql.partition("(")
        first, second = (c.strip() for c in columns.rstrip(")").split(","))
        version = db.execute("PRAGMA schema_version").fetchone()[0]
        db.execute("PRAGMA writable_schema = ON")
        db.execute("UPDATE sqlite_schema SET sql = ? WHERE name = ?", (f"{head}({second}, {first})", index))
        db.execute(f"PRAGMA schema_version = {version + 1}")
        db.commit()
    finally:
        db.close()


@dataclass
class HeldCheck:
    """The full integrity check (``check.sqlite_problems``), held by :func:`hold_full_check`."""

    #: set when a check has started (and holds)
    started: threading.Event = field(default_factory=threading.Event)
    #: set by the test to let it run
    release: threading.Event = field(default_factory=threading.Event)
    #: "checked" is appended here each time a held check has run to its end
    log: list[str] = field(default_factory=list)


def hold_full_check(monkeypatch: pytest.MonkeyPatch, log: list[str] | None = None) -> HeldCheck:
    """Make every full integrity check start, then hold until the test sets ``release`` (at most
    20 s), then run; ``log``: a list of the test's own, to see the check's end among other events."""
    held = HeldCheck(log=[] if log is None else log)
    real = check.sqlite_problems

    def holding(*args, **kwargs):
        held.started.set()
        assert held.release.wait(20)
        found = real(*args, **kwargs)
        held.log.append("checked")
        return found

    monkeypatch.setattr(check, "sqlite_problems", holding)
    return held
