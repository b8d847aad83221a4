"""SQL for reorganising the codebook: merging codes, moving and sorting many at once.

Each function changes rows only; snapshots of what it changes are taken by the caller
(:mod:`qcdesk.core.codebook`) with the readers here, so undo restores exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import sqlite_utils


def _json_ids(ids) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


_IN = "IN (SELECT value FROM json_each(?))"


def all_positions(db: sqlite_utils.Database) -> list[list]:
    """[id, parent id, position] of every code: the whole shape of the tree."""
    return [list(r) for r in db.execute("SELECT id, parent_id, position FROM codes ORDER BY id").fetchall()]


def set_parent_positions(db: sqlite_utils.Database, rows: list[list]) -> None:
    """Put codes back at [id, parent id, position]; only rows that differ are written
    (so the audit trail records real moves only)."""
    db.conn.executemany(
        "UPDATE codes SET parent_id = ?, position = ? WHERE id = ? AND (parent_id IS NOT ? OR position != ?)",
        [(parent, pos, cid, parent, pos) for cid, parent, pos in rows])


def code_rows(db: sqlite_utils.Database, code_ids: list[int]) -> list[dict]:
    return list(db["codes"].rows_where(f"id {_IN}", [_json_ids(code_ids)]))


class CodingKey(NamedTuple):
    """What makes a coding the same judgement as another (``key``), with its id and code."""

    id: int
    code_id: int
    document_id: int
    start: int
    end: int
    coder_id: int | None

    @property
    def key(self) -> tuple[int, int, int, int | None]:
        return self.document_id, self.start, self.end, self.coder_id


def coding_keys(db: sqlite_utils.Database, code_ids: list[int]) -> list[CodingKey]:
    """The codings of these codes, oldest first."""
    sql = f'SELECT id, code_id, document_id, start, "end", coder_id FROM codings WHERE code_id {_IN} ORDER BY id'
    return [CodingKey(*r) for r in db.execute(sql, [_json_ids(code_ids)]).fetchall()]


def coding_rows(db: sqlite_utils.Database, coding_ids: list[int]) -> list[dict]:
    return list(db["codings"].rows_where(f"id {_IN}", [_json_ids(coding_ids)]))


def recode(db: sqlite_utils.Database, pairs: list[tuple[int, int]]) -> None:
    """(coding id, code id): give each coding that code."""
    db.conn.executemany("UPDATE codings SET code_id = ? WHERE id = ?", [(code, cid) for cid, code in pairs])


def delete_codings(db: sqlite_utils.Database, coding_ids: list[int]) -> None:
    db.execute(f"DELETE FROM codings WHERE id {_IN}", [_json_ids(coding_ids)])


def insert_codings(db: sqlite_utils.Database, rows: list[dict]) -> None:
    if rows:
        db.table("codings").insert_all(rows)


def memo_targets(db: sqlite_utils.Database, *, code_ids: Sequence[int] = (),
                 coding_ids: Sequence[int] = ()) -> list[list]:
    """[memo id, code id, coding id] of the memos on these codes or codings."""
    sql = f"SELECT id, code_id, coding_id FROM memos WHERE code_id {_IN} OR coding_id {_IN} ORDER BY id"
    return [list(r) for r in db.execute(sql, [_json_ids(code_ids), _json_ids(coding_ids)]).fetchall()]


def set_memo_targets(db: sqlite_utils.Database, rows: list[list]) -> None:
    """[memo id, code id, coding id]: attach each memo there."""
    db.conn.executemany("UPDATE memos SET code_id = ?, coding_id = ? WHERE id = ?",
                        [(code, coding, mid) for mid, code, coding in rows])


def delete_codes(db: sqlite_utils.Database, code_ids: list[int]) -> None:
    db.execute(f"DELETE FROM codes WHERE id {_IN}", [_json_ids(code_ids)])


def insert_codes(db: sqlite_utils.Database, rows: list[dict]) -> None:
    if rows:
        db.table("codes").insert_all(rows)


def set_criteria(db: sqlite_utils.Database, code_id: int, values: dict[str, str]) -> None:
    db.table("codes").update(code_id, values)
