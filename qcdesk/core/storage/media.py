"""SQL for recordings (``media``) and the chunks of the ones stored inside the project."""

from __future__ import annotations

from typing import Any, Iterator, NamedTuple

import sqlite_utils

from qcdesk.core.storage.textedit import secure_delete

_COLUMNS = ("id, document_id, name, kind, mime, size, duration_ms, storage, link_path, sha256, "
            "chunk_size")


class MediaRow(NamedTuple):
    """A recording's row (its chunks apart)."""

    id: int
    document_id: int | None
    name: str
    kind: str
    mime: str
    size: int
    duration_ms: int | None
    storage: str
    link_path: str | None
    sha256: str
    chunk_size: int


class StoredRecording(NamedTuple):
    """What checking a recording stored inside the project needs."""

    id: int
    name: str
    size: int
    sha256: str
    chunk_size: int


def insert(db: sqlite_utils.Database, row: dict[str, Any]) -> int:
    pk = db.table("media").insert(row).last_pk
    assert pk is not None
    return int(pk)


def get(db: sqlite_utils.Database, media_id: int) -> MediaRow | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM media WHERE id = ?", [media_id]).fetchone()
    return MediaRow(*row) if row else None


def for_document(db: sqlite_utils.Database, document_id: int) -> MediaRow | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM media WHERE document_id = ?", [document_id]).fetchone()
    return MediaRow(*row) if row else None


def all_rows(db: sqlite_utils.Database) -> list[MediaRow]:
    sql = (f"SELECT {', '.join('m.' + c.strip() for c in _COLUMNS.split(','))} FROM media m "
           "LEFT JOIN documents d ON d.id = m.document_id ORDER BY d.position, m.document_id, m.id")
    return [MediaRow(*r) for r in db.execute(sql).fetchall()]


def add_chunk(db: sqlite_utils.Database, media_id: int, seq: int, data: bytes) -> None:
    db.execute("INSERT INTO media_chunks (media_id, seq, data) VALUES (?, ?, ?)", [media_id, seq, data])


def chunk(db: sqlite_utils.Database, media_id: int, seq: int) -> bytes | None:
    row = db.execute("SELECT data FROM media_chunks WHERE media_id = ? AND seq = ?",
                     [media_id, seq]).fetchone()
    return bytes(row[0]) if row else None


def update(db: sqlite_utils.Database, media_id: int, **values: Any) -> None:
    sets = ", ".join(f"[{k}] = ?" for k in values)
    db.execute(f"UPDATE media SET {sets} WHERE id = ?", [*values.values(), media_id])


def delete(db: sqlite_utils.Database, media_id: int) -> None:
    """Remove a recording and its chunks, zeroing their pages in the file (``secure_delete``: some
    SQLite builds do by default, others would leave the audio in free pages)."""
    db.execute("DELETE FROM media WHERE id = ?", [media_id])
    with secure_delete(db):
        db.execute("DELETE FROM media_chunks WHERE media_id = ?", [media_id])


def orphan_ids(db: sqlite_utils.Database) -> list[int]:
    """Media ids that have chunks but no media row (kept so undoing a deletion finds them)."""
    return [r[0] for r in db.execute(
        "SELECT DISTINCT media_id FROM media_chunks WHERE media_id NOT IN (SELECT id FROM media)")]


def purge_orphans(db: sqlite_utils.Database) -> int:
    """Delete the chunks of recordings whose row is gone; return how many recordings that was.

    A deleted document's recording keeps its chunks while its deletion can still be undone
    (the undo history lasts as long as the project is open); this runs when the project is
    opened and closed, when no undo can need them any more. Their pages are zeroed, so a plain
    project's file no longer holds the audio.
    """
    ids = orphan_ids(db)
    if ids:
        with secure_delete(db), db.atomic():
            db.execute("DELETE FROM media_chunks WHERE media_id NOT IN (SELECT id FROM media)")
    return len(ids)


class Chunk(NamedTuple):
    """One stored piece of a recording: its place in order and its bytes."""

    seq: int
    data: bytes


def stored_chunks(db: sqlite_utils.Database, media_id: int) -> Iterator[Chunk]:
    """A stored recording's chunks in order, one at a time."""
    for seq, data in db.execute("SELECT seq, data FROM media_chunks WHERE media_id = ? ORDER BY seq", [media_id]):
        yield Chunk(seq, data)


def stored_media(db: sqlite_utils.Database) -> list[StoredRecording]:
    """Every recording stored inside."""
    return [StoredRecording(*r) for r in db.execute(
        "SELECT id, name, size, sha256, chunk_size FROM media WHERE storage = 'embedded' ORDER BY id").fetchall()]
