"""SQL for merging another coder's project file: reading its rows, inserting them here with
their original values, and removing exactly the rows a merge inserted (its undo). Documents and
their structure are copied, removed and put back by :mod:`qcdesk.core.storage.documents`."""

from __future__ import annotations

from typing import Any, NamedTuple

import sqlite_utils
from qcdesk.core.storage.ids import insert_row

_TABLES_WITH_ID = ("coders", "codes", "codings", "time_codings", "memos", "cases", "attributes",
                   "document_sets")


def rows(db: sqlite_utils.Database, table: str, order: str = "id") -> list[dict[str, Any]]:
    """Every row of a table of the other project (tables are small apart from documents)."""
    return [dict(r) for r in db.query(f"SELECT * FROM [{table}] ORDER BY {order}")]


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

#: the key columns of each link table a merge may insert into
LINK_KEYS = {
    "case_documents": ("case_id", "document_id"),
    "case_speakers": ("case_id", "document_id", "speaker"),
    "case_attributes": ("case_id", "attribute_id"),
    "document_set_members": ("set_id", "document_id"),
}


def _in_ids(ids: list[int]) -> tuple[str, list[str]]:
    return "id IN (SELECT value FROM json_each(?))", ["[" + ",".join(str(int(i)) for i in ids) + "]"]


def capture(db: sqlite_utils.Database, inserted: dict[str, list]) -> dict[str, list[dict]]:
    """The full rows of everything a merge inserted but its documents (and their structure), so a
    redo puts them back with the same ids."""
    out: dict[str, list[dict]] = {}
    for table in _TABLES_WITH_ID:
        ids = inserted.get(table, [])
        where, args = _in_ids(ids)
        out[table] = [dict(r) for r in db[table].rows_where(where, args, order_by="id")] if ids else []
    out["media"] = [dict(r) for r in db.query(
        "SELECT * FROM media WHERE id IN (SELECT value FROM json_each(?)) "
        "OR document_id IN (SELECT value FROM json_each(?)) ORDER BY id",
        [_in_ids(inserted.get("media", []))[1][0], _in_ids(inserted.get("documents", []))[1][0]])]
    for table, keys in LINK_KEYS.items():
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


def remove_dependants(db: sqlite_utils.Database, rows: dict[str, list[dict]]) -> None:
    """Delete the captured rows that hang on documents: links first, then dependants before what
    they depend on (the documents go next, then :func:`remove_the_rest`)."""
    for table, keys in LINK_KEYS.items():
        cond = " AND ".join(f"{k} = ?" for k in keys)
        for row in rows.get(table, []):
            db.execute(f"DELETE FROM [{table}] WHERE {cond}", [row[k] for k in keys])
    # a recording's row only: its chunks stay for a redo (purged when the project closes)
    _delete_ids(db, rows, ("media", "memos", "codings", "time_codings", "codes"))


def remove_the_rest(db: sqlite_utils.Database, rows: dict[str, list[dict]]) -> None:
    """Delete the captured rows that documents may point at (after the documents)."""
    _delete_ids(db, rows, ("attributes", "cases", "document_sets", "coders"))


def _delete_ids(db: sqlite_utils.Database, rows: dict[str, list[dict]], tables: tuple[str, ...]) -> None:
    for table in tables:
        ids = [r["id"] for r in rows.get(table, [])]
        if ids:
            where, args = _in_ids(ids)
            db.execute(f"DELETE FROM [{table}] WHERE {where}", args)


def restore_coders(db: sqlite_utils.Database, rows: dict[str, list[dict]]) -> None:
    """Put captured coders back with their ids (before the documents, which may name them)."""
    if rows.get("coders"):
        db.table("coders").insert_all(rows["coders"])


def restore_the_rest(db: sqlite_utils.Database, rows: dict[str, list[dict]]) -> None:
    """Put the other captured rows back with their ids (after the documents; codes parents
    first, as they were inserted)."""
    for table in ("media", "codes", "codings", "time_codings", "memos", "cases", "attributes", "case_documents",
                  "case_speakers", "case_attributes", "document_sets", "document_set_members", "external_ids"):
        if rows.get(table):
            db.table(table).insert_all(rows[table])
