"""Codings of text: applying, removing and resizing them, each returning its inverse.

Reached as ``project.codings`` (:class:`CodingService`). The rules of adding a coding (who is
recorded as coder, what counts as a duplicate, grouping codes) and of resizing one are in
:mod:`qcdesk.core.coding_rules`; this service checks a request against the document, runs it as
one action and returns a :class:`~qcdesk.core.undo.Done` whose ``undo`` reverses it
(:mod:`qcdesk.core.undo`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from qcdesk.core import coding_rules
from qcdesk.core.code_names import in_vivo_name
from qcdesk.core.errors import OperationError
from qcdesk.core.models import Changes, Code, Coding
from qcdesk.core.storage import codings as coding_sql
from qcdesk.core.storage import schema
from qcdesk.core.undo import Done, Undo, delete_then, restore_then, swap, touched

if TYPE_CHECKING:
    from qcdesk.core.project import Project


class CodingService:
    """The text codings of one project (``project.codings``)."""

    def __init__(self, project: "Project"):
        self.project = project

    def apply(self, document_id: int, code_id: int, start: int, end: int) -> Done[Coding]:
        """Tag ``[start, end)`` (code points) of a document with a code.

        The coding records who coded and follows the one duplicate rule of
        :mod:`qcdesk.core.coding_rules`: applying the same code to exactly the same range
        again changes nothing and gives back the existing coding (with no undo); another
        coder's identical coding does not count (in a merged team project each coder's
        judgement is kept for agreement). A code that only groups others is refused.
        """
        p = self.project
        length = p.document(document_id).char_count
        coding_rules.check_codable(p.code(code_id))
        if not (0 <= start < end <= length):
            raise OperationError(
                f"Cannot code characters {start}-{end}: select some text of the document "
                f"(0-{length}) first.")
        with p.coder_recorded():  # a coder chosen before the full check is recorded in this action
            item = coding_rules.NewCoding(document_id, code_id, start, end,
                                          coding_rules.recording_coder(p.db, p.coder), schema.now())
            found = coding_rules.existing(p.db, item)
            if found is not None:
                return Done(found, None)
            with p.action() as changes:
                [(coding, _added)] = coding_rules.add_codings(p.db, [item], changes)
                coding_id = coding.id
        return Done(p.coding(coding_id), self.removal(coding_id))

    def from_selection(self, document_id: int, start: int, end: int, *, parent_id: int | None = None,
                       name: str | None = None) -> Done[tuple[Code, Coding]]:
        """In-vivo coding: a new code named after the participant's words, applied to them (one
        action); undone by deleting the code, which takes the coding with it."""
        p = self.project
        if name is None:
            name = in_vivo_name(p.document_text(document_id)[start:end])
        with p.action():
            code = p.codebook.add(name, parent_id=parent_id).value
            coding = self.apply(document_id, code.id, start, end).value
        return Done((code, coding), p.codebook.deletion(code.id))

    def remove(self, coding_id: int) -> Done[dict]:
        """Remove one coding (and the memo on it); the value is the snapshot of what went."""
        p = self.project
        p.coding(coding_id)
        snap = self._remove([coding_id])
        return Done(snap, restore_then("Restore coding", self._restore, snap, lambda: self._remove([coding_id]),
                                       "Remove coding", touched("codings", [coding_id])))

    def removal(self, coding_id: int) -> Undo:
        """The inverse of adding the coding ``coding_id``: remove it (its own inverse puts it back)."""
        return self.removal_of([coding_id])

    def removal_of(self, coding_ids: list[int]) -> Undo:
        """The inverse of adding these codings: remove them all as one action."""
        ids = list(coding_ids)
        return delete_then("Remove codings", lambda: self._remove(ids), self._restore, "Restore codings",
                           touched("codings", ids))

    def resize(self, coding_id: int, start: int, end: int) -> Done[Coding]:
        """Move a coding's ends to ``[start, end)`` (the rules: :func:`coding_rules.resize`)."""
        before = self.project.coding(coding_id)
        moved = self._resize(coding_id, (start, end))
        if (before.start, before.end) == (moved.start, moved.end):
            return Done(moved, None)
        return Done(moved, swap("Resize coding", lambda r: self._resize(coding_id, r), (before.start, before.end),
                                (start, end), touched("codings", [coding_id])))

    # ------------------------------------------------------------------ the steps
    def _resize(self, coding_id: int, new: tuple[int, int]) -> Coding:
        p = self.project
        coding = p.coding(coding_id)
        length = p.document(coding.document_id).char_count
        with p.action() as changes:
            return coding_rules.resize(p.db, coding, new[0], new[1], length, changes)

    def _remove(self, coding_ids: list[int]) -> dict:
        p = self.project
        with p.action() as changes:
            snap = coding_sql.snapshot(p.db, coding_ids)
            coding_sql.delete_many(p.db, coding_ids)
            self._touch(changes, snap)
        return snap

    def _restore(self, snap: dict) -> None:
        p = self.project
        with p.action() as changes:
            coding_sql.restore(p.db, snap)
            self._touch(changes, snap)

    @staticmethod
    def _touch(changes: Changes, snap: dict) -> None:
        rows = snap.get("codings", [])
        changes.memos = changes.memos or bool(snap.get("memos"))  # a coded segment's memo goes with it
        changes.codings.update(r["id"] for r in rows)
        changes.codes.update(r["code_id"] for r in rows)
        changes.coded_documents.update(r["document_id"] for r in rows)
