"""SQL reading the times known inside a document's text (``sync_points``, migration 0008; written by
:mod:`qcdesk.core.storage.documents`)."""

from __future__ import annotations

import sqlite_utils


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
