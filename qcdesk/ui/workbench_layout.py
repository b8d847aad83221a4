"""Room for the transcript: panels that can shrink, default panel sizes in proportion to the
window, and a focus mode (View ▸ Focus on the transcript, F11) that shows only the text and the
codebook.

A panel's content sits in a scroll area, so no panel (a saturation chart, a wide retrieval
form) forces the bottom area tall or the window wide: squeezed below its natural size, the
panel scrolls instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QFrame, QScrollArea, QToolBar, QWidget

from qcdesk.ui.codebook_model import COL_DOCUMENTS

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices

FOCUS_SHORTCUT = "F11"
#: below this width the codebook leaves out its Docs column, so code names are not cut to a few letters
NARROW_CODEBOOK = 330


def scrollable(widget: QWidget) -> QScrollArea:
    """``widget`` in a frameless scroll area that follows its size and scrolls only when squeezed."""
    area = QScrollArea()
    area.setObjectName(f"{widget.objectName() or type(widget).__name__}Scroll")
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    area.setWidget(widget)
    return area


def _clamp(value: float, low: int, high: int) -> int:
    return int(max(low, min(high, value)))


def default_sizes(width: int, height: int) -> tuple[int, int, int]:
    """(documents width, codebook width, bottom panels height) for a window of this size: the
    side panels narrow on small screens, the bottom panels about a fifth of the height."""
    return _clamp(0.13 * width, 120, 260), _clamp(0.28 * width, 290, 400), _clamp(0.2 * height, 110, 280)


def apply_default_sizes(window: "WindowServices") -> None:
    docs, book, bottom = default_sizes(window.width(), window.height())
    window.resizeDocks([window.documents_dock, window.codebook_dock], [docs, book], Qt.Orientation.Horizontal)
    window.resizeDocks([window.segments_dock], [bottom], Qt.Orientation.Vertical)


class Workbench(QObject):
    """Default sizes on the first show (unless the user's own layout was restored) and the focus mode."""

    def __init__(self, window: "WindowServices"):
        super().__init__(window)
        self.window = window
        self._sized = window.settings.window_state() is not None
        self._saved_state = None
        self.action = QAction("&Focus on the transcript", window)
        self.action.setObjectName("actionFocusMode")
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(FOCUS_SHORTCUT))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        tip = "Show only the transcript and the codebook (again to bring the panels back)"
        self.action.setStatusTip(tip)
        self.action.setToolTip(f"{tip} ({FOCUS_SHORTCUT})")
        self.action.toggled.connect(self._toggled)
        window.addAction(self.action)
        window.view_menu.addAction(self.action)
        window.act_focus = self.action
        window.installEventFilter(self)
        window.codebook.view.installEventFilter(self)

    # ---------------------------------------------------------------- focus mode
    @property
    def active(self) -> bool:
        return self._saved_state is not None

    def _toggled(self, on: bool) -> None:
        if on and not self.active:
            self._enter()
        elif not on and self.active:
            self._leave()

    def _enter(self) -> None:
        window = self.window
        self._saved_state = window.saveState()
        for dock in window.findChildren(QDockWidget):
            if dock is not window.codebook_dock:
                dock.hide()
        window.codebook_dock.show()
        for bar in window.findChildren(QToolBar):
            if bar.parentWidget() is window:  # the window's toolbars, not a panel's own (the codebook's)
                bar.hide()
        window.resizeDocks([window.codebook_dock], [max(window.codebook_dock.width(), 320)],
                           Qt.Orientation.Horizontal)  # room for the code names beside the text

    def _leave(self) -> None:
        state, self._saved_state = self._saved_state, None
        self.window.restoreState(state)

    def leave(self) -> None:
        """Back to the panels the user had (before the window saves its layout)."""
        if self.active:
            self.action.setChecked(False)

    # ---------------------------------------------------------------- window events
    def fit_codebook_columns(self) -> None:
        """A narrow codebook shows the segment counts only (the documents count goes first)."""
        view = self.window.codebook.view
        narrow = view.width() < NARROW_CODEBOOK
        if view.header().isSectionHidden(COL_DOCUMENTS) != narrow:
            view.header().setSectionHidden(COL_DOCUMENTS, narrow)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.window.codebook.view:
            if event.type() == QEvent.Type.Resize:
                self.fit_codebook_columns()
            return False
        if watched is self.window:
            if event.type() == QEvent.Type.Show and not self._sized:
                self._sized = True
                apply_default_sizes(self.window)
            elif event.type() == QEvent.Type.Close:
                self.leave()  # the layout saved on closing is the user's, not the focus mode's
        return False


def install(window: "WindowServices") -> Workbench:
    return Workbench(window)
