"""SQL for full-text search: the FTS5 index over documents.plain_text, and undoing bulk coding of hits
(adding codings is :mod:`qcdesk.core.coding_rules`' job)."""

from __future__ import annotations

import json
from typing import Iterable, Iterator, NamedTuple

import sqlite_utils



def _ids(ids: Iterable[int]) -> str:
    return json.dumps([int(i) for i in ids])


def fts_matches(db: sqlite_utils.Database, fts_query: str) -> set[int]:
    """Ids of the documents the FTS5 index says contain ``fts_query`` (an FTS5 query string).

    Raises :class:`sqlite3.OperationalError` on a malformed query; the caller builds only
    quoted phrases, so that means a bug or a damaged index, not the user's typing.
    """
    sql = "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?"
    return {row[0] for row in db.execute(sql, [fts_query]).fetchall()}


def content_hashes(db: sqlite_utils.Database) -> dict[int, str]:
    """Document id -> hash of its text, for every document."""
    return dict(db.execute("SELECT id, content_hash FROM documents").fetchall())


class DocumentBytes(NamedTuple):
    """A document's text as stored, in UTF-8."""

    id: int
    data: bytes


def texts(db: sqlite_utils.Database, ids: Iterable[int]) -> Iterator[DocumentBytes]:
    """The UTF-8 bytes of these documents' texts, in the order they are stored (by id: no
    sorting of the texts, which would copy them all first).

    The bytes, not the text: search decodes them itself and reads which non-ASCII characters
    occur from the bytes, cheaper than from the decoded text."""
    sql = ("SELECT id, CAST(plain_text AS BLOB) FROM documents "
           "WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id")
    for doc_id, data in db.execute(sql, [_ids(sorted(ids))]):
        yield DocumentBytes(doc_id, data)


class DocumentName(NamedTuple):
    id: int
    name: str


def names(db: sqlite_utils.Database, ids: Iterable[int]) -> list[DocumentName]:
    """These documents' ids and names in interview order, without their texts: read from the
    covering index of the document list (looking rows up by id would walk past each text)."""
    wanted = set(ids)
    rows = db.execute("SELECT id, name FROM documents ORDER BY position, id").fetchall()
    return [DocumentName(doc_id, name) for doc_id, name in rows if doc_id in wanted]
