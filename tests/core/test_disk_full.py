"""A full disk: one clear sentence ("The disk holding … is full: …"), nothing half-written.

The disk is a real one (a small tmpfs, see tests/disk_space.py) filled with a filler file, so
every error comes from the kernel and SQLite as it would on a full laptop disk or USB stick.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from disk_space import small_disk  # noqa: F401 - the fixture

from qcdesk.cli import main
from qcdesk.core import backups, check
from qcdesk.core.errors import FULL, TOO_LARGE, DiskFullError, disk_full, no_room_cause
from qcdesk.core.importers import parse_file
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project

pytestmark = pytest.mark.core

#: three transcripts of about 60 KB each: more than a nearly full disk has room for
FILES = {f"P{n:02d} interview.txt": "".join(f"Interviewer: Question {i} to P{n:02d}?\n\nP{n:02d}: Answer {i}, "
                                           f"about mentoring and belonging, in some detail.\n\n"
                                           for i in range(600))
         for n in (1, 2, 3)}


def assert_one_clear_line(err: str, *fragments: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("qcdesk: ") and "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture
def sources(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "sources"
    folder.mkdir()
    paths = []
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(folder / name)
    return paths


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """A closed project with one short document (on the roomy disk)."""
    path = tmp_path / "template.qcdesk"
    with Project.create(path) as project:
        project.documents.add("Pilot", ParsedDocument(text="Interviewer: Ready?\n\nP00: Yes.\n",
                                                      source_format="txt"))
        project.codebook.add("Belonging")
    return path


def leave_free(disk, n_bytes: int) -> None:
    disk.fill()
    if n_bytes:
        size = disk.filler.stat().st_size
        with open(disk.filler, "r+b") as fh:
            fh.truncate(max(0, size - n_bytes))


# ---------------------------------------------------------------------- what counts as "full"
def test_the_kernels_and_sqlites_own_full_disk_errors_are_recognised(tmp_path):
    with pytest.raises(OSError) as os_error, open("/dev/full", "wb", buffering=0) as fh:
        fh.write(b"x")
    assert no_room_cause(os_error.value, tmp_path) == FULL
    conn = sqlite3.connect("/dev/full")  # SQLite writing to a device that is always full
    with pytest.raises(sqlite3.OperationalError) as sqlite_error:
        conn.execute("CREATE TABLE t (x)")
        conn.commit()
    conn.close()
    assert no_room_cause(sqlite_error.value, tmp_path) == FULL
    error = disk_full(sqlite_error.value, tmp_path / "study.qcdesk", "nothing was changed")
    assert isinstance(error, DiskFullError)
    assert str(error).startswith(f"The disk holding {tmp_path / 'study.qcdesk'} is full: nothing was changed.")
    assert "\n" not in str(error)


def test_other_errors_are_not_called_a_full_disk(tmp_path):
    conn = sqlite3.connect(":memory:")
    with pytest.raises(sqlite3.OperationalError) as other:
        conn.execute("SELECT * FROM missing")
    assert no_room_cause(other.value, tmp_path) is None
    assert no_room_cause(PermissionError(13, "Permission denied"), tmp_path) is None
    # an I/O error with plenty of free space is a failing disk, not a full one
    io_error = sqlite3.OperationalError("disk I/O error")
    assert shutil.disk_usage(tmp_path).free > 1 << 20
    assert no_room_cause(io_error, tmp_path) is None
    assert no_room_cause(OSError(27, "File too large"), tmp_path) == TOO_LARGE


# ---------------------------------------------------------------------- the four situations
def test_import_on_a_nearly_full_disk_is_one_line_and_stores_no_part_of_a_document(
        small_disk, template, sources, capsys):
    project = small_disk.root / "study.qcdesk"
    shutil.copy(template, project)
    leave_free(small_disk, 48 * 1024)  # room to open the project, not to store a transcript
    assert main(["import", str(project), *map(str, sources)]) == 1
    out, err = capsys.readouterr()
    assert_one_clear_line(err, f"The disk holding {project} is full", "P01 interview.txt",
                          "were not imported")
    small_disk.make_room()
    with Project.open(project, read_only=True) as opened:
        assert [d.name for d in opened.documents()] == ["Pilot"]
    assert check.check_file(project).sound


@pytest.mark.parametrize("free_kb", list(range(0, 1000, 40)))
def test_import_with_any_room_left_stores_whole_documents_or_says_the_disk_is_full(
        small_disk, template, sources, capsys, free_kb):
    project = small_disk.root / "study.qcdesk"
    shutil.copy(template, project)
    leave_free(small_disk, free_kb * 1024)
    code = main(["import", str(project), *map(str, sources)])
    out, err = capsys.readouterr()
    if code:
        assert_one_clear_line(err, "is full", "nothing")
    else:
        assert err == ""
        assert out.count("imported P") == 3
    small_disk.make_room()
    with Project.open(project, read_only=True) as opened:
        docs = opened.documents()
        assert docs[0].name == "Pilot"
        for doc, source in zip(docs[1:], sources):  # the files imported, in order, each whole
            assert opened.document_text(doc.id) == parse_file(source).text
        assert len(docs) == 4 or code == 1
    assert check.check_file(project).sound
    leftovers = {p.name for p in small_disk.root.iterdir()} - {"study.qcdesk", "filler.bin"}
    assert leftovers <= {"study.qcdesk-wal", "study.qcdesk-shm"}, leftovers


def test_stats_on_a_full_disk_says_the_disk_is_full_not_that_the_project_is_foreign(
        small_disk, template, capsys):
    project = small_disk.root / "study.qcdesk"
    shutil.copy(template, project)
    small_disk.fill()
    assert main(["stats", str(project)]) == 1
    out, err = capsys.readouterr()
    assert_one_clear_line(err, f"The disk holding {project} is full", "nothing was changed")
    assert "not a qcdesk project" not in err
    small_disk.make_room()
    assert main(["stats", str(project), "--json"]) == 0


def test_a_backup_on_a_full_disk_leaves_no_partial_file(small_disk, template):
    path = small_disk.root / "study.qcdesk"
    shutil.copy(template, path)
    with Project.open(path) as project:
        project.codebook.add("Added")
        small_disk.fill()
        with pytest.raises(DiskFullError) as full:
            backups.make_backup(project)
        assert "backup" in str(full.value) and "is full" in str(full.value)
        folder = backups.backup_folder(path)
        assert not folder.exists() or list(folder.iterdir()) == []
        assert backups.list_backups(path) == []
        small_disk.make_room()
        made = backups.make_backup(project)  # with room again it works, and holds the change
    with Project.open(made, read_only=True) as copy:
        assert {c.name for c in copy.codes()} == {"Belonging", "Added"}


def test_an_action_on_a_full_disk_is_a_clear_error_and_changes_nothing(small_disk, template):
    path = small_disk.root / "study.qcdesk"
    shutil.copy(template, path)
    with Project.open(path) as project:
        small_disk.fill()
        with pytest.raises(DiskFullError) as full:
            for n in range(2000):  # until the journal needs a page it cannot have
                project.codebook.add(f"Code {n} " + "x" * 150)
        made = len(project.codes())
        assert "is full" in str(full.value) and "nothing was changed" in str(full.value)
        assert not project.db.conn.in_transaction
        small_disk.make_room()
        project.codebook.add("After")
        assert len(project.codes()) == made + 1
    assert check.check_file(path).sound


def test_opening_for_changes_on_a_full_disk_leaves_no_lock_file(small_disk, template):
    path = small_disk.root / "study.qcdesk"
    shutil.copy(template, path)
    small_disk.fill()
    with pytest.raises(DiskFullError):
        Project.open(path)
    assert not (small_disk.root / ".study.qcdesk.lock").exists()
    small_disk.make_room()
    with Project.open(path) as project:  # and nothing holds the lock
        assert project.documents()
