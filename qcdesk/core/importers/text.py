"""Plain text (.txt): decode, split into lines, and let :mod:`layouts` find a transcript."""

from __future__ import annotations

from pathlib import Path

from qcdesk.core.importers.assemble import Unit
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.importers.encoding import decode_text, utf16_codec
from qcdesk.core.importers.layouts import assemble_units
from qcdesk.core.importers.safety import fail, looks_binary, sniff_other_format


def decode_checked(path: Path, data: bytes, what: str = "text") -> tuple[str, list[str]]:
    """Decoded text of a text-format file, refusing binaries and files with no text."""
    other = sniff_other_format(data)
    if other:
        raise fail(path, other)
    text, notices = decode_text(data)
    if looks_binary(data) and (not utf16_codec(data) or _control_ratio(text) > 0.02):
        raise fail(path, f"this is not a {what} file (it contains binary data); "
                         "check that you chose the right file")
    if _control_ratio(text) > 0.02:
        raise fail(path, f"this is not a {what} file (it contains many control characters)")
    if not text.strip():
        raise fail(path, "the file is empty")
    return text, notices


def _control_ratio(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\f") or ch == "\ufffd")
    return bad / len(sample)


def lines_to_units(text: str) -> list[Unit]:
    """One unit per non-blank line; a line right after another is a wrapped continuation
    only when the text is hard-wrapped (short lines, paragraphs separated by blank lines)."""
    lines = [line.rstrip() for line in text.split("\n")]
    nonblank = [line for line in lines if line.strip()]
    has_blank = len(nonblank) < len(lines)
    short = sum(1 for line in nonblank if len(line) <= 90)
    hard_wrapped = has_blank and short >= 0.9 * len(nonblank) and len(nonblank) > 1
    units: list[Unit] = []
    after_blank = True
    for line in lines:
        if not line.strip():
            after_blank = True
            continue
        units.append(Unit(line, soft=hard_wrapped and not after_blank))
        after_blank = False
    return units


def read_txt(path: Path, data: bytes) -> ParsedDocument:
    text, notices = decode_checked(path, data)
    return assemble_units(lines_to_units(text), "txt", notices, soft_join="\n")
