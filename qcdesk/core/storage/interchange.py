"""SQL for REFI-QDA exchange: external GUIDs, codings with their own coder and date,
memos, cases and their attributes (which have no domain operations of their own yet)."""

from __future__ import annotations

import json
from typing import Any, NamedTuple

import sqlite_utils

from qcdesk.core.models import Attribute, Case, Memo
from qcdesk.core.storage.ids import insert_row

# ----------------------------------------------------------------- external ids


def guid_of(db: sqlite_utils.Database, kind: str, local_id: int) -> str | None:
    row = db.execute("SELECT guid FROM external_ids WHERE kind = ? AND local_id = ?",
                     [kind, local_id]).fetchone()
    return row[0] if row else None


def guids(db: sqlite_utils.Database, kind: str) -> dict[int, str]:
    rows = db.execute("SELECT local_id, guid FROM external_ids WHERE kind = ?", [kind]).fetchall()
    return {r[0]: r[1] for r in rows}


def local_id_of(db: sqlite_utils.Database, kind: str, guid: str) -> int | None:
    row = db.execute("SELECT local_id FROM external_ids WHERE kind = ? AND lower(guid) = lower(?) "
                     "ORDER BY local_id LIMIT 1", [kind, guid]).fetchone()
    return row[0] if row else None


def remember_guid(db: sqlite_utils.Database, kind: str, local_id: int, guid: str) -> None:
    """Record ``guid`` for a local item unless it already has one (the first id wins)."""
    db.execute("INSERT OR IGNORE INTO external_ids (kind, local_id, guid) VALUES (?, ?, ?)",
               [kind, local_id, guid])


# ----------------------------------------------------------------- coders and codings


def coder_id(db: sqlite_utils.Database, name: str, created: str) -> int:
    """The id of the coder called ``name``, created if needed."""
    row = db.execute("SELECT id FROM coders WHERE name = ?", [name]).fetchone()
    if row:
        return int(row[0])
    return insert_row(db, "coders", {"name": name, "created": created})


def coder_names(db: sqlite_utils.Database) -> dict[int, str]:
    return {r[0]: r[1] for r in db.execute("SELECT id, name FROM coders").fetchall()}


def set_code_codable(db: sqlite_utils.Database, code_id: int, codable: bool) -> None:
    db.execute("UPDATE codes SET codable = ? WHERE id = ?", [int(codable), code_id])


# ----------------------------------------------------------------- documents' own dates


class DocumentOrigin(NamedTuple):
    """When and by whom a document was made, as an import recorded it; both None for qcdesk's own."""

    created: str | None
    creator_id: int | None


#: the origin of a document that has none recorded
NO_ORIGIN = DocumentOrigin(None, None)


def document_origins(db: sqlite_utils.Database) -> dict[int, DocumentOrigin]:
    """document id -> its origin (:class:`DocumentOrigin`)."""
    rows = db.execute("SELECT id, created, creator_id FROM documents").fetchall()
    return {doc_id: DocumentOrigin(created, creator) for doc_id, created, creator in rows}


# ----------------------------------------------------------------- memos

_MEMO_COLUMNS = "id, title, body, code_id, document_id, case_id, coding_id, created, modified"


def all_memos(db: sqlite_utils.Database) -> list[Memo]:
    return [Memo(*r) for r in db.execute(f"SELECT {_MEMO_COLUMNS} FROM memos ORDER BY id").fetchall()]


def memo_authors(db: sqlite_utils.Database) -> dict[int, int]:
    """memo id -> coder id, for memos that record who wrote them."""
    rows = db.execute("SELECT id, coder_id FROM memos WHERE coder_id IS NOT NULL").fetchall()
    return {r[0]: r[1] for r in rows}


class Anchor(NamedTuple):
    """The passage a document memo annotates (an uncoded selection)."""

    start: int
    end: int


def memo_anchors(db: sqlite_utils.Database) -> dict[int, Anchor]:
    """memo id -> the passage it annotates, for the document memos that have one."""
    rows = db.execute("SELECT id, anchor_start, anchor_end FROM memos "
                      "WHERE anchor_start IS NOT NULL AND anchor_end IS NOT NULL").fetchall()
    return {memo_id: Anchor(start, end) for memo_id, start, end in rows}


def memo_ids(db: sqlite_utils.Database, body: str, target: str | None, target_id: int | None,
             anchor: tuple[int, int] | None = None) -> list[int]:
    """Ids of the memos with this body on this target (anchored to this passage, if given)."""
    if anchor is not None:
        sql = ("SELECT id FROM memos WHERE body = ? AND document_id = ? AND anchor_start = ? AND anchor_end = ? "
               "ORDER BY id")
        return [r[0] for r in db.execute(sql, [body, target_id, *anchor]).fetchall()]
    args: list[str | int | None]
    if target is None:
        sql, args = ("SELECT id FROM memos WHERE body = ? AND code_id IS NULL AND document_id IS NULL "
                     "AND case_id IS NULL AND coding_id IS NULL ORDER BY id"), [body]
    else:
        sql, args = f"SELECT id FROM memos WHERE body = ? AND {target} = ? AND anchor_start IS NULL ORDER BY id", \
            [body, target_id]
    return [r[0] for r in db.execute(sql, args).fetchall()]


def insert_memo(db: sqlite_utils.Database, row: dict[str, Any]) -> int:
    return insert_row(db, "memos", row)


# ----------------------------------------------------------------- cases and attributes


def all_cases(db: sqlite_utils.Database) -> list[Case]:
    return [Case(*r) for r in db.execute("SELECT id, name, description FROM cases ORDER BY id").fetchall()]


def case_by_name(db: sqlite_utils.Database, name: str) -> int | None:
    row = db.execute("SELECT id FROM cases WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def insert_case(db: sqlite_utils.Database, name: str, description: str) -> int:
    return insert_row(db, "cases", {"name": name, "description": description})


def case_documents(db: sqlite_utils.Database) -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for case_id, doc_id in db.execute(
            "SELECT case_id, document_id FROM case_documents ORDER BY case_id, document_id").fetchall():
        out.setdefault(case_id, []).append(doc_id)
    return out


def link_case_document(db: sqlite_utils.Database, case_id: int, document_id: int) -> None:
    db.execute("INSERT OR IGNORE INTO case_documents (case_id, document_id) VALUES (?, ?)",
               [case_id, document_id])


def all_attributes(db: sqlite_utils.Database) -> list[Attribute]:
    rows = db.execute("SELECT id, name, value_type, choices FROM attributes ORDER BY id").fetchall()
    return [Attribute(r[0], r[1], r[2], tuple(json.loads(r[3] or "[]"))) for r in rows]


def attribute_by_name(db: sqlite_utils.Database, name: str) -> int | None:
    row = db.execute("SELECT id FROM attributes WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def insert_attribute(db: sqlite_utils.Database, name: str, value_type: str, choices: list[str]) -> int:
    return insert_row(db, "attributes",
                      {"name": name, "value_type": value_type, "choices": json.dumps(choices)})


def case_values(db: sqlite_utils.Database) -> dict[int, dict[int, str | None]]:
    out: dict[int, dict[int, str | None]] = {}
    for case_id, attr_id, value in db.execute(
            "SELECT case_id, attribute_id, value FROM case_attributes").fetchall():
        out.setdefault(case_id, {})[attr_id] = value
    return out


def set_case_value(db: sqlite_utils.Database, case_id: int, attribute_id: int, value: str | None,
                   *, overwrite: bool = False) -> None:
    verb = "INSERT OR REPLACE" if overwrite else "INSERT OR IGNORE"
    db.execute(f"{verb} INTO case_attributes (case_id, attribute_id, value) VALUES (?, ?, ?)",
               [case_id, attribute_id, value])
