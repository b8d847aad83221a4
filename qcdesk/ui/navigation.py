"""Moving around the window from the keyboard, and seeing where the keyboard is.

**View ▸ Go to** has a shortcut per pane (Ctrl+Shift+1 the transcript, 2 the codebook, 3 the coded
segments, 4 the documents, 5 search) and **Next / Previous document** (Ctrl+PgDown / Ctrl+PgUp)
step through the documents listed; **Next / Previous pane** (F6 / Shift+F6) step through the panes
on any keyboard layout (on French AZERTY the digits need Shift, so Ctrl+Shift+1 cannot be typed).
The pane holding the keyboard focus shows it: a dock's title and the transcript's header are drawn
in the highlight colour (the pane's ``paneFocused`` property says which, for tests and style sheets).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QAction, QKeySequence, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QDockWidget, QStyle, QStyleOptionDockWidget, QWidget

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices

FOCUSED = "paneFocused"


def _title_rect(dock: QDockWidget) -> QRect:
    """The strip above the dock's panel: its title bar (empty while the dock floats in its own frame)."""
    inner = dock.widget()
    if dock.isFloating() or inner is None:
        return QRect()
    return QRect(0, 0, dock.width(), inner.geometry().top())


class _DockTitleMark(QObject):
    """Draws a focused dock's title bar in the highlight colour.

    Painted over the title only: a style sheet on the dock (the first way of doing it) restyled
    every widget inside on each focus change (about 12 ms for the codebook) and slowed each
    repaint of the code tree while the codebook held the focus."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.Paint or not isinstance(obj, QDockWidget) or not obj.property(FOCUSED):
            return False
        if _title_rect(obj).isEmpty():
            return False  # floating: the dock draws its own frame
        option = QStyleOptionDockWidget()
        obj.initStyleOption(option)  # what QDockWidget.paintEvent draws, in other colours
        option.palette.setColor(QPalette.ColorRole.WindowText, option.palette.color(QPalette.ColorRole.HighlightedText))
        painter = QPainter(obj)
        painter.fillRect(option.rect, option.palette.color(QPalette.ColorRole.Highlight))
        obj.style().drawControl(QStyle.ControlElement.CE_DockWidgetTitle, option, painter, obj)
        painter.end()
        return True  # the dock draws nothing else while docked


class Pane:
    """One place the keyboard can go: the widget that takes the focus, the frame that shows it."""

    def __init__(self, name: str, frame: QWidget, target: Callable[[], QWidget], show: Callable[[], None]):
        self.name, self.frame, self.target, self.show = name, frame, target, show


class Navigation:
    def __init__(self, window: "WindowServices"):
        self.window = window
        w = window
        search = w.search  # installed before navigation
        self.panes = [
            Pane("Transcript", w.doc_header, lambda: w.transcript, lambda: None),
            Pane("Codebook", w.codebook_dock, lambda: w.codebook.view, lambda: w.show_panel(w.codebook_dock)),
            Pane("Coded segments", w.segments_dock, lambda: w.segments.tree,
                 lambda: w.show_panel(w.segments_dock)),
            Pane("Documents", w.documents_dock, lambda: w.documents.list, lambda: w.show_panel(w.documents_dock)),
        ]
        self.panes.append(Pane("Search", search.dock, lambda: search.panel.query, search.show))
        self.go_menu = w.view_menu.addMenu("&Go to")
        self.go_menu.setObjectName("menuGoTo")
        self.actions: list[QAction] = []
        for n, pane in enumerate(self.panes, start=1):
            act = self._action(f"&{n} {pane.name}", f"actionGoTo{pane.name.replace(' ', '')}",
                               f"Ctrl+Shift+{n}", f"Move the keyboard to the {pane.name.lower()} pane",
                               lambda _c=False, p=pane: self.go_to(p))
            self.go_menu.addAction(act)
            self.actions.append(act)
        # F6 / Shift+F6 step through the panes on any keyboard layout: where the digits need Shift
        # (French AZERTY), Ctrl+Shift+<digit key> is Ctrl+<digit> to Qt, and Ctrl+Shift+1 cannot be typed
        self.act_next_pane = self._action("Ne&xt pane", "actionNextPane", "F6",
                                          "Move the keyboard to the next pane", lambda: self.cycle(1))
        self.act_previous_pane = self._action("Pre&vious pane", "actionPreviousPane", "Shift+F6",
                                              "Move the keyboard to the previous pane", lambda: self.cycle(-1))
        self.go_menu.addActions([self.act_next_pane, self.act_previous_pane])
        self.go_menu.addSeparator()
        self.act_next = self._action("&Next document", "actionNextDocument", "Ctrl+PgDown",
                                     "Open the next document in the Documents list", lambda: self.step(1))
        self.act_previous = self._action("&Previous document", "actionPreviousDocument", "Ctrl+PgUp",
                                         "Open the previous document in the Documents list", lambda: self.step(-1))
        self.go_menu.addActions([self.act_next, self.act_previous])
        self._transcript_palette = QPalette(w.doc_header.palette())
        self._title_mark = _DockTitleMark(w)
        for pane in self.panes:
            pane.frame.setProperty(FOCUSED, False)
            if isinstance(pane.frame, QDockWidget):
                pane.frame.installEventFilter(self._title_mark)
        QApplication.instance().focusChanged.connect(self._focus_changed)
        w.destroyed.connect(self._disconnect)

    def _action(self, text: str, name: str, keys: str, tip: str, slot) -> QAction:
        act = QAction(text, self.window)
        act.setObjectName(name)
        act.setShortcut(QKeySequence(keys))
        act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        act.setStatusTip(tip)
        act.setToolTip(tip)
        act.triggered.connect(slot)
        self.window.addAction(act)
        return act

    # ------------------------------------------------------------------ moving
    def go_to(self, pane: Pane) -> None:
        pane.show()
        target = pane.target()
        if target.isVisible():
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._show_focus(self.pane_of(QApplication.focusWidget()))

    def cycle(self, by: int) -> None:
        """Move the keyboard ``by`` panes on (back, when negative) from the one holding it."""
        current = self.pane_of(QApplication.focusWidget())
        start = self.panes.index(current) if current is not None else (-1 if by > 0 else 0)
        self.go_to(self.panes[(start + by) % len(self.panes)])

    def step(self, by: int) -> bool:
        """Open the document ``by`` rows below (above, when negative) the open one in the list."""
        lst = self.window.documents.list
        if lst.count() == 0:
            return False
        row = lst.currentRow()
        new = min(max(0, row + by), lst.count() - 1) if row >= 0 else 0
        if new == row:
            self.window.statusBar().showMessage(
                "This is the " + ("last" if by > 0 else "first") + " document in the list.", 3000)
            return False
        lst.setCurrentRow(new)
        return True

    # ------------------------------------------------------------------ showing where the focus is
    def pane_of(self, widget: QWidget | None) -> Pane | None:
        while widget is not None:
            if widget is self.window.transcript:
                return self.panes[0]
            if isinstance(widget, QDockWidget):
                return next((p for p in self.panes if p.frame is widget), None)
            widget = widget.parentWidget()
        return None

    def focused_pane(self) -> Pane | None:
        return next((p for p in self.panes if p.frame.property(FOCUSED)), None)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and new.window() is self.window:
            self._show_focus(self.pane_of(new))

    def _show_focus(self, focused: Pane | None) -> None:
        for pane in self.panes:
            on = pane is focused
            if bool(pane.frame.property(FOCUSED)) == on:
                continue
            pane.frame.setProperty(FOCUSED, on)
            if isinstance(pane.frame, QDockWidget):
                pane.frame.update(_title_rect(pane.frame))  # its title only: see _DockTitleMark
            else:  # the transcript's header line
                palette = QPalette(self._transcript_palette)
                if on:
                    palette.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.Highlight))
                    palette.setColor(QPalette.ColorRole.WindowText,
                                     palette.color(QPalette.ColorRole.HighlightedText))
                pane.frame.setAutoFillBackground(on)
                pane.frame.setPalette(palette)

    def _disconnect(self) -> None:
        try:
            QApplication.instance().focusChanged.disconnect(self._focus_changed)
        except (RuntimeError, TypeError):
            pass


def install(window: "WindowServices") -> Navigation:
    return Navigation(window)
