"""Screenshots of the main window on the demo project, for the README and for looking at the layout.

Run it under an X server (it starts none itself), with fresh settings and data folders so that
nothing of the user's own qcdesk is shown or changed::

    xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb \\
        python packaging/screenshots.py resources/screenshots 1280x800
    # sizes default to 1024x700 1280x800 1920x1080; files are main-WIDTHxHEIGHT.png

The window shows the demo's first interview with its codings in the margin, the most used code
selected in the codebook and its coded segments listed below.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

SIZES = [(1024, 700), (1280, 800), (1920, 1080)]


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path("resources/screenshots")
    sizes = [tuple(int(n) for n in a.split("x")) for a in argv[2:]] or SIZES
    home = Path(tempfile.mkdtemp(prefix="qcdesk-shots-"))
    os.environ["XDG_DATA_HOME"] = str(home / "data")  # a fresh demo, fresh settings
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    app = QApplication(argv[:1])
    app.setApplicationName("qcdesk")
    app.setOrganizationName("qcdesk")
    from qcdesk.core.demo import ensure_demo_project
    from qcdesk.ui.main_window import MainWindow
    from qcdesk.ui.team import TeamFeature
    from qcdesk.ui.workbench_layout import apply_default_sizes

    TeamFeature._ask_coder = lambda self, names, suggested: "Amira"  # no "Who is coding?" question
    out.mkdir(parents=True, exist_ok=True)
    win = MainWindow()
    win.show()
    if not win.open_project(ensure_demo_project(fresh=True)):
        return 1
    project = win.project
    counts = project.code_counts()
    busiest = max(counts, key=lambda c: counts[c][0]) if counts else None
    if busiest is not None:
        win.codebook.select_code(busiest)
    first = project.codings_for_document(win.transcript.document_id)
    if first:
        win.transcript.select_range(first[0].start, first[0].start)
    win.transcript.setFocus()
    pending = list(sizes)

    def shoot() -> None:
        if not pending:
            app.quit()
            return
        w, h = pending[0]
        win.showNormal()
        win.resize(w, h)
        win.move(0, 0)
        QTimer.singleShot(300, lambda: apply_default_sizes(win))  # as a first start at this size
        QTimer.singleShot(1000, grab)

    def grab() -> None:
        w, h = pending.pop(0)
        # full colour (a 256-colour palette shifted the code colours), compressed as far as PNG goes
        win.grab().toImage().convertToFormat(QImage.Format.Format_RGB888).save(
            str(out / f"main-{w}x{h}.png"), "PNG", 0)
        print(out / f"main-{w}x{h}.png")
        shoot()

    QTimer.singleShot(500, shoot)
    app.exec()
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
