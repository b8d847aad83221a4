"""Undo by inverse: what a core operation returns so that it can be undone.

An operation that the window can undo returns a :class:`Done`: its result and the
:class:`Undo` that reverses it (``None`` when it changed nothing, such as a duplicate
coding). Calling ``undo.run()`` performs the inverse as one project action (one
transaction, rolled back when it raises) and returns the :class:`Undo` of that inverse,
so redo is the undo of the undo and a history can step back and forth for ever.

Inverses never count on SQLite handing out the same ids again: an addition is undone by
deleting that id; a deletion's inverse puts the snapshot rows back under their original
ids (:mod:`qcdesk.core.storage.snapshots`), and deleting them again captures a fresh
snapshot. The builders below give every service the same few shapes of inverse.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Generic, Iterable, TypeVar

from qcdesk.core.storage.snapshots import NULLED

T = TypeVar("T")
S = TypeVar("S")
Touched = frozenset[tuple[str, int]]


@dataclass(frozen=True)
class Undo:
    #: what the inverse does, in the words of the menu ("Remove coding")
    label: str
    #: performs the inverse as one project action and returns the Undo of the inverse
    run: Callable[[], "Undo"]
    #: (table, id) of the rows the inverse changes
    touched: Touched = frozenset()


@dataclass(frozen=True)
class Done(Generic[T]):
    value: T
    #: None: nothing changed, so there is nothing to undo
    undo: Undo | None


#: a row without an id of its own (a link) is a change of the row it belongs to: table -> (table, column)
BELONGS_TO = {"case_documents": ("cases", "case_id"), "case_speakers": ("cases", "case_id"),
              "case_attributes": ("cases", "case_id"), "document_set_members": ("document_sets", "set_id"),
              "media_chunks": ("media", "media_id")}
#: the table of each kind of REFI-QDA identifier (a row of ``external_ids``)
GUID_KINDS = {"code": "codes", "document": "documents"}


def touched(table: str, ids: Iterable[int]) -> Touched:
    return frozenset((table, int(i)) for i in ids)


def _row(table: str, row: dict[str, Any]) -> tuple[str, int] | None:
    if "id" in row:
        return table, int(row["id"])
    if table in BELONGS_TO:
        owner, column = BELONGS_TO[table]
        return owner, int(row[column])
    if table == "external_ids" and row.get("kind") in GUID_KINDS:
        return GUID_KINDS[row["kind"]], int(row["local_id"])
    return None


def rows_touched(snapshot: dict) -> Touched:
    """Every row of a snapshot ``{table: [row, ...]}`` (a deletion's, see
    :mod:`qcdesk.core.storage.snapshots`, columns it set to NULL included)."""
    out: set[tuple[str, int] | None] = set()
    for table, rows in snapshot.items():
        if table == NULLED:
            out.update(_row(t, key) for t, key, _column, _value in rows)
        elif isinstance(rows, list):
            out.update(_row(table, r) for r in rows if isinstance(r, dict))
    return frozenset(r for r in out if r is not None)


def _of(snapshot: object) -> Touched:
    return rows_touched(snapshot) if isinstance(snapshot, dict) else frozenset()


def swap(label: str, apply: Callable[[S], object], old: S, new: S, what: Touched = frozenset()) -> Undo:
    """The undo of setting a value from ``old`` to ``new``: set it back to ``old``; its own
    undo sets ``new`` again (a rename, a colour, positions, an attribute value)."""

    def run() -> Undo:
        apply(old)
        return swap(label, apply, new, old, what)

    return Undo(label, run, what)


def restore_then(label: str, restore: Callable[[S], object], snapshot: S,
                 delete: Callable[[], S], redo_label: str, what: Touched = frozenset()) -> Undo:
    """The undo of a deletion that returned ``snapshot``: put the rows back under their ids;
    its undo deletes them again (capturing a fresh snapshot). ``what`` gains every row of the
    snapshot (a ``{table: [row, ...]}`` one)."""
    what = what | _of(snapshot)

    def run() -> Undo:
        restore(snapshot)
        return delete_then(redo_label, delete, restore, label, what | _of(snapshot))

    return Undo(label, run, what)


def delete_then(label: str, delete: Callable[[], S], restore: Callable[[S], object],
                redo_label: str, what: Touched = frozenset()) -> Undo:
    """The undo of an addition: delete what was added (by its id); its undo puts the deleted
    rows back under the same ids."""

    def run() -> Undo:
        snapshot = delete()
        return restore_then(redo_label, restore, snapshot, delete, label, what | _of(snapshot))

    return Undo(label, run, what)
