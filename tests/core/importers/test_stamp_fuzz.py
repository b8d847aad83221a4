"""Exploring: random transcripts in random layouts, with random timestamps in them (issue 18).

Whatever the layout, an f4/f5 stamp never stays in the text, a bracketed time never stays in a
speaker turn, every word stays in order, every stamp's time is kept as structure, and times
known from a source whose times run forwards run forwards in the document too."""

from __future__ import annotations

import re

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcdesk.core.importers import parse_file

pytestmark = pytest.mark.core

WORDS = st.sampled_from(["ja", "nein", "gut", "the", "ward", "was", "busy", "(..)", "nurse", "ärztin", "🙂",
                         "we", "–", "said:", "okay"])
NAMES = ["Interviewer", "Anna Berg", "S01"]
F4_IN_TEXT = re.compile(r"#\d{1,2}:\d{2}(?::\d{2})?(?:[-.,]\d{1,3})?#")
BRACKET_IN_TEXT = re.compile(r"[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]")


def clock(seconds: float, style: str) -> str:
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    tenth = round((seconds - int(seconds)) * 10) % 10
    if style == "f4":
        return f"#{h:02d}:{m:02d}:{s:02d}-{tenth}#"
    frac = f".{tenth}" if tenth else ""
    if style == "square":
        return f"[{h:02d}:{m:02d}:{s:02d}{frac}]"
    return f"({h:02d}:{m:02d}:{s:02d}{frac})"


@st.composite
def transcripts(draw):
    """(layout, turns): each turn a speaker, its start time and its utterance as a list of
    words and (style, seconds) stamps, the times running forwards."""
    n = draw(st.integers(3, 7))
    now = draw(st.integers(0, 5000)) + 0.0
    turns = []
    for i in range(n):
        name = NAMES[i % 2] if draw(st.booleans()) else draw(st.sampled_from(NAMES[:2]))
        start = now
        items = [draw(WORDS)]
        for _ in range(draw(st.integers(0, 8))):
            if draw(st.integers(0, 3)) == 0:
                now += draw(st.integers(1, 30)) + draw(st.sampled_from([0.0, 0.5]))
                items.append(("stamp", now, draw(st.sampled_from(["f4", "f4", "square", "round"]))))
            else:
                items.append(draw(WORDS))
        now += draw(st.integers(1, 20))
        turns.append((name, start, items))
    layout = draw(st.sampled_from(["inline", "noscribe", "f4first", "otter", "docx"]))
    return layout, turns


def utterance(items) -> str:
    return " ".join(x if isinstance(x, str) else clock(x[1], x[2]) for x in items)


def write(tmp_path, layout, turns):
    if layout == "docx":
        d = docx.Document()
        for name, _start, items in turns:
            d.add_paragraph(f"{name}: {utterance(items)}")
        path = tmp_path / "t.docx"
        d.save(path)
        return path
    lines = []
    for name, start, items in turns:
        if layout == "inline":
            lines.append(f"{name}: {utterance(items)}")
        elif layout == "f4first":
            lines.append(f"{clock(start, 'f4')} {name}: {utterance(items)}")
        elif layout == "noscribe":
            lines.append(f"{name}: {clock(start, 'square')} {utterance(items)}")
        else:
            m, s = divmod(int(start), 60)
            lines.append(f"{name}  {m}:{s:02d}\n{utterance(items)}")
    path = tmp_path / "t.txt"
    path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return path


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=transcripts())
def test_stamps_never_leak_into_the_text_and_times_run_forwards(tmp_path, data):
    layout, turns = data
    doc = parse_file(write(tmp_path, layout, turns))
    doc.validate()
    assert not F4_IN_TEXT.search(doc.text)
    for turn in doc.turns:
        assert not BRACKET_IN_TEXT.search(doc.text[turn.start:turn.end]), doc.text[turn.start:turn.end]
    # every word, in order
    words = [w for _, _, items in turns for w in items if isinstance(w, str)]
    rest = doc.text
    for w in words:
        found = rest.find(w)
        assert found >= 0, (w, rest)
        rest = rest[found + len(w):]
    # every stamp's time is structure (bracketed ones where the text was read as a transcript:
    # in prose they stay as written)
    stamps = {x[1] for _, _, items in turns for x in items
              if not isinstance(x, str) and (x[2] == "f4" or doc.turns)}
    known = [(t.start, t.time_start) for t in doc.turns if t.time_start is not None] + doc.sync_points
    assert stamps <= {s for _, s in known}
    # and the times run forwards through the text
    ordered = [s for _, s in sorted(known, key=lambda k: k[0])]
    assert ordered == sorted(ordered)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cues=st.lists(st.tuples(st.sampled_from(["Anna", "Ben", None]), st.integers(0, 40), WORDS),
                     min_size=1, max_size=10),
       suffix=st.sampled_from([".vtt", ".srt"]), colon=st.booleans())
def test_every_cue_keeps_its_time_in_order(tmp_path, cues, suffix, colon):
    now, blocks, starts = 0, [], []
    for i, (voice, gap, word) in enumerate(cues):
        now += gap
        starts.append(float(now))
        stamp = f"00:{now // 60:02d}:{now % 60:02d}{'.' if suffix == '.vtt' else ','}000"
        end = f"00:{(now + 1) // 60:02d}:{(now + 1) % 60:02d}{'.' if suffix == '.vtt' else ','}000"
        tag = "" if voice is None else (f"<v {voice}{':' if colon else ''}>" if suffix == ".vtt" else f"{voice}: ")
        blocks.append(f"{i + 1}\n{stamp} --> {end}\n{tag}{word} w{i}")
        now += 1
    path = tmp_path / f"c{suffix}"
    path.write_text(("WEBVTT\n\n" if suffix == ".vtt" else "") + "\n\n".join(blocks) + "\n", encoding="utf-8")
    doc = parse_file(path)
    doc.validate()
    assert all(not t.speaker.endswith(":") for t in doc.turns)
    known = sorted([(t.start, t.time_start) for t in doc.turns if t.time_start is not None] + doc.sync_points)
    # one time per cue, at the cue's text, in order
    assert [s for _, s in known] == starts
    for i, (pos, _) in enumerate(known):
        label_or_word = doc.text[pos:]
        assert f"w{i}" in label_or_word.split("\n")[0] or label_or_word.startswith(("Anna", "Ben"))
