"""Matrices for comparing groups: code × case, code × attribute value, code × document set,
code co-occurrence.

Each is returned as a neutral :class:`~qcdesk.core.tables.Table` whose rows follow the codebook
tree (``row_levels`` holds the indentation). ``table.keys`` records what each row and column
stands for, so :func:`cell_query` can retrieve the segments behind a cell.

Case membership is the one retrieval uses (:class:`~qcdesk.core.retrieval.CaseMap`): a coding
belongs to the cases linked to its document and to those whose speaker's turn it overlaps.
All counts come from one read of the codings and a sweep per document. Every matrix can be
narrowed to the documents of some document sets (``set_ids``: documents in any of them).
"""

from __future__ import annotations

import itertools
import json
from typing import TYPE_CHECKING

from qcdesk.core.errors import OperationError
from qcdesk.core.retrieval import AttributeCondition, CaseMap, Query, documents_in_sets, value_order
from qcdesk.core.storage import retrieval as sql
from qcdesk.core.storage import sets as set_sql
from qcdesk.core.tables import Table

if TYPE_CHECKING:
    from qcdesk.core.project import Project

KINDS = ("code-case", "code-attribute", "code-set", "cooccurrence")
MEASURES = ("segments", "documents", "cases")


def _rows(project: "Project", include_subcodes: bool) -> tuple[list[int], list[str], list[int], dict[int, list[int]]]:
    """Codes in tree order, their names and levels, and for each code the rows a coding of
    it counts in (itself, plus its ancestors when sub-codes are included)."""
    tree = project.codes_in_tree_order()
    ids = [c.id for c, _ in tree]
    parent = {c.id: c.parent_id for c, _ in tree}
    counts_in: dict[int, list[int]] = {}
    for code_id in ids:
        chain, cur = [code_id], parent[code_id]
        while include_subcodes and cur is not None:
            chain.append(cur)
            cur = parent[cur]
        counts_in[code_id] = chain
    return ids, [c.name for c, _ in tree], [level for _, level in tree], counts_in


def _subcode_note(include_subcodes: bool) -> str:
    return ("A code's row includes the codings of its sub-codes." if include_subcodes
            else "Each row counts the codings of that code alone, not of its sub-codes.")


class _Scope:
    """The codings a matrix counts: all, or those in the documents of some sets."""

    def __init__(self, project: "Project", set_ids) -> None:
        self.set_ids = list(set_ids) if set_ids else []
        self.documents = documents_in_sets(project, self.set_ids) if self.set_ids else None
        self.names = [s.name for s in set_sql.all_sets(project.db) if s.id in set(self.set_ids)]
        self.db = project.db

    def codings(self) -> list[sql.CodingRow]:
        rows = sql.all_codings(self.db)
        if self.documents is None:
            return rows
        return [r for r in rows if r[1] in self.documents]

    def note(self, notes: list[str]) -> list[str]:
        if self.set_ids:
            notes.append("Only documents in the set(s) " + ", ".join(f"“{n}”" for n in self.names) + ".")
        return notes

    def keys(self, keys: dict) -> dict:
        keys["sets"] = list(self.set_ids)
        return keys


def _grid(rows: list[int], columns: list, counts: dict[tuple[int, object], int | set]) -> list[list[int]]:
    def value(found):
        return len(found) if isinstance(found, set) else found

    return [[value(counts.get((r, c), 0)) for c in columns] for r in rows]


def code_case_matrix(project: "Project", measure: str = "segments", include_subcodes: bool = False,
                     set_ids=()) -> Table:
    """Codes × cases: segments coded in each case, or the case's documents that carry the code."""
    if measure not in ("segments", "documents"):
        raise OperationError("A code × case matrix counts segments or documents.")
    scope = _Scope(project, set_ids)
    ids, names, levels, counts_in = _rows(project, include_subcodes)
    cases = sql.cases(project.db)
    case_map = CaseMap(project)
    counts: dict[tuple[int, int], int | set] = {}
    for _cid, doc_id, code_id, start, end, _coder in scope.codings():
        for case_id in case_map.cases_of(doc_id, start, end):
            for row in counts_in.get(code_id, ()):
                if measure == "segments":
                    counts[(row, case_id)] = counts.get((row, case_id), 0) + 1
                else:
                    counts.setdefault((row, case_id), set()).add(doc_id)
    notes = [_subcode_note(include_subcodes),
             "A case is its linked documents plus the turns of its speakers; a segment counts in "
             "every case it belongs to."]
    if not cases:
        notes.append("The project has no cases yet.")
    title = "Segments by code and case" if measure == "segments" else "Documents by code and case"
    return Table(title, [n for _, n in cases], names, _grid(ids, [c for c, _ in cases], counts),
                 scope.note(notes), levels, corner="Code",
                 keys=scope.keys({"kind": "code-case", "rows": ids, "columns": [c for c, _ in cases],
                                  "include_subcodes": include_subcodes, "measure": measure}))


def _attribute(project: "Project", attribute_id: int) -> tuple[str, str, list[str]]:
    for aid, name, vtype, choices in sql.attributes(project.db):
        if aid == attribute_id:
            return name, vtype, list(json.loads(choices or "[]"))
    raise OperationError(f"Attribute {attribute_id} does not exist.")


def code_attribute_matrix(project: "Project", attribute_id: int, measure: str = "segments",
                          include_subcodes: bool = False, set_ids=()) -> Table:
    """Codes × the values of one case attribute (e.g. role: mentor / mentee): segments coded in
    the cases of each group, or how many of the group's cases have the code."""
    if measure not in ("segments", "cases"):
        raise OperationError("A code × attribute matrix counts segments or cases.")
    name, vtype, choices = _attribute(project, attribute_id)
    scope = _Scope(project, set_ids)
    ids, names, levels, counts_in = _rows(project, include_subcodes)
    group_of: dict[int, str] = {}
    spelling: dict[str, str] = {}
    for case_id, raw in sql.attribute_values(project.db, attribute_id):
        value = " ".join(str(raw).split())
        spelling.setdefault(value.casefold(), value)
        group_of[case_id] = value.casefold()
    values = value_order(vtype, choices, spelling.values())
    columns = [v.casefold() for v in values]
    case_map = CaseMap(project)
    counts: dict[tuple[int, str], int | set] = {}
    for _cid, doc_id, code_id, start, end, _coder in scope.codings():
        in_cases = {c for c in case_map.cases_of(doc_id, start, end) if c in group_of}
        for group in {group_of[c] for c in in_cases}:
            for row in counts_in.get(code_id, ()):
                if measure == "segments":
                    counts[(row, group)] = counts.get((row, group), 0) + 1
                else:
                    counts.setdefault((row, group), set()).update(c for c in in_cases if group_of[c] == group)
    sizes = {g: sum(1 for v in group_of.values() if v == g) for g in columns}
    headers = [f"{v} (n={sizes[v.casefold()]})" for v in values]
    total_cases = len(sql.cases(project.db))
    notes = [_subcode_note(include_subcodes), f"Columns group the cases by {name}; n is the number of cases."]
    if total_cases > len(group_of):
        notes.append(f"{total_cases - len(group_of)} case(s) without a value of {name} are not counted.")
    what = "Segments" if measure == "segments" else "Cases"
    return Table(f"{what} by code and {name}", headers, names, _grid(ids, columns, counts), scope.note(notes),
                 levels, corner="Code",
                 keys=scope.keys({"kind": "code-attribute", "rows": ids, "columns": values,
                                  "attribute_id": attribute_id, "include_subcodes": include_subcodes,
                                  "measure": measure}))


def code_set_matrix(project: "Project", measure: str = "segments", include_subcodes: bool = False,
                    set_ids=()) -> Table:
    """Codes × document sets: segments coded in each set's documents, or how many of its documents
    carry the code. With ``set_ids``, only those sets are columns."""
    if measure not in ("segments", "documents"):
        raise OperationError("A code × set matrix counts segments or documents.")
    scope = _Scope(project, set_ids)
    ids, names, levels, counts_in = _rows(project, include_subcodes)
    members = set_sql.memberships(project.db)
    sets = [s for s in set_sql.all_sets(project.db) if not scope.set_ids or s.id in scope.set_ids]
    sets_of: dict[int, list[int]] = {}
    for s in sets:
        for doc_id in members.get(s.id, ()):
            sets_of.setdefault(doc_id, []).append(s.id)
    counts: dict[tuple[int, int], int | set] = {}
    for _cid, doc_id, code_id, _start, _end, _coder in scope.codings():
        for set_id in sets_of.get(doc_id, ()):
            for row in counts_in.get(code_id, ()):
                if measure == "segments":
                    counts[(row, set_id)] = counts.get((row, set_id), 0) + 1
                else:
                    counts.setdefault((row, set_id), set()).add(doc_id)
    headers = [f"{s.name} (n={len(members.get(s.id, ()))})" for s in sets]
    notes = [_subcode_note(include_subcodes),
             "Columns are document sets; n is the number of documents in the set. A document in "
             "several sets counts in each."]
    if not sets:
        notes.append("The project has no document sets yet.")
    title = "Segments by code and document set" if measure == "segments" else "Documents by code and document set"
    columns = [s.id for s in sets]
    return Table(title, headers, names, _grid(ids, columns, counts), notes, levels, corner="Code",
                 keys={"kind": "code-set", "rows": ids, "columns": columns,
                       "include_subcodes": include_subcodes, "measure": measure, "sets": []})


def cooccurrence_matrix(project: "Project", include_subcodes: bool = False, set_ids=()) -> Table:
    """Codes × codes: how many pairs of codings of the two codes overlap in the same document."""
    scope = _Scope(project, set_ids)
    ids, names, levels, counts_in = _rows(project, include_subcodes)
    counts: dict[tuple[int, int], int] = {}
    for _doc, group in itertools.groupby(scope.codings(), key=lambda r: r[1]):
        active: list[tuple[int, int]] = []  # (end, code) of codings still open at the sweep point
        for _cid, _doc_id, code_id, start, end, _coder in group:
            active = [a for a in active if a[0] > start]
            for _end, other in active:
                for a in counts_in.get(code_id, ()):
                    for b in counts_in.get(other, ()):
                        if a != b:
                            counts[(a, b)] = counts.get((a, b), 0) + 1
                            counts[(b, a)] = counts.get((b, a), 0) + 1
            active.append((end, code_id))
    cells: list[list[int | None]] = _grid(ids, ids, counts)
    for i in range(len(ids)):
        cells[i][i] = None
    notes = [_subcode_note(include_subcodes),
             "Each cell counts pairs of codings of the two codes that share at least one character "
             "in the same document; the diagonal is left empty."]
    return Table("Code co-occurrence", list(names), names, cells, scope.note(notes), levels, corner="Code",
                 keys=scope.keys({"kind": "cooccurrence", "rows": ids, "columns": ids,
                                  "include_subcodes": include_subcodes}))


def build(project: "Project", kind: str, *, measure: str = "segments", attribute_id: int | None = None,
          include_subcodes: bool = False, set_ids=()) -> Table:
    """The matrix named by ``kind`` (one of :data:`KINDS`), as the panel and command line ask;
    ``set_ids`` narrows it to the documents in any of those sets (for code × set: those columns)."""
    if kind == "code-case":
        return code_case_matrix(project, measure, include_subcodes, set_ids)
    if kind == "code-attribute":
        if attribute_id is None:
            raise OperationError("Choose the attribute whose values form the columns.")
        return code_attribute_matrix(project, attribute_id, measure, include_subcodes, set_ids)
    if kind == "code-set":
        return code_set_matrix(project, measure, include_subcodes, set_ids)
    if kind == "cooccurrence":
        return cooccurrence_matrix(project, include_subcodes, set_ids)
    raise OperationError(f"Unknown matrix {kind!r}: use one of {', '.join(KINDS)}.")


def cell_query(table: Table, row: int, column: int) -> Query | None:
    """The retrieval that lists the segments behind one cell of a matrix built here."""
    keys = table.keys
    if not keys or row >= len(keys["rows"]) or column >= len(keys["columns"]):
        return None
    code_id, column_key, sub = keys["rows"][row], keys["columns"][column], keys["include_subcodes"]
    sets = keys.get("sets") or ()
    if keys["kind"] == "code-case":
        return Query([code_id], include_subcodes=sub, cases=[column_key], sets=sets)
    if keys["kind"] == "code-attribute":
        condition = AttributeCondition(keys["attribute_id"], value=column_key)
        return Query([code_id], include_subcodes=sub, attributes=[condition], sets=sets)
    if keys["kind"] == "code-set":
        return Query([code_id], include_subcodes=sub, sets=[column_key])
    if keys["kind"] == "cooccurrence" and code_id != column_key:
        return Query([code_id, column_key], mode="and", include_subcodes=sub, sets=sets)
    return None
