"""Opening and coding at scale in the window (issue 19), on a copy of an existing project.

Measures, offscreen: the first opening on this machine (no clean-close seal: SQLite's quick check
before opening, its full integrity check in the background), a coding applied at once after it
(it waits for that check: nothing is written before) and its undo, closing, the reopening of the
file as it was closed cleanly (its seal matches: only the header is read first), how long the
background check and the text check take, then a coding applied and undone, each shown,
``--rounds`` times (medians), and last the command line's opening (the full check first, as
scripts have no window to wait in). Targets: open < 1 s, a coding or its undo shown < 50 ms.
The project given is copied first and never changed.

    .venv/bin/python benchmarks/reopen.py PROJECT.qcdesk [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import steps  # noqa: E402

TARGET_OPEN = 1.0
TARGET_CODING = 0.05


def _load() -> str:
    try:
        return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not on every system
        return "load average unknown"


def measure(source: Path, rounds: int = 3) -> dict[str, float]:
    """The figures, in seconds, from a copy of ``source``."""
    from PySide6.QtCore import QEventLoop

    from qcdesk.core.project import Project
    from qcdesk.ui.team import TeamFeature

    app = steps.ensure_qapp()
    work = Path(tempfile.mkdtemp(prefix="qcdesk-reopen-"))
    path = work / source.name
    shutil.copy(source, path)
    session = steps.Session(path, work, gui=True)
    out: dict[str, float] = {}
    saved_ask = TeamFeature._ask_coder
    TeamFeature._ask_coder = lambda self, names, suggested: None  # the settings name the coder
    seen: list = []
    try:
        with steps.never_block_on_dialogs(seen):
            session.open_core()  # finds the busiest code and the largest document
            session.core.close()
            session.core = None
            session.make_window()
            window = session.window
            started = time.perf_counter()
            if not window.open_project(path):
                raise RuntimeError(f"the window could not open {path}")
            session.core = window.project
            session.settle()
            out["first open (quick check; full check in the background)"] = time.perf_counter() - started
            session.prepare_coding()
            started = time.perf_counter()
            session.apply_coding()
            out["apply a coding at once (waits for the full check)"] = time.perf_counter() - started
            started = time.perf_counter()
            session.undo_coding()
            out["undo it"] = time.perf_counter() - started
            started = time.perf_counter()
            window.close_project()
            session.core = None
            out["close"] = time.perf_counter() - started
            started = time.perf_counter()
            if not window.open_project(path):
                raise RuntimeError(f"the window could not reopen {path}")
            session.core = window.project
            session.settle()
            out["reopen (sealed: check in the background)"] = time.perf_counter() - started
            started = time.perf_counter()
            while getattr(session.core, "check_deferred", False) and not session.core.read_only:
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 100)
            out["background integrity check, after reopening"] = time.perf_counter() - started
            while window.text_check.last_result is None:
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 100)
            out["background text check, after reopening"] = time.perf_counter() - started
            applied, undone = [], []
            for _ in range(rounds):
                session.prepare_coding()
                started = time.perf_counter()
                session.apply_coding()
                applied.append(time.perf_counter() - started)
                started = time.perf_counter()
                session.undo_coding()
                undone.append(time.perf_counter() - started)
            out["apply one coding, shown (median)"] = statistics.median(applied)
            out["undo it, shown (median)"] = statistics.median(undone)
            session.close()
            started = time.perf_counter()
            with Project.open(path) as project:  # what qcdesk-cli does
                project.documents()
            out["command line open (full check first)"] = time.perf_counter() - started
    finally:
        TeamFeature._ask_coder = saved_ask
        shutil.rmtree(work, ignore_errors=True)
    if seen:
        raise RuntimeError(f"the window said something: {seen}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    print(_load())
    figures = measure(args.project, args.rounds)
    targets = {"first open (quick check; full check in the background)": TARGET_OPEN,
               "reopen (sealed: check in the background)": TARGET_OPEN,
               "apply one coding, shown (median)": TARGET_CODING, "undo it, shown (median)": TARGET_CODING}
    for name, seconds in figures.items():
        target = targets.get(name)
        verdict = "" if target is None else f"  target {target * 1000:.0f} ms: {'PASS' if seconds <= target else 'MISS'}"
        print(f"{name:54} {seconds * 1000:9.0f} ms{verdict}")
    print(_load())
    return 0


if __name__ == "__main__":
    sys.exit(main())
