"""Speaker labels after import: list them, rename one across documents, code all of one speaker's turns.

The importers write each turn as ``Speaker: utterance`` and record the turn from the label's
first character, so the label is both text (what a reader and a report see) and structure
(``speaker_turns.speaker``, ``case_speakers.speaker``). A rename changes all three at once,
through :func:`qcdesk.core.textedit.replace_in_documents`, so codings keep their words.
Turns whose text does not begin with the label (REFI-QDA imports, for instance) are renamed
in the structure only.
"""

from __future__ import annotations

from typing import NamedTuple

from qcdesk.core.errors import OperationError
from qcdesk.core.models import Coding
from qcdesk.core.storage import codings as coding_sql
from qcdesk.core.storage import textedit as sql
from qcdesk.core import textedit
from qcdesk.core.textedit import replace_in_documents, restore_text
from qcdesk.core.undo import Done, Touched, restore_then, touched


class SpeakerSummary(NamedTuple):
    speaker: str
    turns: int
    documents: int


def speakers(project, document_id: int | None = None) -> list[SpeakerSummary]:
    """Every speaker label with its number of turns and of documents, by name."""
    ids = None if document_id is None else [document_id]
    return [SpeakerSummary(r.speaker, r.turns, r.documents) for r in sql.speaker_counts(project.db, ids)]


def label_end(text: str, start: int, speaker: str) -> int | None:
    """End of the speaker label written at ``start``, or None when the text there is not the label."""
    end = start + len(speaker)
    if not speaker or not text.startswith(speaker, start):
        return None
    if end < len(text) and (text[end].isalnum() or text[end] == "_"):
        return None  # "S01" must not match the start of "S011"
    return end


def utterance_start(text: str, start: int, end: int, speaker: str) -> int:
    """Where the spoken words of a turn begin: after ``Speaker:`` and the blanks that follow."""
    label = label_end(text, start, speaker)
    if label is None:
        return start
    pos = label
    if pos < end and text[pos] == ":":
        pos += 1
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def _clean_label(label: str) -> str:
    label = " ".join(label.split())
    if not label:
        raise OperationError("A speaker needs a name.")
    if len(label) > 100:
        raise OperationError("Speaker names are limited to 100 characters.")
    return label


def _turns_by_document(project, speaker: str, document_ids: list[int] | None) -> dict[int, list[sql.TurnRange]]:
    turns = sql.turns_of(project.db, speaker, document_ids)
    if not turns:
        raise OperationError(f"No turns of “{speaker}” were found.")
    out: dict[int, list[sql.TurnRange]] = {}
    for turn in turns:
        out.setdefault(turn.document_id, []).append(turn)
    return out


def rename_speaker(project, old: str, new: str, document_ids: list[int] | None = None) -> Done[dict]:
    """Rename a speaker in the text labels, the turns and the case links, as one action.

    The value is what changed (``new``: the clean new label, ``turn_ids``); the undo puts the old
    text back (:func:`restore_speaker`), and its own undo renames again.
    """
    snapshot = _rename(project, old, new, document_ids)
    return Done(snapshot, restore_then(f"Rename speaker “{snapshot['new']}” back", lambda s: restore_speaker(project, s),
                                       snapshot, lambda: _rename(project, old, new, document_ids),
                                       f"Rename speaker “{old}”", _touched(snapshot)))


def _touched(snapshot: dict) -> Touched:
    """What renaming a speaker changes: the texts and the ranges in them, the turns, the case links."""
    return (textedit.rows_touched(snapshot["text"]) | touched("speaker_turns", snapshot["turn_ids"])
            | touched("cases", [row["case_id"] for row in snapshot["case_rows"]]))


def _rename(project, old: str, new: str, document_ids: list[int] | None) -> dict:
    new = _clean_label(new)
    if new == old:
        raise OperationError(f"The speaker is already called “{old}”.")
    by_doc = _turns_by_document(project, old, document_ids)
    edits: dict[int, list[tuple[int, int, str]]] = {}
    for doc_id, turns in by_doc.items():
        text = project.document_text(doc_id)
        edits[doc_id] = [(t.start, label, new) for t in turns
                         if (label := label_end(text, t.start, old)) is not None]
    turn_ids = [t.turn_id for turns in by_doc.values() for t in turns]
    with project.action() as changes:
        text_snapshot = replace_in_documents(project, edits)
        project.documents.set_turn_speakers([(i, new) for i in turn_ids])
        case_rows = sql.case_speaker_rows(project.db, old, list(by_doc))
        kept = [sql.rename_case_speaker(project.db, row, new) for row in case_rows]
        changes.documents.update(by_doc)
        changes.cases |= bool(case_rows)
    return {"old": old, "new": new, "text": text_snapshot, "turn_ids": turn_ids,
            "case_rows": case_rows, "case_kept": kept}


def restore_speaker(project, snapshot: dict) -> None:
    """Undo :func:`rename_speaker`."""
    old, new = snapshot["old"], snapshot["new"]
    with project.action() as changes:
        project.documents.set_turn_speakers([(i, old) for i in snapshot["turn_ids"]])
        for row, kept in zip(snapshot["case_rows"], snapshot["case_kept"]):
            if kept:
                sql.delete_case_speaker(project.db, dict(row, speaker=new))
            sql.insert_case_speaker(project.db, row)
        restore_text(project, snapshot["text"])
        changes.documents.update(sql.documents_of_turns(project.db, snapshot["turn_ids"]))
        changes.cases |= bool(snapshot["case_rows"])


def code_speaker_turns(project, speaker: str, code_id: int, document_ids: list[int] | None = None,
                       include_label: bool = False) -> Done[list[Coding]]:
    """Code every turn of ``speaker`` with a code, as one action; the value is the codings created;
    the undo removes exactly those.

    Without ``include_label`` a coding starts at the spoken words, after ``Speaker:``.
    Turns already coded with this code over the same range are left as they are.
    """
    project.code(code_id)
    by_doc = _turns_by_document(project, speaker, document_ids)
    created: list[Coding] = []
    with project.action():
        for doc_id, turns in by_doc.items():
            text = project.document_text(doc_id)
            for turn in turns:
                start, end = turn.start, turn.end
                if not include_label:
                    start = utterance_start(text, start, end, speaker)
                while end > start and text[end - 1].isspace():
                    end -= 1
                if end <= start or coding_sql.find_exact(project.db, doc_id, code_id, start, end):
                    continue
                created.append(project.codings.apply(doc_id, code_id, start, end).value)
    ids = [c.id for c in created]
    return Done(created, project.codings.removal_of(ids) if ids else None)
