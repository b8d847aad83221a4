"""SQL for cases (participants), their documents and speakers, and their attribute values."""

from __future__ import annotations

import json
from typing import NamedTuple

import sqlite_utils

from qcdesk.core.models import Attribute, Case
from qcdesk.core.storage import snapshots
from qcdesk.core.storage.ids import insert_row


def _ids(ids) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


# ------------------------------------------------------------------- cases
def all_cases(db: sqlite_utils.Database) -> list[Case]:
    sql = "SELECT id, name, description FROM cases ORDER BY name COLLATE NOCASE, id"
    return [Case(*r) for r in db.execute(sql).fetchall()]


def get_case(db: sqlite_utils.Database, case_id: int) -> Case | None:
    row = db.execute("SELECT id, name, description FROM cases WHERE id = ?", [case_id]).fetchone()
    return Case(*row) if row else None


def case_by_name(db: sqlite_utils.Database, name: str) -> Case | None:
    row = db.execute("SELECT id, name, description FROM cases WHERE name = ?", [name]).fetchone()
    return Case(*row) if row else None


def insert_case(db: sqlite_utils.Database, name: str, description: str = "") -> int:
    return insert_row(db, "cases", {"name": name, "description": description})


def update_case(db: sqlite_utils.Database, case_id: int, **values) -> None:
    db.table("cases").update(case_id, values)


def case_snapshot(db: sqlite_utils.Database, case_id: int) -> dict[str, list[dict]]:
    """Every row a deletion of the case removes (links, values, memos: see :mod:`snapshots`)."""
    return snapshots.capture(db, "cases", [case_id])


def delete_case(db: sqlite_utils.Database, case_id: int) -> None:
    db.execute("DELETE FROM cases WHERE id = ?", [case_id])


def restore_rows(db: sqlite_utils.Database, rows: dict[str, list[dict]]) -> None:
    """Put back a :func:`case_snapshot` or :func:`attribute_snapshot` under the same ids."""
    snapshots.restore(db, rows)


# ------------------------------------------------------------------- documents and speakers
def case_document_ids(db: sqlite_utils.Database, case_id: int) -> list[int]:
    sql = ("SELECT cd.document_id FROM case_documents cd JOIN documents d ON d.id = cd.document_id "
           "WHERE cd.case_id = ? ORDER BY d.position, d.id")
    return [r[0] for r in db.execute(sql, [case_id]).fetchall()]


def link_document(db: sqlite_utils.Database, case_id: int, document_id: int) -> None:
    db.execute("INSERT OR IGNORE INTO case_documents (case_id, document_id) VALUES (?, ?)",
               [case_id, document_id])


def unlink_document(db: sqlite_utils.Database, case_id: int, document_id: int) -> None:
    db.execute("DELETE FROM case_documents WHERE case_id = ? AND document_id = ?", [case_id, document_id])


class CaseSpeaker(NamedTuple):
    """A speaker label whose turns in that document are a case's."""

    document_id: int
    speaker: str


class SpeakerLabel(NamedTuple):
    """A speaker label as it appears in one document."""

    speaker: str
    document_id: int


def case_speakers(db: sqlite_utils.Database, case_id: int) -> list[CaseSpeaker]:
    sql = ("SELECT cs.document_id, cs.speaker FROM case_speakers cs JOIN documents d ON d.id = cs.document_id "
           "WHERE cs.case_id = ? ORDER BY d.position, d.id, cs.speaker")
    return [CaseSpeaker(*r) for r in db.execute(sql, [case_id]).fetchall()]


def link_speaker(db: sqlite_utils.Database, case_id: int, document_id: int, speaker: str) -> None:
    db.execute("INSERT OR IGNORE INTO case_speakers (case_id, document_id, speaker) VALUES (?, ?, ?)",
               [case_id, document_id, speaker])


def speaker_labels(db: sqlite_utils.Database, document_ids: list[int] | None) -> list[SpeakerLabel]:
    """The speaker labels of each document's turns, in interview order then first appearance."""
    where, args = "", []
    if document_ids is not None:
        where, args = "WHERE t.document_id IN (SELECT value FROM json_each(?))", [_ids(document_ids)]
    sql = (f"SELECT t.speaker, t.document_id, min(t.start) AS first FROM speaker_turns t "
           f"JOIN documents d ON d.id = t.document_id {where} "
           "GROUP BY t.document_id, t.speaker ORDER BY d.position, d.id, first")
    return [SpeakerLabel(speaker, doc_id) for speaker, doc_id, _first in db.execute(sql, args).fetchall()]


def case_coding_ids(db: sqlite_utils.Database, case_id: int) -> list[int]:
    """Codings in the case's documents, and codings that overlap a turn of one of its speakers."""
    sql = """
        SELECT c.id FROM codings c JOIN case_documents cd ON cd.document_id = c.document_id
        WHERE cd.case_id = :case
        UNION
        SELECT c.id FROM case_speakers cs
        JOIN speaker_turns t ON t.document_id = cs.document_id AND t.speaker = cs.speaker
        JOIN codings c ON c.document_id = t.document_id AND c.start < t."end" AND c."end" > t.start
        WHERE cs.case_id = :case
        ORDER BY 1
    """
    return [r[0] for r in db.execute(sql, {"case": case_id}).fetchall()]


# ------------------------------------------------------------------- attributes
def _attribute(row: tuple) -> Attribute:
    return Attribute(row[0], row[1], row[2], tuple(json.loads(row[3] or "[]")))


def all_attributes(db: sqlite_utils.Database) -> list[Attribute]:
    sql = "SELECT id, name, value_type, choices FROM attributes ORDER BY id"
    return [_attribute(r) for r in db.execute(sql).fetchall()]


def get_attribute(db: sqlite_utils.Database, attribute_id: int) -> Attribute | None:
    row = db.execute("SELECT id, name, value_type, choices FROM attributes WHERE id = ?",
                     [attribute_id]).fetchone()
    return _attribute(row) if row else None


def attribute_by_name(db: sqlite_utils.Database, name: str) -> Attribute | None:
    row = db.execute("SELECT id, name, value_type, choices FROM attributes WHERE name = ? COLLATE NOCASE",
                     [name]).fetchone()
    return _attribute(row) if row else None


def insert_attribute(db: sqlite_utils.Database, name: str, value_type: str, choices: list[str]) -> int:
    row = {"name": name, "value_type": value_type, "choices": json.dumps(choices, ensure_ascii=False)}
    return insert_row(db, "attributes", row)


def update_attribute(db: sqlite_utils.Database, attribute_id: int, name: str, value_type: str,
                     choices: list[str]) -> None:
    db.execute("UPDATE attributes SET name = ?, value_type = ?, choices = ? WHERE id = ?",
               [name, value_type, json.dumps(choices, ensure_ascii=False), attribute_id])


def attribute_snapshot(db: sqlite_utils.Database, attribute_id: int) -> dict[str, list[dict]]:
    return snapshots.capture(db, "attributes", [attribute_id])


def delete_attribute(db: sqlite_utils.Database, attribute_id: int) -> None:
    db.execute("DELETE FROM attributes WHERE id = ?", [attribute_id])


def values_of_attribute(db: sqlite_utils.Database, attribute_id: int) -> dict[int, str]:
    sql = "SELECT case_id, value FROM case_attributes WHERE attribute_id = ? AND value IS NOT NULL"
    return {r[0]: r[1] for r in db.execute(sql, [attribute_id]).fetchall()}


def all_values(db: sqlite_utils.Database) -> dict[tuple[int, int], str]:
    """(case id, attribute id) -> stored text of every value that is set."""
    sql = "SELECT case_id, attribute_id, value FROM case_attributes WHERE value IS NOT NULL"
    return {(r[0], r[1]): r[2] for r in db.execute(sql).fetchall()}


def get_value(db: sqlite_utils.Database, case_id: int, attribute_id: int) -> str | None:
    row = db.execute("SELECT value FROM case_attributes WHERE case_id = ? AND attribute_id = ?",
                     [case_id, attribute_id]).fetchone()
    return row[0] if row else None


def set_value(db: sqlite_utils.Database, case_id: int, attribute_id: int, value: str | None) -> None:
    if value is None:
        db.execute("DELETE FROM case_attributes WHERE case_id = ? AND attribute_id = ?", [case_id, attribute_id])
    else:
        db.execute("INSERT OR REPLACE INTO case_attributes (case_id, attribute_id, value) VALUES (?, ?, ?)",
                   [case_id, attribute_id, value])
