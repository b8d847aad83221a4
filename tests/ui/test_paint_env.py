"""The window paints on its own thread: its start-up switches Qt's GUI thread pool off before anything
is painted (:mod:`qcdesk.ui.paint_env`), and the pixels are the ones Qt paints with the pool.

Each run is a process of its own, as Qt decides once per process. The start-up checked is the real one
(``qcdesk --smoke-test``, the real window); a probe painted just before the smoke test quits looks for
threads of Qt's pools that did work while it painted. The same run with the pool kept
(``QCDESK_QT_GUI_THREADPOOL=1``) must find them, else the probe would prove nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qcdesk.ui.paint_env import KEEP_POOL, VARIABLE, paint_on_the_gui_thread

pytestmark = [pytest.mark.gui,
              pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts threads in /proc (Linux)")]

PROBE = r'''
import os, sys
from pathlib import Path
import qcdesk.ui.app as app
import qcdesk.ui.paint_env as paint_env

finish = app._finish_smoke_test


def pool_threads():
    # Qt's pool threads (named "Thread (pooled)") and how often each has been switched in
    found = {}
    for task in Path("/proc/self/task").iterdir():
        try:
            if "pooled" in (task / "comm").read_text():
                status = (task / "status").read_text().splitlines()
                found[task.name] = sum(int(line.split()[1]) for line in status if "ctxt_switches" in line)
        except OSError:  # the thread ended meanwhile
            pass
    return found


def probe(qapp, window, wanted_project):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QScrollBar

    before = pool_threads()
    bar = QScrollBar(Qt.Orientation.Vertical)  # drawn with gradients over 600 lines
    bar.resize(16, 600)
    bar.setRange(0, 100)
    image = bar.grab().toImage()
    whole = window.grab().toImage()
    after = pool_threads()
    worked = sum(1 for tid, n in after.items() if before.get(tid) != n)
    Path(sys.argv[1]).write_bytes(bytes(image.constBits()) + bytes(whole.constBits()))
    print(f"probe: pool threads that worked={worked} variable={os.environ.get(paint_env.VARIABLE)!r} "
          f"window={whole.width()}x{whole.height()}", flush=True)
    return finish(qapp, window, wanted_project)


app._finish_smoke_test = probe
sys.exit(app.run(["--smoke-test"]))
'''


def start(keep_pool: bool, tmp_path: Path) -> tuple[str, bytes]:
    mode = "kept" if keep_pool else "off"
    env = {k: v for k, v in os.environ.items() if k not in (VARIABLE, KEEP_POOL)}
    env.update(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / mode / "config"),
               XDG_DATA_HOME=str(tmp_path / mode / "data"), QT_STYLE_OVERRIDE="Fusion")
    if keep_pool:
        env[KEEP_POOL] = "1"
    pixels = tmp_path / f"{mode}.bin"
    done = subprocess.run([sys.executable, "-c", PROBE, str(pixels)], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(ln for ln in done.stdout.splitlines() if ln.startswith("probe: "))
    assert "qcdesk-smoke: opened the window without a project" in done.stdout
    return line, pixels.read_bytes()


def test_the_start_up_switches_the_pool_off_and_the_pixels_stay_the_same(tmp_path):
    switched_off, painted = start(False, tmp_path)
    kept, painted_by_the_pool = start(True, tmp_path)
    assert "variable=None" in kept and "worked=0 " not in kept, kept  # the probe sees the pool at work
    assert "variable='1'" in switched_off and "worked=0 " in switched_off, switched_off
    assert painted == painted_by_the_pool and painted


def test_a_value_already_set_is_kept_and_the_pool_can_be_kept(monkeypatch):
    monkeypatch.delenv(KEEP_POOL, raising=False)
    monkeypatch.setenv(VARIABLE, "0")  # any value switches the pool off; the user's stays
    paint_on_the_gui_thread()
    assert os.environ[VARIABLE] == "0"
    monkeypatch.delenv(VARIABLE)
    monkeypatch.setenv(KEEP_POOL, "1")
    paint_on_the_gui_thread()
    assert VARIABLE not in os.environ
    monkeypatch.setenv(KEEP_POOL, "0")
    paint_on_the_gui_thread()
    assert os.environ[VARIABLE] == "1"
