"""Every file qcdesk writes that holds project content is readable by its owner only (0600):
project files (and their -wal/-shm), backups, migration copies, encrypted and decrypted copies,
reports, REFI-QDA exports, tables, attribute exports, pseudonym key files and the audit CSV.
Checked under the usual umask 022, which would otherwise leave them readable by everyone."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from qcdesk.core import attributes_io, audit, backups, encryption, matrices, pseudonyms, tables
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.interchange import export_file
from qcdesk.core.project import Project
from qcdesk.core.reports import REPORT_KINDS, write_report
from qcdesk.core.storage import connection, schema

pytestmark = [pytest.mark.core,
              pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")]

PASS = "correct horse battery"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def usual_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def project(tmp_path):
    with Project.create(tmp_path / "study.qcdesk") as p:
        p.set_coder("Ana")
        doc = p.documents.add("Interview 1", ParsedDocument(text="I: Hello.\nP: I grew up in Leeds.\n",
                                                            source_format="txt"))
        code = p.codebook.add("Place").value
        p.codings.apply(doc.id, code.id, 0, 5)
        p.cases.add("P1")
        yield p


def test_new_project_and_its_log_files_are_owner_only(tmp_path):
    for name, key in (("plain.qcdesk", None), ("secret.qcdesk", PASS)):
        path = tmp_path / name
        with Project.create(path, passphrase=key) as p:
            p.codebook.add("A code")
            assert mode(path) == 0o600
            for suffix in ("-wal", "-shm"):
                side = Path(str(path) + suffix)
                assert side.exists() and mode(side) == 0o600, side
        assert mode(path) == 0o600


def test_cli_new_is_owner_only(tmp_path):
    from qcdesk.cli import main

    assert main(["new", str(tmp_path / "cli.qcdesk")]) == 0
    assert mode(tmp_path / "cli.qcdesk") == 0o600


def test_backups_and_their_folder_are_owner_only(project):
    made = backups.make_backup(project)
    assert mode(made) == 0o600
    assert mode(made.parent) == 0o700
    before = backups.restore_backup(project, made)
    assert mode(before) == 0o600


def test_migration_copy_is_owner_only(tmp_path):
    old = tmp_path / "old.qcdesk"
    db = connection.connect(old)
    db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    schema.migrations.apply(db, stop_before="0003_analysis_security")
    db.execute("PRAGMA user_version = 2")
    db.conn.commit()
    db.close()
    os.chmod(old, 0o644)  # a project from before this rule
    with Project.open(old) as upgraded:
        assert upgraded.backup is not None and mode(upgraded.backup) == 0o600


def test_encrypted_project_and_decrypted_copy_are_owner_only(tmp_path, project):
    path = project.path
    project.close()
    os.chmod(path, 0o644)
    encryption.encrypt_project(path, PASS)
    assert mode(path) == 0o600
    with Project.open(path, passphrase=PASS) as again:
        copy = encryption.decrypt_copy(again, tmp_path / "copy.qcdesk")
    assert mode(copy) == 0o600


def test_reports_exports_tables_keys_and_audit_csv_are_owner_only(tmp_path, project):
    written = []
    for kind in REPORT_KINDS:
        written.append(write_report(project, kind, tmp_path / f"{kind}.docx"))
    written.append(write_report(project, "attributes", tmp_path / "attributes-report.csv"))
    written.append(write_report(project, "attributes", tmp_path / "attributes-report.xlsx"))
    table = matrices.build(project, "code-case")
    for suffix in (".csv", ".xlsx"):
        written.append(tables.write_table(table, tmp_path / f"table{suffix}"))
        out = tmp_path / f"attributes{suffix}"
        attributes_io.export_attributes(project, out)
        written.append(out)
    for suffix in (".qdpx", ".qdc"):
        export_file(project, tmp_path / f"exchange{suffix}")
        written.append(tmp_path / f"exchange{suffix}")
    pseudonyms.add_entry(project, "Leeds", "[City 1]")
    pseudonyms.export_key(project, tmp_path / "key.qckey", PASS)
    written.append(tmp_path / "key.qckey")
    audit.export_csv(project, tmp_path / "audit.csv")
    written.append(tmp_path / "audit.csv")
    assert {Path(p).name: oct(mode(p)) for p in written} == {Path(p).name: oct(0o600) for p in written}


def test_overwriting_a_readable_file_makes_it_owner_only(tmp_path, project):
    out = tmp_path / "attributes.csv"
    out.write_text("old", encoding="utf-8")
    os.chmod(out, 0o644)
    attributes_io.export_attributes(project, out)
    assert mode(out) == 0o600
    table = tmp_path / "t.csv"
    table.write_text("old", encoding="utf-8")
    os.chmod(table, 0o644)
    tables.write_table(matrices.build(project, "code-case"), table)
    assert mode(table) == 0o600
