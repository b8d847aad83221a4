"""The transcript's margins: coding stripes on the right (a coloured bar per coding over the lines it
covers, the code names where codings start, a mark on codings with a memo; a bar's end dragged to
resize its coding), the speaker turns' times on the left (a click plays from there).

Both are children of the :class:`~qcdesk.ui.transcript_view.TranscriptView` and draw from its
highlighter's spans and layout; the view places them beside its viewport.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QToolTip, QWidget

from qcdesk.ui.highlighter import Span

if TYPE_CHECKING:
    from qcdesk.ui.transcript_view import TranscriptView

BAR_WIDTH = 5
BAR_GAP = 2
MAX_BARS = 6
LABEL_WIDTH = 150
#: on a narrow transcript the code names get less room (the text keeps most of the width)
MIN_LABEL_WIDTH = 90


def assign_columns(spans: list[Span]) -> dict[int, int]:
    """Greedy interval colouring: each coding gets the leftmost free bar column."""
    ends: list[int] = []
    columns: dict[int, int] = {}
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        for col, end in enumerate(ends):
            if end <= span.start:
                ends[col] = span.end
                columns[span.coding_id] = col
                break
        else:
            columns[span.coding_id] = len(ends)
            ends.append(span.end)
    return columns


class CodingMargin(QWidget):
    """Coding stripes beside the text: a coloured bar per coding over the lines it covers,
    and the code names where codings start. Click a bar or a name to select that coding; drag a
    bar's top or bottom end to another line to move that end of the coding there."""

    stripeClicked = Signal(int)  # coding id
    #: a bar's end was dragged: (coding id, new start, new end) in UTF-16 positions of the text
    resizeRequested = Signal(int, int, int)
    #: the memo mark of a coding with a memo was clicked (coding id)
    memoClicked = Signal(int)
    #: how near a bar's end (pixels) the mouse grabs that end
    HANDLE = 4
    #: a memo mark's size (pixels), at the right edge of the margin on the coding's first line
    MARK = 9

    def __init__(self, view: "TranscriptView"):
        super().__init__(view)
        self.view = view
        self.columns: dict[int, int] = {}
        #: while an end is dragged: (the coding's span, "start" or "end", the range it would get)
        self._drag: tuple[Span, str, tuple[int, int]] | None = None
        #: codings (of any document) that have a memo: they get a mark
        self.memo_codings: set[int] = set()
        self.setMouseTracking(True)
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        self.setFont(font)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.preferred_width(), 0)

    def bars_width(self) -> int:
        used = min(MAX_BARS, max(self.columns.values(), default=-1) + 1)
        return 6 + (BAR_WIDTH + BAR_GAP) * max(used, 1)

    def label_width(self) -> int:
        """Room for code names: LABEL_WIDTH, down to MIN_LABEL_WIDTH as the view narrows."""
        return max(MIN_LABEL_WIDTH, min(LABEL_WIDTH, int(self.view.width() * 0.2)))

    def preferred_width(self) -> int:
        return self.bars_width() + self.label_width()

    def visible(self) -> list[tuple[QRect, Span]]:
        """Bars of the codings in view, in margin coordinates."""
        view = self.view
        top = view.cursorForPosition(QPoint(0, 0)).position()
        bottom = view.cursorForPosition(QPoint(view.viewport().width(), view.viewport().height())).position()
        height = view.viewport().height()
        out: list[tuple[QRect, Span]] = []
        for span in view.highlighter.spans():
            if span.end < top or span.start > bottom + 1:
                continue
            col = self.columns.get(span.coding_id, 0)
            if col >= MAX_BARS:
                col = MAX_BARS - 1
            y0 = view.line_top(span.start) if span.start >= top else 0
            y1 = view.line_bottom(max(span.start, span.end - 1)) if span.end <= bottom else height
            x = 4 + col * (BAR_WIDTH + BAR_GAP)
            out.append((QRect(x, y0 + 1, BAR_WIDTH, max(4, y1 - y0 - 2)), span))
        return out

    def labels(self, bars: list[tuple[QRect, Span]]) -> list[tuple[QRect, list[Span]]]:
        """One label row per line on which codings start, naming them in order."""
        rows: dict[int, list[Span]] = {}
        for rect, span in bars:
            if span.start >= self.view.cursorForPosition(QPoint(0, 0)).position():
                rows.setdefault(rect.top(), []).append(span)
        metrics = QFontMetrics(self.font())
        x = self.bars_width()
        out, last_bottom = [], -1
        for line_top in sorted(rows):
            rect = QRect(x, max(line_top, last_bottom + 1), self.label_width() - 4, metrics.height())
            out.append((rect, rows[line_top]))
            last_bottom = rect.bottom()
        return out

    def memo_marks(self, bars: list[tuple[QRect, Span]] | None = None) -> list[tuple[QRect, Span]]:
        """A mark per coding in view that has a memo, at the right edge beside its first line
        (side by side, right to left, when several start on one line)."""
        bars = self.visible() if bars is None else bars
        top = self.view.cursorForPosition(QPoint(0, 0)).position()
        out: list[tuple[QRect, Span]] = []
        per_line: dict[int, int] = {}
        for _rect, span in bars:
            if span.coding_id not in self.memo_codings or span.start < top:
                continue
            y = self.view.line_top(span.start)
            n = per_line.get(y, 0)
            per_line[y] = n + 1
            x = self.width() - 4 - (n + 1) * (self.MARK + 2)
            out.append((QRect(x, y + 3, self.MARK, self.MARK + 2), span))
        return out

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().base())
        painter.setPen(self.palette().mid().color())
        painter.drawLine(0, 0, 0, self.height())
        bars = self.visible()
        marks = self.memo_marks(bars)
        for rect, span in marks:  # a small note with a folded corner
            painter.fillRect(rect, QColor("#fff3b0"))
            painter.setPen(QColor(span.color).darker(200))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
            painter.drawLine(rect.left() + 2, rect.top() + 4, rect.right() - 2, rect.top() + 4)
            painter.drawLine(rect.left() + 2, rect.top() + 7, rect.right() - 2, rect.top() + 7)
        for rect, span in bars:
            painter.fillRect(rect, QColor(span.color).darker(115))
        if self._drag is not None:  # where the dragged coding would reach
            span, _which, (a, b) = self._drag
            col = min(self.columns.get(span.coding_id, 0), MAX_BARS - 1)
            y0, y1 = self.view.line_top(a), self.view.line_bottom(max(a, b - 1))
            painter.setPen(QColor(span.color).darker(200))
            painter.drawRect(QRect(3 + col * (BAR_WIDTH + BAR_GAP), y0, BAR_WIDTH + 1, max(4, y1 - y0)))
        metrics = QFontMetrics(self.font())
        for rect, spans in self.labels(bars):
            x = rect.left()
            stops = [r.left() for r, _span in marks if r.top() <= rect.bottom() and r.bottom() >= rect.top()]
            if stops:  # the names stop before the memo marks beside them
                rect = rect.adjusted(0, 0, min(0, min(stops) - 2 - rect.right()), 0)
            for i, span in enumerate(spans):
                painter.setPen(QColor(span.color).darker(220))
                text = span.name + (", " if i < len(spans) - 1 else "")
                room = rect.right() - x
                if room <= metrics.horizontalAdvance("…"):
                    break
                shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
                painter.drawText(x, rect.top() + metrics.ascent(), shown)
                x += metrics.horizontalAdvance(shown)
        painter.end()

    def span_at(self, pos: QPoint) -> Span | None:
        bars = self.visible()
        for rect, span in bars:
            if rect.adjusted(-1, 0, 1, 0).contains(pos):
                return span
        for rect, spans in self.labels(bars):
            if rect.contains(pos):
                return spans[0]
        return None

    def handle_at(self, pos: QPoint) -> tuple[Span, str] | None:
        """The bar end under ``pos`` (the coding and "start" or "end"), if one is in view there."""
        view = self.view
        top = view.cursorForPosition(QPoint(0, 0)).position()
        bottom = view.cursorForPosition(QPoint(view.viewport().width(), view.viewport().height())).position()
        for rect, span in self.visible():
            if not rect.adjusted(-2, -self.HANDLE, 2, self.HANDLE).contains(pos):
                continue
            near_top, near_bottom = abs(pos.y() - rect.top()), abs(pos.y() - rect.bottom())
            if span.start >= top and near_top <= self.HANDLE and near_top <= near_bottom:
                return span, "start"
            if span.end <= bottom and near_bottom <= self.HANDLE:
                return span, "end"
        return None

    def _dragged_range(self, span: Span, which: str, y: int) -> tuple[int, int]:
        """The range the coding gets when its ``which`` end is dropped on the line at ``y``: the
        start moves to that line's beginning, the end to that line's end."""
        view = self.view
        first, last = 0, view.viewport().width() - 1  # where a line begins and ends on screen
        if view.document().defaultTextOption().textDirection() == Qt.LayoutDirection.RightToLeft:
            first, last = last, first
        if which == "start":
            return view.cursorForPosition(QPoint(first, y)).position(), span.end
        return span.start, view.cursorForPosition(QPoint(last, y)).position()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position().toPoint()
        if self._drag is not None:
            span, which, _range = self._drag
            self._drag = (span, which, self._dragged_range(span, which, pos.y()))
            self.update()
            return
        self.setCursor(Qt.CursorShape.SizeVerCursor if self.handle_at(pos) else Qt.CursorShape.ArrowCursor)
        for rect, span in self.memo_marks():
            if rect.adjusted(-1, -1, 1, 1).contains(pos):
                QToolTip.showText(event.globalPosition().toPoint(), f"Memo on this “{span.name}” segment: "
                                  "click to open it", self)
                return
        span = self.span_at(pos)
        if span is not None:
            QToolTip.showText(event.globalPosition().toPoint(),
                              span.name + "\nDrag the top or bottom end to resize the coding", self)
        else:
            QToolTip.hideText()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position().toPoint()
        for rect, span in self.memo_marks():
            if rect.adjusted(-1, -1, 1, 1).contains(pos):
                self.memoClicked.emit(span.coding_id)
                return
        handle = self.handle_at(pos)
        if handle is not None:
            span, which = handle
            self._drag = (span, which, (span.start, span.end))
            return
        span = self.span_at(pos)
        if span is not None:
            self.stripeClicked.emit(span.coding_id)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag is None or event.button() != Qt.MouseButton.LeftButton:
            return
        span, which, _range = self._drag
        self._drag = None
        self.update()
        start, end = self._dragged_range(span, which, event.position().toPoint().y())
        if (start, end) != (span.start, span.end):
            self.resizeRequested.emit(span.coding_id, start, end)


class TimeGutter(QWidget):
    """The speaker turns' start times, left of the text, beside each turn's first line."""

    def __init__(self, view: "TranscriptView"):
        super().__init__(view)
        self.view = view
        self.setObjectName("transcriptTimes")
        self.times: list[tuple[int, str]] = []  # (UTF-16 position of the turn, label), in text order
        self._measured: tuple[list, str, int] | None = None  # (times, font, width) last measured
        self.setCursor(Qt.CursorShape.PointingHandCursor)  # a click on a time plays from there
        self.setToolTip("Click a time to play the recording from there")
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        self.setFont(font)

    def preferred_width(self) -> int:
        if not self.times:
            return 0
        # measured once per list of times and font: the view asks after every coding (issue 19)
        font = self.font().toString()
        known = self._measured
        if known is not None and known[0] is self.times and known[1] == font:
            return known[2]
        metrics = QFontMetrics(self.font())
        width = max(metrics.horizontalAdvance(label) for _pos, label in self.times) + 12
        self._measured = (self.times, font, width)
        return width

    def visible_times(self) -> list[tuple[QRect, str]]:
        """The times of the turns starting in view, in gutter coordinates."""
        height = QFontMetrics(self.font()).height()
        return [(QRect(0, self.view.line_top(pos), self.width() - 6, height), label)
                for pos, label in self._visible_entries()]

    def time_at(self, pos: QPoint) -> int | None:
        """The UTF-16 position of the turn whose time is shown at ``pos`` (gutter coordinates)."""
        for (rect, _label), (qt_pos, _l) in zip(self.visible_times(), self._visible_entries()):
            if rect.adjusted(0, 0, 6, 0).contains(pos):
                return qt_pos
        return None

    def _visible_entries(self) -> list[tuple[int, str]]:
        view = self.view
        top = view.cursorForPosition(QPoint(0, 0)).position()
        bottom = view.cursorForPosition(QPoint(view.viewport().width(), view.viewport().height())).position()
        return [(pos, label) for pos, label in self.times if top <= pos <= bottom]

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        qt_pos = self.time_at(event.position().toPoint())
        if qt_pos is not None and event.button() == Qt.MouseButton.LeftButton:
            self.view.turnTimeClicked.emit(self.view.offsets.from_qt(qt_pos))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().base())
        painter.setPen(self.palette().placeholderText().color())
        for rect, label in self.visible_times():
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), label)
        painter.end()
