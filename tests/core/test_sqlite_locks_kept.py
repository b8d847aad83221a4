"""Nothing qcdesk does in its own process drops SQLite's locks on an open project.

SQLite's locks are POSIX locks, which the kernel drops as soon as the process closes any
descriptor of the file. Without its shared lock the window's connection no longer stops
another program from checkpointing and deleting the WAL it is still writing to. Each path
here runs while a project is open; /proc/locks must list the same locks before and after.
"""

from __future__ import annotations

import os

import pytest
from proc_locks import held_by_me, posix_locks

from qcdesk.core import backups, encryption
from qcdesk.core.errors import ProjectLockedError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.importers.safety import OPEN_PROJECT
from qcdesk.core.importing import import_files
from qcdesk.core.project import Project
from qcdesk.core.storage import connection, schema

pytestmark = pytest.mark.core

PASS = "correct horse battery"


@pytest.fixture(params=[None, PASS], ids=["plain", "encrypted"])
def opened(request, tmp_path):
    path = tmp_path / "study.qcdesk"
    with Project.create(path, passphrase=request.param) as project:
        project.documents.add("I1", ParsedDocument(text="Mentor: We met weekly.", source_format="txt"))
    project = Project.open(path, passphrase=request.param)
    project.codebook.add("In the WAL")
    yield project
    project.close()


def _names(project):
    folder = project.path.parent / "other names"
    folder.mkdir(exist_ok=True)
    hard, soft = folder / "hard.qcdesk", folder / "soft.qcdesk"
    if not hard.exists():
        os.link(project.path, hard)
        soft.symlink_to(project.path)
    return hard, soft


def _reopen_refused(project):
    for name in (project.path, *_names(project)):
        with pytest.raises(ProjectLockedError):
            Project.open(name, passphrase=project.passphrase)


def _read_only_alongside(project):
    with Project.open(project.path, passphrase=project.passphrase, read_only=True) as reader:
        assert reader.codes()


def _import_the_project_itself(project):
    """The project file, its WAL or its index picked by mistake under a transcript's name."""
    names = []
    for side, name in (("", "interview.txt"), ("-wal", "notes.md"), ("-shm", "talk.rtf")):
        names.append(project.path.with_name(name))
        os.link(connection.side_file(project.path, side), names[-1])
    report = import_files(project, names)
    assert not report.imported
    assert [why for _name, why in report.failed] == [OPEN_PROJECT] * 3


def _restore(project):
    backup = backups.make_backup(project)
    project.codebook.add("After the backup")
    backups.restore_backup(project, backup)
    assert "After the backup" not in {c.name for c in project.codes()}


def _decrypted_copy(project):
    if project.passphrase:
        encryption.decrypt_copy(project, project.path.with_name("decrypted.qcdesk"))


PATHS = {
    "is the file encrypted": lambda p: encryption.is_encrypted(p.path),
    "header check": lambda p: connection.is_encrypted_file(p.path),
    "passphrase check": lambda p: p.passphrase and encryption.passphrase_opens(p.path, p.passphrase),
    "second writer refused (name, hard link, symlink)": _reopen_refused,
    "read-only reader alongside": _read_only_alongside,
    "backup": lambda p: backups.make_backup(p),
    "restore from a backup": _restore,
    "decrypted copy": _decrypted_copy,
    "copy of the database": lambda p: schema.copy_database(p.db, p.path.with_name("copy.qcdesk")),
    "importing the project file as a document": _import_the_project_itself,
}


@pytest.mark.parametrize("what", list(PATHS))
def test_sqlite_keeps_its_locks(opened, what):
    before = held_by_me(opened.path)
    PATHS[what](opened)
    assert held_by_me(opened.path) == before
    opened.codebook.add("Still writing")  # and the connection still works


def test_changing_the_passphrase_keeps_the_locks(tmp_path):
    path = tmp_path / "secret.qcdesk"
    with Project.create(path, passphrase=PASS) as project:
        project.codebook.add("A")
        before = held_by_me(path)
        encryption.change_passphrase(project, PASS, PASS + " two")
        assert held_by_me(path) == before
        project.codebook.add("B")


def test_another_program_cannot_delete_the_wal_after_a_header_check(tmp_path):
    """What the lost lock allowed: another program's connection, closing, took the exclusive lock
    and folded and deleted the WAL the window still had open (in this simple sequence SQLite
    noticed and the window's next action still reached the file; the WAL must not go at all)."""
    import subprocess
    import sys

    path = tmp_path / "study.qcdesk"
    Project.create(path).close()
    with Project.open(path) as project:
        project.codebook.add("Before")
        encryption.is_encrypted(path)  # e.g. File > Open on the project that is already open
        subprocess.run([sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                        "c.execute('SELECT count(*) FROM sqlite_master').fetchone(); c.close()", str(path)],
                       check=True)
        wal_kept = connection.side_file(path, "-wal").exists()
        project.codebook.add("After")
    with Project.open(path, read_only=True) as again:
        assert {c.name for c in again.codes()} == {"Before", "After"}
    assert wal_kept


def test_a_reader_makes_no_private_copy_of_a_file_open_here(opened):
    """The WAL index gone from the folder (a clean-up tool) while the project is open: a reader
    must not copy the file privately, since copying opens and closes it in this process."""
    mine = str(os.getpid())
    before = [row for row in posix_locks(opened.path)["file"] if row[2] == mine]
    assert before
    connection.side_file(opened.path, "-shm").unlink()
    _read_only_alongside(opened)
    assert [row for row in posix_locks(opened.path)["file"] if row[2] == mine] == before
    opened.codebook.add("Still writing")


def test_the_lock_list_shows_a_lock_dropped(opened):
    """The check above can fail: closing any descriptor of the file in this process drops SQLite's
    locks on it, and the lock list read as the tests read it shows them gone."""
    before = held_by_me(opened.path)
    with open(opened.path, "rb"):
        pass
    mine = str(os.getpid())
    after = {what: [row for row in rows if row[2] == mine] for what, rows in posix_locks(opened.path).items()}
    assert after["file"] == [] and after != before
