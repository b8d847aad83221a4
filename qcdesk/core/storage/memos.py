"""SQL for memos: notes on nothing (the project journal), a code, a document, a case or a coding."""

from __future__ import annotations

import sqlite_utils

from qcdesk.core.models import Memo
from qcdesk.core.storage import snapshots
from qcdesk.core.storage.ids import insert_row

_COLUMNS = "id, title, body, code_id, document_id, case_id, coding_id, created, modified"
#: the columns that say what a memo is about; at most one is set
TARGETS = ("code_id", "document_id", "case_id", "coding_id")


def _rows(db: sqlite_utils.Database, where: str = "1", args: list | None = None) -> list[Memo]:
    sql = f"SELECT {_COLUMNS} FROM memos WHERE {where} ORDER BY id"
    return [Memo(*r) for r in db.execute(sql, args or []).fetchall()]


def get(db: sqlite_utils.Database, memo_id: int) -> Memo | None:
    found = _rows(db, "id = ?", [memo_id])
    return found[0] if found else None


def all_memos(db: sqlite_utils.Database) -> list[Memo]:
    return _rows(db)


def for_target(db: sqlite_utils.Database, column: str | None, target_id: int | None) -> list[Memo]:
    """Memos on one target; ``column`` None: the memos attached to nothing."""
    if column is None:
        return _rows(db, " AND ".join(f"{c} IS NULL" for c in TARGETS))
    if column not in TARGETS:
        raise ValueError(column)
    return _rows(db, f"{column} = ?", [target_id])


def anchored_words(db: sqlite_utils.Database, memo_id: int, limit: int) -> str | None:
    """The first ``limit`` characters of the passage a document memo is anchored to (an annotation
    imported from another program), or None for a memo on the whole document."""
    row = db.execute("SELECT substr(d.plain_text, m.anchor_start + 1, min(m.anchor_end - m.anchor_start, ?)) "
                     "FROM memos m JOIN documents d ON d.id = m.document_id "
                     "WHERE m.id = ? AND m.anchor_start IS NOT NULL", [limit + 1, memo_id]).fetchone()
    return row[0] if row else None


def insert(db: sqlite_utils.Database, row: dict) -> int:
    return insert_row(db, "memos", row)


def update(db: sqlite_utils.Database, memo_id: int, values: dict) -> None:
    db.table("memos").update(memo_id, values)


def delete(db: sqlite_utils.Database, memo_id: int) -> None:
    db.execute("DELETE FROM memos WHERE id = ?", [memo_id])


def snapshot(db: sqlite_utils.Database, memo_id: int) -> dict[str, list[dict]]:
    """The memo's row and anything its deletion takes along (see :mod:`snapshots`)."""
    return snapshots.capture(db, "memos", [memo_id])


def restore(db: sqlite_utils.Database, rows: dict[str, list[dict]]) -> None:
    snapshots.restore(db, rows)


def counts(db: sqlite_utils.Database) -> dict[tuple[str | None, int | None], int]:
    """(target column or None, target id or None) -> number of memos there."""
    out: dict[tuple[str | None, int | None], int] = {}
    for column in TARGETS:
        sql = f"SELECT {column}, count(*) FROM memos WHERE {column} IS NOT NULL GROUP BY {column}"
        for target, n in db.execute(sql).fetchall():
            out[(column, target)] = n
    journal = db.execute("SELECT count(*) FROM memos WHERE " + " AND ".join(f"{c} IS NULL" for c in TARGETS))
    n = journal.fetchone()[0]
    if n:
        out[(None, None)] = n
    return out


def codings_with_memos(db: sqlite_utils.Database, coding_ids: list[int]) -> set[int]:
    """Which of ``coding_ids`` have a memo (an index search each)."""
    ids = "[" + ",".join(str(int(i)) for i in coding_ids) + "]"
    return {r[0] for r in db.execute(
        "SELECT DISTINCT coding_id FROM memos WHERE coding_id IN (SELECT value FROM json_each(?))", [ids])}


def name_of(db: sqlite_utils.Database, column: str, target_id: int) -> str | None:
    """The name shown for a memo's target (for a coding: its code and document)."""
    if column == "code_id":
        sql = "SELECT name FROM codes WHERE id = ?"
    elif column == "document_id":
        sql = "SELECT name FROM documents WHERE id = ?"
    elif column == "case_id":
        sql = "SELECT name FROM cases WHERE id = ?"
    else:
        sql = ("SELECT c.name || ' in ' || d.name FROM codings g JOIN codes c ON c.id = g.code_id "
               "JOIN documents d ON d.id = g.document_id WHERE g.id = ?")
    found = db.execute(sql, [target_id]).fetchone()
    return found[0] if found else None
