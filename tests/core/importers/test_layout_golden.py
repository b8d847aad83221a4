"""Golden outputs: layout recognition gives exactly the same document as before it was made faster.

Deterministic documents in every layout ``layouts`` knows (and prose, tables, wrapped lines, stamps,
mixtures that are not transcripts) go through ``arrange`` and ``assemble``; each output's digest
(text, blocks, turns, sync points) must equal the one recorded in ``layout_golden.json``, which was
written by the code before the speed work of issue 19. Regenerate only for an intended change:
``python tests/core/importers/test_layout_golden.py --write``."""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

import pytest

from qcdesk.core.importers.assemble import HEADING, TABLE_ROW, Unit, assemble
from qcdesk.core.importers.layouts import arrange

pytestmark = pytest.mark.core

GOLDEN = Path(__file__).with_name("layout_golden.json")
WORDS = ["the", "ward", "was", "busy", "Note:", "said:", "(..)", "[laughs]", "ärztin", "–", "okay", "and",
         "then", "he", "said:", "[00:01:02]", "#00:00:05-1#", "(00:02)", "http://x.org", "Time:", "🙂", "-"]
NAMES = ["Interviewer", "Anna Berg", "S01", "I", "B", "Speaker 1", "Maria Lopez", "Dr. Ann-Marie O'Neil",
         "note", "Participant 12", "علي", "and then he"]


def _clock(rng: random.Random, seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return rng.choice([f"{m}:{s:02d}", f"{h:02d}:{m:02d}:{s:02d}", f"{h}:{m:02d}:{s:02d}.{rng.randint(0, 999):03d}",
                       f"{m:02d}:{s:02d},5"])


def _words(rng: random.Random, low: int = 1, high: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _turn(rng: random.Random, layout: str, name: str, t: int) -> list[str]:
    clock, text = _clock(rng, t), _words(rng)
    return {
        "colon": [f"{name}: {text}"],
        "noscribe": [f"{name}: [{clock}] {text}"],
        "time_name": [f"[{clock}] {name}: {text}"],
        "bare_time_name": [f"{clock} - {name}: {text}"],
        "name_time": [f"{name} ({clock}): {text}"],
        "qualcoder": [f"[{name}] {text}"],
        "otter": [f"{name}  {clock}", text],
        "zoom": [f"[{name}] {clock}", text],
        "time_first": [f"({clock}) {name}", text],
        "maxqda": [f"{name}:", text],
        "teams": [f"{clock} --> {_clock(rng, t + 3)}", name, text],
        "f4": [f"#{clock}-1# {name}: {text}"],
    }[layout]


LAYOUTS = ["colon", "noscribe", "time_name", "bare_time_name", "name_time", "qualcoder", "otter", "zoom",
           "time_first", "maxqda", "teams", "f4"]


def document(seed: int) -> tuple[list[Unit], str]:
    rng = random.Random(seed)
    layouts = [rng.choice(LAYOUTS + ["prose"])] + ([rng.choice(LAYOUTS)] if rng.random() < 0.2 else [])
    names = rng.sample(NAMES, rng.randint(1, 4))
    units: list[Unit] = []
    if rng.random() < 0.5:
        units.append(Unit(_words(rng, 1, 4), HEADING, level=rng.randint(1, 3)))
    t = rng.randint(0, 4000)
    group = 0
    for _ in range(rng.randint(0, 40)):
        r = rng.random()
        if r < 0.05:
            group += 1
            units += [Unit(f"{_words(rng, 1, 2)}\t{_words(rng, 1, 3)}", TABLE_ROW, group=group)
                      for _ in range(rng.randint(1, 3))]
            continue
        if r < 0.12:
            units.append(Unit(rng.choice([_words(rng), _clock(rng, t), f"[{_clock(rng, t)}]", ""]),
                              soft=rng.random() < 0.5, attach=rng.random() < 0.8))
            continue
        layout = rng.choice(layouts)
        if layout == "prose":
            lines = [_words(rng, 3, 20)]
        else:
            lines = _turn(rng, layout, rng.choice(names), t)
        for _k, line in enumerate(lines):
            if rng.random() < 0.05:
                line = "  " + line + " \t"
            if rng.random() < 0.05:
                line = line + "\n" + _words(rng)
            units.append(Unit(line))
        for _ in range(rng.choice([0, 0, 0, 1, 2])):
            units.append(Unit(_words(rng), soft=True))
        t += rng.randint(1, 90)
    return units, rng.choice(["\n", " "])


def digest(seed: int) -> str:
    units, soft_join = document(seed)
    doc = assemble(arrange(units, soft_join=soft_join), "txt")
    record = [doc.text, [tuple(vars(b).values()) for b in doc.blocks],
              [tuple(vars(t).values()) for t in doc.turns], doc.sync_points]
    return hashlib.sha256(repr(record).encode()).hexdigest()[:16]


SEEDS = range(600)


def test_every_generated_layout_gives_the_recorded_output():
    expected = json.loads(GOLDEN.read_text())
    assert len(expected) == len(SEEDS)
    differ = [seed for seed in SEEDS if digest(seed) != expected[str(seed)]]
    assert differ == []


def test_the_generated_documents_cover_transcripts_and_prose():
    from qcdesk.core.importers.layouts import detect

    modes = {(found[0] if (found := detect(document(seed)[0])) else None) for seed in SEEDS}
    assert modes == {"inline", "header", None}


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    GOLDEN.write_text(json.dumps({str(seed): digest(seed) for seed in SEEDS}, indent=0) + "\n")
