"""Snapshots of deletions, found from the schema, and putting them back under their ids.

Deleting a row removes more than the row: rows whose foreign keys cascade from it
(recursively: a code's sub-codes, their codings, the codings' memos), rows that an
``AFTER DELETE`` trigger deletes with it (the REFI-QDA identifiers in ``external_ids``),
and columns that ``ON DELETE SET NULL`` clears. :func:`capture` finds all of them from
``pragma_foreign_key_list`` and the triggers' SQL, so a table added later is included
without a hand-written list; :func:`restore` inserts them back in dependency order.

A snapshot is ``{table: [row, ...]}`` (the deleted rows, the first table's rows first)
plus, under :data:`NULLED`, the ``[table, key, column, value]`` of columns set to NULL.
Ids are never reused (``AUTOINCREMENT``, migration ``0004_stable_ids``), so the old ids
are free when the snapshot goes back.
"""

from __future__ import annotations

import graphlib
import json
import re
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from qcdesk.core.errors import OperationError

NULLED = "@set_null"
#: what a row of a table with unique names is called in a message
_NOUNS = {"cases": "case", "attributes": "attribute", "coders": "coder", "pseudonyms": "pseudonym"}

_TRIGGER_RE = re.compile(
    r"^\s*CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?\S+\s+AFTER\s+DELETE\s+ON\s+(\"[^\"]+\"|\[[^\]]+\]|\w+)"
    r"(?:\s+FOR\s+EACH\s+ROW)?(?:\s+WHEN\s+(?P<when>.*?))?\s+BEGIN\s+(?P<body>.*)\s+END\s*;?\s*$",
    re.IGNORECASE | re.DOTALL)
_DELETE_RE = re.compile(r"^\s*DELETE\s+FROM\s+(\"[^\"]+\"|\[[^\]]+\]|\w+)\s+WHERE\s+(?P<where>.*)$",
                        re.IGNORECASE | re.DOTALL)
_OLD_RE = re.compile(r"\bold\.(\w+)", re.IGNORECASE)


@dataclass(frozen=True)
class _Reference:
    child: str
    column: str
    parent: str
    parent_column: str
    on_delete: str


@dataclass(frozen=True)
class _TriggerDelete:
    """``DELETE FROM table WHERE ...old.x...`` run by an AFTER DELETE trigger on ``source``."""
    source: str
    table: str
    where: str
    when: str | None
    columns: tuple[str, ...]


class _Schema:
    def __init__(self, db: sqlite_utils.Database):
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%' "
            "AND name NOT LIKE 'sqlite_%'")]
        self.keys: dict[str, list[str]] = {}
        for table in tables:
            info = db.execute(f"PRAGMA table_info([{table}])").fetchall()
            pk = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]]
            self.keys[table] = pk or ["rowid"]
        self.references: list[_Reference] = []
        for table in tables:
            fks = db.execute(f"PRAGMA foreign_key_list([{table}])").fetchall()
            for _id, seq, parent, column, to, _on_update, on_delete, _match in fks:
                if seq:
                    raise NotImplementedError(f"{table}: foreign keys of several columns are not snapshotted")
                to = to or self.keys[parent][0]
                self.references.append(_Reference(table, column, parent, to, on_delete.upper()))
        self.trigger_deletes: list[_TriggerDelete] = []
        for (sql,) in db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'"):
            found = _TRIGGER_RE.match(sql)
            if not found:
                continue
            source = _unquote(found.group(1))
            for statement in _statements(found.group("body")):
                delete = _DELETE_RE.match(statement)
                if delete is None:
                    if re.match(r"^\s*(UPDATE|REPLACE|INSERT\s+OR\s+REPLACE)\b", statement, re.IGNORECASE):
                        raise NotImplementedError(f"trigger on {source} changes rows: {statement[:60]}")
                    continue  # INSERTs: the audit trail and the full-text index look after themselves
                where, when = delete.group("where"), found.group("when")
                columns = tuple(sorted({m.lower() for m in _OLD_RE.findall(where + " " + (when or ""))}))
                self.trigger_deletes.append(_TriggerDelete(
                    source, _unquote(delete.group(1)), _OLD_RE.sub(r":old_\1", where),
                    _OLD_RE.sub(r":old_\1", when) if when else None, columns))


def _schema(db: sqlite_utils.Database) -> _Schema:
    """The schema's references, read again whenever the schema changed (kept on the
    connection's wrapper, so two open projects never share it)."""
    version = int(db.execute("PRAGMA schema_version").fetchone()[0])
    cached = getattr(db, "_qcdesk_snapshot_schema", None)
    if cached is None or cached[0] != version:
        cached = (version, _Schema(db))
        db._qcdesk_snapshot_schema = cached  # type: ignore[attr-defined]
    return cached[1]


def _unquote(name: str) -> str:
    return name[1:-1] if name[:1] in '"[' else name


def _statements(body: str) -> list[str]:
    return [s for s in body.split(";") if s.strip()]


def _json(values) -> str:
    return json.dumps(sorted(set(values), key=repr))


def capture(db: sqlite_utils.Database, table: str, ids: list[int], *, column: str = "id") -> dict:
    """Every row that deleting the rows of ``table`` whose ``column`` is in ``ids`` removes
    or changes, read before the deletion."""
    schema = _schema(db)
    #: rows (dicts) by table, and under NULLED the [table, key, column, value] lists
    out: dict[str, list[Any]] = {}
    seen: dict[str, set[tuple]] = {}
    nulled: list[list] = []

    def add(name: str, rows: list[dict]) -> list[dict]:
        keys = schema.keys[name]
        fresh = []
        for row in rows:
            key = tuple(row[k] for k in keys)
            if key not in seen.setdefault(name, set()):
                seen[name].add(key)
                fresh.append({k: v for k, v in row.items() if k != "rowid"})
        if fresh:
            out.setdefault(name, []).extend(fresh)
        return fresh

    def select(name: str, where: str, args) -> list[dict]:
        rowid = ", rowid" if schema.keys[name] == ["rowid"] else ""
        cur = db.execute(f"SELECT *{rowid} FROM [{name}] WHERE {where}", args)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    pending = [(table, add(table, select(table, f"[{column}] IN (SELECT value FROM json_each(?))",
                                         [_json(ids)])))]
    while pending:
        name, rows = pending.pop(0)
        if not rows:
            continue
        for ref in schema.references:
            if ref.parent != name:
                continue
            values = [r[ref.parent_column] for r in rows if r.get(ref.parent_column) is not None]
            if not values:
                continue
            children = select(ref.child, f"[{ref.column}] IN (SELECT value FROM json_each(?))", [_json(values)])
            if ref.on_delete == "CASCADE":
                pending.append((ref.child, add(ref.child, children)))
            elif ref.on_delete in ("SET NULL", "SET DEFAULT"):
                keys = schema.keys[ref.child]
                nulled += [[ref.child, {k: c[k] for k in keys}, ref.column, c[ref.column]] for c in children]
        for trig in schema.trigger_deletes:
            if trig.source != name:
                continue
            for row in rows:
                params = {f"old_{c}": row[c] for c in trig.columns}
                if trig.when and not db.execute(f"SELECT 1 WHERE {trig.when}", params).fetchone():
                    continue
                pending.append((trig.table, add(trig.table, select(trig.table, trig.where, params))))
    if nulled:
        out[NULLED] = nulled
    return out


def restore(db: sqlite_utils.Database, snapshot: dict) -> None:
    """Insert a :func:`capture` back, parents before children, then re-set cleared columns."""
    schema = _schema(db)
    tables = [t for t in snapshot if t != NULLED and snapshot[t]]
    for table in tables:
        _check_unique(db, table, snapshot[table])
    order = graphlib.TopologicalSorter({t: set() for t in tables})
    for ref in schema.references:
        if ref.child in tables and ref.parent in tables and ref.child != ref.parent:
            order.add(ref.child, ref.parent)
    for trig in schema.trigger_deletes:
        if trig.table in tables and trig.source in tables:
            order.add(trig.table, trig.source)
    for table in order.static_order():
        rows = _parents_first(schema, table, snapshot[table])
        columns = list(rows[0])
        sql = (f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
               f"VALUES ({', '.join('?' * len(columns))})")
        db.conn.executemany(sql, [[r[c] for c in columns] for r in rows])
    for table, key, column, value in snapshot.get(NULLED, []):
        where = " AND ".join(f"[{k}] = ?" for k in key)
        db.execute(f"UPDATE [{table}] SET [{column}] = ? WHERE {where}", [value, *key.values()])


def _check_unique(db: sqlite_utils.Database, table: str, rows: list[dict]) -> None:
    """Refuse, changing nothing, to put back a row whose unique name was given to another
    row since (a case deleted, then a case of that name made by an import)."""
    for _seq, index, unique, origin, _partial in db.execute(f"PRAGMA index_list([{table}])").fetchall():
        if not unique or origin == "pk":
            continue
        columns = [r[2] for r in db.execute(f"PRAGMA index_info([{index}])").fetchall()]
        where = " AND ".join(f"[{c}] IS ?" for c in columns)
        for row in rows:
            values = [row[c] for c in columns]
            if db.execute(f"SELECT 1 FROM [{table}] WHERE {where}", values).fetchone():
                noun = _NOUNS.get(table, f"row of {table}")
                shown = " ".join(str(v) for v in values)
                raise OperationError(
                    f"The {noun} “{shown}” cannot be put back: another {noun} called “{shown}” "
                    "was made since. Rename that one, then undo again.")


def _parents_first(schema: _Schema, table: str, rows: list[dict]) -> list[dict]:
    """Rows of a table that refers to itself (codes under codes) ordered so each comes
    after the row it refers to."""
    selfrefs = [r for r in schema.references if r.child == table and r.parent == table]
    if not selfrefs:
        return rows
    here = {(ref.parent_column, row[ref.parent_column]) for ref in selfrefs for row in rows}
    placed: set = set()
    ordered: list[dict] = []
    pending = list(rows)
    while pending:
        ready = [r for r in pending if all(
            r[ref.column] is None or (ref.parent_column, r[ref.column]) not in here
            or (ref.parent_column, r[ref.column]) in placed for ref in selfrefs)]
        if not ready:
            raise ValueError(f"{table}: rows that refer to each other in a circle")
        ordered += ready
        placed |= {(ref.parent_column, r[ref.parent_column]) for ref in selfrefs for r in ready}
        pending = [r for r in pending if not any(r is x for x in ready)]
    return ordered
