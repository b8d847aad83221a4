"""Whole files parse exactly as before the import speed work (issue 19, QualCoder side by side).

Every file of the shared corpus that qcdesk reads and Word transcripts written like the import
benchmark's (``benchmarks/docx_files.py``: a heading, a table, ``Speaker: words`` paragraphs split
into runs, line breaks) are parsed; each one's text, blocks, turns, sync points and notices, and
the rows storage inserts, must give the digest recorded in ``parse_golden.json`` by the code before
that work. Regenerate only for an intended change: ``python tests/core/importers/test_parse_unchanged.py --write``.
"""

from __future__ import annotations

import hashlib
import json
import sys
import tempfile
from pathlib import Path

import pytest

from qcdesk.core.importers import parse_file

pytestmark = pytest.mark.core

GOLDEN = Path(__file__).with_name("parse_golden.json")
CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus"
CORPUS_FILES = ("qualcoder_transcript.txt", "noscribe_interview_de.txt", "noscribe_interview_de.vtt",
                "podcastindex_buzzsprout_example.vtt", "podcastindex_buzzsprout_example.srt",
                "pdpilot_P1_maxqda.pdf", "changelog-594.md", "qualcoder_ID1.docx", "qualcoder_ID2.odt")
#: (seed, characters) of the generated Word transcripts
GENERATED = ((0, 3_000), (1, 20_000), (7, 60_000))


def _generated(folder: Path, seed: int, chars: int) -> Path:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))
    try:
        import docx_files
    finally:
        sys.path.pop(0)
    return docx_files.write_docx(folder / f"generated-{seed}-{chars}.docx", chars, seed=seed)


def digest(path: Path) -> str:
    doc = parse_file(path)
    record = [doc.text, doc.source_format, [tuple(vars(b).values()) for b in doc.blocks],
              [tuple(vars(t).values()) for t in doc.turns], doc.sync_points, doc.notices]
    packed = doc.packed()  # what storage inserts, as a worker process hands it over
    record += [packed.block_rows(), packed.turn_rows()]
    return hashlib.sha256(repr(record).encode()).hexdigest()[:20]


def current(corpus: Path | None) -> dict[str, str]:
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for seed, chars in GENERATED:
            path = _generated(Path(tmp), seed, chars)
            out[path.name] = digest(path)
    if corpus is not None:
        out.update({name: digest(corpus / name) for name in CORPUS_FILES})
    return out


def test_generated_word_transcripts_parse_as_recorded():
    expected = json.loads(GOLDEN.read_text())
    got = current(None)
    assert got == {name: expected[name] for name in got}


def test_corpus_files_parse_as_recorded(corpus):
    expected = json.loads(GOLDEN.read_text())
    got = {name: digest(corpus / name) for name in CORPUS_FILES}
    assert got == {name: expected[name] for name in CORPUS_FILES}


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    GOLDEN.write_text(json.dumps(current(CORPUS), indent=0) + "\n")
