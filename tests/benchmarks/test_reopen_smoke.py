"""benchmarks/reopen.py at a tiny scale, so it cannot rot (speed targets live in the script only)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
import reopen  # noqa: E402

pytestmark = pytest.mark.gui


def test_reopen_measures_the_sealed_reopening_and_a_coding(qapp, tmp_path: Path, capsys):
    project = tmp_path / "tiny.qcdesk"
    generate.generate(project, generate.Scale(documents=3, words=1_200, long_words=3_000, codes=20, codings=100,
                                              memos=7, cases=2, seed=3))
    before = project.read_bytes()
    assert reopen.main([str(project), "--rounds", "1"]) == 0
    printed = capsys.readouterr().out
    for name in ("first open (quick check; full check in the background)",
                 "apply a coding at once (waits for the full check)", "command line open (full check first)",
                 "reopen (sealed: check in the background)",
                 "background integrity check, after reopening", "apply one coding, shown (median)",
                 "undo it, shown (median)"):
        assert name in printed
    assert project.read_bytes() == before  # measured on a copy
