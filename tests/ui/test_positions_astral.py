"""The offset map finds exactly the characters outside the Basic Multilingual Plane, as a plain
loop over the code points does, and converts offsets both ways; the byte searches that spare a
text the exact scans (for those characters, and for right-to-left letters) never change an answer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcdesk.ui.positions import OffsetMap, utf16_high_bytes
from qcdesk.ui.text_direction import is_right_to_left

pytestmark = pytest.mark.gui  # the UI package (no widget needed)

chars = st.sampled_from(["a", "é", "\u00a0", "…", "\uffff", "\U00010000", "😀", "𝄞", "\U0010ffff", "\n", "中"])


@given(st.lists(chars, max_size=40).map("".join))
def test_astral_characters_found_as_by_a_loop(text):
    m = OffsetMap(text)
    assert m._astral == [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
    units = len(text.encode("utf-16-le")) // 2
    assert m.to_qt(len(text)) == units
    for cp in range(len(text) + 1):
        assert m.from_qt(m.to_qt(cp)) == cp


# characters at each edge of the blocks the byte searches look in (and a lone surrogate, which a
# str may hold): the searches only decide whether the exact scan is needed, never its answer
edges = st.sampled_from([
    "a", "é", " ", "1", "\u058f", "\u0590", "\u05d0", "\u0627", "\u0710", "\u07ca", "\u08a0", "\u08ff",
    "\u0900", "\ufb1c", "\ufb1d", "\ufc00", "\ufdf2", "\ufdff", "\ufe00", "\ufe6f", "\ufe70", "\ufefc",
    "\ufefd", "\U00010000", "😀", "\ud800", "\udfff", "\ue000"])
EVERY_BYTE = bytes(range(256))  # a text said to use every block: the exact scans always run


@given(st.lists(edges, max_size=30).map("".join))
def test_byte_searches_never_change_an_answer(text):
    high = utf16_high_bytes(text)
    assert len(high) == (0 if text.isascii() else len(text.encode("utf-16-le", "surrogatepass")) // 2)
    assert OffsetMap(text)._astral == OffsetMap(text, EVERY_BYTE)._astral
    assert OffsetMap(text, high)._astral == [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
    assert is_right_to_left(text) == is_right_to_left(text, EVERY_BYTE) == is_right_to_left(text, high)


def test_right_to_left_found_in_each_block():
    # a letter of each block of 256 the search looks in (0x0590 is unassigned, 0x08ff a mark)
    for ch in ("\u05d0", "\u0627", "\u0710", "\u07ca", "\u08a0", "\ufb1d", "\ufc00", "\ufdf2", "\ufe70", "\ufefc"):
        assert is_right_to_left(f"{ch}{ch} a"), hex(ord(ch))
    assert not is_right_to_left("\u058f\u0900\ufb1c\ufe00\ufe6f\ufefd")  # the edges outside
    assert not is_right_to_left("plain ASCII") and utf16_high_bytes("plain ASCII") == b""
