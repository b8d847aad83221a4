"""SQL for documents and their structure (blocks, speaker turns)."""

from __future__ import annotations

from typing import Any, Iterable

import sqlite_utils

from qcdesk.core.models import Block, Document, SpeakerTurn
from qcdesk.core.storage import snapshots

_DOC_COLUMNS = "id, name, source_format, source_name, imported_at, content_hash, char_count, position"


def _doc(row: tuple) -> Document:
    return Document(*row)


def insert(db: sqlite_utils.Database, row: dict[str, Any]) -> int:
    if "position" not in row:
        row = dict(row, position=next_position(db))
    return int(db["documents"].insert(row).last_pk)


def next_position(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT coalesce(max(position), -1) + 1 FROM documents").fetchone()[0])


def insert_blocks(db: sqlite_utils.Database, document_id: int, blocks: Iterable[Block]) -> None:
    db["blocks"].insert_all(
        {"document_id": document_id, "kind": b.kind, "start": b.start, "end": b.end, "level": b.level}
        for b in blocks
    )


def insert_turns(db: sqlite_utils.Database, document_id: int, turns: Iterable[SpeakerTurn]) -> None:
    db["speaker_turns"].insert_all(
        {
            "document_id": document_id,
            "speaker": t.speaker,
            "start": t.start,
            "end": t.end,
            "time_start": t.time_start,
            "time_end": t.time_end,
        }
        for t in turns
    )


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


def blocks(db: sqlite_utils.Database, document_id: int) -> list[Block]:
    sql = 'SELECT kind, start, "end", level FROM blocks WHERE document_id = ? ORDER BY start, id'
    return [Block(*r) for r in db.execute(sql, [document_id]).fetchall()]


def turns(db: sqlite_utils.Database, document_id: int) -> list[SpeakerTurn]:
    sql = (
        'SELECT speaker, start, "end", time_start, time_end FROM speaker_turns '
        "WHERE document_id = ? ORDER BY start, id"
    )
    return [SpeakerTurn(*r) for r in db.execute(sql, [document_id]).fetchall()]


def snapshot(db: sqlite_utils.Database, document_id: int) -> dict[str, list[dict]]:
    """Every row a deletion of the document removes (see :mod:`snapshots`), for undoing it."""
    return snapshots.capture(db, "documents", [document_id])


def delete(db: sqlite_utils.Database, document_id: int) -> None:
    db.execute("DELETE FROM documents WHERE id = ?", [document_id])


def restore(db: sqlite_utils.Database, rows: dict[str, list[dict]]) -> None:
    snapshots.restore(db, rows)

