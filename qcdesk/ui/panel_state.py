"""Whether a feature panel is really in front of the user, so hidden panels do no work.

A panel docked as a tab behind another keeps ``isVisible()`` true in Qt; only its dock's
``visibilityChanged`` signal says when its tab is selected. ``MainWindow.add_panel`` records
that signal on the panel (:func:`track`), and panels ask :func:`shown` before recomputing
after a change. When a hidden panel's tab is selected its ``panel_shown()`` method, if it has
one, is called: the moment to catch up on what it skipped.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDockWidget, QWidget

_PROPERTY = "qcdeskShownInDock"


def track(dock: QDockWidget, widget: QWidget, shown_now: bool) -> None:
    widget.setProperty(_PROPERTY, shown_now)

    def changed(visible: bool) -> None:
        widget.setProperty(_PROPERTY, visible)
        if visible and hasattr(widget, "panel_shown"):
            # the signal comes before the panel is visible: catch up once it is
            QTimer.singleShot(0, widget.panel_shown)

    dock.visibilityChanged.connect(changed)


def shown(widget: QWidget) -> bool:
    """True when the panel is on screen: visible, and its tab (if any) selected."""
    state = widget.property(_PROPERTY)
    return widget.isVisible() and (state is None or bool(state))
