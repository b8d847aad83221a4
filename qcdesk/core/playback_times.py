"""Where in a recording a passage of its transcript was said, and back: the one place the player
(and the coded-segments list) turn text positions into seconds and seconds into text.

Times come from the speaker turns (``time_start`` / ``time_end``, seconds). A position inside a
timed turn gets a time interpolated between the turn's start and its end (its own ``time_end``,
else the next timed turn's start); with no end known it gets the turn's start. When finer times
are stored (sentence-level stamps), :class:`Timeline` is the one thing to teach about them.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from qcdesk.core.models import SpeakerTurn


@dataclass(frozen=True)
class TimedTurn:
    """A turn with a known start time, and the time it ends (its own, or the next turn's start)."""

    start: int  # code points
    end: int
    time_start: float
    time_end: float | None


class Timeline:
    """One document's timed turns, in text order."""

    def __init__(self, turns: list[SpeakerTurn]):
        timed = sorted((t for t in turns if t.time_start is not None), key=lambda t: t.start)
        self.turns: list[TimedTurn] = []
        for i, turn in enumerate(timed):
            end_time = turn.time_end
            if end_time is None and i + 1 < len(timed):
                end_time = timed[i + 1].time_start
            if end_time is not None and end_time < turn.time_start:
                end_time = None
            self.turns.append(TimedTurn(turn.start, max(turn.end, turn.start), float(turn.time_start),
                                        None if end_time is None else float(end_time)))
        self._starts = [t.start for t in self.turns]
        #: turn indexes in time order (a transcript's times may run out of text order)
        self._by_time = sorted(range(len(self.turns)), key=lambda i: self.turns[i].time_start)
        self._times = [self.turns[i].time_start for i in self._by_time]

    def __bool__(self) -> bool:
        return bool(self.turns)

    def _turn_at(self, position: int) -> int | None:
        i = bisect_right(self._starts, position) - 1
        return i if i >= 0 else None

    def time_at(self, position: int) -> float | None:
        """Seconds into the recording where the text at code point ``position`` was said; None
        before the first timed turn."""
        i = self._turn_at(position)
        if i is None:
            return None
        turn = self.turns[i]
        if turn.time_end is None:
            return turn.time_start
        if position >= turn.end:  # between this turn and the next
            return turn.time_end
        share = (position - turn.start) / (turn.end - turn.start)
        return turn.time_start + share * (turn.time_end - turn.time_start)

    def span_at(self, start: int, end: int) -> tuple[float, float | None] | None:
        """(from, to) seconds of the passage ``[start, end)``; ``to`` None when unknown."""
        begin = self.time_at(start)
        if begin is None:
            return None
        finish = self.time_at(end)
        return begin, finish if finish is not None and finish > begin else None

    def turn_index_at_time(self, seconds: float) -> int | None:
        """The timed turn being said at ``seconds`` (the one started last by then), or None."""
        i = bisect_right(self._times, seconds) - 1
        return self._by_time[i] if i >= 0 else None
