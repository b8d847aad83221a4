"""Damage at rest for tests: a page overwritten inside a project file, its size and time kept."""

from __future__ import annotations

import os
from pathlib import Path

from qcdesk.core import clean_close


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
