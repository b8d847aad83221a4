"""Migration 0003: code criteria, the full-text index kept by triggers, and the audit trail."""

from __future__ import annotations

import json

import pytest

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project

pytestmark = pytest.mark.core


@pytest.fixture()
def project(tmp_path):
    with Project.create(tmp_path / "p.qcdesk") as p:
        yield p


def _doc(project, name, text):
    return project.documents.add(name, ParsedDocument(text=text, source_format="txt"))


def test_codes_carry_criteria(project):
    code = project.codebook.add("Belonging").value
    assert (code.inclusion, code.exclusion, code.example) == ("", "", "")
    project.db.execute("UPDATE codes SET inclusion = 'feels part of the team' WHERE id = ?", [code.id])
    assert project.code(code.id).inclusion == "feels part of the team"


def test_full_text_index_follows_documents(project):
    doc = _doc(project, "I1", "The résumé was ignored by the mentor.")
    other = _doc(project, "I2", "Nothing relevant here.")
    hits = lambda q: [r[0] for r in project.db.execute(  # noqa: E731
        "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? ORDER BY rowid", [q])]
    assert hits("resume") == [doc.id]          # diacritics folded
    assert hits("MENTOR") == [doc.id]
    assert hits("relevant") == [other.id]
    with project.action():
        project.db.execute("UPDATE documents SET plain_text = 'A mentee spoke.' WHERE id = ?", [doc.id])
    assert hits("mentor") == []
    assert hits("mentee") == [doc.id]
    project.documents.delete(other.id)
    assert hits("relevant") == []


def test_audit_trail_records_who_did_what_without_text(project):
    project.set_coder("AB")
    doc = _doc(project, "Interview 1", "My supervisor never listened to me.")
    code = project.codebook.add("Not heard").value
    coding = project.codings.apply(doc.id, code.id, 3, 13).value
    project.codebook.rename(code.id, "Silenced")
    project.set_coder("CD")
    project.codings.remove(coding.id)
    rows = project.db.execute(
        "SELECT coder, action, kind, object_id, detail FROM audit_log ORDER BY id").fetchall()
    summary = [(r[0], r[1], r[2]) for r in rows]
    assert summary == [
        ("AB", "added", "document"),
        ("AB", "added", "code"),
        ("AB", "added", "coding"),
        ("AB", "changed", "code"),
        ("CD", "removed", "coding"),
    ]
    added = json.loads(rows[2][4])
    assert added["code"] == "Not heard" and (added["start"], added["end"]) == (3, 13)
    assert json.loads(rows[3][4])["old_name"] == "Not heard"
    assert not any("supervisor" in r[4] for r in rows)   # never the transcript's words
