"""What time of the recording a position in a document's text stands for.

Times come from three places, best first:

* sync points (``sync_points``): a subtitle cue that was merged into a longer turn, an f4/f5
  ``#00:01:23-4#`` or ``[00:01:23]`` stamp taken out of a transcript's text at import;
* speaker turns: where each turn starts (``time_start``) and, if known, ends (``time_end``);
* for documents imported before stamps became structure: ``[12:58]`` marks still in a turn's text.

:func:`time_at` answers "what time is at position p": the nearest known time at or before p in
the same turn (or, outside turns and in turns without a time of their own, anywhere before p:
f4/f5 put their stamp at the end of a paragraph, so it is the time where the next one begins).
Where that is only the turn's start and the turn has a known end (the next time inside it, its
own end, or the next turn's start), the time is interpolated by character position (from the end
of the turn's ``Speaker:`` label) and rounded to whole seconds: it is an estimate, and says no
more than it knows. A stretch that would be spoken slower than :data:`SLOWEST_SPEECH` (a long
silence before the next turn, not speech) is not interpolated: the turn's start stands.
Reports, the player and REFI-QDA export all ask here.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from qcdesk.core.importers.layouts import TIME, parse_time
from qcdesk.core.storage import timing as sql

#: a time marked inside an older import's turn text: [12:58], (1:02:03), [00:12:58.5]
INLINE_TIME = re.compile(rf"[\[(]({TIME})[\])]")


#: seconds per character beyond which a span is not speech at an even pace (about 2 characters
#: a second; people speak 10 to 20, pauses included)
SLOWEST_SPEECH = 0.5


@dataclass(frozen=True)
class Moment:
    seconds: float
    #: False when interpolated between two known times (then whole seconds)
    exact: bool


class Timeline:
    """Every known time of one document, read once; answers many positions quickly."""

    def __init__(self, project, document_id: int) -> None:
        turns = sql.timed_turns(project.db, document_id)
        points = dict(_inline_marks(project, document_id, turns))
        points.update(sql.sync_points(project.db, document_id))  # stored points win over marks
        self._index(turns, points)

    @classmethod
    def from_rows(cls, turns, points=()) -> Timeline:
        """A timeline from rows, without a project: ``turns`` as (start, end, time_start,
        time_end, length of the speaker's name) in text order, ``points`` as (position, seconds)."""
        line = cls.__new__(cls)
        line._index([sql.TurnTimes(*t) for t in turns], dict(points))
        return line

    def _index(self, turns, points: dict[int, float]) -> None:
        self.turns = turns
        self._turn_starts = [t.start for t in self.turns]
        self.inner = sorted(points.items())  # times inside the text, not the turns' own
        self._inner_positions = [p for p, _ in self.inner]
        every = dict(self.inner)
        for start, _end, t0, _t1, _label in self.turns:
            if t0 is not None:
                every.setdefault(start, t0)
        self.points: list[tuple[int, float]] = sorted(every.items())

    def _turn(self, position: int) -> int | None:
        i = bisect_right(self._turn_starts, position) - 1
        if i >= 0:
            start, end = self.turns[i].start, self.turns[i].end
            if start <= position < max(end, start + 1):
                return i
        return None

    def moment(self, position: int, rounded: bool = True) -> Moment | None:
        """The time at ``position``; ``rounded=False`` keeps an interpolated estimate's fraction."""
        k = self._turn(position)
        if k is None:
            i = bisect_right(self._inner_positions, position) - 1
            return Moment(self.inner[i][1], True) if i >= 0 else None
        turn = self.turns[k]
        start, end, t0, t1, label = turn.start, turn.end, turn.time_start, turn.time_end, turn.name_length
        lo = bisect_right(self._inner_positions, start)  # inner points after the turn's start
        i = bisect_right(self._inner_positions, position) - 1
        if i >= lo or (i >= 0 and self._inner_positions[i] == start):
            return Moment(self.inner[i][1], True)
        if t0 is None:  # an untimed turn: the last time before it (f4 stamps end paragraphs)
            return Moment(self.inner[i][1], True) if i >= 0 else None
        spoken = min(start + label + 2, end)  # after "Speaker: "
        if position <= spoken:
            return Moment(t0, True)
        # the next known time after the position: a point inside the turn, else the turn's end
        j = bisect_left(self._inner_positions, position + 1)
        s1: float | None
        if j < len(self.inner) and self._inner_positions[j] < end:
            p1, s1 = self.inner[j]
        else:
            p1, s1 = end, t1 if t1 is not None else self._next_turn_start(k)
        if s1 is None or s1 <= t0 or p1 <= spoken or (s1 - t0) > SLOWEST_SPEECH * (p1 - spoken):
            return Moment(t0, True)
        estimate = t0 + (s1 - t0) * (position - spoken) / (p1 - spoken)
        return Moment(float(round(estimate)) if rounded else estimate, False)

    # ------------------------------------------------------------ playing a passage
    def start_seconds(self, position: int) -> float | None:
        """Where to start playing the text at ``position``: its time (unrounded) or, where that is
        not known (an untimed turn, the gap between turns), the last time known before it (a
        sync point, a turn's start, or a turn's own end): never after the passage."""
        moment = self.moment(position, rounded=False)
        if moment is not None:
            return moment.seconds
        known = [(p, s) for p, s in self.points if p <= position]
        known += [(end, t1) for _s, end, t0, t1, _l in self.turns
                  if t0 is not None and t1 is not None and end <= position]
        return max(known)[1] if known else None

    def end_seconds(self, end: int) -> float | None:
        """When the text just before ``end`` has been said: inside a turn its time; at a turn's
        end the turn's own end, else the next time known after it; None when nothing is."""
        k = self._turn(end - 1) if end > 0 else None
        if k is not None:
            _start, turn_end, t0, t1, _label = self.turns[k]
            if end < turn_end and t0 is not None:
                moment = self.moment(end, rounded=False)
                return None if moment is None else moment.seconds
            if end >= turn_end and t0 is not None and t1 is not None:
                return t1
        after = bisect_left([p for p, _ in self.points], end)
        return self.points[after][1] if after < len(self.points) else None

    def passage(self, start: int, end: int) -> tuple[float, float | None] | None:
        """(from, to) seconds to play the passage ``[start, end)``; ``to`` None when unknown."""
        begin = self.start_seconds(start)
        if begin is None:
            return None
        finish = self.end_seconds(end)
        return begin, finish if finish is not None and finish > begin else None

    def _next_turn_start(self, k: int) -> float | None:
        return next((t.time_start for t in self.turns[k + 1:] if t.time_start is not None), None)


def _inline_marks(project, document_id: int, turns) -> list[tuple[int, float]]:
    """``[12:58]`` marks left in the text of timed turns by imports before 0008 (not at a turn's start)."""
    timed = [(s, e) for s, e, t0, _t1, _label in turns if t0 is not None]
    if not timed:
        return []
    text = project.document_text(document_id)
    starts = [s for s, _ in timed]
    out = []
    for m in INLINE_TIME.finditer(text):
        k = bisect_right(starts, m.start()) - 1
        if k < 0 or not (timed[k][0] < m.start() < timed[k][1]):
            continue
        value = parse_time(m.group(1))
        if value is not None:
            out.append((m.start(), value))
    return out


def time_points(project, document_id: int) -> list[tuple[int, float]]:
    """Every known (position, seconds) of a document: turns' starts and sync points, sorted."""
    return Timeline(project, document_id).points


def paragraph_times(project, document_id: int) -> list[tuple[int, float]]:
    """The times known where paragraphs begin (turns' starts, and sync points at a paragraph's
    start: a subtitle cue without a voice, a stamp that stood alone before a paragraph), sorted:
    what a transcript shows in its margin."""
    turns = sql.turn_start_times(project.db, document_id)
    taken = {p for p, _ in turns}
    points = [p for p in sql.sync_points(project.db, document_id) if p.position not in taken]
    # only the paragraph starts a sync point falls on are read: a transcript has thousands of
    # paragraphs and, most often, no sync points at all (issue 19: opening a long transcript)
    starts = sql.block_starts_among(project.db, document_id, (p.position for p in points)) if points else set()
    inner = [(point.position, point.seconds) for point in points if point.position in starts]
    return sorted(dict(reversed(inner)).items() | set(turns))


def time_at(project, document_id: int, position: int) -> float | None:
    """The recording's time at ``position`` of the document, or None when nothing is known."""
    moment = Timeline(project, document_id).moment(position)
    return None if moment is None else moment.seconds
