"""SQL for the first appearance of codes (thematic saturation)."""

from __future__ import annotations

import sqlite_utils


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
