"""Schema steps 0007 and 0010 build their audit triggers with storage/audit_triggers.py: the SQL
text they run must stay exactly what it was when those steps shipped (files already migrated
keep the old text in sqlite_master; a new file must get the same)."""

from __future__ import annotations

import sqlite3

from qcdesk.core.storage import schema
from qcdesk.core.storage.audit_triggers import SESSION_CODER, audit_trigger

#: 0007_media's script as it shipped
SHIPPED_0007 = """
        CREATE TABLE media (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('audio', 'video')),
            mime TEXT NOT NULL,
            size INTEGER NOT NULL CHECK (size > 0),
            duration_ms INTEGER CHECK (duration_ms IS NULL OR duration_ms >= 0),
            storage TEXT NOT NULL CHECK (storage IN ('embedded', 'linked')),
            link_path TEXT,
            sha256 TEXT NOT NULL,
            chunk_size INTEGER NOT NULL CHECK (chunk_size > 0),
            added TEXT NOT NULL,
            CHECK ((storage = 'linked') = (link_path IS NOT NULL))
        );
        CREATE TABLE media_chunks (
            media_id INTEGER NOT NULL,
            seq INTEGER NOT NULL CHECK (seq >= 0),
            data BLOB NOT NULL,
            PRIMARY KEY (media_id, seq)
        );
        CREATE TRIGGER audit_media_added AFTER INSERT ON media BEGIN
            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (
                (SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id),
                'added', 'media', new.id,
                json_object('name', new.name, 'document_id', new.document_id,
                            'storage', new.storage, 'bytes', new.size));
        END;
        CREATE TRIGGER audit_media_removed AFTER DELETE ON media BEGIN
            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (
                (SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id),
                'removed', 'media', old.id,
                json_object('name', old.name, 'document_id', old.document_id, 'storage', old.storage));
        END;
        CREATE TRIGGER audit_media_relinked AFTER UPDATE OF link_path ON media BEGIN
            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (
                (SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id),
                'relinked', 'media', new.id,
                json_object('name', new.name, 'document_id', new.document_id,
                            'link_path', new.link_path, 'old_link_path', old.link_path));
        END;
        """

#: 0010_time_codings' script as it shipped
SHIPPED_0010 = """
        CREATE TABLE time_codings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
            coder_id INTEGER REFERENCES coders(id) ON DELETE SET NULL,
            start_ms INTEGER NOT NULL,
            end_ms INTEGER NOT NULL,
            memo TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            CHECK (start_ms >= 0 AND end_ms > start_ms)
        );
        CREATE INDEX idx_time_codings_document ON time_codings(document_id, start_ms);
        CREATE INDEX idx_time_codings_code ON time_codings(code_id);
        CREATE TRIGGER audit_time_coding_added AFTER INSERT ON time_codings BEGIN
            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (
                coalesce((SELECT name FROM coders WHERE id = new.coder_id),
                         (SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id)),
                'added', 'time coding', new.id,
                json_object('document_id', new.document_id, 'code_id', new.code_id,
                            'start_ms', new.start_ms, 'end_ms', new.end_ms));
        END;
        CREATE TRIGGER audit_time_coding_removed AFTER DELETE ON time_codings BEGIN
            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (
                (SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id),
                'removed', 'time coding', old.id,
                json_object('document_id', old.document_id, 'code_id', old.code_id,
                            'start_ms', old.start_ms, 'end_ms', old.end_ms));
        END;
        """


def test_0007_runs_the_sql_it_shipped_with():
    assert schema.MEDIA_SQL == SHIPPED_0007


def test_0010_runs_the_sql_it_shipped_with():
    assert schema.TIME_CODINGS_SQL == SHIPPED_0010


def test_a_trigger_made_by_the_helper_is_valid_sql_that_writes_the_audit_row():
    db = sqlite3.connect(":memory:")
    db.executescript("""
        CREATE TABLE coders (id INTEGER PRIMARY KEY, name TEXT);
        CREATE TABLE session (coder_id INTEGER);
        CREATE TABLE audit_log (coder TEXT, action TEXT, kind TEXT, object_id INTEGER, detail TEXT);
        CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT);
        INSERT INTO coders VALUES (1, 'Ana');
        INSERT INTO session VALUES (1);
    """)
    db.executescript(audit_trigger("audit_thing_added", "AFTER INSERT ON things", "added", "thing", "new.id",
                                   "json_object('name', new.name)"))
    db.execute("INSERT INTO things (name) VALUES ('x')")
    assert db.execute("SELECT * FROM audit_log").fetchall() == [("Ana", "added", "thing", 1, '{"name":"x"}')]
    assert SESSION_CODER in audit_trigger("t", "AFTER DELETE ON things", "removed", "thing", "old.id", "'{}'")
