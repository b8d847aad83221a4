"""Real files written by other tools (../shared/corpus): content, speakers, times."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from qcdesk.core.importers import parse_file

pytestmark = [pytest.mark.corpus, pytest.mark.core]


def turn_text(doc, turn):
    return doc.text[turn.start:turn.end]


def test_noscribe_txt_three_speakers_first_utterance_and_time(corpus):
    doc = parse_file(corpus / "noscribe_interview_de.txt")
    doc.validate()
    assert doc.source_format == "txt"
    assert {t.speaker for t in doc.turns} == {"S00", "S01", "S02"}
    first = doc.turns[0]
    assert first.speaker == "S01"
    assert first.time_start == 12.0
    assert turn_text(doc, first).startswith("S01: Guten Tag, ich habe heute die große, einmalige Ehre")
    assert turn_text(doc, first).endswith("Immer ein Wegbegleiter gewesen.")
    assert turn_text(doc, doc.turns[1]) == "S00: Ja."
    assert doc.turns[1].time_start == 36.0
    assert len(doc.turns) == 55
    assert doc.turns[-1].time_start == 12 * 60 + 6
    assert turn_text(doc, doc.turns[-1]).endswith("abschalten. (..) Ja.")
    # timestamps left the text, the header block stayed as paragraphs before the first turn
    assert "[00:00:12]" not in doc.text
    assert doc.text.startswith("Ein Gespräch mit Heikedine Körting")
    assert "(12 seconds pause)" in doc.text[:first.start]
    assert not doc.text.endswith((" ", "\n"))


def test_noscribe_vtt_same_speakers_as_txt(corpus):
    vtt = parse_file(corpus / "noscribe_interview_de.vtt")
    txt = parse_file(corpus / "noscribe_interview_de.txt")
    vtt.validate()
    assert vtt.source_format == "vtt"
    assert {t.speaker for t in vtt.turns} == {t.speaker for t in txt.turns} == {"S00", "S01", "S02"}
    first = vtt.turns[0]
    assert (first.speaker, first.time_start, first.time_end) == ("S01", 34.57, 35.79)
    assert turn_text(vtt, first) == turn_text(txt, txt.turns[0])
    # the header title is kept, the NOTE block is not
    assert vtt.blocks[0].kind == "heading"
    assert vtt.text.startswith("Ein Gespräch mit Heikedine Körting l Die EUROPA Hörspiel-Königing\n\n")
    assert "Transcribed with noScribe" not in vtt.text
    assert "<v" not in vtt.text and "-->" not in vtt.text
    # malformed <v //S02> is read as S02
    malformed = [t for t in vtt.turns if turn_text(vtt, t).startswith("S02: Okay, also hat es dann einfach")]
    assert len(malformed) == 1
    # the last cue ends before it starts: kept, with its end set to its start
    last = vtt.turns[-1]
    assert last.time_start == last.time_end == pytest.approx(12 * 60 + 17.141)
    assert turn_text(vtt, last).startswith("S01: Oh, wir haben sogar Puppetum gemacht.")


def test_buzzsprout_vtt_crlf_voices_without_end_tag_and_entity(corpus):
    doc = parse_file(corpus / "podcastindex_buzzsprout_example.vtt")
    assert [t.speaker for t in doc.turns] == ["Sarah", "Gillian"]
    assert "\r" not in doc.text
    sarah = turn_text(doc, doc.turns[0])
    assert sarah.startswith("Sarah: In today's episode, you'll learn whether or not you should have a podcast")
    assert "Welcome to Podcasting Q&A, where you learn" in sarah
    assert sarah.endswith("This week's question comes from Gillian.")
    assert (doc.turns[0].time_start, doc.turns[0].time_end) == (0.0, 18.63)
    assert turn_text(doc, doc.turns[1]) == ("Gillian: Hi Buzzsprout, Gillian here from breaking through "
                                            "careers podcast. My question is, do we need a podcast trailer?")
    assert (doc.turns[1].time_start, doc.turns[1].time_end) == (19.08, 25.35)


def test_buzzsprout_srt_later_cues_belong_to_the_named_speaker(corpus):
    doc = parse_file(corpus / "podcastindex_buzzsprout_example.srt")
    assert doc.source_format == "srt"
    assert [t.speaker for t in doc.turns] == ["Travis", "Sarah", "Travis", "Gilon", "Travis", "Gilon",
                                              "Travis", "Sarah", "Gilon", "Travis"]
    first = turn_text(doc, doc.turns[0])
    # cue 1 names Travis; cues 2.. continue his turn
    assert first.startswith("Travis: When you first get started in podcasting, it's almost guaranteed "
                            "that you're going to make a handful of rookie mistakes")
    assert doc.turns[0].time_start == pytest.approx(0.179)
    sarah = doc.turns[1]
    assert turn_text(doc, sarah).startswith("Sarah: Creating good audio is")
    assert sarah.time_start == pytest.approx(53.03)
    assert not re.search(r"\d\d:\d\d:\d\d,\d\d\d", doc.text)


def test_qualcoder_txt_bracket_ids(corpus):
    doc = parse_file(corpus / "qualcoder_transcript.txt")
    assert [t.speaker for t in doc.turns] == ["id1", "id2", "id3", "id1", "id3", "id1", "id2"]
    assert turn_text(doc, doc.turns[1]) == ("id2: I am struggling with the lecture slides. I felt that "
                                            "they were too busy and I switched off.")
    assert turn_text(doc, doc.turns[-1]) == "id2: Hmm, I will ask the tutor for more help as I am really struggling."


def test_qualcoder_docx_three_paragraphs(corpus):
    doc = parse_file(corpus / "qualcoder_ID1.docx")
    assert doc.source_format == "docx"
    assert [b.kind for b in doc.blocks] == ["paragraph"] * 3
    paras = [doc.text[b.start:b.end] for b in doc.blocks]
    assert paras[0].startswith("I really like learning new things.")
    assert paras[1] == ("I guess some less computer-savvy people would have some trouble accessing the "
                        "internet-based material, but its like a duck to water for me - no problem at all.")
    assert paras[2].endswith("I'm happy to pay €200.")
    assert doc.turns == []
    assert doc.text == "\n\n".join(paras)


def test_qualcoder_odt(corpus):
    doc = parse_file(corpus / "qualcoder_ID2.odt")
    assert doc.source_format == "odt"
    paras = [doc.text[b.start:b.end] for b in doc.blocks]
    assert paras == [
        "I have not studied much before, but my father Joe Bloggs really encouraged me to study again. "
        "I know that I must get help as I have struggled understanding the lecture slides so far and "
        "searching the web did not help.",
        "I really want someone to sit down with me and explain the course material.",
        "The course cost €200.00 and I do not want to waste my money.",
    ]


def test_maxqda_pdf_has_no_tab_runs_and_two_speakers(corpus):
    doc = parse_file(corpus / "pdpilot_P1_maxqda.pdf")
    doc.validate()
    assert doc.source_format == "pdf"
    assert "\t" not in doc.text
    assert "  " not in doc.text
    assert {t.speaker for t in doc.turns} == {"Dan", "Participant"}
    assert turn_text(doc, doc.turns[0]) == ("Dan: Okay. So now you can stop sharing your screen and then "
                                            "we'll just end up with a few questions that I have for you.")
    assert turn_text(doc, doc.turns[1]) == "Participant: Okay."
    # a wrapped line is joined into its turn
    assert turn_text(doc, doc.turns[3]) == (
        "Participant: Ah, yeah. Not all the time, so it's not the main thing we do, but in our initial "
        "data explorations, we tend to use ICE plots.")
    assert turn_text(doc, doc.turns[-1]) == "Participant: Thank you."
    # page numbers ("1/5") and the margin line numbers are gone; a line repeated over a page break is kept once
    assert "1/5" not in doc.text and "\n92\n" not in doc.text and not doc.text.rstrip().endswith("95")
    assert doc.text.count("that and I thought it was useful. And then I was able to drill down") == 1


def test_changelog_markdown_five_speakers(corpus):
    doc = parse_file(corpus / "changelog-594.md")
    assert doc.source_format == "md"
    counts = Counter(t.speaker for t in doc.turns)
    assert set(counts) == {"Jerod Santo", "Mark Russinovich", "Adam Stacoviak", "Eric Boyd", "Neha Batra"}
    assert counts["Jerod Santo"] == 261
    first = doc.turns[0]
    assert turn_text(doc, first) == ("Jerod Santo: Alright, we're joined by Mark Russinovich, CTO of Azure. "
                                     "Welcome to the show, Mark.")
    assert "**" not in doc.text and "\\[" not in doc.text
    # "**Name:** \[07:59\] text": the time goes into the turn, not the text
    timed = next(t for t in doc.turns if t.time_start == 7 * 60 + 59)
    assert turn_text(doc, timed).startswith("Jerod Santo: Right. And so we have to put in safeguards")
    # escaped brackets inside an utterance stay, unescaped
    assert "Yeah. I've been trained to correct people that [unintelligible 00:03:18.16]" in doc.text
    # the italic sponsor read and the break marker belong to nobody
    ad = doc.text.index("The Changelog is a podcast that focuses")
    assert not any(t.start <= ad < t.end for t in doc.turns)
    assert "Break" not in counts
