"""SQL for codings: code-point ranges of a document tagged with a code."""

from __future__ import annotations

import json
import sqlite3

import sqlite_utils

from qcdesk.core.models import CodeCount, Coding
from qcdesk.core.storage import snapshots
from qcdesk.core.storage.ids import new_id

_COLUMNS = 'id, document_id, code_id, start, "end", coder_id, created'


def _rows(db: sqlite_utils.Database, where: str, args: list) -> list[Coding]:
    sql = f"SELECT {_COLUMNS} FROM codings WHERE {where} ORDER BY document_id, start, \"end\", id"
    return [Coding(*r) for r in db.execute(sql, args).fetchall()]


def get(db: sqlite_utils.Database, coding_id: int) -> Coding | None:
    found = _rows(db, "id = ?", [coding_id])
    return found[0] if found else None


def for_document(db: sqlite_utils.Database, document_id: int) -> list[Coding]:
    return _rows(db, "document_id = ?", [document_id])


def for_codes(db: sqlite_utils.Database, code_ids: list[int]) -> list[Coding]:
    ids = "[" + ",".join(str(int(i)) for i in code_ids) + "]"
    return _rows(db, "code_id IN (SELECT value FROM json_each(?))", [ids])


def overlapping(db: sqlite_utils.Database, document_id: int, start: int, end: int) -> list[Coding]:
    """Codings of the document that share at least one character with ``[start, end)``
    (or, for an empty range, that contain the position ``start``)."""
    if end <= start:
        return _rows(db, 'document_id = ? AND start <= ? AND "end" > ?', [document_id, start, start])
    return _rows(db, 'document_id = ? AND start < ? AND "end" > ?', [document_id, end, start])


def find_exact(db: sqlite_utils.Database, document_id: int, code_id: int, start: int, end: int,
               *, coder_id: int | None | bool = False) -> Coding | None:
    """The coding of this code on exactly this range; only ``coder_id``'s when one is given
    (``None`` meaning codings without a coder), any coder's when it is left out."""
    where = 'document_id = ? AND code_id = ? AND start = ? AND "end" = ?'
    args: list = [document_id, code_id, start, end]
    if coder_id is not False:
        where += " AND coder_id IS ?"
        args.append(coder_id)
    found = _rows(db, where, args)
    return found[0] if found else None


_DUPLICATE = (f'SELECT {_COLUMNS} FROM codings WHERE document_id = ? AND start = ? AND code_id = ? AND "end" = ? '
              'AND coder_id IS ? ORDER BY id LIMIT 1')


def duplicate(db: sqlite_utils.Database, document_id: int, code_id: int, start: int, end: int,
              coder_id: int | None) -> Coding | None:
    """The coding of this code on exactly this range by this coder (``None``: by nobody), if any."""
    row = db.conn.execute(_DUPLICATE, [document_id, start, code_id, end, coder_id]).fetchone()
    return Coding(*row) if row else None


def of_code_in_document(db: sqlite_utils.Database, document_id: int, code_id: int) -> list[Coding]:
    return [Coding(*r) for r in db.conn.execute(
        f"SELECT {_COLUMNS} FROM codings WHERE document_id = ? AND code_id = ? ORDER BY id",
        [document_id, code_id]).fetchall()]


_INSERT = 'INSERT INTO codings (document_id, code_id, start, "end", coder_id, created) VALUES (?, ?, ?, ?, ?, ?)'


def cursor(db: sqlite_utils.Database) -> sqlite3.Cursor:
    """One cursor for many inserts (a search codes thousands of hits)."""
    return db.conn.cursor()


def insert(db: sqlite_utils.Database, row: dict, cur: sqlite3.Cursor | None = None) -> int:
    """Insert one coding (plain SQL: sqlite-utils' insert reads the table's schema on every call)."""
    cur = cur or db.conn.cursor()
    cur.execute(_INSERT, [row["document_id"], row["code_id"], row["start"], row["end"],
                          row.get("coder_id"), row["created"]])
    return new_id(cur)


def set_range(db: sqlite_utils.Database, coding: Coding, start: int, end: int) -> None:
    """Move a coding's ends to ``[start, end)``, and say so in the audit trail (who, from where to where)."""
    db.conn.execute('UPDATE codings SET start = ?, "end" = ? WHERE id = ?', [start, end, coding.id])
    db.conn.execute(
        "INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES ("
        "(SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id), 'resized', 'coding', ?, "
        "json_object('code_id', ?, 'code', (SELECT name FROM codes WHERE id = ?), 'document_id', ?, "
        "'document', (SELECT name FROM documents WHERE id = ?), 'old_start', ?, 'old_end', ?, "
        "'start', ?, 'end', ?))",
        [coding.id, coding.code_id, coding.code_id, coding.document_id, coding.document_id,
         coding.start, coding.end, start, end])


def delete(db: sqlite_utils.Database, coding_id: int) -> None:
    db.execute("DELETE FROM codings WHERE id = ?", [coding_id])


def delete_many(db: sqlite_utils.Database, coding_ids: list[int]) -> None:
    db.execute("DELETE FROM codings WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(list(coding_ids))])


def snapshot(db: sqlite_utils.Database, coding_ids: list[int]) -> dict[str, list[dict]]:
    """The codings and every row their deletion removes (their memos: see :mod:`snapshots`)."""
    return snapshots.capture(db, "codings", list(coding_ids))


def restore(db: sqlite_utils.Database, rows: dict[str, list[dict]]) -> None:
    snapshots.restore(db, rows)


def counts_by_code(db: sqlite_utils.Database, code_ids: list[int] | None = None) -> dict[int, CodeCount]:
    """Segments and documents per code; only ``code_ids`` when given (by the code index)."""
    if code_ids is None:
        sql, args = "SELECT code_id, count(*), count(DISTINCT document_id) FROM codings GROUP BY code_id", []
    else:
        marks = ",".join("?" * len(code_ids))
        sql = (f"SELECT code_id, count(*), count(DISTINCT document_id) FROM codings "
               f"WHERE code_id IN ({marks}) GROUP BY code_id")
        args = list(code_ids)
    return {code_id: CodeCount(segments, documents)
            for code_id, segments, documents in db.execute(sql, args).fetchall()}


def documents_coded_with(db: sqlite_utils.Database, code_ids: list[int]) -> int:
    """How many documents have a coding of any of ``code_ids``."""
    if not code_ids:
        return 0
    marks = ",".join("?" * len(code_ids))
    sql = f"SELECT count(DISTINCT document_id) FROM codings WHERE code_id IN ({marks})"
    return int(db.execute(sql, list(code_ids)).fetchone()[0])


def count_for_document(db: sqlite_utils.Database, document_id: int) -> int:
    """A document's codings, of its text and of its recording's time (two index lookups)."""
    return int(db.execute("SELECT (SELECT count(*) FROM codings WHERE document_id = ?1) + "
                          "(SELECT count(*) FROM time_codings WHERE document_id = ?1)", [document_id]).fetchone()[0])


def counts_by_code_and_document(db: sqlite_utils.Database) -> dict[tuple[int, int], int]:
    sql = "SELECT code_id, document_id, count(*) FROM codings GROUP BY code_id, document_id"
    return {(r[0], r[1]): r[2] for r in db.execute(sql).fetchall()}


def total(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT count(*) FROM codings").fetchone()[0])
