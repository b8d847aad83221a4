"""Text as a Word file can hold it: XML-safe characters, reading direction, colours."""

from __future__ import annotations

import re
import unicodedata
from xml.sax.saxutils import escape

# characters XML 1.0 cannot hold; vertical tab and form feed read as line breaks
_BREAKS = re.compile(r"[\x0b\x0c]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
#: text python-docx's add_run turns into breaks and tabs
SPECIAL = re.compile(r"[\n\r\t]")


def xml_safe(text: str) -> str:
    """``text`` as XML can store it: forbidden control characters become U+FFFD."""
    if _BREAKS.search(text):
        text = _BREAKS.sub("\n", text)
    return _ILLEGAL.sub("\ufffd", text)


def is_rtl(text: str) -> bool:
    """True if the first strongly directional character is right-to-left (Arabic, Hebrew...)."""
    for ch in text[:400]:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def hex_color(color: str) -> str:
    """``#a1b2c3`` as Word writes it: ``A1B2C3``."""
    return color.lstrip("#").upper()


def _t(text: str) -> str:
    # as python-docx's add_t: spaces kept only where the text starts or ends with some
    space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
    return f"<w:t{space}>{escape(text)}</w:t>" if text else "<w:t/>"


def run_xml(text: str) -> str:
    """One ``<w:r>`` holding XML-safe ``text`` as python-docx's ``add_run`` writes it: tabs as
    ``<w:tab/>``, line breaks (each ``\\n`` or ``\\r``) as ``<w:br/>``."""
    if not SPECIAL.search(text):
        return f"<w:r>{_t(text)}</w:r>"
    parts, buffer = ["<w:r>"], []  # type: list[str], list[str]
    for char in text:
        if char in "\t\r\n":
            if buffer:
                parts.append(_t("".join(buffer)))
                buffer = []
            parts.append("<w:tab/>" if char == "\t" else "<w:br/>")
        else:
            buffer.append(char)
    if buffer:
        parts.append(_t("".join(buffer)))
    parts.append("</w:r>")
    return "".join(parts)
