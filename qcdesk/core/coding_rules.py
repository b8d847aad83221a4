"""The one owner of the rules for adding codings, whoever adds them: applying a code in the window or
on the command line, coding search hits, importing a REFI-QDA project, merging a colleague's copy.

* **Who coded.** A coding records its coder: the one chosen for this session, else the one the
  project last recorded as working (whom the audit trail names for the same change), else nobody.
  Imports and merges pass the coder the file names.
* **Duplicates.** The same code on the same range by the same coder is one coding: adding it again
  gives back the one already there. Another coder's identical coding is a separate judgement and is
  kept (inter-coder agreement needs both).
* **Resizing.** A coding's ends move within its document and keep at least one character; a
  resize that would make it the duplicate of another coding of the same code by the same coder is
  refused (remove one of them instead): two codings never silently become one.
* **Grouping codes.** A code that only groups others (REFI-QDA ``isCodable="false"``) is not applied
  by a person; codings that a file or a colleague's copy already has on it are kept, not lost.

Everything here runs inside the caller's action (:meth:`Project.action`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from qcdesk.core.errors import OperationError
from qcdesk.core.models import Changes, Code, Coder, Coding
from qcdesk.core.storage import codebook as code_sql
from qcdesk.core.storage import codings as coding_sql


@dataclass(frozen=True)
class NewCoding:
    document_id: int
    code_id: int
    start: int
    end: int
    coder_id: int | None
    #: when it was coded (ISO 8601); "" when a file did not say (it is not invented)
    created: str


def recording_coder(db: sqlite_utils.Database, chosen: Coder | None, *, else_last: bool = True) -> int | None:
    """The coder a new coding (or memo) records: the session's chosen coder, else the project's last
    one (a memo: nobody, ``else_last=False``). None while the chosen coder is not recorded yet."""
    if chosen is not None:
        return chosen.id if chosen.id > 0 else None
    return code_sql.session_coder(db) if else_last else None


def check_codable(code: Code) -> None:
    """Refuse to apply a code that only groups other codes."""
    if not code.codable:
        raise OperationError(f"“{code.name}” groups other codes and is not applied to text; "
                             "choose one of its sub-codes.")


def existing(db: sqlite_utils.Database, item: NewCoding) -> Coding | None:
    """The coding ``item`` duplicates (same document, code, range and coder), if there is one."""
    return coding_sql.duplicate(db, item.document_id, item.code_id, item.start, item.end, item.coder_id)


#: (document, code) -> (start, end, coder) -> the coding there: what :func:`add_codings` has looked up
Known = dict[tuple[int, int], dict[tuple[int, int, int | None], Coding]]


def add_codings(db: sqlite_utils.Database, items: list[NewCoding], changes: Changes | None = None,
                known: Known | None = None) -> list[tuple[Coding, bool]]:
    """Add each coding unless it is a duplicate; (coding, True when added) for each item, in order.

    The codings already here are looked up once per document and code; a caller adding codings in
    many calls within one action (an import, a merge) passes the same ``known`` to every call.
    """
    out: list[tuple[Coding, bool]] = []
    known = {} if known is None else known
    cur = coding_sql.cursor(db)
    for item in items:
        key = (item.document_id, item.code_id)
        if key not in known:
            known[key] = {(c.start, c.end, c.coder_id): c
                          for c in reversed(coding_sql.of_code_in_document(db, *key))}
        found = known[key].get((item.start, item.end, item.coder_id))
        if found is not None:
            out.append((found, False))
            continue
        coding_id = coding_sql.insert(db, {
            "document_id": item.document_id, "code_id": item.code_id, "start": item.start, "end": item.end,
            "coder_id": item.coder_id, "created": item.created}, cur)
        coding = Coding(coding_id, item.document_id, item.code_id, item.start, item.end, item.coder_id,
                        item.created)
        known[key][(item.start, item.end, item.coder_id)] = coding
        out.append((coding, True))
        if changes is not None:
            changes.codings.add(coding_id)
            changes.codes.add(item.code_id)
            changes.coded_documents.add(item.document_id)
    return out


def resize(db: sqlite_utils.Database, coding: Coding, start: int, end: int, length: int,
           changes: Changes) -> Coding:
    """Move ``coding``'s ends to ``[start, end)`` of a document of ``length`` code points; its code,
    coder, date and memo stay. Refused (with a message, nothing changed) when the range is empty, leaves
    the document, or is exactly that of another coding of the same code by the same coder."""
    if start >= end:
        raise OperationError("A coding keeps at least one character: drag its end past its start, "
                             "or remove the coding instead.")
    if start < 0 or end > length:
        raise OperationError(f"Cannot move the coding to characters {start}-{end}: "
                             f"the document has characters 0-{length}.")
    twin = coding_sql.duplicate(db, coding.document_id, coding.code_id, start, end, coding.coder_id)
    if twin is not None and twin.id != coding.id:
        code = code_sql.get(db, coding.code_id)
        name = f"“{code.name}”" if code is not None else "this code"
        raise OperationError(f"Those words are already coded with {name} by the same coder; "
                             "remove one of the two codings instead of making them the same.")
    if (start, end) != (coding.start, coding.end):
        coding_sql.set_range(db, coding, start, end)
        changes.codings.add(coding.id)
        changes.codes.add(coding.code_id)
        changes.coded_documents.add(coding.document_id)
    return Coding(coding.id, coding.document_id, coding.code_id, start, end, coding.coder_id, coding.created)
