"""SQL of the audit trail: reading ``audit_log`` (written by the triggers of schema 0003) with filters."""

from __future__ import annotations

import sqlite_utils


def entries(db: sqlite_utils.Database, *, coder: str | None = None, kind: str | None = None,
            since: str | None = None, before: str | None = None) -> list[dict]:
    """Rows of the log, oldest first; ``since``/``before`` compare with the ISO ``at`` text."""
    where, params = [], []
    if coder is not None:
        where.append("coder = ?")
        params.append(coder)
    if kind is not None:
        where.append("kind = ?")
        params.append(kind)
    if since is not None:
        where.append("at >= ?")
        params.append(since)
    if before is not None:
        where.append("at < ?")
        params.append(before)
    sql = "SELECT id, at, coder, action, kind, object_id, detail FROM audit_log"
    if where:
        sql += " WHERE " + " AND ".join(where)
    cursor = db.execute(sql + " ORDER BY at, id", params)
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


def coders(db: sqlite_utils.Database) -> list[str]:
    """Every coder named in the log, alphabetically."""
    return [r[0] for r in db.execute(
        "SELECT DISTINCT coder FROM audit_log WHERE coder IS NOT NULL ORDER BY coder COLLATE NOCASE")]
