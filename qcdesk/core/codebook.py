"""The codebook: adding, renaming, moving, merging, sorting and deleting codes, and their criteria.

Reached as ``project.codebook`` (:class:`CodebookService`). Open coding produces hundreds of codes;
grouping them into categories and themes means merging near-synonyms, moving many codes under a
new category and sorting siblings. Each operation is one user action (one transaction, one change
notification) and returns a :class:`~qcdesk.core.undo.Done` whose ``undo`` puts every id, position,
coding and memo back as it was (:mod:`qcdesk.core.undo`). Reading codes (``project.codes()``,
``project.code(id)``) stays on :class:`~qcdesk.core.project.Project`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from qcdesk.core.code_names import next_code_color
from qcdesk.core.errors import OperationError
from qcdesk.core.models import NO_CODINGS, Code
from qcdesk.core.storage import codebook as code_sql
from qcdesk.core.storage import codebook_edits as edit_sql
from qcdesk.core.storage import codings as coding_sql
from qcdesk.core.storage import schema, snapshots
from qcdesk.core.storage import time_codings as time_sql
from qcdesk.core.undo import Done, Touched, Undo, delete_then, restore_then, rows_touched, swap, touched

if TYPE_CHECKING:
    from qcdesk.core.project import Project

SORT_KEYS = ("name", "count")
CRITERIA_FIELDS = ("description", "inclusion", "exclusion", "example")
_COLOR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


def criteria(code: Code) -> dict[str, str]:
    """The four criteria fields of a code, by name (what undo keeps)."""
    return {name: getattr(code, name) for name in CRITERIA_FIELDS}


def _place(db, parent_id: int | None, ordered_ids: list[int]) -> None:
    """Make ``ordered_ids`` the children of ``parent_id`` in that order, writing only the
    rows that change (the audit trail then records real moves only)."""
    edit_sql.set_parent_positions(db, [[cid, parent_id, pos] for pos, cid in enumerate(ordered_ids)])


def _detach(db, code_id: int) -> None:
    """Take a code out of its siblings (its parent is set by the caller)."""
    code = code_sql.get(db, code_id)
    assert code is not None  # the caller checked it
    rest = [i for i in code_sql.children_ids(db, code.parent_id) if i != code_id]
    _place(db, code.parent_id, rest)


class CodebookService:
    """The codes of one project (``project.codebook``)."""

    def __init__(self, project: "Project"):
        self.project = project

    # ------------------------------------------------------------------ one code
    def add(self, name: str, *, parent_id: int | None = None, color: str | None = None,
            description: str = "", position: int | None = None) -> Done[Code]:
        """A new code (last among its siblings, or at ``position``); undone by deleting it."""
        p = self.project
        name = check_name(name)
        color = check_color(color) if color else next_code_color(c.color for c in p.codes())
        if parent_id is not None:
            p.code(parent_id)
        with p.action() as changes:
            siblings = code_sql.children_ids(p.db, parent_id)
            place = len(siblings) if position is None else max(0, min(position, len(siblings)))
            if place < len(siblings):  # the siblings after it make room: the new code is written once, in place
                edit_sql.set_parent_positions(p.db, [[cid, parent_id, pos + (pos >= place)]
                                                     for pos, cid in enumerate(siblings)])
            code_id = code_sql.insert(p.db, {
                "parent_id": parent_id, "name": name, "color": color,
                "description": description, "position": place, "created": schema.now(),
            })
            changes.codes.add(code_id)
            changes.codebook = True
        return Done(p.code(code_id), self.deletion(code_id))

    def deletion(self, code_id: int) -> Undo:
        """The inverse of adding the code ``code_id``: delete it (its own inverse puts it back).
        It touches what hangs on the code (a coding made with it) and its siblings' places."""
        p = self.project
        return delete_then("Delete code", lambda: self._delete(code_id), self._restore, "Restore code",
                           rows_touched(code_sql.snapshot(p.db, code_id)) | self._siblings(p.code(code_id).parent_id))

    def _siblings(self, parent_id: int | None) -> Touched:
        """The codes under ``parent_id``: their places change when one comes or goes."""
        return touched("codes", code_sql.children_ids(self.project.db, parent_id))

    def rename(self, code_id: int, name: str) -> Done[Code]:
        return self._update(code_id, "name", check_name(name))

    def set_color(self, code_id: int, color: str) -> Done[Code]:
        return self._update(code_id, "color", check_color(color))

    def set_description(self, code_id: int, description: str) -> Done[Code]:
        """The code's description: one of its criteria (:meth:`set_criteria`, the one writer)."""
        return self.set_criteria(code_id, description=description)

    def _update(self, code_id: int, field: str, value: str) -> Done[Code]:
        old = getattr(self.project.code(code_id), field)
        code = self._set(code_id, field, value)
        if getattr(code, field) == old:
            return Done(code, None)
        return Done(code, swap(f"Change the {field} of a code", lambda v: self._set(code_id, field, v), old,
                               getattr(code, field), touched("codes", [code_id])))

    def _set(self, code_id: int, field: str, value: str) -> Code:
        p = self.project
        p.code(code_id)
        with p.action() as changes:
            code_sql.update(p.db, code_id, **{field: value})
            changes.codes.add(code_id)
            changes.codebook = True
            if field == "color":
                changes.coded_documents.update(c.document_id for c in coding_sql.for_codes(p.db, [code_id]))
        return p.code(code_id)

    def move(self, code_id: int, parent_id: int | None, row: int | None = None) -> Done[Code]:
        """Re-parent and/or reorder: ``row`` is the position among the new siblings."""
        origin = self.project.code_position(code_id)
        code = self._move(code_id, (parent_id, row))
        where = self.project.code_position(code_id)
        if where == origin:
            return Done(code, None)
        return Done(code, swap("Move code", lambda to: self._move(code_id, to), origin, where,
                               touched("codes", [code_id]) | self._siblings(origin[0]) | self._siblings(where[0])))

    def _move(self, code_id: int, to: tuple[int | None, int | None]) -> Code:
        """Move one code: a move of many (:meth:`_move_many`) with one code."""
        parent_id, row = to
        self._move_many([code_id], parent_id, row)
        return self.project.code(code_id)

    def delete(self, code_id: int) -> Done[dict]:
        """Delete a code, its sub-codes and their codings; the value is the snapshot of what went."""
        self.project.code(code_id)
        snap = self._delete(code_id)
        return Done(snap, restore_then("Restore code", self._restore, snap, lambda: self._delete(code_id),
                                       "Delete code", self._siblings(snap["codes"][0]["parent_id"])))

    def _delete(self, code_id: int) -> dict:
        p = self.project
        code = p.code(code_id)
        with p.action() as changes:
            rows = code_sql.snapshot(p.db, code_id)
            code_sql.delete(p.db, code_id)
            _place(p.db, code.parent_id, code_sql.children_ids(p.db, code.parent_id))
            self._touch(changes, rows)
        return rows

    def _restore(self, rows: dict) -> None:
        """Undo :meth:`_delete`: the same ids, parent, position, codings and memos."""
        p = self.project
        top = rows["codes"][0]
        with p.action() as changes:
            code_sql.restore(p.db, rows)
            siblings = [i for i in code_sql.children_ids(p.db, top["parent_id"]) if i != top["id"]]
            siblings.insert(min(top["position"], len(siblings)), top["id"])
            _place(p.db, top["parent_id"], siblings)
            self._touch(changes, rows)

    @staticmethod
    def _touch(changes, rows: dict) -> None:
        changes.codes.update(r["id"] for r in rows["codes"])
        changes.codings.update(r["id"] for r in rows.get("codings", []))
        changes.coded_documents.update(r["document_id"] for r in rows.get("codings", []))
        changes.memos = bool(rows.get("memos"))
        changes.codebook = True

    # ------------------------------------------------------------------ criteria
    def set_criteria(self, code_id: int, *, description: str | None = None, inclusion: str | None = None,
                     exclusion: str | None = None, example: str | None = None) -> Done[Code]:
        """Set the code's definition and its inclusion/exclusion criteria and example (plain text).

        Only the fields given change; all of them in one action.
        """
        old = criteria(self.project.code(code_id))
        code = self._set_criteria(code_id, {"description": description, "inclusion": inclusion,
                                            "exclusion": exclusion, "example": example})
        new = criteria(code)
        if new == old:
            return Done(code, None)
        return Done(code, swap("Edit the criteria", lambda v: self._set_criteria(code_id, v), old, new,
                               touched("codes", [code_id])))

    def _set_criteria(self, code_id: int, given: dict) -> Code:
        p = self.project
        p.code(code_id)
        values = {k: v.replace("\r\n", "\n").replace("\r", "\n") for k, v in given.items() if v is not None}
        if values:
            with p.action() as changes:
                edit_sql.set_criteria(p.db, code_id, values)
                changes.codes.add(code_id)
                changes.codebook = True
        return p.code(code_id)

    # ------------------------------------------------------------------ several codes
    def _check_codes(self, ids) -> list[int]:
        out: list[int] = []
        for code_id in ids:
            self.project.code(code_id)  # raises for an unknown id
            if code_id not in out:
                out.append(code_id)
        return out

    def _tree_order(self, ids: list[int]) -> list[int]:
        order = {code.id: n for n, (code, _depth) in enumerate(self.project.codes_in_tree_order())}
        return sorted(ids, key=lambda i: order.get(i, len(order)))

    def merge(self, source_ids, target_id: int) -> Done[dict]:
        """Merge ``source_ids`` into ``target_id``: one action; undone by :meth:`_unmerge`.

        The sources' codings move to the target; a coding that would then duplicate another
        of the target (same document, same range, same coder: in a team project each coder's
        judgement is kept) collapses into it, and its memos follow.
        Memos on the sources move to the target, their sub-codes are re-parented under the
        target (after its own children, in tree order) and the sources are deleted. A target
        inside a source's subtree first takes the place of that source.
        """
        ids = list(source_ids)
        snap = self._merge(ids, target_id)
        return Done(snap, restore_then("Unmerge codes", self._unmerge, snap, lambda: self._merge(ids, target_id),
                                       "Merge codes", _merge_touched(snap)))

    def _merge(self, source_ids, target_id: int) -> dict:
        p = self.project
        target = p.code(target_id)
        sources = self._tree_order(self._check_codes(source_ids))
        if not sources:
            raise OperationError("Choose at least one code to merge.")
        if target_id in sources:
            raise OperationError(f"“{target.name}” cannot be merged into itself.")
        source_set = set(sources)
        db = p.db
        with p.action() as changes:
            snap: dict[str, Any] = {
                "target_id": target_id,
                "positions": edit_sql.all_positions(db),
                "codes": edit_sql.code_rows(db, sources),
            }
            # the target leaves a source's subtree first, taking that source's place
            outer = next((s for s in sources if target_id in code_sql.subtree_ids(db, s)), None)
            if outer is not None:
                place = p.code(outer)
                siblings = code_sql.children_ids(db, place.parent_id)
                siblings.insert(siblings.index(outer), target_id)
                _detach(db, target_id)
                _place(db, place.parent_id, siblings)

            # codings: move, or collapse onto an identical one of the target
            seen = {c.key: c.id for c in edit_sql.coding_keys(db, [target_id])}
            moved: list[tuple[int, int]] = []
            dropped: dict[int, int] = {}
            for coding in edit_sql.coding_keys(db, sources):
                survivor = seen.get(coding.key)
                if survivor is None:
                    seen[coding.key] = coding.id
                    moved.append((coding.id, coding.code_id))
                else:
                    dropped[coding.id] = survivor
                changes.coded_documents.add(coding.document_id)
            snap["moved_codings"] = [list(pair) for pair in moved]
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
            old_parents = {p.code(s).parent_id for s in sources}
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

    def _unmerge(self, snap: dict) -> None:
        """Undo :meth:`_merge`: the sources with their ids, places, codings and memos."""
        p = self.project
        db = p.db
        target_id = snap["target_id"]
        with p.action() as changes:
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

    def _positions(self) -> list:
        """Where every code stands (parent, position), for :meth:`_place_all`."""
        return edit_sql.all_positions(self.project.db)

    def _place_all(self, positions: list) -> None:
        """Put every code back where :meth:`_positions` found it (undo of a move or sort)."""
        p = self.project
        with p.action() as changes:
            edit_sql.set_parent_positions(p.db, positions)
            changes.codes.update(r[0] for r in positions)
            changes.codebook = True

    def _rearranged(self, label: str, rearrange) -> Done[None]:
        before = self._positions()
        rearrange()
        after = self._positions()
        if after == before:  # already in that order: nothing to undo
            return Done(None, None)
        return Done(None, swap(label, self._place_all, before, after, touched("codes", [r[0] for r in before])))

    def move_many(self, ids, parent_id: int | None, row: int | None = None) -> Done[None]:
        """Move many codes under ``parent_id`` at ``row``, keeping their tree order; one action.

        ``row`` counts among the new parent's other children (None: after the last). A code
        whose ancestor is moved too travels with it.
        """
        return self._rearranged("Move codes back", lambda: self._move_many(ids, parent_id, row))

    def _move_many(self, ids, parent_id: int | None, row: int | None) -> None:
        p = self.project
        moving = self._tree_order(self._check_codes(ids))
        if not moving:
            raise OperationError("Choose the codes to move.")
        db = p.db
        if parent_id is not None:
            parent = p.code(parent_id)
            for code_id in moving:
                if parent_id in code_sql.subtree_ids(db, code_id):
                    raise OperationError(f"“{p.code(code_id).name}” cannot be moved into itself or "
                                         f"one of its sub-codes (“{parent.name}”).")
        inside: set[int] = set()
        for code_id in moving:
            inside.update(i for i in code_sql.subtree_ids(db, code_id) if i != code_id)
        moving = [c for c in moving if c not in inside]
        with p.action() as changes:
            old_parents = {p.code(c).parent_id for c in moving}
            siblings = [i for i in code_sql.children_ids(db, parent_id) if i not in moving]
            row = len(siblings) if row is None else max(0, min(row, len(siblings)))
            _place(db, parent_id, siblings[:row] + moving + siblings[row:])
            for old in old_parents - {parent_id}:
                _place(db, old, code_sql.children_ids(db, old))
            changes.codes.update(moving + ([parent_id] if parent_id is not None else []))
            changes.codebook = True

    def sort(self, parent_id: int | None, key: str = "name", recursive: bool = False) -> Done[None]:
        """Sort the children of ``parent_id`` (None: the top level) A–Z or by count; one action.

        "count" puts the most-coded first, counting each code's segments with its sub-codes'
        (a theme is as big as what it gathers); ties go by name.
        """
        return self._rearranged("Unsort codes", lambda: self._sort(parent_id, key, recursive))

    def _sort(self, parent_id: int | None, key: str, recursive: bool) -> None:
        p = self.project
        if key not in SORT_KEYS:
            raise OperationError(f"Codes can be sorted by {' or '.join(SORT_KEYS)}, not {key!r}.")
        if parent_id is not None:
            p.code(parent_id)
        db = p.db
        codes = {c.id: c for c in p.codes()}
        counts = p.code_counts()
        totals: dict[int, int] = {}

        def total(code_id: int) -> int:
            if code_id not in totals:
                totals[code_id] = counts.get(code_id, NO_CODINGS).segments + sum(
                    total(c) for c in code_sql.children_ids(db, code_id))
            return totals[code_id]

        def order(code_id: int):
            name = codes[code_id].name.casefold()
            return (name, code_id) if key == "name" else (-total(code_id), name, code_id)

        with p.action() as changes:
            parents = [parent_id]
            while parents:
                parent = parents.pop()
                children = code_sql.children_ids(db, parent)
                _place(db, parent, sorted(children, key=order))
                changes.codes.update(children)
                if recursive:
                    parents.extend(children)
            changes.codebook = True


def check_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise OperationError("A code needs a name.")
    if len(name) > 200:
        raise OperationError("Code names are limited to 200 characters.")
    return name


def check_color(color: str) -> str:
    if not _COLOR_RE.match(color):
        raise OperationError(f"{color!r} is not a colour of the form #rrggbb.")
    return color.lower()


def _merge_touched(snap: dict) -> Touched:
    """Every row a merge of codes changes and its undo changes back: the codes (a merge may move
    any code's place, and its undo puts every place back), the codings it moved or collapsed, the
    memos it moved, the recordings' time codings it moved, and what hung on the sources."""
    return (touched("codes", [r[0] for r in snap["positions"]])
            | touched("codings", [c for c, _code in snap["moved_codings"]] + [r["id"] for r in snap["dropped_codings"]])
            | touched("memos", [m[0] for m in snap["memos"]])
            | touched("time_codings", [t for t, _code in snap.get("moved_time_codings", [])])
            | rows_touched(snap["attached"]))
