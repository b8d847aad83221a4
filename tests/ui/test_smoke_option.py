"""``qcdesk --smoke-test``: the check installers run on the installed app, here from the checkout.

Each case starts ``python -m qcdesk`` in its own process (offscreen, with a private home folder), as
a double-click would start the app, and reads the one line it prints.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from qcdesk.core.importing import import_files
from builders import empty_project

ROOT = Path(__file__).resolve().parents[2]
SMOKE_LINE = re.compile(r"^qcdesk-smoke: opened (.+) in (\d+\.\d{3}) s$", re.M)


def run_app(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    home = tmp_path / "home"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(home),
               XDG_CONFIG_HOME=str(home / ".config"), XDG_DATA_HOME=str(home / ".local/share"))
    return subprocess.run([sys.executable, "-m", "qcdesk", "--smoke-test", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_smoke_test_opens_the_project_reports_and_quits(tmp_path):
    path = tmp_path / "Mentoring study.qcdesk"
    (tmp_path / "P01.txt").write_text("Interviewer: How did it start?\nP01: With a phone call.\n")
    (tmp_path / "P02.txt").write_text("Interviewer: And then?\nP02: Weekly meetings.\n")
    with empty_project(path) as project:
        report = import_files(project, [tmp_path / "P01.txt", tmp_path / "P02.txt"])
    assert len(report.imported) == 2
    result = run_app(tmp_path, str(path))
    assert result.returncode == 0, result.stderr
    match = SMOKE_LINE.search(result.stdout)
    assert match, result.stdout
    assert match.group(1) == "Mentoring study.qcdesk with 2 documents"
    assert 0 < float(match.group(2)) < 60
    # it closed the project cleanly: SQLite removes the write-ahead log on the last clean close
    assert not Path(str(path) + "-wal").exists()


def test_smoke_test_without_a_project_opens_the_window(tmp_path):
    result = run_app(tmp_path)
    assert result.returncode == 0, result.stderr
    assert SMOKE_LINE.search(result.stdout).group(1) == "the window without a project"


def test_smoke_test_reports_a_project_that_cannot_open_and_fails(tmp_path):
    bad = tmp_path / "notes.qcdesk"
    bad.write_bytes(b"these are plain notes, not a project database " * 100)
    result = run_app(tmp_path, str(bad))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("qcdesk-smoke: message: ") and "notes.qcdesk" in lines[0]
    assert lines[-1] == "qcdesk-smoke: failed: the project did not open"
    assert bad.read_bytes() == b"these are plain notes, not a project database " * 100


def test_help_documents_the_smoke_test_option(tmp_path):
    result = subprocess.run([sys.executable, "-m", "qcdesk", "--help"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    if "--smoke-test" not in result.stdout:
        pytest.fail(result.stdout)
