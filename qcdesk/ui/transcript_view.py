"""The read-only transcript with its codings: colours in the text, coding stripes in the margin.

The view speaks code points to the rest of the window (``selected_range``,
``select_range``) and UTF-16 only to Qt.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QTextCursor, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from qcdesk.core.models import Code, Coding
from qcdesk.ui.highlighter import CodingHighlighter, Span
from qcdesk.ui.positions import OffsetMap

STRIPE_WIDTH = 16
MAX_STRIPES = 8


def assign_columns(spans: list[Span]) -> dict[int, int]:
    """Greedy interval colouring: each coding gets the leftmost free stripe column."""
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
    """Coding stripes beside the text: one coloured bar per coding, named, clickable."""

    stripeClicked = Signal(int)  # coding id

    def __init__(self, view: "TranscriptView"):
        super().__init__(view)
        self.view = view
        self.columns: dict[int, int] = {}
        self.setMouseTracking(True)
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.8))
        self.setFont(font)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.preferred_width(), 0)

    def preferred_width(self) -> int:
        used = min(MAX_STRIPES, max(self.columns.values(), default=-1) + 1)
        return 8 + STRIPE_WIDTH * max(used, 1)

    def stripe_rects(self) -> list[tuple[QRect, Span]]:
        """Visible stripes in margin coordinates."""
        view = self.view
        out: list[tuple[QRect, Span]] = []
        top_cursor = view.cursorForPosition(QPoint(0, 0)).position()
        bottom_cursor = view.cursorForPosition(QPoint(0, view.viewport().height())).position()
        height = view.viewport().height()
        for span in view.highlighter.spans():
            if span.end < top_cursor or span.start > bottom_cursor + 1:
                continue
            col = self.columns.get(span.coding_id, 0)
            if col >= MAX_STRIPES:
                continue
            y0 = view.line_top(span.start) if span.start >= top_cursor else 0
            y1 = view.line_bottom(max(span.start, span.end - 1)) if span.end <= bottom_cursor else height
            x = 4 + col * STRIPE_WIDTH
            out.append((QRect(x, y0 + 1, STRIPE_WIDTH - 4, max(4, y1 - y0 - 2)), span))
        return out

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().window())
        metrics = QFontMetrics(self.font())
        for rect, span in self.stripe_rects():
            color = QColor(span.color)
            painter.fillRect(rect, color)
            painter.setPen(color.darker(150))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
            if rect.height() > metrics.height() * 2:
                painter.save()
                painter.translate(rect.left() + rect.width() / 2 + metrics.ascent() / 2 - 1, rect.top() + 3)
                painter.rotate(90)
                painter.setPen(QColor("#1b1b1b"))
                label = metrics.elidedText(span.name, Qt.TextElideMode.ElideRight, rect.height() - 6)
                painter.drawText(0, 0, label)
                painter.restore()
        painter.end()

    def _span_at(self, pos: QPoint) -> Span | None:
        for rect, span in self.stripe_rects():
            if rect.adjusted(-1, 0, 1, 0).contains(pos):
                return span
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        span = self._span_at(event.position().toPoint())
        if span is not None:
            QToolTip.showText(event.globalPosition().toPoint(), span.name, self)
        else:
            QToolTip.hideText()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        span = self._span_at(event.position().toPoint())
        if span is not None and event.button() == Qt.MouseButton.LeftButton:
            self.stripeClicked.emit(span.coding_id)


class TranscriptView(QPlainTextEdit):
    """Read-only, wrapping transcript; selection by mouse and keyboard; codings shown, never edited."""

    #: code points under the cursor changed: (codings there)
    codingsAtCursorChanged = Signal(list)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("transcriptView")
        self.setReadOnly(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setUndoRedoEnabled(False)
        self.setCenterOnScroll(False)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.setFont(font)
        self.document().setDocumentMargin(12)
        self.highlighter = CodingHighlighter(self.document())
        self.margin = CodingMargin(self)
        self.offsets = OffsetMap("")
        self.document_id: int | None = None
        self._text = ""
        self._codings: list[Coding] = []
        self.updateRequest.connect(self._on_update_request)
        self.cursorPositionChanged.connect(self._emit_codings_at_cursor)
        self._update_margin_width()

    # ------------------------------------------------------------------ content
    def show_document(self, document_id: int | None, text: str) -> None:
        self.document_id = document_id
        self.offsets = OffsetMap(text)
        self._text = text
        self.highlighter.set_spans([])
        self.setPlainText(text)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def set_codings(self, codings: list[Coding], codes: dict[int, Code]) -> None:
        self._codings = codings
        to_qt = self.offsets.to_qt
        spans = [Span(c.id, c.code_id, to_qt(c.start), to_qt(c.end), codes[c.code_id].color,
                      codes[c.code_id].name) for c in codings if c.code_id in codes]
        self.highlighter.set_spans(spans)
        self.margin.columns = assign_columns(spans)
        self._update_margin_width()
        self.margin.update()
        self._emit_codings_at_cursor()

    def codings(self) -> list[Coding]:
        return self._codings

    # ------------------------------------------------------------------ positions
    def selected_range(self) -> tuple[int, int] | None:
        """The selection in code points, with surrounding white space trimmed; None if empty."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        start = self.offsets.from_qt(cursor.selectionStart())
        end = self.offsets.from_qt(cursor.selectionEnd())
        text = self._text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        return (start, end) if end > start else None

    def cursor_position(self) -> int:
        return self.offsets.from_qt(self.textCursor().position())

    def select_range(self, start: int, end: int) -> None:
        """Select code points ``[start, end)`` and scroll them into view."""
        cursor = self.textCursor()
        cursor.setPosition(self.offsets.to_qt(start))
        cursor.setPosition(self.offsets.to_qt(end), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def codings_at_cursor(self) -> list[Coding]:
        """Codings overlapping the selection, or under the cursor when nothing is selected."""
        cursor = self.textCursor()
        a, b = cursor.selectionStart(), cursor.selectionEnd()
        ids: set[int] = set()
        for span in self.highlighter.spans():
            if (a < span.end and b > span.start) if b > a else (span.start <= a < span.end):
                ids.add(span.coding_id)
        return [c for c in self._codings if c.id in ids]

    def line_top(self, cp_or_qt: int) -> int:
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(cp_or_qt, self.document().characterCount() - 1))
        return self.cursorRect(cursor).top()

    def line_bottom(self, qt_pos: int) -> int:
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(qt_pos, self.document().characterCount() - 1))
        return self.cursorRect(cursor).bottom()

    # ------------------------------------------------------------------ margin plumbing
    def _update_margin_width(self) -> None:
        width = self.margin.preferred_width()
        self.setViewportMargins(0, 0, width, 0)
        rect = self.contentsRect()
        self.margin.setGeometry(QRect(rect.right() - width + 1, rect.top(), width, rect.height()))

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._update_margin_width()

    def _on_update_request(self, rect: QRect, dy: int) -> None:
        self.margin.update()

    def _emit_codings_at_cursor(self) -> None:
        self.codingsAtCursorChanged.emit(self.codings_at_cursor())

    def event(self, event) -> bool:  # tooltips: the codes under the mouse
        if event.type() == event.Type.ToolTip:
            pos = self.cursorForPosition(self.viewport().mapFromGlobal(event.globalPos())).position()
            names = [s.name for s in self.highlighter.spans_at(pos)]
            if names:
                QToolTip.showText(event.globalPos(), "Coded: " + ", ".join(names), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
