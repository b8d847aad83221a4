"""SQL of the soundness check: SQLite's own checks, and each document's stored text with its fingerprint."""

from __future__ import annotations

import sqlite3
from typing import Iterator, NamedTuple

import sqlite_utils


def _damage_errors() -> tuple[type[BaseException], ...]:
    """What either driver raises on a damaged file (SQLCipher's errors are not :mod:`sqlite3`'s)."""
    found: list[type[BaseException]] = [sqlite3.DatabaseError, UnicodeDecodeError]
    try:
        import sqlcipher3  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - depends on the install
        return tuple(found)
    return (*found, sqlcipher3.DatabaseError)


#: errors meaning "the file cannot be read as it should", from sqlite3 or sqlcipher3
DAMAGE = _damage_errors()

#: the FTS5 table indexing documents.plain_text (schema: "documents_fts")
FTS_TABLE = "documents_fts"


def integrity_problems(db: sqlite_utils.Database, limit: int = 20) -> list[str]:
    """SQLite's check of every page, b-tree and index: [] when it says "ok"."""
    rows = [row[0] for row in db.execute(f"PRAGMA integrity_check({int(limit)})").fetchall()]
    return [] if rows == ["ok"] else rows


class ForeignKeyProblem(NamedTuple):
    """A row whose reference leads nowhere."""

    table: str
    rowid: int | None
    #: the table it points to
    parent: str


class Fingerprint(NamedTuple):
    """A document's text as stored (UTF-8 bytes) and the fingerprint taken at import."""

    document_id: int
    name: str
    content_hash: str
    text_bytes: bytes | None


def foreign_key_problems(db: sqlite_utils.Database) -> list[ForeignKeyProblem]:
    """Every row whose reference leads nowhere."""
    return [ForeignKeyProblem(row[0], row[1], row[2]) for row in db.execute("PRAGMA foreign_key_check").fetchall()]


def fts_check(db: sqlite_utils.Database) -> None:
    """FTS5's own check of the full-text index against the texts; raises ``DatabaseError`` if they differ.

    FTS5 takes the check as an INSERT, so it needs a writable connection; it changes nothing,
    and runs in a transaction that is rolled back, so nothing can reach the file either way."""
    conn = db.conn
    conn.execute("BEGIN")
    try:
        # rank 1: compare the index with the texts it indexes too (documents_fts has external
        # content; without it SQLite before 3.42 checks only the index's own structure)
        conn.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)")
    finally:
        conn.execute("ROLLBACK")


def document_fingerprints(db: sqlite_utils.Database) -> Iterator[Fingerprint]:
    """Every document's stored text and fingerprint, in interview order.

    The bytes are read as a BLOB so that a byte that no longer forms valid UTF-8 is still read
    (and found not to match), instead of failing to decode."""
    sql = ("SELECT id, name, content_hash, CAST(plain_text AS BLOB) FROM documents "
           "ORDER BY position, id")
    for row in db.execute(sql):
        yield Fingerprint(*row)


def document_count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT count(*) FROM documents").fetchone()[0])
