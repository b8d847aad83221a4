"""The offset map finds exactly the characters outside the Basic Multilingual Plane, as a plain
loop over the code points does, and converts offsets both ways."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcdesk.ui.positions import OffsetMap

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
