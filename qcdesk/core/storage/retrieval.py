"""SQL for retrieval and matrices: bulk reads that the interval logic in Python works on.

Every function reads whole columns in one statement (ordered so the caller can sweep them),
never one row per coding: a project with 50,000 codings is read in a handful of queries.
Cases are read straight from the schema tables (``cases``, ``case_documents``,
``case_speakers``, ``attributes``, ``case_attributes``).
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

import sqlite_utils

#: one coding as the sweeps use it: (id, document_id, code_id, start, end, coder_id)
CodingRow = tuple[int, int, int, int, int, "int | None"]


def _json_ids(ids: Iterable[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


def codings(db: sqlite_utils.Database, code_ids: Iterable[int], *,
            document_ids: Iterable[int] | None = None,
            coder_ids: Iterable[int] | None = None) -> list[CodingRow]:
    """Codings of these codes, optionally only in these documents / by these coders,
    ordered by document, start, end."""
    where = ["code_id IN (SELECT value FROM json_each(?))"]
    args: list = [_json_ids(code_ids)]
    if document_ids is not None:
        where.append("document_id IN (SELECT value FROM json_each(?))")
        args.append(_json_ids(document_ids))
    if coder_ids is not None:
        where.append("coder_id IN (SELECT value FROM json_each(?))")
        args.append(_json_ids(coder_ids))
    sql = (f'SELECT id, document_id, code_id, start, "end", coder_id FROM codings '
           f'WHERE {" AND ".join(where)} ORDER BY document_id, start, "end", id')
    return [tuple(r) for r in db.execute(sql, args).fetchall()]


class DocumentPlace(NamedTuple):
    """A document's rank in interview order, and its name."""

    rank: int
    name: str


class TurnSpan(NamedTuple):
    """A speaker turn as retrieval sweeps them (ordered by start, compared as a tuple)."""

    start: int
    end: int
    speaker: str | None
    time_start: float | None


class BlockSpan(NamedTuple):
    """A paragraph's range (ordered by start, compared as a tuple)."""

    start: int
    end: int


class CaseName(NamedTuple):
    id: int
    name: str


class CaseDocument(NamedTuple):
    """The case is the whole document."""

    case_id: int
    document_id: int


class CaseValue(NamedTuple):
    """A case's value of one attribute, as stored."""

    case_id: int
    value: str


def all_codings(db: sqlite_utils.Database) -> list[CodingRow]:
    sql = 'SELECT id, document_id, code_id, start, "end", coder_id FROM codings ORDER BY document_id, start, "end", id'
    return [tuple(r) for r in db.execute(sql).fetchall()]


def document_order(db: sqlite_utils.Database) -> dict[int, DocumentPlace]:
    """document id -> its rank in interview order and name."""
    rows = db.execute("SELECT id, name FROM documents ORDER BY position, id").fetchall()
    return {doc_id: DocumentPlace(rank, name) for rank, (doc_id, name) in enumerate(rows)}


def texts(db: sqlite_utils.Database, document_ids: Iterable[int]) -> dict[int, str]:
    sql = "SELECT id, plain_text FROM documents WHERE id IN (SELECT value FROM json_each(?))"
    return dict(db.execute(sql, [_json_ids(document_ids)]).fetchall())


def turns(db: sqlite_utils.Database, document_ids: Iterable[int]) -> dict[int, list[TurnSpan]]:
    """document id -> its speaker turns, ordered by start."""
    sql = ('SELECT document_id, start, "end", speaker, time_start FROM speaker_turns '
           "WHERE document_id IN (SELECT value FROM json_each(?)) ORDER BY document_id, start, id")
    out: dict[int, list[TurnSpan]] = {}
    for doc_id, start, end, speaker, time_start in db.execute(sql, [_json_ids(document_ids)]).fetchall():
        out.setdefault(doc_id, []).append(TurnSpan(start, end, speaker, time_start))
    return out


def block_starts(db: sqlite_utils.Database, document_ids: Iterable[int]) -> dict[int, list[BlockSpan]]:
    """document id -> the ranges of its paragraphs, ordered by start."""
    sql = ('SELECT document_id, start, "end" FROM blocks '
           "WHERE document_id IN (SELECT value FROM json_each(?)) ORDER BY document_id, start, id")
    out: dict[int, list[BlockSpan]] = {}
    for doc_id, start, end in db.execute(sql, [_json_ids(document_ids)]).fetchall():
        out.setdefault(doc_id, []).append(BlockSpan(start, end))
    return out


# ---------------------------------------------------------------- cases and attributes
def cases(db: sqlite_utils.Database) -> list[CaseName]:
    return [CaseName(*r) for r in db.execute("SELECT id, name FROM cases ORDER BY name COLLATE NOCASE, id")]


def case_documents(db: sqlite_utils.Database) -> list[CaseDocument]:
    """Each case that is a whole document, with that document."""
    return [CaseDocument(*r) for r in db.execute("SELECT case_id, document_id FROM case_documents")]


class CaseTurn(NamedTuple):
    """A speaker turn spoken by a case's speaker."""

    case_id: int
    document_id: int
    start: int
    end: int


class AttributeRow(NamedTuple):
    id: int
    name: str
    value_type: str
    #: the choices as stored (a JSON array, or empty)
    choices: str


def case_turns(db: sqlite_utils.Database) -> list[CaseTurn]:
    """Every turn spoken by a case's speaker, in document and text order."""
    sql = ('SELECT cs.case_id, t.document_id, t.start, t."end" FROM case_speakers cs '
           "JOIN speaker_turns t ON t.document_id = cs.document_id AND t.speaker = cs.speaker "
           "ORDER BY t.document_id, t.start")
    return [CaseTurn(*r) for r in db.execute(sql)]


def attributes(db: sqlite_utils.Database) -> list[AttributeRow]:
    """Every attribute, ordered by name."""
    sql = "SELECT id, name, value_type, choices FROM attributes ORDER BY name COLLATE NOCASE, id"
    return [AttributeRow(*r) for r in db.execute(sql)]


def attribute_values(db: sqlite_utils.Database, attribute_id: int) -> list[CaseValue]:
    """The value of each case that has a value of this attribute."""
    sql = ("SELECT case_id, value FROM case_attributes WHERE attribute_id = ? "
           "AND value IS NOT NULL AND trim(value) <> ''")
    return [CaseValue(*r) for r in db.execute(sql, [attribute_id])]


def speakers(db: sqlite_utils.Database) -> list[str]:
    return [r[0] for r in db.execute("SELECT DISTINCT speaker FROM speaker_turns ORDER BY speaker COLLATE NOCASE")]
