"""Synthetic Word transcripts for the import benchmark (issue 19: 20 x 250,000-character .docx).

Each file is what a transcription service or a typist hands over: a title (Heading 1), a short
table of interview details, then ``Speaker: words`` paragraphs, some split into several runs
(bold labels, an italic word), a few with line breaks. Deterministic for a seed.
"""

from __future__ import annotations

import random
from pathlib import Path

_WORDS = ("the", "ward", "rota", "handover", "patient", "felt", "supported", "really", "night", "shift",
          "consultant", "asked", "me", "whether", "we", "could", "manage", "and", "I", "said", "yes",
          "because", "registrar", "was", "there", "learning", "confidence", "mentor", "time", "pressure",
          "about", "teaching", "feedback", "weekend", "cover", "colleagues", "trust", "difficult", "week")


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 18))]
    return " ".join(words).capitalize() + rng.choice((".", ".", ".", "?", "…"))


def write_docx(path: Path, chars: int = 250_000, seed: int = 0) -> Path:
    """One transcript of about ``chars`` characters of text."""
    import docx  # python-docx writes the benchmark's input only

    rng = random.Random(seed)
    d = docx.Document()
    d.add_heading(f"Interview {seed + 1}", level=1)
    table = d.add_table(rows=2, cols=2)
    for r, (k, v) in enumerate((("Date", "12 March 2024"), ("Place", "Hospital B"))):
        table.cell(r, 0).text, table.cell(r, 1).text = k, v
    speakers = ("Interviewer", f"P{seed + 1}")
    total, turn = 0, 0
    while total < chars:
        speaker = speakers[turn % 2]
        text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 6) if turn % 2 else 1))
        p = d.add_paragraph()
        p.add_run(f"{speaker}:").bold = True
        p.add_run(" " + text)
        if rng.random() < 0.1:
            p.add_run().add_break()
            p.add_run(_sentence(rng)).italic = True
        total += len(speaker) + len(text) + 4
        turn += 1
    d.save(path)
    return path


def write_files(folder: Path, count: int = 20, chars: int = 250_000) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_docx(folder / f"interview-{i + 1:02d}.docx", chars, seed=i) for i in range(count)]
