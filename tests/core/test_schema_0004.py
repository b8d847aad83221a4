"""Migration 0004: every table whose rows undo restores by id gets AUTOINCREMENT ids.

An older file is rebuilt table by table with its rows, ids, indexes, triggers, foreign keys
and full-text index intact; afterwards a deleted id is never given to a new row.
"""

from __future__ import annotations

import sqlite3

import pytest

from qcdesk.core.project import Project
from qcdesk.core.storage import connection, schema, table_rebuild

pytestmark = pytest.mark.core

OLD_VERSION = schema.MIGRATION_NAMES.index("0004_stable_ids")


def old_file(path):
    """A project as the qcdesk before 0004 wrote it, with a row in every table."""
    db = connection.connect(path)
    connection.use_wal(db, path)
    db.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    schema.migrations.apply(db, stop_before="0004_stable_ids")
    db.executescript("""
        BEGIN;
        INSERT INTO coders (id, name, created) VALUES (1, 'AB', 'x'), (2, 'CD', 'x');
        UPDATE session SET coder_id = 2;
        INSERT INTO documents (id, name, plain_text, source_format, imported_at, content_hash, char_count)
            VALUES (1, 'I1', 'The résumé was ignored by my mentor.', 'txt', 'x', 'h1', 36),
                   (2, 'I2', 'Nobody listened to me there.', 'txt', 'x', 'h2', 28),
                   (3, 'I3', 'A third transcript, deleted below.', 'txt', 'x', 'h3', 34);
        INSERT INTO blocks (id, document_id, kind, start, "end") VALUES (1, 1, 'paragraph', 0, 36),
            (2, 2, 'paragraph', 0, 28);
        INSERT INTO speaker_turns (id, document_id, speaker, start, "end") VALUES (1, 1, 'P1', 0, 36);
        INSERT INTO codes (id, parent_id, name, created) VALUES (1, NULL, 'Theme', 'x'),
            (2, 1, 'Ignored', 'x'), (3, NULL, 'Heard', 'x');
        INSERT INTO codings (id, document_id, code_id, start, "end", coder_id, created)
            VALUES (1, 1, 2, 4, 10, 1, 'x'), (2, 2, 3, 0, 6, 2, 'x'), (3, 3, 3, 0, 5, 1, 'x');
        INSERT INTO memos (id, title, coding_id, created, modified) VALUES (1, 'on a coding', 1, 'x', 'x');
        INSERT INTO memos (id, title, code_id, created, modified) VALUES (2, 'on a code', 2, 'x', 'x');
        INSERT INTO memos (id, title, created, modified) VALUES (3, 'Journal', 'x', 'x');
        INSERT INTO cases (id, name) VALUES (1, 'P1'), (2, 'P2');
        INSERT INTO case_documents VALUES (1, 1);
        INSERT INTO case_speakers VALUES (2, 1, 'P1');
        INSERT INTO attributes (id, name, value_type) VALUES (1, 'Role', 'text');
        INSERT INTO case_attributes VALUES (1, 1, 'mentee');
        INSERT INTO pseudonyms (id, original, pseudonym, created) VALUES (1, 'Núñez', 'Smith', 'x');
        INSERT INTO external_ids VALUES ('code', 2, 'guid-2'), ('document', 1, 'guid-d1');
        DELETE FROM documents WHERE id = 3;
        COMMIT;
    """)
    db.execute(f"PRAGMA user_version = {OLD_VERSION}")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def schema_objects(conn):
    """Indexes and triggers as written (the tables' own SQL gains AUTOINCREMENT)."""
    return sorted(conn.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger')").fetchall(),
        key=repr)


def all_rows(conn, like=None):
    """Every row of every table; with ``like`` (an earlier result), only its tables and columns,
    so the steps after 0004 (new tables, new columns) do not count as changed data."""
    names = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT IN ('_sqlite_migrations', 'audit_log') AND sql NOT LIKE 'CREATE VIRTUAL%'")]
    if like is not None:
        names = [n for n in names if n in like]
    out = {}
    for n in names:
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info([{n}])")]
        if like is not None:
            cols = cols[:like[n][1]]
        rows = sorted(conn.execute(f"SELECT {', '.join(f'[{c}]' for c in cols)} FROM [{n}]").fetchall(), key=repr)
        out[n] = (rows, len(cols))
    return out


@pytest.fixture
def old_path(tmp_path):
    path = tmp_path / "old.qcdesk"
    old_file(path)
    return path


def test_old_file_upgrades_with_its_data_intact(old_path):
    conn = sqlite3.connect(old_path)
    rows_before, objects_before = all_rows(conn), schema_objects(conn)
    audit_before = conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    conn.close()

    with Project.open(old_path) as p:
        assert p.backup is not None and p.backup.exists()
        assert schema.file_version(p.db) == schema.SCHEMA_VERSION
        conn = p.db.conn
        # ALTER TABLE adds columns at the end: the earlier columns keep their order
        assert all_rows(conn, like=rows_before) == rows_before
        assert set(objects_before) <= set(schema_objects(conn))
        assert conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_before
        for table in schema.STABLE_ID_TABLES:
            assert table_rebuild.has_autoincrement(p.db, table), table
        seq = dict(conn.execute("SELECT name, seq FROM sqlite_sequence").fetchall())
        assert seq["documents"] == 2 and seq["codes"] == 3 and seq["codings"] == 2
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
        assert [r[0] for r in conn.execute(
            "SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'resume'")] == [1]
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1

        # the foreign keys and triggers still act on the rebuilt tables
        done = p.codebook.delete(1)
        snap = done.value
        assert p.db.execute("SELECT count(*) FROM codings WHERE code_id = 2").fetchone()[0] == 0
        assert p.db.execute("SELECT count(*) FROM external_ids WHERE kind = 'code'").fetchone()[0] == 0
        assert {r["guid"] for r in snap["external_ids"]} == {"guid-2"}
        done.undo.run()
        assert all_rows(conn, like=rows_before)["external_ids"] == rows_before["external_ids"]
        with pytest.raises(sqlite3.IntegrityError):
            with p.action():
                p.db.execute('INSERT INTO codings (document_id, code_id, start, "end", created) '
                             "VALUES (999, 1, 0, 1, 'x')")
        # an id once used is not used again, even one deleted before the upgrade... from now on
        p.documents.delete(2)
        from qcdesk.core.importers.base import ParsedDocument
        new = p.documents.add("I4", ParsedDocument(text="New.", source_format="txt"))
        assert new.id == 3
        assert p.codebook.add("New").value.id == 4
    # the backup is the file as it was
    old = sqlite3.connect(p.backup)
    try:
        assert old.execute("PRAGMA user_version").fetchone()[0] == OLD_VERSION
        assert all_rows(old) == rows_before
        assert "AUTOINCREMENT" not in old.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'documents'").fetchone()[0]
    finally:
        old.close()


def test_new_projects_have_stable_ids(tmp_path):
    with Project.create(tmp_path / "new.qcdesk") as p:
        for table in schema.STABLE_ID_TABLES:
            assert table_rebuild.has_autoincrement(p.db, table), table


def test_every_table_with_its_own_id_is_covered(tmp_path):
    """A table added later with an ``id`` of its own must be added to STABLE_ID_TABLES (or
    be deliberately left out here), or undo could restore its rows onto ids taken since."""
    with Project.create(tmp_path / "new.qcdesk") as p:
        with_id = {name for (name,) in p.db.execute(
            "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c "
            "WHERE m.type = 'table' AND c.name = 'id' AND c.pk = 1 AND lower(c.type) = 'integer' "
            "AND m.name NOT LIKE 'documents_fts%'")}  # the full-text index's own tables
        # tables made after 0004 are created with AUTOINCREMENT (document sets)
        later = {t for t in with_id - set(schema.STABLE_ID_TABLES) if table_rebuild.has_autoincrement(p.db, t)}
    assert with_id - set(schema.STABLE_ID_TABLES) - later == {"session", "audit_log", "_sqlite_migrations"}


def test_a_rebuild_that_fails_its_checks_leaves_the_file_as_it_was(old_path, monkeypatch):
    conn = sqlite3.connect(old_path)
    rows_before, objects_before = all_rows(conn), schema_objects(conn)
    conn.close()

    def broken(db, counts, dangling):
        raise table_rebuild.RebuildError("simulated check failure")

    monkeypatch.setattr(table_rebuild, "_check", broken)
    with pytest.raises(table_rebuild.RebuildError):
        Project.open(old_path)
    conn = sqlite3.connect(old_path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == OLD_VERSION
        assert all_rows(conn) == rows_before
        assert schema_objects(conn) == objects_before
        assert "AUTOINCREMENT" not in conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'codings'").fetchone()[0]
    finally:
        conn.close()
    monkeypatch.undo()
    with Project.open(old_path) as p:  # and it upgrades once the checks pass
        assert p.db.execute("SELECT count(*) FROM codings").fetchone()[0] == 2


def test_step_run_again_after_an_interruption_changes_nothing(old_path):
    with Project.open(old_path) as p:
        rows = all_rows(p.db.conn)
        assert table_rebuild.add_autoincrement(p.db, list(schema.STABLE_ID_TABLES)) == []
        assert all_rows(p.db.conn) == rows


def test_rebuild_refuses_to_run_with_foreign_keys_on(old_path):
    """Inside a transaction foreign keys cannot be switched off, and dropping ``documents``
    with them on would cascade into every coding: refuse instead."""
    db = connection.connect(old_path)
    try:
        with db.atomic():
            with pytest.raises(table_rebuild.RebuildError):
                table_rebuild.add_autoincrement(db, ["documents"])
        assert db.execute("SELECT count(*) FROM codings").fetchone()[0] == 2
    finally:
        db.close()
