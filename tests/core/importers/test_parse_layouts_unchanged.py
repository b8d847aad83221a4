"""Word and plain text transcripts in many speaker layouts parse exactly as recorded.

A wider net than ``test_parse_unchanged.py`` (whose generated files all use one layout) for the
work that makes reading a transcript cheaper (issue 19): deterministic documents mix
``Name: text``, bold labels, ``Name [00:01:02]: text``, ``[hh:mm:ss] Name: text``, f4/MAXQDA
``#00:01:23-4#`` stamps, header lines (``Name  00:00:12``, ``[Name] 10:15:01``, ``Name:`` alone,
Teams' ``0:00:03.123 --> 0:00:07.456``) followed by the utterance, "I:"/"R:" labels, non-Latin
names, prose with colons, empty paragraphs, line breaks and tabs inside paragraphs, tables (one
nested), headings and bare times. Each is written as a .docx (python-docx) and as a .txt, parsed,
and digested as ``test_parse_unchanged.digest`` does (text, blocks, turns, sync points, notices and
the rows storage inserts); the digests in ``parse_layouts_golden.json`` were written by the code
before that work. Regenerate only for an intended change:
``python tests/core/importers/test_parse_layouts_unchanged.py --write``.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from pathlib import Path

import pytest
from test_parse_unchanged import digest

pytestmark = pytest.mark.core

GOLDEN = Path(__file__).with_name("parse_layouts_golden.json")
SEEDS = range(64)

WORDS = ("the", "ward", "was", "busy", "okay", "and", "then", "he", "said:", "Note:", "(..)", "[laughs]",
         "ärztin", "–", "really", "(3:16)", "[00:01:02]", "#00:00:05-1#", "http://x.org", "Time:", "🙂", "-",
         "naïve", "co-worker", "(inaudible)", "[crosstalk]", "yes.", "no?", "well…", "50%", "p.m.")
NAMES = ("Interviewer", "Anna Berg", "I", "R", "B", "S01", "Speaker 1", "Dr. Ann-Marie O'Neil",
         "Participant 12", "علي", "Алексей Петров", "王芳", "Ελένη", "שָׁלוֹם", "José Núñez", "and then he",
         "Note", "Moderator", "P3", "Σ")
LAYOUTS = ("colon", "bold", "name_time", "time_name", "bare_time_name", "noscribe", "f4_first", "f4_inside",
           "otter", "zoom", "time_first", "label_line", "teams", "qualcoder", "short")


def _clock(rng: _Random, t: int) -> str:
    h, rest = divmod(t, 3600)
    m, s = divmod(rest, 60)
    return rng.choice((f"{h:02d}:{m:02d}:{s:02d}", f"{m}:{s:02d}", f"{h}:{m:02d}:{s:02d}.{rng.randint(0, 999):03d}",
                       f"{m:02d}:{s:02d},5"))


def _f4(rng: _Random, t: int) -> str:
    h, rest = divmod(t, 3600)
    m, s = divmod(rest, 60)
    return rng.choice((f"#{h:02d}:{m:02d}:{s:02d}-{rng.randint(0, 9)}#", f"#{h:02d}:{m:02d}:{s:02d}#",
                       f"#{m:02d}:{s:02d}-{rng.randint(0, 9)}#"))


#: the words without times: some documents have no stamp but those their layout writes
QUIET_WORDS = tuple(w for w in WORDS if not any(c.isdigit() for c in w))


class _Random(random.Random):
    words = WORDS


def _words(rng: _Random, low: int = 1, high: int = 14) -> str:
    return " ".join(rng.choice(rng.words) for _ in range(rng.randint(low, high)))


#: a paragraph: a list of runs (text, bold); "\n" in a run's text is a line break, "\t" a tab
Paragraph = list[tuple[str, bool]]


def _turn(rng: _Random, layout: str, name: str, t: int) -> list[Paragraph]:
    clock, text = _clock(rng, t), _words(rng)
    plain = {
        "colon": [f"{name}: {text}"],
        "name_time": [f"{name} [{clock}]: {text}"],
        "time_name": [f"[{clock}] {name}: {text}"],
        "bare_time_name": [f"{clock} {name}: {text}"],
        "noscribe": [f"{name}: [{clock}] {text}"],
        "f4_first": [f"{_f4(rng, t)} {name}: {text}"],
        "f4_inside": [f"{name}: {text} {_f4(rng, t)}"],
        "otter": [f"{name}  {clock}", text],
        "zoom": [f"[{name}] {clock}", text],
        "time_first": [f"({clock}) {name}", text],
        "label_line": [f"{name}:", text],
        "teams": [f"{clock} --> {_clock(rng, t + 4)}", name, text],
        "qualcoder": [f"[{name}] {text}"],
        "short": [f"{rng.choice('IRB')}: {text}"],
    }
    if layout == "bold":
        return [[(f"{name}:", True), (f" {text}", False)]]
    return [[(line, False)] for line in plain[layout]]


def document(seed: int) -> list:
    """The document's blocks in order: ("p", Paragraph), ("h", text, level), ("table", rows, nested)."""
    rng = _Random(seed)
    if rng.random() < 0.4:
        rng.words = QUIET_WORDS
    layouts = [rng.choice(LAYOUTS + ("prose",))] + ([rng.choice(LAYOUTS)] if rng.random() < 0.25 else [])
    names = rng.sample(NAMES, rng.randint(1, 4))
    blocks: list = []
    if rng.random() < 0.6:
        blocks.append(("h", _words(rng, 1, 4), rng.randint(1, 3)))
    t = rng.randint(0, 5000)
    for _ in range(rng.randint(3, 45)):
        r = rng.random()
        if r < 0.04:
            rows = [[_words(rng, 1, 3) for _ in range(rng.randint(1, 3))] for _ in range(rng.randint(1, 3))]
            blocks.append(("table", rows, rng.random() < 0.3))
            continue
        if r < 0.07:
            blocks.append(("h", _words(rng, 1, 3), rng.randint(1, 4)))
            continue
        if r < 0.15:
            blocks.append(("p", [(rng.choice(("", " ", _clock(rng, t), f"[{_clock(rng, t)}]", _f4(rng, t),
                                              _words(rng, 20, 40), "Note: " + _words(rng))), False)]))
            continue
        layout = rng.choice(layouts)
        paragraphs = [[(_words(rng, 3, 30), False)]] if layout == "prose" else _turn(rng, layout, rng.choice(names), t)
        for para in paragraphs:
            if rng.random() < 0.08:
                para = [(" \t" + para[0][0], para[0][1])] + para[1:] + [("  ", False)]
            if rng.random() < 0.1:
                para = para + [("\n" + _words(rng), False)]
            if rng.random() < 0.05:
                para = para + [("\t" + _words(rng, 1, 3), False)]
            if rng.random() < 0.03:
                para = para + [("\u00a0\x7f" + _words(rng, 1, 2) + "\ufeff", False)]
            blocks.append(("p", para))
        for _ in range(rng.choice((0, 0, 0, 0, 1))):
            blocks.append(("p", [(_words(rng), False)]))
        t += rng.randint(1, 120)
    return blocks


def write_docx(path: Path, blocks: list) -> Path:
    import docx

    d = docx.Document()
    for block in blocks:
        if block[0] == "h":
            d.add_heading(block[1], level=block[2])
        elif block[0] == "table":
            rows, nested = block[1], block[2]
            table = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
            if nested:
                inner = table.cell(0, 0).add_table(rows=1, cols=2)
                inner.cell(0, 0).text, inner.cell(0, 1).text = "inner", "cell"
        else:
            p = d.add_paragraph()
            for text, bold in block[1]:
                for k, line in enumerate(text.split("\n")):
                    if k:
                        p.add_run().add_break()
                    for j, part in enumerate(line.split("\t")):
                        run = p.add_run()
                        if j:
                            run.add_tab()
                        if part:
                            run.add_text(part)
                        run.bold = bold or None
    d.save(path)
    return path


def write_txt(path: Path, blocks: list, blank_lines: bool) -> Path:
    lines = []
    for block in blocks:
        if block[0] == "h":
            lines.append(block[1])
        elif block[0] == "table":
            lines += ["\t".join(row) for row in block[1]]
        else:
            lines.append("".join(text for text, _ in block[1]))
        if blank_lines:
            lines.append("")
    path.write_text("\n".join(lines).replace("\x7f", "").replace("\ufeff", "") + "\n", encoding="utf-8")
    return path


def current() -> dict[str, str]:
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for seed in SEEDS:
            blocks = document(seed)
            for path in (write_docx(Path(tmp) / f"layouts-{seed}.docx", blocks),
                         write_txt(Path(tmp) / f"layouts-{seed}.txt", blocks, blank_lines=seed % 2 == 0)):
                out[path.name] = digest(path)
    return out


def test_transcripts_in_many_layouts_parse_as_recorded():
    expected = json.loads(GOLDEN.read_text())
    got = current()
    assert len(got) == 2 * len(SEEDS)
    assert {name: value for name, value in got.items() if value != expected[name]} == {}


def test_the_documents_cover_both_layout_families_and_prose():
    from qcdesk.core.importers import docx_reader, parse_file
    from qcdesk.core.importers.layouts import detect
    from qcdesk.core.importers.safety import open_zip

    modes, found = set(), set()
    with tempfile.TemporaryDirectory() as tmp:
        for seed in SEEDS:
            path = write_docx(Path(tmp) / f"layouts-{seed}.docx", document(seed))
            body = docx_reader._xml(open_zip(path, path.read_bytes(), "").read("word/document.xml"))[0]
            modes.add(found_mode[0] if (found_mode := detect(docx_reader.body_units(body, docx_reader._Styles(None))))
                      else None)
            doc = parse_file(path)
            timed = any(t.time_start is not None for t in doc.turns)
            found.add(("turns" if doc.turns else "prose", timed, bool(doc.sync_points)))
    assert modes == {"inline", "header", None}
    assert {("prose", False, False), ("turns", False, False), ("turns", True, True)} <= found


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    GOLDEN.write_text(json.dumps(current(), indent=0) + "\n")
