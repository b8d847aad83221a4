"""Merging a colleague's copy: a preview that changes nothing, and copies of a REFI-QDA import matched
by the GUIDs the import recorded (issue 15)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from test_merge import coding_set, pair  # noqa: F401 - the fixture

from qcdesk.cli import main
from qcdesk.core.interchange import import_file
from qcdesk.core.merge import merge_project, preview_merge
from qcdesk.core.project import Project
from builders import empty_project

pytestmark = pytest.mark.core
CONSENT = "I agree to take part in this study and know I can stop at any time."


def _state(path: Path):
    with Project.open(path, read_only=True) as p:
        return (coding_set(p), p.stats(), [c.name for c in p.coders()],
                p.db.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def test_preview_tells_what_a_merge_would_do_and_changes_nothing(pair):  # noqa: F811
    ana_path, ben_path = pair
    before = _state(ana_path)
    with Project.open(ana_path) as p:
        p.set_coder("Ana")
        heard = []
        p.subscribe(heard.append)
        preview = preview_merge(p, ben_path)
        assert heard == []
    assert _state(ana_path)[:3] == before[:3]
    assert preview.inserted == {} and preview.text().startswith("Would add: 2 documents, 1 codes, 3 codings")
    with Project.open(ana_path) as p:
        done = merge_project(p, ben_path).value
    assert (preview.added, preview.matched, preview.skipped, preview.conflicts) == \
        (done.added, done.matched, done.skipped, done.conflicts)


def test_cli_dry_run_prints_the_preview_and_leaves_the_file(pair, capsys):  # noqa: F811
    ana_path, ben_path = pair
    before = _state(ana_path)
    assert main(["merge", str(ana_path), str(ben_path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "nothing was changed" in out and "Would add: 2 documents, 1 codes, 3 codings, 1 coders." in out
    assert _state(ana_path)[:3] == before[:3]


def _qdpx(path: Path) -> Path:
    guids = ["0f0f0f0f-0000-4000-8000-00000000000a", "0f0f0f0f-0000-4000-8000-00000000000b"]
    sources = "".join(f'<TextSource guid="{g}" name="{n}" plainTextPath="internal://{g}.txt"/>'
                      for g, n in zip(guids, ("Consent A", "Consent B")))
    qde = ('<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="S">'
           '<CodeBook><Codes><Code guid="0f0f0f0f-0000-4000-8000-0000000000c1" name="Agrees" isCodable="true"/>'
           f'</Codes></CodeBook><Sources>{sources}</Sources></Project>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", qde)
        for g in guids:
            zf.writestr(f"sources/{g}.txt", CONSENT)
    return path


def test_copies_of_one_import_match_documents_by_guid(tmp_path):
    package = _qdpx(tmp_path / "study.qdpx")
    ana, ben = tmp_path / "ana.qcdesk", tmp_path / "ben.qcdesk"
    with empty_project(ana) as p:
        import_file(p, package)
        second = next(d for d in p.documents() if d.name == "Consent B")
        p.documents.rename(second.id, "Consent (second copy)")
    with empty_project(ben) as p:  # Ben imported the same package into his own new project
        from test_merge import parsed
        p.documents.add("Pilot", parsed("Interviewer: Test?\nP0: Test."))
        import_file(p, package)
        p.set_coder("Ben")
        doc = next(d for d in p.documents() if d.name == "Consent B")
        p.codings.apply(doc.id, p.codes()[0].id, 0, 7)
    with Project.open(ana) as p:
        merged = merge_project(p, ben)
        report = merged.value
        assert report.matched["documents"] == 2 and report.added["documents"] == 1
        assert coding_set(p) == {("Consent (second copy)", "Agrees", 0, 7, "Ben")}


def test_merge_keeps_annotation_anchors_document_creators_and_grouping_codes(tmp_path):
    from qcdesk.core.storage import interchange as ex_sql
    from test_merge import parsed

    ana, ben = tmp_path / "ana.qcdesk", tmp_path / "ben.qcdesk"
    with empty_project(ana) as p:
        p.set_coder("Ana")  # so Ben's coder ids are not the same numbers here
    with empty_project(ben) as p:
        p.set_coder("Ben")
        doc = p.documents.add("Interview", parsed("Interviewer: Why?\nP1: Because the rota changed."))
        group = p.codebook.add("Themes").value
        with p.action():
            ex_sql.set_code_codable(p.db, group.id, False)
            p.documents.set_origin(doc.id, "2021-05-04T10:11:12+00:00",
                                   next(c.id for c in p.coders() if c.name == "Ben"))
            ex_sql.insert_memo(p.db, {"title": "Annotation", "body": "Rota!", "document_id": doc.id,
                                      "anchor_start": 22, "anchor_end": 47, "created": "2024-01-01T00:00:00+00:00",
                                      "modified": "2024-01-01T00:00:00+00:00"})
    with Project.open(ana) as p:
        merge_project(p, ben)
        [doc] = p.documents()
        coders = {c.id: c.name for c in p.coders()}
        created, creator = ex_sql.document_origins(p.db)[doc.id]
        assert (created, coders[creator]) == ("2021-05-04T10:11:12+00:00", "Ben")
        assert not p.codes()[0].codable
        [memo] = ex_sql.all_memos(p.db)
        assert ex_sql.memo_anchors(p.db) == {memo.id: (22, 47)}
        assert p.document_text(doc.id)[22:47] == "Because the rota changed."


def test_a_code_that_groups_in_one_copy_only_is_a_conflict(pair):  # noqa: F811
    from qcdesk.core.storage import interchange as ex_sql

    ana_path, ben_path = pair
    with Project.open(ben_path) as p, p.action():
        ex_sql.set_code_codable(p.db, next(c.id for c in p.codes() if c.name == "Learning"), False)
    with Project.open(ana_path) as p:
        report = preview_merge(p, ben_path)
    assert "Code “Learning” only groups other codes in ben.qcdesk." in report.conflicts
