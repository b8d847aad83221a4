"""One line of text in the status bar that changes without re-laying out the window.

A ``QLabel`` asks its layout again on every ``setText``; in the status bar that re-lays out the
whole main window (its docks included) each time the cursor moves, and a long label widens the
window. This widget keeps one height whatever its text, shortens a text too long with "…"
(the whole text in its tooltip) and only repaints itself when the text changes.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

_MARGIN = 2
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class StatusText(QWidget):
    """Text drawn on one line, elided at the right; ``setText``/``text`` as a ``QLabel``'s."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._text = self._shown = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:  # noqa: N802 (QLabel's name)
        if text == self._text:
            return
        self._text = text
        self.setAccessibleName(text)
        self._fit()
        self.update()

    def _fit(self) -> None:
        """Shorten the text to the width (once per text or size, not on every repaint)."""
        self._shown = self.fontMetrics().elidedText(self._text, Qt.TextElideMode.ElideRight,
                                                    max(0, self.width() - 2 * _MARGIN))
        self.setToolTip(self._text if self._shown != self._text else "")

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.fontMetrics().averageCharWidth() * 40, self.minimumSizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(0, self.fontMetrics().height() + 2 * _MARGIN)

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._fit()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.FontChange:
            self._fit()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(self.rect().adjusted(_MARGIN, 0, -_MARGIN, 0), _LEFT, self._shown)
        painter.end()
