"""SQL that reports need and no other operation does: memo texts by what they annotate,
which documents are pseudonymised, and the codings of one document with their coder."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Iterable, Iterator, NamedTuple

import sqlite_utils


def _memo_text(title: str, body: str) -> str:
    title, body = (title or "").strip(), (body or "").strip()
    if title and body:
        return f"{title}: {body}"
    return title or body


def coding_memos(db: sqlite_utils.Database, coding_ids: list[int] | None = None) -> dict[int, list[str]]:
    """coding id -> the texts of its memos (title: body), oldest first."""
    sql = "SELECT coding_id, title, body FROM memos WHERE coding_id IS NOT NULL"
    args: list = []
    if coding_ids is not None:
        sql += " AND coding_id IN (SELECT value FROM json_each(?))"
        args.append(json.dumps([int(i) for i in coding_ids]))
    out: dict[int, list[str]] = defaultdict(list)
    for coding_id, title, body in db.execute(sql + " ORDER BY id", args).fetchall():
        text = _memo_text(title, body)
        if text:
            out[coding_id].append(text)
    return dict(out)


def code_memos(db: sqlite_utils.Database) -> dict[int, list[str]]:
    """code id -> the texts of its memos, oldest first."""
    out: dict[int, list[str]] = defaultdict(list)
    for code_id, title, body in db.execute(
            "SELECT code_id, title, body FROM memos WHERE code_id IS NOT NULL ORDER BY id").fetchall():
        text = _memo_text(title, body)
        if text:
            out[code_id].append(text)
    return dict(out)


def pseudonymised_documents(db: sqlite_utils.Database) -> set[int]:
    """Ids of documents marked as pseudonymised (empty on projects without that column)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(documents)").fetchall()}
    if "pseudonymised_at" not in columns:
        return set()
    return {r[0] for r in db.execute(
        "SELECT id FROM documents WHERE pseudonymised_at IS NOT NULL").fetchall()}


def _ids(ids: Iterable[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


def code_segments(db: sqlite_utils.Database, code_id: int, document_ids: Iterable[int],
                  known: Iterable[int] = ()) -> list[tuple]:
    """The text codings of one code in these documents, each with the text it covers, read with
    ``substr`` (which counts code points as Python does, so no document is read whole), or
    ``None`` for documents in ``known`` (whose text the caller holds):
    ``(id, document_id, code_id, start, end, coder_id, created, text)`` by document, start, end, id."""
    return [tuple(r) for r in db.execute(
        'SELECT c.id, c.document_id, c.code_id, c.start, c."end", c.coder_id, c.created, '
        "CASE WHEN c.document_id IN (SELECT value FROM json_each(?)) THEN NULL "
        'ELSE substr(d.plain_text, c.start + 1, c."end" - c.start) END '
        "FROM codings c JOIN documents d ON d.id = c.document_id "
        "WHERE c.code_id = ? AND c.document_id IN (SELECT value FROM json_each(?)) "
        'ORDER BY c.document_id, c.start, c."end", c.id', [_ids(known), code_id, _ids(document_ids)])]


def code_documents(db: sqlite_utils.Database, code_id: int) -> list[int]:
    """The documents holding text codings of one code."""
    return [r[0] for r in db.execute("SELECT DISTINCT document_id FROM codings WHERE code_id = ?", [code_id])]


class Tally(NamedTuple):
    """How many codings of a code one coder made in one document."""

    code_id: int
    document_id: int
    coder_id: int | None
    codings: int


def tally(db: sqlite_utils.Database, code_ids: Iterable[int], document_ids: Iterable[int]) -> Iterator[Tally]:
    """The counts of text and time codings together, grouped by code, document and coder: the
    counts a report states, without reading any text."""
    args = [_ids(code_ids), _ids(document_ids)]
    where = ("WHERE code_id IN (SELECT value FROM json_each(?)) "
             "AND document_id IN (SELECT value FROM json_each(?))")
    for row in db.execute(
            f"SELECT code_id, document_id, coder_id, count(*) FROM codings {where} GROUP BY 1, 2, 3 "
            f"UNION ALL SELECT code_id, document_id, coder_id, count(*) FROM time_codings {where} "
            "GROUP BY 1, 2, 3", args + args):
        yield Tally(*row)


def coding_spans(db: sqlite_utils.Database, code_ids: Iterable[int],
                 document_ids: Iterable[int]) -> Iterator[tuple[int, int, int, int, int | None]]:
    """``(code_id, document_id, start, end, coder_id)`` of every text and time coding (a time
    coding's range is empty, at 0), one row at a time, for counts that need a filter applied."""
    args = [_ids(code_ids), _ids(document_ids)]
    where = ("WHERE code_id IN (SELECT value FROM json_each(?)) "
             "AND document_id IN (SELECT value FROM json_each(?))")
    yield from db.execute(
        f'SELECT code_id, document_id, start, "end", coder_id FROM codings {where} '
        f"UNION ALL SELECT code_id, document_id, 0, 0, coder_id FROM time_codings {where}", args + args)
