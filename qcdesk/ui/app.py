"""Starting the window: ``qcdesk [PROJECT]``, ``qcdesk --demo``."""

from __future__ import annotations

import argparse
import sys

from qcdesk import APP_NAME, __version__


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="qcdesk", description="Qualitative coding of interview transcripts.")
    parser.add_argument("project", nargs="?", help="project file to open (.qcdesk)")
    parser.add_argument("--demo", action="store_true", help="open the bundled demo project")
    parser.add_argument("--fresh-demo", action="store_true", help="rebuild the demo project first")
    return parser.parse_args(argv)


def run(argv: list[str]) -> int:
    args = parse_args(argv)
    from PySide6.QtWidgets import QApplication

    from qcdesk.core.errors import QcdeskError
    from qcdesk.ui import dialogs
    from qcdesk.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    window = MainWindow()
    window.show()
    if args.demo or args.fresh_demo:
        from qcdesk.core.demo import ensure_demo_project

        try:
            window.open_project(ensure_demo_project(fresh=args.fresh_demo))
        except (QcdeskError, OSError) as exc:
            dialogs.error(window, "Demo project", f"The demo project could not be prepared: {exc}")
    elif args.project:
        window.open_project(args.project)
    return app.exec()
