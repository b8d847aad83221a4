"""Rotating backups beside the project, and restoring one into the open project."""

from __future__ import annotations

import sqlite3

import pytest

from qcdesk.core import backups
from qcdesk.core.errors import OperationError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from builders import empty_project

pytestmark = pytest.mark.core


@pytest.fixture()
def project(tmp_path):
    with empty_project(tmp_path / "study.qcdesk") as p:
        doc = p.documents.add("Interview 1", ParsedDocument(text="Mentee: I felt welcome.", source_format="txt"))
        code = p.codebook.add("Welcome").value
        p.codings.apply(doc.id, code.id, 8, 22)
        yield p


def test_backup_is_a_complete_project_in_the_backup_folder(project, tmp_path):
    path = backups.make_backup(project)
    assert path.parent == tmp_path / "study backups"
    assert path.name.startswith("study ") and path.suffix == ".qcdesk"
    with Project.open(path, read_only=True) as copy:
        assert [d.name for d in copy.documents()] == ["Interview 1"]
        assert len(copy.codings_for_document(copy.documents()[0].id)) == 1
    assert [b.path for b in backups.list_backups(project.path)] == [path]


def test_only_the_newest_are_kept(project):
    made = [backups.make_backup(project, keep=3) for _ in range(5)]
    kept = [b.path for b in backups.list_backups(project.path)]
    assert len(kept) == 3
    assert set(kept) == set(made[-3:])
    assert all(not p.exists() for p in made[:2])


def test_restore_brings_back_the_backup_and_keeps_the_state_before(project):
    saved = backups.make_backup(project)
    doc_id = project.documents()[0].id
    project.codebook.delete(project.codes()[0].id)
    project.codebook.add("Added after the backup")
    seen = []
    project.subscribe(seen.append)

    before = backups.restore_backup(project, saved)

    assert [c.name for c in project.codes()] == ["Welcome"]
    assert len(project.codings_for_document(doc_id)) == 1
    assert seen and seen[-1].codebook and seen[-1].document_list
    with Project.open(before, read_only=True) as pre:  # the restore itself can be undone
        assert [c.name for c in pre.codes()] == ["Added after the backup"]
    project.codebook.add("Work goes on")                   # still open and writable
    assert project.integrity_ok()


def test_damaged_backup_is_refused_and_nothing_changes(project, tmp_path):
    saved = backups.make_backup(project)
    data = bytearray(saved.read_bytes())
    data[5000:9000] = b"\xff" * 4000
    saved.write_bytes(bytes(data))
    names = [c.name for c in project.codes()]
    with pytest.raises(OperationError, match="cannot be restored"):
        backups.restore_backup(project, saved)
    assert [c.name for c in project.codes()] == names


def test_foreign_database_is_refused(project, tmp_path):
    other = tmp_path / "study backups" / "study 2020-01-01 00-00-00.qcdesk"
    other.parent.mkdir(exist_ok=True)
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    with pytest.raises(OperationError, match="not a qcdesk project"):
        backups.restore_backup(project, other)


def test_unwritable_backup_folder_is_a_clear_error(project, tmp_path):
    (tmp_path / "study backups").write_text("a file where the folder should be")
    with pytest.raises(OperationError, match="could not be written"):
        backups.make_backup(project)
    assert project.integrity_ok()
