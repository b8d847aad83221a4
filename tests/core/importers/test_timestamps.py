"""Times written in transcripts become structure (issue 18): which stamps leave the text, where
their sync points land, and subtitle cues that keep their times."""

from __future__ import annotations

import docx
import pytest

from qcdesk.core.importers import parse_file
from qcdesk.core.importers.stamps import take_stamps

pytestmark = pytest.mark.core


def at(doc, seconds):
    """The text from the sync point with this time to the end of its line."""
    doc.validate()
    (pos,) = [p for p, s in doc.sync_points if s == pytest.approx(seconds)]
    return doc.text[pos:].split("\n")[0]


def test_f4_stamps_leave_the_text_and_mark_the_following_words(write):
    doc = parse_file(write("f4.txt", (
        "I: Wie war der erste Tag? #00:00:04-1#\n\n"
        "B: Anstrengend. #00:00:09-5# Aber auch schön. #00:00:12-0#\n\n"
        "I: #00:00:13-2# Warum?\n")))
    assert "#" not in doc.text
    assert doc.text == "I: Wie war der erste Tag?\n\nB: Anstrengend. Aber auch schön.\n\nI: Warum?"
    assert at(doc, 9.5) == "Aber auch schön."
    assert at(doc, 13.2) == "Warum?"
    assert doc.turns[2].time_start == pytest.approx(13.2)  # a stamp right after the label times the turn
    assert [s for _, s in doc.sync_points] == sorted(s for _, s in doc.sync_points)


def test_f4_stamps_that_open_each_paragraph_time_the_turns(write):
    doc = parse_file(write("f4first.txt", "#00:00:01-2# I: Wie geht es?\n\n#00:00:04-0# B: Gut.\n\n"
                                          "#00:00:07-0# I: Schön.\n\n#00:00:09-0# B: Ja.\n"))
    assert doc.text == "I: Wie geht es?\n\nB: Gut.\n\nI: Schön.\n\nB: Ja."
    assert [(t.speaker, t.time_start) for t in doc.turns] == [("I", 1.2), ("B", 4.0), ("I", 7.0), ("B", 9.0)]


def test_f4_stamps_leave_prose_too_but_bracketed_times_stay_in_prose(write):
    doc = parse_file(write("notes.txt", "We met at the ward #01:02:03-4# and talked.\n\n"
                                        "See John (3:16) and the log [00:00:05].\n"))
    assert doc.text == "We met at the ward and talked.\n\nSee John (3:16) and the log [00:00:05]."
    assert at(doc, 3723.4) == "and talked."
    assert len(doc.sync_points) == 1


def test_bracketed_times_inside_turns_become_sync_points(write):
    doc = parse_file(write("n.txt", (
        "S01: [00:00:12] Guten Tag. [00:00:20] Wie geht es?\n\n"
        "S02: [00:00:25] Gut (00:00:27) danke, Kapitel (3:16).\n\n"
        "S01: [00:00:30] Schön.\n")))
    assert doc.text == "S01: Guten Tag. Wie geht es?\n\nS02: Gut danke, Kapitel (3:16).\n\nS01: Schön."
    assert at(doc, 20) == "Wie geht es?"
    assert at(doc, 27) == "danke, Kapitel (3:16)."
    assert [t.time_start for t in doc.turns] == [12, 25, 30]


def test_bare_time_lines_inside_a_turn_mark_the_next_paragraph(write):
    doc = parse_file(write("otter.txt", (
        "Speaker 1  0:03\nSo tell me about your first week.\n\n"
        "Maria Lopez  0:09\nIt was overwhelming.\n\n1:30\n\nThen it got better.\n\n"
        "Speaker 1  2:13\nHow so?\n")))
    assert "1:30" not in doc.text
    assert at(doc, 90) == "Then it got better."
    maria = doc.turns[1]
    assert doc.text[maria.start:maria.end] == "Maria Lopez: It was overwhelming.\n\nThen it got better."


def test_docx_with_stamps(tmp_path):
    d = docx.Document()
    for said in ["Interviewer: Hello. #00:00:02-0#", "Nurse: Hi. #00:00:04-5# Long day.",
                 "Interviewer: [00:00:09] Tell me."]:
        d.add_paragraph(said)
    path = tmp_path / "stamped.docx"
    d.save(path)
    doc = parse_file(path)
    assert doc.text == "Interviewer: Hello.\n\nNurse: Hi. Long day.\n\nInterviewer: Tell me."
    assert at(doc, 4.5) == "Long day."
    assert doc.turns[2].time_start == 9.0


@pytest.mark.parametrize("voice, name", [("<v Anna:>", "Anna"), ("<v.loud Anna>", "Anna"),
                                         ("<v.loud.fast Anna Berg:>", "Anna Berg"), ("<v Anna>", "Anna")])
def test_vtt_voices_give_clean_names(write, voice, name):
    doc = parse_file(write("v.vtt", (
        f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n{voice}Hello there.\n\n"
        "00:00:03.000 --> 00:00:04.000\n<v Ben>Hi.</v>\n\n"
        f"00:00:05.000 --> 00:00:06.000\n{voice}Bye.\n")))
    assert [t.speaker for t in doc.turns] == [name, "Ben", name]
    assert doc.text.startswith(f"{name}: Hello there.")


def test_cues_merged_into_a_turn_keep_their_times(write):
    doc = parse_file(write("m.vtt", (
        "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna>One sentence.\n\n"
        "00:00:02.500 --> 00:00:04.000\n<v Anna>Another one.\n\n"
        "00:00:04.250 --> 00:00:05.000\nAnd a third.\n\n"
        "00:00:06.000 --> 00:00:07.000\n<v Ben>Yes.\n")))
    assert doc.text == "Anna: One sentence. Another one. And a third.\n\nBen: Yes."
    assert at(doc, 2.5) == "Another one. And a third."
    assert at(doc, 4.25) == "And a third."


def test_subtitles_without_voices_keep_every_cue_time(write):
    doc = parse_file(write("s.srt", (
        "1\n00:00:01,000 --> 00:00:02,000\nFirst line.\n\n"
        "2\n00:00:02,100 --> 00:00:03,000\nSecond line.\n\n"
        "3\n00:00:09,000 --> 00:00:10,000\nAfter a pause.\n")))
    assert not doc.turns
    assert [s for _, s in doc.sync_points] == [1.0, 2.1, 9.0]
    assert at(doc, 2.1) == "Second line."
    assert at(doc, 9.0) == "After a pause."


def test_real_noscribe_vtt_keeps_cue_times_and_voices(corpus):
    path = corpus / "noscribe_interview_de.vtt"
    doc = parse_file(path)
    assert {t.speaker for t in doc.turns} == {"S00", "S01", "S02"}  # "<v //S02>" too
    # every cue's start is known: as its turn's time or as a sync point inside a turn
    timed = [t for t in doc.turns if t.time_start is not None]
    assert len(timed) + len(doc.sync_points) == path.read_text(encoding="utf-8").count("-->")


def test_real_noscribe_txt_has_no_stamps_in_its_turns(corpus):
    doc = parse_file(corpus / "noscribe_interview_de.txt")
    for t in doc.turns:
        assert "[00:" not in doc.text[t.start:t.end]
    assert sum(t.time_start is not None for t in doc.turns) == len(doc.turns)


@pytest.mark.parametrize("text, brackets, expected, points", [
    ("#00:01:23-4# Hello", False, "Hello", [(0, 83.4)]),
    ("a #00:00:01# #00:00:02#b", False, "a b", [(2, 1.0), (2, 2.0)]),
    ("end #00:01:02-3#", False, "end", [(3, 62.3)]),
    ("x\n#00:00:01-2#\ny", False, "x\ny", [(2, 1.2)]),
    ("word#00:00:01-1#word", False, "word word", [(5, 1.1)]),
    ("#99:99:99# stays", False, "#99:99:99# stays", []),
    ("[0:12] hi (00:13) (3:16)", True, "hi (3:16)", [(0, 12.0), (3, 13.0)]),
    ("[00:00:05]", True, "", [(0, 5.0)]),
])
def test_take_stamps(text, brackets, expected, points):
    assert take_stamps(text, brackets=brackets) == (expected, points)


@pytest.mark.parametrize("first, second, third", [
    ("Anna Berg: Hello everyone.", "Anna Berg: Shall we start?", "Tom: Yes."),  # Zoom
    ("<v Anna Berg>Hello everyone.</v>", "<v Anna Berg>Shall we start?</v>", "<v Tom>Yes.</v>"),  # Teams
])
def test_zoom_and_teams_vtt_keep_each_cue_time(write, first, second, third):
    doc = parse_file(write("meeting.vtt", (
        f"WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n{first}\n\n"
        f"2\n00:00:05.500 --> 00:00:07.000\n{second}\n\n"
        f"3\n00:00:08.000 --> 00:00:09.000\n{third}\n")))
    assert doc.text == "Anna Berg: Hello everyone. Shall we start?\n\nTom: Yes."
    assert [(t.speaker, t.time_start) for t in doc.turns] == [("Anna Berg", 1.0), ("Tom", 8.0)]
    assert at(doc, 5.5) == "Shall we start?"
