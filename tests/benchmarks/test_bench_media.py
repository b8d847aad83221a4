"""benchmarks/media.py keeps working: a few seconds of recording, every step measured once
(no timing is asserted; the figures are for the full run)."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

import media  # noqa: E402


def test_every_media_step_yields_a_figure(tmp_path, capsys):
    figures = media.run(3, 8000, 1, encrypted=False, folder=tmp_path, seeks=20)
    assert [f.step for f in figures] == ["attach, stored inside (incl. close)", "attach, linked (hash only)",
                                         "random seeks (embedded)", "read through once (embedded)"]
    assert all(f.seconds is not None and not f.skipped for f in figures)
    assert "project size with the recording inside" in capsys.readouterr().out
