"""Cases: the participants of a study, and which text is theirs.

A case is one person (or site, team...) compared with others by attributes. Its text is
either whole documents (an interview, a second interview, an audio diary: one case may
span several) or, in a focus group, the turns of one speaker label in a document. The
codings of a case are those in its documents plus those overlapping its speakers' turns.

Every function that changes something is one action of the project: one transaction
and one change notification (``Changes.cases``).
"""

from __future__ import annotations

from typing import Iterable

from qcdesk.core.errors import OperationError
from qcdesk.core.models import Case
from qcdesk.core.project import Project
from qcdesk.core.storage import cases as sql
from qcdesk.core.undo import Done, Undo, delete_then, restore_then, swap, touched

#: speaker labels that are the research team, not participants, when creating cases from speakers
DEFAULT_EXCLUDED_SPEAKERS = ("Interviewer", "Moderator", "Facilitator", "Researcher", "I", "Int", "Q")
MAX_NAME = 200


class CaseService:
    """The cases of one project (``project.cases``)."""

    def __init__(self, project: "Project"):
        self.project = project

    def all(self) -> list[Case]:
        """All cases, by name."""
        return sql.all_cases(self.project.db)

    def get(self, case_id: int) -> Case:
        found = sql.get_case(self.project.db, case_id)
        if found is None:
            raise OperationError(f"Case {case_id} does not exist.")
        return found

    def by_name(self, name: str) -> Case | None:
        return sql.case_by_name(self.project.db, " ".join(name.split()))

    def _check_name(self, name: str, *, other_than: int | None = None) -> str:
        name = " ".join(str(name).split())
        if not name:
            raise OperationError("A case needs a name.")
        if len(name) > MAX_NAME:
            raise OperationError(f"Case names are limited to {MAX_NAME} characters.")
        existing = sql.case_by_name(self.project.db, name)
        if existing is not None and existing.id != other_than:
            raise OperationError(f"There is already a case called “{name}”.")
        return name

    def add(self, name: str, description: str = "") -> Done[Case]:
        """A new case; undone by deleting it."""
        name = self._check_name(name)
        with self.project.action() as changes:
            case_id = sql.insert_case(self.project.db, name, description)
            changes.cases = True
        return Done(self.get(case_id), self._deletion(case_id))

    def _deletion(self, case_id: int) -> Undo:
        return delete_then("Delete case", lambda: self._delete(case_id), lambda rows: self._restore(rows),
                           "Restore case", touched("cases", [case_id]))

    def rename(self, case_id: int, name: str) -> Done[Case]:
        old = self.get(case_id).name
        renamed = self._rename(case_id, name)
        if renamed.name == old:
            return Done(renamed, None)
        return Done(renamed, swap("Rename case", lambda n: self._rename(case_id, n), old, renamed.name,
                                  touched("cases", [case_id])))

    def _rename(self, case_id: int, name: str) -> Case:
        self.get(case_id)
        name = self._check_name(name, other_than=case_id)
        with self.project.action() as changes:
            sql.update_case(self.project.db, case_id, name=name)
            changes.cases = True
        return self.get(case_id)

    def describe(self, case_id: int, description: str) -> Case:
        self.get(case_id)
        with self.project.action() as changes:
            sql.update_case(self.project.db, case_id, description=description)
            changes.cases = True
        return self.get(case_id)

    def delete(self, case_id: int) -> Done[dict]:
        """Delete a case with its links, values and memos; the value is the snapshot of what went."""
        self.get(case_id)
        rows = self._delete(case_id)
        return Done(rows, restore_then("Restore case", lambda r: self._restore(r), rows,
                                       lambda: self._delete(case_id), "Delete case", touched("cases", [case_id])))

    def _delete(self, case_id: int) -> dict:
        with self.project.action() as changes:
            rows = sql.case_snapshot(self.project.db, case_id)
            sql.delete_case(self.project.db, case_id)
            changes.cases = True
            changes.attributes = bool(rows.get("case_attributes"))
            changes.memos = bool(rows.get("memos"))
        return rows

    def _restore(self, rows: dict[str, list[dict]]) -> None:
        """Undo :func:`_delete`: the same id, links, values and memos."""
        with self.project.action() as changes:
            sql.restore_rows(self.project.db, rows)
            changes.cases = True
            changes.attributes = bool(rows.get("case_attributes"))
            changes.memos = bool(rows.get("memos"))

    def documents_of(self, case_id: int) -> list[int]:
        """Ids of the documents that are wholly this case's, in interview order."""
        return sql.case_document_ids(self.project.db, case_id)

    def link_documents(self, case_id: int, document_ids: Iterable[int]) -> None:
        self.get(case_id)
        ids = list(document_ids)
        for doc_id in ids:
            self.project.document(doc_id)
        with self.project.action() as changes:
            for doc_id in ids:
                sql.link_document(self.project.db, case_id, doc_id)
            changes.cases = True

    def unlink_documents(self, case_id: int, document_ids: Iterable[int]) -> None:
        self.get(case_id)
        with self.project.action() as changes:
            for doc_id in document_ids:
                sql.unlink_document(self.project.db, case_id, doc_id)
            changes.cases = True

    def set_documents(self, case_id: int, document_ids: Iterable[int]) -> Done[None]:
        """Make exactly these documents the case's (the checkboxes of the link dialog), as one action."""
        old = self.documents_of(case_id)
        self._set_documents(case_id, document_ids)
        new = self.documents_of(case_id)
        if new == old:
            return Done(None, None)
        return Done(None, swap("Documents of a case", lambda ids: self._set_documents(case_id, ids), old, new,
                               touched("cases", [case_id])))

    def _set_documents(self, case_id: int, document_ids: Iterable[int]) -> None:
        wanted = set(document_ids)
        current = set(self.documents_of(case_id))
        with self.project.action():
            self.unlink_documents(case_id, current - wanted)
            self.link_documents(case_id, sorted(wanted - current))

    def from_documents(self, document_ids: Iterable[int]) -> list[Case]:
        """One case per document, named after it and linked to it; documents whose name is
        already a case's name are skipped. Returns the cases created."""
        docs = [self.project.document(i) for i in document_ids]
        created: list[int] = []
        with self.project.action() as changes:
            for doc in docs:
                name = " ".join(doc.name.split())[:MAX_NAME]
                if sql.case_by_name(self.project.db, name) is not None:
                    continue
                case_id = sql.insert_case(self.project.db, name)
                sql.link_document(self.project.db, case_id, doc.id)
                created.append(case_id)
            changes.cases = bool(created)
        return [self.get(i) for i in created]

    def speakers_of(self, case_id: int) -> list[sql.CaseSpeaker]:
        """The (document, speaker label) pairs whose turns are this case's."""
        return sql.case_speakers(self.project.db, case_id)

    def speaker_labels(self, document_ids: Iterable[int] | None = None) -> list[str]:
        """Distinct speaker labels of these documents (all by default), in order of appearance."""
        ids = None if document_ids is None else list(document_ids)
        return list(dict.fromkeys(label.speaker for label in sql.speaker_labels(self.project.db, ids)))

    def link_speaker(self, case_id: int, document_id: int, speaker: str) -> None:
        self.get(case_id)
        self.project.document(document_id)
        if speaker not in {t.speaker for t in self.project.speaker_turns(document_id)}:
            raise OperationError(f"Nobody speaks as “{speaker}” in {self.project.document(document_id).name}.")
        with self.project.action() as changes:
            sql.link_speaker(self.project.db, case_id, document_id, speaker)
            changes.cases = True

    def from_speakers(self, document_ids: Iterable[int] | None = None,
                            exclude: Iterable[str] = DEFAULT_EXCLUDED_SPEAKERS) -> list[Case]:
        """One case per distinct speaker label (the interviewers excluded, ignoring case), linked
        to that speaker's turns in every document where the label appears. A label that is
        already a case's name links to that case. Returns the cases created."""
        ids = None if document_ids is None else list(document_ids)
        skip = {s.casefold() for s in exclude}
        created: list[int] = []
        with self.project.action() as changes:
            for label in sql.speaker_labels(self.project.db, ids):
                speaker = label.speaker
                if speaker.casefold() in skip or not speaker.strip():
                    continue
                name = " ".join(speaker.split())[:MAX_NAME]
                found = sql.case_by_name(self.project.db, name)
                if found is None:
                    found = self.get(sql.insert_case(self.project.db, name))
                    created.append(found.id)
                sql.link_speaker(self.project.db, found.id, label.document_id, speaker)
                changes.cases = True
        return [self.get(i) for i in created]

    def coding_ids(self, case_id: int) -> list[int]:
        """The codings of a case: all in its documents, and those overlapping its speakers' turns."""
        self.get(case_id)
        return sql.case_coding_ids(self.project.db, case_id)


# ------------------------------------------------------------------- documents


# ------------------------------------------------------------------- speakers


# ------------------------------------------------------------------- codings
