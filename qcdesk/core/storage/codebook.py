"""SQL for the code tree and the coders."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from qcdesk.core.models import Code, Coder
from qcdesk.core.storage import snapshots
from qcdesk.core.storage.ids import insert_row

_CODE_COLUMNS = "id, parent_id, name, color, description, position, inclusion, exclusion, example, codable"


def _code(row: tuple) -> Code:
    code_id, parent_id, name, color, description, position, inclusion, exclusion, example, codable = row
    return Code(code_id, parent_id, name, color, description, position, inclusion, exclusion, example,
                codable=bool(codable))


def all_codes(db: sqlite_utils.Database) -> list[Code]:
    sql = f"SELECT {_CODE_COLUMNS} FROM codes ORDER BY position, id"
    return [_code(r) for r in db.execute(sql).fetchall()]


def get(db: sqlite_utils.Database, code_id: int) -> Code | None:
    row = db.execute(f"SELECT {_CODE_COLUMNS} FROM codes WHERE id = ?", [code_id]).fetchone()
    return _code(row) if row else None


def children_ids(db: sqlite_utils.Database, parent_id: int | None) -> list[int]:
    if parent_id is None:
        sql, args = "SELECT id FROM codes WHERE parent_id IS NULL ORDER BY position, id", []
    else:
        sql, args = "SELECT id FROM codes WHERE parent_id = ? ORDER BY position, id", [parent_id]
    return [r[0] for r in db.execute(sql, args).fetchall()]


def subtree_ids(db: sqlite_utils.Database, code_id: int) -> list[int]:
    sql = """
        WITH RECURSIVE sub(id) AS (
            SELECT ? UNION ALL SELECT c.id FROM codes c JOIN sub ON c.parent_id = sub.id
        ) SELECT id FROM sub
    """
    return [r[0] for r in db.execute(sql, [code_id]).fetchall()]


def insert(db: sqlite_utils.Database, row: dict[str, Any]) -> int:
    return insert_row(db, "codes", row)


def update(db: sqlite_utils.Database, code_id: int, **values: Any) -> None:
    db.table("codes").update(code_id, values)


def next_position(db: sqlite_utils.Database, parent_id: int | None) -> int:
    """The position after the last child of ``parent_id`` (None: after the last top-level code)."""
    return int(db.execute("SELECT coalesce(max(position), -1) + 1 FROM codes WHERE parent_id IS ?",
                          [parent_id]).fetchone()[0])


def snapshot(db: sqlite_utils.Database, code_id: int) -> dict[str, list[dict]]:
    """The rows a deletion of ``code_id`` removes (its subtree, their codings, memos and
    REFI-QDA identifiers: see :mod:`snapshots`); the code itself is ``["codes"][0]``."""
    return snapshots.capture(db, "codes", [code_id])


def delete(db: sqlite_utils.Database, code_id: int) -> None:
    db.execute("DELETE FROM codes WHERE id = ?", [code_id])


def restore(db: sqlite_utils.Database, rows: dict[str, list[dict]]) -> None:
    snapshots.restore(db, rows)


def coder_by_name(db: sqlite_utils.Database, name: str) -> Coder | None:
    row = db.execute("SELECT id, name FROM coders WHERE name = ?", [name]).fetchone()
    return Coder(*row) if row else None


def insert_coder(db: sqlite_utils.Database, name: str, created: str) -> int:
    return insert_row(db, "coders", {"name": name, "created": created})


def all_coders(db: sqlite_utils.Database) -> list[Coder]:
    return [Coder(*r) for r in db.execute("SELECT id, name FROM coders ORDER BY name").fetchall()]


def session_coder(db: sqlite_utils.Database) -> int | None:
    """The coder last recorded as working (the one the audit trail names), or None."""
    row = db.execute("SELECT s.coder_id FROM session s JOIN coders c ON c.id = s.coder_id").fetchone()
    return row[0] if row else None


def set_session_coder(db: sqlite_utils.Database, coder_id: int | None) -> None:
    """Record who is working now (the audit trail's triggers read it)."""
    db.execute("INSERT OR REPLACE INTO session (id, coder_id) VALUES (1, ?)", [coder_id])
