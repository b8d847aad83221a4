"""The 0002_guids step: older projects gain the table, deleted items forget their GUIDs."""

from __future__ import annotations

import sqlite3
import zipfile

import pytest
from conftest import make_qdpx

from qcdesk.core.interchange import export_file, import_file
from qcdesk.core.project import Project
from qcdesk.core.storage import interchange as ex_sql
from qcdesk.core.storage import schema
from builders import empty_project

pytestmark = pytest.mark.core

QDC = """<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="11111111-2222-3333-4444-555555555555" name="Trust" isCodable="true" color="#AABBCC"/>
</Codes></CodeBook>"""


def test_a_version_1_project_is_upgraded(tmp_path):
    path = tmp_path / "old.qcdesk"
    with empty_project(path) as p:
        p.codebook.add("Kept")
    conn = sqlite3.connect(path)
    conn.executescript("DROP TRIGGER external_ids_code_gone; DROP TRIGGER external_ids_document_gone;"
                       "DROP TABLE external_ids; DELETE FROM _sqlite_migrations WHERE name = '0002_guids';"
                       "PRAGMA user_version = 1;")
    conn.close()
    with Project.open(path) as p:
        assert p.backup is not None
        assert [c.name for c in p.codes()] == ["Kept"]
        assert p.db["external_ids"].exists()
        assert schema.file_version(p.db) == schema.SCHEMA_VERSION


def test_imported_guid_is_kept_on_export_and_forgotten_on_delete(tmp_path, new_project):
    p = new_project()
    qdc = tmp_path / "c.qdc"
    qdc.write_text(QDC, encoding="utf-8")
    import_file(p, qdc)
    code = p.codes()[0]
    assert code.color == "#aabbcc"
    assert ex_sql.guid_of(p.db, "code", code.id) == "11111111-2222-3333-4444-555555555555"
    export_file(p, tmp_path / "out.qdc")
    assert 'guid="11111111-2222-3333-4444-555555555555"' in (tmp_path / "out.qdc").read_text("utf-8")
    p.codebook.delete(code.id)
    assert ex_sql.guid_of(p.db, "code", code.id) is None


def test_case_memos_travel_as_project_notes(rich_project, tmp_path, new_project):
    with rich_project.action():
        case = ex_sql.case_by_name(rich_project.db, "R01")
        ex_sql.insert_memo(rich_project.db, {"title": "About R01", "body": "Late joiner.", "case_id": case,
                                             "created": "2024-01-01T00:00:00+00:00",
                                             "modified": "2024-01-01T00:00:00+00:00"})
    report = export_file(rich_project, tmp_path / "s.qdpx")
    assert any("“About R01” on a case is written as a project note" in w for w in report.warnings)
    fresh = new_project("fresh.qcdesk")
    import_file(fresh, tmp_path / "s.qdpx")
    memo = [m for m in ex_sql.all_memos(fresh.db) if m.title == "About R01"][0]
    assert memo.body == "Late joiner." and memo.case_id is None and memo.code_id is None


def test_renamed_source_in_another_tool_is_matched_by_text(tmp_path, rich_project):
    out = tmp_path / "s.qdpx"
    export_file(rich_project, out)
    with zipfile.ZipFile(out) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["project.qde"] = members["project.qde"].replace(b'name="Resident 01"', b'name="R1 renamed"')
    report = import_file(rich_project, make_qdpx(tmp_path / "renamed.qdpx", members))
    assert report.added == {} and report.matched["documents"] == 2
