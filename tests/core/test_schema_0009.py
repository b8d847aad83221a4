"""Schema step 0009: the documents list is read from an index of its own columns, never from
the table rows, whose transcript text spills over many pages (issue 19: with 1,000 transcripts
``documents()`` walked about 50 MB of overflow pages on each call); counts per code come from
an index of (code, document)."""

from __future__ import annotations

import sqlite3

import pytest

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.core.storage import documents as doc_sql
from qcdesk.core.storage import schema

pytestmark = pytest.mark.core

LIST_QUERY = f"SELECT {doc_sql._DOC_COLUMNS} FROM documents ORDER BY position, id"  # noqa: SLF001


def plan(db, sql: str, args=()) -> str:
    return " | ".join(row[-1] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}", list(args)).fetchall())


def test_document_list_reads_no_table_row(tmp_path):
    with Project.create(tmp_path / "p.qcdesk") as project:
        for i in range(3):
            project.documents.add(f"Interview {i}", ParsedDocument(text="x" * 20_000 + str(i), source_format="txt"))
        assert "COVERING INDEX" in plan(project.db, LIST_QUERY)
        assert [d.name for d in project.documents()] == ["Interview 0", "Interview 1", "Interview 2"]
        # the codebook's counts per code come from an index alone too
        for sql in ("SELECT count(DISTINCT document_id) FROM codings WHERE code_id IN (?, ?)",
                    "SELECT code_id, count(*), count(DISTINCT document_id) FROM codings GROUP BY code_id"):
            assert "COVERING INDEX idx_codings_code_document" in plan(project.db, sql, [1, 2] if "?" in sql else [])
        assert project.document(2).char_count == 20_001


def test_an_older_file_gets_the_index_after_a_backup(tmp_path):
    path = tmp_path / "old.qcdesk"
    with Project.create(path) as project:
        project.documents.add("Interview", ParsedDocument(text="some words " * 3000, source_format="txt"))
    conn = sqlite3.connect(path)
    conn.execute("DROP INDEX idx_documents_list")
    conn.execute("DROP INDEX idx_codings_code_document")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = '0009_list_indexes'")
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION - 1}")
    conn.commit()
    assert "COVERING INDEX" not in plan(conn, LIST_QUERY)
    conn.close()
    with Project.open(path) as project:
        assert project.backup is not None and project.backup.is_file()
        assert "COVERING INDEX" in plan(project.db, LIST_QUERY)
        assert [d.name for d in project.documents()] == ["Interview"]
        assert project.db.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
