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


def _piece_sync(raw: str, sync: list[tuple[int, float]], text: str) -> list[tuple[int, float]]:
    """A piece's times (``sync``, offsets into its text ``raw``) as offsets into its cleaned text
    ``text``; producers give offsets into clean text, so only stripped ends can shift them
    (anything else would be a guess: the times are dropped)."""
    lead = len(raw) - len(raw.lstrip())
    if text != raw[lead:lead + len(text)]:
        return []
    return [(min(max(0, offset - lead), len(text)), seconds) for offset, seconds in sync]


class Assembler:
    """Writes the paragraphs of a document out one at a time (:meth:`add`): the text, its blocks and
    turns as code-point ranges, and its sync points; :meth:`document` gives the result. The one
    place these rules live: :func:`assemble` adds the pieces a reader arranged, and
    ``layouts.assemble_units`` the turns of an inline transcript without making pieces first.

    ``controls`` False when the reader knows that no text holds a control character
    :func:`clean` drops (see ``docx_reader.may_hold_controls``)."""

    __slots__ = ("controls", "parts", "blocks", "turns", "sync", "carried", "pos", "open_turn",
                 "prev_kind", "prev_group")

    def __init__(self, controls: bool = True) -> None:
        self.controls = controls
        self.parts: list[str] = []
        self.blocks: list[tuple[str, int, int, int]] = []  # rows as storage inserts them (ParsedDocument.from_rows)
        self.turns: list[tuple[str, int, int, float | None, float | None]] = []
        self.sync: list[tuple[int, float]] = []
        self.carried: list[float] = []  # times of empty pieces (a bare stamp line): they mark what follows
        self.pos = 0
        self.open_turn: list | None = None  # [speaker, start, end, t0, t1]
        self.prev_kind: str | None = None  # the kind and group of the last paragraph written
        self.prev_group: int | None = None

    def add(self, text: str, kind: str = PARAGRAPH, level: int = 0, speaker: str | None = None,
            continues: bool = False, time_start: float | None = None, time_end: float | None = None,
            group: int | None = None, sync: list[tuple[int, float]] | None = None) -> None:
        """One paragraph, as :class:`Piece` has it (``sync``: offsets into ``text`` as given)."""
        raw = text
        if self.controls:  # clean(text, controls), written out (a call per paragraph saved)
            text = _CONTROL.sub("", text)
        if "\n" in text:
            text = _TRAILING_WS.sub("", text)
        text = text.strip()
        if not text:
            if sync:
                self.carried += [seconds for _, seconds in sync]
            return
        parts = self.parts
        if parts:
            if (kind == TABLE_ROW and self.prev_kind == TABLE_ROW and group is not None
                    and group == self.prev_group):
                parts.append("\n")
                self.pos += 1
            else:
                parts.append("\n\n")
                self.pos += 2
        start = self.pos
        self.pos = end = start + len(text)
        parts.append(text)
        if self.carried:
            self.sync += [(start, seconds) for seconds in self.carried]
            self.carried = []
        if sync:
            self.sync += [(start + offset, seconds) for offset, seconds in _piece_sync(raw, sync, text)]
        self.blocks.append((kind, start, end, level if kind == HEADING else 0))
        open_turn = self.open_turn
        if speaker is not None:
            if open_turn is not None:
                self.turns.append(tuple(open_turn))
            self.open_turn = [speaker, start, end, time_start, time_end]
        elif continues and open_turn is not None:
            open_turn[2] = end
            if time_end is not None:
                open_turn[4] = time_end
        elif open_turn is not None:
            self.turns.append(tuple(open_turn))
            self.open_turn = None
        self.prev_kind, self.prev_group = kind, group

    def add_turns(self, turns: list[tuple[str, str, float | None]]) -> None:
        """``add(f"{speaker}: {utterance}", speaker=speaker, time_start=time_start)`` for each of
        ``turns``: the first paragraphs of turns whose speaker and utterance are stripped, on one
        line, hold no control character and no time to take out (most paragraphs of an inline
        transcript), written out."""
        if not turns:
            return
        parts, pos, open_turn = self.parts, self.pos, self.open_turn
        append, add_block, add_turn = parts.append, self.blocks.append, self.turns.append
        if self.carried or not parts:  # the first one as add() writes it: it may take the times carried
            speaker, utterance, time_start = turns[0]
            self.add(f"{speaker}: {utterance}", PARAGRAPH, 0, speaker, False, time_start)
            turns = turns[1:]
            pos, open_turn = self.pos, self.open_turn
        for speaker, utterance, time_start in turns:  # after a paragraph: a blank line first
            text = f"{speaker}: {utterance}"
            append("\n\n")
            append(text)
            start = pos + 2
            pos = start + len(text)
            add_block((PARAGRAPH, start, pos, 0))
            if open_turn is not None:
                add_turn(tuple(open_turn))
            open_turn = [speaker, start, pos, time_start, None]
        self.pos, self.open_turn = pos, open_turn
        self.prev_kind, self.prev_group = PARAGRAPH, None

    def document(self, source_format: str, notices: list[str] | None = None) -> ParsedDocument:
        """The document written so far, checked."""
        if self.open_turn is not None:
            self.turns.append(tuple(self.open_turn))
            self.open_turn = None
        self.sync += [(self.pos, seconds) for seconds in self.carried]
        self.carried = []
        doc = ParsedDocument.from_rows("".join(self.parts), source_format, self.blocks, self.turns, self.sync,
                                       list(notices or []))
        doc.validate()
        return doc


def assemble(pieces: list[Piece], source_format: str, notices: list[str] | None = None, *,
             controls: bool = True) -> ParsedDocument:
    """The document the pieces make; ``controls`` False when the reader knows that no piece holds
    a control character :func:`clean` drops (see ``docx_reader.may_hold_controls``)."""
    writer = Assembler(controls)
    add = writer.add
    for piece in pieces:
        add(piece.text, piece.kind, piece.level, piece.speaker, piece.continues, piece.time_start, piece.time_end,
            piece.group, piece.sync)
    return writer.document(source_format, notices)
