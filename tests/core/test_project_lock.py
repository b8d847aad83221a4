"""One writer per project: a second opener is told who holds it; read-only media open read-only."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from qcdesk import cli
from qcdesk.core.errors import OperationError, ProjectLockedError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.core.storage import lockfile

pytestmark = pytest.mark.core


@pytest.fixture()
def project_path(tmp_path):
    path = tmp_path / "study.qcdesk"
    with Project.create(path) as project:
        project.documents.add("I1", ParsedDocument(text="Mentor: We met weekly.", source_format="txt"))
        project.codebook.add("Meetings")
    return path


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_second_writer_is_refused_with_who_holds_it(project_path):
    with Project.open(project_path) as first:
        with pytest.raises(ProjectLockedError) as err:
            Project.open(project_path)
        message = str(err.value)
        assert "already open in another qcdesk window" in message
        assert f"process {os.getpid()}" in message
        assert "read-only" in message
        # reading alongside the writer is fine
        with Project.open(project_path, read_only=True) as reader:
            assert [d.name for d in reader.documents()] == ["I1"]
        first.codebook.add("Still writable")
    # closed: the lock and its file are gone, the next opener may write
    assert not lockfile.lock_path(project_path).exists()
    with Project.open(project_path) as again:
        assert {c.name for c in again.codes()} == {"Meetings", "Still writable"}


def test_a_new_project_is_locked_from_creation(tmp_path):
    path = tmp_path / "new.qcdesk"
    with Project.create(path):
        with pytest.raises(ProjectLockedError):
            Project.open(path)
        os.link(path, tmp_path / "linked.qcdesk")
        with pytest.raises(ProjectLockedError):
            Project.open(tmp_path / "linked.qcdesk")


def test_lock_of_a_killed_process_does_not_block(project_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from qcdesk.core.project import Project
            p = Project.open({str(project_path)!r})
            print("open", flush=True)
            time.sleep(60)
        """)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(ProjectLockedError) as err:
            Project.open(project_path)
        assert f"process {holder.pid}" in str(err.value)
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
    finally:
        if holder.poll() is None:
            holder.kill()
    assert lockfile.lock_path(project_path).exists()  # left behind by the killed process...
    with Project.open(project_path) as project:        # ...but it holds no lock
        assert project.integrity_ok()
        project.codebook.add("After the crash")


def test_command_line_write_is_refused_while_a_window_holds_it(project_path, tmp_path, capsys):
    transcript = tmp_path / "I2.txt"
    transcript.write_text("Mentee: I asked for feedback.", encoding="utf-8")
    with Project.open(project_path):
        before = digest(project_path)
        assert cli.main(["import", str(project_path), str(transcript)]) == 1
        err = capsys.readouterr().err
        assert "already open in another qcdesk window" in err
        # reading commands still work while the window has it
        assert cli.main(["stats", str(project_path), "--json"]) == 0
        assert '"documents": 1' in capsys.readouterr().out
        assert digest(project_path) == before


def test_read_only_media_opens_read_only_with_a_notice(project_path, monkeypatch):
    before = digest(project_path)
    monkeypatch.setattr(lockfile, "writable", lambda path: False)
    with Project.open(project_path) as project:
        assert project.read_only
        assert "read-only" in project.read_only_notice
        assert [d.name for d in project.documents()] == ["I1"]
        with pytest.raises(OperationError):
            project.codebook.add("Nope")
    assert not lockfile.lock_path(project_path).exists()
    assert digest(project_path) == before


def test_lock_file_names_its_holder(project_path):
    with Project.open(project_path):
        text = lockfile.lock_path(project_path).read_text(encoding="utf-8")
    assert str(os.getpid()) in text
    assert time.strftime("%Y") in text


def _holder_process(path):
    """A second qcdesk process holding ``path`` open for writing until it is killed."""
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import time
            from qcdesk.core.project import Project
            p = Project.open({str(path)!r})
            print("open", flush=True)
            time.sleep(60)
        """)],
        stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "open"
    return holder


def _other_names(project_path, tmp_path):
    """The same file under other names: a hard link in another folder and a symlink."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    hard = elsewhere / "copy of study.qcdesk"
    os.link(project_path, hard)
    soft = elsewhere / "shortcut.qcdesk"
    soft.symlink_to(project_path)
    return {"hard link": hard, "symlink": soft}


@pytest.mark.parametrize(("holder_uses", "opener_uses"), [
    (a, b) for a in ("name", "hard link", "symlink") for b in ("name", "hard link", "symlink") if a != b])
def test_every_name_of_the_file_shares_one_lock(project_path, tmp_path, holder_uses, opener_uses):
    names = {"name": project_path, **_other_names(project_path, tmp_path)}
    holder = _holder_process(names[holder_uses])
    try:
        before = digest(project_path)
        with pytest.raises(ProjectLockedError) as err:
            Project.open(names[opener_uses])
        assert "already open in another qcdesk window" in str(err.value)
        assert f"process {holder.pid}" in str(err.value)
        assert digest(project_path) == before
    finally:
        holder.kill()
        holder.wait(10)
    with Project.open(names[opener_uses]) as project:  # the holder is gone: free again
        project.codebook.add("After the holder")


def test_a_second_name_is_refused_in_the_same_process_too(project_path, tmp_path):
    names = _other_names(project_path, tmp_path)
    with Project.open(project_path) as first:
        for other in names.values():
            with pytest.raises(ProjectLockedError, match=f"process {os.getpid()}"):
                Project.open(other)
        first.codebook.add("Still writable")
    for other in names.values():
        with Project.open(other):
            pass


def _ghost_identity_lock(project_path, tmp_path, *, records_file=True):
    """The identity lock of ``project_path`` held as a window holds it whose own project file was
    deleted while open, the inode then given to ``project_path``: the lock names the deleted file."""
    ghost = tmp_path / "deleted" / "old study.qcdesk"
    ghost.parent.mkdir()
    ghost.write_bytes(b"")
    path = lockfile.identity_lock_path(project_path)
    handle = lockfile._take(path, ghost.name, ghost if records_file else None)
    ghost.unlink()
    return path, handle


def test_a_window_whose_file_was_deleted_does_not_lock_the_file_given_its_inode(project_path, tmp_path):
    """Before, the new project was said to be "already open in another qcdesk window" while no
    window had it open (seen when a file was deleted under an open window and its inode reused)."""
    path, ghost = _ghost_identity_lock(project_path, tmp_path)
    try:
        hard = _other_names(project_path, tmp_path)["hard link"]
        with Project.open(project_path) as project:
            project.codebook.add("Opened")
            assert lockfile.identity_lock_path(project_path, 1).exists()
            with pytest.raises(ProjectLockedError, match=f"process {os.getpid()}"):
                Project.open(hard)  # its other names still meet the lock
    finally:
        lockfile._give_back(path, ghost)


def test_an_identity_lock_that_names_no_file_still_refuses(project_path, tmp_path):
    """A holder that wrote no file (an older qcdesk) is taken at its word: it may hold this file."""
    path, ghost = _ghost_identity_lock(project_path, tmp_path, records_file=False)
    try:
        before = digest(project_path)
        with pytest.raises(ProjectLockedError):
            Project.open(project_path)
        assert digest(project_path) == before
    finally:
        lockfile._give_back(path, ghost)


def test_the_identity_lock_names_the_file_it_covers(project_path):
    with Project.open(project_path):
        held = json.loads(lockfile.identity_lock_path(project_path).read_text(encoding="utf-8"))
    assert held["file"] == os.path.realpath(project_path) and held["pid"] == os.getpid()
