"""Reorganising the codebook while coding: merge, move many, sort, and code criteria.

Open coding produces hundreds of codes; grouping them into categories and themes means
merging near-synonyms, moving many codes under a new category and sorting siblings. Each
operation here is one user action (one transaction, one change notification) and returns
a snapshot of exactly what it changed, so undo puts every id, position, coding and memo
back as it was.
"""

from __future__ import annotations

from typing import Any

from qcdesk.core.errors import OperationError
from qcdesk.core.models import Code
from qcdesk.core.project import Project
from qcdesk.core.storage import codebook as code_sql
from qcdesk.core.storage import codebook_edits as edit_sql
from qcdesk.core.storage import codings as coding_sql
from qcdesk.core.storage import snapshots
from qcdesk.core.storage import time_codings as time_sql

SORT_KEYS = ("name", "count")
CRITERIA_FIELDS = ("description", "inclusion", "exclusion", "example")


def _check_codes(project: Project, ids) -> list[int]:
    out: list[int] = []
    for code_id in ids:
        project.code(code_id)  # raises for an unknown id
        if code_id not in out:
            out.append(code_id)
    return out


def _tree_order(project: Project, ids: list[int]) -> list[int]:
    order = {code.id: n for n, (code, _depth) in enumerate(project.codes_in_tree_order())}
    return sorted(ids, key=lambda i: order.get(i, len(order)))


# --------------------------------------------------------------------------- merge
def merge_codes(project: Project, source_ids, target_id: int) -> dict:
    """Merge ``source_ids`` into ``target_id``: one action; returns the snapshot for :func:`unmerge`.

    The sources' codings move to the target; a coding that would then duplicate another
    of the target (same document, same range, same coder: in a team project each coder's
    judgement is kept) collapses into it, and its memos follow.
    Memos on the sources move to the target, their sub-codes are re-parented under the
    target (after its own children, in tree order) and the sources are deleted. A target
    inside a source's subtree first takes the place of that source.
    """
    target = project.code(target_id)
    sources = _tree_order(project, _check_codes(project, source_ids))
    if not sources:
        raise OperationError("Choose at least one code to merge.")
    if target_id in sources:
        raise OperationError(f"“{target.name}” cannot be merged into itself.")
    source_set = set(sources)
    db = project.db
    with project.action() as changes:
        snap: dict[str, Any] = {
            "target_id": target_id,
            "positions": edit_sql.all_positions(db),
            "codes": edit_sql.code_rows(db, sources),
        }
        # the target leaves a source's subtree first, taking that source's place
        outer = next((s for s in sources if target_id in code_sql.subtree_ids(db, s)), None)
        if outer is not None:
            place = project.code(outer)
            siblings = code_sql.children_ids(db, place.parent_id)
            siblings.insert(siblings.index(outer), target_id)
            _detach(db, target_id)
            _place(db, place.parent_id, siblings)

        # codings: move, or collapse onto an identical one of the target
        seen = {tuple(key): cid for cid, _code, *key in edit_sql.coding_keys(db, [target_id])}
        moved, dropped = [], {}
        for cid, code_id, doc, start, end, coder in edit_sql.coding_keys(db, sources):
            survivor = seen.get((doc, start, end, coder))
            if survivor is None:
                seen[(doc, start, end, coder)] = cid
                moved.append((cid, code_id))
            else:
                dropped[cid] = survivor
            changes.coded_documents.add(doc)
        snap["moved_codings"] = [list(p) for p in moved]
        snap["dropped_codings"] = edit_sql.coding_rows(db, list(dropped))
        snap["memos"] = edit_sql.memo_targets(db, code_ids=sources, coding_ids=list(dropped))
        edit_sql.recode(db, [(cid, target_id) for cid, _ in moved])
        edit_sql.set_memo_targets(db, [
            [mid, target_id if code is not None else None, dropped.get(coding) if coding is not None else None]
            for mid, code, coding in snap["memos"]])
        edit_sql.delete_codings(db, list(dropped))
        # recordings' time codings move too; one duplicating the target's stays on its source and
        # goes with it below (undo brings it back with the source)
        snap["moved_time_codings"] = time_sql.move_to_code(db, sources, target_id)

        # sub-codes that are not merged themselves go under the target
        children = [cid for s in sources for cid in code_sql.children_ids(db, s)
                    if cid not in source_set and cid != target_id]
        if children:
            _place(db, target_id, code_sql.children_ids(db, target_id) + children)
        old_parents = {project.code(s).parent_id for s in sources}
        # what still hangs on the sources (their REFI-QDA identifiers, any table added later)
        # goes with them: found from the schema, put back by unmerge
        snap["attached"] = {t: rows for t, rows in snapshots.capture(db, "codes", sources).items()
                            if t != "codes"}
        edit_sql.delete_codes(db, sources)
        for parent in old_parents - source_set:
            if parent is None or code_sql.get(db, parent) is not None:
                _place(db, parent, code_sql.children_ids(db, parent))

        changes.codes.update(sources + [target_id] + children)
        changes.codings.update([cid for cid, _ in moved] + list(dropped))
        changes.codebook = True
        changes.memos = changes.memos or bool(snap["memos"])
    return snap


def _place(db, parent_id: int | None, ordered_ids: list[int]) -> None:
    """Make ``ordered_ids`` the children of ``parent_id`` in that order, writing only the
    rows that change (the audit trail then records real moves only)."""
    edit_sql.set_parent_positions(db, [[cid, parent_id, pos] for pos, cid in enumerate(ordered_ids)])


def _detach(db, code_id: int) -> None:
    """Take a code out of its siblings (its parent is set by the caller)."""
    code = code_sql.get(db, code_id)
    if code is None:
        raise OperationError(f"Code {code_id} does not exist.")
    rest = [i for i in code_sql.children_ids(db, code.parent_id) if i != code_id]
    _place(db, code.parent_id, rest)


def unmerge(project: Project, snap: dict) -> None:
    """Undo :func:`merge_codes`: the sources with their ids, places, codings and memos."""
    db = project.db
    target_id = snap["target_id"]
    with project.action() as changes:
        rows = snap["codes"]
        ids = {r["id"] for r in rows}
        # parents before children, so the foreign keys hold while inserting
        pending, placed = list(rows), set[int]()
        while pending:
            ready = [r for r in pending if r["parent_id"] not in ids or r["parent_id"] in placed]
            edit_sql.insert_codes(db, ready)
            placed.update(r["id"] for r in ready)
            pending = [r for r in pending if r["id"] not in placed]
        snapshots.restore(db, snap["attached"])
        edit_sql.set_parent_positions(db, snap["positions"])
        edit_sql.insert_codings(db, snap["dropped_codings"])
        edit_sql.set_memo_targets(db, snap["memos"])
        edit_sql.recode(db, [(cid, code) for cid, code in snap["moved_codings"]])
        time_sql.recode(db, snap.get("moved_time_codings", []))
        changes.codes.update(ids | {target_id})
        changes.codings.update([c for c, _ in snap["moved_codings"]] + [r["id"] for r in snap["dropped_codings"]])
        changes.coded_documents.update(
            c.document_id for c in coding_sql.for_codes(db, sorted(ids)))
        changes.codebook = True
        changes.memos = bool(snap["memos"])


# --------------------------------------------------------------------------- move and sort
def positions_snapshot(project: Project) -> dict:
    """Where every code stands, for :func:`restore_positions`."""
    return {"positions": edit_sql.all_positions(project.db)}


def restore_positions(project: Project, snap: dict) -> None:
    """Put every code back where :func:`positions_snapshot` found it (undo of a move or sort)."""
    with project.action() as changes:
        edit_sql.set_parent_positions(project.db, snap["positions"])
        changes.codes.update(r[0] for r in snap["positions"])
        changes.codebook = True


def move_codes(project: Project, ids, parent_id: int | None, row: int | None = None) -> dict:
    """Move many codes under ``parent_id`` at ``row``, keeping their tree order; one action.

    ``row`` counts among the new parent's other children (None: after the last). A code
    whose ancestor is moved too travels with it. Returns the snapshot that undoes the move.
    """
    moving = _tree_order(project, _check_codes(project, ids))
    if not moving:
        raise OperationError("Choose the codes to move.")
    db = project.db
    if parent_id is not None:
        parent = project.code(parent_id)
        for code_id in moving:
            if parent_id in code_sql.subtree_ids(db, code_id):
                raise OperationError(f"“{project.code(code_id).name}” cannot be moved into itself or "
                                     f"one of its sub-codes (“{parent.name}”).")
    inside: set[int] = set()
    for code_id in moving:
        inside.update(i for i in code_sql.subtree_ids(db, code_id) if i != code_id)
    moving = [c for c in moving if c not in inside]
    with project.action() as changes:
        snap = positions_snapshot(project)
        old_parents = {project.code(c).parent_id for c in moving}
        siblings = [i for i in code_sql.children_ids(db, parent_id) if i not in moving]
        row = len(siblings) if row is None else max(0, min(row, len(siblings)))
        _place(db, parent_id, siblings[:row] + moving + siblings[row:])
        for old in old_parents - {parent_id}:
            _place(db, old, code_sql.children_ids(db, old))
        changes.codes.update(moving + ([parent_id] if parent_id is not None else []))
        changes.codebook = True
    return snap


def sort_codes(project: Project, parent_id: int | None, key: str = "name", recursive: bool = False) -> dict:
    """Sort the children of ``parent_id`` (None: the top level) A–Z or by count; one action.

    "count" puts the most-coded first, counting each code's segments with its sub-codes'
    (a theme is as big as what it gathers); ties go by name. Returns the snapshot that undoes it.
    """
    if key not in SORT_KEYS:
        raise OperationError(f"Codes can be sorted by {' or '.join(SORT_KEYS)}, not {key!r}.")
    if parent_id is not None:
        project.code(parent_id)
    db = project.db
    codes = {c.id: c for c in project.codes()}
    counts = project.code_counts()
    totals: dict[int, int] = {}

    def total(code_id: int) -> int:
        if code_id not in totals:
            totals[code_id] = counts.get(code_id, (0, 0))[0] + sum(
                total(c) for c in code_sql.children_ids(db, code_id))
        return totals[code_id]

    def order(code_id: int):
        name = codes[code_id].name.casefold()
        return (name, code_id) if key == "name" else (-total(code_id), name, code_id)

    with project.action() as changes:
        snap = positions_snapshot(project)
        parents = [parent_id]
        while parents:
            parent = parents.pop()
            children = code_sql.children_ids(db, parent)
            _place(db, parent, sorted(children, key=order))
            changes.codes.update(children)
            if recursive:
                parents.extend(children)
        changes.codebook = True
    return snap


# --------------------------------------------------------------------------- criteria
def set_code_criteria(project: Project, code_id: int, *, description: str | None = None,
                      inclusion: str | None = None, exclusion: str | None = None,
                      example: str | None = None) -> Code:
    """Set the code's definition and its inclusion/exclusion criteria and example (plain text).

    Only the fields given change; all of them in one action.
    """
    project.code(code_id)
    given = {"description": description, "inclusion": inclusion, "exclusion": exclusion, "example": example}
    values = {k: v.replace("\r\n", "\n").replace("\r", "\n") for k, v in given.items() if v is not None}
    if values:
        with project.action() as changes:
            edit_sql.set_criteria(project.db, code_id, values)
            changes.codes.add(code_id)
            changes.codebook = True
    return project.code(code_id)


def criteria(code: Code) -> dict[str, str]:
    """The four criteria fields of a code, by name (what undo keeps)."""
    return {name: getattr(code, name) for name in CRITERIA_FIELDS}
