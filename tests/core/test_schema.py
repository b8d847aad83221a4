"""The project file: identity, version gate, refusal of foreign files, durability."""

from __future__ import annotations

import hashlib
import random
import sqlite3

import pytest
from sqlite_utils import Migrations

from qcdesk.core.errors import NotAProjectError, ProjectError, ProjectTooNewError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.core.storage import schema

pytestmark = pytest.mark.core


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pragma(path, name):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def siblings(path):
    """Files next to ``path`` other than itself (stray -wal/-shm/-journal files, backups)."""
    return sorted(p.name for p in path.parent.iterdir() if p != path)


@pytest.fixture
def project_file(tmp_path):
    path = tmp_path / "study.qcdesk"
    with Project.create(path) as p:
        doc = p.documents.add("D", ParsedDocument("mentoring and feedback", "txt"))
        code = p.codebook.add("Feedback").value
        p.codings.apply(doc.id, code.id, 0, 9)
    return path


# ----------------------------------------------------------------- identity
def test_new_file_has_application_id_and_user_version(project_file):
    assert pragma(project_file, "user_version") == schema.SCHEMA_VERSION >= 1
    assert pragma(project_file, "application_id") == schema.APPLICATION_ID
    header = project_file.read_bytes()[:100]
    assert header.startswith(b"SQLite format 3\x00")
    assert header[68:72] == b"QCDK"
    assert header[60:64] == schema.SCHEMA_VERSION.to_bytes(4, "big")


def test_new_project_records_creation(project_file):
    with Project.open(project_file) as p:
        assert p.info("created")
        assert p.info("created_by").startswith("qcdesk ")
        assert p.backup is None


def test_create_refuses_an_existing_file(project_file):
    before = digest(project_file)
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(project_file)
    assert digest(project_file) == before


# ----------------------------------------------------------------- version gate
def _set_version(path, version, journal_mode=None):
    conn = sqlite3.connect(path)
    if journal_mode:
        conn.execute(f"PRAGMA journal_mode = {journal_mode}")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("journal_mode", [None, "delete"])
@pytest.mark.parametrize("read_only", [False, True])
def test_newer_file_is_refused_untouched(project_file, journal_mode, read_only):
    _set_version(project_file, schema.SCHEMA_VERSION + 1, journal_mode)
    before = digest(project_file)
    with pytest.raises(ProjectTooNewError, match="newer version") as info:
        Project.open(project_file, read_only=read_only)
    assert str(schema.SCHEMA_VERSION + 1) in str(info.value)
    assert digest(project_file) == before
    if not read_only:
        # (a read-only connection to a WAL file may leave empty -wal/-shm files: SQLite's own
        # behaviour, harmless; the project file itself must not change either way)
        assert siblings(project_file) == []
    assert pragma(project_file, "user_version") == schema.SCHEMA_VERSION + 1


def test_sqlite_database_of_another_app_is_refused_untouched(tmp_path):
    path = tmp_path / "zotero-like.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("INSERT INTO items (title) VALUES ('a paper')")
    conn.commit()
    conn.close()
    before = digest(path)
    with pytest.raises(NotAProjectError, match="not a qcdesk project"):
        Project.open(path)
    assert digest(path) == before
    assert pragma(path, "journal_mode") == "delete"
    assert siblings(path) == []


@pytest.mark.parametrize("content", [
    b"Interviewer: hello\n\nP01 (mentor): hi there, this is a transcript saved with the wrong suffix\n",
    random.Random(1).randbytes(5000),  # fixed bytes: the same test ids in every process (pytest-xdist)
    b"x",
    b"PK\x03\x04" + random.Random(2).randbytes(60),  # a zipped .docx renamed
])
def test_non_database_files_are_refused_untouched(tmp_path, content):
    path = tmp_path / "renamed.qcdesk"
    path.write_bytes(content)
    with pytest.raises(ProjectError, match="not a qcdesk project"):
        Project.open(path)
    assert path.read_bytes() == content
    assert siblings(path) == []


def test_text_file_renamed_is_not_a_project(tmp_path):
    path = tmp_path / "notes.qcdesk"
    path.write_text("Interviewer: How did you find a mentor?\n\n" * 20, encoding="utf-8")
    before = digest(path)
    with pytest.raises(NotAProjectError):
        Project.open(path)
    assert digest(path) == before


def test_empty_file_is_refused_and_left_empty(tmp_path):
    path = tmp_path / "empty.qcdesk"
    path.touch()
    with pytest.raises(ProjectError, match="empty"):
        Project.open(path)
    assert path.stat().st_size == 0
    assert siblings(path) == []


def test_empty_database_is_not_a_project(tmp_path):
    path = tmp_path / "blank.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("DROP TABLE t")  # a real SQLite header, but no schema at all
    conn.commit()
    conn.close()
    assert path.read_bytes().startswith(b"SQLite format 3\x00")
    before = digest(path)
    with pytest.raises(ProjectError, match="empty database"):
        Project.open(path)
    assert digest(path) == before
    assert siblings(path) == []


def test_missing_file_is_refused_and_not_created(tmp_path):
    path = tmp_path / "nope.qcdesk"
    with pytest.raises(ProjectError, match="does not exist"):
        Project.open(path)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_folder_is_refused(tmp_path):
    with pytest.raises(ProjectError, match="folder"):
        Project.open(tmp_path)


def test_create_in_a_missing_folder_is_a_project_error(tmp_path):
    path = tmp_path / "no such folder" / "p.qcdesk"
    with pytest.raises(ProjectError):
        Project.create(path)
    assert not path.parent.exists()


# ----------------------------------------------------------------- migration of older files
@pytest.fixture
def newer_schema(monkeypatch):
    """Pretend this qcdesk knows one more migration step than the file on disk."""
    steps = Migrations("qcdesk")
    for m in schema.migrations._migrations:
        steps(name=m.name, transactional=m.transactional)(m.fn)

    state = {"fail": False}

    @steps(name="9999_test_step")
    def _extra(db):
        db.execute("CREATE TABLE test_step (id INTEGER PRIMARY KEY)")
        if state["fail"]:
            raise RuntimeError("simulated failing migration")

    monkeypatch.setattr(schema, "migrations", steps)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(steps._migrations))
    return state


def test_older_file_is_backed_up_then_migrated(project_file, newer_schema):
    old_version = pragma(project_file, "user_version")
    with Project.open(project_file) as p:
        assert p.backup is not None and p.backup.exists()
        assert p.backup.parent == project_file.parent
        assert p.backup.name.startswith(f"{project_file.name}.v{old_version}")
        assert [d.name for d in p.documents()] == ["D"]
        assert p.db["test_step"].exists()
        backup = p.backup
    assert pragma(project_file, "user_version") == schema.SCHEMA_VERSION == old_version + 1
    # the backup is the file as it was: old version, same data, no new table
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == old_version
        assert conn.execute("SELECT name FROM documents").fetchall() == [("D",)]
        assert conn.execute("SELECT count(*) FROM codings").fetchone()[0] == 1
        assert conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'test_step'").fetchone()[0] == 0
    finally:
        conn.close()
    # opening the migrated file again makes no further backup
    with Project.open(project_file) as p:
        assert p.backup is None
    assert len([n for n in siblings(project_file) if n.endswith(".backup")]) == 1


def test_older_file_read_only_is_not_migrated(project_file, newer_schema):
    before = digest(project_file)
    with pytest.raises(ProjectError, match="older project format"):
        Project.open(project_file, read_only=True)
    assert digest(project_file) == before
    assert not any(n.endswith(".backup") for n in siblings(project_file))


def test_failing_migration_leaves_the_old_file_usable(project_file, newer_schema):
    old_version = pragma(project_file, "user_version")
    newer_schema["fail"] = True
    with pytest.raises(Exception):
        Project.open(project_file)
    assert pragma(project_file, "user_version") == old_version
    conn = sqlite3.connect(project_file)
    try:
        assert conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'test_step'").fetchone()[0] == 0
        assert conn.execute("SELECT name FROM documents").fetchall() == [("D",)]
    finally:
        conn.close()
    assert any(n.endswith(".backup") for n in siblings(project_file))


# ----------------------------------------------------------------- store guarantees
def test_foreign_keys_are_enforced(project_file):
    with Project.open(project_file) as p:
        assert p.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        with pytest.raises(sqlite3.IntegrityError):
            with p.action():
                p.db.execute('INSERT INTO codings (document_id, code_id, start, "end", created) '
                             "VALUES (999, 999, 0, 1, 'now')")
        with pytest.raises(sqlite3.IntegrityError):
            with p.action():
                p.db.execute("INSERT INTO codes (parent_id, name, created) VALUES (12345, 'orphan', 'now')")
        assert p.stats()["codings"] == 1 and p.stats()["codes"] == 1
        # deleting a document cascades to its codings at the database level
        p.documents.delete(p.documents()[0].id)
        assert p.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 0


def test_wal_mode_is_on(project_file):
    with Project.open(project_file) as p:
        assert p.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert pragma(project_file, "journal_mode") == "wal"
    # close folds the WAL back: the project is one self-contained file again
    assert siblings(project_file) == []


def test_each_action_is_committed_on_disk_before_close(project_file):
    def peek(sql):
        conn = sqlite3.connect(f"file:{project_file}?mode=ro", uri=True)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()

    with Project.open(project_file) as p:
        code = p.codebook.add("Belonging", color="#e8daef").value
        assert not p.db.conn.in_transaction
        assert peek(f"SELECT name, color FROM codes WHERE id = {code.id}") == [("Belonging", "#e8daef")]
        doc = p.documents()[0]
        coding = p.codings.apply(doc.id, code.id, 10, 14).value
        assert peek(f'SELECT start, "end" FROM codings WHERE id = {coding.id}') == [(10, 14)]
        p.codebook.rename(code.id, "Belonging in medicine")
        assert peek(f"SELECT name FROM codes WHERE id = {code.id}") == [("Belonging in medicine",)]
        p.set_coder("Ana")
        assert peek("SELECT name FROM coders") == [("Ana",)]
        p.codings.remove(coding.id)
        assert peek(f"SELECT count(*) FROM codings WHERE id = {coding.id}") == [(0,)]
        assert not p.db.conn.in_transaction


def test_integrity_check_passes(project_file):
    with Project.open(project_file) as p:
        assert p.integrity_ok()
