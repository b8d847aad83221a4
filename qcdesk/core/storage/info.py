"""SQL for the project's key/value facts and small counts."""

from __future__ import annotations

import sqlite_utils


def get(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM project_info WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def put(db: sqlite_utils.Database, key: str, value: str) -> None:
    db.table("project_info").insert({"key": key, "value": value}, replace=True)


def table_counts(db: sqlite_utils.Database) -> dict[str, int]:
    tables = ("documents", "codes", "codings", "memos", "cases", "coders", "speaker_turns")
    return {t: int(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}


def integrity_ok(db: sqlite_utils.Database) -> bool:
    return db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
