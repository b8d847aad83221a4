"""Quotes cite the time where they start, wherever the transcript knew it (issue 18/16): a
subtitle cue merged into a longer turn, an f4 stamp taken out of the text."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from qcdesk.core.importing import import_files
from qcdesk.core.reports import build_report, write_report

from .conftest import code_words
from .test_coded_transcript import paragraphs
from builders import empty_project

pytestmark = pytest.mark.core

VTT = ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Anna>We started in spring.\n\n"
       "00:01:15.000 --> 00:01:19.000\n<v Anna>By June the ward was short of staff.\n\n"
       "00:01:40.000 --> 00:01:42.000\n<v Ben:>Why?\n")
F4 = ("I: Wie war der erste Tag? #00:00:04-1#\n\n"
      "B: Anstrengend. #00:02:09-5# Die Station war voll. #00:02:30-0#\n\n"
      "I: Warum? #00:02:35-2#\n")
SUBTITLES = ("1\n00:00:01,000 --> 00:00:02,000\nFirst line.\n\n"
             "2\n00:03:05,000 --> 00:03:06,000\nA line after a long pause.\n")


@pytest.fixture
def imported(tmp_path: Path):
    files = []
    for name, content in [("cues.vtt", VTT), ("f4.txt", F4), ("subs.srt", SUBTITLES)]:
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        files.append(path)
    with empty_project(tmp_path / "times.qcdesk") as p:
        report = import_files(p, files)
        assert not report.failed
        docs = {d.name: d.id for d in p.documents()}
        code = p.codebook.add("Staffing").value.id
        code_words(p, docs["cues"], code, "By June the ward was short of staff.")
        code_words(p, docs["f4"], code, "Die Station war voll.")
        code_words(p, docs["subs"], code, "A line after a long pause.")
        yield p


def test_quotes_cite_the_cue_and_the_stamp_they_start_at(imported):
    got = {q.text: q.source for q in build_report(imported, "segments-by-code").quotes()}
    # the second cue of Anna's turn, not the turn's start (0:01)
    assert got["By June the ward was short of staff."] == "cues · Anna · 1:15"
    # the f4 stamp before the sentence, which is no longer inside the quote
    assert got["Die Station war voll."] == "f4 · B · 2:09"
    assert "#" not in "".join(got)
    # subtitles without voices: the cue's own time
    assert got["A line after a long pause."] == "subs · 3:05"


def test_the_coded_transcript_shows_a_cue_paragraph_time(imported, tmp_path: Path):
    document = docx.Document(write_report(imported, "coded-transcript", tmp_path / "t.docx"))
    texts = [p.text for p in paragraphs(document)]
    assert "[3:05] A line after a long pause." in texts
    assert "[0:01] First line." in texts
