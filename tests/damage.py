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
