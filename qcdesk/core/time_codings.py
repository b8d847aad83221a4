"""Coding time ranges of a recording (issue 18: a recording without a transcript), without Qt.

A time coding tags ``[start_ms, end_ms)`` of a document's recording with a code. It follows the
rules of text codings (:mod:`qcdesk.core.coding_rules`): it records who coded, a code that only
groups others is refused, and the same code on the same range by the same coder is one coding
(adding it again changes nothing and gives back the one there). A range must lie within the
recording (when its duration is known), and a document without a recording has no time to code.

Reached as ``project.time_codings`` (:class:`TimeCodingService`). Adding and removing are one
action each; :meth:`TimeCodingService.remove` returns the snapshot that
:meth:`TimeCodingService.restore` puts back under the same id (undo); :meth:`TimeCodingService.set_memo`
returns the memo it replaced (undo). Deleting a code or a
document takes its time codings with it, and undoing that puts them back (the snapshots are
derived from the schema, :mod:`qcdesk.core.storage.snapshots`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qcdesk.core import coding_rules
from qcdesk.core.errors import OperationError
from qcdesk.core.models import CodeCount, TimeCoding
from qcdesk.core.storage import schema
from qcdesk.core.storage import time_codings as sql
from qcdesk.core.undo import Done, delete_then, restore_then, swap, touched

if TYPE_CHECKING:
    from qcdesk.core.models import Segment
    from qcdesk.core.project import Project


_TIME_RE = re.compile(r"^\s*(?:(\d+):)?(\d+):(\d{1,2})(?:[.,](\d{1,3}))?\s*$")


def parse_time(text: str) -> int:
    """Milliseconds from ``mm:ss``, ``hh:mm:ss`` or either with ``.fff``; OperationError otherwise."""
    found = _TIME_RE.match(text or "")
    if found is None:
        raise OperationError(f"“{text}” is not a time; write it as mm:ss or hh:mm:ss(.fff), e.g. 02:10 or 1:02:10.5.")
    hours, minutes, seconds, fraction = found.groups()
    if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
        raise OperationError(f"“{text}” is not a time: minutes and seconds go up to 59.")
    ms = int((fraction or "0").ljust(3, "0"))
    return ((int(hours or 0) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + ms


def format_time(ms: int) -> str:
    """``02:10``, ``1:02:10`` or ``02:10.500`` (milliseconds shown only when there are some)."""
    seconds, rest = divmod(int(ms), 1000)
    hours, seconds = divmod(seconds, 3600)
    minutes, seconds = divmod(seconds, 60)
    out = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"
    return out + (f".{rest:03d}" if rest else "")


def format_range(start_ms: int, end_ms: int) -> str:
    return f"{format_time(start_ms)}–{format_time(end_ms)}"


def citation(document_name: str, start_ms: int, end_ms: int) -> str:
    """``Diary 3, 02:10–02:45``."""
    return f"{document_name}, {format_range(start_ms, end_ms)}"


class TimeCodingService:
    """The time codings of one project (``project.time_codings``)."""

    def __init__(self, project: "Project"):
        self.project = project

    @property
    def _db(self):
        return self.project.db

    # ------------------------------------------------------------ reading
    def get(self, time_coding_id: int) -> TimeCoding:
        found = sql.get(self._db, time_coding_id)
        if found is None:
            raise OperationError(f"Time coding {time_coding_id} does not exist.")
        return found

    def for_document(self, document_id: int) -> list[TimeCoding]:
        return sql.for_document(self._db, document_id)

    def for_codes(self, code_ids: list[int]) -> list[TimeCoding]:
        return sql.for_codes(self._db, code_ids)

    def all(self) -> list[TimeCoding]:
        return sql.all_rows(self._db)

    # ------------------------------------------------------------ changing
    def check(self, document_id: int, code_id: int, start_ms: int, end_ms: int, *, from_file: bool = False) -> None:
        """Refuse, with one line, a range that cannot be coded (changes nothing). ``from_file``
        (an import, a merge): a coding a file already has on a grouping code is kept."""
        doc = self.project.document(document_id)
        code = self.project.code(code_id)
        if not from_file:
            coding_rules.check_codable(code)
        info = self.project.media.for_document(document_id)
        if info is None:
            raise OperationError(f"“{doc.name}” has no recording, so it has no time to code; "
                                 "attach its recording first.")
        if not (0 <= start_ms < end_ms):
            raise OperationError(f"Cannot code {format_range(max(start_ms, 0), max(end_ms, 0))}: "
                                 "a time range must start before it ends.")
        if info.duration_ms is not None and end_ms > info.duration_ms:
            raise OperationError(f"Cannot code {format_range(start_ms, end_ms)} of “{doc.name}”: its recording "
                                 f"lasts only {format_time(info.duration_ms)}.")

    def add(self, document_id: int, code_id: int, start_ms: int, end_ms: int, *, memo: str = "",
            coder_id: int | None | bool = False, created_at: str | None = None,
            from_file: bool = False) -> Done[TimeCoding]:
        """Code ``[start_ms, end_ms)`` of the document's recording (one action). The same code,
        range and coder again changes nothing and gives the time coding already there (with no
        undo). ``coder_id`` (imports, merges) overrides the session's coder. The undo removes
        the new row; its own undo puts the same row back."""
        start_ms, end_ms = int(start_ms), int(end_ms)
        self.check(document_id, code_id, start_ms, end_ms, from_file=from_file)
        with self.project.coder_recorded():  # a coder chosen before the full check: recorded here
            coder = coding_rules.recording_coder(self._db, self.project.coder) if coder_id is False else coder_id
            found = sql.duplicate(self._db, document_id, code_id, start_ms, end_ms, coder)
            if found is not None:
                return Done(found, None)
            with self.project.action() as changes:
                new = sql.insert(self._db, {"document_id": document_id, "code_id": code_id, "coder_id": coder,
                                            "start_ms": start_ms, "end_ms": end_ms, "memo": memo,
                                            "created_at": created_at or schema.now()})
                changes.codes.add(code_id)
                changes.coded_documents.add(document_id)
        return Done(self.get(new), delete_then("Remove time coding", lambda: self._remove(new), self._restore,
                                               "Restore time coding", touched("time_codings", [new])))

    def set_memo(self, time_coding_id: int, memo: str) -> Done[str]:
        """Give a time coding this memo (one action); the value is the memo it had, the undo puts
        that back (None when the memo is the same)."""
        old = self._set_memo(time_coding_id, memo)
        if old == str(memo):
            return Done(old, None)
        return Done(old, swap("Edit memo of time range", lambda text: self._set_memo(time_coding_id, text),
                              old, str(memo), touched("time_codings", [time_coding_id])))

    def _set_memo(self, time_coding_id: int, memo: str) -> str:
        item = self.get(time_coding_id)
        memo = str(memo)
        if memo != item.memo:
            with self.project.action() as changes:
                sql.set_memo(self._db, time_coding_id, memo)
                changes.codes.add(item.code_id)
                changes.coded_documents.add(item.document_id)
                changes.memos = True
        return item.memo

    def remove(self, time_coding_id: int) -> Done[dict]:
        """Remove one time coding; the value is the snapshot of the row, the undo puts it back
        under the same id."""
        snap = self._remove(time_coding_id)
        return Done(snap, restore_then("Restore time coding", self._restore, snap,
                                       lambda: self._remove(time_coding_id), "Remove time coding",
                                       touched("time_codings", [time_coding_id])))

    def _remove(self, time_coding_id: int) -> dict:
        item = self.get(time_coding_id)
        with self.project.action() as changes:
            snap = sql.snapshot(self._db, [time_coding_id])
            sql.delete(self._db, time_coding_id)
            changes.codes.add(item.code_id)
            changes.coded_documents.add(item.document_id)
        return snap

    def _restore(self, snap: dict) -> None:
        row = snap["time_codings"][0]
        with self.project.action() as changes:
            sql.restore(self._db, snap)
            changes.codes.add(row["code_id"])
            changes.coded_documents.add(row["document_id"])

    # ------------------------------------------------------------ counting and retrieval
    def counts_by_code(self) -> dict[int, CodeCount]:
        return sql.counts_by_code(self._db)

    def counts_by_code_and_document(self) -> dict[tuple[int, int], int]:
        return sql.counts_by_code_and_document(self._db)


def time_segments(project: "Project", code_ids: list[int]) -> list["Segment"]:
    """The time codings of these codes as segments: no text (the memo when there is one), the
    range in ``time_range`` and ``time_start`` (seconds), for retrieval and reports."""
    from qcdesk.core.models import Coding, Segment

    items = project.time_codings.for_codes(code_ids)
    if not items:
        return []
    names = {d.id: d.name for d in project.documents()}
    return [Segment(coding=Coding(-t.id, t.document_id, t.code_id, 0, 0, t.coder_id, t.created_at),
                    document_name=names[t.document_id], text=t.memo, time_start=t.start_ms / 1000,
                    time_range=(t.start_ms, t.end_ms)) for t in items]
