"""Opening a project that was not closed cleanly (no clean-close seal) for the window: only SQLite's
quick check runs before it opens, the full integrity check afterwards (the window runs it in the
background), and nothing is written before it has passed: the first change waits for it, and is
refused, leaving the file as it was, when it finds damage (issue 19: a large project opens in
under 1 s also the first time)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from qcdesk.core import check
from qcdesk.core.errors import NotAProjectError, OperationError
from qcdesk.core.project import Project
from qcdesk.core.storage import connection
from builders import meetings_project
from tests.damage import damage_page_keeping_mtime, hold_full_check, index_out_of_step

pytestmark = pytest.mark.core


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """A project of about 1 MB with a coding, closed (its seal is not kept: as after a crash)."""
    return meetings_project(tmp_path / "study.qcdesk").path


@pytest.fixture
def statements(monkeypatch) -> list[str]:
    """Every SQL statement run on the connection that checks a file before it is opened."""
    seen: list[str] = []
    untouched = connection.open_untouched

    def spied(*args, **kwargs):
        db = untouched(*args, **kwargs)
        db.conn.set_trace_callback(seen.append)
        return db

    monkeypatch.setattr(connection, "open_untouched", spied)
    return seen


def _checks(statements: list[str]) -> list[str]:
    return [s for s in statements if "integrity_check" in s or "quick_check" in s]


def test_an_unsealed_open_for_the_window_runs_only_the_quick_check_first(project_path, statements):
    with Project.open(project_path, defer_check=True) as project:
        assert [s.split("(")[0] for s in _checks(statements)] == ["PRAGMA quick_check"]
        assert project.check_deferred and project.full_check is not None
        assert project.full_check.result is None  # the full check has not run yet
        assert project.full_check.run() == ""  # run later (the window: in the background), sound
    statements.clear()
    with Project.open(project_path):  # the command line: the full check before opening, as before
        assert [s.split("(")[0] for s in _checks(statements)] == ["PRAGMA integrity_check"]


def test_a_damaged_page_is_still_refused_before_opening_and_left_as_it_was(project_path):
    damage_page_keeping_mtime(project_path, 0.5)
    before = project_path.read_bytes()
    with pytest.raises(NotAProjectError) as refused:
        Project.open(project_path, defer_check=True)
    message = str(refused.value)
    assert "study.qcdesk is damaged" in message and "quick check" in message and "\n" not in message
    assert "was not changed" in message and "backup" in message
    assert project_path.read_bytes() == before


def test_a_write_made_while_the_check_runs_waits_for_it_then_succeeds(project_path, monkeypatch):
    order: list[str] = []
    held = hold_full_check(monkeypatch, log=order)
    with Project.open(project_path, defer_check=True) as project:
        told: list[bool] = []

        def waiting(now: bool) -> None:
            told.append(now)
            if now:
                held.release.set()  # the check ends only once the change waits for it

        project.check_wait_listener = waiting
        project.subscribe(lambda changes: order.append("written"))
        background = threading.Thread(target=project.full_check.run)
        background.start()
        assert held.started.wait(20)
        code = project.codebook.add("Written after the check").value
        background.join()
        assert told == [True, False]
        assert order == ["checked", "written"]  # the check ran once, before anything was written
        assert not project.check_deferred
        project.codebook.rename(code.id, "No wait now")
        assert told == [True, False]  # the next change does not wait
    assert project.closed_seal is not None  # checked in full, closed cleanly: sealed


def test_the_first_write_runs_the_check_itself_when_no_other_thread_does(project_path):
    with Project.open(project_path, defer_check=True) as project:
        told: list[bool] = []
        project.check_wait_listener = told.append
        project.codebook.add("Written after the check")
        assert told == [True, False] and not project.check_deferred
        assert project.full_check.result == ""


@pytest.mark.parametrize("change", ["add code", "apply coding", "memo"])
def test_a_write_after_damage_is_found_is_refused_and_the_file_is_unchanged(project_path, change):
    index_out_of_step(project_path)  # the quick check cannot see this: the project opens
    before = project_path.read_bytes()
    with Project.open(project_path, defer_check=True) as project:
        project.set_coder("Ana")
        told: list[bool] = []
        project.check_wait_listener = told.append
        write = {"add code": lambda: project.codebook.add("Written into a damaged file"),
                 "apply coding": lambda: project.codings.apply(2, 1, 0, 20),
                 "memo": lambda: project.memos.create("Written into a damaged file")}[change]
        with pytest.raises(OperationError) as refused:
            write()
        message = str(refused.value)
        assert "study.qcdesk is damaged" in message and "idx_codings_document" in message
        assert "read-only" in message and "\n" not in message
        assert told == [True, False]
        assert project.read_only and project.damage == message
        with pytest.raises(OperationError, match="read-only"):
            write()
        assert "Ana" not in [c.name for c in project.coders()]
    assert project.closed_seal is None  # checked in full next time
    assert project_path.read_bytes() == before  # nothing was written into it


def test_damage_found_by_the_sealed_files_check_refuses_the_first_write_too(project_path):
    with Project.open(project_path) as project:
        pass
    seal = project.closed_seal
    damage_page_keeping_mtime(project_path, 0.5)
    before = project_path.read_bytes()
    project = Project.open(project_path, seal=seal, defer_check=True)  # the seal cannot see it
    with project:
        with pytest.raises(OperationError, match="study.qcdesk is damaged"):
            project.codebook.add("Written into a damaged file")
    assert project_path.read_bytes() == before


@pytest.mark.parametrize("known", [False, True], ids=["new coder", "coder already in the file"])
def test_the_coder_chosen_at_opening_is_recorded_by_the_first_change_in_its_own_action(project_path, known):
    with Project.open(project_path) as project:
        if known:
            project.set_coder("Ana")
            project.set_coder("Ben")  # the file's last coder is someone else
    seal = project.closed_seal
    with Project.open(project_path, seal=seal) as project:  # sealed: nothing was written at opening
        told = []
        project.subscribe(told.append)
        coder = project.set_coder("Ana")
        assert told == [] and project.coder_pending and coder.name == "Ana"
        assert ("Ana" in [c.name for c in project.coders()]) == known  # not written yet
        coding = project.codings.apply(2, 1, 0, 20).value
        assert len(told) == 1 and told[0].coders and told[0].codings  # one action, one notification
        ana = next(c for c in project.coders() if c.name == "Ana")
        assert coding.coder_id == ana.id and project.coder == ana and not project.coder_pending
    with Project.open(project_path) as project:  # the last coder is recorded in the file too
        assert project.coder is None and project.codings.apply(3, 1, 0, 20).value.coder_id == ana.id


def test_a_refused_first_change_leaves_the_coder_pending(project_path):
    with Project.open(project_path, defer_check=True) as project:
        project.set_coder("Ana")
        with pytest.raises(OperationError):
            project.codings.apply(2, 1, 30, 10)  # an empty range: refused before any action
        with pytest.raises(OperationError):
            with project.action():
                raise OperationError("refused inside the action: rolled back, the coder with it")
        assert project.coder_pending and project.coder.id < 0
        memo = project.memos.create("First note").value
        ana = next(c for c in project.coders() if c.name == "Ana")
        assert project.db.table("memos").get(memo.id)["coder_id"] == ana.id and not project.coder_pending


def test_the_check_shared_with_a_background_thread_runs_once(project_path, monkeypatch):
    from qcdesk.core import deferred_check

    runs, stopped = [], [None]  # the first run is stopped (the project closing, say)
    real = check.sqlite_problems
    monkeypatch.setattr(check, "sqlite_problems",
                        lambda *a, **k: runs.append(1) or (stopped.pop() if stopped else real(*a, **k)))
    full = deferred_check.FullCheck(project_path, None)
    assert full.run(cancelled=lambda: True) is None and full.result is None  # stopped: nothing known
    assert full.run() == "" and full.run() == "" and full.result == ""
    assert len(runs) == 2  # once stopped, once to the end; then its result is kept


def test_coding_search_hits_records_the_pending_coder_in_the_same_action(project_path):
    from qcdesk.core.search import code_hits, search

    with Project.open(project_path) as project:
        pass
    with Project.open(project_path, seal=project.closed_seal) as project:
        project.set_coder("Ana")
        told = []
        project.subscribe(told.append)
        hits = search(project, "Tuesday", document_ids=[2])
        made = code_hits(project, hits, 1, "hit").value
        assert made and len(told) == 1 and told[0].coders  # the coder and the codings: one action
        ana = next(c for c in project.coders() if c.name == "Ana")
        assert {c.coder_id for c in made} == {ana.id}
