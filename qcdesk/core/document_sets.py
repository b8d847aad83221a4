"""Document sets: named groups of documents (MAXQDA document sets, NVivo sets).

A set gathers documents a researcher wants to look at together ("first wave", "site B",
"mentors"); a document may be in any number of sets. Everything that filters by documents
(retrieval, matrices, search, saturation, reports) also takes sets, meaning "the documents
in any of these sets".

Every function that changes something is one action of the project: one transaction and
one change notification (``Changes.sets``). Deleting returns the snapshot that
:func:`restore_set` puts back under the same id (ids are never reused).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Callable, Iterable

from qcdesk.core.errors import OperationError
from qcdesk.core.models import DocumentSet
from qcdesk.core.project import Project
from qcdesk.core.retrieval import documents_in_sets  # noqa: F401 - "documents in any of these sets"
from qcdesk.core.storage import schema
from qcdesk.core.storage import sets as sql
from qcdesk.core.undo import Done, Undo, delete_then, restore_then, swap, touched

MAX_NAME = 200


@dataclass(frozen=True)
class SetWithDocuments:
    set: DocumentSet
    #: member document ids, in interview order
    document_ids: tuple[int, ...]


def sets(project: Project) -> list[DocumentSet]:
    """All sets, by name."""
    return sql.all_sets(project.db)


def document_set(project: Project, set_id: int) -> DocumentSet:
    found = sql.get_set(project.db, set_id)
    if found is None:
        raise OperationError(f"Set {set_id} does not exist.")
    return found


def set_by_name(project: Project, name: str) -> DocumentSet | None:
    """The set called ``name`` (spaces collapsed, case ignored), if there is one."""
    return sql.set_by_name(project.db, " ".join(str(name).split()))


def set_id(project: Project, name: str) -> int:
    """The id of the set called ``name``; an unknown name is an error."""
    from qcdesk.core.retrieval_names import set_id as by_name

    return by_name(project, name)


def sets_with_documents(project: Project) -> list[SetWithDocuments]:
    """Every set with its documents, sets by name, documents in interview order."""
    members = sql.memberships(project.db)
    return [SetWithDocuments(s, tuple(members.get(s.id, ()))) for s in sql.all_sets(project.db)]


def set_documents(project: Project, set_id: int) -> list[int]:
    document_set(project, set_id)
    return sql.member_ids(project.db, set_id)


def sets_of_document(project: Project, document_id: int) -> list[DocumentSet]:
    return sql.sets_of_document(project.db, document_id)


def _check_name(project: Project, name: str, *, other_than: int | None = None) -> str:
    name = " ".join(str(name).split())
    if not name:
        raise OperationError("A set needs a name.")
    if len(name) > MAX_NAME:
        raise OperationError(f"Set names are limited to {MAX_NAME} characters.")
    existing = sql.set_by_name(project.db, name)
    if existing is not None and existing.id != other_than:
        raise OperationError(f"There is already a set called “{existing.name}”.")
    return name


def _check_documents(project: Project, document_ids: Iterable[int]) -> list[int]:
    ids = list(dict.fromkeys(document_ids))
    for doc_id in ids:
        project.document(doc_id)
    return ids


def create_set(project: Project, name: str, document_ids: Iterable[int] = (), *,
               description: str = "", guid: str | None = None) -> Done[DocumentSet]:
    """A new set, with these documents in it (one action)."""
    name = _check_name(project, name)
    ids = _check_documents(project, document_ids)
    guid = guid or str(uuid.uuid4())
    if sql.set_by_guid(project.db, guid) is not None:
        guid = str(uuid.uuid4())
    with project.action() as changes:
        new_id = sql.insert_set(project.db, name, guid, schema.now(), description)
        for doc_id in ids:
            sql.add_member(project.db, new_id, doc_id)
        changes.sets = True
    return Done(document_set(project, new_id),
                delete_then("Delete set", lambda: _delete(project, new_id), lambda rows: _restore(project, rows),
                            "Restore set", touched("document_sets", [new_id])))


def rename_set(project: Project, set_id: int, name: str) -> Done[DocumentSet]:
    old = document_set(project, set_id).name
    renamed = _rename(project, set_id, name)
    if renamed.name == old:
        return Done(renamed, None)
    return Done(renamed, swap("Rename set", lambda n: _rename(project, set_id, n), old, renamed.name,
                              touched("document_sets", [set_id])))


def _rename(project: Project, set_id: int, name: str) -> DocumentSet:
    current = document_set(project, set_id)
    name = _check_name(project, name, other_than=set_id)
    if name != current.name:
        with project.action() as changes:
            sql.rename_set(project.db, set_id, name)
            changes.sets = True
    return document_set(project, set_id)


def delete_set(project: Project, set_id: int) -> Done[dict]:
    """Delete a set (its documents stay); the value is the snapshot of what went."""
    document_set(project, set_id)
    rows = _delete(project, set_id)
    return Done(rows, restore_then("Restore set", lambda r: _restore(project, r), rows, lambda: _delete(project, set_id),
                                   "Delete set", touched("document_sets", [set_id])))


def _delete(project: Project, set_id: int) -> dict:
    with project.action() as changes:
        rows = sql.snapshot(project.db, set_id)
        sql.delete_set(project.db, set_id)
        changes.sets = True
    return rows


def _restore(project: Project, rows: dict[str, list[dict]]) -> None:
    """Undo :func:`_delete`: the same id, name, GUID and documents."""
    with project.action() as changes:
        sql.restore(project.db, rows)
        changes.sets = True


def add_documents(project: Project, set_id: int, document_ids: Iterable[int]) -> Done[list[int]]:
    """Put documents in a set; the value is those that were not in it already (what undo takes out)."""
    added = _add(project, set_id, document_ids)
    return Done(added, _members("Remove from set", _remove, _add, project, set_id, added))


_Step = Callable[[Project, int, Iterable[int]], list[int]]


def _members(label: str, step: _Step, inverse: _Step, project: Project, set_id: int, ids: list[int]) -> Undo | None:
    """The undo of adding (or removing) ``ids``: remove (or add) exactly those; None when there are none."""
    if not ids:
        return None

    def run() -> Undo:
        step(project, set_id, ids)
        back = _members("Add to set" if step is _remove else "Remove from set", inverse, step, project, set_id, ids)
        assert back is not None
        return back

    return Undo(label, run, touched("document_sets", [set_id]))


def _add(project: Project, set_id: int, document_ids: Iterable[int]) -> list[int]:
    document_set(project, set_id)
    ids = _check_documents(project, document_ids)
    with project.action() as changes:
        added = [d for d in ids if sql.add_member(project.db, set_id, d)]
        changes.sets = bool(added)
    return added


def remove_documents(project: Project, set_id: int, document_ids: Iterable[int]) -> Done[list[int]]:
    """Take documents out of a set; the value is those that were in it (what undo puts back)."""
    removed = _remove(project, set_id, document_ids)
    return Done(removed, _members("Add to set", _add, _remove, project, set_id, removed))


def _remove(project: Project, set_id: int, document_ids: Iterable[int]) -> list[int]:
    document_set(project, set_id)
    ids = list(dict.fromkeys(document_ids))
    with project.action() as changes:
        removed = [d for d in ids if sql.remove_member(project.db, set_id, d)]
        changes.sets = bool(removed)
    return removed
