"""Coding time ranges of a recording (issue 18): add, remove, undo, refuse, and what deleting a
code or a document does to them."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from media_files import tone_wav  # noqa: E402

from qcdesk.core.errors import OperationError  # noqa: E402
from qcdesk.core.importers.base import ParsedDocument  # noqa: E402
from qcdesk.core.project import Project  # noqa: E402
from qcdesk.core.time_codings import citation, format_time, parse_time  # noqa: E402
from builders import empty_project  # noqa: E402
from tests import undo_checks  # noqa: E402


@pytest.fixture
def project(tmp_path):
    with empty_project(tmp_path / "p.qcdesk") as p:
        yield p


def _rows(project: Project) -> set:
    return set(project.db.execute(
        "SELECT id, document_id, code_id, coder_id, start_ms, end_ms, memo, created_at FROM time_codings"))


@pytest.fixture
def diary(project, tmp_path):
    doc_id, info = project.media.add_recording(tone_wav(tmp_path / "diary.wav", 3.0), name="Diary 3")
    assert info.duration_ms == 3000
    return doc_id


def test_add_list_remove_and_undo(project, diary):
    code = project.codebook.add("Coping").value
    project.set_coder("AB")
    tc = project.time_codings.add(diary, code.id, 500, 2500).value
    assert (tc.start_ms, tc.end_ms, tc.coder_id) == (500, 2500, project.coders()[0].id)
    assert project.time_codings.for_document(diary) == [tc] == project.time_codings.for_codes([code.id])
    before = _rows(project)
    undo = project.time_codings.remove(tc.id).undo
    assert _rows(project) == set()
    redo = undo.run()
    assert _rows(project) == before
    undo_again = redo.run()
    assert _rows(project) == set()
    undo_again.run()  # the same row again
    assert _rows(project) == before
    assert project.time_codings.get(tc.id) == tc


def test_the_same_code_range_and_coder_is_one_time_coding(project, diary):
    code = project.codebook.add("Coping").value
    first = project.time_codings.add(diary, code.id, 0, 1000).value
    audit = project.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    again = project.time_codings.add(diary, code.id, 0, 1000)
    assert again.value == first and again.undo is None
    assert project.db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit
    project.set_coder("CD")  # another coder's identical judgement is kept
    other = project.time_codings.add(diary, code.id, 0, 1000).value
    assert other.id != first.id and len(project.time_codings.for_document(diary)) == 2


def test_bad_ranges_are_refused_with_one_line_and_change_nothing(project, diary):
    code = project.codebook.add("Coping").value
    group = project.codebook.add("Group").value
    project.codebook.add("Child", parent_id=group.id)
    project.db.execute("UPDATE codes SET codable = 0 WHERE id = ?", [group.id])
    text_doc = project.documents.add("Interview", ParsedDocument("A: hello", "txt"))
    for call, words in [
        (lambda: project.time_codings.add(diary, code.id, 1000, 3001), "lasts only 00:03"),
        (lambda: project.time_codings.add(diary, code.id, 1000, 1000), "start before it ends"),
        (lambda: project.time_codings.add(diary, code.id, -5, 10), "start before it ends"),
        (lambda: project.time_codings.add(text_doc.id, code.id, 0, 10), "has no recording"),
        (lambda: project.time_codings.add(diary, group.id, 0, 10), "groups other codes"),
        (lambda: project.time_codings.add(diary, 999, 0, 10), ""),
    ]:
        with pytest.raises(OperationError) as info:
            call()
        assert words in str(info.value) and "\n" not in str(info.value)
    assert _rows(project) == set()
    assert project.time_codings.add(diary, code.id, 0, 3000).value.end_ms == 3000  # up to the very end


def test_deleting_a_code_or_document_takes_its_time_codings_and_undo_brings_them_back(project, diary):
    code = project.codebook.add("Coping").value
    memo_code = project.codebook.add("Parent").value
    sub = project.codebook.add("Sub", parent_id=memo_code.id).value
    project.time_codings.add(diary, code.id, 0, 1000, memo="laughs")
    project.time_codings.add(diary, sub.id, 1000, 2000)
    everything = _rows(project)
    snap = project.codebook.delete(memo_code.id).undo  # the sub-code's time coding goes with it
    assert {r[2] for r in _rows(project)} == {code.id}
    snap.run()
    assert _rows(project) == everything
    snap = project.documents.delete(diary).undo
    assert _rows(project) == set()
    snap.run()
    assert _rows(project) == everything


def test_a_coders_deletion_keeps_the_time_coding_without_a_coder(project, diary):
    code = project.codebook.add("Coping").value
    project.set_coder("AB")
    tc = project.time_codings.add(diary, code.id, 0, 1000).value
    project.db.execute("DELETE FROM coders")
    assert project.time_codings.get(tc.id).coder_id is None


@pytest.mark.parametrize("text, ms", [("02:10", 130_000), ("2:10", 130_000), ("1:02:10", 3_730_000),
                                      ("00:00:01.5", 1_500), ("0:01.250", 1_250), ("100:00", 6_000_000)])
def test_times_are_read_as_mm_ss_or_hh_mm_ss(text, ms):
    assert parse_time(text) == ms
    assert parse_time(format_time(ms)) == ms


@pytest.mark.parametrize("text", ["", "12", "1:60", "1:61:00", "a:bc", "1:2:3:4", "-1:00", "01:00.1234"])
def test_not_a_time_is_refused_with_one_line(text):
    with pytest.raises(OperationError) as info:
        parse_time(text)
    assert "\n" not in str(info.value)


def test_citation():
    assert citation("Diary 3", 130_000, 165_000) == "Diary 3, 02:10–02:45"


# ---------------------------------------------------------------------- random sequences
_IDX = st.integers(0, 50)


class TimeCodingMachine(RuleBasedStateMachine):
    """Random add / remove / undo / redo / delete code / delete document keep the table equal to
    what it was at the same point of the history, and each step changes only rows its Undo names
    in ``touched``."""

    def __init__(self) -> None:
        super().__init__()
        import tempfile

        self.dir = Path(tempfile.mkdtemp())
        self.p = empty_project(self.dir / "m.qcdesk")
        self.p.db.execute("PRAGMA synchronous = OFF")
        wav = tone_wav(self.dir / "d.wav", 2.0)
        self.docs = [self.p.media.add_recording(wav, name=f"D{i}")[0] for i in range(2)]
        self.codes = [self.p.codebook.add(f"C{i}").value.id for i in range(3)]
        self.history: list[tuple] = []  # (undo, redo)
        self.index = 0
        self.states = [_rows(self.p)]

    def teardown(self) -> None:
        self.p.close()

    def _done(self, label: str, operation) -> None:
        """Run a core operation, check what it touched, and keep its undo and redo."""
        before = undo_checks.rows(self.p.db)
        done = operation()
        if done.undo is None:
            self._run(None)
            return
        undo_checks.check_touched(label, before, undo_checks.rows(self.p.db), done.undo.touched)
        box = {"undo": done.undo}

        def step(run: str, gives: str) -> None:
            inverse = box[run]
            ahead = undo_checks.rows(self.p.db)
            box[gives] = inverse.run()
            undo_checks.check_touched(inverse.label, ahead, undo_checks.rows(self.p.db), inverse.touched)

        self._run((lambda: step("undo", "redo"), lambda: step("redo", "undo")))

    def _run(self, undo_redo) -> None:
        if undo_redo is None:
            assert _rows(self.p) == self.states[self.index]
            return
        del self.history[self.index:]
        del self.states[self.index + 1:]
        self.history.append(undo_redo)
        self.index += 1
        self.states.append(_rows(self.p))

    @rule(d=_IDX, c=_IDX, s=st.integers(0, 2000), n=st.integers(1, 2000))
    def add(self, d, c, s, n) -> None:
        doc, code = self.docs[d % len(self.docs)], self.codes[c % len(self.codes)]
        live_docs = {r[0] for r in self.p.db.execute("SELECT id FROM documents")}
        live_codes = {r[0] for r in self.p.db.execute("SELECT id FROM codes")}
        if doc not in live_docs or code not in live_codes:
            return
        before = {t.id for t in self.p.time_codings.all()}
        if s + n > 2000:
            with pytest.raises(OperationError):
                self.p.time_codings.add(doc, code, s, s + n)
            self._run(None)
            return
        def add():
            done = self.p.time_codings.add(doc, code, s, s + n)
            assert (done.undo is None) == (done.value.id in before)
            return done
        self._done("add", add)

    @precondition(lambda self: self.p.time_codings.all())
    @rule(i=_IDX)
    def remove(self, i) -> None:
        items = self.p.time_codings.all()
        tc_id = items[i % len(items)].id
        self._done("remove", lambda: self.p.time_codings.remove(tc_id))

    @rule(i=_IDX)
    def delete_code(self, i) -> None:
        code_id = self.codes[i % len(self.codes)]
        if not self.p.db.execute("SELECT 1 FROM codes WHERE id = ?", [code_id]).fetchone():
            return
        self._done("delete code", lambda: self.p.codebook.delete(code_id))

    @rule(i=_IDX)
    def delete_document(self, i) -> None:
        doc_id = self.docs[i % len(self.docs)]
        if not self.p.db.execute("SELECT 1 FROM documents WHERE id = ?", [doc_id]).fetchone():
            return
        self._done("delete document", lambda: self.p.documents.delete(doc_id))

    @precondition(lambda self: self.index > 0)
    @rule()
    def undo(self) -> None:
        self.index -= 1
        self.history[self.index][0]()

    @precondition(lambda self: self.index < len(self.history))
    @rule()
    def redo(self) -> None:
        self.history[self.index][1]()
        self.index += 1

    @invariant()
    def matches_the_model(self) -> None:
        assert _rows(self.p) == self.states[self.index]


TimeCodingMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=25, deadline=None,
                                               suppress_health_check=list(HealthCheck))
test_time_coding_sequences = TimeCodingMachine.TestCase


def test_a_colleagues_time_codings_merge_once_and_unmerge_removes_exactly_them(tmp_path):
    import shutil

    from qcdesk.core.merge import merge_project, preview_merge

    ana, ben = tmp_path / "ana.qcdesk", tmp_path / "ben.qcdesk"
    with empty_project(ana) as p:
        p.set_coder("Ana")
        diary, _ = p.media.add_recording(tone_wav(tmp_path / "d.wav", 3.0), name="Diary 3")
        code = p.codebook.add("Coping").value
        p.time_codings.add(diary, code.id, 0, 1000)
    shutil.copy(ana, ben)
    with Project.open(ben) as p:
        p.set_coder("Ben")
        p.time_codings.add(diary, code.id, 0, 1000)  # the same range, Ben's judgement
        p.time_codings.add(diary, p.codebook.add("Hope").value.id, 1500, 3000, memo="smiles")
        new_doc, _ = p.media.add_recording(tone_wav(tmp_path / "e.wav", 2.0, freq=330), name="Diary 4")
        p.time_codings.add(new_doc, code.id, 500, 2000)
    with Project.open(ana) as p:
        before = _rows(p)
        preview = preview_merge(p, ben)
        assert preview.added.get("time codings") == 3 and _rows(p) == before
        merged = merge_project(p, ben)
        report = merged.value
        assert report.added.get("time codings") == 3 and not report.conflicts
        names = {c.id: c.name for c in p.coders()}
        assert sorted((names.get(t.coder_id), t.start_ms, t.memo) for t in p.time_codings.all()) == [
            ("Ana", 0, ""), ("Ben", 0, ""), ("Ben", 500, ""), ("Ben", 1500, "smiles")]
        after = _rows(p)
        assert merge_project(p, ben).value.added.get("time codings") is None and _rows(p) == after
        rows = merged.undo.run()
        assert _rows(p) == before
        rows.run()
        assert _rows(p) == after


def test_a_name_in_a_time_codings_memo_is_listed_after_pseudonymising(project, diary):
    from qcdesk.core.pseudonyms import add_entry, apply_pseudonyms

    project.time_codings.add(diary, project.codebook.add("Coping").value.id, 0, 1000, memo="Tomasz sighs")
    add_entry(project, "Tomasz", "[Participant 3]")
    report = apply_pseudonyms(project)
    assert any(line.startswith("time coding memo “Tomasz sighs”") for line in report.remaining)


def test_merging_codes_moves_their_time_codings_and_undo_moves_them_back(project, diary):

    target, source = project.codebook.add("Coping").value, project.codebook.add("Getting by").value
    project.time_codings.add(diary, target.id, 0, 1000)
    project.time_codings.add(diary, source.id, 0, 1000)  # the same judgement: collapses
    project.time_codings.add(diary, source.id, 1000, 2000, memo="laughs")
    before = _rows(project)
    snap = project.codebook.merge([source.id], target.id).undo
    assert sorted((t.code_id, t.start_ms, t.memo) for t in project.time_codings.all()) == [
        (target.id, 0, ""), (target.id, 1000, "laughs")]
    snap.run()
    assert _rows(project) == before
