"""Plain text: transcript layouts, prose that only looks like speakers, encodings, scripts."""

from __future__ import annotations

import pytest

from qcdesk.core.importers import parse_file
from qcdesk.core.importers.layouts import parse_time

pytestmark = pytest.mark.core


def turns_of(doc):
    doc.validate()
    return [(t.speaker, doc.text[t.start:t.end], t.time_start) for t in doc.turns]


@pytest.mark.parametrize("value, seconds", [
    ("0:03", 3.0), ("12:34", 754.0), ("1:02:03", 3723.0), ("00:00:12", 12.0),
    ("01:02:03.250", 3723.25), ("00:01:02,5", 62.5), ("75:30", 4530.0), ("1:2:3:4", None), ("a:bc", None),
])
def test_parse_time(value, seconds):
    assert parse_time(value) == seconds


def test_otter_header_lines(write):
    doc = parse_file(write("otter.txt", (
        "Speaker 1  0:03\nSo tell me about your first week on the ward.\n\n"
        "Maria Lopez  0:09\nIt was overwhelming, honestly.\n\n"
        "Speaker 1  1:02:13\nHow so?\n")))
    assert turns_of(doc) == [
        ("Speaker 1", "Speaker 1: So tell me about your first week on the ward.", 3.0),
        ("Maria Lopez", "Maria Lopez: It was overwhelming, honestly.", 9.0),
        ("Speaker 1", "Speaker 1: How so?", 3733.0),
    ]
    assert doc.text == ("Speaker 1: So tell me about your first week on the ward.\n\n"
                        "Maria Lopez: It was overwhelming, honestly.\n\nSpeaker 1: How so?")


def test_zoom_bracket_name_and_clock(write):
    doc = parse_file(write("zoom.txt", (
        "[Dr Amina Yusuf] 10:15:01\nWelcome everyone.\n"
        "[Tom] 10:15:09\nThanks for having me.\n"
        "[Dr Amina Yusuf] 10:15:20\nLet's begin.\n")))
    assert turns_of(doc) == [
        ("Dr Amina Yusuf", "Dr Amina Yusuf: Welcome everyone.", 36901.0),
        ("Tom", "Tom: Thanks for having me.", 36909.0),
        ("Dr Amina Yusuf", "Dr Amina Yusuf: Let's begin.", 36920.0),
    ]


def test_teams_name_time_and_arrow_layouts(write):
    doc = parse_file(write("teams1.txt", "Jane Doe   0:03\nHello all.\n\nJohn Roe   0:10\nHi Jane.\n\nJane Doe   0:15\nOK.\n"))
    assert [(s, t) for s, _, t in turns_of(doc)] == [("Jane Doe", 3.0), ("John Roe", 10.0), ("Jane Doe", 15.0)]
    doc = parse_file(write("teams2.txt", (
        "0:00:03.123 --> 0:00:07.456\nJane Doe\nHello all, can you hear me?\n\n"
        "0:00:08.000 --> 0:00:09.500\nJohn Roe\nYes.\n\n"
        "0:00:10.000 --> 0:00:12.000\nJane Doe\nGood.\n")))
    assert turns_of(doc) == [
        ("Jane Doe", "Jane Doe: Hello all, can you hear me?", pytest.approx(3.123)),
        ("John Roe", "John Roe: Yes.", 8.0),
        ("Jane Doe", "Jane Doe: Good.", 10.0),
    ]
    assert doc.turns[0].time_end == pytest.approx(7.456)
    assert "-->" not in doc.text


def test_inline_layouts(write):
    doc = parse_file(write("a.txt", "[00:01:02] Interviewer: How are you?\n[00:01:05] Nurse: Tired.\n"
                                    "[00:01:09] Interviewer: Why?\n"))
    assert turns_of(doc) == [("Interviewer", "Interviewer: How are you?", 62.0),
                             ("Nurse", "Nurse: Tired.", 65.0), ("Interviewer", "Interviewer: Why?", 69.0)]
    doc = parse_file(write("b.txt", "S01: [00:00:12] Guten Tag.\n\nS00: [00:00:36] Ja.\n\nS01: [00:00:36,500] Gut.\n"))
    assert turns_of(doc) == [("S01", "S01: Guten Tag.", 12.0), ("S00", "S00: Ja.", 36.0),
                             ("S01", "S01: Gut.", 36.5)]
    doc = parse_file(write("c.txt", "I: What did you expect?\nP: Not this.\nI: Tell me more.\nP: Well, the rota.\n"))
    assert [s for s, _, _ in turns_of(doc)] == ["I", "P", "I", "P"]
    assert doc.text == "I: What did you expect?\n\nP: Not this.\n\nI: Tell me more.\n\nP: Well, the rota."


def test_continuation_paragraphs_stay_in_the_turn(write):
    doc = parse_file(write("c.txt", "Interviewer: First question.\n\nRespondent: A long answer.\n\n"
                                    "It goes on here.\n\nInterviewer: Thanks.\n"))
    turns = turns_of(doc)
    assert turns[1] == ("Respondent", "Respondent: A long answer.\n\nIt goes on here.", None)
    assert [b.kind for b in doc.blocks] == ["paragraph"] * 4


def test_hard_wrapped_turns_are_joined(write):
    doc = parse_file(write("w.txt", "Interviewer: What was the hardest part\nof the placement?\n\n"
                                    "Student: Nights.\n\nInterviewer: Why nights\nin particular?\n"))
    assert [t for _, t, _ in turns_of(doc)] == [
        "Interviewer: What was the hardest part of the placement?", "Student: Nights.",
        "Interviewer: Why nights in particular?"]


@pytest.mark.parametrize("text", [
    "Note: bring the consent forms.\n\nTime: 3pm in room 4.\n\nWe met the ward manager and discussed rotas.\n",
    "Dear team,\n\nNote: the meeting moved.\n\nNote: bring forms.\n\nNote: parking is limited.\n",
    "Step 1: open the file.\nStep 2: read it.\nStep 3: close it.\n",
    "He said: no.\nShe replied: fine.\nThe end of a story that has nothing to do with speakers at all.\n",
    "Warning: hot\n",
])
def test_prose_with_colons_is_not_a_transcript(write, text):
    doc = parse_file(write("prose.txt", text))
    assert doc.turns == []
    assert doc.text == text.strip()


def test_plain_text_kept_verbatim_with_paragraph_blocks(write):
    text = "First paragraph line one\nline two.\n\n\n\nSecond paragraph.   \n"
    doc = parse_file(write("p.txt", text))
    assert doc.text == "First paragraph line one\nline two.\n\nSecond paragraph."
    assert [(b.start, b.end) for b in doc.blocks] == [(0, 34), (36, 53)]


@pytest.mark.parametrize("name, encoding", [("ar", "Arabic"), ("fa", "Persian"), ("he", "Hebrew")])
def test_right_to_left_and_emoji_turns(write, name, encoding):
    lines = {
        "ar": ("المحاور", "كيف كان يومك في المستشفى؟ 😀", "المريض", "كان صعباً جداً 🏥"),
        "fa": ("مصاحبه‌گر", "روز اول چطور بود؟", "پرستار", "خیلی خسته‌کننده بود 👩🏽‍⚕️"),
        "he": ("מראיין", "איך היה במחלקה?", "אחות", "עמוס מאוד 🙂"),
    }[name]
    a, a_text, b, b_text = lines
    raw = f"{a}: {a_text}\n{b}: {b_text}\n{a}: شكراً\n"
    doc = parse_file(write(f"{name}.txt", raw))
    got = turns_of(doc)
    assert got[0] == (a, f"{a}: {a_text}", None)
    assert got[1] == (b, f"{b}: {b_text}", None)
    assert doc.text[doc.turns[1].start:doc.turns[1].end] == f"{b}: {b_text}"
    assert len(doc.turns) == 3


def test_emoji_offsets_are_code_points(write):
    doc = parse_file(write("e.txt", "A: 😀😀 hi\nB: 👍🏽 ok\nA: 🎉\n"))
    assert doc.text == "A: 😀😀 hi\n\nB: 👍🏽 ok\n\nA: 🎉"
    assert [(t.start, t.end) for t in doc.turns] == [(0, 8), (10, 18), (20, 24)]
    assert doc.text[10:18] == "B: 👍🏽 ok"


def test_utf8_bom_and_crlf(write):
    doc = parse_file(write("bom.txt", "\ufeffLine one\r\nLine two\rLine three\r\n".encode("utf-8")))
    assert doc.text == "Line one\nLine two\nLine three"
    assert doc.notices == []


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_bom(write, codec):
    bom = {"utf-16": b"", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[codec]
    data = bom + "Interviewer: Grüße 😀\r\nNurse: שלום\r\nInterviewer: ok\r\n".encode(codec)
    doc = parse_file(write("u16.txt", data))
    assert doc.text == "Interviewer: Grüße 😀\n\nNurse: שלום\n\nInterviewer: ok"
    assert [t.speaker for t in doc.turns] == ["Interviewer", "Nurse", "Interviewer"]


def test_cp1252_fallback_with_notice(write):
    doc = parse_file(write("w.txt", "Interviewer: Café crème – “naïve” résumé.\n".encode("cp1252")))
    assert doc.text == "Interviewer: Café crème – “naïve” résumé."
    assert doc.notices == ["Read as Windows-1252 (Western European) because the file is not valid UTF-8"]


def test_cyrillic_legacy_encoding_is_detected(write):
    doc = parse_file(write("r.txt", "Привет, как дела? Всё хорошо, спасибо.\n".encode("cp1251")))
    assert doc.text == "Привет, как дела? Всё хорошо, спасибо."
    assert doc.notices and "Windows-1251" in doc.notices[0]
