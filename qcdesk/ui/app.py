"""Starting the window: ``qcdesk [PROJECT]``, ``qcdesk --demo``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from qcdesk import APP_NAME, __version__

_IMPORTED = time.perf_counter()

#: what ``qcdesk --help`` says about the window (the command line's help shows it too)
WINDOW_USAGE = """\
With no subcommand, qcdesk opens the window:
  qcdesk [PROJECT]        open the window (and PROJECT, a .qcdesk file)
  qcdesk --demo           open the bundled demo project (--fresh-demo rebuilds it first)
  qcdesk --smoke-test     check an installation: open the window (and PROJECT), print one line
                          'qcdesk-smoke: ...' with the start-up time, then close and quit
"""
IN_THE_WINDOW = """\
In the window: Help > qcdesk Help (F1) is a getting-started page that works offline,
Help > Keyboard shortcuts lists every shortcut, View > Focus on the transcript (F11)
shows only the text and the codebook. The same projects work without a window with
the subcommands of qcdesk-cli (qcdesk-cli --help lists them).
"""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="qcdesk", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Qualitative coding of interview transcripts: opens the qcdesk window.",
        epilog=IN_THE_WINDOW)
    parser.add_argument("project", nargs="?", help="project file to open (.qcdesk)")
    parser.add_argument("--demo", action="store_true", help="open the bundled demo project")
    parser.add_argument("--fresh-demo", action="store_true", help="rebuild the demo project first")
    parser.add_argument("--smoke-test", action="store_true",
                        help="check an installation: open the window (and PROJECT), print one line "
                             "'qcdesk-smoke: ...' with the start-up time, then close and quit")
    return parser.parse_args(argv)


def _seconds_since_start() -> float:
    """Seconds since this process started (Linux: from /proc; elsewhere: since this module loaded)."""
    try:  # field 22 of /proc/self/stat is the start time in clock ticks after boot
        ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        return time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return time.perf_counter() - _IMPORTED


def _app_icon():
    """The window icon from the bundled PNGs (no SVG plugin needed at start-up)."""
    from PySide6.QtGui import QIcon

    from qcdesk.paths import resource_path

    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        try:
            icon.addFile(str(resource_path("icons", f"qcdesk-{size}.png")))
        except FileNotFoundError:  # a partial install: the window works without an icon
            break
    return icon


def open_files_from_the_desktop(app, window, platform: str = sys.platform) -> None:
    """macOS: a double-clicked or dropped-on-the-Dock ``.qcdesk`` arrives as a FileOpen event, not in argv.
    Only there: Qt sends FileOpen events on macOS alone (elsewhere the file comes in argv), and a filter
    on the application sees every event of every widget, a Python call each."""
    if platform != "darwin":
        return
    from PySide6.QtCore import QEvent, QObject

    class FileOpenFilter(QObject):
        def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.FileOpen and event.file():
                window.open_project(event.file())
                return True
            return False

    app._file_open_filter = FileOpenFilter(app)  # kept alive as long as the application
    app.installEventFilter(app._file_open_filter)


def _dismiss_message_boxes(app) -> None:
    """For ``--smoke-test``: a message box would wait for a click forever, so print its text and close it."""
    from PySide6.QtCore import QTimer

    def dismiss() -> None:
        modal = app.activeModalWidget()
        if modal is not None:
            text = modal.text() if hasattr(modal, "text") else modal.windowTitle()
            print(f"qcdesk-smoke: message: {text}", flush=True)
            modal.reject()

    timer = QTimer(app)
    timer.setInterval(50)
    timer.timeout.connect(dismiss)
    timer.start()


def _finish_smoke_test(app, window, wanted_project: bool) -> int:
    """``--smoke-test``: once the event loop runs, print what is open and how long start-up took, then quit."""
    from PySide6.QtCore import QTimer

    project = window.project
    if wanted_project and project is None:
        print("qcdesk-smoke: failed: the project did not open", flush=True)
        window.close()
        return 1

    def report() -> None:
        what = (f"{project.path.name} with {len(project.documents())} documents" if project
                else "the window without a project")
        print(f"qcdesk-smoke: opened {what} in {_seconds_since_start():.3f} s", flush=True)
        window.close()
        app.quit()

    QTimer.singleShot(0, report)
    return app.exec()


def run(argv: list[str]) -> int:
    args = parse_args(argv)
    from PySide6.QtWidgets import QApplication

    from qcdesk.core.errors import QcdeskError
    from qcdesk.ui import dialogs
    from qcdesk.ui.loopback_env import bypass_proxies
    from qcdesk.ui.main_window import MainWindow
    from qcdesk.ui.paint_env import paint_on_the_gui_thread

    # before any thread of Qt's may read the environment: the player's stream, then painting
    bypass_proxies()
    paint_on_the_gui_thread()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_NAME)
    app.setWindowIcon(_app_icon())
    window = MainWindow()
    window.show()
    open_files_from_the_desktop(app, window)
    if args.smoke_test:
        _dismiss_message_boxes(app)
    if args.demo or args.fresh_demo:
        from qcdesk.core.demo import ensure_demo_project

        try:
            window.open_project(ensure_demo_project(fresh=args.fresh_demo))
        except (QcdeskError, OSError) as exc:
            dialogs.error(window, "Demo project", f"The demo project could not be prepared: {exc}")
    elif args.project:
        window.open_project(args.project)
    if args.smoke_test:
        return _finish_smoke_test(app, window, bool(args.project or args.demo or args.fresh_demo))
    return app.exec()
