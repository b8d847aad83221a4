"""Text positions to recording times and back (the player's one lookup)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qcdesk.core.models import SpeakerTurn
from qcdesk.core.playback_times import Timeline

TURNS = [SpeakerTurn("I", 0, 100, 10.0, None), SpeakerTurn("P1", 101, 301, 20.0, 40.0),
         SpeakerTurn("I", 302, 400, None, None), SpeakerTurn("P1", 401, 501, 60.0, None)]


def test_a_turns_start_is_its_time_and_inside_it_times_are_interpolated():
    line = Timeline(TURNS)
    assert line.time_at(0) == 10.0
    assert line.time_at(50) == 10.0 + 50 / 100 * 10.0  # ends where the next timed turn starts
    assert line.time_at(101) == 20.0
    assert line.time_at(201) == 30.0
    assert line.time_at(350) == 40.0  # an untimed turn after a timed one: its end
    assert line.time_at(450) == 60.0  # the last turn, no end known: its start


def test_a_passage_runs_from_its_first_to_its_last_character():
    line = Timeline(TURNS)
    assert line.span_at(101, 301) == (20.0, 40.0)
    assert line.span_at(151, 201) == (25.0, 30.0)
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
def test_times_never_run_backwards_through_a_transcript_in_time_order(parts, data):
    turns, pos, clock = [], 0, 0.0
    for length, gap in parts:
        turns.append(SpeakerTurn("S", pos, pos + length, clock, None))
        pos += length + 1
        clock += gap
    line = Timeline(turns)
    a = data.draw(st.integers(0, pos))
    b = data.draw(st.integers(a, pos))
    assert line.time_at(a) <= line.time_at(b)
    index = line.turn_index_at_time(line.time_at(a))
    assert index is not None and line.turns[index].time_start <= line.time_at(a)
