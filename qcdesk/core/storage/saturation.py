"""SQL for interview order and the first appearance of codes (thematic saturation)."""

from __future__ import annotations

import sqlite_utils


def document_ids_in_order(db: sqlite_utils.Database) -> list[int]:
    return [r[0] for r in db.execute("SELECT id FROM documents ORDER BY position, id").fetchall()]


def set_positions(db: sqlite_utils.Database, ordered_ids: list[int]) -> None:
    db.conn.executemany("UPDATE documents SET position = ? WHERE id = ?",
                   [(position, doc_id) for position, doc_id in enumerate(ordered_ids)])


def codes_per_document(db: sqlite_utils.Database, coder_id: int | None = None) -> dict[int, set[int]]:
    """document id -> ids of the codes applied in it (by ``coder_id`` only, if given)."""
    where, args = "", []
    if coder_id is not None:
        where, args = "WHERE coder_id = ?", [coder_id]
    sql = f"SELECT DISTINCT document_id, code_id FROM codings {where}"
    out: dict[int, set[int]] = {}
    for doc_id, code_id in db.execute(sql, args).fetchall():
        out.setdefault(doc_id, set()).add(code_id)
    return out
