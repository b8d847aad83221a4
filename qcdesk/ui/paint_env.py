"""Painting on the window's own thread: Qt's GUI thread pool switched off at start-up.

Qt's raster engine hands every fill of 96 or more spans (lines) to its GUI thread pool, in pieces
of about 64, and waits for them: a gradient (Fusion's scroll bars are drawn with them), or any
fill under a clip that is not one rectangle (the window's background beneath the panels that
repaint). For fills the size of a widget, waking the pool costs more than the fill. Measured on
two cores (2026-12-05): the transcript's scroll bar painted in 0.9 ms with the pool and 0.11 ms
without, a repaint of the whole window took 3.7 ms and 1.5 ms. The pixels are the same. Not
measured on machines with many cores, where a very large fill might still gain from the pool; qcdesk
converts and scales no large images, the pool's other use.

Qt decides once, the first time it wants the pool, and any value of ``QT_NO_GUI_THREADPOOL`` turns
the pool off, so this is set before the QApplication is made, like
:func:`qcdesk.ui.loopback_env.bypass_proxies`: changing the environment while Qt's threads may
read it is a race in the C library. ``QCDESK_QT_GUI_THREADPOOL=1`` keeps Qt's pool (to compare).
"""

from __future__ import annotations

import os

#: the variable Qt reads (``QGuiApplicationPrivate::qtGuiThreadPool``); set, whatever its value,
#: Qt paints and converts images on the calling thread
VARIABLE = "QT_NO_GUI_THREADPOOL"
#: set to 1, qcdesk leaves Qt's pool on (an unset ``QT_NO_GUI_THREADPOOL`` cannot be asked for)
KEEP_POOL = "QCDESK_QT_GUI_THREADPOOL"


def paint_on_the_gui_thread() -> None:
    """Switch off Qt's GUI thread pool for this process, unless :data:`KEEP_POOL` is 1 (a value
    of ``QT_NO_GUI_THREADPOOL`` already set is kept)."""
    if os.environ.get(KEEP_POOL, "") != "1":
        os.environ.setdefault(VARIABLE, "1")
