"""What every importer produces: immutable plain text plus its structure.

An importer reads one file and returns a :class:`ParsedDocument`; it never
touches the project. Offsets in blocks and turns are code points into ``text``.
Importers are pure functions of the file's bytes, so they may run in a worker
process while the window stays responsive.

A parsed document crosses from a worker process to the one that stores it as a few strings
(see :meth:`ParsedDocument.__reduce__`): pickling thousands of frozen ``Block`` and
``SpeakerTurn`` objects cost more than storing them (about 9 ms to pickle and 15 ms to unpickle
a 250,000-character transcript's 2,600 rows, against 16-18 ms to store them). The rows travel as
the JSON text storage inserts in one statement, already checked by :meth:`ParsedDocument.validate`,
and become objects again only if something reads ``blocks`` or ``turns``.
"""

from __future__ import annotations

import hashlib
import json
import operator
import threading
from dataclasses import dataclass, field
from typing import Any

from qcdesk.core.models import Block, SpeakerTurn


@dataclass
class ParsedDocument:
    text: str
    source_format: str
    blocks: list[Block] = field(default_factory=list)
    turns: list[SpeakerTurn] = field(default_factory=list)
    #: (code point, seconds): times known inside the text beyond the turns' own (a subtitle cue
    #: merged into a longer turn, an f4/f5 stamp taken out of the text), in text order
    sync_points: list[tuple[int, float]] = field(default_factory=list)
    #: things the user should know that did not stop the import (e.g. "footnotes ignored")
    notices: list[str] = field(default_factory=list)

    def validate(self) -> None:
        """Raise ``ValueError`` if any range lies outside the text or is reversed."""
        n = len(self.text)
        starts: list[int] = []
        ends: list[int] = []
        for key in ("_blocks", "_turns"):
            rows = self.__dict__[key]
            if isinstance(rows, _Packed):  # came packed from another process, checked there (and unread)
                continue
            if isinstance(rows, _Rows):
                starts += map(_ROW_START, rows.rows)
                ends += map(_ROW_END, rows.rows)
            else:
                starts += map(_START, rows)
                ends += map(_END, rows)
        # the common case at C speed (thousands of ranges, checked again before storing); the
        # loop below only finds the first bad range to name it
        if starts and (min(starts) < 0 or max(ends) > n or any(map(operator.gt, starts, ends))):
            for start, end in zip(starts, ends):
                if not (0 <= start <= end <= n):
                    raise ValueError(f"range {start}-{end} outside text of length {n}")
        for position, seconds in self.sync_points:
            if not (0 <= position <= n) or not (seconds >= 0) or seconds == float("inf"):
                raise ValueError(f"time {seconds} at {position} outside text of length {n}")

    @classmethod
    def from_rows(cls, text: str, source_format: str, blocks: list[tuple[str, int, int, int]],
                  turns: list[tuple[str, int, int, float | None, float | None]],
                  sync_points: list[tuple[int, float]], notices: list[str]) -> ParsedDocument:
        """A document from its blocks as ``(kind, start, end, level)`` and its turns as ``(speaker,
        start, end, time_start, time_end)`` tuples: what storage inserts, so a reader need not make
        thousands of ``Block`` and ``SpeakerTurn`` objects that nothing may read; they are made
        when ``blocks`` or ``turns`` is read. Not checked here (see :meth:`validate`)."""
        doc = cls(text, source_format, sync_points=sync_points, notices=notices)
        doc.__dict__["_blocks"], doc.__dict__["_turns"] = _Rows(blocks), _Rows(turns)
        return doc

    def block_rows(self) -> str:
        """The blocks as the JSON array of ``[kind, start, end, level]`` rows storage inserts."""
        packed = self.__dict__["_blocks"]
        if isinstance(packed, _Packed):
            assert isinstance(packed.rows, str)  # blocks always travel as JSON
            return packed.rows
        if isinstance(packed, _Rows):
            return rows_json(packed.rows)
        return rows_json([(b.kind, b.start, b.end, b.level) for b in packed])

    def turn_rows(self) -> str | list[tuple[Any, ...]]:
        """The turns as storage inserts them: a JSON array of ``[speaker, start, end]`` rows, or,
        when a turn has a time or a speaker holds a NUL (which JSON in SQLite cannot carry
        exactly), a list of ``(speaker, start, end, time_start, time_end)`` tuples."""
        packed = self.__dict__["_turns"]
        if isinstance(packed, _Packed):
            return packed.rows
        if isinstance(packed, _Rows):
            rows = packed.rows
        else:
            rows = [(t.speaker, t.start, t.end, t.time_start, t.time_end) for t in packed]
        if untimed_rows(rows):
            return rows_json(list(map(_FIRST_THREE, rows)))
        return rows

    def packed(self, *, checked: bool = False) -> ParsedDocument:
        """This document as another process would receive it: its rows as the JSON storage inserts,
        checked (``checked``: the caller has just done that, see :meth:`validate`), and its
        duplicate key known, so that storing it does none of that work."""
        return _unpack(*self._reduced(checked)[1])

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its text and rows (see the module's docstring); checked before it goes."""
        return self._reduced(False)

    def _reduced(self, checked: bool) -> tuple[Any, ...]:
        if not checked:
            self.validate()
        return (_unpack, (self.text, self.source_format, self.block_rows(), self.turn_rows(),
                          self.sync_points, self.notices, content_hash(self.text)))


class _Packed:
    """Rows of blocks or turns as they came from another process, checked there."""

    __slots__ = ("rows",)

    def __init__(self, rows: str | list[tuple[Any, ...]]):
        self.rows = rows

    def blocks(self) -> list[Block]:
        assert isinstance(self.rows, str)
        return [Block(*r) for r in json.loads(self.rows)]

    def turns(self) -> list[SpeakerTurn]:
        rows = json.loads(self.rows) if isinstance(self.rows, str) else self.rows
        return [SpeakerTurn(*r) for r in rows]


class _Rows:
    """Rows of blocks or turns as tuples, made in this process (see :meth:`ParsedDocument.from_rows`)."""

    __slots__ = ("rows",)

    def __init__(self, rows: list[tuple[Any, ...]]):
        self.rows = rows

    def blocks(self) -> list[Block]:
        return [Block(*r) for r in self.rows]

    def turns(self) -> list[SpeakerTurn]:
        return [SpeakerTurn(*r) for r in self.rows]


def _rows_property(name: str) -> property:
    key = f"_{name}"

    def get(self: ParsedDocument) -> Any:
        value = self.__dict__[key]
        if isinstance(value, (_Packed, _Rows)):  # read as objects: from now on checked as objects too
            value = self.__dict__[key] = getattr(value, name)()
        return value

    def set_(self: ParsedDocument, value: Any) -> None:
        self.__dict__[key] = value

    return property(get, set_)


# set after the dataclass is made, so that __init__, __eq__ and __repr__ go through them
ParsedDocument.blocks = _rows_property("blocks")  # type: ignore[assignment]
ParsedDocument.turns = _rows_property("turns")  # type: ignore[assignment]


def _unpack(text: str, source_format: str, blocks: str, turns: str | list[tuple[Any, ...]],
            sync_points: list[tuple[int, float]], notices: list[str], digest: str) -> ParsedDocument:
    doc = ParsedDocument(text, source_format, sync_points=sync_points, notices=notices)
    doc.__dict__["_blocks"], doc.__dict__["_turns"] = _Packed(blocks), _Packed(turns)
    _remember_hash(text, digest)
    return doc


def rows_json(rows: list[tuple[Any, ...]]) -> str:
    """Rows of plain tuples (no container holds itself) as a JSON array; the same text as
    ``json.dumps(rows)``, without the check for circular references (half its time)."""
    return _ROWS_JSON.encode(rows)


def untimed_rows(rows: list[tuple[Any, ...]]) -> bool:
    """Whether turn rows ``(speaker, start, end, time_start, time_end)`` have no times and no
    speaker holding a NUL (which JSON in SQLite cannot carry exactly): then they travel as JSON."""
    n = len(rows)
    return (list(map(_FOURTH, rows)).count(None) == n and list(map(_FIFTH, rows)).count(None) == n
            and "\x00" not in "".join(map(_FIRST, rows)))


_ROWS_JSON = json.JSONEncoder(check_circular=False)
_FIRST, _FOURTH, _FIFTH = operator.itemgetter(0), operator.itemgetter(3), operator.itemgetter(4)
_FIRST_THREE = operator.itemgetter(0, 1, 2)
_START = operator.attrgetter("start")
_END = operator.attrgetter("end")
_ROW_START = operator.itemgetter(1)
_ROW_END = operator.itemgetter(2)


def content_hash(text: str) -> str:
    """The duplicate-detection key: SHA-256 of the UTF-8 plain text.

    Storing a file asks twice for the same text (the duplicate check, then the new row), and a
    file parsed in a worker process comes with its key: the last few answers are kept with the
    very string objects they belong to (immutable, held here so their ids stay theirs), so asking
    again costs nothing; any other string is hashed afresh."""
    known = _hashes.get(id(text))
    if known is not None and known[0] is text:
        return known[1]
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    _remember_hash(text, digest)
    return digest


def _remember_hash(text: str, digest: str) -> None:
    with _hashes_lock:  # a worker process's results are unpickled in a thread of their own
        _hashes[id(text)] = (text, digest)
        while len(_hashes) > _HASHES_KEPT:
            del _hashes[next(iter(_hashes))]


#: texts whose keys are kept: the parsed files waiting to be stored (see importing.PARSE_AHEAD) and more
_HASHES_KEPT = 16
_hashes: dict[int, tuple[str, str]] = {}
_hashes_lock = threading.Lock()
