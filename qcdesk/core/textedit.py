"""Editing a document's text without losing its codings: offset-preserving span replacement.

A document's text is otherwise immutable; renaming a speaker or replacing real names by
pseudonyms are the edits that must change it. Every range that points into the text
(codings, speaker turns, paragraphs) is remapped so it still covers the same words:

* a position before an edit keeps its offset, one after it moves by the edit's length change;
* a range boundary inside a replaced span snaps outward to the replacement's bounds, so a
  coding that touched the old words covers all of the new ones;
* text inserted exactly at a range's start or end stays outside the range.

A coding never becomes empty: an edit that would delete all of a coding's text is refused. The action reports the
documents in ``Changes.texts`` so views reload them.
:func:`replace_spans` returns a snapshot; :func:`restore_text` puts the text and every range
back exactly, which is what an undo command holds.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any, Callable, Iterable, Mapping, Sequence

from qcdesk.core.errors import OperationError
from qcdesk.core.importers.base import content_hash
from qcdesk.core.storage import codebook as code_sql
from qcdesk.core.storage import codings as coding_sql
from qcdesk.core.storage import textedit as sql
from qcdesk.core.undo import Touched, touched

Edit = tuple[int, int, str]
#: a snapshot is plain data (lists and dicts), so undo commands may hold it as long as they like
Snapshot = dict


def normalise_edits(text: str, edits: Iterable[Sequence]) -> list[Edit]:
    """Sorted edits that change something; raise OperationError on invalid or overlapping ones."""
    n = len(text)
    out: list[Edit] = []
    for edit in edits:
        start, end, replacement = int(edit[0]), int(edit[1]), edit[2]
        if not isinstance(replacement, str):
            raise OperationError("A text edit needs replacement text.")
        if not 0 <= start <= end <= n:
            raise OperationError(f"Cannot edit characters {start}-{end}: the text has {n} characters.")
        if text[start:end] != replacement:
            out.append((start, end, replacement))
    out.sort(key=lambda e: (e[0], e[1]))
    for (a1, b1, _), (a2, b2, _) in zip(out, out[1:]):
        if b1 > a2 or (a1 == b1 == a2 == b2):
            raise OperationError(f"Text edits at {a1}-{b1} and {a2}-{b2} overlap.")
    return out


def apply_edits(text: str, edits: list[Edit]) -> str:
    """The text with normalised edits applied."""
    parts, pos = [], 0
    for start, end, replacement in edits:
        parts += [text[pos:start], replacement]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


class Remap:
    """Maps range boundaries of the old text to the new one (see the module docstring)."""

    def __init__(self, edits: list[Edit]):
        self._starts = [a for a, _, _ in edits]
        self._ends = [b for _, b, _ in edits]
        self._shift = [0]  # total length change of the first k edits
        for a, b, r in edits:
            self._shift.append(self._shift[-1] + len(r) - (b - a))

    def start(self, p: int) -> int:
        k = bisect_right(self._ends, p)  # edits wholly at or before p (an insertion at p included)
        if k < len(self._starts) and self._starts[k] < p:
            p = self._starts[k]  # inside a replaced span: its start
        return p + self._shift[k]

    def end(self, p: int) -> int:
        k = bisect_left(self._starts, p)  # edits starting before p (an insertion at p excluded)
        if k and self._ends[k - 1] > p:
            p = self._ends[k - 1]  # inside a replaced span: its end
        return p + self._shift[k]

    def range(self, start: int, end: int) -> tuple[int, int]:
        new_start, new_end = self.start(start), self.end(end)
        return new_start, max(new_start, new_end)


def inverse_edits(text: str, edits: list[Edit]) -> list[Edit]:
    """The edits that turn the edited text back into ``text``."""
    out, shift = [], 0
    for a, b, r in edits:
        out.append((a + shift, a + shift + len(r), text[a:b]))
        shift += len(r) - (b - a)
    return out


# ----------------------------------------------------------------- operations
def replace_spans(project, document_id: int, edits: Iterable[Sequence]) -> Snapshot:
    """Replace code-point ranges ``(start, end, replacement)`` of one document as one action."""
    return replace_in_documents(project, {document_id: list(edits)})


def replace_in_documents(project, edits_by_document: Mapping[int, Sequence[Sequence]],
                         on_document: Callable[[int], None] | None = None) -> Snapshot:
    """Edit several documents as one action; return one snapshot that undoes all of them.

    ``on_document`` runs inside the action after each edited document (for extra rows
    that belong to the same change, such as speaker labels).
    """
    snapshot: Snapshot = {"documents": []}
    with project.action() as changes:
        for document_id, edits in edits_by_document.items():
            row = sql.text_row(project.db, document_id)
            if row is None:
                raise OperationError(f"Document {document_id} does not exist.")
            text = row["plain_text"]
            normal = normalise_edits(text, edits)
            if normal:
                entry = _edit_document(project, document_id, text, normal, changes)
                entry["content_hash"] = row["content_hash"]
                snapshot["documents"].append(entry)
            if on_document is not None:
                on_document(document_id)
    return snapshot


def rows_touched(snapshot: Snapshot) -> Touched:
    """(table, id) of every row a text edit with this snapshot changes (and its undo changes back):
    the documents and the rows with a range in them."""
    out = touched("documents", [e["id"] for e in snapshot["documents"]])
    for entry in snapshot["documents"]:
        for table, rows in entry["ranges"].items():
            out |= touched(table, [r[0] for r in rows])
    return out


def _edit_document(project, document_id: int, text: str, edits: list[Edit], changes) -> dict:
    new_text = apply_edits(text, edits)
    remap = Remap(edits)
    entry: dict[str, Any] = {"id": document_id, "plain_text": text, "new_hash": content_hash(new_text),
             "inverse": inverse_edits(text, edits), "ranges": {}}
    for table in sql.RANGE_TABLES:
        rows = sql.ranges(project.db, table, document_id)
        moved = []
        for row in rows:
            new_start, new_end = remap.range(row.start, row.end)
            if table == "codings" and new_end <= new_start:
                raise OperationError(_emptied_message(project, row.id, document_id))
            if (new_start, new_end) != (row.start, row.end):
                moved.append((row.id, new_start, new_end))
        _write_ranges(project, table, moved)
        entry["ranges"][table] = [list(r) for r in rows]
        if table == "codings" and rows:
            changes.coded_documents.add(document_id)
            changes.codings.update(r[0] for r in moved)
            changes.codes.update(sql.code_ids_of(project.db, [r[0] for r in moved]))
    project.documents.set_text(document_id, new_text, entry["new_hash"])
    return entry


def _write_ranges(project, table: str, rows: list[tuple[int, int, int]]) -> None:
    """Write moved ranges: a document's structure through its owner, codings and memos here."""
    if table in project.documents.STRUCTURE_TABLES:
        project.documents.move_ranges(table, rows)
    else:
        sql.set_ranges(project.db, table, rows)


def _emptied_message(project, coding_id: int, document_id: int) -> str:
    coding = coding_sql.get(project.db, coding_id)
    code = code_sql.get(project.db, coding.code_id) if coding else None
    name = project.document(document_id).name
    what = f"a coding of “{code.name}”" if code else "a coding"
    return (f"This change would remove all of the text of {what} in “{name}”. "
            "Remove that coding first, or replace the text with something instead of nothing.")


def restore_text(project, snapshot: Snapshot) -> None:
    """Undo :func:`replace_spans`: the old text and every range exactly as they were.

    Ranges created after the edit (not in the snapshot) are mapped back through the inverse
    edits, so they keep covering the same words.
    """
    with project.action() as changes:
        for entry in reversed(snapshot["documents"]):
            document_id = entry["id"]
            row = sql.text_row(project.db, document_id)
            if row is None:
                raise OperationError(f"Document {document_id} no longer exists; its text cannot be restored.")
            if row["content_hash"] != entry["new_hash"]:
                raise OperationError(f"The text of “{project.document(document_id).name}” has changed "
                                     "since; the earlier text cannot be restored.")
            inverse = [tuple(e) for e in entry["inverse"]]
            remap = Remap(inverse)
            for table in sql.RANGE_TABLES:
                known = {r[0]: (r[1], r[2]) for r in entry["ranges"][table]}
                rows = []
                for found in sql.ranges(project.db, table, document_id):
                    new_start, new_end = known.get(found.id) or remap.range(found.start, found.end)
                    if table == "codings" and new_end <= new_start:
                        raise OperationError(_emptied_message(project, found.id, document_id))
                    rows.append((found.id, new_start, new_end))
                _write_ranges(project, table, rows)
                if table == "codings" and rows:
                    changes.coded_documents.add(document_id)
                    changes.codings.update(r[0] for r in rows)
                    changes.codes.update(sql.code_ids_of(project.db, [r[0] for r in rows]))
            project.documents.set_text(document_id, entry["plain_text"], entry["content_hash"])
