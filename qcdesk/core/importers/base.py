"""What every importer produces: immutable plain text plus its structure.

An importer reads one file and returns a :class:`ParsedDocument`; it never
touches the project. Offsets in blocks and turns are code points into ``text``.
Importers are pure functions of the file's bytes, so they may run in a worker
thread while the window stays responsive.
"""

from __future__ import annotations

import hashlib
import operator
from dataclasses import dataclass, field

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
        items: list[Block | SpeakerTurn] = [*self.blocks, *self.turns]
        starts = list(map(_START, items))
        ends = list(map(_END, items))
        # the common case at C speed (thousands of ranges, checked again before storing); the
        # loop below only finds the first bad range to name it
        if items and (min(starts) < 0 or max(ends) > n or any(map(operator.gt, starts, ends))):
            for item in items:
                if not (0 <= item.start <= item.end <= n):
                    raise ValueError(f"range {item.start}-{item.end} outside text of length {n}")
        for position, seconds in self.sync_points:
            if not (0 <= position <= n) or not (seconds >= 0) or seconds == float("inf"):
                raise ValueError(f"time {seconds} at {position} outside text of length {n}")


_START = operator.attrgetter("start")
_END = operator.attrgetter("end")


def content_hash(text: str) -> str:
    """The duplicate-detection key: SHA-256 of the UTF-8 plain text.

    Storing a file asks twice for the same text (the duplicate check, then the new row): the last
    answer is kept with the very string object it was computed from (immutable), so the second
    call costs nothing; any other string is hashed afresh."""
    global _last_hash
    last = _last_hash
    if last is not None and last[0] is text:
        return last[1]
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    _last_hash = (text, digest)
    return digest


_last_hash: tuple[str, str] | None = None
