"""Building the final plain text with its blocks and turns from a list of pieces.

Readers produce :class:`Unit` s (what the file holds: lines or paragraphs);
:mod:`layouts` turns them into :class:`Piece` s (the paragraphs of the result,
some of which start or continue a speaker turn); :func:`assemble` writes the
pieces out, one paragraph each, separated by a blank line (table rows of one
table by a single line end), and records code-point ranges.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qcdesk.core.importers.base import ParsedDocument

PARAGRAPH = "paragraph"
HEADING = "heading"
TABLE_ROW = "table_row"


@dataclass(slots=True)
class Unit:
    """One line or paragraph as read from the file."""

    text: str
    kind: str = PARAGRAPH
    level: int = 0
    #: a wrapped line that continues the previous unit's paragraph (plain text, PDF)
    soft: bool = False
    #: False for paragraphs that must not be attached to a preceding speaker turn
    attach: bool = True
    #: table rows of one table share a group number
    group: int | None = None


@dataclass(slots=True)
class Piece:
    """One paragraph of the result."""

    text: str
    kind: str = PARAGRAPH
    level: int = 0
    #: set on the paragraph that starts a turn
    speaker: str | None = None
    #: this paragraph belongs to the turn started by an earlier piece
    continues: bool = False
    time_start: float | None = None
    time_end: float | None = None
    group: int | None = None
    #: (offset into ``text``, seconds) of times known inside the paragraph (see :mod:`stamps`)
    sync: list[tuple[int, float]] = field(default_factory=list)


#: a whole run of blanks before a line end; the lookbehind starts each run once, so a long run of
#: spaces in the middle of a line costs one pass, not one per space
_TRAILING_WS = re.compile(r"(?<![ \t\u00a0\u3000])[ \t\u00a0\u3000]++(?=\n)")


def clean(text: str, controls: bool = True) -> str:
    """Strip the ends and trailing blanks of each line; drop stray control characters (``controls``
    False: the caller knows the text holds none of :data:`_CONTROL`)."""
    if controls:
        text = _CONTROL.sub("", text)
    if "\n" in text:  # blanks before a line end inside the text (the ends are stripped below)
        text = _TRAILING_WS.sub("", text)
    return text.strip()


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]")


def line_separator(previous: str, following: str) -> str:
    """What joins a wrapped line to the one before: a space, or nothing after a word-final hyphen."""
    if not previous or (previous.endswith("-") and len(previous) > 1 and previous[-2].isalpha()):
        return ""
    return " "


def _piece_sync(piece: Piece, text: str) -> list[tuple[int, float]]:
    """The piece's times as offsets into its cleaned text; producers give offsets into clean text,
    so only stripped ends can shift them (anything else would be a guess: the times are dropped)."""
    if not piece.sync:
        return []
    lead = len(piece.text) - len(piece.text.lstrip())
    if text != piece.text[lead:lead + len(text)]:
        return []
    return [(min(max(0, offset - lead), len(text)), seconds) for offset, seconds in piece.sync]


def assemble(pieces: list[Piece], source_format: str, notices: list[str] | None = None, *,
             controls: bool = True) -> ParsedDocument:
    """The document the pieces make; ``controls`` False when the reader knows that no piece holds
    a control character :func:`clean` drops (see ``docx_reader.may_hold_controls``)."""
    parts: list[str] = []
    blocks: list[tuple[str, int, int, int]] = []  # rows as storage inserts them (ParsedDocument.from_rows)
    turns: list[tuple[str, int, int, float | None, float | None]] = []
    pos = 0
    open_turn: list | None = None  # [speaker, start, end, t0, t1]
    prev: Piece | None = None
    sync: list[tuple[int, float]] = []
    carried: list[float] = []  # times of empty pieces (a bare stamp line): they mark what follows

    def close_turn() -> None:
        nonlocal open_turn
        if open_turn is not None:
            turns.append(tuple(open_turn))
            open_turn = None

    control_sub, trailing_sub = _CONTROL.sub, _TRAILING_WS.sub
    for piece in pieces:
        text = piece.text  # clean(piece.text, controls), written out (a call per paragraph saved)
        if controls:
            text = control_sub("", text)
        if "\n" in text:
            text = trailing_sub("", text)
        text = text.strip()
        if not text:
            carried += [seconds for _, seconds in piece.sync]
            continue
        if parts:
            tight = (piece.kind == TABLE_ROW and prev is not None and prev.kind == TABLE_ROW
                     and piece.group is not None and piece.group == prev.group)
            if tight:
                parts.append("\n")
                pos += 1
            else:
                parts.append("\n\n")
                pos += 2
        start = pos
        pos = end = start + len(text)
        parts.append(text)
        if carried:
            sync += [(start, seconds) for seconds in carried]
            carried = []
        if piece.sync:
            sync += [(start + offset, seconds) for offset, seconds in _piece_sync(piece, text)]
        kind = piece.kind
        blocks.append((kind, start, end, piece.level if kind == HEADING else 0))
        if piece.speaker is not None:
            if open_turn is not None:
                turns.append(tuple(open_turn))
            open_turn = [piece.speaker, start, end, piece.time_start, piece.time_end]
        elif piece.continues and open_turn is not None:
            open_turn[2] = end
            if piece.time_end is not None:
                open_turn[4] = piece.time_end
        elif open_turn is not None:
            turns.append(tuple(open_turn))
            open_turn = None
        prev = piece
    close_turn()
    sync += [(pos, seconds) for seconds in carried]
    doc = ParsedDocument.from_rows("".join(parts), source_format, blocks, turns, sync, list(notices or []))
    doc.validate()
    return doc
