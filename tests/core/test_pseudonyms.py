"""Pseudonymisation: the key, suggestions, applying it everywhere, and leaving no trace of the originals."""

from __future__ import annotations

from pathlib import Path

import pytest

from builders import empty_project

from qcdesk.core.errors import OperationError
from qcdesk.core.importers.text import read_txt
from qcdesk.core.pseudonyms import (add_entry, apply_pseudonyms, delete_entry, entries, export_key, import_key,
                                    read_key, remove_key, suggest_candidates, update_entry)

pytestmark = pytest.mark.core

ONE = """Dr Anna Smith: I trained at St Jude's in Leeds 😀 for two years.

Interviewer: Who supported you?

Dr Anna Smith: Mostly Dr Patel. Annabel was new, and Anna from pharmacy helped. I never went back to leeds.
"""
TWO = """Interviewer: Tell me about Leeds.

P2: Dr Patel ran the ward in Leeds. Tomasz Nowak was my mentor; Tomasz was kind.
"""
NAMES = ["Dr Anna Smith", "Dr Patel", "Tomasz Nowak", "Tomasz", "Leeds", "Anna", "St Jude's"]


def add(project, name: str, content: str):
    return project.documents.add(name, read_txt(Path(name + ".txt"), content.encode("utf-8")))


@pytest.fixture
def path(tmp_path) -> Path:
    return tmp_path / "pseudo.qcdesk"


@pytest.fixture
def project(path):
    p = empty_project(path)
    yield p
    p.close()


@pytest.fixture
def docs(project):
    return add(project, "Interview 1", ONE), add(project, "Interview 2", TWO)


def fill_key(project):
    for original, pseudonym in [("Dr Anna Smith", "[Participant A]"), ("Anna", "[Colleague 1]"),
                                ("Dr Patel", "[Supervisor 1]"), ("Tomasz Nowak", "[Mentor 1]"),
                                ("Tomasz", "[Mentor 1]"), ("Leeds", "[City 1]"), ("St Jude's", "[Hospital 1]")]:
        add_entry(project, original, pseudonym, note="checked")


def test_key_entries_are_added_updated_and_deleted(project):
    e = add_entry(project, "  Dr   Smith ", "[Supervisor 1]", "the PI")
    assert (e.original, e.pseudonym, e.note) == ("Dr Smith", "[Supervisor 1]", "the PI")
    with pytest.raises(OperationError, match="already in the key"):
        add_entry(project, "Dr Smith", "[X]")
    with pytest.raises(OperationError, match="needs the original"):
        add_entry(project, " ", "[X]")
    other = add_entry(project, "Leeds", "")
    with pytest.raises(OperationError, match="already in the key"):
        update_entry(project, other.id, original="Dr Smith")
    update_entry(project, other.id, pseudonym="[City 1]")
    assert [(x.original, x.pseudonym) for x in entries(project)] == [("Dr Smith", "[Supervisor 1]"),
                                                                     ("Leeds", "[City 1]")]
    delete_entry(project, e.id)
    assert [x.original for x in entries(project)] == ["Leeds"]


def test_suggestions_find_names_places_titles_and_speakers_with_counts(project, docs):
    add_entry(project, "Leeds", "[City 1]")
    found = {c.text: c for c in suggest_candidates(project)}
    assert found["Dr Anna Smith"].kind == "speaker" and found["Dr Anna Smith"].count == 2
    assert found["Dr Patel"].kind == "title"
    assert (found["Dr Patel"].count, found["Dr Patel"].documents) == (2, 2)
    assert found["Tomasz Nowak"].count == 1 and found["Tomasz"].count == 1
    assert found["Anna"].count == 1  # "Annabel" is another word
    assert "St Jude's" in found
    assert "Annabel" not in found  # a lone capitalised word opening a sentence is not evidence
    for common in ("Leeds", "Interviewer", "I", "Mostly", "Who", "Tell", "P2"):
        assert common not in found


def test_apply_replaces_whole_words_longest_first_keeps_codings_and_renames_speakers(project, docs):
    one, two = docs
    code = project.codebook.add("Support").value
    text = project.document_text(one.id)
    support = project.codings.apply(one.id, code.id, text.index("Mostly"), text.index("helped.") + 7).value
    mentor = project.codings.apply(two.id, code.id, project.document_text(two.id).index("Tomasz Nowak"),
                                project.document_text(two.id).index("kind.") + 5).value
    project.db.execute("INSERT INTO cases (id, name) VALUES (1, 'A')")
    project.db.execute("INSERT INTO case_speakers VALUES (1, ?, 'Dr Anna Smith')", [one.id])
    fill_key(project)
    add_entry(project, "Nobody", "")

    report = apply_pseudonyms(project)

    new = project.document_text(one.id)
    assert new == ("[Participant A]: I trained at [Hospital 1] in [City 1] 😀 for two years.\n\n"
                   "Interviewer: Who supported you?\n\n"
                   "[Participant A]: Mostly [Supervisor 1]. Annabel was new, and [Colleague 1] from pharmacy "
                   "helped. I never went back to [City 1].")  # any case: "leeds" too
    c = project.coding(support.id)
    assert new[c.start:c.end] == ("Mostly [Supervisor 1]. Annabel was new, and [Colleague 1] from "
                                  "pharmacy helped.")
    c = project.coding(mentor.id)
    assert project.document_text(two.id)[c.start:c.end] == "[Mentor 1] was my mentor; [Mentor 1] was kind."
    assert [t.speaker for t in project.speaker_turns(one.id)] == ["[Participant A]", "Interviewer", "[Participant A]"]
    assert project.db.execute("SELECT speaker FROM case_speakers").fetchall() == [("[Participant A]",)]
    assert all(r[0] for r in project.db.execute("SELECT pseudonymised_at FROM documents"))
    assert report.replaced["Leeds"] == 4 and report.documents["Leeds"] == 2
    assert report.replaced["Dr Patel"] == 2 and report.replaced["Tomasz"] == 1
    assert report.documents_changed == 2 and report.skipped == ["Nobody"]
    assert report.speaker_labels == {"Dr Anna Smith": "[Participant A]"}
    assert "  Leeds: 4 in 2 document(s)" in report.text().splitlines()


def test_case_insensitive_apply(project, docs):
    add_entry(project, "Leeds", "[City 1]")
    apply_pseudonyms(project, [docs[0].id])
    assert "leeds" not in project.document_text(docs[0].id).lower()
    assert "Leeds" in project.document_text(docs[1].id)  # only the chosen document


def test_case_sensitive_apply_keeps_other_cases(project, docs):
    add_entry(project, "Leeds", "[City 1]")
    apply_pseudonyms(project, [docs[0].id], case_sensitive=True)
    assert project.document_text(docs[0].id).endswith("I never went back to leeds.")


def test_remaining_places_are_reported(project, docs):
    project.documents.rename(docs[1].id, "Interview with Tomasz")
    add_entry(project, "Tomasz", "[Mentor 1]")
    report = apply_pseudonyms(project)
    assert any(line.startswith("document name “Interview with Tomasz”") for line in report.remaining)


def scan(path: Path, names: list[str]) -> list[str]:
    """Originals found in the project file or its log, as UTF-8 bytes, in any letter case."""
    data = b"".join(p.read_bytes().lower() for p in (path, Path(str(path) + "-wal")) if p.exists())
    return [n for n in names if n.lower().encode("utf-8") in data]


def test_after_applying_and_removing_the_key_no_original_is_left_in_the_file(project, docs, path, tmp_path):
    long = "\n\n".join(f"P2: Week {i}: Tomasz Nowak and Dr Patel at St Jude's with "
                         "Bartholomew Featherstonehaugh-Wilberforce." for i in range(300))
    add(project, "Interview 3 (long)", long)  # its text spans pages that the shorter text frees
    # some SQLite builds zero deleted content by default: start from the other default
    project.db.execute("PRAGMA secure_delete = OFF")
    fill_key(project)
    add_entry(project, "Bartholomew Featherstonehaugh-Wilberforce", "[B]")
    project.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert scan(path, ["Tomasz Nowak", "St Jude's"]) == ["Tomasz Nowak", "St Jude's"]  # the scan can see them

    apply_pseudonyms(project)
    assert project.db.execute("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'nowak'"
                              ).fetchone()[0] == 0
    export_key(project, tmp_path / "key.qckey", "correct horse")
    assert remove_key(project) == 8
    left = scan(path, [n for n in NAMES if n not in ("Anna", "Leeds")] + ["Nowak", "Patel", "Jude", "Featherstone"])
    assert left == []
    # "leeds" in lower case went too; "Anna" lives on in "Annabel", another word
    assert scan(path, ["Annabel", "back to leeds"]) == ["Annabel"]
    project.close()
    assert scan(path, ["Nowak", "Patel", "Jude", "Dr Anna Smith", "Featherstone"]) == []


def test_key_file_is_encrypted_and_imports_back(project, docs, tmp_path):
    fill_key(project)
    key = tmp_path / "study.qckey"
    assert export_key(project, key, "correct horse") == 7
    data = key.read_bytes()
    assert all(n.encode("utf-8") not in data for n in NAMES + ["Nowak", "Patel", "checked"])
    assert not data.startswith(b"SQLite format 3")
    with pytest.raises(OperationError, match="passphrase is wrong"):
        read_key(key, "wrong horse")
    with pytest.raises(OperationError, match="does not exist"):
        read_key(tmp_path / "missing.qckey", "x")
    with pytest.raises(OperationError, match="needs a passphrase"):
        export_key(project, tmp_path / "other.qckey", "")

    remove_key(project)
    assert entries(project) == []
    assert import_key(project, key, "correct horse") == 7
    assert {(e.original, e.pseudonym, e.note) for e in entries(project)} >= {("Tomasz", "[Mentor 1]", "checked")}
    assert import_key(project, key, "correct horse") == 7  # again: updates, no duplicates
    assert len(entries(project)) == 7


def test_a_project_file_is_not_taken_for_a_key(project, path, tmp_path):
    with pytest.raises(OperationError):
        read_key(path, "anything")


def test_words_also_written_in_lower_case_are_not_suggested(project):
    add(project, "Interview 3", "P1: We met, and Hope said the Ward was, well, a ward like any other. "
                                "There was hope, and Marek.\n")
    found = {c.text for c in suggest_candidates(project)}
    assert "Marek" in found
    assert "Ward" not in found and "Hope" not in found  # "ward" and "hope" occur in lower case too
