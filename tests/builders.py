"""Builders for the documents test projects are made of (no Qt: core and widget tests share them).

Each used to be copied into the test modules that needed it, with small differences; the
differences are parameters now, so a module keeps exactly the document it had. :func:`empty_project`
stands in for ``Project.create`` where a test only needs an empty project to work in.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from typing import Sequence

from qcdesk.core.errors import ProjectError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block, SpeakerTurn
from qcdesk.core.project import Project

#: the empty project this test process copies (made by the first :func:`empty_project`)
_EMPTY_PROJECT: list[Path] = []


def make_empty_project(folder: Path) -> None:
    """Creates the project :func:`empty_project` copies, in ``folder``. tests/conftest.py calls it
    before any test runs, so no test's patches (of the connection, of the schema) can shape it."""
    Project.create(folder / "empty.qcdesk").close()
    _EMPTY_PROJECT[:] = [folder / "empty.qcdesk"]


def empty_project(path: str | Path) -> Project:
    """An open, empty project at ``path``: what ``Project.create(path)`` gives (current schema, owner-only
    file, locked), copied from one project each test process creates once.

    Creating a project runs every schema migration, each committed on its own (about 40 ms of CPU and
    100-250 ms of waiting for the disk); copying and opening takes a tenth of that. Tests of creation
    itself (timestamps, refusals, file modes, encryption) call ``Project.create``.
    """
    if not _EMPTY_PROJECT or not _EMPTY_PROJECT[0].exists():
        folder = Path(tempfile.mkdtemp(prefix="qcdesk-empty-project-"))
        atexit.register(shutil.rmtree, folder, True)
        make_empty_project(folder)
    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        raise ProjectError(f"{path.name} already exists; choose another name or open it.")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with open(fd, "wb") as out, open(_EMPTY_PROJECT[0], "rb") as empty:
        shutil.copyfileobj(empty, out)
    return Project.open(path)


def lines_document(lines: Sequence[str], *, sep: str = "\n",
                   times: Sequence[float | None] | None = None) -> ParsedDocument:
    """One paragraph and one speaker turn per line ("Speaker: words"; a line without a colon has no
    turn), the lines joined by ``sep``; ``times``: each turn's start in seconds (default: none)."""
    blocks, turns, pos = [], [], 0
    for i, line in enumerate(lines):
        end = pos + len(line)
        blocks.append(Block("paragraph", pos, end))
        if ":" in line:
            turns.append(SpeakerTurn(line.split(":")[0], pos, end, times[i] if times else None, None))
        pos = end + len(sep)
    return ParsedDocument(text=sep.join(lines), source_format="txt", blocks=blocks, turns=turns)


def turns_document(turns: Sequence[tuple[str, str]], *, sep: str = "\n") -> ParsedDocument:
    """(speaker, words) pairs: the words alone are the text, one paragraph and turn each, joined by ``sep``."""
    blocks, spoken, pos = [], [], 0
    for speaker, words in turns:
        blocks.append(Block("paragraph", pos, pos + len(words)))
        spoken.append(SpeakerTurn(speaker, pos, pos + len(words), None, None))
        pos += len(words) + len(sep)
    return ParsedDocument(text=sep.join(words for _, words in turns), source_format="txt", blocks=blocks, turns=spoken)


def paragraph_document(text: str) -> ParsedDocument:
    """The whole text one paragraph, with no speaker turns."""
    return ParsedDocument(text=text, source_format="txt", blocks=[Block("paragraph", 0, len(text))], turns=[])


def transcript_files(folder: Path, n: int) -> list[Path]:
    """``n`` small plain-text transcripts ``file-0.txt``... in ``folder``, each of three speaker
    turns (two speakers: a layout the importer recognises)."""
    paths = []
    for i in range(n):
        path = folder / f"file-{i}.txt"
        path.write_text(f"Interviewer: file {i}\n\nP1: answer {i}\n\nInterviewer: thanks {i}\n", encoding="utf-8")
        paths.append(path)
    return paths


def code_words(project, doc_id: int, code_id: int, words: str):
    """Codes the first place ``words`` occur in the document; returns the coding."""
    start = project.document_text(doc_id).index(words)
    return project.codings.apply(doc_id, code_id, start, start + len(words)).value


#: one line of the interviews :func:`meetings_project` is made of
MEETING_LINE = "Mentor: We met every Tuesday to plan the week ahead, and talked about the lab.\n"


def meetings_project(path: str | Path, *, documents: int = 6, coded: tuple[int, int] | None = (10, 40)) -> Project:
    """The project the opening and integrity-check tests open: ``documents`` interviews of 400
    :data:`MEETING_LINE` lines ("Interview 0" holds "0 Mentor: ...", about 32 KB each, so 6 make
    about 1 MB) and the code "Weekly meetings", applied to ``coded`` of the first interview (none
    when None). Returned closed: its ``path`` and ``closed_seal`` (the seal a clean close gives,
    which a test may keep or drop, as after a crash)."""
    text = MEETING_LINE * 400
    with empty_project(path) as project:
        for i in range(documents):
            project.documents.add(f"Interview {i}", ParsedDocument(text=f"{i} {text}", source_format="txt"))
        code = project.codebook.add("Weekly meetings").value
        if coded is not None:
            project.codings.apply(1, code.id, *coded)
    return project
