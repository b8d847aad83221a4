"""Migration steps run their SQL statement by statement in the step's transaction
(qcdesk/core/storage/sql_script.py): the same schema as sqlite-utils' ``executescript``, and a
step that fails leaves nothing behind."""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from qcdesk.core.project import Project
from qcdesk.core.storage import schema, sql_script

pytestmark = pytest.mark.core

TRIGGER_SCRIPT = """
    -- a comment; with a semicolon
    CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL DEFAULT 'a; b');
    /* a block comment; also with one */
    CREATE TABLE log (what TEXT);
    CREATE TRIGGER notes_logged AFTER INSERT ON notes BEGIN
        INSERT INTO log (what) VALUES ('added; ' || new.body);
        INSERT INTO log (what) VALUES ('twice');
    END;
    INSERT INTO notes (body) VALUES ('x;y')
"""


def master(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        pragmas = [conn.execute(f"PRAGMA {name}").fetchone()[0] for name in ("user_version", "application_id")]
        return rows + [tuple(pragmas)]
    finally:
        conn.close()


def test_statements_are_cut_only_where_sqlite_says_one_ends():
    assert sql_script.statements(TRIGGER_SCRIPT) == [
        "-- a comment; with a semicolon\n    CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL DEFAULT 'a; b');",
        "/* a block comment; also with one */\n    CREATE TABLE log (what TEXT);",
        "CREATE TRIGGER notes_logged AFTER INSERT ON notes BEGIN\n"
        "        INSERT INTO log (what) VALUES ('added; ' || new.body);\n"
        "        INSERT INTO log (what) VALUES ('twice');\n"
        "    END;",
        "INSERT INTO notes (body) VALUES ('x;y')",
    ]


def test_blanks_and_comments_alone_are_no_statement():
    assert sql_script.statements("  \n -- only a note;\n /* and; another */ \n") == []


def test_script_runs_in_the_open_transaction_and_is_not_committed(tmp_path):
    db = sqlite_utils.Database(tmp_path / "t.db")
    db.conn.execute("BEGIN")
    sql_script.run_in_transaction(db, TRIGGER_SCRIPT)
    assert db.conn.in_transaction  # executescript would have committed here
    assert [r[0] for r in db.execute("SELECT what FROM log ORDER BY rowid")] == ["added; x;y", "twice"]
    db.conn.execute("ROLLBACK")
    assert db.table_names() == []


def test_a_failing_statement_leaves_nothing_of_the_step(tmp_path):
    db = sqlite_utils.Database(tmp_path / "t.db")
    with pytest.raises(sqlite3.OperationalError), db.atomic():
        sql_script.run_in_transaction(db, "CREATE TABLE kept (x); CREATE TABLE broken (;")
    assert db.table_names() == []


def test_outside_a_transaction_it_refuses_to_run(tmp_path):
    db = sqlite_utils.Database(tmp_path / "t.db")
    with pytest.raises(RuntimeError):
        sql_script.run_in_transaction(db, "CREATE TABLE t (x);")
    assert db.table_names() == []


def test_the_schema_is_the_one_executescript_makes(tmp_path, monkeypatch):
    Project.create(tmp_path / "split.qcdesk").close()
    monkeypatch.setattr(sql_script, "run_in_transaction", lambda db, sql: db.executescript(sql))
    Project.create(tmp_path / "whole.qcdesk").close()
    made = master(tmp_path / "split.qcdesk")
    assert made == master(tmp_path / "whole.qcdesk")
    assert made[-1] == (schema.SCHEMA_VERSION, schema.APPLICATION_ID)
    assert sum(1 for row in made if row[0] == "trigger") > 20
