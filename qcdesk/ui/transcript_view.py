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
from qcdesk.ui.text_direction import set_text_direction

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
    and the code names where codings start. Click a bar or a name to select that coding."""

    stripeClicked = Signal(int)  # coding id

    def __init__(self, view: "TranscriptView"):
        super().__init__(view)
        self.view = view
        self.columns: dict[int, int] = {}
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

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().base())
        painter.setPen(self.palette().mid().color())
        painter.drawLine(0, 0, 0, self.height())
        bars = self.visible()
        for rect, span in bars:
            painter.fillRect(rect, QColor(span.color).darker(115))
        metrics = QFontMetrics(self.font())
        for rect, spans in self.labels(bars):
            x = rect.left()
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

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        span = self.span_at(event.position().toPoint())
        if span is not None:
            QToolTip.showText(event.globalPosition().toPoint(), span.name, self)
        else:
            QToolTip.hideText()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        span = self.span_at(event.position().toPoint())
        if span is not None and event.button() == Qt.MouseButton.LeftButton:
            self.stripeClicked.emit(span.coding_id)


class TimeGutter(QWidget):
    """The speaker turns' start times, left of the text, beside each turn's first line."""

    def __init__(self, view: "TranscriptView"):
        super().__init__(view)
        self.view = view
        self.setObjectName("transcriptTimes")
        self.times: list[tuple[int, str]] = []  # (UTF-16 position of the turn, label), in text order
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        self.setFont(font)

    def preferred_width(self) -> int:
        if not self.times:
            return 0
        metrics = QFontMetrics(self.font())
        return max(metrics.horizontalAdvance(label) for _pos, label in self.times) + 12

    def visible_times(self) -> list[tuple[QRect, str]]:
        """The times of the turns starting in view, in gutter coordinates."""
        view = self.view
        top = view.cursorForPosition(QPoint(0, 0)).position()
        bottom = view.cursorForPosition(QPoint(view.viewport().width(), view.viewport().height())).position()
        height = QFontMetrics(self.font()).height()
        return [(QRect(0, view.line_top(pos), self.width() - 6, height), label)
                for pos, label in self.times if top <= pos <= bottom]

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(event.rect(), self.palette().base())
        painter.setPen(self.palette().placeholderText().color())
        for rect, label in self.visible_times():
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), label)
        painter.end()


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
        self.times = TimeGutter(self)
        #: mouse selections widen to whole words (hold Alt for an exact one)
        self.snap_words = True
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
        self.times.times = []
        self.setPlainText(text)
        set_text_direction(self.document(), text)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def set_turn_times(self, times: list[tuple[int, str]]) -> None:
        """(code point where a turn starts, its time as shown), for the left margin."""
        self.times.times = sorted((self.offsets.to_qt(cp), label) for cp, label in times if label)
        self._update_margin_width()
        self.times.update()

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
        self.center_on(self.offsets.to_qt(start))

    def center_on(self, qt_pos: int) -> None:
        """Scroll so the line holding ``qt_pos`` is near the middle (a jump, not the bottom edge)."""
        self.ensureCursorVisible()
        cursor = QTextCursor(self.document())
        cursor.setPosition(min(qt_pos, self.document().characterCount() - 1))
        y = self.cursorRect(cursor).center().y()
        bar = self.verticalScrollBar()
        # the scroll bar counts lines: move by the lines between that line and the middle
        line_height = max(1, QFontMetrics(self.font()).lineSpacing())
        bar.setValue(bar.value() + round((y - self.viewport().height() / 2) / line_height))

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

    # ------------------------------------------------------------------ whole words
    @staticmethod
    def _in_word(ch: str) -> bool:
        return ch.isalnum() or ch in "'’-_"

    def snap_selection_to_words(self) -> None:
        """Widen the selection to the whole words it starts and ends in (a mouse drag that
        began or ended mid-word); spaces and punctuation at its edges are left as they are."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return
        text = self._text
        start = self.offsets.from_qt(cursor.selectionStart())
        end = self.offsets.from_qt(cursor.selectionEnd())
        if start < len(text) and self._in_word(text[start]):
            while start > 0 and self._in_word(text[start - 1]):
                start -= 1
        if end > 0 and self._in_word(text[end - 1]):
            while end < len(text) and self._in_word(text[end]):
                end += 1
        forward = cursor.position() >= cursor.anchor()
        first, last = self.offsets.to_qt(start), self.offsets.to_qt(end)
        cursor.setPosition(first if forward else last)
        cursor.setPosition(last if forward else first, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        super().mouseReleaseEvent(event)
        if (self.snap_words and event.button() == Qt.MouseButton.LeftButton
                and not event.modifiers() & Qt.KeyboardModifier.AltModifier):
            self.snap_selection_to_words()

    # ------------------------------------------------------------------ margin plumbing
    def _update_margin_width(self) -> None:
        width = self.margin.preferred_width()
        left = self.times.preferred_width()
        self.setViewportMargins(left, 0, width, 0)
        viewport = self.viewport().geometry()
        self.margin.setGeometry(QRect(viewport.right() + 1, viewport.top(), width, viewport.height()))
        self.times.setGeometry(QRect(viewport.left() - left, viewport.top(), left, viewport.height()))
        self.times.setVisible(left > 0)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._update_margin_width()

    def _on_update_request(self, rect: QRect, _dy: int) -> None:
        self.margin.update()
        self.times.update()

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
