"""A refused project file is left exactly as it was, its WAL and WAL index included.

Refusing used to happen on a writable connection: closing it folded the WAL into the file and
deleted the WAL, so "the file was not changed" was untrue for a project whose last work was
still in its WAL (a copy taken while it was open, a crash). Each project here is such a copy:
file, -wal and (optionally) -shm copied while a window had it open with work not yet folded in.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from qcdesk.core import encryption
from qcdesk.core.errors import NotAProjectError, ProjectError, ProjectTooNewError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project

pytestmark = pytest.mark.core

PASS = "correct horse battery"
SIDES = ("", "-wal", "-shm")


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _copy_while_open(project: Project, folder: Path, with_shm: bool) -> Path:
    """Copy the open project's file and WAL (and WAL index) as a backup tool or a crash would leave them."""
    folder.mkdir()
    target = folder / project.path.name
    for side in SIDES if with_shm else SIDES[:2]:
        shutil.copyfile(str(project.path) + side, str(target) + side)
    assert Path(str(target) + "-wal").stat().st_size > 0
    return target


def _project(tmp_path: Path, passphrase: str | None = None) -> Path:
    path = tmp_path / "study.qcdesk"
    with Project.create(path, passphrase=passphrase) as project:
        project.documents.add("I1", ParsedDocument(text="Mentor: We met weekly.\n" * 50, source_format="txt"))
        project.codebook.add("Folded in")
    return path


def _damage_documents_page(path: Path) -> None:
    """Make the documents table's root page an invalid b-tree page (it is not in the WAL)."""
    import sqlite3

    db = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    root, = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'documents'").fetchone()
    size, = db.execute("PRAGMA page_size").fetchone()
    db.close()
    with path.open("r+b") as fh:
        fh.seek((root - 1) * size)
        fh.write(b"\x07")


def _refusal(kind: str, tmp_path: Path, with_shm: bool) -> tuple[Path, dict]:
    """A copy of a project with uncommitted-to-the-file WAL content, and how to open it."""
    encrypted = kind in ("wrong passphrase", "no passphrase")
    path = _project(tmp_path, PASS if encrypted else None)
    with Project.open(path, passphrase=PASS if encrypted else None) as live:
        live.codebook.add("Only in the WAL")
        if kind == "newer version":
            live.db.execute("PRAGMA user_version = 999")
        elif kind == "foreign database":
            live.db.execute("PRAGMA application_id = 7")
        copy = _copy_while_open(live, tmp_path / "copy", with_shm)
    if kind == "damaged":
        _damage_documents_page(copy)
    kwargs = {"wrong passphrase": {"passphrase": "not the passphrase"}}.get(kind, {})
    return copy, kwargs


EXPECTED = {
    "damaged": (NotAProjectError, "is damaged"),
    "newer version": (ProjectTooNewError, "newer version of qcdesk"),
    "foreign database": (NotAProjectError, "not a qcdesk project"),
    "wrong passphrase": (NotAProjectError, "passphrase is wrong"),
    "no passphrase": (NotAProjectError, "encrypted"),
}


@pytest.mark.parametrize("with_shm", [True, False], ids=["with-shm", "without-shm"])
@pytest.mark.parametrize("kind", list(EXPECTED))
@pytest.mark.parametrize("read_only", [False, True], ids=["write", "read-only"])
def test_a_refused_file_and_its_wal_stay_byte_identical(tmp_path, kind, with_shm, read_only):
    copy, kwargs = _refusal(kind, tmp_path, with_shm)
    before = _snapshot(copy.parent)
    error, words = EXPECTED[kind]
    with pytest.raises(error, match=words) as refused:
        Project.open(copy, read_only=read_only, **kwargs)
    assert "not changed" in str(refused.value)
    assert _snapshot(copy.parent) == before
    if kind in ("wrong passphrase", "no passphrase"):
        # the work in the WAL is still there for the right passphrase
        with Project.open(copy, passphrase=PASS, read_only=True) as project:
            assert "Only in the WAL" in {c.name for c in project.codes()}


@pytest.mark.parametrize("with_shm", [True, False], ids=["with-shm", "without-shm"])
def test_checking_a_passphrase_in_the_window_leaves_the_files_identical(tmp_path, with_shm):
    path = _project(tmp_path, PASS)
    with Project.open(path, passphrase=PASS) as live:
        live.codebook.add("Only in the WAL")
        copy = _copy_while_open(live, tmp_path / "copy", with_shm)
    before = _snapshot(copy.parent)
    assert encryption.is_encrypted(copy)
    assert not encryption.passphrase_opens(copy, "not the passphrase")
    assert encryption.passphrase_opens(copy, PASS)
    assert _snapshot(copy.parent) == before


def test_an_accepted_copy_opens_with_its_wal_work(tmp_path):
    """The other side: a sound copy with work in its WAL opens for writing and shows that work."""
    path = _project(tmp_path)
    with Project.open(path) as live:
        live.codebook.add("Only in the WAL")
        copy = _copy_while_open(live, tmp_path / "copy", with_shm=False)
    with Project.open(copy) as project:
        assert {"Folded in", "Only in the WAL"} <= {c.name for c in project.codes()}
        assert project.integrity_ok()
    with pytest.raises(ProjectError):
        Project.open(tmp_path / "copy" / "missing.qcdesk")


def _copy_with_hot_journal(tmp_path: Path, newer: bool) -> tuple[Path, bytes]:
    """A rollback-journal project copied in the middle of a transaction that spilled to the file.

    SQLite plays such a journal back (a write) on the next open; a refusal must not.
    Returns the copy and the file's bytes from before the transaction.
    """
    import sqlite3

    path = _project(tmp_path)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = DELETE")
    if newer:
        db.execute("PRAGMA user_version = 999")
    clean = path.read_bytes()
    db.execute("PRAGMA cache_size = 2")
    db.execute("BEGIN")
    db.executemany("INSERT INTO project_info (key, value) VALUES (?, ?)",
                   [(f"k{i}", "x" * 2000) for i in range(200)])  # more than the cache holds: spilled
    (tmp_path / "copy").mkdir()
    copy = tmp_path / "copy" / path.name
    shutil.copyfile(path, copy)
    shutil.copyfile(str(path) + "-journal", str(copy) + "-journal")
    db.execute("ROLLBACK")
    db.close()
    assert copy.read_bytes() != clean  # the half-written transaction is in the copied file
    return copy, clean


def test_a_refused_file_with_a_hot_journal_stays_byte_identical(tmp_path):
    copy, _clean = _copy_with_hot_journal(tmp_path, newer=True)
    before = _snapshot(copy.parent)
    with pytest.raises(ProjectTooNewError, match="not changed"):
        Project.open(copy)
    assert _snapshot(copy.parent) == before


def test_a_sound_file_with_a_hot_journal_opens_as_it_was_before_the_crash(tmp_path):
    copy, _clean = _copy_with_hot_journal(tmp_path, newer=False)
    with Project.open(copy) as project:
        assert project.info("k0") is None
        assert project.integrity_ok()
        assert {c.name for c in project.codes()} == {"Folded in"}


def test_a_reader_beside_a_writer_with_an_empty_wal_sees_its_commits(tmp_path):
    """A writer that has just opened has an empty WAL and its index: the check reads through the
    index (not the file alone, which a checkpoint may be rewriting), and later commits show."""
    path = _project(tmp_path)
    with Project.open(path) as writer:
        assert Path(str(path) + "-wal").stat().st_size == 0
        with Project.open(path, read_only=True) as reader:
            writer.codebook.add("Committed meanwhile")
            assert "Committed meanwhile" in {c.name for c in reader.codes()}


def test_no_room_for_the_private_copy_is_a_clear_message(tmp_path, monkeypatch):
    path = _project(tmp_path)
    with Project.open(path) as live:
        live.codebook.add("Only in the WAL")
        copy = _copy_while_open(live, tmp_path / "copy", with_shm=False)
    before = _snapshot(copy.parent)

    def full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", full)
    with pytest.raises(ProjectError, match="No space left on device.*not changed"):
        Project.open(copy)
    assert _snapshot(copy.parent) == before
