"""The read-only transcript with its codings: colours in the text, coding stripes in the margin.

The view speaks code points to the rest of the window (``selected_range``,
``select_range``) and UTF-16 only to Qt. Its two margins (the coding stripes on the right, the
turns' times on the left) are in :mod:`qcdesk.ui.transcript_margins`.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QMimeData, QPoint, QRect, Qt, Signal
from PySide6.QtGui import QDrag, QFont, QFontMetrics, QMouseEvent, QTextCursor, QTextOption
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QToolTip, QWidget

from qcdesk.core.models import Code, Coding
from qcdesk.ui.highlighter import CodingHighlighter, Span
from qcdesk.ui.positions import OffsetMap, utf16_high_bytes
from qcdesk.ui.text_direction import set_text_direction
from qcdesk.ui.transcript_margins import CodingMargin, TimeGutter, assign_columns

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
        high_bytes = utf16_high_bytes(text)
        self.offsets = OffsetMap(text, high_bytes)
        self._text = text
        self.highlighter.set_spans([])
        self.times.times = []
        self.setPlainText(text)
        set_text_direction(self.document(), text, high_bytes)
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
