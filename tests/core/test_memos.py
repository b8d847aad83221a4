"""Memos on nothing (the journal), codes, documents, cases and codings; search and counts."""

from __future__ import annotations

import pytest

from qcdesk.core import memos
from qcdesk.core.errors import OperationError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block, Changes
from qcdesk.core.project import Project
from qcdesk.core.undo import Done
from builders import empty_project

pytestmark = pytest.mark.core

TEXT = "My mentor was assigned by the school. Later I felt I belonged."


@pytest.fixture
def project(tmp_path):
    p = empty_project(tmp_path / "study.qcdesk")
    yield p
    p.close()


@pytest.fixture
def things(project):
    doc = project.documents.add("Interview 1", ParsedDocument(
        text=TEXT, source_format="txt", blocks=[Block("paragraph", 0, len(TEXT))], turns=[]))
    code = project.codebook.add("Belonging").value
    coding = project.codings.apply(doc.id, code.id, TEXT.index("I felt"), len(TEXT) - 1).value
    with project.action() as changes:
        case_id = int(project.db["cases"].insert({"name": "P1"}).last_pk)
        changes.cases = True
    return {"doc": doc.id, "code": code.id, "coding": coding.id, "case": case_id}


def test_create_on_each_target_and_list_by_target(project, things):
    events: list[Changes] = []
    project.subscribe(events.append)
    project.memos.create("Left out on import", "a note attached to nothing")
    done = project.memos.ensure()
    journal, created = done.value, done.undo is not None
    assert created and journal.title == memos.JOURNAL_TITLE
    assert project.memos.ensure() == Done(journal, None)
    on_code = project.memos.create("Belonging vs fitting in", "compare P1", code_id=things["code"]).value
    on_doc = project.memos.create("Context", document_id=things["doc"]).value
    on_case = project.memos.create("P1 overall", case_id=things["case"]).value
    on_coding = project.memos.create("Key quote", coding_id=things["coding"]).value
    assert all(e.memos for e in events) and len(events) == 6
    assert project.memos.on_target(code_id=things["code"]) == [on_code]
    assert project.memos.on(case_id=things["case"]) == on_case
    assert project.memos.on(coding_id=things["coding"]) == on_coding
    assert [m.title for m in project.memos.on_target()] == ["Left out on import", memos.JOURNAL_TITLE]
    assert project.memos.journal() == journal
    assert project.memos.target_label(on_coding) == "Coded segment: Belonging in Interview 1"
    assert project.memos.target_label(on_doc) == "Document: Interview 1"
    assert project.memos.target_label(journal) == "Project journal"
    counts = project.memos.counts()
    assert counts[("code_id", things["code"])] == 1 and counts[(None, None)] == 2


def test_one_target_at_most_and_target_must_exist(project, things):
    with pytest.raises(OperationError, match="one thing only"):
        project.memos.create("x", code_id=things["code"], document_id=things["doc"])
    with pytest.raises(OperationError, match="does not exist"):
        project.memos.create("x", code_id=999)
    assert project.memos.all() == []


def test_update_is_one_action_and_survives_reopening(project, things, tmp_path):
    memo = project.memos.create("Draft", code_id=things["code"]).value
    events: list[Changes] = []
    project.subscribe(events.append)
    project.memos.update(memo.id, title="Draft", body="Belonging grows with regular meetings.")
    project.memos.update(memo.id, body="Belonging grows with regular meetings.")  # unchanged: no action
    assert len(events) == 1
    project.close()
    with Project.open(tmp_path / "study.qcdesk") as again:
        assert again.memos.get(memo.id).body == "Belonging grows with regular meetings."


def test_delete_and_restore(project, things):
    memo = project.memos.create("Gone", "soon", document_id=things["doc"]).value
    row = project.memos.delete(memo.id).undo
    assert project.memos.all() == []
    row.run()
    assert project.memos.all() == [memo]


def test_memo_on_coding_goes_and_comes_back_with_its_coding(project, things):
    memo = project.memos.create("Key quote", "why it matters", coding_id=things["coding"]).value
    snap = project.codings.remove(things["coding"]).undo
    assert project.memos.all() == []
    snap.run()
    assert project.memos.all() == [memo]


def test_search_any_case_with_snippet(project, things):
    project.memos.create("Mentoring", "The school ASSIGNED mentors; nobody chose. " * 3)
    project.memos.create("Assigned or chosen?", "", code_id=things["code"])
    project.memos.create("Other", "nothing here")
    hits = project.memos.search("assigned")
    assert [h.memo.title for h in hits] == ["Mentoring", "Assigned or chosen?"]
    assert "ASSIGNED mentors" in hits[0].snippet and hits[0].snippet.endswith("…")
    assert project.memos.search("  ") == []
    assert project.memos.search("straße") == []
