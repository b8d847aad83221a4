"""`qcdesk-cli exchange export|import`: the report on stdout, one-line errors, nothing half-done."""

from __future__ import annotations

import zipfile

import pytest

from qcdesk.cli import main
from qcdesk.core.project import Project

pytestmark = pytest.mark.core


def test_export_then_import_into_a_new_project(rich_project, tmp_path, capsys):
    src = rich_project.path
    rich_project.close()
    out = tmp_path / "study.qdpx"
    assert main(["exchange", "export", str(src), str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"exported to {out}" in printed
    assert "Wrote 2 documents, 5 codes, 5 codings, 4 memos, 2 cases, 3 attributes, 2 coders." in printed
    assert "project.qde" in zipfile.ZipFile(out).namelist()

    target = tmp_path / "copy.qcdesk"
    assert main(["exchange", "import", str(target), str(out), "--create"]) == 0
    printed = capsys.readouterr().out
    assert "Added 2 documents, 5 codes, 5 codings, 4 memos, 2 cases, 3 attributes, 2 coders." in printed
    with Project.open(target) as p:
        assert p.stats()["codings"] == 5


def test_codebook_export_and_outline_import(rich_project, tmp_path, capsys):
    src = rich_project.path
    rich_project.close()
    assert main(["exchange", "export", str(src), str(tmp_path / "codes.qdc")]) == 0
    outline = tmp_path / "template.txt"
    outline.write_text("Support\n  Peers\n  Mentoring\nBurnout\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["exchange", "import", str(src), str(outline)]) == 0
    printed = capsys.readouterr().out
    assert "Added 2 codes." in printed and "Already in the project (matched): 2 codes." in printed


def test_nvivo_import_prints_the_scheme(nvivo, tmp_path, capsys):
    target = tmp_path / "nvivo.qcdesk"
    assert main(["exchange", "import", str(target), str(nvivo), "--create"]) == 0
    printed = capsys.readouterr().out
    assert "Added 2 documents, 152 codes, 303 codings, 2 coders." in printed
    assert "UTF-16 code units over Windows (CRLF) line ends" in printed


def test_failed_import_is_one_line_and_leaves_no_new_project(tmp_path, capsys):
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(b"not a zip")
    target = tmp_path / "new.qcdesk"
    assert main(["exchange", "import", str(target), str(bad), "--create"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("qcdesk: Could not import") and "not a zip archive" in err
    assert "\n" not in err and "Traceback" not in err
    assert not target.exists()


def test_unknown_suffix_is_refused(rich_project, tmp_path, capsys):
    src = rich_project.path
    rich_project.close()
    assert main(["exchange", "export", str(src), str(tmp_path / "x.pdf")]) == 1
    assert ".qdpx" in capsys.readouterr().err
