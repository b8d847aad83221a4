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


@given(st.text(max_size=10), st.lists(st.tuples(POS, POS), max_size=6), st.lists(st.tuples(POS, POS), max_size=6))
def test_rows_as_tuples_are_checked_and_read_as_objects(text, block_ranges, turn_ranges):
    """A reader's rows kept as tuples (``from_rows``) are checked like objects, and read as the
    same objects and stored rows."""
    n = len(text)
    block_rows = [("paragraph", s, e, 0) for s, e in block_ranges]
    turn_rows = [("A", s, e, None, 1.5) for s, e in turn_ranges]
    doc = ParsedDocument.from_rows(text, "txt", block_rows, turn_rows, [], [])
    objects = ParsedDocument(text, "txt", blocks=[Block(*r) for r in block_rows],
                             turns=[SpeakerTurn(*r) for r in turn_rows])
    assert doc.block_rows() == objects.block_rows() and doc.turn_rows() == objects.turn_rows()
    bad = [(s, e) for s, e in block_ranges + turn_ranges if not 0 <= s <= e <= n]
    if bad:
        with pytest.raises(ValueError, match=f"^range {bad[0][0]}-{bad[0][1]} outside"):
            doc.validate()
    else:
        doc.validate()
    assert doc == objects and doc.blocks == objects.blocks and doc.turns == objects.turns
