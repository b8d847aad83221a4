"""SQL that reports need and no other operation does: memo texts by what they annotate,
which documents are pseudonymised, and the codings of one document with their coder."""

from __future__ import annotations

import json
from collections import defaultdict

import sqlite_utils


def _memo_text(title: str, body: str) -> str:
    title, body = (title or "").strip(), (body or "").strip()
    if title and body:
        return f"{title}: {body}"
    return title or body


def coding_memos(db: sqlite_utils.Database, coding_ids: list[int] | None = None) -> dict[int, list[str]]:
    """coding id -> the texts of its memos (title: body), oldest first."""
    sql = "SELECT coding_id, title, body FROM memos WHERE coding_id IS NOT NULL"
    args: list = []
    if coding_ids is not None:
        sql += " AND coding_id IN (SELECT value FROM json_each(?))"
        args.append(json.dumps([int(i) for i in coding_ids]))
    out: dict[int, list[str]] = defaultdict(list)
    for coding_id, title, body in db.execute(sql + " ORDER BY id", args).fetchall():
        text = _memo_text(title, body)
        if text:
            out[coding_id].append(text)
    return dict(out)


def code_memos(db: sqlite_utils.Database) -> dict[int, list[str]]:
    """code id -> the texts of its memos, oldest first."""
    out: dict[int, list[str]] = defaultdict(list)
    for code_id, title, body in db.execute(
            "SELECT code_id, title, body FROM memos WHERE code_id IS NOT NULL ORDER BY id").fetchall():
        text = _memo_text(title, body)
        if text:
            out[code_id].append(text)
    return dict(out)


def pseudonymised_documents(db: sqlite_utils.Database) -> set[int]:
    """Ids of documents marked as pseudonymised (empty on projects without that column)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(documents)").fetchall()}
    if "pseudonymised_at" not in columns:
        return set()
    return {r[0] for r in db.execute(
        "SELECT id FROM documents WHERE pseudonymised_at IS NOT NULL").fetchall()}
