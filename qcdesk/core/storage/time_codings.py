"""SQL for time codings: ``[start_ms, end_ms)`` of a document's recording tagged with a code."""

from __future__ import annotations

import sqlite_utils

from qcdesk.core.models import NO_CODINGS, CodeCount, TimeCoding
from qcdesk.core.storage import snapshots

_COLUMNS = "id, document_id, code_id, start_ms, end_ms, coder_id, memo, created_at"
_ORDER = "ORDER BY document_id, start_ms, end_ms, id"


def _rows(db: sqlite_utils.Database, where: str, args: list) -> list[TimeCoding]:
    return [TimeCoding(*r) for r in db.execute(f"SELECT {_COLUMNS} FROM time_codings WHERE {where} {_ORDER}", args)]


def get(db: sqlite_utils.Database, time_coding_id: int) -> TimeCoding | None:
    found = _rows(db, "id = ?", [time_coding_id])
    return found[0] if found else None


def for_document(db: sqlite_utils.Database, document_id: int) -> list[TimeCoding]:
    return _rows(db, "document_id = ?", [document_id])


def for_codes(db: sqlite_utils.Database, code_ids: list[int]) -> list[TimeCoding]:
    ids = "[" + ",".join(str(int(i)) for i in code_ids) + "]"
    return _rows(db, "code_id IN (SELECT value FROM json_each(?))", [ids])


def all_rows(db: sqlite_utils.Database) -> list[TimeCoding]:
    return _rows(db, "1", [])


def duplicate(db: sqlite_utils.Database, document_id: int, code_id: int, start_ms: int, end_ms: int,
              coder_id: int | None) -> TimeCoding | None:
    found = _rows(db, "document_id = ? AND code_id = ? AND start_ms = ? AND end_ms = ? AND coder_id IS ?",
                  [document_id, code_id, start_ms, end_ms, coder_id])
    return found[0] if found else None


def insert(db: sqlite_utils.Database, row: dict) -> int:
    cur = db.execute(
        "INSERT INTO time_codings (document_id, code_id, coder_id, start_ms, end_ms, memo, created_at) "
        "VALUES (:document_id, :code_id, :coder_id, :start_ms, :end_ms, :memo, :created_at)", row)
    assert cur.lastrowid is not None
    return int(cur.lastrowid)


def set_memo(db: sqlite_utils.Database, time_coding_id: int, memo: str) -> None:
    db.execute("UPDATE time_codings SET memo = ? WHERE id = ?", [memo, time_coding_id])


def delete(db: sqlite_utils.Database, time_coding_id: int) -> None:
    db.execute("DELETE FROM time_codings WHERE id = ?", [time_coding_id])


def snapshot(db: sqlite_utils.Database, ids: list[int]) -> dict[str, list[dict]]:
    return snapshots.capture(db, "time_codings", list(ids))


def restore(db: sqlite_utils.Database, rows: dict[str, list[dict]]) -> None:
    snapshots.restore(db, rows)


def counts_by_code(db: sqlite_utils.Database) -> dict[int, CodeCount]:
    """code id -> its time segments and the documents holding them."""
    return {code_id: CodeCount(segments, documents) for code_id, segments, documents in db.execute(
        "SELECT code_id, count(*), count(DISTINCT document_id) FROM time_codings GROUP BY code_id")}


def counts_by_code_and_document(db: sqlite_utils.Database) -> dict[tuple[int, int], int]:
    return {(r[0], r[1]): r[2] for r in db.execute(
        "SELECT code_id, document_id, count(*) FROM time_codings GROUP BY code_id, document_id")}


def coding_rows(db: sqlite_utils.Database) -> list[tuple]:
    """Every time coding as a retrieval row ``(-id, document, code, 0, 0, coder)``: a negative id
    (never a text coding's) and an empty range, for counts that take codings of both kinds."""
    return [tuple(r) for r in db.execute(
        "SELECT -id, document_id, code_id, 0, 0, coder_id FROM time_codings ORDER BY document_id, start_ms, id")]


def with_text_counts(db: sqlite_utils.Database, counts: dict[int, CodeCount],
                     code_ids: list[int] | None = None) -> dict[int, CodeCount]:
    """``counts`` of text codings per code with the time codings added
    (a document with codings of both kinds counts once)."""
    where, args = "", []
    if code_ids is not None:
        where, args = "WHERE code_id IN (SELECT value FROM json_each(?))", ["[" + ",".join(str(int(i)) for i in code_ids) + "]"]
    timed = db.execute(f"SELECT code_id, count(*) FROM time_codings {where} GROUP BY code_id", args).fetchall()
    if not timed:
        return counts
    out = dict(counts)
    ids = "[" + ",".join(str(r[0]) for r in timed) + "]"
    documents = dict(db.execute(
        "SELECT code_id, count(DISTINCT document_id) FROM (SELECT code_id, document_id FROM codings "
        "UNION ALL SELECT code_id, document_id FROM time_codings) "
        "WHERE code_id IN (SELECT value FROM json_each(?)) GROUP BY code_id", [ids]).fetchall())
    for code_id, n in timed:
        out[code_id] = CodeCount(counts.get(code_id, NO_CODINGS).segments + n, documents[code_id])
    return out


def documents_coded_with(db: sqlite_utils.Database, code_ids: list[int]) -> int:
    """How many documents have a text or time coding of any of ``code_ids``."""
    ids = "[" + ",".join(str(int(i)) for i in code_ids) + "]"
    # the filter inside each arm, so each is an index search (outside, SQLite scanned every coding)
    return int(db.execute(
        "SELECT count(DISTINCT document_id) FROM ("
        "SELECT document_id FROM codings WHERE code_id IN (SELECT value FROM json_each(?1)) "
        "UNION ALL SELECT document_id FROM time_codings WHERE code_id IN (SELECT value FROM json_each(?1)))",
        [ids]).fetchone()[0])


def codings_in_document(db: sqlite_utils.Database, code_ids: list[int], document_id: int) -> int:
    """How many text and time codings of any of ``code_ids`` one document has (by the code and
    document indexes: a code's totals follow one coding without counting every document again)."""
    ids = "[" + ",".join(str(int(i)) for i in code_ids) + "]"
    return int(db.execute(
        "SELECT (SELECT count(*) FROM codings WHERE document_id = ?2 AND code_id IN (SELECT value FROM json_each(?1)))"
        " + (SELECT count(*) FROM time_codings WHERE document_id = ?2 "
        "AND code_id IN (SELECT value FROM json_each(?1)))", [ids, int(document_id)]).fetchone()[0])


def move_to_code(db: sqlite_utils.Database, sources: list[int], target_id: int) -> list[list[int]]:
    """Give the sources' time codings to ``target_id`` (merging codes), except one that would
    duplicate a time coding of the target (same document, range and coder), which stays on its
    source; ``[id, old code]`` of each moved one, for :func:`recode` to move back."""
    def keys(code_ids: list[int]) -> list[tuple]:
        return db.execute(
            "SELECT id, code_id, document_id, start_ms, end_ms, coder_id FROM time_codings "
            "WHERE code_id IN (SELECT value FROM json_each(?)) ORDER BY id",
            ["[" + ",".join(str(int(i)) for i in code_ids) + "]"]).fetchall()

    seen = {tuple(row[2:]) for row in keys([target_id])}
    moved = []
    for tc_id, code_id, *key in keys(sources):
        if tuple(key) not in seen:
            seen.add(tuple(key))
            moved.append([tc_id, code_id])
    recode(db, [[tc_id, target_id] for tc_id, _ in moved])
    return moved


def recode(db: sqlite_utils.Database, pairs: list[list[int]]) -> None:
    """Set the code of each ``[time coding id, code id]``."""
    db.conn.executemany("UPDATE time_codings SET code_id = ? WHERE id = ?", [(c, t) for t, c in pairs])
