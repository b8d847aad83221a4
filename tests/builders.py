"""Builders for the documents test projects are made of (no Qt: core and widget tests share them).

Each used to be copied into the test modules that needed it, with small differences; the
differences are parameters now, so a module keeps exactly the document it had.
"""

from __future__ import annotations

from typing import Sequence

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block, SpeakerTurn


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


def code_words(project, doc_id: int, code_id: int, words: str):
    """Codes the first place ``words`` occur in the document; returns the coding."""
    start = project.document_text(doc_id).index(words)
    return project.codings.apply(doc_id, code_id, start, start + len(words)).value
