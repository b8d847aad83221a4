"""Matrices for comparing groups: code × case, code × attribute value, code × document set,
code co-occurrence.

Each is returned as a neutral :class:`~qcdesk.core.tables.Table` whose rows follow the codebook
tree (``row_levels`` holds the indentation). ``table.keys`` records what each row and column
stands for, so :func:`cell_query` can retrieve the segments behind a cell.

Case membership is the one retrieval uses (:class:`~qcdesk.core.retrieval.CaseMap`): a coding
belongs to the cases linked to its document and to those whose speaker's turn it overlaps.
All counts come from one read of the codings and a sweep per document. Every matrix can be
narrowed to the documents of some document sets (``set_ids``: documents in any of them) and by a
:class:`MatrixFilter`: the report filters (documents, cases, attribute values, speakers, coders),
the codes and code levels shown as rows, and the cases shown as columns.

``table.keys`` also holds honest totals (``row_totals``, ``column_totals``, ``grand_total``):
distinct segments (or documents, or cases) rather than sums, since one segment can count in
several cases and, with sub-codes included, in several rows. :func:`with_totals` adds them as a
last column and row.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping

from qcdesk.core.errors import OperationError
from qcdesk.core.retrieval import AttributeCondition, CaseMap, Query, documents_in_sets, value_order
from qcdesk.core.storage import retrieval as sql
from qcdesk.core.storage import sets as set_sql
from qcdesk.core.storage import time_codings as time_sql
from qcdesk.core.tables import Table

if TYPE_CHECKING:
    from qcdesk.core.project import Project

KINDS = ("code-case", "code-attribute", "code-set", "cooccurrence")
MEASURES = ("segments", "documents", "cases")


@dataclass
class MatrixFilter:
    """What a matrix counts beyond the document sets; ``None`` keeps everything.

    Built from a report's options by :func:`qcdesk.core.reports.table_reports.matrix_filter`,
    so a matrix counts exactly the codings the segments report lists with the same filters."""

    #: only codings in these documents
    documents: set[int] | None = None
    #: ``keeps(document_id, start, end, coder_id)``: the case, attribute, speaker and coder conditions
    keeps: Callable[[int, int, int, int | None], bool] | None = None
    #: the cases shown as columns (code × case) or grouped (code × attribute value)
    case_ids: set[int] | None = None
    #: the codes shown as rows (in tree order)
    code_ids: set[int] | None = None
    #: rows down to this level of the codebook (1: top-level codes only)
    max_level: int | None = None
    #: one sentence per filter, for the notes under the matrix
    descriptions: list[str] = field(default_factory=list)
    #: why the levels were limited, when the researcher did not choose them
    level_reason: str = ""
    #: what one filter's matrices share (the codings kept, the case map), read once
    cache: dict = field(default_factory=dict, repr=False)


def _rows(project: "Project", include_subcodes: bool,
          shown: "MatrixFilter | None" = None) -> tuple[list[int], list[str], list[int], dict[int, list[int]]]:
    """Codes shown as rows in tree order, their names and levels, and for each code the rows a
    coding of it counts in (itself, plus its ancestors when sub-codes are included)."""
    tree = project.codes_in_tree_order()
    if shown is not None and shown.code_ids is not None:
        unknown = sorted(shown.code_ids - {c.id for c, _ in tree})
        if unknown:
            raise OperationError(f"Code {unknown[0]} does not exist.")
    parent = {c.id: c.parent_id for c, _ in tree}
    counts_in: dict[int, list[int]] = {}
    for code, _ in tree:
        chain, cur = [code.id], parent[code.id]
        while include_subcodes and cur is not None:
            chain.append(cur)
            cur = parent[cur]
        counts_in[code.id] = chain
    rows = [(c, level) for c, level in tree
            if shown is None or ((shown.code_ids is None or c.id in shown.code_ids)
                                 and (shown.max_level is None or level < shown.max_level))]
    return [c.id for c, _ in rows], [c.name for c, _ in rows], [level for _, level in rows], counts_in


def _subcode_note(include_subcodes: bool) -> str:
    return ("A code's row includes the codings of its sub-codes." if include_subcodes
            else "Each row counts the codings of that code alone, not of its sub-codes.")


class _Scope:
    """The codings a matrix counts: all, or those in the documents of some sets."""

    def __init__(self, project: "Project", set_ids, shown: MatrixFilter | None = None) -> None:
        self.set_ids = list(set_ids) if set_ids else []
        self.documents = documents_in_sets(project, self.set_ids) if self.set_ids else None
        self.names = [s.name for s in set_sql.all_sets(project.db) if s.id in set(self.set_ids)]
        self.db = project.db
        self.filter = shown or MatrixFilter()
        if self.filter.documents is not None:
            self.documents = (set(self.filter.documents) if self.documents is None
                              else self.documents & self.filter.documents)

    def codings(self) -> list[sql.CodingRow]:
        key = ("codings", tuple(sorted(self.documents)) if self.documents is not None else None)
        if key not in self.filter.cache:
            self.filter.cache[key] = self._codings()
        return self.filter.cache[key]

    def coding_cases(self, project: Project) -> list[tuple[int, int, int, frozenset[int]]]:
        """(coding id, document, code, the cases it belongs to) for each coding counted, worked
        out once for all the matrices of one filter."""
        key = ("cases", tuple(sorted(self.documents)) if self.documents is not None else None)
        if key not in self.filter.cache:
            case_map = self.case_map(project)
            self.filter.cache[key] = [(cid, doc_id, code_id, frozenset(case_map.cases_of(doc_id, start, end)))
                                      for cid, doc_id, code_id, start, end, _coder in self.codings()]
        return self.filter.cache[key]

    def case_map(self, project: "Project") -> CaseMap:
        if "case_map" not in self.filter.cache:
            self.filter.cache["case_map"] = CaseMap(project)
        return self.filter.cache["case_map"]

    def _codings(self) -> list[sql.CodingRow]:
        rows = sql.all_codings(self.db) + time_sql.coding_rows(self.db)  # a recording's time codings too
        if self.documents is not None:
            rows = [r for r in rows if r[1] in self.documents]
        keeps = self.filter.keeps
        if keeps is not None:
            rows = [r for r in rows if keeps(r[1], r[3], r[4], r[5])]
        return rows

    def cases(self, cases: list[sql.CaseName]) -> list[sql.CaseName]:
        """The cases a matrix shows: all, or those the filter keeps."""
        wanted = self.filter.case_ids
        return cases if wanted is None else [c for c in cases if c.id in wanted]

    def note(self, notes: list[str]) -> list[str]:
        if self.set_ids:
            notes.append("Only documents in the set(s) " + ", ".join(f"“{n}”" for n in self.names) + ".")
        if self.filter.descriptions:
            notes.append("Filtered to " + "; ".join(self.filter.descriptions) + ".")
        if self.filter.max_level is not None:
            reason = f": {self.filter.level_reason}" if self.filter.level_reason else ""
            notes.append("Codes down to level " + str(self.filter.max_level) + " of the codebook"
                         + (" (top-level codes only)" if self.filter.max_level == 1 else "") + reason + ".")
        return notes

    def keys(self, keys: dict) -> dict:
        keys["sets"] = list(self.set_ids)
        return keys


class _Counter:
    """Counts per (row, column), with distinct totals per row, per column and overall.

    ``measure == "segments"`` counts codings; otherwise ``add`` is given the documents or cases
    behind a coding and counts distinct ones."""

    def __init__(self, measure: str) -> None:
        self.distinct = measure != "segments"
        self.cells: dict[tuple[int, object], Any] = {}  # a count, or a set of distinct items
        self.rows: dict[int, set] = {}
        self.columns: dict[object, set] = {}
        self.everything: set = set()
        # what add_segment counts: codings per row and column, and in all
        self.row_counts: dict[int, int] = {}
        self.column_counts: dict[object, int] = {}
        self.segments = 0
        self._tally: dict[tuple[int, frozenset], int] = {}

    def add_segment(self, code_id: int, columns: frozenset) -> None:
        """Count one coding of ``code_id`` (``measure == "segments"``) in ``columns``; the
        codings are tallied by code and columns, and added up in :meth:`count_segments`."""
        if columns:
            key = (code_id, columns)
            self._tally[key] = self._tally.get(key, 0) + 1

    def count_segments(self, rows_of: dict[int, list[int]]) -> None:
        """Each tallied code and set of columns into the cells of its rows. Each coding comes
        once, so the totals are plain counts."""
        cells, row_counts, column_counts = self.cells, self.row_counts, self.column_counts
        for (code_id, columns), n in self._tally.items():
            for row in rows_of[code_id]:
                for column in columns:
                    key = (row, column)
                    cells[key] = cells.get(key, 0) + n
                row_counts[row] = row_counts.get(row, 0) + n
            for column in columns:
                column_counts[column] = column_counts.get(column, 0) + n
            self.segments += n
        self._tally = {}

    def add(self, rows, column, coding_id: int, items=()) -> None:
        found = set(items) if self.distinct else {coding_id}
        if not found:
            return
        for row in rows:
            key = (row, column)
            if self.distinct:
                self.cells.setdefault(key, set()).update(found)
            else:
                self.cells[key] = self.cells.get(key, 0) + 1
            self.rows.setdefault(row, set()).update(found)
        self.columns.setdefault(column, set()).update(found)
        self.everything.update(found)

    def totals(self, row_ids: list[int], columns: list) -> dict:
        """Distinct totals; a column's total counts only codings of the rows shown."""
        return {"row_totals": [len(self.rows.get(r, ())) + self.row_counts.get(r, 0) for r in row_ids],
                "column_totals": [len(self.columns.get(c, ())) + self.column_counts.get(c, 0) for c in columns],
                "grand_total": len(self.everything) + self.segments}


def _grid(rows: list[int], columns: list, counts: Mapping[tuple[int, Any], int | set]) -> list[list[int]]:
    get = {key: len(found) if isinstance(found, set) else found for key, found in counts.items()}.get
    return [[get((r, c), 0) for c in columns] for r in rows]


def _shown_rows(counts_in: dict[int, list[int]], row_ids: list[int]) -> dict[int, list[int]]:
    """For each code, the shown rows a coding of it counts in (codings counting in no shown row
    count nowhere, so that column totals match the rows)."""
    shown = set(row_ids)
    return {code: [r for r in chain if r in shown] for code, chain in counts_in.items()}


def code_case_matrix(project: "Project", measure: str = "segments", include_subcodes: bool = False,
                     set_ids=(), shown: MatrixFilter | None = None) -> Table:
    """Codes × cases: segments coded in each case, or the case's documents that carry the code."""
    if measure not in ("segments", "documents"):
        raise OperationError("A code × case matrix counts segments or documents.")
    scope = _Scope(project, set_ids, shown)
    ids, names, levels, counts_in = _rows(project, include_subcodes, shown)
    counts_in = _shown_rows(counts_in, ids)
    all_cases = sql.cases(project.db)
    cases = scope.cases(all_cases)
    columns = {c.id for c in cases}
    counter = _Counter(measure)
    for cid, doc_id, code_id, in_cases in scope.coding_cases(project):
        rows = counts_in.get(code_id)
        if not rows:
            continue
        if measure == "segments":
            counter.add_segment(code_id, in_cases & columns)
            continue
        for case_id in in_cases & columns:
            counter.add(rows, case_id, cid, (doc_id,))
    notes = [_subcode_note(include_subcodes),
             "A case is its linked documents plus the turns of its speakers; a segment counts in "
             "every case it belongs to."]
    if not all_cases:
        notes.append("The project has no cases yet.")
    title = "Segments by code and case" if measure == "segments" else "Documents by code and case"
    column_ids = [c.id for c in cases]
    keys = scope.keys({"kind": "code-case", "rows": ids, "columns": column_ids,
                       "include_subcodes": include_subcodes, "measure": measure})
    counter.count_segments(counts_in)
    keys.update(counter.totals(ids, column_ids))
    return Table(title, [c.name for c in cases], names, _grid(ids, column_ids, counter.cells),
                 scope.note(notes), levels, corner="Code", keys=keys)


def _attribute(project: "Project", attribute_id: int) -> tuple[str, str, list[str]]:
    for attribute in sql.attributes(project.db):
        if attribute.id == attribute_id:
            return attribute.name, attribute.value_type, list(json.loads(attribute.choices or "[]"))
    raise OperationError(f"Attribute {attribute_id} does not exist.")


def code_attribute_matrix(project: "Project", attribute_id: int, measure: str = "segments",
                          include_subcodes: bool = False, set_ids=(), shown: MatrixFilter | None = None) -> Table:
    """Codes × the values of one case attribute (e.g. role: mentor / mentee): segments coded in
    the cases of each group, or how many of the group's cases have the code."""
    if measure not in ("segments", "cases"):
        raise OperationError("A code × attribute matrix counts segments or cases.")
    name, vtype, choices = _attribute(project, attribute_id)
    scope = _Scope(project, set_ids, shown)
    ids, names, levels, counts_in = _rows(project, include_subcodes, shown)
    counts_in = _shown_rows(counts_in, ids)
    wanted = scope.filter.case_ids
    group_of: dict[int, str] = {}
    spelling: dict[str, str] = {}
    for row in sql.attribute_values(project.db, attribute_id):
        if wanted is not None and row.case_id not in wanted:
            continue
        value = " ".join(str(row.value).split())
        spelling.setdefault(value.casefold(), value)
        group_of[row.case_id] = value.casefold()
    values = value_order(vtype, choices, spelling.values())
    columns = [v.casefold() for v in values]
    counter = _Counter(measure)
    grouped = group_of.keys()
    groups_of: dict[frozenset[int], frozenset[str]] = {}
    for cid, _doc_id, code_id, cases_there in scope.coding_cases(project):
        rows = counts_in.get(code_id)
        if not rows or not cases_there:
            continue
        if measure == "segments":  # the groups of each set of cases, worked out once
            groups = groups_of.get(cases_there)
            if groups is None:
                groups = groups_of[cases_there] = frozenset(group_of[c] for c in cases_there & grouped)
            counter.add_segment(code_id, groups)
            continue
        in_cases = cases_there & grouped
        for group in {group_of[c] for c in in_cases}:
            counter.add(rows, group, cid, (c for c in in_cases if group_of[c] == group))
    sizes = {g: sum(1 for v in group_of.values() if v == g) for g in columns}
    headers = [f"{v} (n={sizes[v.casefold()]})" for v in values]
    total_cases = len(sql.cases(project.db)) if wanted is None else len(wanted)
    notes = [_subcode_note(include_subcodes), f"Columns group the cases by {name}; n is the number of cases."]
    if total_cases > len(group_of):
        notes.append(f"{total_cases - len(group_of)} case(s) without a value of {name} are not counted.")
    what = "Segments" if measure == "segments" else "Cases"
    keys = scope.keys({"kind": "code-attribute", "rows": ids, "columns": values,
                       "attribute_id": attribute_id, "include_subcodes": include_subcodes,
                       "measure": measure})
    counter.count_segments(counts_in)
    keys.update(counter.totals(ids, columns))
    return Table(f"{what} by code and {name}", headers, names, _grid(ids, columns, counter.cells),
                 scope.note(notes), levels, corner="Code", keys=keys)


def code_set_matrix(project: "Project", measure: str = "segments", include_subcodes: bool = False,
                    set_ids=(), shown: MatrixFilter | None = None) -> Table:
    """Codes × document sets: segments coded in each set's documents, or how many of its documents
    carry the code. With ``set_ids``, only those sets are columns."""
    if measure not in ("segments", "documents"):
        raise OperationError("A code × set matrix counts segments or documents.")
    scope = _Scope(project, set_ids, shown)
    ids, names, levels, counts_in = _rows(project, include_subcodes, shown)
    counts_in = _shown_rows(counts_in, ids)
    members = set_sql.memberships(project.db)
    sets = [s for s in set_sql.all_sets(project.db) if not scope.set_ids or s.id in scope.set_ids]
    sets_of: dict[int, list[int]] = {}
    for s in sets:
        for doc_id in members.get(s.id, ()):
            sets_of.setdefault(doc_id, []).append(s.id)
    counter = _Counter(measure)
    for cid, doc_id, code_id, _start, _end, _coder in scope.codings():
        rows = counts_in.get(code_id)
        if not rows:
            continue
        if measure == "segments":
            counter.add_segment(code_id, frozenset(sets_of.get(doc_id, ())))
            continue
        for set_id in sets_of.get(doc_id, ()):
            counter.add(rows, set_id, cid, (doc_id,))
    headers = [f"{s.name} (n={len(members.get(s.id, ()))})" for s in sets]
    notes = [_subcode_note(include_subcodes),
             "Columns are document sets; n is the number of documents in the set. A document in "
             "several sets counts in each."]
    if not sets:
        notes.append("The project has no document sets yet.")
    if scope.filter.descriptions:
        notes.append("Filtered to " + "; ".join(scope.filter.descriptions) + ".")
    title = "Segments by code and document set" if measure == "segments" else "Documents by code and document set"
    columns = [s.id for s in sets]
    keys = {"kind": "code-set", "rows": ids, "columns": columns,
            "include_subcodes": include_subcodes, "measure": measure, "sets": []}
    counter.count_segments(counts_in)
    keys.update(counter.totals(ids, columns))
    return Table(title, headers, names, _grid(ids, columns, counter.cells), notes, levels, corner="Code",
                 keys=keys)


def cooccurrence_matrix(project: "Project", include_subcodes: bool = False, set_ids=(),
                        shown: MatrixFilter | None = None, hide_empty: bool = False) -> Table:
    """Codes × codes: how many pairs of codings of the two codes overlap in the same document.
    ``hide_empty`` leaves out codes that overlap no other shown code (and says so in a note)."""
    scope = _Scope(project, set_ids, shown)
    ids, names, levels, counts_in = _rows(project, include_subcodes, shown)
    counts_in = _shown_rows(counts_in, ids)
    counts: dict[tuple[int, int], int] = {}
    text_codings = [r for r in scope.codings() if r[0] > 0]  # time codings overlap no text
    for _doc, group in itertools.groupby(text_codings, key=lambda r: r[1]):
        active: list[tuple[int, int]] = []  # (end, code) of codings still open at the sweep point
        for _cid, _doc_id, code_id, start, end, _coder in group:
            active = [a for a in active if a[0] > start]
            rows = counts_in.get(code_id, ())
            if rows:
                for _end, other in active:
                    for a in rows:
                        for b in counts_in.get(other, ()):
                            if a != b:
                                counts[(a, b)] = counts.get((a, b), 0) + 1
                                counts[(b, a)] = counts.get((b, a), 0) + 1
            active.append((end, code_id))
    notes = [_subcode_note(include_subcodes),
             "Each cell counts pairs of codings of the two codes that share at least one character "
             "in the same document; the diagonal is left empty."]
    if hide_empty:
        used = {a for a, _b in counts}
        left_out = sum(1 for i in ids if i not in used)
        keep = [i for i, code in enumerate(ids) if code in used]
        ids, names, levels = [ids[i] for i in keep], [names[i] for i in keep], [levels[i] for i in keep]
        if left_out:
            notes.append(f"{left_out} code(s) that overlap no other code here are left out "
                         "(their rows and columns would hold only zeros).")
    cells: list[list[int | None]] = [list[int | None](row) for row in _grid(ids, ids, counts)]
    for i in range(len(ids)):
        cells[i][i] = None
    sums = [sum(v for v in row if v) for row in cells]
    keys = scope.keys({"kind": "cooccurrence", "rows": ids, "columns": ids,
                       "include_subcodes": include_subcodes,
                       "row_totals": sums, "column_totals": sums, "grand_total": None,
                       "hidden": hide_empty and bool(counts) is False})
    return Table("Code co-occurrence", list(names), names, cells, scope.note(notes), levels, corner="Code",
                 keys=keys)


def with_totals(table: Table) -> Table:
    """``table`` with a "Total" column and row from its keys (distinct segments, documents or
    cases; for co-occurrence the sum of pairs), and a note saying what they count."""
    keys = table.keys
    if not keys or "row_totals" not in keys or not table.row_headers or not table.column_headers:
        return table
    rows = [list(r) + [t] for r, t in zip(table.cells, keys["row_totals"])]
    rows.append(list(keys["column_totals"]) + [keys.get("grand_total")])
    if keys["kind"] == "cooccurrence":
        note = "Total: pairs of codings the code shares with any other code shown."
    else:
        what = {"segments": "segments", "documents": "documents", "cases": "cases"}[keys.get("measure", "segments")]
        note = (f"Totals count distinct {what}, so they can be less than the sum of a row or column "
                "(a segment can belong to several cases or, with sub-codes, to several rows).")
    return Table(table.title, [*table.column_headers, "Total"], [*table.row_headers, "Total"], rows,
                 [*table.notes, note], [*(table.row_levels or [0] * len(table.row_headers)), 0],
                 corner=table.corner, keys={**keys, "totals": True})


def build(project: "Project", kind: str, *, measure: str = "segments", attribute_id: int | None = None,
          include_subcodes: bool = False, set_ids=(), shown: MatrixFilter | None = None,
          hide_empty: bool = False) -> Table:
    """The matrix named by ``kind`` (one of :data:`KINDS`), as the panel and command line ask;
    ``set_ids`` narrows it to the documents in any of those sets (for code × set: those columns),
    ``shown`` applies the report filters and chooses rows and cases."""
    if kind == "code-case":
        return code_case_matrix(project, measure, include_subcodes, set_ids, shown)
    if kind == "code-attribute":
        if attribute_id is None:
            raise OperationError("Choose the attribute whose values form the columns.")
        return code_attribute_matrix(project, attribute_id, measure, include_subcodes, set_ids, shown)
    if kind == "code-set":
        return code_set_matrix(project, measure, include_subcodes, set_ids, shown)
    if kind == "cooccurrence":
        return cooccurrence_matrix(project, include_subcodes, set_ids, shown, hide_empty)
    raise OperationError(f"Unknown matrix {kind!r}: use one of {', '.join(KINDS)}.")


def cell_query(table: Table, row: int, column: int) -> Query | None:
    """The retrieval that lists the segments behind one cell of a matrix built here."""
    keys = table.keys
    if not keys or row >= len(keys["rows"]) or column >= len(keys["columns"]):
        return None
    code_id, column_key, sub = keys["rows"][row], keys["columns"][column], keys["include_subcodes"]
    sets = keys.get("sets") or ()
    if keys["kind"] == "code-case":
        return Query((code_id,), include_subcodes=sub, cases=(column_key,), sets=tuple(sets))
    if keys["kind"] == "code-attribute":
        condition = AttributeCondition(keys["attribute_id"], value=column_key)
        return Query((code_id,), include_subcodes=sub, attributes=(condition,), sets=tuple(sets))
    if keys["kind"] == "code-set":
        return Query((code_id,), include_subcodes=sub, sets=(column_key,))
    if keys["kind"] == "cooccurrence" and code_id != column_key:
        return Query((code_id, column_key), mode="and", include_subcodes=sub, sets=tuple(sets))
    return None
