"""The read-only transcript with its codings: colours in the text, coding stripes in the margin.

The view speaks code points to the rest of the window (``selected_range``,
``select_range``) and UTF-16 only to Qt.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QMimeData, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (QColor, QDrag, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QTextCursor,
                           QTextOption)
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip, QWidget

from qcdesk.core.models import Code, Coding
from qcdesk.ui.highlighter import CodingHighlighter, Span
from qcdesk.ui.positions import OffsetMap
from qcdesk.ui.text_direction import set_text_direction

#: what a passage dragged out of the transcript carries: {"document_id", "start", "end"} (code points)
PASSAGE_MIME = "application/x-qcdesk-passage"


def passage_of(mime: QMimeData) -> tuple[int, int, int] | None:
    """(document id, start, end) of a passage dragged from the transcript, or None."""
    if not mime.hasFormat(PASSAGE_MIME):
        return None
    try:
        data = json.loads(bytes(mime.data(PASSAGE_MIME).data()).decode("utf-8"))
        return int(data["document_id"]), int(data["start"]), int(data["end"])
    except (ValueError, KeyError, TypeError):
        return None


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


class TranscriptView(QPlainTextEdit):
    """Read-only, wrapping transcript; selection by mouse and keyboard; codings shown, never edited."""

    #: code points under the cursor changed: (codings there)
    codingsAtCursorChanged = Signal(list)
    #: a turn's time in the left margin was clicked: (code point where that turn starts)
    turnTimeClicked = Signal(int)

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
        #: where a press inside the selection was (a drag of the passage may start from it)
        self._press_in_selection: QPoint | None = None
        self._text = ""
        self._codings: list[Coding] = []
        self._codes: dict[int, Code] = {}
        self._spans_made: dict[int, tuple[Coding, Span]] = {}  # coding id -> (coding, span drawn)
        self._spans_for: OffsetMap | None = None  # ... in this text's positions
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
        self._codes = codes
        to_qt = self.offsets.to_qt
        # a coding shown before keeps its span (issue 19: one coding applied makes one span)
        made = self._spans_made if self._spans_for is self.offsets else {}
        fresh: dict[int, tuple[Coding, Span]] = {}
        spans = []
        for c in codings:
            code = codes.get(c.code_id)
            if code is None:
                continue
            known = made.get(c.id)  # by id: hashing every coding costs as much as a new span
            if (known is not None and (known[0] is c or known[0] == c)
                    and known[1].color == code.color and known[1].name == code.name):
                span = known[1]
            else:
                span = Span(c.id, c.code_id, to_qt(c.start), to_qt(c.end), code.color, code.name)
            fresh[c.id] = (c, span)
            spans.append(span)
        self._spans_made, self._spans_for = fresh, self.offsets
        self.highlighter.set_spans(spans)
        self.margin.columns = assign_columns(spans)
        self._update_margin_width()
        self.margin.update()
        self._emit_codings_at_cursor()

    def codings(self) -> list[Coding]:
        return self._codings

    def shown_codes(self) -> dict[int, Code]:
        """The codes (id -> code) the codings shown were drawn with."""
        return self._codes

    def remember_codes(self, codes: dict[int, Code]) -> None:
        """The codebook changed without changing the codings shown: draw the next ones with ``codes``."""
        self._codes = codes

    def text(self) -> str:
        """The document's text as shown (code points, as the codings count them)."""
        return self._text

    # ------------------------------------------------------------------ positions
    def selected_range(self) -> tuple[int, int] | None:
        """The selection in code points, with surrounding white space trimmed; None if empty."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return self.trimmed_range(cursor.selectionStart(), cursor.selectionEnd())

    def trimmed_range(self, qt_start: int, qt_end: int) -> tuple[int, int] | None:
        """UTF-16 ``[qt_start, qt_end)`` in code points, without white space at its edges; None if empty."""
        start, end = self.offsets.from_qt(qt_start), self.offsets.from_qt(qt_end)
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

    def top_position(self) -> int:
        """The UTF-16 position at the top left of the view (where reading would resume)."""
        return self.cursorForPosition(QPoint(0, 0)).position()

    def scroll_to_top(self, qt_pos: int) -> None:
        """Scroll so that the line holding ``qt_pos`` is the first in view. The view scrolls by
        lines and counts a block not laid out yet as one: the blocks above are laid out first, so
        a wrapped paragraph above does not put the reader some lines off."""
        document = self.document()
        qt_pos = max(0, min(qt_pos, document.characterCount() - 1))
        target = document.findBlock(qt_pos)
        layout = document.documentLayout()
        line, block = 0, document.begin()
        while block.isValid() and block.blockNumber() < target.blockNumber():
            layout.blockBoundingRect(block)  # lays the block out, so its line count is known
            line += max(1, block.lineCount()) if block.isVisible() else 0
            block = block.next()
        layout.blockBoundingRect(target)
        within = target.layout().lineForTextPosition(qt_pos - target.position())
        self.verticalScrollBar().setValue(line + (within.lineNumber() if within.isValid() else 0))

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

    # ------------------------------------------------------------------ dragging a passage out
    def createMimeDataFromSelection(self) -> QMimeData:  # noqa: N802
        """The selected text, and the passage (document and code points) for a drop on a code."""
        mime = QMimeData()  # Qt's own lists only its text formats, and would hide the passage
        mime.setText(self.textCursor().selectedText().replace("\u2029", "\n"))
        selected = self.selected_range()
        if self.document_id is not None and selected is not None:
            payload = {"document_id": self.document_id, "start": selected[0], "end": selected[1]}
            mime.setData(PASSAGE_MIME, json.dumps(payload).encode("utf-8"))
        return mime

    def _in_selection(self, pos: QPoint) -> bool:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return False
        at = self.cursorForPosition(pos).position()
        return cursor.selectionStart() <= at < cursor.selectionEnd()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position().toPoint()
        if (event.button() == Qt.MouseButton.LeftButton and not event.modifiers()
                and self._in_selection(pos)):
            self._press_in_selection = pos  # a drag of the passage, or a click that drops the selection
            event.accept()
            return
        self._press_in_selection = None
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        start = self._press_in_selection
        if start is None:
            super().mouseMoveEvent(event)
            return
        if (event.position().toPoint() - start).manhattanLength() >= QApplication.startDragDistance():
            self._press_in_selection = None
            drag = QDrag(self)
            drag.setMimeData(self.createMimeDataFromSelection())
            self._exec_drag(drag)

    def _exec_drag(self, drag: QDrag) -> None:
        drag.exec(Qt.DropAction.CopyAction)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._press_in_selection is not None:  # a click in the selection: the cursor goes there
            self._press_in_selection = None
            cursor = self.textCursor()
            cursor.setPosition(self.cursorForPosition(event.position().toPoint()).position())
            self.setTextCursor(cursor)
            return
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
