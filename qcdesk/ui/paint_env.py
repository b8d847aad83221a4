"""Painting on the window's own thread: Qt's GUI thread pool switched off at start-up.

Qt's raster engine hands every fill of 96 or more spans to its GUI thread pool, in pieces of
about 64, and waits for them: a gradient (Fusion's scroll bars are drawn with them), or any fill
under a clip that is not one rectangle (the window's background beneath the panels that repaint).
For fills the size of a widget, waking the pool costs more than the fill. Measured on two cores:
the transcript's scroll bar painted in 0.9 ms with the pool and 0.11 ms without, a repaint of the
whole window took 3.7 ms and 1.5 ms, and selecting a passage and a code (each moves a scroll
bar) 9.5 ms and 5.5–7.5 ms. The pixels are the same.

Qt decides once, the first time it wants the pool, and any value of ``QT_NO_GUI_THREADPOOL`` turns
the pool off, so this is set before the QApplication is made, like
:func:`qcdesk.ui.loopback_env.bypass_proxies`: changing the environment while Qt's threads may
read it is a race in the C library.
"""

from __future__ import annotations

import os

#: the variable Qt reads (``QGuiApplicationPrivate::qtGuiThreadPool``); set, whatever its value,
#: Qt paints and converts images on the calling thread
VARIABLE = "QT_NO_GUI_THREADPOOL"


def paint_on_the_gui_thread() -> None:
    """Switch off Qt's GUI thread pool for this process (a value already set is kept)."""
    os.environ.setdefault(VARIABLE, "1")
