"""Memos: the researcher's analytic notes, for constant comparison and an audit trail of thinking.

A memo is attached to at most one thing: a code, a document, a case or a single coding
(a coded segment); attached to nothing it belongs to the project journal. Memos go
with what they are attached to (deleting a code or a coding takes its memos, and the
undo snapshots of those deletions bring them back).

Each create, update or delete is one action with ``Changes.memos`` set.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from qcdesk.core import coding_rules
from qcdesk.core.errors import OperationError
from qcdesk.core.models import Memo
from qcdesk.core.project import Project
from qcdesk.core.storage import memos as memo_sql
from qcdesk.core.storage import schema
from qcdesk.core.undo import Done, delete_then, restore_then, touched

#: the title of the memo that Project ▸ Project journal opens
JOURNAL_TITLE = "Project journal"
#: target column -> what the user calls it
TARGET_KINDS = {"code_id": "Code", "document_id": "Document", "case_id": "Case", "coding_id": "Coded segment"}
SNIPPET_CONTEXT = 40
#: characters of an annotated passage shown in its memo's label
PASSAGE_LABEL = 30


@dataclass(frozen=True)
class MemoHit:
    """A memo found by :func:`search_memos` and the words around the first match."""

    memo: Memo
    snippet: str


def _target(code_id=None, document_id=None, case_id=None, coding_id=None) -> tuple[str | None, int | None]:
    given = [(c, v) for c, v in zip(memo_sql.TARGETS, (code_id, document_id, case_id, coding_id)) if v is not None]
    if len(given) > 1:
        raise OperationError("A memo can be attached to one thing only (a code, a document, a case "
                             "or a coded segment).")
    return given[0] if given else (None, None)


def target_of(memo: Memo) -> tuple[str | None, int | None]:
    """(target column, id) of a memo; (None, None) for a journal memo."""
    return _target(memo.code_id, memo.document_id, memo.case_id, memo.coding_id)


class MemoService:
    """The memos of one project (``project.memos``)."""

    def __init__(self, project: "Project"):
        self.project = project

    def _check_target(self, column: str | None, target_id: int | None) -> None:
        # _target gives a column with an id, or neither
        if column is not None and target_id is not None and memo_sql.name_of(self.project.db, column, target_id) is None:
            raise OperationError(f"{TARGET_KINDS[column]} {target_id} does not exist; the memo was not written.")

    def get(self, memo_id: int) -> Memo:
        memo = memo_sql.get(self.project.db, memo_id)
        if memo is None:
            raise OperationError(f"Memo {memo_id} does not exist.")
        return memo

    def all(self) -> list[Memo]:
        return memo_sql.all_memos(self.project.db)

    def on_target(self, *, code_id: int | None = None, document_id: int | None = None,
                  case_id: int | None = None, coding_id: int | None = None) -> list[Memo]:
        """Memos on one target, oldest first; no target given: the memos attached to nothing."""
        return memo_sql.for_target(self.project.db, *_target(code_id, document_id, case_id, coding_id))

    def on(self, *, code_id: int | None = None, document_id: int | None = None,
                 case_id: int | None = None, coding_id: int | None = None) -> Memo | None:
        """The (first) memo on one target, or None: what a "Memo…" entry opens."""
        found = self.on_target(code_id=code_id, document_id=document_id, case_id=case_id, coding_id=coding_id)
        return found[0] if found else None

    def create(self, title: str = "", body: str = "", *, code_id: int | None = None,
                    document_id: int | None = None, case_id: int | None = None,
                    coding_id: int | None = None) -> Done[Memo]:
        """A new memo (on a target, or free); undone by deleting it."""
        column, target_id = _target(code_id, document_id, case_id, coding_id)
        self._check_target(column, target_id)
        stamp = schema.now()
        row: dict = {"title": title.strip(), "body": body, "created": stamp, "modified": stamp}
        if column is not None:
            row[column] = target_id
        with self.project.action() as changes:
            # read inside the action, which records a coder chosen before the full check first
            row["coder_id"] = coding_rules.recording_coder(self.project.db, self.project.coder, else_last=False)
            memo_id = memo_sql.insert(self.project.db, row)
            changes.memos = True
        return Done(self.get(memo_id),
                    delete_then("Delete memo", lambda: self._delete(memo_id), lambda rows: self._restore(rows),
                                "Restore memo", touched("memos", [memo_id])))

    def ensure(self, **target: int | None) -> Done[Memo]:
        """The memo on ``target`` (keywords as :func:`memo_for`), created titled after it if
        there is none (then ``undo`` deletes it; None when it was there). No target: the project journal."""
        column, _target_id = _target(**target)
        found = self.on(**target) if column is not None else self.journal()
        if found is not None:
            return Done(found, None)
        column, target_id = _target(**target)
        title = JOURNAL_TITLE if column is None or target_id is None else (
            memo_sql.name_of(self.project.db, column, target_id) or "")
        return self.create(title, "", **target)

    def journal(self) -> Memo | None:
        """The project journal: the memo attached to nothing titled :data:`JOURNAL_TITLE`."""
        return next((m for m in self.on_target() if m.title == JOURNAL_TITLE), None)

    def update(self, memo_id: int, *, title: str | None = None, body: str | None = None) -> Memo:
        """Change a memo's title and/or body; nothing happens (no action) if both are unchanged."""
        memo = self.get(memo_id)
        values = {}
        if title is not None and title != memo.title:
            values["title"] = title
        if body is not None and body != memo.body:
            values["body"] = body
        if not values:
            return memo
        values["modified"] = schema.now()
        with self.project.action() as changes:
            memo_sql.update(self.project.db, memo_id, values)
            changes.memos = True
        return self.get(memo_id)

    def delete(self, memo_id: int) -> Done[dict]:
        """Delete a memo; the value is the snapshot of its row."""
        self.get(memo_id)
        rows = self._delete(memo_id)
        return Done(rows, restore_then("Restore memo", lambda r: self._restore(r), rows,
                                       lambda: self._delete(memo_id), "Delete memo", touched("memos", [memo_id])))

    def _delete(self, memo_id: int) -> dict:
        with self.project.action() as changes:
            rows = memo_sql.snapshot(self.project.db, memo_id)
            memo_sql.delete(self.project.db, memo_id)
            changes.memos = True
        return rows

    def _restore(self, rows: dict) -> None:
        with self.project.action() as changes:
            memo_sql.restore(self.project.db, rows)
            changes.memos = True

    def counts(self) -> dict[tuple[str | None, int | None], int]:
        """(target column, id) -> number of memos: ``("code_id", 7)``; ``(None, None)`` the journal."""
        return memo_sql.counts(self.project.db)

    def codings_with_memos(self, coding_ids: Iterable[int]) -> set[int]:
        """Which of ``coding_ids`` have a memo."""
        return memo_sql.codings_with_memos(self.project.db, list(coding_ids))

    def target_label(self, memo: Memo) -> str:
        """What the memo is about, for a list: "Code: Belonging", "Project journal"."""
        column, target_id = target_of(memo)
        if column is None or target_id is None:
            return "Project journal"
        name = memo_sql.name_of(self.project.db, column, target_id) or "?"
        if column == "document_id":
            words = memo_sql.anchored_words(self.project.db, memo.id, PASSAGE_LABEL)
            if words is not None:  # an annotation of a passage (no code covers it)
                words = " ".join(words.split())
                cut = len(words) > PASSAGE_LABEL
                return f"Passage of {name}: “{words[:PASSAGE_LABEL].rstrip()}{'…' if cut else ''}”"
        return f"{TARGET_KINDS[column]}: {name}"

    def search(self, text: str) -> list[MemoHit]:
        """Memos whose title or body contains ``text`` (any case), each with a snippet around it."""
        needle = text.strip().casefold()
        if not needle:
            return []
        hits: list[MemoHit] = []
        for memo in self.all():
            for field in (memo.body, memo.title):
                # casefold can change lengths (ß -> ss); search the folded text when it does not
                folded = field.casefold()
                at = folded.find(needle)
                if at >= 0:
                    exact = len(folded) == len(field)
                    hits.append(MemoHit(memo, _snippet(field, at if exact else 0, len(needle))))
                    break
        return hits


def _snippet(text: str, at: int, length: int) -> str:
    start, end = max(0, at - SNIPPET_CONTEXT), min(len(text), at + length + SNIPPET_CONTEXT)
    return ("…" if start else "") + " ".join(text[start:end].split()) + ("…" if end < len(text) else "")


