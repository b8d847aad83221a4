"""No Python runs on a thread Qt starts for itself (ARCHITECTURE.md, "Threads"), and that includes Qt's
message handler: Qt Multimedia's FFmpeg threads log warnings (a stream cut when a window closes, say),
and a Python handler makes each such warning a call into Python on that thread.

The test runner is held to it too. pytest-qt captures Qt's messages by installing a Python handler
for each phase of each test and putting the previous one back after it; a media thread that logged
while the handler was being swapped called a handler PySide had already let go of, and a worker
crashed with a segmentation fault (seen in a full run, then reproduced in about one run in four of
the media test files on a busy machine, the core dump showing libffmpegmediaplugin's thread in
QMessageLogger::warning calling a null Python callable). pyproject.toml turns that capture off
(``--no-qt-log``); Qt's messages go to standard error as they do in the application.
"""

from __future__ import annotations

from PySide6.QtCore import qInstallMessageHandler


def test_no_python_message_handler_is_installed_while_widgets_run(qapp):
    previous = qInstallMessageHandler(None)
    qInstallMessageHandler(previous)  # as it was, whatever it was
    assert previous is None, f"a Python Qt message handler is installed: {previous!r}"
