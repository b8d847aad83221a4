"""Speaker labels after import: counts, renaming across documents, coding a speaker's turns."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcdesk.core.errors import OperationError
from qcdesk.core.importers.text import read_txt
from qcdesk.core.speakers import code_speaker_turns, rename_speaker, speakers
from builders import empty_project

pytestmark = pytest.mark.core

INTERVIEW = """S01: I trained in Leeds 😀 with a lovely team.

Interviewer: What stayed with you?

S01: The night shifts.
They were hard.

S011: I agree with that.
"""


def import_text(project, name: str, content: str):
    """Through the real plain-text importer, so labels and turns are laid out as in practice."""
    return project.documents.add(name, read_txt(Path(name + ".txt"), content.encode("utf-8")))


@pytest.fixture
def project(tmp_path):
    p = empty_project(tmp_path / "speakers.qcdesk")
    yield p
    p.close()


@pytest.fixture
def docs(project):
    return (import_text(project, "Interview 1", INTERVIEW),
            import_text(project, "Interview 2", "S01: Second one.\n\nInterviewer: Thanks.\n\nS01: Bye.\n"))


def test_speakers_counts_turns_and_documents(project, docs):
    assert speakers(project) == [("Interviewer", 2, 2), ("S01", 4, 2), ("S011", 1, 1)]
    assert speakers(project, docs[1].id) == [("Interviewer", 1, 1), ("S01", 2, 1)]


def test_rename_changes_labels_turns_and_case_links_keeping_codings_and_undo_restores(project, docs):
    doc = docs[0]
    text = project.document_text(doc.id)
    code = project.codebook.add("Night shifts").value
    night = project.codings.apply(doc.id, code.id, text.index("The night"), text.index("hard.") + 5).value
    project.db.execute("INSERT INTO cases (id, name) VALUES (1, 'Participant A')")
    project.db.execute("INSERT INTO case_speakers VALUES (1, ?, 'S01')", [doc.id])
    events = []
    project.subscribe(events.append)

    done = rename_speaker(project, "S01", "Anna (nurse)")

    new = project.document_text(doc.id)
    assert new.startswith("Anna (nurse): I trained in Leeds 😀")
    assert "\n\nAnna (nurse): The night shifts." in new
    assert "S011: I agree" in new  # a longer label sharing the prefix is left alone
    assert project.document_text(docs[1].id) == ("Anna (nurse): Second one.\n\nInterviewer: Thanks.\n\n"
                                                  "Anna (nurse): Bye.")
    c = project.coding(night.id)
    assert new[c.start:c.end] == "The night shifts. They were hard."
    turns = project.speaker_turns(doc.id)
    assert [t.speaker for t in turns] == ["Anna (nurse)", "Interviewer", "Anna (nurse)", "S011"]
    assert all(new[t.start:].startswith(t.speaker + ":") for t in turns)
    assert project.db.execute("SELECT speaker FROM case_speakers").fetchall() == [("Anna (nurse)",)]
    assert len(events) == 1 and events[0].cases and {d.id for d in docs} <= events[0].documents
    assert speakers(project)[0] == ("Anna (nurse)", 4, 2)

    redo = done.undo.run()
    assert project.document_text(doc.id) == text
    c = project.coding(night.id)
    assert text[c.start:c.end] == "The night shifts. They were hard."
    assert [t.speaker for t in project.speaker_turns(doc.id)] == ["S01", "Interviewer", "S01", "S011"]
    assert project.db.execute("SELECT speaker FROM case_speakers").fetchall() == [("S01",)]
    redo.run()
    assert project.document_text(doc.id) == new


def test_rename_in_chosen_documents_only(project, docs):
    rename_speaker(project, "S01", "Ben", document_ids=[docs[1].id])
    assert project.document_text(docs[0].id).startswith("S01:")
    assert project.document_text(docs[1].id).startswith("Ben:")


def test_rename_refusals(project, docs):
    with pytest.raises(OperationError, match="needs a name"):
        rename_speaker(project, "S01", "  ")
    with pytest.raises(OperationError, match="No turns"):
        rename_speaker(project, "Nobody", "X")
    with pytest.raises(OperationError, match="already called"):
        rename_speaker(project, "S01", "S01")


def test_code_every_turn_of_a_speaker_skips_labels_and_existing_codings_and_undo_removes_only_them(project, docs):
    code = project.codebook.add("Participant voice").value
    text = project.document_text(docs[0].id)
    first_words = text.index("I trained")
    existing = project.codings.apply(docs[0].id, code.id, first_words, text.index("team.") + 5).value
    other = project.codings.apply(docs[0].id, code.id, 0, 3).value

    done = code_speaker_turns(project, "S01", code.id)
    created = done.value

    assert len(created) == 3  # four turns, one already coded over the same words
    covered = sorted(project.document_text(c.document_id)[c.start:c.end] for c in created)
    assert covered == ["Bye.", "Second one.", "The night shifts. They were hard."]
    redo = done.undo.run()
    remaining = {c.id for c in project.codings_for_codes([code.id])}
    assert remaining == {existing.id, other.id}
    redo.run()
    assert len(project.codings_for_codes([code.id])) == 5


def test_code_turns_with_their_labels(project, docs):
    code = project.codebook.add("Interviewer").value
    created = code_speaker_turns(project, "Interviewer", code.id, document_ids=[docs[0].id], include_label=True).value
    assert [project.document_text(c.document_id)[c.start:c.end] for c in created] == [
        "Interviewer: What stayed with you?"]
