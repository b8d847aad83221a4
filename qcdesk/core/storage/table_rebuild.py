"""Rebuilding tables so their ids are never given out twice (``AUTOINCREMENT``).

Undo puts deleted rows back under their old ids. A plain ``INTEGER PRIMARY KEY``
gives the next new row ``max(id) + 1``, so after deleting the row with the highest id
an import or a new code takes that id and the undo fails. With ``AUTOINCREMENT``
SQLite remembers the highest id ever used (in ``sqlite_sequence``) and never reuses it.

SQLite cannot add ``AUTOINCREMENT`` to an existing table, so each table is rebuilt
following SQLite's documented procedure (https://sqlite.org/lang_altertable.html,
"Making Other Kinds Of Table Schema Changes"): foreign keys off, one transaction,
new table, copy, drop, rename, indexes and triggers re-created, ``foreign_key_check``
and ``integrity_check`` before committing. Foreign keys *must* be off: with them on,
dropping ``documents`` would cascade and delete every coding.
"""

from __future__ import annotations

import re

import sqlite_utils

_PK_RE = re.compile(r"\bid\s+INTEGER\s+PRIMARY\s+KEY\b(?!\s+AUTOINCREMENT)", re.IGNORECASE)
_NAME_RE = re.compile(r"^\s*CREATE\s+TABLE\s+(\"[^\"]+\"|\[[^\]]+\]|\w+)", re.IGNORECASE)


class RebuildError(RuntimeError):
    """The rebuilt schema did not check out; the transaction was rolled back."""


def has_autoincrement(db: sqlite_utils.Database, table: str) -> bool:
    row = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()
    return row is not None and "AUTOINCREMENT" in row[0].upper()


def _new_table_sql(sql: str, temp_name: str) -> str:
    sql, found = _PK_RE.subn("id INTEGER PRIMARY KEY AUTOINCREMENT", sql, count=1)
    if not found:
        raise RebuildError(f"no 'id INTEGER PRIMARY KEY' column in: {sql[:80]}")
    return _NAME_RE.sub(f'CREATE TABLE "{temp_name}"', sql, count=1)


def add_autoincrement(db: sqlite_utils.Database, tables: list[str]) -> list[str]:
    """Give each of ``tables`` an ``AUTOINCREMENT`` id, keeping every row, id, index,
    trigger and foreign key; return the tables rebuilt (those already so are skipped,
    so running it again after an interruption is harmless)."""
    todo = [t for t in tables if not has_autoincrement(db, t)]
    if not todo:
        return []
    if db.conn.in_transaction:
        raise RebuildError("tables can only be rebuilt outside a transaction (foreign keys must be off)")
    with db.ensure_autocommit_on():
        db.execute("PRAGMA foreign_keys = OFF")
    try:
        if db.execute("PRAGMA foreign_keys").fetchone()[0]:
            raise RebuildError("foreign keys could not be switched off; no table was rebuilt")
        with db.atomic():
            _rebuild(db, todo)
    finally:
        with db.ensure_autocommit_on():
            db.execute("PRAGMA foreign_keys = ON")
    return todo


def _rebuild(db: sqlite_utils.Database, tables: list[str]) -> None:
    # every trigger is dropped and re-created: triggers on other tables name these in their bodies
    triggers = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY rowid").fetchall()
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN (SELECT value FROM json_each(?)) ORDER BY rowid",
        ["[" + ",".join(f'"{t}"' for t in tables) + "]"]).fetchall()
    counts = {t: db.execute(f"SELECT count(*), coalesce(max(id), 0) FROM [{t}]").fetchone() for t in tables}
    # a file that already had dangling references keeps them; the rebuild must add none
    dangling = {tuple(r) for r in db.execute("PRAGMA foreign_key_check").fetchall()}
    for name, _sql in triggers:
        db.execute(f'DROP TRIGGER "{name}"')
    for table in tables:
        sql = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()[0]
        temp = f"_qcdesk_rebuild_{table}"
        columns = ", ".join(f'"{c[1]}"' for c in db.execute(f"PRAGMA table_info([{table}])").fetchall())
        db.execute(_new_table_sql(sql, temp))
        db.execute(f'INSERT INTO "{temp}" ({columns}) SELECT {columns} FROM [{table}] ORDER BY id')
        db.execute(f"DROP TABLE [{table}]")
        db.execute(f'ALTER TABLE "{temp}" RENAME TO [{table}]')
    for _name, sql in indexes:
        db.execute(sql)
    for _name, sql in triggers:
        db.execute(sql)
    _check(db, counts, dangling)


def _check(db: sqlite_utils.Database, counts: dict[str, tuple[int, int]], dangling: set[tuple]) -> None:
    for table, (rows, top) in counts.items():
        now = db.execute(f"SELECT count(*), coalesce(max(id), 0) FROM [{table}]").fetchone()
        if tuple(now) != tuple((rows, top)):
            raise RebuildError(f"{table}: {rows} rows before the rebuild, {now[0]} after")
        if not has_autoincrement(db, table):
            raise RebuildError(f"{table} was not rebuilt with AUTOINCREMENT")
        seq = db.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", [table]).fetchone()
        if top and (seq is None or seq[0] < top):
            raise RebuildError(f"{table}: the id sequence ({seq}) is below the highest id ({top})")
    broken = [r for r in db.execute("PRAGMA foreign_key_check").fetchall() if tuple(r) not in dangling]
    if broken:
        raise RebuildError(f"foreign keys broken by the rebuild: {broken[:5]}")
    result = [r[0] for r in db.execute("PRAGMA integrity_check").fetchall()]
    if result != ["ok"]:
        raise RebuildError("integrity check failed after the rebuild: " + "; ".join(result[:5]))
