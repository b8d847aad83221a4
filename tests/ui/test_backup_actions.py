"""File › Back up now / Restore from backup, and the automatic backup on closing."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcdesk.core import backups
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.ui.backup_actions import RestoreDialog
from qcdesk.ui.main_window import MainWindow
from builders import empty_project

pytestmark = pytest.mark.gui


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "study.qcdesk"
    with empty_project(path) as project:
        project.documents.add("Interview 1", ParsedDocument(text="Mentee: I was welcomed warmly.",
                                                           source_format="txt"))
        project.codebook.add("Welcome")
    return path


@pytest.fixture
def window(make_window, project_path: Path, messages) -> MainWindow:
    return make_window(project_path, teardown="project")


def test_back_up_now_then_restore_through_the_menu(window, project_path, messages, monkeypatch, qtbot):
    actions = window.backup_actions
    assert actions.act_backup in window.file_menu.actions()
    actions.act_backup.trigger()
    saved = backups.list_backups(project_path)[0].path
    assert messages[-1][:2] == ("info", "Backed up")

    # work after the backup, with an undo history
    window.codebook.select_code(window.project.codes()[0].id)
    window.transcript.select_range(8, 12)
    assert window.apply_current_code()
    assert window.undo_stack.count() == 1
    doc_id = window.project.documents()[0].id

    picked = []

    def choose(infos):
        dialog = RestoreDialog(window, infos)
        qtbot.addWidget(dialog)
        picked.append([dialog.list.item(i).text() for i in range(dialog.list.count())])
        dialog.accept()
        return dialog.chosen

    monkeypatch.setattr(actions, "_choose_backup", choose)
    assert actions.restore()
    assert len(picked[0]) == 1
    assert window.project.codings_for_document(doc_id) == []
    assert window.transcript.codings() == []          # what the coder sees follows
    assert window.undo_stack.count() == 0             # no undo into the replaced state
    title, text = messages[-1][1:]
    assert title == "Restored" and saved.name in text
    # the state before restoring is itself a backup holding the coding
    newest = backups.list_backups(project_path)[0].path
    assert newest != saved
    with Project.open(newest, read_only=True) as pre:
        assert len(pre.codings_for_document(doc_id)) == 1


def test_restore_without_backups_says_so(window, messages):
    assert not window.backup_actions.restore()
    assert messages[-1][1] == "Restore from backup"
    assert "no backups" in messages[-1][2]


def test_changed_project_is_backed_up_on_closing(window, project_path):
    window.project.codebook.add("Added")
    window.close_project()
    infos = backups.list_backups(project_path)
    assert len(infos) == 1
    with Project.open(infos[0].path, read_only=True) as copy:
        assert {c.name for c in copy.codes()} == {"Welcome", "Added"}


def test_unchanged_project_is_not_backed_up_and_timer_respects_interval(window, project_path):
    actions = window.backup_actions
    window.settings.set_backup_policy(1, 5)
    actions._tick()
    assert backups.list_backups(project_path) == []    # nothing changed
    window.project.codebook.add("Added")
    actions._tick()                                     # a minute has passed: due
    assert len(backups.list_backups(project_path)) == 1
    window.close_project()                              # nothing changed since
    assert len(backups.list_backups(project_path)) == 1
