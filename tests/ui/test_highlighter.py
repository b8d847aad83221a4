"""Highlighting codings: right colours on the right UTF-16 ranges, and no binding refcount bug."""

from __future__ import annotations

import gc
import sys

import pytest
from PySide6.QtGui import QTextDocument

from qcdesk.ui.highlighter import CodingHighlighter, Span
from qcdesk.ui.positions import OffsetMap
from qcdesk.ui.transcript_margins import assign_columns

pytestmark = pytest.mark.gui


def formats(doc: QTextDocument, number: int) -> list[tuple[int, int, str, bool]]:
    layout = doc.findBlockByNumber(number).layout()
    return sorted((r.start, r.length, r.format.background().color().name(), r.format.fontUnderline())
                  for r in layout.formats())


def test_overlap_shows_shortest_coding_underlined(qapp):
    doc = QTextDocument()
    doc.setPlainText("0123456789\nabcdefghij")
    hl = CodingHighlighter(doc)
    hl.set_spans([Span(1, 1, 2, 8, "#ff0000", "A"), Span(2, 2, 4, 6, "#00ff00", "B")])
    assert formats(doc, 0) == [(2, 2, "#ff0000", False), (4, 2, "#00ff00", True), (6, 2, "#ff0000", False)]
    assert formats(doc, 1) == []
    # a coding across the block boundary colours both blocks
    hl.set_spans([Span(3, 1, 8, 14, "#0000ff", "C")])
    assert formats(doc, 0) == [(8, 2, "#0000ff", False)]
    assert formats(doc, 1) == [(0, 3, "#0000ff", False)]
    assert [s.name for s in hl.spans_at(12)] == ["C"]


def test_highlighting_many_blocks_keeps_none_alive(qapp):
    """PySide6 6.12.0 dropped a reference to None on every setFormat call, which crashes
    Python 3.11 on long transcripts; pyproject pins a release without that bug."""
    doc = QTextDocument()
    doc.setPlainText("\n".join(f"line {i} of the transcript" for i in range(3000)))
    hl = CodingHighlighter(doc)
    spans = [Span(i, 1, doc.findBlockByNumber(i).position(), doc.findBlockByNumber(i).position() + 4,
                  "#ffcc00", "x") for i in range(3000)]
    # objects of earlier tests collected meanwhile would also release references to None
    gc.collect()
    gc.disable()
    try:
        before = sys.getrefcount(None)
        hl.set_spans(spans)
        after = sys.getrefcount(None)
    finally:
        gc.enable()
    assert after - before > -500


def test_offsets_round_trip_through_utf16():
    text = "a😀b𝄞c\nمرحبا 👋"
    offsets = OffsetMap(text)
    for cp in range(len(text) + 1):
        qt = offsets.to_qt(cp)
        assert qt == len(text[:cp].encode("utf-16-le")) // 2
        assert offsets.from_qt(qt) == cp
    assert offsets.from_qt(2) == 1  # inside the surrogate pair of 😀: rounds down
    assert OffsetMap("plain ascii").identity


def test_stripe_columns_never_share_overlapping_codings():
    spans = [Span(1, 1, 0, 10, "#fff", "a"), Span(2, 1, 5, 8, "#fff", "b"), Span(3, 1, 9, 12, "#fff", "c"),
             Span(4, 1, 10, 11, "#fff", "d")]
    cols = assign_columns(spans)
    for x in spans:
        for y in spans:
            if x is not y and x.start < y.end and y.start < x.end:
                assert cols[x.coding_id] != cols[y.coding_id]
    assert cols == {1: 0, 2: 1, 3: 1, 4: 0}


def test_another_text_with_the_same_ranges_is_highlighted_in_its_own_blocks(qapp):
    """Block positions are remembered per range while the text stays (issue 19); clearing the
    codings, as the view does before showing another text, forgets them."""
    doc = QTextDocument()
    doc.setPlainText("0123456789abcdefghij")
    hl = CodingHighlighter(doc)
    hl.set_spans([Span(1, 1, 8, 14, "#0000ff", "C")])
    assert formats(doc, 0) == [(8, 6, "#0000ff", False)]
    hl.set_spans([])
    doc.setPlainText("0123456789\nabcdefghij")
    hl.set_spans([Span(1, 1, 8, 14, "#0000ff", "C")])
    assert formats(doc, 0) == [(8, 2, "#0000ff", False)]
    assert formats(doc, 1) == [(0, 3, "#0000ff", False)]


def test_a_text_without_codings_is_shown_without_python_per_paragraph(qapp, monkeypatch):
    """An attached highlighter is called in Python for every paragraph of a text set on its
    document (about 20 ms for a 1,000,000-character transcript): with nothing coded it stays
    detached; the first coding attaches it, the last one gone detaches it and clears the colours."""
    calls: list[int] = []
    paint = CodingHighlighter.highlightBlock

    def counted(self, text):
        calls.append(self.currentBlock().blockNumber())
        paint(self, text)

    monkeypatch.setattr(CodingHighlighter, "highlightBlock", counted)
    doc = QTextDocument()
    hl = CodingHighlighter(doc)
    hl.set_spans([])
    doc.setPlainText("\n".join(f"P{i % 3}: words of paragraph {i}" for i in range(2000)))
    qapp.processEvents()
    assert calls == []
    start = doc.findBlockByNumber(7).position()
    hl.set_spans([Span(1, 1, start, start + 4, "#ff0000", "A")])
    assert formats(doc, 7) == [(0, 4, "#ff0000", False)]
    calls.clear()
    qapp.processEvents()
    assert calls == []  # no second pass over the text, queued by attaching
    hl.set_spans([])
    assert formats(doc, 7) == []
    doc.setPlainText("another text\nwith two paragraphs")
    qapp.processEvents()
    assert calls == []
