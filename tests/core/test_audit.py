"""The audit trail as read back: filters, wording, CSV export, and the command line."""

from __future__ import annotations

import csv

import pytest

from qcdesk.cli import main
from qcdesk.core import audit
from qcdesk.core.errors import OperationError
from qcdesk.core.importers.base import ParsedDocument
from builders import empty_project

pytestmark = pytest.mark.core


@pytest.fixture
def project(tmp_path):
    with empty_project(tmp_path / "audit.qcdesk") as p:
        p.set_coder("Ana")
        doc = p.documents.add("Interview 1", ParsedDocument(text="P: I was tired every night.\n",
                                                            source_format="txt"))
        code = p.codebook.add("Fatigue").value
        p.codings.apply(doc.id, code.id, 3, 27)
        p.set_coder("Ben")
        p.codebook.rename(code.id, "Exhaustion")
        coding = p.codings_for_document(doc.id)[0]
        p.codings.remove(coding.id)
        yield p


def test_entries_in_order_with_coders_and_wording(project):
    rows = audit.entries(project)
    seen = [(e.coder, e.action, e.kind, audit.describe(e)) for e in rows]
    assert seen == [
        ("Ana", "added", "document", "Document “Interview 1” (28 characters)"),
        ("Ana", "added", "code", "Code “Fatigue”"),
        ("Ana", "added", "coding", "Code “Fatigue” in “Interview 1”, characters 3–27"),
        ("Ben", "changed", "code", "Code “Exhaustion”: renamed “Fatigue” → “Exhaustion”"),
        ("Ben", "removed", "coding", "Code “Exhaustion” in “Interview 1”, characters 3–27"),
    ]
    assert audit.coders(project) == ["Ana", "Ben"]


def test_filters_by_coder_kind_and_dates(project):
    assert [e.action for e in audit.entries(project, audit.AuditFilter(coder="Ben"))] == ["changed", "removed"]
    assert [e.action for e in audit.entries(project, audit.AuditFilter(kind="coding"))] == ["added", "removed"]
    today = audit.entries(project)[0].at[:10]
    assert len(audit.entries(project, audit.AuditFilter(since=today, until=today))) == 5
    assert audit.entries(project, audit.AuditFilter(until="2000-01-01")) == []
    assert audit.entries(project, audit.AuditFilter(since="2999-01-01")) == []
    with pytest.raises(OperationError, match="YYYY-MM-DD"):
        audit.entries(project, audit.AuditFilter(since="yesterday"))
    with pytest.raises(OperationError, match="before the start"):
        audit.entries(project, audit.AuditFilter(since="2024-02-02", until="2024-01-01"))


def test_entries_hold_no_transcript_text(project):
    for e in audit.entries(project):
        assert "tired" not in str(e.detail)


def test_csv_export(project, tmp_path):
    out = tmp_path / "trail.csv"
    assert audit.export_csv(project, out, audit.AuditFilter(coder="Ana")) == 3
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["kind"] for r in rows] == ["document", "code", "coding"]
    assert rows[2]["description"] == "Code “Fatigue” in “Interview 1”, characters 3–27"
    assert rows[2]["coder"] == "Ana"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".~")] == []


def test_cli_audit_prints_and_writes_csv(project, tmp_path, capsys):
    path = str(project.path)
    project.close()
    assert main(["audit", path, "--coder", "Ben"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and "renamed “Fatigue” → “Exhaustion”" in out[0]
    assert main(["audit", path, "--csv", str(tmp_path / "a.csv")]) == 0
    assert "wrote 5 entries" in capsys.readouterr().out
    assert (tmp_path / "a.csv").read_text(encoding="utf-8-sig").count("\n") == 6


@pytest.mark.parametrize("step", ["move", "move into a theme", "add at a place", "delete", "undo the delete"])
def test_a_codebook_change_names_only_the_codes_it_changed(tmp_path, step):
    """Moving, adding or deleting one code among six shifts some siblings' places: the audit
    trail names the code and the siblings whose place changed, never the ones left where they were
    (moving one code used to write a "changed" entry for every sibling of both parents)."""
    with empty_project(tmp_path / "audit.qcdesk") as p:
        p.set_coder("Ana")
        ids = [p.codebook.add(f"Code {i}").value.id for i in range(6)]
        theme = p.codebook.add("Theme").value.id
        deleted = p.codebook.delete(ids[2]) if step == "undo the delete" else None
        before = {c.id: (c.parent_id, c.position) for c in p.codes()}
        last = max(e.id for e in audit.entries(p))
        if step == "move":
            p.codebook.move(ids[5], None, 4)
        elif step == "move into a theme":
            p.codebook.move(ids[1], theme)
        elif step == "add at a place":
            ids.append(p.codebook.add("New", position=4).value.id)
        elif step == "delete":
            p.codebook.delete(ids[2])
        else:
            deleted.undo.run()
        after = {c.id: (c.parent_id, c.position) for c in p.codes()}
        moved = {i for i in after if i in before and after[i] != before[i]}
        named = [(e.action, e.object_id) for e in audit.entries(p) if e.id > last and e.kind == "code"]
        changed = {i for action, i in named if action == "changed"}
        assert changed == moved and len(changed) == len([a for a, _ in named if a == "changed"])
        assert moved, "the step moves some code"
