"""The window paints on its own thread: its start-up switches Qt's GUI thread pool off before anything
is painted (:mod:`qcdesk.ui.paint_env`), and the pixels are the ones Qt paints with the pool.

Each run is a process of its own, as Qt decides once per process. The start-up checked is the real one
(``qcdesk --smoke-test``, the real window); a probe painted just before the smoke test quits counts the
threads Qt's pool has started. The same run with the switch left out must find them, else the probe
would prove nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qcdesk.ui.paint_env import VARIABLE

pytestmark = [pytest.mark.gui,
              pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc (Linux)")]

PROBE = r'''
import os, sys
from pathlib import Path
import qcdesk.ui.app as app
import qcdesk.ui.paint_env as paint_env

if sys.argv[1] == "without":
    paint_env.paint_on_the_gui_thread = lambda: None
finish = app._finish_smoke_test


def probe(qapp, window, wanted_project):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QScrollBar

    bar = QScrollBar(Qt.Orientation.Vertical)  # drawn with gradients over 600 lines
    bar.resize(16, 600)
    bar.setRange(0, 100)
    image = bar.grab().toImage()
    whole = window.grab().toImage()
    tasks = Path("/proc/self/task")
    pooled = sum("pooled" in (t / "comm").read_text() for t in tasks.iterdir())
    Path(sys.argv[2]).write_bytes(bytes(image.constBits()) + bytes(whole.constBits()))
    print(f"probe: pooled={pooled} variable={os.environ.get(paint_env.VARIABLE)!r} "
          f"window={whole.width()}x{whole.height()}", flush=True)
    return finish(qapp, window, wanted_project)


app._finish_smoke_test = probe
sys.exit(app.run(["--smoke-test"]))
'''


def start(mode: str, tmp_path: Path) -> tuple[str, bytes]:
    env = {k: v for k, v in os.environ.items() if k != VARIABLE}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / mode / "config"),
               XDG_DATA_HOME=str(tmp_path / mode / "data"), QT_STYLE_OVERRIDE="Fusion")
    pixels = tmp_path / f"{mode}.bin"
    done = subprocess.run([sys.executable, "-c", PROBE, mode, str(pixels)], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("probe: "))
    assert "qcdesk-smoke: opened the window without a project" in done.stdout
    return line, pixels.read_bytes()


def test_the_start_up_switches_the_pool_off_and_the_pixels_stay_the_same(tmp_path):
    with_switch, painted = start("with", tmp_path)
    without, painted_by_the_pool = start("without", tmp_path)
    assert "variable=None" in without and "pooled=0" not in without, without  # the probe sees the pool
    assert "variable='1'" in with_switch and "pooled=0" in with_switch, with_switch
    assert painted == painted_by_the_pool and painted
