"""qcdesk attributes import|export|summary and qcdesk saturation, run as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcdesk.cli import main
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block
from builders import empty_project

pytestmark = pytest.mark.core


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "s.qcdesk"
    with empty_project(path) as p:
        code = p.codebook.add("Mentor").value
        for name in ("A", "B"):
            doc = p.documents.add(name, ParsedDocument("words here", "txt", [Block("paragraph", 0, 10)]))
        p.codings.apply(doc.id, code.id, 0, 5)
    return path


def test_attributes_round_trip_and_summary(project, tmp_path, capsys):
    table = tmp_path / "t.csv"
    table.write_text("Case,Gender,Age\nP1,woman,30\nP2,man,40\nP3,woman,\n", encoding="utf-8")
    assert main(["attributes", "import", str(project), str(table)]) == 0
    out = capsys.readouterr().out
    assert "3 case(s) created: P1, P2, P3." in out and "Gender (choice), Age (number)" in out
    table.write_text("Case,Age\nP3,x\n", encoding="utf-8")
    assert main(["attributes", "import", str(project), str(table), "--no-create-cases"]) == 0
    assert "row 2, Age: “x” is not a number." in capsys.readouterr().out
    assert main(["attributes", "summary", str(project)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Gender: 2 woman, 1 man", "Age: 30–40, mean 35.0, median 35 (1 not recorded)"]
    out_file = tmp_path / "out.csv"
    assert main(["attributes", "export", str(project), str(out_file)]) == 0
    assert out_file.read_text(encoding="utf-8-sig").splitlines() == [
        "Case,Gender,Age", "P1,woman,30", "P2,man,40", "P3,woman,"]


def test_saturation_and_errors(project, capsys):
    assert main(["saturation", str(project)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "document\tnew\tcumulative\tnew codes", "A\tnot coded\t0\t", "B\t1\t1\tMentor"]
    assert main(["saturation", str(project), "--coder", "Nobody"]) == 1
    assert "No coder called “Nobody”" in capsys.readouterr().err
