"""Checking an undo step's ``touched`` against the rows it really changed (issue 14).

:func:`rows` reads every compared row of a project grouped by the ``(table, id)`` it counts as (a
row of a link table as the row it belongs to: :data:`qcdesk.core.undo.BELONGS_TO` says the same in
the core); :func:`check_touched` fails when a step changed a row its ``touched`` leaves out.
"""

from __future__ import annotations

import sqlite_utils

#: not compared: history, bookkeeping, and the full-text index's own tables
IGNORED = ("audit_log", "sqlite_sequence", "_sqlite_migrations", "session")
#: a row without an id of its own counts as a change of the row it belongs to: table -> (table, column)
BELONGS_TO = {"case_documents": ("cases", "case_id"), "case_speakers": ("cases", "case_id"),
              "case_attributes": ("cases", "case_id"), "document_set_members": ("document_sets", "set_id"),
              "media_chunks": ("media", "media_id")}
#: the table of each kind of REFI-QDA identifier (``external_ids``)
GUID_KINDS = {"code": "codes", "document": "documents"}


def rows(db: sqlite_utils.Database, placeless_codes: set[int] | frozenset[int] = frozenset()) -> dict[tuple, frozenset]:
    """Every compared row, grouped by the (table, id) it counts as. ``placeless_codes``: codes whose
    place among their siblings is not compared (imported outside the history, their place
    follows the codes around them)."""
    out: dict[tuple, set] = {}
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                              "AND name NOT LIKE 'documents_fts%'").fetchall():
        if name in IGNORED:
            continue
        columns = [c[1] for c in db.execute(f"PRAGMA table_info([{name}])")]
        for values in db.execute(f"SELECT * FROM [{name}]"):
            row = dict(zip(columns, values))
            if name == "codes" and row["id"] in placeless_codes:
                values = tuple(v for c, v in row.items() if c != "position")
            if "id" in row:
                key: tuple = (name, row["id"])
            elif name in BELONGS_TO:
                key = (BELONGS_TO[name][0], row[BELONGS_TO[name][1]])
            elif name == "external_ids":
                key = (GUID_KINDS[row["kind"]], row["local_id"])
            else:
                key = (name, tuple(values))  # in no touched set: any change is reported
            out.setdefault(key, set()).add(tuple(values))
    return {k: frozenset(v) for k, v in out.items()}


def check_touched(label: str, before: dict, after: dict, touched: frozenset) -> None:
    """The rows a step changed (added, removed or altered) are all among those it says it touched."""
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    untold = changed - touched
    assert not untold, f"{label} changed rows its touched leaves out: {sorted(untold, key=repr)[:6]}"
