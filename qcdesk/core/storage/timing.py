"""SQL reading the times known inside a document's text (``sync_points``, migration 0008; written by
:mod:`qcdesk.core.storage.documents`)."""

from __future__ import annotations

import json
from typing import Iterable, NamedTuple

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


def turn_start_times(db: sqlite_utils.Database, document_id: int) -> list[tuple[int, float]]:
    """(start, time_start) of the document's turns that have a start time, in text order."""
    sql = ("SELECT start, time_start FROM speaker_turns WHERE document_id = ? AND time_start IS NOT NULL "
           "ORDER BY start, id")
    return [(int(start), seconds) for start, seconds in db.execute(sql, [document_id]).fetchall()]


def block_starts_among(db: sqlite_utils.Database, document_id: int, positions: Iterable[int]) -> set[int]:
    """Which of ``positions`` are where one of the document's paragraphs (blocks) begins."""
    sql = ("SELECT DISTINCT start FROM blocks WHERE document_id = ? "
           "AND start IN (SELECT value FROM json_each(?))")
    wanted = json.dumps(sorted({int(p) for p in positions}))
    return {int(r[0]) for r in db.execute(sql, [document_id, wanted]).fetchall()}


def timed_turns(db: sqlite_utils.Database, document_id: int) -> list[TurnTimes]:
    """(start, end, time_start, time_end, length of the speaker's name) of the document's
    speaker turns, in text order."""
    sql = ('SELECT start, "end", time_start, time_end, length(speaker) FROM speaker_turns '
           "WHERE document_id = ? ORDER BY start, id")
    return [TurnTimes(*r) for r in db.execute(sql, [document_id]).fetchall()]
