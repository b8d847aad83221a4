#!/usr/bin/env python3
"""Start-to-window time of the installed app (target: under 1 s for the one-folder bundle).

    .venv/bin/python benchmarks/startup.py [--runs 9] [--bundle dist/qcdesk/qcdesk]

Starts the app with ``--smoke-test`` on a project holding the demo transcripts, offscreen, each run
in its own process and a fresh home folder, and times from launching the process to the line the
app prints once its window is up with the project open (the app's own figure, from its process
start, is shown too). Runs the PyInstaller bundle (build it with ``bash packaging/build_linux.sh``)
and, for comparison, ``python -m qcdesk`` from this virtual environment. Prints median/min/max; the
first run of each is reported apart, as it may read files from disk rather than the cache.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qcdesk.core.importing import import_files  # noqa: E402
from qcdesk.core.project import Project  # noqa: E402

SMOKE_LINE = re.compile(r"^qcdesk-smoke: opened (.+) in (\d+\.\d+) s$")
TARGET_S = 1.0


def make_project(folder: Path) -> Path:
    path = folder / "startup-benchmark.qcdesk"
    with Project.create(path) as project:
        report = import_files(project, sorted((ROOT / "resources" / "demo").glob("*.txt")))
    if report.failed:
        raise SystemExit(f"could not import the demo transcripts: {report.failed}")
    return path


def one_run(command: list[str], project: Path, home: Path) -> tuple[float, float, float, str]:
    """(seconds to the window line, seconds to process exit, the app's own figure, what it opened)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local" / "share"))
    started = time.perf_counter()
    proc = subprocess.Popen([*command, "--smoke-test", str(project)], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True, env=env, cwd=home)
    window = None
    own, what = float("nan"), ""
    for line in proc.stdout:
        match = SMOKE_LINE.match(line.strip())
        if match:
            window = time.perf_counter() - started
            what, own = match.group(1), float(match.group(2))
    code = proc.wait(timeout=120)
    ended = time.perf_counter() - started
    if code != 0 or window is None:
        raise SystemExit(f"{' '.join(command)} --smoke-test failed (exit {code})")
    return window, ended, own, what


def measure(label: str, command: list[str], project: Path, runs: int) -> float:
    results = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            results.append(one_run(command, project, Path(home)))
    first, rest = results[0], results[1:] or results
    windows = [r[0] for r in rest]
    exits = [r[1] for r in rest]
    own = [r[2] for r in rest]
    print(f"\n{label}: {' '.join(command)}  ({runs} runs; opened {first[3]})")
    print(f"  first run           window {first[0]:.3f} s")
    for name, values in (("start to window", windows), ("start to exit", exits),
                         ("app's own figure", own)):
        print(f"  {name:<19} median {statistics.median(values):.3f} s   min {min(values):.3f} s   "
              f"max {max(values):.3f} s")
    return statistics.median(windows)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "qcdesk" / "qcdesk")
    parser.add_argument("--no-venv", action="store_true", help="time the bundle only")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        project = make_project(Path(folder))
        verdict = None
        if args.bundle.exists():
            median = measure("one-folder bundle", [str(args.bundle)], project, args.runs)
            verdict = f"bundle median start-to-window {median:.3f} s: " + (
                f"within the {TARGET_S:.0f} s target" if median < TARGET_S else f"OVER the {TARGET_S:.0f} s target")
        else:
            print(f"no bundle at {args.bundle}: build it with `bash packaging/build_linux.sh`")
        if not args.no_venv:
            measure("virtual environment", [sys.executable, "-m", "qcdesk"], project, args.runs)
        if verdict:
            print(f"\n{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
