"""The import benchmark keeps working: two small Word transcripts through the lower bound, the core
and the window (no timing asserted; figures are for ``benchmarks/import_bench.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

import docx_files  # noqa: E402
import import_bench  # noqa: E402

from qcdesk.core.importers import parse_file  # noqa: E402

pytestmark = pytest.mark.gui


def test_generated_transcripts_are_read_as_turns(tmp_path):
    paths = docx_files.write_files(tmp_path, count=2, chars=3_000)
    doc = parse_file(paths[1])
    assert 2_500 < len(doc.text) < 4_000
    assert {t.speaker for t in doc.turns} == {"Interviewer", "P2"}
    assert doc.blocks[0].kind == "heading" and doc.blocks[1].kind == "table_row"
    assert docx_files.write_docx(tmp_path / "again.docx", 3_000, seed=1).read_bytes() != b""
    assert parse_file(tmp_path / "again.docx").text == doc.text  # deterministic for a seed


def test_every_row_is_measured(qtbot, tmp_path):
    result = import_bench.run_all(2, 3_000, folder=tmp_path / "files")
    for key in ("baseline", "core", "window"):
        assert result[f"{key}_s"] > 0 and result[f"{key}_cpu_s"] >= 0
    assert result["core_detail"].startswith("2 documents")
    assert result["window_detail"].startswith("2 documents")
    text = import_bench.table(result)
    assert "qcdesk, window" in text and "load average" in text
