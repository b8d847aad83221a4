"""The id SQLite gives a new row, typed (sqlite_utils and sqlite3 say it may be missing)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

import sqlite_utils


def insert_row(db: sqlite_utils.Database, table: str, row: Mapping[str, Any]) -> int:
    """Insert ``row`` into ``table``; the new row's id."""
    return _id(db.table(table).insert(dict(row)).last_pk, table)


def new_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row an ``INSERT`` on ``cursor`` just added."""
    return _id(cursor.lastrowid, "the insert")


def _id(value: object, what: str) -> int:
    if not isinstance(value, int):  # an INSERT into a rowid table always has one
        raise RuntimeError(f"SQLite gave no row id for {what}")
    return value
