"""Whether a feature panel is really in front of the user, so hidden panels do no work.

A panel docked as a tab behind another keeps ``isVisible()`` true in Qt; only its dock's
``visibilityChanged`` signal says when its tab is selected. ``MainWindow.add_panel`` records
that signal on the panel (:func:`track`). A panel hands the work a change asks for to
:func:`when_shown` (the one "refresh lazily" helper, used by every feature panel): it runs now if
the panel is on screen, else once when its tab is chosen (or the panel shown again).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QDockWidget, QWidget

_PROPERTY = "qcdeskShownInDock"
#: the widget attribute holding what :func:`when_shown` put off, by key
_PENDING = "_qcdesk_when_shown"


class _ShownAgain(QObject):
    """Catches up a panel shown again without its dock telling (a floating dock reopened)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            QTimer.singleShot(0, lambda: _run_pending(watched))
        return False


def track(dock: QDockWidget, widget: QWidget, shown_now: bool) -> None:
    widget.setProperty(_PROPERTY, shown_now)

    def changed(visible: bool) -> None:
        widget.setProperty(_PROPERTY, visible)
        if visible:
            # the signal comes before the panel is visible: catch up once it is
            QTimer.singleShot(0, lambda: _run_pending(widget))

    dock.visibilityChanged.connect(changed)
    watcher = _ShownAgain(widget)
    widget.installEventFilter(watcher)


def shown(widget: QWidget) -> bool:
    """True when the panel is on screen: visible, and its tab (if any) selected."""
    state = widget.property(_PROPERTY)
    return widget.isVisible() and (state is None or bool(state))


def when_shown(widget: QWidget, key: str, fn: Callable[[], None]) -> None:
    """Run ``fn`` now if the panel is on screen (or is not a tracked dock panel), else once
    when it next comes on screen; work put off under the same ``key`` runs once. The one
    helper for "refresh lazily" (a code created while the Memos tab is behind another
    re-lists nothing until the tab is chosen)."""
    if widget.property(_PROPERTY) is None or shown(widget):
        getattr(widget, _PENDING, {}).pop(key, None)
        fn()
        return
    pending = getattr(widget, _PENDING, None)
    if pending is None:
        pending = {}
        setattr(widget, _PENDING, pending)
    pending[key] = fn


def is_pending(widget: QWidget, key: str) -> bool:
    """True while work put off under ``key`` waits for the panel to be shown."""
    return key in getattr(widget, _PENDING, {})


def catch_up(dock: QDockWidget) -> None:
    """Run now what :func:`when_shown` put off for the panel in ``dock``, if it is on screen (a
    panel just brought forward through its menu entry is ready at once, not after the next turn
    of the event loop)."""
    for widget in dock.findChildren(QWidget):
        if widget.property(_PROPERTY) is not None:
            _run_pending(widget)


def _run_pending(widget: QWidget) -> None:
    pending = getattr(widget, _PENDING, None)
    if not pending or not shown(widget):
        return
    for key in list(pending):
        fn = pending.pop(key, None)
        if fn is not None:
            fn()
