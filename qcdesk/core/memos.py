"""Memos: the researcher's analytic notes, for constant comparison and an audit trail of thinking.

A memo is attached to at most one thing: a code, a document, a case or a single coding
(a coded segment); attached to nothing it belongs to the project journal. Memos go
with what they are attached to (deleting a code or a coding takes its memos, and the
undo snapshots of those deletions bring them back).

Each create, update or delete is one action with ``Changes.memos`` set.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def _check_target(project: Project, column: str | None, target_id: int | None) -> None:
    if column is not None and memo_sql.name_of(project.db, column, target_id) is None:
        raise OperationError(f"{TARGET_KINDS[column]} {target_id} does not exist; the memo was not written.")


def get_memo(project: Project, memo_id: int) -> Memo:
    memo = memo_sql.get(project.db, memo_id)
    if memo is None:
        raise OperationError(f"Memo {memo_id} does not exist.")
    return memo


def list_memos(project: Project) -> list[Memo]:
    return memo_sql.all_memos(project.db)


def memos_for(project: Project, *, code_id: int | None = None, document_id: int | None = None,
              case_id: int | None = None, coding_id: int | None = None) -> list[Memo]:
    """Memos on one target, oldest first; no target given: the memos attached to nothing."""
    return memo_sql.for_target(project.db, *_target(code_id, document_id, case_id, coding_id))


def memo_for(project: Project, *, code_id: int | None = None, document_id: int | None = None,
             case_id: int | None = None, coding_id: int | None = None) -> Memo | None:
    """The (first) memo on one target, or None: what a "Memo…" entry opens."""
    found = memos_for(project, code_id=code_id, document_id=document_id, case_id=case_id, coding_id=coding_id)
    return found[0] if found else None


def create_memo(project: Project, title: str = "", body: str = "", *, code_id: int | None = None,
                document_id: int | None = None, case_id: int | None = None,
                coding_id: int | None = None) -> Done[Memo]:
    """A new memo (on a target, or free); undone by deleting it."""
    column, target_id = _target(code_id, document_id, case_id, coding_id)
    _check_target(project, column, target_id)
    stamp = schema.now()
    row = {"title": title.strip(), "body": body, "created": stamp, "modified": stamp,
           "coder_id": project.coder.id if project.coder and project.coder.id > 0 else None}
    if column is not None:
        row[column] = target_id
    with project.action() as changes:
        memo_id = memo_sql.insert(project.db, row)
        changes.memos = True
    return Done(get_memo(project, memo_id),
                delete_then("Delete memo", lambda: _delete(project, memo_id), lambda rows: _restore(project, rows),
                            "Restore memo", touched("memos", [memo_id])))


def ensure_memo(project: Project, **target: int | None) -> Done[Memo]:
    """The memo on ``target`` (keywords as :func:`memo_for`), created titled after it if
    there is none (then ``undo`` deletes it; None when it was there). No target: the project journal."""
    column, _target_id = _target(**target)
    found = memo_for(project, **target) if column is not None else journal_memo(project)
    if found is not None:
        return Done(found, None)
    column, target_id = _target(**target)
    title = JOURNAL_TITLE if column is None else (memo_sql.name_of(project.db, column, target_id) or "")
    return create_memo(project, title, **target)


def journal_memo(project: Project) -> Memo | None:
    """The project journal: the memo attached to nothing titled :data:`JOURNAL_TITLE`."""
    return next((m for m in memos_for(project) if m.title == JOURNAL_TITLE), None)


def update_memo(project: Project, memo_id: int, *, title: str | None = None, body: str | None = None) -> Memo:
    """Change a memo's title and/or body; nothing happens (no action) if both are unchanged."""
    memo = get_memo(project, memo_id)
    values = {}
    if title is not None and title != memo.title:
        values["title"] = title
    if body is not None and body != memo.body:
        values["body"] = body
    if not values:
        return memo
    values["modified"] = schema.now()
    with project.action() as changes:
        memo_sql.update(project.db, memo_id, values)
        changes.memos = True
    return get_memo(project, memo_id)


def delete_memo(project: Project, memo_id: int) -> Done[dict]:
    """Delete a memo; the value is the snapshot of its row."""
    get_memo(project, memo_id)
    rows = _delete(project, memo_id)
    return Done(rows, restore_then("Restore memo", lambda r: _restore(project, r), rows,
                                   lambda: _delete(project, memo_id), "Delete memo", touched("memos", [memo_id])))


def _delete(project: Project, memo_id: int) -> dict:
    with project.action() as changes:
        rows = memo_sql.snapshot(project.db, memo_id)
        memo_sql.delete(project.db, memo_id)
        changes.memos = True
    return rows


def _restore(project: Project, rows: dict) -> None:
    with project.action() as changes:
        memo_sql.restore(project.db, rows)
        changes.memos = True


def memo_counts(project: Project) -> dict[tuple[str | None, int | None], int]:
    """(target column, id) -> number of memos: ``("code_id", 7)``; ``(None, None)`` the journal."""
    return memo_sql.counts(project.db)


def target_label(project: Project, memo: Memo) -> str:
    """What the memo is about, for a list: "Code: Belonging", "Project journal"."""
    column, target_id = target_of(memo)
    if column is None:
        return "Project journal"
    name = memo_sql.name_of(project.db, column, target_id) or "?"
    if column == "document_id":
        words = memo_sql.anchored_words(project.db, memo.id, PASSAGE_LABEL)
        if words is not None:  # an annotation of a passage (no code covers it)
            words = " ".join(words.split())
            cut = len(words) > PASSAGE_LABEL
            return f"Passage of {name}: “{words[:PASSAGE_LABEL].rstrip()}{'…' if cut else ''}”"
    return f"{TARGET_KINDS[column]}: {name}"


def _snippet(text: str, at: int, length: int) -> str:
    start, end = max(0, at - SNIPPET_CONTEXT), min(len(text), at + length + SNIPPET_CONTEXT)
    return ("…" if start else "") + " ".join(text[start:end].split()) + ("…" if end < len(text) else "")


def search_memos(project: Project, text: str) -> list[MemoHit]:
    """Memos whose title or body contains ``text`` (any case), each with a snippet around it."""
    needle = text.strip().casefold()
    if not needle:
        return []
    hits: list[MemoHit] = []
    for memo in list_memos(project):
        for field in (memo.body, memo.title):
            # casefold can change lengths (ß -> ss); search the folded text when it does not
            folded = field.casefold()
            at = folded.find(needle)
            if at >= 0:
                exact = len(folded) == len(field)
                hits.append(MemoHit(memo, _snippet(field, at if exact else 0, len(needle))))
                break
    return hits
