"""SQL for comparing coders and settling their disagreements: codings of one code by some
coders in one document, and changing a coding's range (which merge and undo never need)."""

from __future__ import annotations

import sqlite_utils

from qcdesk.core.models import Coding

_COLUMNS = 'id, document_id, code_id, start, "end", coder_id, created'


def _ids(ids) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


def codings_of_coders(db: sqlite_utils.Database, coder_ids: list[int],
                      document_ids: list[int] | None = None) -> list[Coding]:
    """Codings by these coders (optionally in these documents), in document and text order."""
    sql = f"SELECT {_COLUMNS} FROM codings WHERE coder_id IN (SELECT value FROM json_each(?))"
    args: list = [_ids(coder_ids)]
    if document_ids is not None:
        sql += " AND document_id IN (SELECT value FROM json_each(?))"
        args.append(_ids(document_ids))
    sql += ' ORDER BY document_id, start, "end", id'
    return [Coding(*r) for r in db.execute(sql, args).fetchall()]


def documents_coded_by_all(db: sqlite_utils.Database, coder_ids: list[int]) -> list[int]:
    """Documents in which every one of these coders made at least one coding, in interview order."""
    sql = """
        SELECT d.id FROM documents d
        JOIN codings c ON c.document_id = d.id
        WHERE c.coder_id IN (SELECT value FROM json_each(?))
        GROUP BY d.id HAVING count(DISTINCT c.coder_id) = ?
        ORDER BY d.position, d.id
    """
    return [r[0] for r in db.execute(sql, [_ids(coder_ids), len(set(coder_ids))]).fetchall()]


def document_lengths(db: sqlite_utils.Database) -> dict[int, int]:
    return {r[0]: r[1] for r in db.execute("SELECT id, char_count FROM documents").fetchall()}


def set_range(db: sqlite_utils.Database, coding_id: int, start: int, end: int) -> None:
    db.execute('UPDATE codings SET start = ?, "end" = ? WHERE id = ?', [start, end, coding_id])
