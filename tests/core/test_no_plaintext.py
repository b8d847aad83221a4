"""No plaintext on disk: a realistic session on an encrypted project leaves none of the
participant's words, code names or memo text in any file qcdesk writes (the project, its WAL
and shared memory, temporary files, backups, the lock file), in UTF-8 or UTF-16."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from qcdesk.core import backups
from qcdesk.core.importing import import_files
from qcdesk.core.project import Project
from qcdesk.core.storage import connection, schema

pytestmark = pytest.mark.core

PASS = "correct horse battery"
#: distinctive words that cannot occur in a file by chance
WORDS = ["Quillborough", "Zebulonia", "Marmadukeish", "Xanthippean", "Brontëvale"]
TRANSCRIPT = ("Interviewer: Where did you grow up?\n"
              "Participant: In Quillborough, near the Zebulonia clinic. Nobody there knew.\n")


def leaks(folders: list[Path], words: list[str]) -> list[str]:
    """Every (file, word, encoding) where a word appears, like `strings` in both encodings."""
    found = []
    for folder in folders:
        files = [folder] if folder.is_file() else [p for p in folder.rglob("*") if p.is_file()]
        for path in files:
            data = path.read_bytes()
            for word in words:
                for encoding in ("utf-8", "utf-16-le"):
                    if word.encode(encoding) in data:
                        found.append(f"{path} contains {word!r} ({encoding})")
    return found


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Temporary files of this process (Python's and SQLite's) land in a folder we scan."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    for name in ("TMPDIR", "TEMP", "TMP", "SQLITE_TMPDIR"):
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _old_encrypted_project(path: Path) -> None:
    """A project in format 2, encrypted, holding one of the words (to trigger an upgrade backup)."""
    db = connection.connect(path, passphrase=PASS)
    db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    schema.migrations.apply(db, stop_before="0003_analysis_security")
    db.execute("PRAGMA user_version = 2")
    db.execute("INSERT INTO documents (name, plain_text, source_format, imported_at, content_hash, "
               "char_count) VALUES ('Old', ?, 'txt', '2020', 'x', 22)", ["I met Brontëvale there"])
    db.conn.commit()
    db.close()


def test_a_whole_session_leaves_no_plaintext(tmp_path, private_tmp):
    sources = tmp_path / "sources"  # the user's own transcript files, outside the scan
    sources.mkdir()
    (sources / "interview.txt").write_text(TRANSCRIPT, encoding="utf-8")
    work = tmp_path / "study"
    work.mkdir()
    path = work / "study.qcdesk"

    with Project.create(path, passphrase=PASS) as project:
        project.set_coder("Ana")
        report = import_files(project, [sources / "interview.txt"])
        doc = report.imported[0]
        text = project.document_text(doc.id)
        code = project.codebook.add("Xanthippean place").value
        start = text.index("Quillborough")
        project.codings.apply(doc.id, code.id, start, start + len("Quillborough"))
        with project.action():
            project.db.execute("INSERT INTO memos (title, body, code_id, created, modified) "
                               "VALUES ('Place', 'Marmadukeish link to Zebulonia', ?, '2025', '2025')",
                               [code.id])
        project.codebook.rename(code.id, "Place of growing up")
        project.codebook.rename(code.id, "Xanthippean place")  # what undo does
        hits = project.db.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'Zebulonia'")
        assert hits.fetchall() == [(doc.id,)]  # the full-text index works, and stays encrypted
        schema.copy_database(project.db, work / "manual backup.qcdesk")
        backups.make_backup(project)
        # while open, the WAL and shared memory exist: scan them too
        assert not leaks([work, private_tmp], WORDS)

    with Project.open(path, passphrase=PASS) as again:
        assert [c.name for c in again.codes()] == ["Xanthippean place"]
    old = work / "old.qcdesk"
    _old_encrypted_project(old)
    with Project.open(old, passphrase=PASS) as upgraded:
        assert upgraded.backup is not None and upgraded.backup.exists()

    names = {p.name for p in work.rglob("*")}
    assert {"manual backup.qcdesk", "old.qcdesk", "study.qcdesk"} <= names
    assert any(n.startswith("old.qcdesk.v2-") for n in names)  # the upgrade backup
    assert any(n.startswith("study 20") for n in names)  # the rotating backup
    assert leaks([work, private_tmp], WORDS) == []
    # the scan itself can fail: the same session on a plain project shows the words
    plain = tmp_path / "plain.qcdesk"
    with Project.create(plain) as project:
        import_files(project, [sources / "interview.txt"])
    assert leaks([plain], WORDS)
