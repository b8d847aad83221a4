"""Real projects in tmp_path for the report tests: documents with speaker turns, a code tree, codings."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block, SpeakerTurn
from qcdesk.core.project import Project
from builders import empty_project

ARABIC = "أشعر بالتعب بعد المناوبة الليلية"
EMOJI = "I was so tired 😴 after nights 🏥"


def transcript(turns: list[tuple[str, str, float | None]], source_format: str = "txt") -> ParsedDocument:
    """A document of one paragraph per turn: ``(speaker, words, seconds or None)``."""
    parts, blocks, spk = [], [], []
    pos = 0
    for speaker, words, seconds in turns:
        line = f"{speaker}: {words}"
        blocks.append(Block("paragraph", pos, pos + len(line)))
        spk.append(SpeakerTurn(speaker, pos, pos + len(line), seconds, None))
        parts.append(line)
        pos += len(line) + 1
    return ParsedDocument(text="\n".join(parts), source_format=source_format, blocks=blocks, turns=spk)


def plain(paragraphs: list[str]) -> ParsedDocument:
    """A document without speakers or times, one block per paragraph."""
    blocks, pos = [], 0
    for para in paragraphs:
        blocks.append(Block("paragraph", pos, pos + len(para)))
        pos += len(para) + 1
    return ParsedDocument(text="\n".join(paragraphs), source_format="txt", blocks=blocks)


def code_words(project: Project, doc_id: int, code_id: int, words: str, occurrence: int = 0):
    """Apply ``code_id`` to the ``occurrence``-th appearance of ``words`` in the document."""
    text = project.document_text(doc_id)
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(words, start + 1)
    return project.codings.apply(doc_id, code_id, start, start + len(words)).value


@dataclass
class Sample:
    path: Path
    project: Project
    docs: dict[str, int]
    codes: dict[str, int]


@pytest.fixture
def sample(tmp_path: Path):
    s = make_sample(tmp_path)
    yield s
    s.project.close()


def make_sample(folder: Path) -> Sample:
    """Two interviews and a field note; codes Barriers > Workload, Barriers > Fatigue, Support, Unused."""
    path = folder / "study.qcd"
    project = empty_project(path)
    project.set_coder("Amira Haddad")
    project.set_coder("Ben Okafor")
    d1 = project.documents.add("Interview 01", transcript([
        ("Interviewer", "How are rotations going?", 5.0),
        ("Participant 1", "The workload is relentless on surgical rotations.", 65.0),
        ("Participant 1", EMOJI, 3725.0),
    ])).id
    d2 = project.documents.add("Interview 02", transcript([
        ("Interviewer", "Tell me about support.", 0.0),
        ("Participant 2", ARABIC, 12.5),
        ("Participant 2", "  My supervisor always checked in.  ", 130.0),
    ])).id
    d3 = project.documents.add("Field notes", plain([
        "Ward was busy.", "Residents looked exhausted at handover.",
    ])).id
    barriers = project.codebook.add("Barriers", color="#c0392b", description="Anything that gets in the way.").value.id
    workload = project.codebook.add("Workload", parent_id=barriers, color="#2980b9").value.id
    fatigue = project.codebook.add("Fatigue", parent_id=barriers, color="#f4d03f",
                               description="Tiredness, sleep loss.").value.id
    support = project.codebook.add("Support", color="#27ae60").value.id
    unused = project.codebook.add("Unused", color="#7f8c8d").value.id
    code_words(project, d1, workload, "The workload is relentless on surgical rotations.")
    code_words(project, d1, fatigue, EMOJI)
    code_words(project, d2, fatigue, ARABIC)
    code_words(project, d3, fatigue, "Residents looked exhausted at handover.")
    # the turn text includes surrounding spaces: the report keeps the words, trims the edges
    text2 = project.document_text(d2)
    start = text2.index("  My supervisor")
    project.codings.apply(d2, support, start, start + len("  My supervisor always checked in.  "))
    code_words(project, d1, barriers, "workload")
    return Sample(path, project, {"i1": d1, "i2": d2, "notes": d3},
                  {"Barriers": barriers, "Workload": workload, "Fatigue": fatigue,
                   "Support": support, "Unused": unused})


def big_project(path: Path, n_docs: int, n_codes: int, n_segments: int) -> Project:
    """A generated project for timing and wide tables: ``n_segments`` spread over docs and codes."""
    project = empty_project(path)
    project.set_coder("Load Test")
    sentence = "I think the workload on nights was really hard, honestly, and nobody noticed. "
    turns_per_doc = max(1, n_segments // n_docs + 1)
    docs = []
    for d in range(n_docs):
        turns = [(f"P{d + 1}" if t % 2 else "Interviewer", sentence * 3, float(t * 37)) for t in range(turns_per_doc)]
        docs.append(project.documents.add(f"Interview {d + 1:02d} – participant {d + 1}", transcript(turns)).id)
    codes, parents = [], []
    for c in range(n_codes):
        parent = parents[-1] if c % 4 and parents else None
        code = project.codebook.add(f"Theme {c + 1}", parent_id=parent,
                                description="Generated for load testing." if c % 3 == 0 else "").value
        codes.append(code.id)
        if parent is None:
            parents.append(code.id)
    starts = {}
    for doc_id in docs:
        starts[doc_id] = [t.start for t in project.speaker_turns(doc_id)]
    with project.action():
        for i in range(n_segments):
            doc_id = docs[i % n_docs]
            turn_starts = starts[doc_id]
            s = turn_starts[(i // n_docs) % len(turn_starts)]
            project.codings.apply(doc_id, codes[i % n_codes], s, s + len(sentence) + (i % 7))
    return project
