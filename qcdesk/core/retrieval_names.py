"""Turning the names a researcher types (codes, cases, attributes, coders, sets) into a :class:`Query`.

The command line takes names, not ids. A code may be given by its name or by its path
("Mentoring > Assigned", "/" also separates); an ambiguous name is refused with the paths to
choose from, so a script never silently retrieves the wrong code.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from qcdesk.core.errors import OperationError
from qcdesk.core.retrieval import AttributeCondition
from qcdesk.core.storage import retrieval as sql
from qcdesk.core.storage import sets as set_sql

if TYPE_CHECKING:
    from qcdesk.core.project import Project

_PATH_SPLIT = re.compile(r"\s*[>/]\s*")


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def code_id(project: "Project", name: str) -> int:
    tree = project.codes_in_tree_order()
    paths: dict[int, list[str]] = {}
    parents = {c.id: c.parent_id for c, _ in tree}
    for code, _level in tree:
        parent = parents[code.id]
        paths[code.id] = (paths[parent] if parent is not None else []) + [code.name]
    wanted = [_fold(p) for p in _PATH_SPLIT.split(name.strip()) if p]
    found = [cid for cid, path in paths.items()
             if [_fold(p) for p in path[-len(wanted):]] == wanted and len(path) >= len(wanted)]
    if not found:
        raise OperationError(f"There is no code named “{name}”.")
    if len(found) > 1:
        options = "; ".join(" > ".join(paths[cid]) for cid in found)
        raise OperationError(f"More than one code is named “{name}”: give its path ({options}).")
    return found[0]


def case_id(project: "Project", name: str) -> int:
    for case in sql.cases(project.db):
        if _fold(case.name) == _fold(name):
            return case.id
    raise OperationError(f"There is no case named “{name}”.")


def coder_id(project: "Project", name: str) -> int:
    for coder in project.coders():
        if _fold(coder.name) == _fold(name):
            return coder.id
    raise OperationError(f"There is no coder named “{name}”.")


def document_id(project: "Project", name: str) -> int:
    for doc in project.documents():
        if _fold(doc.name) == _fold(name):
            return doc.id
    raise OperationError(f"There is no document named “{name}”.")


def set_id(project: "Project", name: str) -> int:
    """The document set called ``name`` (case and spacing ignored); an unknown name is an error."""
    for found in set_sql.all_sets(project.db):
        if _fold(found.name) == _fold(name):
            return found.id
    raise OperationError(f"There is no set named “{' '.join(name.split())}”.")


def attribute_id(project: "Project", name: str) -> int:
    for attribute in sql.attributes(project.db):
        if _fold(attribute.name) == _fold(name):
            return attribute.id
    raise OperationError(f"There is no attribute named “{name}”.")


def attribute_condition(project: "Project", text: str) -> AttributeCondition:
    """``NAME=VALUE`` (equal, ignoring case) or ``NAME=LOW..HIGH`` (a number or date range;
    either end may be left out)."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise OperationError(f"Write an attribute condition as NAME=VALUE or NAME=LOW..HIGH, not “{text}”.")
    return condition_from_text(attribute_id(project, name), value)


def condition_from_text(attribute: int, value: str) -> AttributeCondition:
    """``VALUE`` is an equality, ``LOW..HIGH`` a range (either end may be left out)."""
    if ".." in value:
        low, _, high = value.partition("..")
        return AttributeCondition(attribute, minimum=low.strip() or None, maximum=high.strip() or None)
    return AttributeCondition(attribute, value=value.strip())
