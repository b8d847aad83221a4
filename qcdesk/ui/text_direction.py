"""Direction of transcripts in Persian, Arabic and Hebrew.

Qt gives a paragraph the direction of its first strong character. In a transcript that is
usually the English speaker label ("P1: من در سال ۱۴۰۲ ..."), so the speech would be laid out
left-to-right, its punctuation and embedded numbers in the wrong places and the line starting
at the wrong edge. ``QPlainTextEdit`` lays every paragraph out with the document's default
text option (it ignores a paragraph's own direction), so the direction is decided for the
document: when most of its letters are right-to-left, the whole transcript is laid out right
to left, and every paragraph is marked so, which the text cursor's arrow keys follow.
"""

from __future__ import annotations

import re
import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QTextDocument

from qcdesk.ui.positions import holds_any, utf16_high_bytes

#: Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan... and their presentation forms
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
#: the high bytes of those characters' UTF-16 (0x05-0x08 also holds a few left-to-right ones)
_RTL_HIGH_BYTES = bytes((0x05, 0x06, 0x07, 0x08, 0xFB, 0xFC, 0xFD, 0xFE))


def is_right_to_left(text: str, high_bytes: bytes | None = None) -> bool:
    """True when most strongly-directed letters of ``text`` are right-to-left. ``high_bytes``:
    :func:`~qcdesk.ui.positions.utf16_high_bytes` of ``text``, when the caller has it; a text
    whose UTF-16 holds none of the right-to-left blocks is not searched."""
    if high_bytes is None:
        high_bytes = utf16_high_bytes(text)
    if not holds_any(high_bytes, _RTL_HIGH_BYTES) or _RTL.search(text) is None:
        return False
    rtl = ltr = 0
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            rtl += 1
        elif kind == "L":
            ltr += 1
    return rtl > ltr


def set_text_direction(document: QTextDocument, text: str, high_bytes: bytes | None = None) -> Qt.LayoutDirection:
    """Lay a freshly shown text out right to left if it is mostly right-to-left, else as
    usual; returns the direction chosen (``high_bytes``: see :func:`is_right_to_left`). A text
    without any right-to-left letter costs a byte search."""
    rtl = is_right_to_left(text, high_bytes)
    direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LayoutDirectionAuto
    # the plain-text layout takes alignment literally (left is left, whatever the direction)
    alignment = Qt.AlignmentFlag.AlignRight if rtl else Qt.AlignmentFlag.AlignLeft
    option = document.defaultTextOption()
    if option.textDirection() != direction or option.alignment() != alignment:
        option.setTextDirection(direction)
        option.setAlignment(alignment)
        document.setDefaultTextOption(option)
    if rtl:
        cursor = QTextCursor(document)
        cursor.select(QTextCursor.SelectionType.Document)
        fmt = cursor.blockFormat()
        fmt.setLayoutDirection(direction)
        cursor.setBlockFormat(fmt)
    return direction
