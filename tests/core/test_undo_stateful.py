"""Random sequences of every undoable action, with undo, redo and imports outside the history.

Each undoable action runs as the window's command does: the core operation returns a
:class:`~qcdesk.core.undo.Done`; undo runs its :class:`~qcdesk.core.undo.Undo`, redo runs the Undo
that gave back, and so on (core tests stay free of Qt, so :class:`CoreCommand` is mirrored by
:meth:`UndoMachine.inverse_pair`). The reference model is the history of whole project states: after
an undo the project must equal, row for row and id for id (REFI-QDA identifiers included), the state
before the action; after a redo the state after it (so redo never depends on SQLite handing out the
same ids again). An import outside the history adds its rows to every state in the history, since
undo and redo must leave it alone. A row made by a new action must never get an id used before.
Every step (the action, each undo and redo) changes only rows its :class:`~qcdesk.core.undo.Undo`
names in ``touched``: a row of a link table counts as the row it belongs to (a case's documents as
the case; see ``tests/undo_checks.py``).

Runs under the suite's hypothesis profile (tests/conftest.py: ``ci`` fixed, ``HYPOTHESIS_PROFILE=explore``
more and random examples), with longer sequences of steps than hypothesis' default.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from dataclasses import dataclass
from typing import Callable

import pytest
from builders import empty_project
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from qcdesk.core.errors import OperationError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block, SpeakerTurn
from qcdesk.core.project import Project
from qcdesk.core.storage import interchange as ext_sql
from tests import undo_checks

pytestmark = pytest.mark.core

#: steps per example: more when exploring
STEPS = 100 if os.environ.get("HYPOTHESIS_PROFILE") == "explore" else 60

TEXTS = ("P1: I felt at home on the ward once my mentor listened.",
         "Interviewer: And the feedback?\nP2: Concrete and early, which I needed.",
         "P3: Nobody told me where anything was, so I asked the porters.")
#: not compared: history, bookkeeping, and the full-text index's own tables
IGNORED = ("audit_log", "sqlite_sequence", "_sqlite_migrations", "session")
IDX = st.integers(0, 1000)
NAMES = st.sampled_from(["Belonging", "Feedback", "Isolation", "Mentoring", "Porters", "Ward"])


def parsed(text: str) -> ParsedDocument:
    return ParsedDocument(text=text, source_format="txt", blocks=[Block("paragraph", 0, len(text))],
                          turns=[SpeakerTurn(text.split(":")[0], 0, len(text))])


@dataclass
class Entry:
    label: str
    undo: Callable[[], None]
    redo: Callable[[], None]


def pick(items: list, i: int):
    return items[i % len(items)]


class UndoMachine(RuleBasedStateMachine):
    """The project, its undo history, and the expected state at every point of the history."""

    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.mkdtemp(dir=_TMP_ROOT[0])
        self.p = empty_project(os.path.join(self.dir, "s.qcdesk"))
        self.p.db.execute("PRAGMA synchronous = OFF")  # durability is tested elsewhere; speed here
        self.p.set_coder("AB")
        self.history: list[Entry] = []
        self.index = 0
        self.imported_codes: set[int] = set()
        self.states = [self.state()]
        self.seen: dict[str, set] = {}
        self.remember_ids()

    def teardown(self) -> None:
        self.p.close()

    # ------------------------------------------------------------------ the model
    def state(self) -> dict[str, frozenset]:
        db = self.p.db
        out = {}
        for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                  "AND name NOT LIKE 'documents_fts%'"):
            if name in IGNORED:
                continue
            columns = [c[1] for c in db.execute(f"PRAGMA table_info([{name}])")]
            if name == "codes":  # sibling order is compared below, without imported codes
                columns.remove("position")
            out[name] = frozenset(db.execute(f"SELECT {', '.join(f'[{c}]' for c in columns)} FROM [{name}]"))
        order: dict = {}
        for code in self.p.codes():  # ordered by position
            if code.id not in self.imported_codes:
                order.setdefault(code.parent_id, []).append(code.id)
        out["@order"] = frozenset((k, tuple(v)) for k, v in order.items())
        return out

    def rows(self) -> dict[tuple, frozenset]:
        return undo_checks.rows(self.p.db, self.imported_codes)

    check_touched = staticmethod(undo_checks.check_touched)

    def remember_ids(self) -> None:
        for table in ("documents", "codes", "codings", "memos", "cases", "attributes", "blocks",
                      "speaker_turns", "coders", "document_sets"):
            self.seen.setdefault(table, set()).update(
                r[0] for r in self.p.db.execute(f"SELECT id FROM [{table}]"))

    def check_new_ids(self, before: dict, after: dict) -> None:
        """Rows made by a new action carry ids never used before."""
        for table in self.seen:
            old_ids = {row[0] for row in before[table]}
            new_ids = {row[0] for row in after[table]} - old_ids
            reused = new_ids & self.seen[table]
            assert not reused, f"{table}: ids {sorted(reused)} given again"

    def expect(self) -> None:
        now = self.state()
        want = self.states[self.index]
        for table in want:
            assert now[table] == want[table], (
                f"{table} after {[e.label for e in self.history[:self.index]]}: "
                f"missing {sorted(want[table] - now[table], key=repr)[:3]}, "
                f"extra {sorted(now[table] - want[table], key=repr)[:3]}")

    # ------------------------------------------------------------------ running actions
    def run(self, label: str, first: Callable[[], tuple | None]) -> None:
        """An undoable action: ``first`` runs it and returns (undo, redo), or None when it
        changed nothing (the command is obsolete and not pushed)."""
        before = self.state()
        rows_before = self.rows()
        try:
            pair = first()
        except OperationError:
            assert self.state() == before, f"refused {label} changed the project"
            return
        if pair is None:
            assert self.state() == before, f"{label} said it changed nothing"
            return
        pair, touched = pair[:2], pair[2]
        self.check_touched(label, rows_before, self.rows(), touched)
        after = self.state()
        self.check_new_ids(before, after)
        self.remember_ids()
        del self.history[self.index:]
        del self.states[self.index + 1:]
        self.history.append(Entry(label, *pair))
        self.states.append(after)
        self.index += 1
        # every action is undone and redone once at once, whatever came before it
        self.undo(1)
        self.redo(1)

    def outside_history(self, action: Callable[[], None]) -> None:
        """An import: its rows belong to every state of the history from now on."""
        before = self.state()
        action()
        after = self.state()
        self.check_new_ids(before, after)
        self.remember_ids()
        for table in after:
            assert not before[table] - after[table], f"an import removed rows of {table}"
            added = after[table] - before[table]
            self.states = [{**s, table: s[table] | added} for s in self.states]

    def inverse_pair(self, done):
        """(undo, redo, touched) from a core operation's :class:`~qcdesk.core.undo.Done`: undo runs
        its Undo, redo runs the Undo that gave back, each checked against the rows that Undo says it
        touches; ``touched``: the rows the operation itself touched (its inverse's). None when it
        changed nothing."""
        if done.undo is None:
            return None
        box = {"undo": done.undo}

        def step(run: str, gives: str) -> None:
            inverse = box[run]
            before = self.rows()
            box[gives] = inverse.run()
            self.check_touched(inverse.label, before, self.rows(), inverse.touched)

        return lambda: step("undo", "redo"), lambda: step("redo", "undo"), done.undo.touched

    # ------------------------------------------------------------------ undo and redo
    @precondition(lambda self: self.index > 0)
    @rule(k=st.integers(1, 3))
    def undo(self, k: int) -> None:
        for _ in range(min(k, self.index)):
            try:
                self.history[self.index - 1].undo()
            except OperationError:  # refused, e.g. its name was taken since: nothing changed
                self.expect()
                return
            self.index -= 1
            self.expect()

    @precondition(lambda self: self.index < len(self.history))
    @rule(k=st.integers(1, 3))
    def redo(self, k: int) -> None:
        for _ in range(min(k, len(self.history) - self.index)):
            self.history[self.index].redo()
            self.index += 1
            self.expect()

    @precondition(lambda self: self.index > 0)
    @rule(i=IDX, k=st.integers(1, 2))
    def import_then_undo(self, i: int, k: int) -> None:
        """The reported case: an import takes the place of what the last action deleted."""
        self.import_document(i, True)
        self.undo(k)

    # ------------------------------------------------------------------ outside the history
    @initialize(n=st.integers(1, 2))
    def first_documents(self, n: int) -> None:
        for i in range(n):
            self.import_document(i, True)
        self.import_code_with_guid("Theme")

    @rule(i=IDX, with_guid=st.booleans())
    def import_document(self, i: int, with_guid: bool) -> None:
        def action():
            doc = self.p.documents.add(f"Doc {len(self.seen['documents'])}", parsed(pick(TEXTS, i)))
            if with_guid:
                with self.p.action():
                    ext_sql.remember_guid(self.p.db, "document", doc.id, str(uuid.uuid4()))
        self.outside_history(action)

    @rule(name=NAMES)
    def import_code_with_guid(self, name: str) -> None:
        """As a REFI-QDA codebook import does: a code that carries its exchange identifier."""
        def action():
            with self.p.action():
                code = self.p.codebook.add(name).value
                ext_sql.remember_guid(self.p.db, "code", code.id, str(uuid.uuid4()))
            self.imported_codes.add(code.id)
        self.outside_history(action)

    @rule(name=st.sampled_from(["Role", "Age", "Site"]))
    def define_attribute(self, name: str) -> None:
        try:
            self.outside_history(lambda: self.p.attributes.define(name))
        except OperationError:
            pass  # the name is taken

    # ------------------------------------------------------------------ codings
    @precondition(lambda self: self.p.codes() and self.p.documents())
    @rule(d=IDX, c=IDX, s=IDX, n=IDX)
    def apply_coding(self, d, c, s, n) -> None:
        doc, code = pick(self.p.documents(), d), pick(self.p.codes(), c)
        start = s % doc.char_count
        end = start + 1 + n % (doc.char_count - start)

        self.run("apply", lambda: self.inverse_pair(self.p.codings.apply(doc.id, code.id, start, end)))

    def codings(self) -> list:
        return self.p.codings_for_codes([c.id for c in self.p.codes()])

    @precondition(lambda self: self.codings())
    @rule(i=IDX)
    def remove_coding(self, i) -> None:
        coding_id = pick(self.codings(), i).id
        self.run("remove coding", lambda: self.inverse_pair(self.p.codings.remove(coding_id)))

    @precondition(lambda self: self.codings())
    @rule(i=IDX, s=IDX, n=IDX)
    def resize_coding(self, i, s, n) -> None:
        coding = pick(self.codings(), i)
        length = self.p.document(coding.document_id).char_count
        start = s % length
        end = start + 1 + n % (length - start)
        self.run("resize coding", lambda: self.inverse_pair(self.p.codings.resize(coding.id, start, end)))

    # ------------------------------------------------------------------ codebook
    @rule(name=NAMES, parent=st.one_of(st.none(), IDX))
    def add_code(self, name, parent) -> None:
        codes = self.p.codes()
        parent_id = pick(codes, parent).id if parent is not None and codes else None
        self.run("add code", lambda: self.inverse_pair(self.p.codebook.add(name, parent_id=parent_id)))

    @precondition(lambda self: self.p.codes())
    @rule(i=IDX, name=NAMES)
    def rename_code(self, i, name) -> None:
        code = pick(self.p.codes(), i)
        self.run("rename code", lambda: self.inverse_pair(self.p.codebook.rename(code.id, name)))

    @precondition(lambda self: self.p.codes())
    @rule(i=IDX, criteria=st.sampled_from(["", "Talk of feeling at home", "Not: the building"]))
    def set_criteria(self, i, criteria) -> None:
        code = pick(self.p.codes(), i)
        self.run("criteria", lambda: self.inverse_pair(self.p.codebook.set_criteria(code.id, inclusion=criteria)))

    @precondition(lambda self: self.p.codes())
    @rule(i=IDX)
    def delete_code(self, i) -> None:
        code_id = pick(self.p.codes(), i).id
        self.run("delete code", lambda: self.inverse_pair(self.p.codebook.delete(code_id)))

    @precondition(lambda self: self.p.codes())
    @rule(i=IDX, parent=st.one_of(st.none(), IDX), row=st.one_of(st.none(), st.integers(0, 5)))
    def move_code(self, i, parent, row) -> None:
        codes = self.p.codes()
        code_id = pick(codes, i).id
        parent_id = pick(codes, parent).id if parent is not None else None
        self.run("move code", lambda: self.inverse_pair(self.p.codebook.move(code_id, parent_id, row)))

    @precondition(lambda self: self.p.codes())
    @rule(ids=st.lists(IDX, min_size=1, max_size=3), parent=st.one_of(st.none(), IDX),
          row=st.one_of(st.none(), st.integers(0, 5)))
    def move_codes(self, ids, parent, row) -> None:
        codes = self.p.codes()
        code_ids = [pick(codes, i).id for i in ids]
        parent_id = pick(codes, parent).id if parent is not None else None
        self.run("move codes", lambda: self.inverse_pair(self.p.codebook.move_many(code_ids, parent_id, row)))

    @precondition(lambda self: self.p.codes())
    @rule(parent=st.one_of(st.none(), IDX), key=st.sampled_from(["name", "count"]), recursive=st.booleans())
    def sort_codes(self, parent, key, recursive) -> None:
        parent_id = pick(self.p.codes(), parent).id if parent is not None else None
        self.run("sort codes", lambda: self.inverse_pair(self.p.codebook.sort(parent_id, key, recursive)))

    @precondition(lambda self: len(self.p.codes()) >= 2)
    @rule(sources=st.lists(IDX, min_size=1, max_size=3), into=IDX)
    def merge_codes(self, sources, into) -> None:
        codes = self.p.codes()
        source_ids = list(dict.fromkeys(pick(codes, s).id for s in sources))
        target_id = pick(codes, into).id
        self.run("merge codes", lambda: self.inverse_pair(self.p.codebook.merge(source_ids, target_id)))

    # ------------------------------------------------------------------ documents
    @precondition(lambda self: self.p.documents())
    @rule(i=IDX)
    def delete_document(self, i) -> None:
        doc_id = pick(self.p.documents(), i).id
        self.run("delete document", lambda: self.inverse_pair(self.p.documents.delete(doc_id)))

    @precondition(lambda self: self.p.documents())
    @rule(i=IDX, name=NAMES)
    def rename_document(self, i, name) -> None:
        doc_id = pick(self.p.documents(), i).id
        self.run("rename document", lambda: self.inverse_pair(self.p.documents.rename(doc_id, name)))

    @precondition(lambda self: self.p.documents())
    @rule(i=IDX, new=st.sampled_from(["P1", "Amira", "P3", "Interviewer"]))
    def rename_speaker(self, i, new) -> None:
        from qcdesk.core import speakers

        names = [s.speaker for s in speakers.speakers(self.p)]
        if not names:
            return
        old = pick(names, i)
        self.run("rename speaker", lambda: self.inverse_pair(speakers.rename_speaker(self.p, old, new)))

    # ------------------------------------------------------------------ merging a colleague's copy
    def other_copy(self) -> str:
        """A colleague's project: a document of its own, one this project has, codes, codings, a
        case, a set, a memo and a REFI-QDA identifier (made once per run)."""
        path = os.path.join(self.dir, "other.qcdesk")
        if not os.path.exists(path):
            with Project.create(path) as other:
                other.set_coder("CD")
                own = other.documents.add("Their interview", parsed("P9: The night shift was the worst of it."))
                shared = other.documents.add("Doc 0", parsed(TEXTS[0]))
                theme = other.codebook.add("Night work").value
                sub = other.codebook.add("Tiredness", parent_id=theme.id).value
                coding = other.codings.apply(own.id, sub.id, 4, 20).value
                other.codings.apply(shared.id, theme.id, 0, 10)
                case = other.cases.add("P9").value
                other.cases.set_documents(case.id, [own.id])
                other.sets.create("Wave 2", [own.id, shared.id])
                other.memos.create("On nights", "Night shifts", coding_id=coding.id)
                with other.action():
                    ext_sql.remember_guid(other.db, "document", own.id, str(uuid.uuid4()))
        return path

    @rule()
    def merge_other_copy(self) -> None:
        from qcdesk.core.merge import merge_project

        path = self.other_copy()
        self.run("merge", lambda: self.inverse_pair(merge_project(self.p, path)))

    # ------------------------------------------------------------------ memos
    @rule(kind=st.sampled_from(["journal", "free", "code", "document", "case", "coding"]), i=IDX)
    def new_memo(self, kind, i) -> None:
        targets = {"code": self.p.codes, "document": self.p.documents,
                   "case": lambda: self.p.cases.all(), "coding": self.codings}
        if kind in targets and not targets[kind]():
            return

        def first():
            if kind == "free":
                return self.inverse_pair(self.p.memos.create("New note"))
            if kind == "journal":
                return self.inverse_pair(self.p.memos.ensure())
            return self.inverse_pair(self.p.memos.ensure(**{f"{kind}_id": pick(targets[kind](), i).id}))
        self.run("new memo", first)

    @precondition(lambda self: self.p.memos.all())
    @rule(i=IDX)
    def delete_memo(self, i) -> None:
        memo_id = pick(self.p.memos.all(), i).id
        self.run("delete memo", lambda: self.inverse_pair(self.p.memos.delete(memo_id)))

    # ------------------------------------------------------------------ cases and attributes
    @rule(name=st.sampled_from(["P1", "P2", "P3"]))
    def add_case(self, name) -> None:
        self.run("add case", lambda: self.inverse_pair(self.p.cases.add(name)))

    @precondition(lambda self: self.p.cases.all())
    @rule(i=IDX, name=st.sampled_from(["P1", "P2", "P4"]))
    def rename_case(self, i, name) -> None:
        case_id = pick(self.p.cases.all(), i).id
        self.run("rename case", lambda: self.inverse_pair(self.p.cases.rename(case_id, name)))

    @precondition(lambda self: self.p.cases.all())
    @rule(i=IDX)
    def delete_case(self, i) -> None:
        case_id = pick(self.p.cases.all(), i).id
        self.run("delete case", lambda: self.inverse_pair(self.p.cases.delete(case_id)))

    @precondition(lambda self: self.p.cases.all() and self.p.documents())
    @rule(i=IDX, docs=st.lists(IDX, max_size=2))
    def set_case_documents(self, i, docs) -> None:
        case_id = pick(self.p.cases.all(), i).id
        new = list(dict.fromkeys(pick(self.p.documents(), d).id for d in docs))
        self.run("case documents", lambda: self.inverse_pair(self.p.cases.set_documents(case_id, new)))

    @precondition(lambda self: self.p.cases.all() and self.p.attributes.all())
    @rule(i=IDX, a=IDX, value=st.sampled_from(["mentee", "mentor", "", "42"]))
    def set_attribute_value(self, i, a, value) -> None:
        case_id = pick(self.p.cases.all(), i).id
        attribute_id = pick(self.p.attributes.all(), a).id
        self.run("attribute value",
                 lambda: self.inverse_pair(self.p.attributes.set_value(case_id, attribute_id, value)))

    @precondition(lambda self: self.p.attributes.all())
    @rule(i=IDX)
    def delete_attribute(self, i) -> None:
        attribute_id = pick(self.p.attributes.all(), i).id
        self.run("delete attribute", lambda: self.inverse_pair(self.p.attributes.delete(attribute_id)))

    # ------------------------------------------------------------------ document sets
    @rule(name=st.sampled_from(["Wave 1", "Wave 2", "Nurses"]), docs=st.lists(IDX, max_size=2))
    def create_set(self, name, docs) -> None:
        ids = [pick(self.p.documents(), d).id for d in docs] if self.p.documents() else []
        self.run("create set", lambda: self.inverse_pair(self.p.sets.create(name, ids)))

    @precondition(lambda self: self.p.sets.all())
    @rule(i=IDX, name=st.sampled_from(["Wave 1", "Wave 3"]))
    def rename_set(self, i, name) -> None:
        set_id = pick(self.p.sets.all(), i).id
        self.run("rename set", lambda: self.inverse_pair(self.p.sets.rename(set_id, name)))

    @precondition(lambda self: self.p.sets.all())
    @rule(i=IDX)
    def delete_set(self, i) -> None:
        set_id = pick(self.p.sets.all(), i).id
        self.run("delete set", lambda: self.inverse_pair(self.p.sets.delete(set_id)))

    @precondition(lambda self: self.p.sets.all() and self.p.documents())
    @rule(i=IDX, docs=st.lists(IDX, min_size=1, max_size=2), add=st.booleans())
    def set_members(self, i, docs, add) -> None:
        set_id = pick(self.p.sets.all(), i).id
        ids = [pick(self.p.documents(), d).id for d in docs]
        step = self.p.sets.add_documents if add else self.p.sets.remove_documents
        self.run("set members", lambda: self.inverse_pair(step(set_id, ids)))

    # ------------------------------------------------------------------ always
    @invariant()
    def foreign_keys_hold(self) -> None:
        assert self.p.db.execute("PRAGMA foreign_key_check").fetchall() == []

    @invariant()
    def kept_codes_match_the_file(self) -> None:
        """The code list the project keeps between actions is the one in the file."""
        from qcdesk.core.storage import codebook as code_sql
        assert self.p.codes() == code_sql.all_codes(self.p.db)


#: where the machines' projects go: a memory file system when there is one (no disk waits)
_TMP_ROOT: list[str | None] = [None]


@pytest.fixture
def tmp_root(tmp_path):
    shm = "/dev/shm"
    _TMP_ROOT[0] = tempfile.mkdtemp(dir=shm) if os.path.isdir(shm) and os.access(shm, os.W_OK) else str(tmp_path)
    yield
    if _TMP_ROOT[0] != str(tmp_path):
        shutil.rmtree(_TMP_ROOT[0], ignore_errors=True)
    _TMP_ROOT[0] = None


def test_undo_redo_and_imports_keep_ids_and_identifiers(tmp_root):
    UndoMachine.TestCase.settings = settings(stateful_step_count=STEPS, suppress_health_check=[HealthCheck.too_slow])
    UndoMachine.TestCase().runTest()
