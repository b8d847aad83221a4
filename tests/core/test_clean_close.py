"""Opening skips SQLite's blocking full integrity check only for a file exactly as this machine last
closed it cleanly after a full check (its seal); the check then runs afterwards (the window runs it
in the background) and damage it finds makes the project read-only at once. Any other file is
checked in full before anything is written, as before."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcdesk.core import check, clean_close
from qcdesk.core.errors import NotAProjectError, OperationError
from qcdesk.core.project import Project
from builders import meetings_project
from tests.damage import damage_page_keeping_mtime

pytestmark = pytest.mark.core


@pytest.fixture(scope="module")
def sealed_master(tmp_path_factory) -> tuple[Path, str]:
    """A project of about 1 MB, closed cleanly after the full check, and its seal."""
    path = tmp_path_factory.mktemp("master") / "study.qcdesk"
    seal = meetings_project(path, coded=(0, 40)).closed_seal
    assert seal is not None and clean_close.matches(path, seal)
    return path, seal


def _copy(master: Path, folder: Path) -> Path:
    """A copy keeping the master's modification time (its seal differs only by inode)."""
    folder.mkdir(exist_ok=True)
    target = folder / master.name
    shutil.copy2(master, target)
    return target


def _reseal(path: Path) -> str:
    """The seal this machine would have recorded had it closed ``path`` cleanly (copy = new inode)."""
    seal = clean_close.seal_of(path)
    assert seal is not None
    return seal


def test_a_sealed_file_opens_without_the_blocking_check_and_a_changed_one_is_checked(sealed_master, tmp_path):
    master, seal = sealed_master
    path = _copy(master, tmp_path / "a")
    with Project.open(path, seal=seal) as project:  # another inode: not the file that was sealed
        assert not project.check_deferred
    seal = project.closed_seal  # closed cleanly after a full check: sealed
    assert seal is not None
    with Project.open(path, seal=seal) as project:
        assert project.check_deferred
        assert check.sqlite_problems(path) == []
        project.check_passed()
        project.codebook.add("After the check")
    assert project.closed_seal is not None and project.closed_seal != seal  # the file changed
    os.utime(path)  # touched by another program: its seal no longer matches
    with Project.open(path, seal=project.closed_seal) as again:
        assert not again.check_deferred


def test_no_seal_while_the_deferred_check_is_pending_or_read_only(sealed_master, tmp_path):
    master, _ = sealed_master
    path = _copy(master, tmp_path / "b")
    seal = _reseal(path)
    with Project.open(path, seal=seal) as project:
        assert project.check_deferred
    assert project.closed_seal is None  # closed before the background check said "sound"
    with Project.open(path, read_only=True) as project:
        pass
    assert project.closed_seal is None


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fraction=st.floats(min_value=0.0, max_value=1.0))
def test_damage_at_rest_is_found_by_the_deferred_check_and_stops_all_writing(sealed_master, tmp_path, fraction):
    master, _ = sealed_master
    folder = tmp_path / f"c{fraction!r}"
    path = _copy(master, folder)
    seal = _reseal(path)
    damage_page_keeping_mtime(path, fraction)
    assert clean_close.matches(path, seal)  # the seal cannot see it: only the full check can

    # without a seal (or a changed file) the damage is refused before anything is written
    before = path.read_bytes()
    with pytest.raises(NotAProjectError, match="is damaged"):
        Project.open(path)
    assert path.read_bytes() == before

    try:
        project = Project.open(path, seal=seal)
    except NotAProjectError:  # a page opening itself reads: refused at once, unchanged
        assert path.read_bytes() == before
        return
    with project:
        assert project.check_deferred
        problems = check.sqlite_problems(path)
        assert problems, "the full check must find the damaged page"
        message = project.found_damaged(problems[0])
        assert project.read_only and "\n" not in message
        assert "read-only" in message and "backup" in message
        with pytest.raises(OperationError, match="read-only"):
            project.codebook.add("Written into a damaged file")
    assert project.closed_seal is None
    assert path.read_bytes() == before  # nothing was written to it


def test_a_file_with_work_still_in_its_wal_is_never_sealed_nor_trusted(sealed_master, tmp_path):
    master, _ = sealed_master
    path = _copy(master, tmp_path / "d")
    seal = _reseal(path)
    wal = path.with_name(path.name + "-wal")
    wal.write_bytes(b"\0" * 32)  # a crash left a WAL: the file alone is not the project
    assert clean_close.seal_of(path) is None
    assert not clean_close.matches(path, seal)


def test_the_background_check_stops_when_asked_and_then_claims_nothing(sealed_master, tmp_path):
    """Closing the project stops the check at once: a check stopped says neither sound nor damaged."""
    master, _ = sealed_master
    path = _copy(master, tmp_path / "e")
    damage_page_keeping_mtime(path, 0.5)
    asked = []
    assert check.sqlite_problems(path, cancelled=lambda: asked.append(1) or True) is None
    assert asked  # it was asked while running
    assert check.sqlite_problems(path, cancelled=lambda: False)  # not stopped: the damage is found
