"""The documents of a project: their rows, structure (blocks, speaker turns, sync points), names,
order, text and deletion (``project.documents``).

The one owner of those tables: every insert, update and delete of ``documents``, ``blocks``,
``speaker_turns`` and ``sync_points`` is a method here over :mod:`qcdesk.core.storage.documents`,
whoever asks (importing, REFI-QDA import, recordings without transcript, merging, text edits,
speaker renames, pseudonymising, interview order); ``tests/core/test_document_owner.py`` fails on
another path. Reading a document stays on :class:`~qcdesk.core.project.Project`
(``document()``, ``document_text()``, ``blocks()``, ``speaker_turns()``), and calling the service,
``project.documents()``, lists them all.

:meth:`add`, :meth:`rename` and :meth:`delete` are actions of their own; the methods under
"Inside another action" write what a larger operation (a text edit, a merge) changes and run
inside that operation's action, which reports the change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from qcdesk.core.errors import OperationError
from qcdesk.core.importers.base import ParsedDocument, content_hash
from qcdesk.core.models import Changes, Document
from qcdesk.core.storage import documents as sql
from qcdesk.core.storage import schema
from qcdesk.core.undo import Done, Touched, restore_then, swap, touched

if TYPE_CHECKING:
    from qcdesk.core.project import Project

Rows = dict[str, list[dict]]


class DocumentService:
    #: the tables of a document's structure (rows that point into its text)
    STRUCTURE_TABLES = sql.STRUCTURE_TABLES

    def __init__(self, project: "Project"):
        self.project = project

    def __call__(self) -> list[Document]:
        """Every document, in the documents' order."""
        return sql.all_documents(self.project.db)

    # ----------------------------------------------------------------- actions
    def add(self, name: str, parsed: ParsedDocument, *, source_name: str = "") -> Document:
        """Store an imported document with its structure, all or nothing."""
        p = self.project
        name = name.strip() or "Untitled"
        try:
            parsed.validate()
        except ValueError as exc:
            raise OperationError(f"The importer produced inconsistent structure for {name}: {exc}") from exc
        with p.action() as changes:
            doc_id = sql.insert(p.db, {
                "name": name,
                "plain_text": parsed.text,
                "source_format": parsed.source_format,
                "source_name": source_name,
                "imported_at": schema.now(),
                "content_hash": content_hash(parsed.text),
                "char_count": len(parsed.text),
            })
            sql.insert_blocks(p.db, doc_id, parsed.block_rows())
            sql.insert_turns(p.db, doc_id, parsed.turn_rows())
            sql.insert_sync_points(p.db, doc_id, parsed.sync_points)
            changes.documents.add(doc_id)
            changes.document_list = True
        return p.document(doc_id)

    def rename(self, document_id: int, name: str) -> Done[None]:
        old = self.project.document(document_id).name
        self._rename(document_id, name)
        new = self.project.document(document_id).name
        if new == old:
            return Done(None, None)
        return Done(None, swap("Rename document", lambda n: self._rename(document_id, n), old, new,
                               touched("documents", [document_id])))

    def _rename(self, document_id: int, name: str) -> None:
        name = name.strip()
        if not name:
            raise OperationError("A document needs a name.")
        self.project.document(document_id)
        with self.project.action() as changes:
            sql.rename(self.project.db, document_id, name)
            changes.documents.add(document_id)
            changes.document_list = True

    def delete(self, document_id: int) -> Done[Rows]:
        """Delete a document with its codings; the value is the snapshot of what went, the undo
        puts it back under the same ids."""
        self.project.document(document_id)
        rows = self._delete(document_id)
        return Done(rows, restore_then("Restore document", self._restore, rows,
                                       lambda: self._delete(document_id), "Delete document",
                                       touched("documents", [document_id])))

    def _delete(self, document_id: int) -> Rows:
        with self.project.action() as changes:
            rows = sql.snapshot(self.project.db, document_id)
            sql.delete(self.project.db, document_id)
            _touch_document(changes, document_id, rows)
        return rows

    def _restore(self, rows: Rows) -> None:
        with self.project.action() as changes:
            sql.restore(self.project.db, rows)
            _touch_document(changes, rows["documents"][0]["id"], rows)

    def reorder(self, document_ids: list[int]) -> None:
        """Make ``document_ids`` the documents' order (the interview order), as one action.
        Documents not listed keep their relative order after the listed ones."""
        known = sql.ids_in_order(self.project.db)
        listed = list(dict.fromkeys(document_ids))
        missing = [i for i in listed if i not in known]
        if missing:
            raise OperationError(f"Document {missing[0]} does not exist.")
        order = listed + [i for i in known if i not in set(listed)]
        with self.project.action() as changes:
            sql.set_positions(self.project.db, order)
            changes.document_list = True

    # ----------------------------------------------------------------- inside another action
    def set_origin(self, document_id: int, created: str | None, creator_id: int | None) -> None:
        """When and by whom a document was created where it came from (a REFI-QDA import)."""
        with self.project.action():
            sql.set_origin(self.project.db, document_id, created, creator_id)

    def add_sync_points(self, document_id: int, points: Iterable[tuple[int, float]]) -> None:
        """Store (position, seconds) times known inside the document's text."""
        with self.project.action() as changes:
            sql.insert_sync_points(self.project.db, document_id, points)
            changes.documents.add(document_id)

    def set_text(self, document_id: int, text: str, text_hash: str) -> None:
        """Replace the document's text (a text edit moves every range into it at the same time)."""
        with self.project.action() as changes:
            sql.set_text(self.project.db, document_id, text, text_hash)
            changes.documents.add(document_id)
            changes.texts.add(document_id)
            changes.document_list = True

    def move_ranges(self, table: str, rows: Iterable[tuple[int, int, int]]) -> None:
        """Write (id, start, end) of rows of a structure table (:attr:`STRUCTURE_TABLES`) moved by
        a text edit."""
        if table not in sql.STRUCTURE_TABLES:
            raise ValueError(f"{table} is not a table of a document's structure")
        with self.project.action():
            sql.set_structure_ranges(self.project.db, table, rows)

    def set_turn_speakers(self, rows: Iterable[tuple[int, str]]) -> None:
        """Give speaker turns new speaker labels: (turn id, speaker) pairs."""
        with self.project.action():
            sql.set_turn_speakers(self.project.db, rows)

    def mark_pseudonymised(self, document_id: int, when: str | None) -> None:
        with self.project.action() as changes:
            sql.set_pseudonymised(self.project.db, document_id, when)
            changes.documents.add(document_id)

    def copy_in(self, row: dict, other: "Project", their_id: int) -> int:
        """Add another project's document ``their_id`` (its row ``row``, foreign ids already mapped
        to this project's) with its structure, after the documents here; the new id."""
        values = {k: v for k, v in row.items() if k not in ("id", "position")}
        with self.project.action() as changes:
            new = sql.insert_copy(self.project.db, values, sql.structure_rows(other.db, their_id))
            changes.documents.add(new)
            changes.document_list = True
        return new

    def rows_of(self, document_ids: list[int]) -> Touched:
        """(table, id) of these documents and their structure rows (what removing them changes)."""
        out = touched("documents", document_ids)
        for table, ids in sql.structure_ids(self.project.db, document_ids).items():
            out |= touched(table, ids)
        return out

    def remove_copies(self, document_ids: list[int]) -> Rows:
        """Delete documents added by :meth:`copy_in` (the undo of a merge, once what hangs on them
        is gone); return their rows and structure for :meth:`restore_copies`."""
        with self.project.action() as changes:
            rows = sql.rows_of(self.project.db, document_ids)
            sql.delete_many(self.project.db, document_ids)
            changes.documents.update(document_ids)
            changes.document_list = changes.document_list or bool(document_ids)
        return rows

    def restore_copies(self, rows: Rows) -> None:
        """Put back what :meth:`remove_copies` removed, with the same ids."""
        with self.project.action() as changes:
            sql.insert_rows(self.project.db, rows)
            changes.documents.update(r["id"] for r in rows.get("documents", []))
            changes.document_list = changes.document_list or bool(rows.get("documents"))


def _touch_document(changes: Changes, doc_id: int, rows: Rows) -> None:
    changes.documents.add(doc_id)
    changes.coded_documents.add(doc_id)
    changes.codes.update(r["code_id"] for r in rows.get("codings", []))
    changes.memos = bool(rows.get("memos"))
    changes.document_list = True
    changes.sets = bool(rows.get("document_set_members"))
