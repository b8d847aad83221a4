"""Screenshots of the Recording dock (issue 18) on the demo project, for looking at its layout.

Run it under an X server, with fresh settings and data folders (it makes its own)::

    xvfb-run -a -s "-screen 0 1920x1080x24" env QT_QPA_PLATFORM=xcb \\
        python packaging/media_screenshots.py OUTDIR
    # files are media-WIDTHxHEIGHT.png at 1024x700 and 1280x800

The demo's first interview gets a made-up minute of "speech" (a tone that swells, fades and
pauses) and three time codings, one with a memo.
"""

from __future__ import annotations

import math
import os
import struct
import sys
import tempfile
import wave
from pathlib import Path

SIZES = [(1024, 700), (1280, 800)]
RATE = 8000


def speech_like(path: Path, seconds: int = 60) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        for second in range(seconds):
            frames = bytearray()
            for i in range(RATE):
                t = second + i / RATE
                loud = 0.0 if int(t) % 9 in (6, 7) else abs(math.sin(t * 1.3)) * (0.5 + 0.5 * abs(math.sin(t * 0.23)))
                frames += struct.pack("<h", int(14000 * loud * math.sin(2 * math.pi * 220 * t)))
            w.writeframes(bytes(frames))
    return path


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(".")
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="qcdesk-shots-"))
    os.environ["XDG_DATA_HOME"] = str(home / "data")
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

    TeamFeature._ask_coder = lambda self, names, suggested: "Amira"  # noqa: SLF001
    wav = speech_like(home / "P01_mentor.wav")
    win = MainWindow()
    win.show()
    win.open_project(ensure_demo_project(fresh=True))
    project, doc = win.project, win.transcript.document_id
    project.media.attach(doc, wav)
    codes = [c for c in project.codes() if not any(d.parent_id == c.id for d in project.codes())]
    project.time_codings.add(doc, codes[0].id, 2000, 5500, memo="long pause before answering")
    project.time_codings.add(doc, codes[1].id, 9000, 14000)
    project.time_codings.add(doc, codes[3].id, 20000, 26000)
    sizes = list(SIZES)
    failed: list[Path] = []

    def shoot() -> None:
        if not sizes:
            app.quit()
            return
        w, h = sizes[0]
        win.showNormal()
        win.resize(w, h)
        win.move(0, 0)
        QTimer.singleShot(300, lambda: apply_default_sizes(win))
        QTimer.singleShot(400, win.player.fit_dock)
        QTimer.singleShot(1500, grab)

    def grab() -> None:
        w, h = sizes.pop(0)
        name = out / f"media-{w}x{h}.png"
        if not win.grab().toImage().convertToFormat(QImage.Format.Format_RGB888).save(str(name)):
            print(f"could not write {name}", file=sys.stderr)
            failed.append(name)
        else:
            print(name)
        shoot()

    QTimer.singleShot(500, shoot)
    app.exec()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
