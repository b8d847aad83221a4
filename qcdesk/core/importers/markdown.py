"""Markdown (.md): headings, paragraphs, lists, tables and ``**Name:**`` transcript turns.

Not a full CommonMark parser: enough structure for transcripts and notes.
Emphasis markers are removed only when they pair up around text (``**x**``,
``*x*``, ``_x_`` not inside a word); backslash escapes (``\\[``) become the
plain character; links keep their text; code keeps its content verbatim.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path

from qcdesk.core.importers.assemble import HEADING, TABLE_ROW, Unit
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.importers.layouts import assemble_units
from qcdesk.core.importers.text import decode_checked

_ESCAPABLE = r"\\`*_{}\[\]()#+\-.!|>~<"
_ESCAPE = re.compile(rf"\\([{_ESCAPABLE}])")
_PROTECT_BASE = 0xF0000  # supplementary private use area: never in real text
#: link and image text stops at a bracket and the target at an unbalanced parenthesis, so a line
#: full of "[" or "](" without their closing half is scanned once, not once per opening
_TARGET = r"\((?:[^()\n]|\([^()\n]*\))*\)"
_IMAGE = re.compile(rf"!\[([^\[\]\n]*)\]{_TARGET}")
_LINK = re.compile(rf"\[([^\[\]\n]+)\]{_TARGET}")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^<>\s]+)>")
_CODE = re.compile(r"`([^`\n]+)`")


_NEWLINE = re.compile("\n")
#: characters that can start something strip_inline removes
_MARKUP = re.compile(r"[\\`!\[<*_~\U000f0000-\U000f0101]")


class _Emphasis:
    r"""``open text close`` pairs, found in linear time.

    Equivalent to ``re.sub(open + r"(?=\S)(.+?)(?<=\S)" + close, r"\1", line)`` (with the
    lookarounds of each kind), which scans to the end of the line from every opening
    marker that is never closed: quadratic on a long line of ``*word``.
    """

    def __init__(self, opener: str, closer: str, marker: str) -> None:
        self.opener = re.compile(rf"(?={opener})")
        self.closer = re.compile(rf"(?={closer})")
        self.size = len(marker)

    def sub(self, text: str) -> str:
        openers = [m.start() for m in self.opener.finditer(text)]
        if not openers:
            return text
        closers = [m.start() for m in self.closer.finditer(text)]
        newlines = [m.start() for m in _NEWLINE.finditer(text)]
        out: list[str] = []
        done = 0  # text[:done] is written out
        k = 0  # closers[k:] may still close something
        for start in openers:
            if start < done:
                continue
            body = start + self.size
            while k < len(closers) and closers[k] < body + 1:
                k += 1
            if k == len(closers):
                break
            end = closers[k]
            line_end = bisect.bisect_left(newlines, body)
            if line_end < len(newlines) and newlines[line_end] < end:
                continue  # the text between may not span lines
            out.append(text[done:start])
            out.append(text[body:end])
            done = end + self.size
        out.append(text[done:])
        return "".join(out)


_BOLD = [_Emphasis(r"\*\*\S", r"(?<=\S)\*\*", "**"), _Emphasis(r"(?<!\w)__\S", r"(?<=\S)__(?!\w)", "__")]
_ITALIC = [_Emphasis(r"(?<![*\w])\*[^\s*]", r"(?<=[^\s*])\*(?![*\w])", "*"),
           _Emphasis(r"(?<!\w)_[^\s_]", r"(?<=[^\s_])_(?!\w)", "_")]
_STRIKE = _Emphasis(r"~~\S", r"(?<=\S)~~", "~~")
_HEADING = re.compile(r" {0,3}(#{1,6})(.*)")
# possessive quantifiers: a line of "=" or "-" followed by spaces and text fails in one pass
_SETEXT = re.compile(r"^ {0,3}(?:=++|-++)\s*+$")
_RULE = re.compile(r"^ {0,3}([-*_])(?:\s*+\1){2,}+\s*+$")
_BULLET = re.compile(r"^\s*[-*+]\s+")
_NUMBERED = re.compile(r"^\s*\d{1,9}[.)]\s+")
_QUOTE = re.compile(r"^\s*>\s?")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_SEP = re.compile(r"^\s*+\|?\s*+:?-{2,}+:?\s*+(?:\|\s*+:?-{2,}+:?\s*+)*+\|?\s*+$")


def _protect(match: re.Match) -> str:
    return chr(_PROTECT_BASE + ord(match.group(1)))


def _restore(text: str) -> str:
    return "".join(chr(ord(c) - _PROTECT_BASE) if ord(c) >= _PROTECT_BASE and ord(c) < _PROTECT_BASE + 128
                   else c for c in text)


def strip_inline(text: str) -> str:
    """Plain text of one Markdown line or paragraph."""
    if not _MARKUP.search(text):
        return text  # most lines and table cells: nothing to strip
    codes: list[str] = []

    def keep_code(m: re.Match) -> str:
        codes.append(m.group(1))
        return f"\U000f0100{len(codes) - 1}\U000f0101"

    text = _ESCAPE.sub(_protect, text)
    text = _CODE.sub(keep_code, text)
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = _AUTOLINK.sub(r"\1", text)
    for pattern in (*_BOLD, _STRIKE, *_ITALIC):
        for _ in range(3):  # nested emphasis
            new = pattern.sub(text)
            if new == text:
                break
            text = new
    text = re.sub("\U000f0100(\\d+)\U000f0101", lambda m: codes[int(m.group(1))], text)
    return _restore(text)


def heading_of(line: str) -> tuple[int, str] | None:
    r"""An ATX heading's level and text (closing ``#`` removed), or None.

    In Python rather than one regular expression: ``(.*?)\s*#*\s*$`` backtracks
    cubically over a long run of spaces inside the heading.
    """
    m = _HEADING.match(line)
    if m is None:
        return None
    hashes, rest = m.groups()
    if rest and not rest[0].isspace():
        return (len(hashes), "") if not rest.rstrip().strip("#") else None
    return len(hashes), rest.strip().rstrip("#").rstrip()


def markdown_units(text: str) -> list[Unit]:
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":  # YAML front matter
        end = next((i for i in range(1, min(len(lines), 200)) if lines[i].strip() in ("---", "...")), None)
        if end is not None:
            lines = lines[end + 1:]
    units: list[Unit] = []
    in_para = False
    fence: str | None = None
    table = 0
    for i, raw in enumerate(lines):
        if fence is not None:
            if raw.strip().startswith(fence):
                fence, in_para = None, False
            else:
                units.append(Unit(raw, soft=in_para, attach=False))
                in_para = True
            continue
        opening = _FENCE.match(raw)
        if opening:
            fence, in_para = opening.group(1), False
            continue
        line = _QUOTE.sub("", raw)
        if not line.strip():
            in_para = False
            continue
        heading = heading_of(line)
        if heading:
            units.append(Unit(strip_inline(heading[1]), HEADING, heading[0]))
            in_para = False
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if in_para and _SETEXT.match(line) and units and units[-1].kind != TABLE_ROW:
            units[-1].kind, units[-1].level = HEADING, 1 if line.strip()[0] == "=" else 2
            in_para = False
            continue
        if _RULE.match(line):
            in_para = False
            continue
        if line.lstrip().startswith("|") or ("|" in line and _TABLE_SEP.match(nxt or "")):
            if _TABLE_SEP.match(line):
                continue
            if not (units and units[-1].kind == TABLE_ROW):
                table += 1
            cells = [strip_inline(c.strip()) for c in line.strip().strip("|").split("|")]
            units.append(Unit(" | ".join(cells), TABLE_ROW, group=table))
            in_para = False
            continue
        attach = not line.lstrip().startswith(("*", "_")) or bool(re.match(r"^\s*\*\*[^*]+:\*\*", line))
        if _BULLET.match(line):
            units.append(Unit("• " + strip_inline(_BULLET.sub("", line)), attach=False))
            in_para = True
            continue
        if _NUMBERED.match(line):
            units.append(Unit(strip_inline(line.strip()), attach=False))
            in_para = True
            continue
        units.append(Unit(strip_inline(line.strip()), soft=in_para, attach=attach))
        in_para = True
    return units


def read_markdown(path: Path, data: bytes) -> ParsedDocument:
    text, notices = decode_checked(path, data, "Markdown")
    return assemble_units(markdown_units(text), "md", notices, soft_join=" ")
