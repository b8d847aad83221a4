"""Shows codings as background colours without touching the document's text.

Formats live in the layout (QSyntaxHighlighter), so the text stays exactly the
imported text, and a change of codings re-highlights only the blocks it touches.
Where codings overlap, the most specific (shortest) one gives the colour and the
text is underlined, so the overlap is visible; the margin lists every code.

The highlighter is attached to the document only while it has codings to show: an attached
QSyntaxHighlighter is called (in Python) for every paragraph of a text being shown, about 20 ms
for a 1,000,000-character transcript even when nothing in it is coded (issue 19).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument


@dataclass(frozen=True)
class Span:
    """A coding in Qt (UTF-16) positions, with what the view needs to draw it."""

    coding_id: int
    code_id: int
    start: int
    end: int
    color: str
    name: str


class CodingHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument):
        super().__init__(None)  # attached by set_spans once there is a coding to show
        self._document = document
        self._spans: list[Span] = []
        self._by_block: dict[int, list[Span]] = {}
        self._formats: dict[tuple[str, bool], QTextCharFormat] = {}
        #: (start, end) -> (first block, last block), kept while the text stays the same (the view
        #: clears the spans before it shows another text): a coding applied looks up only its own
        #: blocks, not every coding's again (issue 19)
        self._blocks_of: dict[tuple[int, int], tuple[int, int]] = {}

    def spans(self) -> list[Span]:
        return self._spans

    def set_spans(self, spans: list[Span]) -> None:
        """Replace the codings shown; re-highlight only blocks whose codings differ."""
        old = self._by_block
        self._spans = sorted(spans, key=lambda s: (s.start, s.end))
        self._by_block = self._bucket(self._spans)
        doc = self._document
        if not self._by_block:
            if self.document() is not None:
                self.setDocument(None)  # clears every paragraph's formats, in C++
            return
        if self.document() is None:
            self.setDocument(doc)
            self.rehighlight()  # every paragraph once, now (instead of later, queued by setDocument)
            return
        for number in set(old) | set(self._by_block):
            if old.get(number) != self._by_block.get(number):
                block = doc.findBlockByNumber(number)
                if block.isValid():
                    self.rehighlightBlock(block)

    def _bucket(self, spans: list[Span]) -> dict[int, list[Span]]:
        doc = self._document
        if not spans:
            self._blocks_of = {}  # no codings shown (as before another text is shown)
        known = self._blocks_of
        out: dict[int, list[Span]] = {}
        for span in spans:
            found = known.get((span.start, span.end))
            if found is None:
                found = known[(span.start, span.end)] = (
                    doc.findBlock(span.start).blockNumber(),
                    doc.findBlock(max(span.start, span.end - 1)).blockNumber())
            first, last = found
            for number in range(first, last + 1):
                out.setdefault(number, []).append(span)
        return out

    def _format(self, color: str, overlap: bool) -> QTextCharFormat:
        key = (color, overlap)
        fmt = self._formats.get(key)
        if fmt is None:
            fmt = QTextCharFormat()
            fmt.setBackground(QColor(color))
            if overlap:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
                fmt.setUnderlineColor(QColor("#333333"))
            self._formats[key] = fmt
        return fmt

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        block = self.currentBlock()
        spans = self._by_block.get(block.blockNumber())
        if not spans:
            return
        base = block.position()
        length = len(text) + 1  # the block's own UTF-16 length incl. the separator
        cuts = {0, length}
        for s in spans:
            cuts.add(min(max(s.start - base, 0), length))
            cuts.add(min(max(s.end - base, 0), length))
        edges = sorted(cuts)
        for a, b in zip(edges, edges[1:]):
            active = [s for s in spans if s.start - base <= a and s.end - base >= b]
            if not active:
                continue
            top = min(active, key=lambda s: (s.end - s.start, -s.coding_id))
            self.setFormat(a, min(b, len(text)) - a, self._format(top.color, len(active) > 1))

    def spans_at(self, position: int) -> list[Span]:
        """Codings covering the UTF-16 position (in the order they start)."""
        block = self._document.findBlock(position).blockNumber()
        return [s for s in self._by_block.get(block, []) if s.start <= position < s.end]
