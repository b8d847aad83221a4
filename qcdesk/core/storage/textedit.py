"""SQL for editing a document's text in place: the text row, the ranges that point into it,
speaker labels, the pseudonym key, and the pragmas that make removed text unrecoverable."""

from __future__ import annotations

import contextlib
from typing import Iterable, Iterator, NamedTuple

import sqlite_utils
from qcdesk.core.models import Pseudonym
from qcdesk.core.storage.ids import new_id

#: the tables whose rows are code-point ranges over a document's text (memos: those anchored to a passage;
#: sync points: a point, read and moved as the empty range [position, position))
RANGE_TABLES = ("codings", "speaker_turns", "blocks", "memos", "sync_points")
#: table -> (start column, end column, which rows have a range)
_RANGE_COLUMNS = {"memos": ("anchor_start", "anchor_end", "anchor_start IS NOT NULL"),
                  "sync_points": ("position", "position", "1")}
#: the range tables written here: codings and memos (table -> start and end columns)
_WRITTEN_RANGES = {"codings": ("start", '"end"'), "memos": ("anchor_start", "anchor_end")}


# ----------------------------------------------------------------- text and ranges
def text_row(db: sqlite_utils.Database, document_id: int) -> dict | None:
    row = db.execute(
        "SELECT plain_text, char_count, content_hash, pseudonymised_at FROM documents WHERE id = ?",
        [document_id]).fetchone()
    if row is None:
        return None
    return {"plain_text": row[0], "char_count": row[1], "content_hash": row[2], "pseudonymised_at": row[3]}


class Range(NamedTuple):
    """A row's code-point range over a document's text."""

    id: int
    start: int
    end: int


class SpeakerCount(NamedTuple):
    speaker: str
    turns: int
    documents: int


class TurnRange(NamedTuple):
    turn_id: int
    document_id: int
    start: int
    end: int


class TurnSpeaker(NamedTuple):
    turn_id: int
    speaker: str


class KeyRow(NamedTuple):
    """One entry of a pseudonym key file."""

    original: str
    pseudonym: str
    note: str


class PlaceValue(NamedTuple):
    """A value outside the document texts that may hold a name, and what holds it."""

    place: str
    value: str


def ranges(db: sqlite_utils.Database, table: str, document_id: int) -> list[Range]:
    """Every row of ``table`` in the document with its range, by id."""
    assert table in RANGE_TABLES
    start, end, where = _RANGE_COLUMNS.get(table, ("start", '"end"', "1"))
    sql = f'SELECT id, {start}, {end} FROM {table} WHERE document_id = ? AND {where} ORDER BY id'
    return [Range(*r) for r in db.execute(sql, [document_id]).fetchall()]


def set_ranges(db: sqlite_utils.Database, table: str, rows: Iterable[tuple[int, int, int]]) -> None:
    """Write (id, start, end) rows of codings or memos back (a document's structure is written by
    :func:`qcdesk.core.storage.documents.set_structure_ranges`)."""
    start, end = _WRITTEN_RANGES[table]
    db.conn.executemany(f"UPDATE {table} SET {start} = ?, {end} = ? WHERE id = ?",
                        [(s, e, i) for i, s, e in rows])


def code_ids_of(db: sqlite_utils.Database, coding_ids: list[int]) -> set[int]:
    ids = "[" + ",".join(str(int(i)) for i in coding_ids) + "]"
    sql = "SELECT DISTINCT code_id FROM codings WHERE id IN (SELECT value FROM json_each(?))"
    return {r[0] for r in db.execute(sql, [ids]).fetchall()}


# ----------------------------------------------------------------- speakers
def speaker_counts(db: sqlite_utils.Database, document_ids: list[int] | None) -> list[SpeakerCount]:
    """Turns and documents of each speaker over all documents or the given ones, by speaker name."""
    sql = "SELECT speaker, count(*), count(DISTINCT document_id) FROM speaker_turns"
    args: list = []
    if document_ids is not None:
        sql += " WHERE document_id IN (SELECT value FROM json_each(?))"
        args.append(_json_ids(document_ids))
    sql += " GROUP BY speaker ORDER BY speaker COLLATE NOCASE, speaker"
    return [SpeakerCount(*r) for r in db.execute(sql, args).fetchall()]


def turns_of(db: sqlite_utils.Database, speaker: str,
             document_ids: list[int] | None) -> list[TurnRange]:
    """One speaker's turns, in document and text order."""
    sql = 'SELECT id, document_id, start, "end" FROM speaker_turns WHERE speaker = ?'
    args: list = [speaker]
    if document_ids is not None:
        sql += " AND document_id IN (SELECT value FROM json_each(?))"
        args.append(_json_ids(document_ids))
    sql += " ORDER BY document_id, start, id"
    return [TurnRange(*r) for r in db.execute(sql, args).fetchall()]


def turn_speakers(db: sqlite_utils.Database, document_id: int) -> list[TurnSpeaker]:
    sql = "SELECT id, speaker FROM speaker_turns WHERE document_id = ? ORDER BY start, id"
    return [TurnSpeaker(*r) for r in db.execute(sql, [document_id]).fetchall()]


def case_speaker_rows(db: sqlite_utils.Database, speaker: str, document_ids: list[int]) -> list[dict]:
    sql = ("SELECT case_id, document_id, speaker FROM case_speakers WHERE speaker = ? "
           "AND document_id IN (SELECT value FROM json_each(?))")
    cols = ("case_id", "document_id", "speaker")
    return [dict(zip(cols, r)) for r in db.execute(sql, [speaker, _json_ids(document_ids)]).fetchall()]


def rename_case_speaker(db: sqlite_utils.Database, row: dict, new: str) -> bool:
    """Point one case's speaker link at the new label; False when the case already had it
    (the old link is then dropped, as the two labels are now one speaker)."""
    cur = db.execute("UPDATE OR IGNORE case_speakers SET speaker = ? "
                     "WHERE case_id = ? AND document_id = ? AND speaker = ?",
                     [new, row["case_id"], row["document_id"], row["speaker"]])
    if cur.rowcount:
        return True
    db.execute("DELETE FROM case_speakers WHERE case_id = ? AND document_id = ? AND speaker = ?",
               [row["case_id"], row["document_id"], row["speaker"]])
    return False


def delete_case_speaker(db: sqlite_utils.Database, row: dict) -> None:
    db.execute("DELETE FROM case_speakers WHERE case_id = ? AND document_id = ? AND speaker = ?",
               [row["case_id"], row["document_id"], row["speaker"]])


def insert_case_speaker(db: sqlite_utils.Database, row: dict) -> None:
    db.execute("INSERT OR IGNORE INTO case_speakers (case_id, document_id, speaker) VALUES (?, ?, ?)",
               [row["case_id"], row["document_id"], row["speaker"]])


def replace_case_speakers(db: sqlite_utils.Database, document_id: int, mapping: dict[str, str]) -> int:
    """Rename speaker labels of case links in one document by ``mapping``; returns rows changed."""
    changed = 0
    for row in db.execute("SELECT case_id, speaker FROM case_speakers WHERE document_id = ?",
                          [document_id]).fetchall():
        if row[1] in mapping:
            rename_case_speaker(db, {"case_id": row[0], "document_id": document_id, "speaker": row[1]},
                                mapping[row[1]])
            changed += 1
    return changed


# ----------------------------------------------------------------- pseudonym key
_KEY_COLUMNS = "id, original, pseudonym, note"


def pseudonym_rows(db: sqlite_utils.Database) -> list[Pseudonym]:
    sql = f"SELECT {_KEY_COLUMNS} FROM pseudonyms ORDER BY original COLLATE NOCASE, id"
    return [Pseudonym(*r) for r in db.execute(sql).fetchall()]


def pseudonym_row(db: sqlite_utils.Database, entry_id: int) -> Pseudonym | None:
    row = db.execute(f"SELECT {_KEY_COLUMNS} FROM pseudonyms WHERE id = ?", [entry_id]).fetchone()
    return Pseudonym(*row) if row else None


def pseudonym_by_original(db: sqlite_utils.Database, original: str) -> Pseudonym | None:
    row = db.execute(f"SELECT {_KEY_COLUMNS} FROM pseudonyms WHERE original = ?", [original]).fetchone()
    return Pseudonym(*row) if row else None


def insert_pseudonym(db: sqlite_utils.Database, original: str, pseudonym: str, note: str, created: str) -> int:
    cur = db.execute("INSERT INTO pseudonyms (original, pseudonym, note, created) VALUES (?, ?, ?, ?)",
                     [original, pseudonym, note, created])
    return new_id(cur)


def update_pseudonym(db: sqlite_utils.Database, entry_id: int, original: str, pseudonym: str, note: str) -> None:
    db.execute("UPDATE pseudonyms SET original = ?, pseudonym = ?, note = ? WHERE id = ?",
               [original, pseudonym, note, entry_id])


def delete_pseudonym(db: sqlite_utils.Database, entry_id: int) -> None:
    db.execute("DELETE FROM pseudonyms WHERE id = ?", [entry_id])


def delete_all_pseudonyms(db: sqlite_utils.Database) -> int:
    return db.execute("DELETE FROM pseudonyms").rowcount


# ----------------------------------------------------------------- exported key file
KEY_FILE_KIND = "qcdesk pseudonym key"


def create_key_file(db: sqlite_utils.Database, rows: list[tuple[str, str, str]], created: str) -> None:
    db.executescript(
        """
        CREATE TABLE key_info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE pseudonyms (original TEXT PRIMARY KEY, pseudonym TEXT NOT NULL,
                                 note TEXT NOT NULL DEFAULT '');
        """)
    with db.conn:
        db.conn.executemany("INSERT INTO key_info (key, value) VALUES (?, ?)",
                            [("kind", KEY_FILE_KIND), ("created", created)])
        db.conn.executemany("INSERT INTO pseudonyms (original, pseudonym, note) VALUES (?, ?, ?)", rows)


def read_key_file(db: sqlite_utils.Database) -> list[KeyRow] | None:
    """The key's rows, or None when the database is not a pseudonym key."""
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()}
    if not {"key_info", "pseudonyms"} <= tables:
        return None
    kind = db.execute("SELECT value FROM key_info WHERE key = 'kind'").fetchone()
    if kind is None or kind[0] != KEY_FILE_KIND:
        return None
    return [KeyRow(*r) for r in db.execute("SELECT original, pseudonym, note FROM pseudonyms ORDER BY original")]


# ----------------------------------------------------------------- leaving no trace
@contextlib.contextmanager
def secure_delete(db: sqlite_utils.Database) -> Iterator[None]:
    """Zero the bytes of everything deleted or overwritten meanwhile (``PRAGMA secure_delete``)."""
    previous = db.execute("PRAGMA secure_delete").fetchone()[0]
    db.execute("PRAGMA secure_delete = ON")
    try:
        yield
    finally:
        db.execute(f"PRAGMA secure_delete = {int(previous)}")


def purge_text_index(db: sqlite_utils.Database) -> None:
    """Merge the full-text index into one segment so the terms of replaced text leave it
    (FTS5 otherwise keeps them in old segments behind delete markers)."""
    db.execute("INSERT INTO documents_fts(documents_fts) VALUES ('optimize')")


def checkpoint(db: sqlite_utils.Database) -> bool:
    """Fold the write-ahead log into the file and empty it; False when a reader held it back."""
    row = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return row is None or row[0] == 0


def vacuum(db: sqlite_utils.Database) -> bool:
    """Rebuild the file without free pages or unused space in pages; False when it could not be
    done now (another connection is reading, or the disk is full)."""
    from qcdesk.core.storage.encryption import database_errors

    try:
        db.execute("VACUUM")
    except database_errors():  # SQLITE_BUSY, SQLITE_FULL: nothing changed
        return False
    return True


def _json_ids(ids: list[int]) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


#: (what, SQL yielding values that may hold a name) outside the document texts
_PLACES = (
    ("document name", "SELECT name FROM documents"),
    ("source file name", "SELECT source_name FROM documents"),
    ("code", "SELECT name || ' ' || description || ' ' || inclusion || ' ' || exclusion || ' ' || example "
             "FROM codes"),
    ("memo", "SELECT title || ' ' || body FROM memos"),
    ("case", "SELECT name || ' ' || description FROM cases"),
    ("attribute", "SELECT name || ' ' || choices FROM attributes"),
    ("attribute value", "SELECT value FROM case_attributes WHERE value IS NOT NULL"),
    ("coder", "SELECT name FROM coders"),
    ("audit trail entry", "SELECT coalesce(coder, '') || ' ' || detail FROM audit_log"),
    ("recording", "SELECT name || ' ' || coalesce(link_path, '') FROM media"),
    ("time coding memo", "SELECT memo FROM time_codings WHERE memo <> ''"),
)


def place_values(db: sqlite_utils.Database) -> Iterator[PlaceValue]:
    """Every distinct project value outside the document texts that may hold a name."""
    for what, select in _PLACES:
        for (value,) in db.execute(f"WITH t(v) AS ({select}) SELECT DISTINCT v FROM t WHERE v IS NOT NULL"):
            yield PlaceValue(what, value)


def documents_of_turns(db: sqlite_utils.Database, turn_ids: list[int]) -> set[int]:
    """The documents the speaker turns ``turn_ids`` belong to."""
    rows = db.execute("SELECT DISTINCT document_id FROM speaker_turns WHERE id IN (SELECT value FROM json_each(?))",
                      ["[" + ",".join(map(str, turn_ids)) + "]"]).fetchall()
    return {int(r[0]) for r in rows}
