"""qcdesk-cli speakers and pseudonymise, run as a researcher runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcdesk.cli import main
from qcdesk.core.importers.text import read_txt
from qcdesk.core.project import Project
from qcdesk.core.pseudonyms import entries, read_key
from builders import empty_project

pytestmark = pytest.mark.core

TEXT = "S01: I grew up in Dundee with Moira.\n\nInterviewer: And now?\n\nS01: Moira still lives in Dundee.\n"


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "cli.qcdesk"
    with empty_project(path) as project:
        project.documents.add("Interview 1", read_txt(Path("i1.txt"), TEXT.encode("utf-8")))
    return path


def test_speakers_lists_and_renames(project_path, capsys):
    assert main(["speakers", str(project_path)]) == 0
    assert capsys.readouterr().out.splitlines() == ["speaker\tturns\tdocuments", "Interviewer\t1\t1", "S01\t2\t1"]
    assert main(["speakers", str(project_path), "--rename", "S01", "Participant 4"]) == 0
    out = capsys.readouterr().out
    assert "renamed “S01” to “Participant 4” in 2 turns" in out and "Participant 4\t2\t1" in out
    with Project.open(project_path) as project:
        assert project.document_text(project.documents()[0].id).startswith("Participant 4: I grew up")


def test_speakers_rename_of_an_unknown_speaker_fails_clearly(project_path, capsys):
    assert main(["speakers", str(project_path), "--rename", "Nobody", "X"]) == 1
    assert "No turns of “Nobody”" in capsys.readouterr().err


def test_pseudonymise_from_a_map_exports_the_key_first_and_removes_it(project_path, tmp_path, capsys, monkeypatch):
    mapping = tmp_path / "map.csv"
    mapping.write_text("original,pseudonym,note\nDundee,[Town 1],home town\nMoira,[Friend 1],\n", encoding="utf-8")
    key = tmp_path / "key.qckey"
    monkeypatch.setenv("QCDESK_KEY_PASSPHRASE", "long enough phrase")
    assert main(["pseudonymise", str(project_path), "--map", str(mapping), "--export-key", str(key),
                 "--remove-key"]) == 0
    out = capsys.readouterr().out
    assert "4 replacements in 1 document(s)." in out and "  Dundee: 2 in 1 document(s)" in out
    with Project.open(project_path) as project:
        text = project.document_text(project.documents()[0].id)
        assert "Dundee" not in text and text.count("[Friend 1]") == 2
        assert entries(project) == []
    assert ("Dundee", "[Town 1]", "home town") in read_key(key, "long enough phrase")


def test_pseudonymise_refuses_a_bad_map_without_changing_anything(project_path, tmp_path, capsys):
    mapping = tmp_path / "map.csv"
    mapping.write_text("Dundee\n", encoding="utf-8")
    assert main(["pseudonymise", str(project_path), "--map", str(mapping)]) == 1
    assert "row 1: expected original,pseudonym" in capsys.readouterr().err
    with Project.open(project_path) as project:
        assert "Dundee" in project.document_text(project.documents()[0].id)
