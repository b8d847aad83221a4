"""Thematic saturation: which codes each interview adds, in the order the interviews were done.

Researchers stop recruiting when new interviews stop bringing new codes. This module
walks the documents in interview order (``documents.position``, set with
``project.documents.reorder``) and reports, per document, the codes that appear for the
first time in it and the running number of distinct codes so far.

What counts as "a code" can be narrowed: ``level`` counts the codes at one depth of the
tree (0 = top-level themes), a coding of a sub-code counting for its ancestor at that
depth; ``leaves_only`` counts only codes without sub-codes; ``coder_id`` counts only one
coder's codings (saturation as one coder saw it); ``set_ids`` walks only the documents in
any of those document sets (saturation within one group of interviews). A document without
any coding (by that coder) is marked ``coded=False``: it has not been analysed, so its "no new
codes" must not be read as saturation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from qcdesk.core.errors import OperationError
from qcdesk.core.project import Project
from qcdesk.core.retrieval import documents_in_sets
from qcdesk.core.storage import saturation as sql


@dataclass(frozen=True)
class SaturationRow:
    """One document in interview order and what it added."""

    document_id: int
    document_name: str
    #: ids of the codes first seen in this document, in codebook order
    new_code_ids: tuple[int, ...]
    new_code_names: tuple[str, ...]
    #: distinct codes (as counted) applied in this document, new or not
    codes_in_document: int
    #: distinct codes seen in this and all earlier documents
    cumulative: int
    #: whether the document has any coding (by the chosen coder): an interview nobody has coded
    #: yet adds no codes only in appearance, so charts leave it out and tables say "not coded"
    coded: bool = True

    @property
    def new_count(self) -> int:
        return len(self.new_code_ids)


def saturation(project: Project, *, level: int | None = None, leaves_only: bool = False,
               coder_id: int | None = None, set_ids: Iterable[int] | None = None) -> list[SaturationRow]:
    """Per document, in interview order: new codes, codes present, cumulative distinct codes."""
    if level is not None and level < 0:
        raise OperationError("The code level counts from 0 (top-level codes).")
    tree = project.codes_in_tree_order()
    order = {code.id: i for i, (code, _depth) in enumerate(tree)}
    depth = {code.id: d for code, d in tree}
    parent = {code.id: code.parent_id for code, _d in tree}
    has_children = {code.parent_id for code, _d in tree if code.parent_id is not None}
    names = {code.id: code.name for code, _d in tree}

    def counted_as(code_id: int) -> int | None:
        if code_id not in depth:
            return None
        if leaves_only:
            return None if code_id in has_children else code_id
        if level is None:
            return code_id
        if depth[code_id] < level:
            return None
        while depth[code_id] > level:
            code_id = parent[code_id]  # type: ignore[assignment]
        return code_id

    per_document = sql.codes_per_document(project.db, coder_id)
    in_sets = documents_in_sets(project, set_ids) if set_ids else None
    seen: set[int] = set()
    rows = []
    for doc in project.documents():
        if in_sets is not None and doc.id not in in_sets:
            continue
        present = {c for c in (counted_as(i) for i in per_document.get(doc.id, ())) if c is not None}
        new = sorted(present - seen, key=lambda i: order[i])
        seen |= present
        rows.append(SaturationRow(doc.id, doc.name, tuple(new), tuple(names[i] for i in new),
                                  len(present), len(seen), coded=bool(per_document.get(doc.id))))
    return rows
