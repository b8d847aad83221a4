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
from typing import Iterable

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


class SetService:
    """The document sets of one project (``project.sets``)."""

    def __init__(self, project: "Project"):
        self.project = project

    def all(self) -> list[DocumentSet]:
        """All sets, by name."""
        return sql.all_sets(self.project.db)

    def get(self, set_id: int) -> DocumentSet:
        found = sql.get_set(self.project.db, set_id)
        if found is None:
            raise OperationError(f"Set {set_id} does not exist.")
        return found

    def by_name(self, name: str) -> DocumentSet | None:
        """The set called ``name`` (spaces collapsed, case ignored), if there is one."""
        return sql.set_by_name(self.project.db, " ".join(str(name).split()))

    def id_of(self, name: str) -> int:
        """The id of the set called ``name``; an unknown name is an error."""
        from qcdesk.core.retrieval_names import set_id as by_name

        return by_name(self.project, name)

    def with_documents(self) -> list[SetWithDocuments]:
        """Every set with its documents, sets by name, documents in interview order."""
        members = sql.memberships(self.project.db)
        return [SetWithDocuments(s, tuple(members.get(s.id, ()))) for s in sql.all_sets(self.project.db)]

    def documents_of(self, set_id: int) -> list[int]:
        self.get(set_id)
        return sql.member_ids(self.project.db, set_id)

    def of_document(self, document_id: int) -> list[DocumentSet]:
        return sql.sets_of_document(self.project.db, document_id)

    def _check_name(self, name: str, *, other_than: int | None = None) -> str:
        name = " ".join(str(name).split())
        if not name:
            raise OperationError("A set needs a name.")
        if len(name) > MAX_NAME:
            raise OperationError(f"Set names are limited to {MAX_NAME} characters.")
        existing = sql.set_by_name(self.project.db, name)
        if existing is not None and existing.id != other_than:
            raise OperationError(f"There is already a set called “{existing.name}”.")
        return name

    def _check_documents(self, document_ids: Iterable[int]) -> list[int]:
        ids = list(dict.fromkeys(document_ids))
        for doc_id in ids:
            self.project.document(doc_id)
        return ids

    def create(self, name: str, document_ids: Iterable[int] = (), *,
                   description: str = "", guid: str | None = None) -> Done[DocumentSet]:
        """A new set, with these documents in it (one action)."""
        name = self._check_name(name)
        ids = self._check_documents(document_ids)
        guid = guid or str(uuid.uuid4())
        if sql.set_by_guid(self.project.db, guid) is not None:
            guid = str(uuid.uuid4())
        with self.project.action() as changes:
            new_id = sql.insert_set(self.project.db, name, guid, schema.now(), description)
            for doc_id in ids:
                sql.add_member(self.project.db, new_id, doc_id)
            changes.sets = True
        return Done(self.get(new_id),
                    delete_then("Delete set", lambda: self._delete(new_id), lambda rows: self._restore(rows),
                                "Restore set", touched("document_sets", [new_id])))

    def rename(self, set_id: int, name: str) -> Done[DocumentSet]:
        old = self.get(set_id).name
        renamed = self._rename(set_id, name)
        if renamed.name == old:
            return Done(renamed, None)
        return Done(renamed, swap("Rename set", lambda n: self._rename(set_id, n), old, renamed.name,
                                  touched("document_sets", [set_id])))

    def _rename(self, set_id: int, name: str) -> DocumentSet:
        current = self.get(set_id)
        name = self._check_name(name, other_than=set_id)
        if name != current.name:
            with self.project.action() as changes:
                sql.rename_set(self.project.db, set_id, name)
                changes.sets = True
        return self.get(set_id)

    def delete(self, set_id: int) -> Done[dict]:
        """Delete a set (its documents stay); the value is the snapshot of what went."""
        self.get(set_id)
        rows = self._delete(set_id)
        return Done(rows, restore_then("Restore set", lambda r: self._restore(r), rows, lambda: self._delete(set_id),
                                       "Delete set", touched("document_sets", [set_id])))

    def _delete(self, set_id: int) -> dict:
        with self.project.action() as changes:
            rows = sql.snapshot(self.project.db, set_id)
            sql.delete_set(self.project.db, set_id)
            changes.sets = True
        return rows

    def _restore(self, rows: dict[str, list[dict]]) -> None:
        """Undo :func:`_delete`: the same id, name, GUID and documents."""
        with self.project.action() as changes:
            sql.restore(self.project.db, rows)
            changes.sets = True

    def add_documents(self, set_id: int, document_ids: Iterable[int]) -> Done[list[int]]:
        """Put documents in a set; the value is those that were not in it already (what undo takes out)."""
        added = self._add(set_id, document_ids)
        return Done(added, self._members(set_id, added, add=False))

    def _members(self, set_id: int, ids: list[int], *, add: bool) -> Undo | None:
        """The undo of taking out (``add``) or putting in ``ids``: exactly those back; None when there are none."""
        if not ids:
            return None

        def run() -> Undo:
            (self._add if add else self._remove)(set_id, ids)
            back = self._members(set_id, ids, add=not add)
            assert back is not None
            return back

        return Undo("Add to set" if add else "Remove from set", run, touched("document_sets", [set_id]))

    def _add(self, set_id: int, document_ids: Iterable[int]) -> list[int]:
        self.get(set_id)
        ids = self._check_documents(document_ids)
        with self.project.action() as changes:
            added = [d for d in ids if sql.add_member(self.project.db, set_id, d)]
            changes.sets = bool(added)
        return added

    def remove_documents(self, set_id: int, document_ids: Iterable[int]) -> Done[list[int]]:
        """Take documents out of a set; the value is those that were in it (what undo puts back)."""
        removed = self._remove(set_id, document_ids)
        return Done(removed, self._members(set_id, removed, add=True))

    def _remove(self, set_id: int, document_ids: Iterable[int]) -> list[int]:
        self.get(set_id)
        ids = list(dict.fromkeys(document_ids))
        with self.project.action() as changes:
            removed = [d for d in ids if sql.remove_member(self.project.db, set_id, d)]
            changes.sets = bool(removed)
        return removed


