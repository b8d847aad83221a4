"""SQL for documents and their structure (blocks, speaker turns, sync points).

The one storage module that writes those tables (``tests/core/test_document_owner.py``); only
:class:`qcdesk.core.documents.DocumentService` calls its writing functions."""

from __future__ import annotations

import json
from typing import Any, Iterable

import sqlite_utils

from qcdesk.core.models import Block, Document, SpeakerTurn
from qcdesk.core.storage import snapshots
from qcdesk.core.storage.ids import new_id

#: rows of plain tuples as JSON: ``json.dumps`` without its check for circular references
_ROWS_JSON = json.JSONEncoder(check_circular=False)
_DOC_COLUMNS = "id, name, source_format, source_name, imported_at, content_hash, char_count, position"


def _doc(row: tuple) -> Document:
    return Document(*row)


def insert(db: sqlite_utils.Database, row: dict[str, Any]) -> int:
    if "position" not in row:
        row = dict(row, position=next_position(db))
    columns = ", ".join(f'"{c}"' for c in row)
    marks = ", ".join("?" for _ in row)
    return new_id(db.execute(f"INSERT INTO documents ({columns}) VALUES ({marks})", list(row.values())))


def next_position(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT coalesce(max(position), -1) + 1 FROM documents").fetchone()[0])


# A document's structure goes in with one statement per table, not row by row: a 250,000-character
# transcript has thousands of paragraphs and turns. The rows travel as one JSON array read by
# json_each (made by ParsedDocument.block_rows / turn_rows, in the worker process that parsed the
# file when there is one), so SQLite inserts them all in one step without a Python object per row.
# JSON carries integers and text exactly; timestamps (floats) go through executemany, because
# SQLite's JSON number parsing may differ from Python's in the last digit, and so do names holding
# a NUL character (SQLite's JSON text ends there).

def insert_blocks(db: sqlite_utils.Database, document_id: int, blocks: str | Iterable[Block]) -> None:
    """Insert ``blocks``: Block objects or the JSON array of their ``[kind, start, end, level]``."""
    rows = blocks if isinstance(blocks, str) else _ROWS_JSON.encode([(b.kind, b.start, b.end, b.level) for b in blocks])
    db.conn.execute('INSERT INTO blocks (document_id, kind, start, "end", level) '
                    "SELECT ?, value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?) ORDER BY key",
                    (document_id, rows))


def insert_turns(db: sqlite_utils.Database, document_id: int,
                 turns: str | list[tuple[Any, ...]] | Iterable[SpeakerTurn]) -> None:
    """Insert ``turns``: SpeakerTurn objects, the JSON array of their ``[speaker, start, end]`` or
    ``(speaker, start, end, time_start, time_end)`` tuples (see ParsedDocument.turn_rows)."""
    if not isinstance(turns, str):
        rows = [r if isinstance(r, tuple) else (r.speaker, r.start, r.end, r.time_start, r.time_end)
                for r in turns]
        if any(r[3] is not None or r[4] is not None or "\x00" in r[0] for r in rows):
            db.conn.executemany(
                'INSERT INTO speaker_turns (document_id, speaker, start, "end", time_start, time_end) '
                "VALUES (?, ?, ?, ?, ?, ?)", [(document_id, *r) for r in rows])
            return
        turns = _ROWS_JSON.encode([r[:3] for r in rows])
    db.conn.execute('INSERT INTO speaker_turns (document_id, speaker, start, "end") '
                    "SELECT ?, value ->> 0, value ->> 1, value ->> 2 FROM json_each(?) ORDER BY key",
                    (document_id, turns))


#: the tables of a document's structure, whose rows hang on the document and point into its text
STRUCTURE_TABLES = ("blocks", "speaker_turns", "sync_points")
#: table -> (start column, end column) of a structure row's code-point range (a sync point is a point)
_RANGE_COLUMNS = {"blocks": ("start", '"end"'), "speaker_turns": ("start", '"end"'), "sync_points": ("position", None)}
#: the order a document's structure rows are read in for copying
_TEXT_ORDER = {"blocks": "start", "speaker_turns": "start", "sync_points": "position"}


def insert_sync_points(db: sqlite_utils.Database, document_id: int,
                       points: Iterable[tuple[int, float]]) -> None:
    """Store (position, seconds) pairs of one document."""
    db.conn.executemany("INSERT INTO sync_points (document_id, position, seconds) VALUES (?, ?, ?)",
                        [(document_id, int(p), float(s)) for p, s in points])


def all_documents(db: sqlite_utils.Database) -> list[Document]:
    sql = f"SELECT {_DOC_COLUMNS} FROM documents ORDER BY position, id"
    return [_doc(r) for r in db.execute(sql).fetchall()]


def names(db: sqlite_utils.Database) -> dict[int, str]:
    """Each document's name by id: the columns stored before the text, so no overflow page is read."""
    return dict(db.execute("SELECT id, name FROM documents").fetchall())


def get(db: sqlite_utils.Database, document_id: int) -> Document | None:
    row = db.execute(f"SELECT {_DOC_COLUMNS} FROM documents WHERE id = ?", [document_id]).fetchone()
    return _doc(row) if row else None


def by_hash(db: sqlite_utils.Database, content_hash: str) -> list[Document]:
    sql = f"SELECT {_DOC_COLUMNS} FROM documents WHERE content_hash = ? ORDER BY id"
    return [_doc(r) for r in db.execute(sql, [content_hash]).fetchall()]


def text(db: sqlite_utils.Database, document_id: int) -> str | None:
    row = db.execute("SELECT plain_text FROM documents WHERE id = ?", [document_id]).fetchone()
    return row[0] if row else None


def rename(db: sqlite_utils.Database, document_id: int, name: str) -> None:
    db.execute("UPDATE documents SET name = ? WHERE id = ?", [name, document_id])


def ids_in_order(db: sqlite_utils.Database) -> list[int]:
    """Every document's id in the documents' order (the interview order)."""
    return [r[0] for r in db.execute("SELECT id FROM documents ORDER BY position, id").fetchall()]


def set_positions(db: sqlite_utils.Database, ordered_ids: list[int]) -> None:
    db.conn.executemany("UPDATE documents SET position = ? WHERE id = ?",
                        [(position, doc_id) for position, doc_id in enumerate(ordered_ids)])


def set_origin(db: sqlite_utils.Database, document_id: int, created: str | None,
               creator_id: int | None) -> None:
    """When and by whom a document was created where it came from (NULL: not known)."""
    db.execute("UPDATE documents SET created = ?, creator_id = ? WHERE id = ?", [created, creator_id, document_id])


def set_text(db: sqlite_utils.Database, document_id: int, text: str, content_hash: str) -> None:
    db.execute("UPDATE documents SET plain_text = ?, char_count = ?, content_hash = ? WHERE id = ?",
               [text, len(text), content_hash, document_id])


def set_pseudonymised(db: sqlite_utils.Database, document_id: int, when: str | None) -> None:
    db.execute("UPDATE documents SET pseudonymised_at = ? WHERE id = ?", [when, document_id])


def set_turn_speakers(db: sqlite_utils.Database, rows: Iterable[tuple[int, str]]) -> None:
    """(turn id, speaker) pairs."""
    db.conn.executemany("UPDATE speaker_turns SET speaker = ? WHERE id = ?", [(s, i) for i, s in rows])


def set_structure_ranges(db: sqlite_utils.Database, table: str, rows: Iterable[tuple[int, int, int]]) -> None:
    """Write (id, start, end) rows of a structure table back (a sync point takes the start)."""
    start, end = _RANGE_COLUMNS[table]
    if end is None:
        db.conn.executemany(f"UPDATE {table} SET {start} = ? WHERE id = ?", [(s, i) for i, s, _e in rows])
        return
    db.conn.executemany(f"UPDATE {table} SET {start} = ?, {end} = ? WHERE id = ?", [(s, e, i) for i, s, e in rows])


def blocks(db: sqlite_utils.Database, document_id: int) -> list[Block]:
    sql = 'SELECT kind, start, "end", level FROM blocks WHERE document_id = ? ORDER BY start, id'
    return [Block(*r) for r in db.execute(sql, [document_id]).fetchall()]


def turns(db: sqlite_utils.Database, document_id: int) -> list[SpeakerTurn]:
    sql = (
        'SELECT speaker, start, "end", time_start, time_end FROM speaker_turns '
        "WHERE document_id = ? ORDER BY start, id"
    )
    return [SpeakerTurn(*r) for r in db.execute(sql, [document_id]).fetchall()]


def turn_before(db: sqlite_utils.Database, document_id: int, position: int) -> SpeakerTurn | None:
    """The document's turn that starts last at or before ``position`` (in :func:`turns`' order, the
    last of those starting there), or None: one row through the (document, start) index."""
    sql = ('SELECT speaker, start, "end", time_start, time_end FROM speaker_turns '
           "WHERE document_id = ? AND start <= ? ORDER BY start DESC, id DESC LIMIT 1")
    row = db.execute(sql, [document_id, position]).fetchone()
    return SpeakerTurn(*row) if row else None


def snapshot(db: sqlite_utils.Database, document_id: int) -> dict[str, list[dict]]:
    """Every row a deletion of the document removes (see :mod:`snapshots`), for undoing it."""
    return snapshots.capture(db, "documents", [document_id])


def delete(db: sqlite_utils.Database, document_id: int) -> None:
    db.execute("DELETE FROM documents WHERE id = ?", [document_id])


def restore(db: sqlite_utils.Database, rows: dict[str, list[dict]]) -> None:
    snapshots.restore(db, rows)


# ----------------------------------------------------------------- copies from another project (merging)
def structure_rows(db: sqlite_utils.Database, document_id: int) -> dict[str, list[dict]]:
    """A document's blocks, speaker turns and sync points, in text order."""
    return {
        table: [dict(r) for r in db.query(
            f"SELECT * FROM [{table}] WHERE document_id = ? ORDER BY {order}, id", [document_id])]
        for table, order in _TEXT_ORDER.items()
    }


def insert_copy(db: sqlite_utils.Database, row: dict[str, Any], structure: dict[str, list[dict]]) -> int:
    """Insert a document's row and its structure rows as read from another project (under new
    ids, after the documents here); the new document's id."""
    doc_id = insert(db, row)
    for table in STRUCTURE_TABLES:
        db.table(table).insert_all({k: v for k, v in r.items() if k != "id"} | {"document_id": doc_id}
                                   for r in structure.get(table, []))
    return doc_id


def _in_ids(ids: Iterable[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


def rows_of(db: sqlite_utils.Database, document_ids: list[int]) -> dict[str, list[dict]]:
    """The full rows of these documents and of their structure, by id."""
    where = "IN (SELECT value FROM json_each(?))"
    ids = _in_ids(document_ids)
    out = {"documents": [dict(r) for r in db.table("documents").rows_where(f"id {where}", [ids], order_by="id")]}
    for table in STRUCTURE_TABLES:
        out[table] = [dict(r) for r in db.table(table).rows_where(f"document_id {where}", [ids], order_by="id")]
    return out


def structure_ids(db: sqlite_utils.Database, document_ids: list[int]) -> dict[str, list[int]]:
    """The ids of these documents' structure rows, by table."""
    ids = _in_ids(document_ids)
    return {table: [r[0] for r in db.execute(
        f"SELECT id FROM [{table}] WHERE document_id IN (SELECT value FROM json_each(?)) ORDER BY id", [ids])]
        for table in STRUCTURE_TABLES}


def delete_many(db: sqlite_utils.Database, document_ids: list[int]) -> None:
    """Delete these documents (their structure goes with them)."""
    if document_ids:
        db.execute("DELETE FROM documents WHERE id IN (SELECT value FROM json_each(?))", [_in_ids(document_ids)])


def insert_rows(db: sqlite_utils.Database, rows: dict[str, list[dict]]) -> None:
    """Put rows read by :func:`rows_of` back with their ids."""
    for table in ("documents", *STRUCTURE_TABLES):
        if rows.get(table):
            db.table(table).insert_all(rows[table])

