"""After pseudonymising, no original name is left anywhere in the project's bytes, in any letter
case: not in the transcripts, free pages, the full-text index or the write-ahead log; the places
that still hold one (names of documents and source files, memos, cases, attribute values, the
audit trail) are listed whatever their case; backups made before are reported and removable."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcdesk.cli import main
from qcdesk.core import backups, earlier_copies
from qcdesk.core.importers.text import read_txt
from qcdesk.core.project import Project
from qcdesk.core.pseudonyms import add_entry, apply_pseudonyms, remove_key
from builders import empty_project

pytestmark = pytest.mark.core

ORIGINALS = ["Heather Gallagher", "Heather", "Kilmarnock", "Ólafsdóttir"]


def case_variants(word: str) -> list[str]:
    return [word, word.lower(), word.upper(), word.title()]


def add(project, name: str, content: str):
    return project.documents.add(name, read_txt(Path(name + ".txt"), content.encode("utf-8")))


def raw_hits(paths: list[Path], names: list[str]) -> list[str]:
    """(file, name) wherever a name appears in the raw bytes, in any letter case."""
    hits = []
    for path in paths:
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for f in files:
            if f.is_file():
                data = f.read_bytes().decode("utf-8", "replace").casefold()
                hits += [f"{f.name}: {n}" for n in names if n.casefold() in data]
    return hits


def project_files(path: Path) -> list[Path]:
    return [path, Path(str(path) + "-wal")]


TEXT = ("Heather Gallagher: I moved to KILMARNOCK when I was six. heather was my gran's name too.\n\n"
        "Interviewer: And your surname?\n\n"
        "HEATHER GALLAGHER: Ólafsdóttir on my mother's side; ólafsdóttir in lower case on the form. "
        "Kilmarnock's schools were good.\n")


@pytest.fixture
def path(tmp_path) -> Path:
    folder = tmp_path / "study"
    folder.mkdir()
    return folder / "pseudo.qcdesk"


def fill(project):
    add_entry(project, "Heather Gallagher", "[Participant A]")
    add_entry(project, "Heather", "Jane")
    add_entry(project, "Kilmarnock", "[Town 1]")
    add_entry(project, "Ólafsdóttir", "[Surname]")


def test_matching_ignores_case_and_keeps_a_sensible_case(path):
    with empty_project(path) as project:
        doc = add(project, "Interview 1", TEXT)
        fill(project)
        report = apply_pseudonyms(project)
        text = project.document_text(doc.id)
    assert text == ("[Participant A]: I moved to [TOWN 1] when I was six. Jane was my gran's name too.\n\n"
                    "Interviewer: And your surname?\n\n"
                    "[PARTICIPANT A]: [Surname] on my mother's side; [Surname] in lower case on the form. "
                    "[Town 1]'s schools were good.")
    assert report.replaced["Heather"] == 1 and report.replaced["Kilmarnock"] == 2
    assert report.replaced["Heather Gallagher"] == 2 and report.replaced["Ólafsdóttir"] == 2


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(ORIGINALS), st.lists(st.booleans(), min_size=20, max_size=20)),
                min_size=1, max_size=12),
       st.text(alphabet="abc ,.\n", max_size=40))
def test_no_original_survives_in_the_file_in_any_case(tmp_path_factory, mentions, filler):
    """Names written in random letter cases, between random other text."""
    path = tmp_path_factory.mktemp("p") / "p.qcdesk"
    words = ["".join(c.upper() if up else c.lower() for c, up in zip(name, flips)) for name, flips in mentions]
    with empty_project(path) as project:
        project.db.execute("PRAGMA secure_delete = OFF")  # as some SQLite builds are
        add(project, "Interview", "P1: " + (" " + filler + " ").join(words) + " .\n")
        fill(project)
        apply_pseudonyms(project)
        remove_key(project)
        assert raw_hits(project_files(path), ORIGINALS) == []
    assert raw_hits(project_files(path), ORIGINALS) == []


def test_free_pages_log_and_index_hold_no_original_and_the_file_is_compacted(path):
    with empty_project(path) as project:
        project.db.execute("PRAGMA secure_delete = OFF")
        long = "\n\n".join(f"P2: Week {i}: heather gallagher and HEATHER went to kilmarnock." for i in range(400))
        add(project, "Interview 1", TEXT)
        add(project, "Interview 2 (long)", long)
        fill(project)
        project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert raw_hits(project_files(path), ["kilmarnock"]) == ["pseudo.qcdesk: kilmarnock"]
        report = apply_pseudonyms(project)
        assert report.log_emptied and report.vacuumed
        assert project.db.execute("PRAGMA freelist_count").fetchone()[0] == 0
        remove_key(project)
        assert raw_hits(project_files(path), ORIGINALS) == []


def test_text_deleted_before_pseudonymising_leaves_no_trace_in_free_pages(path, monkeypatch):
    """A transcript deleted earlier (without secure delete) left its words in free pages, which
    the pseudonymising writes never touch: vacuuming rebuilds the file without them."""
    with empty_project(path) as project:
        project.db.execute("PRAGMA secure_delete = OFF")
        first = add(project, "Draft", "\n\n".join(f"P1: Week {i}: Heather Gallagher from Kilmarnock." for i in range(300)))
        add(project, "Interview 1", TEXT)
        project.documents.delete(first.id)
        project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert raw_hits(project_files(path), ["Heather Gallagher"])  # still in the freed pages
        fill(project)
        report = apply_pseudonyms(project)
        remove_key(project)
        assert report.vacuumed
        assert raw_hits(project_files(path), ORIGINALS) == []


def test_leftover_check_ignores_case_and_covers_every_place(path):
    with empty_project(path) as project:
        doc = add(project, "Interview 1", TEXT)
        project.db.execute("UPDATE documents SET source_name = 'heather-gallagher.docx' WHERE id = ?", [doc.id])
        project.documents.rename(doc.id, "Interview with HEATHER")
        case = project.cases.add("kilmarnock group").value
        attr = project.attributes.define("Home", "text")
        project.attributes.set_value(case.id, attr.id, "KILMARNOCK")
        code = project.codebook.add("Growing up in Kilmarnock").value
        with project.action():
            project.db.execute("INSERT INTO memos (title, body, code_id, created, modified) "
                               "VALUES ('Note', 'ask ólafsdóttir again', ?, '2025', '2025')", [code.id])
        fill(project)
        report = apply_pseudonyms(project)
    kinds = {line.split(" “")[0] for line in report.remaining}
    assert {"document name", "source file name", "code", "memo", "case", "attribute value",
            "audit trail entry"} <= kinds, report.remaining
    assert any("Interview with HEATHER" in line and "(Heather)" in line for line in report.remaining)
    assert any("ask ólafsdóttir again" in line for line in report.remaining)


def test_backups_made_before_are_reported_and_can_be_removed(path):
    with empty_project(path) as project:
        add(project, "Interview 1", TEXT)
        made = [backups.make_backup(project), backups.make_backup(project)]
        fill(project)
        report = apply_pseudonyms(project)
        assert sorted(report.earlier_copies) == sorted(made)
        assert any("2 earlier copies" in line and "still hold the original names" in line
                   for line in report.lines())
        removed = earlier_copies.remove_copies(report.earlier_copies)
        assert sorted(removed.removed) == sorted(made)
        remove_key(project)
        after = backups.make_backup(project)  # a backup of the pseudonymised project is clean
        assert raw_hits([*project_files(path), backups.backup_folder(path)], ORIGINALS) == []
        assert after.exists()


def test_cli_pseudonymise_reports_backups_and_removes_them_with_a_flag(path, tmp_path, capsys):
    with empty_project(path) as project:
        add(project, "Interview 1", TEXT)
        backups.make_backup(project)
    mapping = tmp_path / "map.csv"
    mapping.write_text("Heather Gallagher,[Participant A]\nHeather,Jane\nKilmarnock,[Town 1]\nÓlafsdóttir,[Surname]\n",
                       encoding="utf-8")
    assert main(["pseudonymise", str(path), "--map", str(mapping), "--remove-key"]) == 0
    out = capsys.readouterr()
    assert "1 earlier copy" in out.out + out.err and "--remove-backups" in out.out + out.err
    assert len(earlier_copies.find(path)) == 1

    assert main(["pseudonymise", str(path), "--map", str(mapping), "--remove-key", "--remove-backups"]) == 0
    out = capsys.readouterr().out
    assert "1 earlier copy of the project (backups made before) was removed" in out
    assert raw_hits([path.parent], ORIGINALS) == []


def test_cli_match_case_keeps_other_cases(path, tmp_path, capsys):
    with empty_project(path) as project:
        doc = add(project, "Interview 1", TEXT)
    mapping = tmp_path / "map.csv"
    mapping.write_text("Kilmarnock,[Town 1]\n", encoding="utf-8")
    assert main(["pseudonymise", str(path), "--map", str(mapping), "--match-case"]) == 0
    with Project.open(path) as project:
        text = project.document_text(doc.id)
    assert "KILMARNOCK" in text and "[Town 1]'s schools" in text
