"""The player's side of a transcript's times: seconds into the recording -> the turn being said
(to follow the recording), and the passages it plays.

Positions become seconds in one place, :class:`qcdesk.core.timing.Timeline` (turn times, sync
points such as subtitle cues and f4 stamps, interpolation); this module asks it, unrounded, so
that playback starts at or slightly before a passage, never after it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from qcdesk.core import timing
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

    def __init__(self, turns: list[SpeakerTurn], times: timing.Timeline | None = None):
        """``times``: the document's timeline (with its sync points); by default one from
        ``turns`` alone."""
        if times is None:
            times = timing.Timeline.from_rows(
                (t.start, t.end, t.time_start, t.time_end, len(t.speaker))
                for t in sorted(turns, key=lambda t: t.start))
        self.times = times
        timed = sorted((t for t in turns if t.time_start is not None), key=lambda t: t.start)
        self.turns: list[TimedTurn] = []
        for i, turn in enumerate(timed):
            begin = float(turn.time_start or 0.0)  # every turn here has a time (filtered above)
            end_time = turn.time_end
            if end_time is None and i + 1 < len(timed):
                end_time = timed[i + 1].time_start
            if end_time is not None and end_time < begin:
                end_time = None
            self.turns.append(TimedTurn(turn.start, max(turn.end, turn.start), begin,
                                        None if end_time is None else float(end_time)))
        #: turn indexes in time order (a transcript's times may run out of text order)
        self._by_time = sorted(range(len(self.turns)), key=lambda i: self.turns[i].time_start)
        self._times = [self.turns[i].time_start for i in self._by_time]

    def __bool__(self) -> bool:
        return bool(self.turns)

    def time_at(self, position: int) -> float | None:
        """Seconds into the recording to play the text at code point ``position`` from; None
        when no time is known at or before it."""
        return self.times.start_seconds(position)

    def span_at(self, start: int, end: int) -> tuple[float, float | None] | None:
        """(from, to) seconds of the passage ``[start, end)``; ``to`` None when unknown."""
        return self.times.passage(start, end)

    def turn_index_at_time(self, seconds: float) -> int | None:
        """The timed turn being said at ``seconds`` (the one started last by then), or None."""
        i = bisect_right(self._times, seconds) - 1
        return self._by_time[i] if i >= 0 else None
