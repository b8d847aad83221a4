"""SQL-level pieces of backups: copying one database into another, checking a file's integrity."""

from __future__ import annotations

import sqlite_utils


def copy_into(source: sqlite_utils.Database, target: sqlite_utils.Database) -> None:
    """Replace ``target``'s content with ``source``'s, page by page, under SQLite's own locking."""
    source.conn.backup(target.conn)

