"""The command line: scripted access to the core, one clear line on errors."""

from __future__ import annotations

import json
import sqlite3

import pytest

from qcdesk import __version__
from qcdesk.cli import main
from qcdesk.core.project import Project

pytestmark = pytest.mark.core

TRANSCRIPT = "Interviewer: How did you find a mentor?\n\nP03 (mentee): By accident, with Dr Núñez 🙂\n"


@pytest.fixture
def transcript(tmp_path):
    path = tmp_path / "P03 mentee.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    return path


def assert_one_clear_line(err: str, *fragments: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("qcdesk: ")
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0]


def test_new_creates_a_project(tmp_path, capsys):
    path = tmp_path / "study.qcdesk"
    assert main(["new", str(path)]) == 0
    assert "created" in capsys.readouterr().out
    with Project.open(path) as project:
        assert project.documents() == [] and project.codes() == []


def test_import_then_stats_json(tmp_path, transcript, capsys):
    path = tmp_path / "study.qcdesk"
    assert main(["new", str(path)]) == 0
    capsys.readouterr()
    assert main(["import", str(path), str(transcript), "--coder", "Ana"]) == 0
    out = capsys.readouterr().out
    assert "imported P03 mentee" in out
    with Project.open(path) as project:
        (doc,) = project.documents()
        assert doc.name == "P03 mentee" and doc.source_name == "P03 mentee.txt"
        text = project.document_text(doc.id)
        assert "Dr Núñez 🙂" in text and "By accident" in text
        assert [c.name for c in project.coders()] == ["Ana"]
    assert main(["stats", str(path), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["documents"] == 1 and stats["codes"] == 0 and stats["codings"] == 0
    assert stats["characters"] == len(text)


def test_stats_plain_text(tmp_path, capsys):
    path = tmp_path / "study.qcdesk"
    main(["new", str(path)])
    capsys.readouterr()
    assert main(["stats", str(path)]) == 0
    out = capsys.readouterr().out
    assert "documents: 0" in out and "codings: 0" in out


def test_import_duplicate_is_skipped_unless_allowed(tmp_path, transcript, capsys):
    path = tmp_path / "study.qcdesk"
    assert main(["import", str(path), str(transcript), "--create"]) == 0
    assert main(["import", str(path), str(transcript)]) == 0
    assert "skipped P03 mentee.txt" in capsys.readouterr().err
    assert main(["import", str(path), str(transcript), "--allow-duplicates"]) == 0
    with Project.open(path) as project:
        assert len(project.documents()) == 2


def test_import_of_a_missing_file_reports_and_keeps_the_rest(tmp_path, transcript, capsys):
    path = tmp_path / "study.qcdesk"
    main(["new", str(path)])
    capsys.readouterr()
    code = main(["import", str(path), str(tmp_path / "gone.txt"), str(transcript)])
    captured = capsys.readouterr()
    assert code == 1
    assert "error: gone.txt" in captured.err and "Traceback" not in captured.err
    assert "imported P03 mentee" in captured.out
    with Project.open(path) as project:
        assert [d.name for d in project.documents()] == ["P03 mentee"]


@pytest.mark.parametrize("command", [["stats"], ["import"]])
def test_non_project_file_exits_1_with_one_line(tmp_path, transcript, capsys, command):
    bogus = tmp_path / "notes.qcdesk"
    bogus.write_text("these are my notes, not a project\n" * 10, encoding="utf-8")
    before = bogus.read_bytes()
    argv = [*command, str(bogus)] + ([str(transcript)] if command == ["import"] else [])
    assert main(argv) == 1
    assert_one_clear_line(capsys.readouterr().err, "notes.qcdesk", "not a qcdesk project")
    assert bogus.read_bytes() == before


def test_other_apps_database_exits_1_unchanged(tmp_path, capsys):
    other = tmp_path / "library.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE refs (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    assert main(["stats", str(other)]) == 1
    assert_one_clear_line(capsys.readouterr().err, "not a qcdesk project")
    assert other.read_bytes() == before


def test_too_new_project_exits_1(tmp_path, capsys):
    path = tmp_path / "future.qcdesk"
    Project.create(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.commit()
    conn.close()
    assert main(["stats", str(path)]) == 1
    assert_one_clear_line(capsys.readouterr().err, "newer version")


def test_missing_project_exits_1(tmp_path, transcript, capsys):
    path = tmp_path / "absent.qcdesk"
    assert main(["stats", str(path)]) == 1
    assert_one_clear_line(capsys.readouterr().err, "does not exist")
    assert main(["import", str(path), str(transcript)]) == 1
    assert_one_clear_line(capsys.readouterr().err, "does not exist")
    assert not path.exists()


def test_new_over_an_existing_file_exits_1(tmp_path, capsys):
    path = tmp_path / "study.qcdesk"
    path.write_text("precious", encoding="utf-8")
    assert main(["new", str(path)]) == 1
    assert_one_clear_line(capsys.readouterr().err, "already exists")
    assert path.read_text(encoding="utf-8") == "precious"


def test_new_in_a_missing_folder_exits_1(tmp_path, capsys):
    path = tmp_path / "no such folder" / "study.qcdesk"
    assert main(["new", str(path)]) == 1
    assert_one_clear_line(capsys.readouterr().err, "study.qcdesk")


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"qcdesk {__version__}"


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["stats"])
    assert info.value.code == 2
    assert "usage" in capsys.readouterr().err


def test_help_lists_every_subcommand_readably(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "option_strings" not in out          # a stray % in a help text garbles it
    for name in ("import", "export", "retrieve", "matrix", "merge", "agreement", "search", "encrypt", "audit"):
        assert f"    {name} " in out
