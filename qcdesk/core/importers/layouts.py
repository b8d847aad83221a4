"""Recognising transcript layouts in paragraphs and rewriting them as ``Speaker: utterance``.

Two families are recognised:

* inline labels, one per paragraph: ``Name: text``, ``S01: [00:00:12] text``
  (noScribe), ``[00:01:02] Name: text``, ``00:01:02 Name: text``,
  ``Name [00:01]: text``, ``[id1] text`` (QualCoder);
* header lines followed by the utterance: ``Name  00:13`` (Otter, Teams),
  ``[Name] 10:15:01`` (Zoom), ``Name:`` alone on a line (MAXQDA PDF export),
  and ``0:00:03.123 --> 0:00:07.456`` then a name line (Teams).

A document counts as a transcript only when labels recur: the same label on
several paragraphs, few distinct labels, and labelled paragraphs making up
most of the text after the first one. Common prose labels ("Note:", "Time:")
are never speakers. Timestamps leave the text and go into the turn.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from operator import attrgetter

from qcdesk.core.importers.assemble import PARAGRAPH, Assembler, Piece, Unit, assemble, clean, line_separator
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.importers.stamps import LEADING_F4, take_stamps
from qcdesk.core.importers.stamps import seconds as stamp_seconds

TIME = r"(?:\d{1,2}:)?\d{1,3}:\d{2}(?:[.,]\d{1,3})?"
_ARROW_TIME = r"\d{1,2}(?::\d{1,2}){1,2}(?:[.,]\d{1,3})?"
#: letters plus combining marks (Arabic harakat, Hebrew points, accents) and ZWNJ/ZWJ (Persian)
_MARKS = "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200c\u200d"
_WORD = rf"[\w.'’&\-(){_MARKS}]+"
NAME = rf"[^\W\d_]{_WORD[:-1]}*(?: {_WORD}){{0,4}}"
_BRACKET_LABEL = r"[^\W\d_][^\[\]\n]{0,30}"

_INLINE = [
    re.compile(rf"^[\[(](?P<time>{TIME})[\])]\s*[-–]?\s*(?P<name>{NAME})\s*:\s+(?P<rest>.+)$", re.S),
    re.compile(rf"^(?P<time>{TIME})\s+[-–]?\s*(?P<name>{NAME})\s*:\s+(?P<rest>.+)$", re.S),
    re.compile(rf"^(?P<name>{NAME})\s*[\[(](?P<time>{TIME})[\])]\s*:\s*(?P<rest>.+)$", re.S),
    re.compile(rf"^(?P<name>{NAME})\s*:\s+(?:[\[(](?P<time>{TIME})[\])]\s*)?(?P<rest>.+)$", re.S),
    re.compile(rf"^\[(?P<name>{_BRACKET_LABEL})\]\s+(?P<rest>.+)$", re.S),
]
_HEADERS = [
    re.compile(rf"^(?P<name>{NAME})(?:\s*[|·•–-]\s*|\s+)[\[(]?(?P<time>{TIME})[\])]?$"),
    re.compile(rf"^\[(?P<name>{_BRACKET_LABEL})\]\s*(?P<time>{TIME})$"),
    re.compile(rf"^[\[(]?(?P<time>{TIME})[\])]?\s+(?P<name>{NAME})$"),
    re.compile(rf"^(?P<name>{NAME})\s*:$"),
]
_ARROW = re.compile(rf"^(?P<time>{_ARROW_TIME})\s*-->\s*(?P<end>{_ARROW_TIME})\b")
_NAME_ONLY = re.compile(rf"^(?P<name>{NAME})$")
_ONLY_TIME = re.compile(rf"^[\[(]?{TIME}[\])]?$")
_LEADING_TIME = re.compile(rf"^[\[(]{TIME}[\])]\s*")

#: labels that introduce prose, never a speaker
STOP_LABELS = frozenset("""
note notes nb n.b time date day location place venue subject re fwd fw ps p.s tip hint
warning caution important example examples e.g source sources url link links email e-mail
tel phone fax title author authors duration length page chapter section figure table step
transcript transcription transcribed transcriber audio audio file file recording language
keywords summary abstract description topic agenda attendees participants present absent
minutes break pause music applause laughter inaudible crosstalk start end version status
action todo update key definition translation comment comments remark observation context
background setting age gender sex role occupation education code codes memo memos theme
themes category categories quote quotes reference references website address name names
from to cc bcc sent date received
""".split())


def parse_time(value: str) -> float | None:
    """Seconds from ``m:ss``, ``mm:ss``, ``h:mm:ss`` with optional ``.mmm`` / ``,mmm``."""
    value = value.strip().replace(",", ".")
    frac = 0.0
    if "." in value:
        value, _, digits = value.partition(".")
        if digits:
            if not digits.isdigit():
                return None
            frac = float("0." + digits)
    try:
        parts = [int(p) for p in value.split(":")]
    except ValueError:
        return None
    if len(parts) == 2:
        hours, (minutes, seconds) = 0, parts
    elif len(parts) == 3:
        hours, minutes, seconds = parts
    else:
        return None
    return hours * 3600 + minutes * 60 + seconds + frac


def valid_name(name: str) -> bool:
    """Whether ``name`` may be a speaker label (a pure function of it: the answers are kept, since
    a transcript asks again for the same few labels on every paragraph)."""
    known = _VALID_NAMES.get(name)
    if known is None:
        known = _VALID_NAMES[name] = _valid_name(name)
        if len(_VALID_NAMES) > _VALID_NAMES_KEPT:
            _VALID_NAMES.clear()
    return known


_VALID_NAMES: dict[str, bool] = {}
_VALID_NAMES_KEPT = 4096


def _valid_name(name: str) -> bool:
    if len(name) > 40:
        return False
    words = name.split()
    if not words or len(words) > 5:
        return False
    folded = name.casefold()
    if folded.rstrip(".") in STOP_LABELS or len(words) > 1 and words[0].casefold() in STOP_LABELS:
        return False
    if "http" in folded or "://" in name:
        return False
    first = words[0][0]
    if len(words) > 1 and not first.isupper() and first.isalpha() and first.lower() != first.upper():
        return False  # "and then he said: ..." is prose
    return True


@dataclass(slots=True)
class _Match:
    index: int
    name: str
    time: float | None
    rest: str = ""
    end_time: float | None = None
    consumes: int = 0  # further units taken by the header (Teams: the name line)


#: the inline patterns that can match a paragraph, by its first character: a bracket opens only
#: the bracketed ones ([time] Name:, [id1]), a decimal digit (``\d``) only the bare time, anything
#: else only the name-first ones; in their order, since the first valid match decides
#: with whether the pattern names a time, and the characters of which the text must hold one for
#: it to match (``Name [00:01]: ...`` needs a bracket; a test with ``in`` is cheaper than a failed match)
def _patterns_opened_by(kind: str) -> list[tuple[re.Pattern, bool, str]]:
    def opens(p: re.Pattern) -> str:
        if p.pattern.startswith((r"^[\[(]", r"^\[")):
            return "bracket"
        return "digit" if p.pattern.startswith(r"^(?P<time>") else "name"

    def needs(p: re.Pattern) -> str:
        return "[(" if p.pattern.startswith(rf"^(?P<name>{NAME})\s*[\[(]") else ""
    return [(p, "time" in p.groupindex, needs(p)) for p in _INLINE if opens(p) == kind]


_INLINE_BRACKETED = _patterns_opened_by("bracket")
_INLINE_TIME_FIRST = _patterns_opened_by("digit")
_INLINE_NAME_FIRST = _patterns_opened_by("name")
#: longest text ``_ONLY_TIME`` can match (brackets, h:mmm:ss.fff, a final line end for ``$``)
_ONLY_TIME_MAX = 20


def _inline_match(index: int, unit: Unit) -> _Match | None:
    text = unit.text.strip()
    if ":" not in text and "[" not in text:  # every inline layout has a colon or a bracket
        return None
    stamp = LEADING_F4.match(text) if text[:1] == "#" else None
    if stamp:  # "#00:00:01-2# I: ..." (f4/f5 with the stamp first): the stamp is the turn's time
        text = text[stamp.end():]
    first = text[:1]
    if not first:
        return None
    if first in "[(":
        patterns = _INLINE_BRACKETED
    elif first.isdecimal():  # what ``\d`` matches in a str pattern
        patterns = _INLINE_TIME_FIRST
    else:
        patterns = _INLINE_NAME_FIRST
    for pattern, timed, needs in patterns:
        if needs and needs[0] not in text and needs[1] not in text:
            continue
        m = pattern.match(text)
        if not m:
            continue
        name, rest = m.group("name", "rest")
        if " " in name or not name.isprintable():
            name = " ".join(name.split())
        rest = rest.strip()
        if not rest or not valid_name(name) or len(rest) <= _ONLY_TIME_MAX and _ONLY_TIME.match(rest):
            continue
        raw_time = m.group("time") if timed else None
        time = parse_time(raw_time) if raw_time else None
        if time is None and stamp:
            time = stamp_seconds(stamp.group("f4"))
        return _Match(index, name, time, rest)
    return None


def _header_match(index: int, units: list[Unit]) -> _Match | None:
    text = units[index].text.strip()
    if "\n" in text or len(text) > 80 or not text:
        return None
    # every header layout ends with a time (a decimal digit, or its closing bracket) or a colon,
    # or starts with a time (a digit, or its opening bracket): a cheap test before the patterns
    first, last = text[0], text[-1]
    if not (last.isdecimal() or last in ":)]" or first.isdecimal() or first in "[("):
        return None
    for pattern in _HEADERS:
        m = pattern.match(text)
        if m:
            name = " ".join(m.group("name").split())
            if valid_name(name):
                raw_time = m.groupdict().get("time")
                return _Match(index, name, parse_time(raw_time) if raw_time else None)
    arrow = _ARROW.match(text)
    if arrow and index + 1 < len(units):
        nxt = _NAME_ONLY.match(units[index + 1].text.strip())
        if nxt and valid_name(nxt.group("name")):
            return _Match(index, " ".join(nxt.group("name").split()), parse_time(arrow.group("time")),
                          end_time=parse_time(arrow.group("end")), consumes=1)
    return None


def _starts(units: list[Unit], first: int) -> int:
    """Paragraph starts from ``first`` on (units that are not wrapped continuations)."""
    return sum(1 for u in units[first:] if u.kind == PARAGRAPH and not u.soft and u.text.strip())


_NAME_OF, _TIME_OF, _SOFT, _ATTACH = attrgetter("name"), attrgetter("time"), attrgetter("soft"), attrgetter("attach")


def _plausible(matches: list[_Match], timed: bool) -> bool:
    n = len(matches)
    if n < 2:
        return False
    labels = Counter(map(_NAME_OF, matches))
    if labels.most_common(1)[0][1] < 2:
        return False
    if len(labels) > max(3, n // 2):
        return False
    if not timed and (n < 3 or len(labels) < 2):
        return False
    return True


def _any_inline(bracket: bool) -> re.Pattern:
    """The inline patterns as one, in their order (the first alternative that matches is the first
    pattern that matches), each one's groups numbered after it: ``name0``, ``time0``, ``rest0``...;
    without those that need a bracket or a parenthesis in the text (``[00:01] Name: ...``,
    ``Name [00:01]: ...``, ``[id1] ...``) unless ``bracket``."""
    needs_bracket = [p for p, _, needs in _INLINE_BRACKETED + _INLINE_NAME_FIRST + _INLINE_TIME_FIRST
                     if needs or any(p is q for q, _, _ in _INLINE_BRACKETED)]
    alternatives = []
    for k, p in enumerate(_INLINE):
        if not bracket and any(p is q for q in needs_bracket):
            continue
        alternatives.append("(?:" + re.sub(r"\(\?P<(\w+)>", rf"(?P<\g<1>{k}>", p.pattern) + ")")
        assert p.flags & re.S and p.pattern.endswith("(?P<rest>.+)$")  # rest closes last: ``lastgroup``
    return re.compile("|".join(alternatives), re.S)


#: texts with a bracket or a parenthesis, and those without (which cannot match ``Name [00:01]: ...``,
#: and for which trying every length of the name there would cost more than the rest)
_INLINE_ANY, _INLINE_UNBRACKETED = _any_inline(True).match, _any_inline(False).match
#: by the last group of a match of these: its name, time (or None) and rest groups
_INLINE_GROUPS = {f"rest{k}": (f"name{k}", f"time{k}" if "time" in p.groupindex else None, f"rest{k}")
                  for k, p in enumerate(_INLINE)}
#: the last group of a match of ``Name: [time] text`` (the pattern :func:`_inline_matches` remembers labels of)
_NAME_COLON = next(k for k, p in enumerate(_INLINE) if p.pattern.startswith(rf"^(?P<name>{NAME})\s*:"))
_NAME_COLON_REST = f"rest{_NAME_COLON}"


def _inline_matches(units: list[Unit], indices: list[int], texts: list[str]) -> list[_Match]:
    """``_inline_match(i, units[i])`` for each paragraph ``i`` of ``indices`` (``texts``: their
    texts, stripped), the ones that match. The inline patterns are tried at once on each paragraph
    (the first-character test of ``_inline_match`` is the regex engine's first step); what it does
    after a match is done here, and anything it would do otherwise (a stamp first, a match it
    refuses so that a later pattern is tried) is left to it."""
    inline: list[_Match] = []
    groups, only_time, append = _INLINE_GROUPS, _ONLY_TIME.match, inline.append
    # Labels the ``Name: [time] text`` pattern matched before, as written, with the name each gave:
    # a transcript repeats a few labels on every paragraph. A paragraph whose text before the first
    # colon is one of them, followed by whitespace and then text that opens no bracket, is what
    # the patterns make of it without trying them: the time-first and bracket-first patterns need
    # a digit or a bracket first; ``Name [time]: text`` would need the first colon inside its time
    # (a digit right after it); so ``Name: text`` matches, with this name, no time and this text.
    # (A bracketed label, ``[Anna  Lee] text``, is not remembered: it need not be a NAME.)
    labels: dict[str, str] = {}
    for i, text in zip(indices, texts):
        colon = text.find(":")
        if colon < 0 and "[" not in text:  # every inline layout has a colon or a bracket
            continue
        if colon > 0:
            known = labels.get(text[:colon])
            if known is not None and text[colon + 1:colon + 2].isspace():
                rest = text[colon + 1:].strip()
                if rest and rest[0] not in "[(" and (len(rest) > _ONLY_TIME_MAX or not only_time(rest)):
                    append(_Match(i, known, None, rest))
                    continue
        m = (_INLINE_ANY if "[" in text or "(" in text else _INLINE_UNBRACKETED)(text)
        if m is not None:
            name_group, time_group, rest_group = groups[m.lastgroup]  # type: ignore[index]
            raw_name, rest = m.group(name_group, rest_group)
            name = raw_name
            if " " in name or not name.isprintable():
                name = " ".join(name.split())
            rest = rest.strip()
            if rest and valid_name(name) and not (len(rest) <= _ONLY_TIME_MAX and only_time(rest)):
                raw_time = m.group(time_group) if time_group else None
                append(_Match(i, name, parse_time(raw_time) if raw_time else None, rest))
                if m.lastgroup == _NAME_COLON_REST:  # ``Name: [time] text``: all of ``raw_name`` is a NAME
                    labels[raw_name] = name
                continue
        elif text[:1] != "#":  # no pattern matches, and no f4 stamp first (the patterns match after it)
            continue
        found = _inline_match(i, units[i])
        if found:
            append(found)
    return inline


def detect(units: list[Unit]) -> tuple[str, list[_Match]] | None:
    """The layout ("inline" or "header") and its matches, or None for ordinary prose."""
    indices = [i for i, u in enumerate(units) if u.kind == PARAGRAPH]
    texts = [units[i].text.strip() for i in indices]
    inline = _inline_matches(units, indices, texts)
    headers: list[_Match] = []
    skip_until = -1
    for i, text in zip(indices, texts):
        # header lines are short, on one line, and end with a time or a colon or start with a
        # time (the tests in front of ``_header_match``'s patterns, made here to skip the call)
        if i <= skip_until or len(text) > 80 or not text:
            continue
        opening, closing = text[0], text[-1]
        if not (closing.isdecimal() or closing in ":)]" or opening.isdecimal() or opening in "[("):
            continue
        found = _header_match(i, units)
        if found:
            headers.append(found)
            skip_until = i + found.consumes
    candidates = []
    if inline and _plausible(inline, list(map(_TIME_OF, inline)).count(None) < len(inline)):
        first = inline[0].index
        if any(map(_SOFT, units)):
            strays = _starts(units, first) - sum(1 for m in inline if not units[m.index].soft)
        else:  # the same count when no line is wrapped: the non-blank paragraphs from the first match
            k = bisect_left(indices, first)  # on (``_starts``), less the matches
            strays = len(indices) - k - texts[k:].count("") - len(inline)
        if len(inline) >= 0.5 * (len(inline) + strays):
            candidates.append(("inline", inline))
    if headers and _plausible(headers, all(m.time is not None for m in headers)):
        first = headers[0].index
        taken: set[int] = set()
        for m in headers:
            taken.update(range(m.index, m.index + m.consumes + 2))
        strays = sum(1 for i in range(first, len(units))
                     if i not in taken and units[i].kind == PARAGRAPH and not units[i].soft
                     and units[i].text.strip())
        if strays <= 2 * len(headers):
            candidates.append(("header", headers))
    if not candidates:
        return None
    return max(candidates, key=lambda c: len(c[1]))


def arrange(units: list[Unit], *, soft_join: str = " ") -> list[Piece]:
    """Pieces for the units: a transcript rewritten as ``Speaker: utterance``, or plain paragraphs.

    ``soft_join`` joins wrapped lines of paragraphs that are not turns ("\\n" keeps
    a plain text file's line breaks; " " reflows a PDF's lines).
    """
    return _arrange(units, detect(units), soft_join)


def assemble_units(units: list[Unit], source_format: str, notices: list[str] | None = None, *,
                   soft_join: str = " ", controls: bool = True) -> ParsedDocument:
    """``assemble(arrange(units, soft_join=soft_join), source_format, notices, controls=controls)``.

    An inline transcript of paragraphs (no wrapped lines, all of which may join a turn: what the
    Word, OpenDocument and RTF readers give) is written out paragraph by paragraph as
    :func:`arrange` would arrange it, without making its pieces first (most of the work of
    arranging and assembling a long transcript)."""
    found = detect(units)
    if found is not None and found[0] == "inline" and not any(map(_SOFT, units)) and all(map(_ATTACH, units)):
        return _inline_document(units, found[1], source_format, notices, controls)
    return assemble(_arrange(units, found, soft_join), source_format, notices, controls=controls)


def _inline_document(units: list[Unit], matches: list[_Match], source_format: str, notices: list[str] | None,
                     controls: bool) -> ParsedDocument:
    """What :func:`_arrange` makes of ``units`` in inline mode when no unit is soft and every one
    may attach, then :func:`take_pieces_stamps` and :func:`assemble`, one paragraph at a time
    (each branch below is the one of ``_arrange`` it names; ``test_inline_assembly`` holds them equal)."""
    writer = Assembler(controls)
    add = writer.add
    match_at = {m.index: m for m in matches}.get
    in_turn = False
    simple: list[tuple[str, str, float | None]] = []  # turns for Assembler.add_turns, not yet written

    def add_piece(text: str, kind: str = PARAGRAPH, level: int = 0, continues: bool = False,
                  group: int | None = None, sync: list[tuple[int, float]] | None = None) -> None:
        writer.add_turns(simple)
        simple.clear()
        if may_hold_stamps(text, continues):
            piece = Piece(text, kind, level, None, continues, None, None, group, sync or [])
            take_piece_stamps(piece)
            text, sync = piece.text, piece.sync
        add(text, kind, level, None, continues, None, None, group, sync)

    for i, unit in enumerate(units):
        m = match_at(i)
        if m is not None:  # a turn: _turn_piece(m, m.rest)
            name, rest = m.name, m.rest
            if "\n" in rest:
                rest = " ".join(line.strip() for line in rest.split("\n") if line.strip())
            # stamps are taken out of the utterance after the label (take_piece_stamps), which is
            # never a bare time (an inline match refuses one): only "#", "[" or "(" may bring one
            if controls or m.end_time is not None or "#" in rest or "[" in rest or "(" in rest:
                writer.add_turns(simple)
                simple.clear()
                piece = Piece(f"{name}: {rest}", PARAGRAPH, 0, name, False, m.time, m.end_time)
                if may_hold_stamps(piece.text, True):
                    take_piece_stamps(piece)
                add(piece.text, PARAGRAPH, 0, name, False, piece.time_start, m.end_time, None, piece.sync)
            else:  # stripped, on one line, no control character and no time in it
                simple.append((name, rest, m.time))
            in_turn = True
            continue
        text = unit.text.strip()
        if unit.kind != PARAGRAPH:
            add_piece(text, unit.kind, unit.level, group=unit.group)
            in_turn = False
        elif in_turn and _ONLY_TIME.match(text):  # a bare timestamp between paragraphs
            add_piece("", continues=True, sync=_time_of(text))
        elif in_turn:  # a paragraph of the turn, a leading time taken out
            leading = _LEADING_TIME.match(text)
            add_piece(text[leading.end():] if leading else text, continues=True,
                      sync=_time_of(leading.group(0)) if leading else [])
        else:
            add_piece(text)
    writer.add_turns(simple)
    return writer.document(source_format, notices)


def _arrange(units: list[Unit], found: tuple[str, list[_Match]] | None, soft_join: str) -> list[Piece]:
    """:func:`arrange` with the layout :func:`detect` found (None: plain paragraphs)."""
    if found is None:
        return plain_pieces(units, soft_join=soft_join)
    mode, matches = found
    by_index = {m.index: m for m in matches}
    pieces: list[Piece] = []
    cur: Piece | None = None
    in_turn = False
    pending: _Match | None = None
    skip_until = -1

    lines: list[str] = []  # the current piece's text, joined once at the end (no quadratic growth)

    def flush() -> None:
        nonlocal cur
        if cur is not None:
            cur.text = "".join(lines)
            pieces.append(cur)
            cur = None

    def start(piece: Piece) -> None:
        nonlocal cur
        cur = piece
        lines[:] = [piece.text]

    inline_mode = mode == "inline"
    match_at = by_index.get
    for i, unit in enumerate(units):
        if i <= skip_until:
            continue
        m = match_at(i)
        if m is not None and inline_mode:
            # an inline turn, as the branch for it below (matches are paragraphs; ``pending`` is
            # set only in header mode), first: most paragraphs of a transcript take it
            if cur is not None:
                cur.text = "".join(lines)
                pieces.append(cur)
            rest = m.rest  # stripped, as ``_turn_piece`` leaves an utterance on one line
            if "\n" in rest:
                cur = _turn_piece(m, rest)
            else:  # _turn_piece(m, rest), positionally (inline matches have a rest and no end time)
                cur = Piece(f"{m.name}: {rest}", PARAGRAPH, 0, m.name, False, m.time, None)
            lines[:] = [cur.text]
            in_turn = True
            continue
        text = unit.text.strip()
        if unit.kind != PARAGRAPH:
            flush()
            if pending is not None:
                pieces.append(_turn_piece(pending, ""))
                pending = None
            pieces.append(Piece(text, unit.kind, unit.level, group=unit.group))
            in_turn = False
            continue
        if m is not None and mode == "header":
            flush()
            if pending is not None:
                pieces.append(_turn_piece(pending, ""))
            pending, in_turn = m, True
            skip_until = i + m.consumes
            continue
        if pending is not None:
            start(_turn_piece(pending, text))
            pending = None
            continue
        if m is not None:
            flush()
            start(_turn_piece(m, m.rest))
            in_turn = True
            continue
        if in_turn and _ONLY_TIME.match(text):
            # a bare timestamp between paragraphs: structure, not text (a time for what follows)
            flush()
            start(Piece("", continues=True, sync=_time_of(text)))
            continue
        if unit.soft and cur is not None:
            sep = " " if (cur.speaker is not None or cur.continues) else soft_join
            lines.extend((line_separator(lines[-1], text) if sep == " " else sep, text))
            continue
        flush()
        if in_turn and unit.attach:
            leading = _LEADING_TIME.match(text)
            start(Piece(text[leading.end():] if leading else text, continues=True,
                        sync=_time_of(leading.group(0)) if leading else []))
        else:
            in_turn = False
            start(Piece(text))
    flush()
    if pending is not None:
        pieces.append(_turn_piece(pending, ""))
    return take_pieces_stamps(pieces)


def _time_of(text: str) -> list[tuple[int, float]]:
    value = parse_time(text.strip().strip("[]()"))
    return [] if value is None else [(0, value)]


def take_pieces_stamps(pieces: list[Piece]) -> list[Piece]:
    """Take the stamps out of the pieces' text as sync points (see :mod:`stamps`): f4/f5
    stamps everywhere, bracketed times inside speaker turns. A piece's own earlier times
    here are at its start, which removing stamps does not move."""
    for piece in pieces:
        if may_hold_stamps(piece.text, piece.speaker is not None or piece.continues):
            take_piece_stamps(piece)
    return pieces


def may_hold_stamps(text: str, in_turn: bool) -> bool:
    """Whether a piece with this text may hold a stamp :func:`take_piece_stamps` takes out (else it
    leaves the piece as it is): an f4 stamp (``#``), or in a turn a bracketed time or a bare one."""
    if "#" in text:
        return True
    if not in_turn:
        return False
    if "[" in text or "(" in text:
        return True
    bare = text.strip()  # no longer than ``_ONLY_TIME`` can match: one length test first
    return len(bare) <= _ONLY_TIME_MAX and _ONLY_TIME.match(bare) is not None


def take_piece_stamps(piece: Piece) -> None:
    """Take the stamps out of one piece's text (see :func:`take_pieces_stamps`)."""
    in_turn = piece.speaker is not None or piece.continues
    text = clean(piece.text)
    label = f"{piece.speaker}: " if piece.speaker is not None and text.startswith(f"{piece.speaker}: ") else ""
    body, found = take_stamps(text[len(label):], brackets=in_turn)
    if not found:
        return
    piece.text = label + body if body else label.rstrip()
    piece.sync = [(0, s) for o, s in piece.sync if o == 0] + [(len(label) + o, s) for o, s in found]
    if piece.speaker is not None and piece.time_start is None and found[0][0] == 0:
        piece.time_start = found[0][1]  # "Name: #00:01:02-3# ...": the turn starts then


def _turn_piece(m: _Match, utterance: str) -> Piece:
    if "\n" in utterance:
        utterance = " ".join(line.strip() for line in utterance.split("\n") if line.strip())
    else:
        utterance = utterance.strip()
    text = f"{m.name}: {utterance}" if utterance else f"{m.name}:"
    # Piece(text, speaker=m.name, time_start=m.time, time_end=m.end_time), positionally (faster)
    return Piece(text, PARAGRAPH, 0, m.name, False, m.time, m.end_time)


def plain_pieces(units: list[Unit], *, soft_join: str = " ") -> list[Piece]:
    pieces: list[Piece] = []
    parts: list[list[str]] = []
    for unit in units:
        text = unit.text.strip()
        if not text:
            continue
        if unit.soft and pieces and unit.kind == PARAGRAPH and pieces[-1].kind == PARAGRAPH:
            last = parts[-1]
            last.extend((line_separator(last[-1], text) if soft_join == " " else soft_join, text))
            continue
        pieces.append(Piece(text, unit.kind, unit.level, group=unit.group))
        parts.append([text])
    for piece, piece_parts in zip(pieces, parts):
        piece.text = "".join(piece_parts)
    return take_pieces_stamps(pieces)
