"""SQL reading the times known inside a document's text (``sync_points``, migration 0008; written by
:mod:`qcdesk.core.storage.documents`)."""

from __future__ import annotations

from typing import NamedTuple

import sqlite_utils


class SyncPoint(NamedTuple):
    """A time known at a code point of a document's text."""

    position: int
    seconds: float


class TurnTimes(NamedTuple):
    """A speaker turn's range and times, and how long its speaker's name is (the text before them)."""

    start: int
    end: int
    time_start: float | None
    time_end: float | None
    name_length: int


def sync_points(db: sqlite_utils.Database, document_id: int) -> list[SyncPoint]:
    """(position, seconds) of the document's sync points, in text order."""
    sql = "SELECT position, seconds FROM sync_points WHERE document_id = ? ORDER BY position, id"
    return [SyncPoint(*r) for r in db.execute(sql, [document_id]).fetchall()]


def timed_turns(db: sqlite_utils.Database, document_id: int) -> list[TurnTimes]:
    """(start, end, time_start, time_end, length of the speaker's name) of the document's
    speaker turns, in text order."""
    sql = ('SELECT start, "end", time_start, time_end, length(speaker) FROM speaker_turns '
           "WHERE document_id = ? ORDER BY start, id")
    return [TurnTimes(*r) for r in db.execute(sql, [document_id]).fetchall()]
