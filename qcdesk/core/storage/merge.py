"""SQL for merging another coder's project file: reading its rows, inserting them here with
their original values, and removing exactly the rows a merge inserted (its undo)."""

from __future__ import annotations

from typing import Any, NamedTuple

import sqlite_utils
from qcdesk.core.storage.ids import insert_row

#: the rows that belong to a document's text, and their text order
_DOCUMENT_CHILDREN = {"blocks": "start", "speaker_turns": "start", "sync_points": "position"}
_TABLES_WITH_ID = ("coders", "documents", "codes", "codings", "time_codings", "memos", "cases", "attributes",
                   "document_sets")


def rows(db: sqlite_utils.Database, table: str, order: str = "id") -> list[dict[str, Any]]:
    """Every row of a table of the other project (tables are small apart from documents)."""
    return [dict(r) for r in db.query(f"SELECT * FROM [{table}] ORDER BY {order}")]


def document_rows(db: sqlite_utils.Database, document_id: int) -> dict[str, list[dict]]:
    """A document's blocks, speaker turns and sync points, in text order."""
    return {
        table: [dict(r) for r in db.query(
            f"SELECT * FROM [{table}] WHERE document_id = ? ORDER BY {order}, id", [document_id])]
        for table, order in _DOCUMENT_CHILDREN.items()
    }


def document_summaries(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """id, name and content hash of every document here (not their texts)."""
    return [dict(r) for r in db.query("SELECT id, name, content_hash FROM documents ORDER BY position, id")]


def external_ids(db: sqlite_utils.Database, kind: str) -> dict[int, str]:
    return {r[0]: r[1] for r in db.execute(
        "SELECT local_id, guid FROM external_ids WHERE kind = ?", [kind]).fetchall()}


def integrity_ok(db: sqlite_utils.Database) -> bool:
    return db.execute("PRAGMA quick_check").fetchone()[0] == "ok"


def insert(db: sqlite_utils.Database, table: str, row: dict[str, Any]) -> int:
    """Insert one row (without its foreign id, so this project numbers it); return the new id."""
    return insert_row(db, table, row)


def insert_children(db: sqlite_utils.Database, table: str, document_id: int, children: list[dict]) -> None:
    db.table(table).insert_all({k: v for k, v in r.items() if k != "id"} | {"document_id": document_id}
                         for r in children)


def memo_matches(db: sqlite_utils.Database, title: str, column: str | None,
                 target: int | None) -> list[str]:
    """Bodies of memos with this title on the same target (``column`` None: the project journal)."""
    if column is None:
        where: tuple[str, list[int | None]] = ("code_id IS NULL AND document_id IS NULL AND case_id IS NULL AND coding_id IS NULL", [])
    else:
        where = (f"{column} = ?", [target])
    sql = f"SELECT body FROM memos WHERE title = ? AND {where[0]}"
    return [r[0] for r in db.execute(sql, [title, *where[1]]).fetchall()]


def link(db: sqlite_utils.Database, table: str, row: dict[str, Any]) -> bool:
    """Insert a link row (case_documents, case_speakers, case_attributes) unless its key exists;
    True when it was inserted."""
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    cur = db.execute(f"INSERT OR IGNORE INTO [{table}] ({columns}) VALUES ({marks})", list(row.values()))
    return cur.rowcount > 0


class StoredValue(NamedTuple):
    """A case's value of an attribute: ``exists`` False when the case has none (``value`` None)."""

    exists: bool
    value: Any


def case_value(db: sqlite_utils.Database, case_id: int, attribute_id: int) -> StoredValue:
    row = db.execute("SELECT value FROM case_attributes WHERE case_id = ? AND attribute_id = ?",
                     [case_id, attribute_id]).fetchone()
    return StoredValue(row is not None, row[0] if row else None)


def remember_guid(db: sqlite_utils.Database, kind: str, local_id: int, guid: str) -> None:
    db.execute("INSERT OR IGNORE INTO external_ids (kind, local_id, guid) VALUES (?, ?, ?)",
               [kind, local_id, guid])


# ----------------------------------------------------------------- undo of a merge

_LINK_KEYS = {
    "case_documents": ("case_id", "document_id"),
    "case_speakers": ("case_id", "document_id", "speaker"),
    "case_attributes": ("case_id", "attribute_id"),
    "document_set_members": ("set_id", "document_id"),
}


def _in_ids(ids: list[int]) -> tuple[str, list[str]]:
    return "id IN (SELECT value FROM json_each(?))", ["[" + ",".join(str(int(i)) for i in ids) + "]"]


def capture(db: sqlite_utils.Database, inserted: dict[str, list]) -> dict[str, list[dict]]:
    """The full rows of everything a merge inserted, so a redo puts them back with the same ids."""
    out: dict[str, list[dict]] = {}
    for table in _TABLES_WITH_ID:
        ids = inserted.get(table, [])
        where, args = _in_ids(ids)
        out[table] = [dict(r) for r in db[table].rows_where(where, args, order_by="id")] if ids else []
    out["media"] = [dict(r) for r in db.query(
        "SELECT * FROM media WHERE id IN (SELECT value FROM json_each(?)) "
        "OR document_id IN (SELECT value FROM json_each(?)) ORDER BY id",
        [_in_ids(inserted.get("media", []))[1][0], _in_ids(inserted.get("documents", []))[1][0]])]
    for table in _DOCUMENT_CHILDREN:
        where, args = _in_ids(inserted.get("documents", []))
        out[table] = [dict(r) for r in db[table].rows_where(
            "document_id IN (SELECT value FROM json_each(?))", args, order_by="id")]
    for table, keys in _LINK_KEYS.items():
        found = []
        for key in inserted.get(table, []):
            cond = " AND ".join(f"{k} = ?" for k in keys)
            found += [dict(r) for r in db[table].rows_where(cond, list(key))]
        out[table] = found
    out["external_ids"] = [dict(r) for r in db.query(
        "SELECT * FROM external_ids WHERE (kind = 'code' AND local_id IN (SELECT value FROM json_each(?))) "
        "OR (kind = 'document' AND local_id IN (SELECT value FROM json_each(?)))",
        [_in_ids(inserted.get("codes", []))[1][0], _in_ids(inserted.get("documents", []))[1][0]])]
    return out


def remove(db: sqlite_utils.Database, rows: dict[str, list[dict]]) -> None:
    """Delete the captured rows: links first, then dependants before what they depend on."""
    for table, keys in _LINK_KEYS.items():
        cond = " AND ".join(f"{k} = ?" for k in keys)
        for row in rows.get(table, []):
            db.execute(f"DELETE FROM [{table}] WHERE {cond}", [row[k] for k in keys])
    # a recording's row only: its chunks stay for a redo (purged when the project closes)
    for table in ("media", "memos", "codings", "time_codings", "codes", "documents", "attributes", "cases",
                  "document_sets", "coders"):
        ids = [r["id"] for r in rows.get(table, [])]
        if ids:
            where, args = _in_ids(ids)
            db.execute(f"DELETE FROM [{table}] WHERE {where}", args)


def restore(db: sqlite_utils.Database, rows: dict[str, list[dict]]) -> None:
    """Put captured rows back with their ids (codes parents first, as they were inserted)."""
    for table in ("coders", "documents", "media", "blocks", "speaker_turns", "sync_points", "codes", "codings",
                  "time_codings", "memos", "cases", "attributes", "case_documents", "case_speakers", "case_attributes",
                  "document_sets", "document_set_members", "external_ids"):
        if rows.get(table):
            db.table(table).insert_all(rows[table])
