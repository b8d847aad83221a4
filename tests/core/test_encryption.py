"""Encrypted projects: converting, rekeying, decrypted copies, wrong passphrases, encrypted backups."""

from __future__ import annotations

import hashlib
import os
import sqlite3

import pytest

from qcdesk.core import encryption
from qcdesk.core.errors import NotAProjectError, OperationError, ProjectLockedError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.core.storage import schema

pytestmark = pytest.mark.core

SECRET = "Quetzalcoatl"
PASS = "correct horse battery"


def _fill(project: Project) -> None:
    doc = project.documents.add("Interview 1", ParsedDocument(text=f"I: Hello.\nP: My name is {SECRET}.\n",
                                                              source_format="txt"))
    code = project.codebook.add("Identity").value
    project.codings.apply(doc.id, code.id, 12, 30)


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _plain_project(tmp_path):
    path = tmp_path / "study.qcdesk"
    with Project.create(path) as project:
        _fill(project)
    return path


def test_encrypt_project_replaces_plaintext_and_keeps_everything(tmp_path):
    path = _plain_project(tmp_path)
    assert SECRET.encode() in path.read_bytes()
    with Project.open(path) as project:
        before = project.stats()

    encryption.encrypt_project(path, PASS)

    assert encryption.is_encrypted(path)
    assert SECRET.encode() not in path.read_bytes()
    # nothing but the project itself is left in the folder (no temp copy, WAL or journal)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study.qcdesk"]
    with Project.open(path, passphrase=PASS) as project:
        assert project.stats() == before
        assert SECRET in project.document_text(project.documents()[0].id)
        assert project.integrity_ok()
        assert schema.file_version(project.db) == schema.SCHEMA_VERSION


@pytest.mark.parametrize("pragma", ["user_version", "application_id"])
def test_a_copy_whose_header_was_not_carried_over_is_refused_and_the_project_stays_plain(
        tmp_path, monkeypatch, pragma):
    """sqlcipher_export leaves the header out (qcdesk copies it by hand): a copy that lost its schema
    step or its application id is not put in the project's place."""
    from qcdesk.core.storage import connection
    from qcdesk.core.storage import encryption as enc_sql

    path = _plain_project(tmp_path)
    before = _digest(path)
    real = enc_sql.export_copy

    def header_lost(db, target, key):
        real(db, target, key)
        copy = connection.connect(target, passphrase=key)
        try:
            copy.execute(f"PRAGMA {pragma} = 7")
        finally:
            copy.close()

    monkeypatch.setattr(enc_sql, "export_copy", header_lost)
    with pytest.raises(OperationError, match="its format version differs"):
        encryption.encrypt_project(path, PASS)
    assert not encryption.is_encrypted(path) and _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["study.qcdesk"]


def test_encrypting_wipes_the_old_bytes_kept_by_another_name(tmp_path):
    """A hard link stands in for the old blocks on disk: after the swap they hold zeros."""
    path = _plain_project(tmp_path)
    twin = tmp_path / "twin"
    os.link(path, twin)
    encryption.encrypt_project(path, PASS)
    assert set(twin.read_bytes()) == {0}


def test_encrypt_refuses_short_passphrase_open_project_and_encrypted_file(tmp_path):
    path = _plain_project(tmp_path)
    digest = _digest(path)
    with pytest.raises(OperationError, match="at least 8"):
        encryption.encrypt_project(path, "short")
    with Project.open(path):
        with pytest.raises(ProjectLockedError):
            encryption.encrypt_project(path, PASS)
    assert not encryption.is_encrypted(path)
    encryption.encrypt_project(path, PASS)
    with pytest.raises(OperationError, match="already encrypted"):
        encryption.encrypt_project(path, PASS)
    assert digest != _digest(path)


def test_wrong_passphrase_is_a_clear_error_and_leaves_the_file_identical(tmp_path):
    path = tmp_path / "secret.qcdesk"
    with Project.create(path, passphrase=PASS) as project:
        _fill(project)
    digest = _digest(path)
    for attempt in ("wrong passphrase", PASS.upper(), "' OR 1=1 --"):
        with pytest.raises(NotAProjectError, match="passphrase is wrong"):
            Project.open(path, passphrase=attempt)
    with pytest.raises(NotAProjectError, match="encrypted"):
        Project.open(path)  # no passphrase at all
    assert _digest(path) == digest
    assert not (tmp_path / "secret.qcdesk-wal").exists()


def test_change_passphrase_checks_the_old_one(tmp_path):
    path = tmp_path / "secret.qcdesk"
    with Project.create(path, passphrase=PASS) as project:
        _fill(project)
        with pytest.raises(OperationError, match="current passphrase is wrong"):
            encryption.change_passphrase(project, "not it at all", "a new passphrase")
        with pytest.raises(OperationError, match="at least 8"):
            encryption.change_passphrase(project, PASS, "tiny")
        encryption.change_passphrase(project, PASS, "a new passphrase")
        assert project.passphrase == "a new passphrase"
        project.codebook.add("After rekey")
    assert not encryption.passphrase_opens(path, PASS)
    with Project.open(path, passphrase="a new passphrase") as project:
        assert [c.name for c in project.codes()] == ["Identity", "After rekey"]


def test_decrypt_copy_is_a_plain_project_and_the_original_stays_encrypted(tmp_path):
    path = tmp_path / "secret.qcdesk"
    copy = tmp_path / "plain copy.qcdesk"
    with Project.create(path, passphrase=PASS) as project:
        _fill(project)
        encryption.decrypt_copy(project, copy)
        with pytest.raises(OperationError, match="already exists"):
            encryption.decrypt_copy(project, copy)
    assert SECRET.encode() in copy.read_bytes()
    assert not encryption.is_encrypted(copy)
    assert encryption.is_encrypted(path)
    with Project.open(copy) as plain:
        assert plain.documents()[0].name == "Interview 1"
        assert len(plain.codings_for_document(plain.documents()[0].id)) == 1


def test_decrypt_copy_of_a_plain_project_is_refused(tmp_path):
    path = _plain_project(tmp_path)
    with Project.open(path) as project, pytest.raises(OperationError, match="not encrypted"):
        encryption.decrypt_copy(project, tmp_path / "x.qcdesk")


def test_copy_database_of_an_encrypted_project_is_encrypted_with_the_same_key(tmp_path):
    path = tmp_path / "secret.qcdesk"
    backup = tmp_path / "backup.qcdesk"
    with Project.create(path, passphrase=PASS) as project:
        _fill(project)
        schema.copy_database(project.db, backup)
    assert encryption.is_encrypted(backup)
    assert SECRET.encode() not in backup.read_bytes()
    with Project.open(backup, passphrase=PASS) as copy:
        assert copy.documents()[0].name == "Interview 1"
        assert schema.file_version(copy.db) == schema.SCHEMA_VERSION


def test_upgrade_backup_of_an_old_encrypted_project_is_encrypted(tmp_path):
    from qcdesk.core.storage import connection

    path = tmp_path / "old.qcdesk"
    db = connection.connect(path, passphrase=PASS)
    db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    schema.migrations.apply(db, stop_before="0003_analysis_security")
    db.execute("PRAGMA user_version = 2")
    db.execute("INSERT INTO documents (name, plain_text, source_format, imported_at, content_hash, "
               "char_count) VALUES ('Old', ?, 'txt', '2020', 'x', 20)", [f"said {SECRET} once"])
    db.conn.commit()
    db.close()

    with Project.open(path, passphrase=PASS) as project:
        backup = project.backup
    assert backup is not None and backup.exists()
    assert encryption.is_encrypted(backup)
    assert SECRET.encode() not in backup.read_bytes()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(backup).execute("SELECT * FROM documents").fetchall()
    old = connection.connect(backup, passphrase=PASS, read_only=True)
    try:
        assert schema.file_version(old) == 2
        assert old.execute("SELECT plain_text FROM documents").fetchone()[0] == f"said {SECRET} once"
    finally:
        old.close()


def test_empty_passphrase_is_refused(tmp_path):
    with pytest.raises(Exception, match="empty passphrase"):
        Project.create(tmp_path / "x.qcdesk", passphrase="")


# ---------------------------------------------------------------------- command line
def test_cli_passphrase_file_env_and_refusal_without_terminal(tmp_path, capsys, monkeypatch):
    from qcdesk.cli import main

    monkeypatch.delenv("QCDESK_PASSPHRASE", raising=False)
    secret_file = tmp_path / "pass.txt"
    secret_file.write_text(PASS + "\n", encoding="utf-8")
    transcript = tmp_path / "t.txt"
    transcript.write_text(f"I: Hello.\nP: I am {SECRET}.\n", encoding="utf-8")
    project = str(tmp_path / "p.qcdesk")

    assert main(["new", project, "--passphrase-file", str(secret_file)]) == 0
    assert main(["import", project, str(transcript), "--passphrase-file", str(secret_file)]) == 0
    assert encryption.is_encrypted(project)
    assert SECRET.encode() not in (tmp_path / "p.qcdesk").read_bytes()
    capsys.readouterr()

    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    assert main(["stats", project]) == 1
    assert "--passphrase-file" in capsys.readouterr().err

    monkeypatch.setenv("QCDESK_PASSPHRASE", "wrong passphrase")
    assert main(["stats", project]) == 1
    err = capsys.readouterr().err
    assert "passphrase is wrong" in err and "ERROR" not in err

    monkeypatch.setenv("QCDESK_PASSPHRASE", PASS)
    assert main(["stats", project, "--json"]) == 0
    assert '"documents": 1' in capsys.readouterr().out
    out = tmp_path / "r.docx"
    assert main(["export", project, "--out", str(out)]) == 0
    assert "r.docx is not encrypted" in capsys.readouterr().err
    assert main(["exchange", "export", project, str(tmp_path / "p.qdpx")]) == 0
    assert "p.qdpx is not encrypted" in capsys.readouterr().err


def test_cli_prompts_on_a_terminal(tmp_path, capsys, monkeypatch):
    from qcdesk.cli import main

    monkeypatch.delenv("QCDESK_PASSPHRASE", raising=False)
    path = tmp_path / "p.qcdesk"
    Project.create(path, passphrase=PASS).close()
    asked = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or PASS)
    assert main(["stats", str(path)]) == 0
    assert asked == ["Passphrase for p.qcdesk: "]


def test_cli_encrypt_rekey_decrypt(tmp_path, capsys, monkeypatch):
    from qcdesk.cli import main

    path = _plain_project(tmp_path)
    monkeypatch.setenv("QCDESK_PASSPHRASE", PASS)
    assert main(["encrypt", str(path)]) == 0
    assert encryption.is_encrypted(path) and SECRET.encode() not in path.read_bytes()

    new_file = tmp_path / "new.txt"
    new_file.write_text("the second passphrase", encoding="utf-8")
    assert main(["rekey", str(path), "--new-passphrase-file", str(new_file)]) == 0
    assert encryption.passphrase_opens(path, "the second passphrase")
    assert not encryption.passphrase_opens(path, PASS)

    monkeypatch.setenv("QCDESK_PASSPHRASE", "the second passphrase")
    copy = tmp_path / "copy.qcdesk"
    assert main(["decrypt", str(path), "--out", str(copy)]) == 0
    assert "not encrypted" in capsys.readouterr().err
    assert SECRET.encode() in copy.read_bytes() and not encryption.is_encrypted(copy)
