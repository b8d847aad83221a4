"""Copies made before a project was encrypted (rotating backups, migration copies) are encrypted
with the same passphrase or, when asked, overwritten and deleted: afterwards no file in the
project's folder or its backups folder holds a transcript word in plaintext."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qcdesk.core import backups, earlier_copies, encryption
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.core.storage import connection, schema

pytestmark = pytest.mark.core

PASS = "correct horse battery"
WORDS = ["Quillborough", "Zebulonia", "Brontëvale"]


def leaks(folder: Path, words: list[str]) -> list[str]:
    """(file, word, encoding) wherever a word appears in any file under ``folder``."""
    found = []
    for path in (p for p in folder.rglob("*") if p.is_file()):
        data = path.read_bytes()
        found += [f"{path.name}: {w} ({enc})" for w in words for enc in ("utf-8", "utf-16-le")
                  if w.encode(enc) in data]
    return found


def study(tmp_path: Path) -> Path:
    """A plain project first saved in format 2 (so opening it made a migration copy), then
    given a transcript and two rotating backups."""
    folder = tmp_path / "study"
    folder.mkdir(parents=True)
    path = folder / "study.qcdesk"
    db = connection.connect(path)
    db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    schema.migrations.apply(db, stop_before="0003_analysis_security")
    db.execute("PRAGMA user_version = 2")
    db.execute("INSERT INTO documents (name, plain_text, source_format, imported_at, content_hash, "
               "char_count) VALUES ('Old', ?, 'txt', '2020', 'x', 22)", ["I met Brontëvale there"])
    db.conn.commit()
    db.close()
    with Project.open(path) as project:
        assert project.backup is not None
        project.documents.add("Interview 1", ParsedDocument(
            text="P: I grew up in Quillborough, near the Zebulonia clinic.\n", source_format="txt"))
        backups.make_backup(project)
        backups.make_backup(project)
    return path


def test_the_copies_are_found(tmp_path):
    path = study(tmp_path)
    found = earlier_copies.find(path)
    assert len(found) == 3
    assert sum(p.parent == backups.backup_folder(path) for p in found) == 2
    assert sum(p.name.startswith("study.qcdesk.v2-") and p.suffix == ".backup" for p in found) == 1
    assert leaks(path.parent, WORDS)  # the scan can see them


def test_encrypting_encrypts_every_earlier_copy_with_the_same_passphrase(tmp_path):
    path = study(tmp_path)
    encryption.encrypt_project(path, PASS)
    calls = []
    report = earlier_copies.encrypt_copies(path, PASS, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert len(report.encrypted) == 3 and not report.failed and not report.removed
    assert leaks(path.parent, WORDS) == []
    for copy in earlier_copies.find(path):
        assert encryption.is_encrypted(copy)
    newest = backups.list_backups(path)[0].path
    with Project.open(newest, passphrase=PASS, read_only=True) as opened:
        assert [d.name for d in opened.documents()] == ["Old", "Interview 1"]
    with Project.open(path, passphrase=PASS) as project:  # a backup restores as before
        backups.restore_backup(project, newest)
    assert "3 earlier copies of the project (backups made before) were encrypted with the same passphrase" in report.text()
    # again: nothing left to do
    assert earlier_copies.encrypt_copies(path, PASS).encrypted == []


def test_removing_overwrites_and_deletes_the_plain_copies(tmp_path):
    path = study(tmp_path)
    copies = earlier_copies.find(path)
    held = [os.open(p, os.O_RDONLY) for p in copies]  # the old bytes, seen through the deleted names
    try:
        encryption.encrypt_project(path, PASS)
        report = earlier_copies.remove_copies(earlier_copies.find(path, plain_only=True))
        assert sorted(report.removed) == sorted(copies) and not report.failed
        assert not any(p.exists() for p in copies)
        assert leaks(path.parent, WORDS) == []
        for fd in held:
            data = os.pread(fd, os.fstat(fd).st_size, 0)
            assert data.count(0) == len(data)  # overwritten before deletion
    finally:
        for fd in held:
            os.close(fd)
    assert "removed" in report.text() and "overwritten" in report.text()


def test_a_damaged_copy_is_reported_and_the_others_are_encrypted(tmp_path):
    path = study(tmp_path)
    damaged = backups.list_backups(path)[0].path
    damaged.write_bytes(damaged.read_bytes()[:3000])
    encryption.encrypt_project(path, PASS)
    report = earlier_copies.encrypt_copies(path, PASS)
    assert len(report.encrypted) == 2 and [p for p, _why in report.failed] == [damaged]
    assert "could not be encrypted" in report.text() and damaged.name in report.text()


def test_cli_encrypt_encrypts_the_copies_or_removes_them(tmp_path, capsys, monkeypatch):
    from qcdesk.cli import main

    monkeypatch.setenv("QCDESK_PASSPHRASE", PASS)
    path = study(tmp_path / "a")
    assert main(["encrypt", str(path)]) == 0
    out = capsys.readouterr().out
    assert "encrypted" in out and "3 earlier copies" in out
    assert leaks(path.parent, WORDS) == []
    assert len(earlier_copies.find(path)) == 3

    path = study(tmp_path / "b")
    assert main(["encrypt", str(path), "--remove-backups"]) == 0
    out = capsys.readouterr().out
    assert "removed" in out and "3 earlier copies" in out
    assert earlier_copies.find(path) == []
    assert leaks(path.parent, WORDS) == []


def test_cli_encrypt_fails_loudly_when_a_copy_stays_plain(tmp_path, capsys, monkeypatch):
    from qcdesk.cli import main

    monkeypatch.setenv("QCDESK_PASSPHRASE", PASS)
    path = study(tmp_path)
    damaged = backups.list_backups(path)[0].path
    damaged.write_bytes(damaged.read_bytes()[:3000])
    assert main(["encrypt", str(path)]) == 1
    captured = capsys.readouterr()
    assert encryption.is_encrypted(path)
    assert damaged.name in captured.err and "unencrypted" in captured.err
