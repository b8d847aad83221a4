"""Markdown (.md): headings, paragraphs, lists, tables and ``**Name:**`` transcript turns.

Not a full CommonMark parser: enough structure for transcripts and notes.
Emphasis markers are removed only when they pair up around text (``**x**``,
``*x*``, ``_x_`` not inside a word); backslash escapes (``\\[``) become the
plain character; links keep their text; code keeps its content verbatim.
"""

from __future__ import annotations

import re
from pathlib import Path

from qcdesk.core.importers.assemble import HEADING, TABLE_ROW, Unit, assemble
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.importers.layouts import arrange
from qcdesk.core.importers.text import decode_checked

_ESCAPABLE = r"\\`*_{}\[\]()#+\-.!|>~<"
_ESCAPE = re.compile(rf"\\([{_ESCAPABLE}])")
_PROTECT_BASE = 0xF0000  # supplementary private use area: never in real text
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = [re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)")]
_ITALIC = [re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])"),
           re.compile(r"(?<!\w)_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)")]
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_RULE = re.compile(r"^ {0,3}([-*_])(\s*\1){2,}\s*$")
_BULLET = re.compile(r"^\s*[-*+]\s+")
_NUMBERED = re.compile(r"^\s*\d{1,9}[.)]\s+")
_QUOTE = re.compile(r"^\s*>\s?")
_FENCE = re.compile(r"^\s*(```|~~~)")
_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def _protect(match: re.Match) -> str:
    return chr(_PROTECT_BASE + ord(match.group(1)))


def _restore(text: str) -> str:
    return "".join(chr(ord(c) - _PROTECT_BASE) if ord(c) >= _PROTECT_BASE and ord(c) < _PROTECT_BASE + 128
                   else c for c in text)


def strip_inline(text: str) -> str:
    """Plain text of one Markdown line or paragraph."""
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
            new = pattern.sub(r"\1", text)
            if new == text:
                break
            text = new
    text = re.sub("\U000f0100(\\d+)\U000f0101", lambda m: codes[int(m.group(1))], text)
    return _restore(text)


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
        if _FENCE.match(raw):
            fence, in_para = _FENCE.match(raw).group(1), False
            continue
        line = _QUOTE.sub("", raw)
        if not line.strip():
            in_para = False
            continue
        heading = _HEADING.match(line)
        if heading:
            units.append(Unit(strip_inline(heading.group(2) or ""), HEADING, len(heading.group(1))))
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
    return assemble(arrange(markdown_units(text), soft_join=" "), "md", notices)
