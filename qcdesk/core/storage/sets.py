"""SQL for document sets (groups of documents) and their members."""

from __future__ import annotations

from typing import Iterable

import sqlite_utils

from qcdesk.core.models import DocumentSet
from qcdesk.core.storage.ids import new_id

_COLUMNS = "id, name, description, guid"


def _ids(ids: Iterable[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


def all_sets(db: sqlite_utils.Database) -> list[DocumentSet]:
    sql = f"SELECT {_COLUMNS} FROM document_sets ORDER BY name COLLATE NOCASE, id"
    return [DocumentSet(*r) for r in db.execute(sql).fetchall()]


def get_set(db: sqlite_utils.Database, set_id: int) -> DocumentSet | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM document_sets WHERE id = ?", [set_id]).fetchone()
    return DocumentSet(*row) if row else None


def set_by_name(db: sqlite_utils.Database, name: str) -> DocumentSet | None:
    """The set called ``name``, ignoring case in any script (two sets never differ by case alone)."""
    wanted = name.casefold()
    return next((s for s in all_sets(db) if s.name.casefold() == wanted), None)


def set_by_guid(db: sqlite_utils.Database, guid: str) -> DocumentSet | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM document_sets WHERE lower(guid) = lower(?) LIMIT 1",
                     [guid]).fetchone()
    return DocumentSet(*row) if row else None


def insert_set(db: sqlite_utils.Database, name: str, guid: str, created: str, description: str = "") -> int:
    cursor = db.execute("INSERT INTO document_sets (name, description, guid, created) VALUES (?, ?, ?, ?)",
                        [name, description, guid, created])
    return new_id(cursor)


def rename_set(db: sqlite_utils.Database, set_id: int, name: str) -> None:
    db.execute("UPDATE document_sets SET name = ? WHERE id = ?", [name, set_id])


def snapshot(db: sqlite_utils.Database, set_id: int) -> dict[str, list[dict]]:
    """Every row a deletion of the set removes: the set and its memberships."""
    return {"document_sets": list(db["document_sets"].rows_where("id = ?", [set_id])),
            "document_set_members": list(db["document_set_members"].rows_where("set_id = ?", [set_id]))}


def delete_set(db: sqlite_utils.Database, set_id: int) -> None:
    db.execute("DELETE FROM document_sets WHERE id = ?", [set_id])


def restore(db: sqlite_utils.Database, rows: dict[str, list[dict]]) -> None:
    """Put back what :func:`snapshot` held; memberships of documents deleted since are skipped."""
    for row in rows.get("document_sets", []):
        db.table("document_sets").insert(row)
    for row in rows.get("document_set_members", []):
        add_member(db, row["set_id"], row["document_id"])


def add_member(db: sqlite_utils.Database, set_id: int, document_id: int) -> bool:
    """Add a document to a set; False when it was already in it (or is gone)."""
    cursor = db.execute("INSERT OR IGNORE INTO document_set_members (set_id, document_id) "
                        "SELECT ?, id FROM documents WHERE id = ?", [set_id, document_id])
    return cursor.rowcount > 0


def remove_member(db: sqlite_utils.Database, set_id: int, document_id: int) -> bool:
    cursor = db.execute("DELETE FROM document_set_members WHERE set_id = ? AND document_id = ?",
                        [set_id, document_id])
    return cursor.rowcount > 0


def member_ids(db: sqlite_utils.Database, set_id: int) -> list[int]:
    """The set's documents, in interview order."""
    sql = ("SELECT m.document_id FROM document_set_members m JOIN documents d ON d.id = m.document_id "
           "WHERE m.set_id = ? ORDER BY d.position, d.id")
    return [r[0] for r in db.execute(sql, [set_id]).fetchall()]


def memberships(db: sqlite_utils.Database) -> dict[int, list[int]]:
    """set id -> its document ids in interview order, for every set (empty sets included)."""
    out: dict[int, list[int]] = {r[0]: [] for r in db.execute("SELECT id FROM document_sets")}
    sql = ("SELECT m.set_id, m.document_id FROM document_set_members m JOIN documents d ON d.id = m.document_id "
           "ORDER BY m.set_id, d.position, d.id")
    for set_id, doc_id in db.execute(sql).fetchall():
        out.setdefault(set_id, []).append(doc_id)
    return out


def sets_of_document(db: sqlite_utils.Database, document_id: int) -> list[DocumentSet]:
    sql = ("SELECT s.id, s.name, s.description, s.guid FROM document_sets s "
           "JOIN document_set_members m ON m.set_id = s.id WHERE m.document_id = ? "
           "ORDER BY s.name COLLATE NOCASE, s.id")
    return [DocumentSet(*r) for r in db.execute(sql, [document_id]).fetchall()]


def documents_in_sets(db: sqlite_utils.Database, set_ids: Iterable[int]) -> set[int]:
    """Documents in any of these sets."""
    sql = ("SELECT DISTINCT document_id FROM document_set_members "
           "WHERE set_id IN (SELECT value FROM json_each(?))")
    return {r[0] for r in db.execute(sql, [_ids(set_ids)]).fetchall()}


