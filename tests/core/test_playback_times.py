"""Text positions to recording times and back (the player asks qcdesk.core.timing for seconds)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qcdesk.core import timing
from qcdesk.core.models import SpeakerTurn
from qcdesk.core.playback_times import Timeline

TURNS = [SpeakerTurn("I", 0, 100, 10.0, None), SpeakerTurn("P1", 101, 301, 20.0, 40.0),
         SpeakerTurn("I", 302, 400, None, None), SpeakerTurn("P1", 401, 501, 60.0, None)]


def _rows(turns):
    return [(t.start, t.end, t.time_start, t.time_end, len(t.speaker)) for t in turns]


def test_a_turns_start_is_its_time_and_inside_it_times_are_interpolated_unrounded():
    line = Timeline(TURNS)
    assert line.time_at(0) == 10.0
    spoken = 0 + len("I") + 2  # after "I: "
    assert line.time_at(50) == 10.0 + (50 - spoken) / (100 - spoken) * 10.0  # to the next turn's start
    assert line.time_at(101) == 20.0
    assert 29 < line.time_at(201) < 30 and line.time_at(201) != round(line.time_at(201))
    assert line.time_at(350) == 40.0  # an untimed turn after a turn with a known end: that end
    assert line.time_at(450) == 60.0  # the last turn, no end known: its start


def test_an_untimed_turn_plays_from_before_it_never_after():
    # the turn before it has no end of its own: the next turn's start (60) would skip the passage
    turns = [SpeakerTurn("I", 0, 100, 10.0, None), SpeakerTurn("P1", 101, 200, None, None),
             SpeakerTurn("I", 201, 300, 60.0, None)]
    assert Timeline(turns).time_at(150) == 10.0


def test_the_player_honours_a_cue_inside_a_turn():
    rows = _rows(TURNS)
    times = timing.Timeline.from_rows(rows, [(150, 33.0)])
    line = Timeline(TURNS, times)
    assert line.time_at(150) == 33.0
    assert line.time_at(200) == 33.0  # after a stamp, its time until the next known one
    assert line.span_at(150, 301) == (33.0, 40.0)
    assert line.time_at(140) == times.moment(140, rounded=False).seconds < 33.0


def test_a_passage_runs_from_its_first_to_its_last_character():
    line = Timeline(TURNS)
    assert line.span_at(101, 301) == (20.0, 40.0)
    begin, end = line.span_at(151, 201)
    assert 24 < begin < 25 and 29 < end < 30
    assert line.span_at(401, 450) == (60.0, None)


def test_untimed_text_has_no_time():
    assert Timeline([SpeakerTurn("I", 0, 10)]).time_at(5) is None
    assert not Timeline([])
    assert Timeline(TURNS[1:]).time_at(20) is None


def test_the_turn_said_at_a_time():
    line = Timeline(TURNS)
    assert line.turn_index_at_time(5.0) is None
    assert line.turn_index_at_time(10.0) == 0
    assert line.turn_index_at_time(39.9) == 1
    assert line.turn_index_at_time(61) == 2  # the third timed turn (the untimed one is left out)


@given(st.lists(st.tuples(st.integers(1, 50), st.floats(0, 10)), min_size=1, max_size=12),
       st.data())
def test_playback_never_starts_after_the_passage_and_runs_forwards_within_turns(parts, data):
    turns, pos, clock = [], 0, 0.0
    for length, gap in parts:
        turns.append(SpeakerTurn("S", pos, pos + length, clock, None))
        pos += length + 1
        clock += gap
    line = Timeline(turns)
    a = data.draw(st.integers(0, pos))
    k = max(i for i, t in enumerate(turns) if t.start <= a)
    if k + 1 < len(turns):  # never after the next turn begins
        assert line.time_at(a) <= turns[k + 1].time_start
    assert line.time_at(a) >= turns[k].time_start
    b = data.draw(st.integers(a, turns[k].end - 1)) if a < turns[k].end else a
    assert line.time_at(a) <= line.time_at(b)
    index = line.turn_index_at_time(line.time_at(a))
    assert index is not None and line.turns[index].time_start <= line.time_at(a)
