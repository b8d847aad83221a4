"""A project: the domain operations over one project file.

Each public method that changes anything is one user action: it runs in one
transaction (nested calls become savepoints), and once it has committed every
subscriber receives a :class:`~qcdesk.core.models.Changes` describing what it
touched. There is no "Save": a committed action is on disk.

Changes go through one service per aggregate, reached from the project (``project.documents``,
``project.codings``, ``project.codebook``...); each operation the window undoes returns a
:class:`~qcdesk.core.undo.Done` with its inverse.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from bisect import bisect_right
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

import sqlite_utils

from qcdesk.core import clean_close, deferred_check, opening
from qcdesk.core.errors import OperationError, disk_full
from qcdesk.core.importers.base import content_hash

from qcdesk.core.models import Block, Changes, Code, CodeCount, Coder, Coding, Document, Segment, SpeakerTurn
from qcdesk.core.code_names import PALETTE, in_vivo_name, next_code_color  # noqa: F401 (PALETTE importable here)
from qcdesk.core.storage import codebook as code_sql
from qcdesk.core.storage import codings as coding_sql
from qcdesk.core.storage import connection
from qcdesk.core.storage import documents as doc_sql
from qcdesk.core.storage import info as info_sql
from qcdesk.core.storage import lockfile
from qcdesk.core.storage import time_codings as time_sql
from qcdesk.core.session_coder import SessionCoder
from qcdesk.core.time_codings import time_segments

if TYPE_CHECKING:
    from qcdesk.core.documents import DocumentService

Listener = Callable[[Changes], None]
_log = logging.getLogger(__name__)



#: questions about the turn at a position that :meth:`Project.turn_at` answers from one row each,
#: for a document, before it reads all the document's turns (the cursor's moves while a transcript
#: opens ask a few; a list of segments asks for each)
FEW_TURN_QUESTIONS = 8


class Project:
    """An open project file. Create with :meth:`create` or :meth:`open`; close when done."""

    def __init__(self, db: sqlite_utils.Database, path: Path, *, read_only: bool = False,
                 backup: Path | None = None, passphrase: str | None = None):
        self.db = db
        self.path = path
        self.read_only = read_only
        #: the key of an encrypted project, for the connections of worker threads and backups
        self.passphrase = passphrase
        #: the copy made before migrating an older file, if one was made
        self.backup = backup
        self._listeners: list[Listener] = []
        #: told of an exception a listener raised (the window shows it); the action stands
        self.on_listener_error: Callable[[Exception], None] | None = None
        self._pending: Changes | None = None
        self._depth = 0
        #: who is coding, and recording them in the first change (:mod:`qcdesk.core.session_coder`)
        self.session_coder = SessionCoder(self)
        self._turn_cache: dict[int, tuple[list[int], list[SpeakerTurn]]] = {}
        self._turn_asked: dict[int, int] = {}  # document -> questions answered by one row (turn_at)
        self._para_cache: dict[int, list[int]] = {}
        #: every code, read once between actions (the window asks after each coding)
        self._codes: list[Code] | None = None
        self._lock: lockfile.ProjectLock | None = None
        #: why the project was opened read-only although writing was asked for, if it was
        self.read_only_notice: str | None = None
        self._media = None
        self._time_codings = None
        #: SQLite's full integrity check was left to run after opening (:mod:`deferred_check`); until
        #: :meth:`check_passed`, closing leaves no seal and the first write waits for it
        self.check_deferred = False
        #: that check (None when opening ran it)
        self.full_check: deferred_check.FullCheck | None = None
        #: told True when a change starts waiting for that check, False once it is over (its
        #: outcome recorded: sound, or :meth:`found_damaged`); the window shows that it waits
        self.check_wait_listener: Callable[[bool], None] | None = None
        #: the one-line message saying the project was found damaged after opening, if it was
        self.damage: str | None = None
        #: the file's seal once closed cleanly after a full check found it sound (see :mod:`clean_close`)
        self.closed_seal: str | None = None
        self._codings = None
        self._documents: DocumentService | None = None
        self._codebook = None
        self._cases = None
        self._attributes = None
        self._memos = None
        self._sets = None

    # ----------------------------------------------------------------- lifecycle
    @classmethod
    def create(cls, path: str | Path, *, passphrase: str | None = None) -> "Project":
        return cls._opened(opening.create(Path(path), passphrase), passphrase)

    @classmethod
    def open(cls, path: str | Path, *, passphrase: str | None = None, read_only: bool = False,
             seal: str | None = None, defer_check: bool = False) -> "Project":
        """``seal``: the file's seal from its last clean close on this machine (see
        :mod:`qcdesk.core.clean_close`); ``defer_check``: the caller runs the full check in the
        background, so an unsealed file gets only SQLite's quick check before opening. When the
        full check was left for later, :attr:`check_deferred` is set, the caller runs
        :attr:`full_check` in the background, and the first write waits for it."""
        opened = opening.open_existing(Path(path), passphrase, read_only, seal, defer_check=defer_check)
        return cls._opened(opened, passphrase)

    @classmethod
    def _opened(cls, opened: opening.Opened, passphrase: str | None) -> "Project":
        project = cls(opened.db, opened.path, read_only=opened.read_only, backup=opened.backup,
                      passphrase=passphrase)
        project._lock, project.read_only_notice = opened.lock, opened.notice
        project.check_deferred = opened.check_deferred
        if project.check_deferred:  # nothing is written before the check (the purge waits for close)
            project.full_check = deferred_check.FullCheck(opened.path, passphrase,
                                                          immutable=opened.notice is not None)
        else:
            project._purge_media_chunks()
        return project

    def check_passed(self) -> None:
        """The full integrity check left to the background found the file sound."""
        if self.damage is None:
            self.check_deferred = False

    def found_damaged(self, problem: str) -> str:
        """The background integrity check found ``problem``: nothing more is written (the project
        is read-only from now on); returns the one-line message saying so."""
        if self.damage is not None:
            return self.damage
        self.read_only = True
        self.check_deferred = True  # no seal at close
        backups = f"“{self.path.stem} backups”"
        self.read_only_notice = (
            f"{self.path.name} is damaged (SQLite's integrity check found: {problem}), so it is now "
            "read-only and nothing more is written to it; close it and open one of its backup copies "
            f"(in {backups} beside it) instead.")
        self.damage = self.read_only_notice
        return self.damage

    def close(self) -> None:
        if not self.check_deferred:
            self._purge_media_chunks()
        with contextlib.suppress(Exception):
            if not self.read_only:
                # fold the WAL back so the project is one self-contained file again
                connection.checkpoint(self.db)
        self.db.close()
        if not self.read_only and not self.check_deferred and not self.path.name.startswith(":"):
            self.closed_seal = clean_close.seal_of(self.path)
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    @property
    def media(self):
        """The project's recordings (:class:`qcdesk.core.media.MediaService`)."""
        if self._media is None:
            from qcdesk.core.media import MediaService

            self._media = MediaService(self)
        return self._media

    @property
    def documents(self) -> "DocumentService":
        """Adding, renaming, ordering and deleting documents and writing their structure
        (:class:`qcdesk.core.documents.DocumentService`); ``project.documents()`` lists them all."""
        if self._documents is None:
            from qcdesk.core.documents import DocumentService

            self._documents = DocumentService(self)
        return self._documents

    @property
    def codebook(self):
        """Adding, changing, moving, merging and deleting codes (:class:`qcdesk.core.codebook.CodebookService`)."""
        if self._codebook is None:
            from qcdesk.core.codebook import CodebookService

            self._codebook = CodebookService(self)
        return self._codebook

    @property
    def cases(self):
        """Cases: the participants and their documents and speakers (:class:`qcdesk.core.cases.CaseService`)."""
        if self._cases is None:
            from qcdesk.core.cases import CaseService

            self._cases = CaseService(self)
        return self._cases

    @property
    def attributes(self):
        """The attributes of cases and their values (:class:`qcdesk.core.attributes.AttributeService`)."""
        if self._attributes is None:
            from qcdesk.core.attributes import AttributeService

            self._attributes = AttributeService(self)
        return self._attributes

    @property
    def memos(self):
        """Memos and the project journal (:class:`qcdesk.core.memos.MemoService`)."""
        if self._memos is None:
            from qcdesk.core.memos import MemoService

            self._memos = MemoService(self)
        return self._memos

    @property
    def sets(self):
        """Document sets (:class:`qcdesk.core.document_sets.SetService`)."""
        if self._sets is None:
            from qcdesk.core.document_sets import SetService

            self._sets = SetService(self)
        return self._sets

    @property
    def codings(self):
        """Applying, removing and resizing text codings (:class:`qcdesk.core.codings.CodingService`)."""
        if self._codings is None:
            from qcdesk.core.codings import CodingService

            self._codings = CodingService(self)
        return self._codings

    @property
    def time_codings(self):
        """Codings of recordings' time ranges (:class:`qcdesk.core.time_codings.TimeCodingService`)."""
        if self._time_codings is None:
            from qcdesk.core.time_codings import TimeCodingService

            self._time_codings = TimeCodingService(self)
        return self._time_codings

    def _purge_media_chunks(self) -> None:
        """Drop the stored recordings of deleted documents, kept only while undo could need
        them (the undo history lasts while the project is open)."""
        if self.read_only:
            return
        from qcdesk.core.storage import media as media_sql

        try:
            media_sql.purge_orphans(self.db)
        except Exception:  # noqa: BLE001 - they are purged at the next opening instead
            _log.warning("Stored recordings of deleted documents could not be removed yet", exc_info=True)

    def __enter__(self) -> "Project":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------- actions
    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        with contextlib.suppress(ValueError):
            self._listeners.remove(listener)

    @contextlib.contextmanager
    def action(self) -> Iterator[Changes]:
        """One user action: a transaction, then one notification of what changed.

        Compound operations nest actions; only the outermost commits and notifies.
        """
        if self.read_only:
            raise OperationError("This project is open read-only; changes are not possible.")
        outer = self._depth == 0
        if outer and self.check_deferred:
            deferred_check.wait_before_write(self)  # nothing is written before the full check has passed
        coder = self.session_coder.state()
        if outer:
            self._pending = Changes()
        self._depth += 1
        try:
            with self.db.atomic():
                if outer:
                    self.session_coder.record_pending(self._pending)  # type: ignore[arg-type]
                yield self._pending  # type: ignore[misc]
        except BaseException as exc:
            if outer:
                self._pending = None
                self.session_coder.restore(coder)  # its recording was rolled back too
            full = disk_full(exc, self.path, "the change was not saved; nothing was changed")
            if full is not None and full is not exc:
                raise full from exc
            raise
        finally:
            self._depth -= 1
        if outer:
            changes, self._pending = self._pending, None
            assert changes is not None  # set by the outermost action
            if changes.codebook:  # every write to the codes table says so (a failed action rolled back)
                self._codes = None
            # turns and paragraphs change only with the document itself (text is immutable),
            # never with its codings: keep the other documents' indexes
            for doc_id in changes.documents:
                self._turn_cache.pop(doc_id, None)
                self._turn_asked.pop(doc_id, None)
                self._para_cache.pop(doc_id, None)
            self.notify(changes)

    def notify(self, changes: Changes) -> None:
        """Tell every subscriber what changed (also a change made outside :meth:`action`, such
        as a restored backup). The change is committed: a subscriber that raises is logged and
        passed to :attr:`on_listener_error`, never taken for a failed action; the rest are told."""
        for listener in list(self._listeners):
            try:
                listener(changes)
            except Exception as exc:  # noqa: BLE001 - one broken view must not hide a committed action
                _log.exception("A view failed to follow a change to %s", self.path.name)
                if self.on_listener_error is not None:
                    try:
                        self.on_listener_error(exc)
                    except Exception:  # noqa: BLE001
                        _log.exception("Reporting that failure failed too")

    def forget_caches(self) -> None:
        self._codes = None
        self._turn_cache.clear()
        self._turn_asked.clear()
        self._para_cache.clear()

    # ----------------------------------------------------------------- coders
    @property
    def coder(self) -> Coder | None:
        """The coder recorded on new codings (id -1 until recorded: see :attr:`coder_pending`)."""
        return self.session_coder.coder

    @property
    def coder_pending(self) -> bool:
        """The coder was chosen before the full check passed and is not recorded yet: the next
        action records it first, so what reads :attr:`coder` for its rows reads it inside it."""
        return self.session_coder.pending

    def set_coder(self, name: str) -> Coder:
        """Make ``name`` the coder recorded on new codings (:meth:`SessionCoder.choose`)."""
        return self.session_coder.choose(name)

    def coder_recorded(self) -> contextlib.AbstractContextManager:
        """Where a change reads :attr:`coder` for its rows (:meth:`SessionCoder.recorded`)."""
        return self.session_coder.recorded()

    def coders(self) -> list[Coder]:
        return code_sql.all_coders(self.db)

    # ----------------------------------------------------------------- documents
    def document_names(self) -> dict[int, str]:
        """Every document's name by id (cheaper than :meth:`documents` on a large project)."""
        return doc_sql.names(self.db)

    def document(self, document_id: int) -> Document:
        doc = doc_sql.get(self.db, document_id)
        if doc is None:
            raise OperationError(f"Document {document_id} does not exist.")
        return doc

    def document_text(self, document_id: int) -> str:
        text = doc_sql.text(self.db, document_id)
        if text is None:
            raise OperationError(f"Document {document_id} does not exist.")
        return text

    def blocks(self, document_id: int) -> list[Block]:
        return doc_sql.blocks(self.db, document_id)

    def speaker_turns(self, document_id: int) -> list[SpeakerTurn]:
        return doc_sql.turns(self.db, document_id)

    def documents_with_hash(self, text: str) -> list[Document]:
        return doc_sql.by_hash(self.db, content_hash(text))

    # ----------------------------------------------------------------- codebook
    def codes(self) -> list[Code]:
        """All codes, siblings in their order (parents are not guaranteed first).

        Kept between actions of a writable project (its own actions are the only writes) until
        an action changes the codebook; read afresh inside an action and always for a read-only
        one, which another window may be changing."""
        if self._codes is None or self._depth:
            codes = code_sql.all_codes(self.db)
            if self._depth or self.read_only:
                return codes
            self._codes = codes
        return list(self._codes)

    def code(self, code_id: int) -> Code:
        code = code_sql.get(self.db, code_id)
        if code is None:
            raise OperationError(f"Code {code_id} does not exist.")
        return code

    def codes_in_tree_order(self) -> list[tuple[Code, int]]:
        """Depth-first (code, depth) pairs: the order of the codebook panel and of reports."""
        by_parent: dict[int | None, list[Code]] = {}
        for code in self.codes():
            by_parent.setdefault(code.parent_id, []).append(code)
        out: list[tuple[Code, int]] = []

        def walk(parent: int | None, depth: int) -> None:
            for code in by_parent.get(parent, []):
                out.append((code, depth))
                walk(code.id, depth + 1)

        walk(None, 0)
        return out

    def code_path(self, code_id: int) -> list[str]:
        names, code = [], self.code(code_id)
        while True:
            names.append(code.name)
            if code.parent_id is None:
                return names[::-1]
            code = self.code(code.parent_id)

    def subtree_ids(self, code_id: int) -> list[int]:
        return code_sql.subtree_ids(self.db, code_id)

    def code_position(self, code_id: int) -> tuple[int | None, int]:
        """(parent id, row among siblings) of a code."""
        code = self.code(code_id)
        return code.parent_id, code_sql.children_ids(self.db, code.parent_id).index(code_id)

    # ----------------------------------------------------------------- codings
    def coding(self, coding_id: int) -> Coding:
        coding = coding_sql.get(self.db, coding_id)
        if coding is None:
            raise OperationError(f"Coding {coding_id} does not exist.")
        return coding

    def codings_for_document(self, document_id: int) -> list[Coding]:
        return coding_sql.for_document(self.db, document_id)

    def codings_for_codes(self, code_ids: list[int]) -> list[Coding]:
        return coding_sql.for_codes(self.db, code_ids)

    def codings_overlapping(self, document_id: int, start: int, end: int) -> list[Coding]:
        return coding_sql.overlapping(self.db, document_id, start, end)

    def code_counts(self, code_ids: Iterable[int] | None = None) -> dict[int, CodeCount]:
        """code id -> its segments and documents, for the code alone (not its sub-codes); only the
        given codes when ``code_ids`` is passed (codes without codings are then left out)."""
        ids = None if code_ids is None else list(code_ids)
        return time_sql.with_text_counts(self.db, coding_sql.counts_by_code(self.db, ids), ids)

    def documents_coded_with(self, code_ids: Iterable[int]) -> int:
        """How many documents have a coding of any of ``code_ids`` (a code and its sub-codes, say)."""
        return time_sql.documents_coded_with(self.db, list(code_ids))

    def codings_in_document(self, code_ids: Iterable[int], document_id: int) -> int:
        """How many codings (text and time) of any of ``code_ids`` the document has."""
        return time_sql.codings_in_document(self.db, list(code_ids), document_id)

    def coding_count(self, document_id: int) -> int:
        """How many codings a document has (of its text and of its recording's time)."""
        return coding_sql.count_for_document(self.db, document_id)

    def counts_by_code_and_document(self) -> dict[tuple[int, int], int]:
        counts = coding_sql.counts_by_code_and_document(self.db)
        for key, n in time_sql.counts_by_code_and_document(self.db).items():  # recordings' time codings
            counts[key] = counts.get(key, 0) + n
        return counts

    # ----------------------------------------------------------------- retrieval
    def _turn_index(self, document_id: int) -> tuple[list[int], list[SpeakerTurn]]:
        if document_id not in self._turn_cache:
            turns = self.speaker_turns(document_id)
            self._turn_cache[document_id] = ([t.start for t in turns], turns)
        return self._turn_cache[document_id]

    def turn_at(self, document_id: int, position: int) -> SpeakerTurn | None:
        """The turn holding ``position``, or None. The first few questions about a document read
        one row each (opening a transcript asks where its cursor is, and the status line follows
        the cursor); more read all its turns once (a list of segments asks for each)."""
        asked = self._turn_asked.get(document_id, 0)
        if document_id in self._turn_cache or asked >= FEW_TURN_QUESTIONS:
            starts, turns = self._turn_index(document_id)
            i = bisect_right(starts, position) - 1
            turn = turns[i] if i >= 0 else None
        else:
            self._turn_asked[document_id] = asked + 1
            turn = doc_sql.turn_before(self.db, document_id, position)
        if turn is not None and turn.start <= position < max(turn.end, turn.start + 1):
            return turn
        return None

    def paragraph_number(self, document_id: int, position: int) -> int | None:
        """1-based number of the paragraph (or heading, table row) holding ``position``."""
        if document_id not in self._para_cache:
            self._para_cache[document_id] = [b.start for b in self.blocks(document_id)]
        starts = self._para_cache[document_id]
        i = bisect_right(starts, position)
        return i if i > 0 else None

    def segments(self, code_ids: list[int]) -> list[Segment]:
        """The coded segments of these codes with their text, speaker, time and paragraph."""
        codings = self.codings_for_codes(code_ids)
        names = self.document_names()
        out: list[Segment] = []
        for doc_id, group in itertools.groupby(codings, key=lambda c: c.document_id):
            text = self.document_text(doc_id)
            for coding in group:
                turn = self.turn_at(doc_id, coding.start)
                out.append(Segment(
                    coding=coding, document_name=names[doc_id],
                    text=text[coding.start:coding.end],
                    speaker=turn.speaker if turn else None,
                    time_start=turn.time_start if turn else None,
                    paragraph=self.paragraph_number(doc_id, coding.start),
                ))
        return out + time_segments(self, code_ids)

    # ----------------------------------------------------------------- facts
    def info(self, key: str) -> str | None:
        return info_sql.get(self.db, key)

    def set_info(self, key: str, value: str) -> None:
        with self.action():
            info_sql.put(self.db, key, value)

    def stats(self) -> dict[str, int]:
        counts = info_sql.table_counts(self.db)
        counts["characters"] = sum(d.char_count for d in self.documents())
        return counts

    def integrity_ok(self) -> bool:
        return info_sql.integrity_ok(self.db)
