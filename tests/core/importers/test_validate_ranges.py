"""Exploring: ``ParsedDocument.validate`` refuses exactly the documents with a range outside the
text or reversed (its quick check over all ranges must agree with the range-by-range rule), and
names the first bad one."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block, SpeakerTurn

pytestmark = pytest.mark.core

POS = st.integers(-3, 14)


@given(st.text(max_size=10), st.lists(st.tuples(POS, POS), max_size=6), st.lists(st.tuples(POS, POS), max_size=6))
def test_validate_refuses_exactly_the_bad_ranges(text, block_ranges, turn_ranges):
    n = len(text)
    doc = ParsedDocument(text, "txt", blocks=[Block("paragraph", s, e) for s, e in block_ranges],
                         turns=[SpeakerTurn("A", s, e) for s, e in turn_ranges])
    bad = [(s, e) for s, e in block_ranges + turn_ranges if not 0 <= s <= e <= n]
    if not bad:
        doc.validate()
        return
    with pytest.raises(ValueError) as raised:
        doc.validate()
    assert str(raised.value) == f"range {bad[0][0]}-{bad[0][1]} outside text of length {n}"
