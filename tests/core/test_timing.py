"""What time a position of a document stands for: sync points, turns, interpolation (issue 18)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcdesk.core import timing
from qcdesk.core.importers import parse_file
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block, SpeakerTurn
from qcdesk.core.storage import schema
from builders import empty_project

pytestmark = pytest.mark.core

TEXT = "Ann: One two three four five six seven eight nine ten.\n\nBob: Yes."


def parsed(turns, sync=()) -> ParsedDocument:
    first = TEXT.index("\n")
    return ParsedDocument(text=TEXT, source_format="txt",
                          blocks=[Block("paragraph", 0, first), Block("paragraph", first + 2, len(TEXT))],
                          turns=turns, sync_points=list(sync))


@pytest.fixture
def project(tmp_path):
    with empty_project(tmp_path / "t.qcdesk") as p:
        yield p


def ann(t0, t1=None):
    return SpeakerTurn("Ann", 0, TEXT.index("\n"), t0, t1)


def bob(t0, t1=None):
    return SpeakerTurn("Bob", TEXT.index("Bob"), len(TEXT), t0, t1)


def test_the_migration_is_named_as_agreed():
    assert "0008_sync_points" in schema.MIGRATION_NAMES


def test_a_sync_point_wins_inside_its_turn_and_is_exact(project):
    doc = project.documents.add("D", parsed([ann(10.0, 20.0), bob(21.0)], [(TEXT.index("six"), 15.5)]))
    assert timing.time_at(project, doc.id, TEXT.index("six")) == 15.5
    assert timing.time_at(project, doc.id, TEXT.index("ten")) == 15.5
    assert timing.time_points(project, doc.id) == [(0, 10.0), (TEXT.index("six"), 15.5),
                                                   (TEXT.index("Bob"), 21.0)]


def test_a_sentence_inside_a_turn_is_interpolated_to_whole_seconds(project):
    doc = project.documents.add("D", parsed([ann(10.0, 20.0), bob(21.0)]))
    spoken = len("Ann: ")
    end = TEXT.index("\n")
    six = TEXT.index("six")
    expected = round(10.0 + 10.0 * (six - spoken) / (end - spoken))
    assert timing.time_at(project, doc.id, six) == expected
    assert timing.time_at(project, doc.id, spoken) == 10.0  # the first word: the turn's own time
    assert timing.time_at(project, doc.id, 0) == 10.0


def test_interpolation_uses_the_next_turn_when_the_end_is_unknown(project):
    doc = project.documents.add("D", parsed([ann(10.0), bob(20.0)]))
    assert 10.0 < timing.time_at(project, doc.id, TEXT.index("six")) < 20.0


def test_a_long_silence_before_the_next_turn_is_not_spread_over_the_words(project):
    doc = project.documents.add("D", parsed([ann(10.0), bob(3600.0)]))
    assert timing.time_at(project, doc.id, TEXT.index("six")) == 10.0


def test_playback_starts_unrounded_never_after_the_rounded_time_would(project):
    doc = project.documents.add("D", parsed([ann(10.0, 20.0), bob(21.0)]))
    line = timing.Timeline(project, doc.id)
    for position in range(len(TEXT)):
        rounded = line.moment(position)
        exact = line.moment(position, rounded=False)
        assert (rounded is None) == (exact is None)
        if exact is not None:
            assert abs(rounded.seconds - exact.seconds) <= 0.5
            assert line.start_seconds(position) == exact.seconds
    six = TEXT.index("six")
    assert line.moment(six, rounded=False).seconds != round(line.moment(six, rounded=False).seconds)


def test_a_timeline_from_rows_answers_as_the_projects_does(project):
    doc = project.documents.add("D", parsed([ann(10.0), bob(20.0)], [(TEXT.index("eight"), 16.0)]))
    stored = timing.Timeline(project, doc.id)
    rows = timing.Timeline.from_rows(stored.turns, stored.inner)
    for position in range(len(TEXT) + 1):
        assert rows.moment(position) == stored.moment(position)
        assert rows.passage(0, position) == stored.passage(0, position)


def test_a_passage_plays_from_its_start_to_its_turns_end_or_the_next_known_time(project):
    doc = project.documents.add("D", parsed([ann(10.0, 18.0), bob(21.0)], [(TEXT.index("six"), 15.5)]))
    line = timing.Timeline(project, doc.id)
    end = TEXT.index("\n")
    assert line.passage(0, end) == (10.0, 18.0)  # the turn's own end
    assert line.passage(TEXT.index("six"), end) == (15.5, 18.0)
    assert line.passage(TEXT.index("Bob"), len(TEXT)) == (21.0, None)  # nothing known after


def test_nothing_known_is_none(project):
    doc = project.documents.add("D", parsed([ann(None), bob(None)]))
    assert timing.time_at(project, doc.id, 5) is None
    assert timing.time_points(project, doc.id) == []


def test_sync_points_go_with_their_document_and_come_back_with_undo(project):
    doc = project.documents.add("D", parsed([ann(1.0)], [(7, 2.0)]))
    rows = project.documents.delete(doc.id).undo
    assert project.db.execute("SELECT count(*) FROM sync_points").fetchone()[0] == 0
    rows.run()
    assert timing.time_points(project, doc.id) == [(0, 1.0), (7, 2.0)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 10_000, allow_nan=False), min_size=1, max_size=6, unique=True),
       st.integers(0, len(TEXT)))
def test_time_never_runs_backwards_through_a_monotone_document(tmp_path_factory, times, probe):
    times = sorted(times)
    positions = sorted({min(len(TEXT) - 1, 5 + 9 * k) for k in range(len(times))})
    sync = list(zip(positions, times))
    path = tmp_path_factory.mktemp("mono") / "m.qcdesk"
    with empty_project(path) as p:
        doc = p.documents.add("D", parsed([ann(0.0 if not sync or sync[0][1] > 0 else None)], sync))
        seen = [timing.time_at(p, doc.id, pos) for pos in range(len(TEXT) + 1)]
        known = [s for s in seen if s is not None]
        assert known == sorted(known)


def test_every_subtitle_cue_keeps_its_time(corpus, tmp_path):
    path = corpus / "podcastindex_buzzsprout_example.vtt"
    parsed_doc = parse_file(path)
    with empty_project(tmp_path / "v.qcdesk") as p:
        doc = p.documents.add("Q&A", parsed_doc)
        text = p.document_text(doc.id)
        # "should have a podcast trailer" is the second cue of Sarah's first turn, at 2.76 s
        assert timing.time_at(p, doc.id, text.index("should have a podcast trailer")) == 2.76
        points = timing.time_points(p, doc.id)
        assert [s for _, s in points] == sorted(s for _, s in points)
        assert len(points) == path.read_text(encoding="utf-8").count("-->")  # one time per cue


def test_renaming_a_speaker_keeps_every_word_at_its_time(project, tmp_path):
    from qcdesk.core import speakers

    path = tmp_path / "cues.vtt"
    path.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v S01>First words.\n\n"
                    "00:00:05.000 --> 00:00:06.000\n<v S01>Later words.\n\n"
                    "00:00:09.000 --> 00:00:10.000\n<v S02>Reply.\n", encoding="utf-8")
    doc = project.documents.add("cues", parse_file(path))

    def times() -> dict[str, float | None]:
        """Each word's time, and what the text says where each known time is."""
        text = project.document_text(doc.id)
        out: dict[str, float | None] = {w: timing.time_at(project, doc.id, text.index(w))
                                        for w in ("First", "words.", "Later", "Reply")}
        out.update({text[p:p + 5]: s for p, s in timing.time_points(project, doc.id)})
        return out

    before = times()
    assert before["First"] == 1.0 and before["Later"] == 5.0 and before["Reply"] == 9.0
    assert before["S02: "] == 9.0  # the known times sit where the turns and cues begin
    done = speakers.rename_speaker(project, "S01", "Amira Haddad")
    assert project.document_text(doc.id).startswith("Amira Haddad: First words. Later words.")
    after = times()
    assert after.pop("Amira") == 1.0 and before.pop("S01: ") == 1.0
    assert after == before
    done.undo.run()
    assert times() == {**before, "S01: ": 1.0}
