"""SQL for the times known inside a document's text (``sync_points``, migration 0008)."""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils


def insert_sync_points(db: sqlite_utils.Database, document_id: int,
                       points: Iterable[tuple[int, float]]) -> None:
    """Store (position, seconds) pairs of one document; the one place imports write them."""
    db.conn.executemany("INSERT INTO sync_points (document_id, position, seconds) VALUES (?, ?, ?)",
                        [(document_id, int(p), float(s)) for p, s in points])


def sync_points(db: sqlite_utils.Database, document_id: int) -> list[tuple[int, float]]:
    """(position, seconds) of the document's sync points, in text order."""
    sql = "SELECT position, seconds FROM sync_points WHERE document_id = ? ORDER BY position, id"
    return [(r[0], r[1]) for r in db.execute(sql, [document_id]).fetchall()]


def timed_turns(db: sqlite_utils.Database,
                document_id: int) -> list[tuple[int, int, float | None, float | None, int]]:
    """(start, end, time_start, time_end, length of the speaker's name) of the document's
    speaker turns, in text order."""
    sql = ('SELECT start, "end", time_start, time_end, length(speaker) FROM speaker_turns '
           "WHERE document_id = ? ORDER BY start, id")
    return [tuple(r) for r in db.execute(sql, [document_id]).fetchall()]
