"""The window on a full disk: one sentence in a message box, the window keeps running, nothing
half-written. The disk is a real small tmpfs filled up (tests/disk_space.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from disk_space import small_disk  # noqa: F401 - the fixture

from qcdesk.core import backups
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def project_path(small_disk, tmp_path: Path) -> Path:
    """A project on the small disk (made on the roomy one and copied, as a user would)."""
    made = tmp_path / "study.qcdesk"
    with Project.create(made) as project:
        project.documents.add("Interview 1", ParsedDocument(text="Mentee: I was welcomed warmly.",
                                                            source_format="txt"))
        project.codebook.add("Welcome")
    path = small_disk.root / "study.qcdesk"
    shutil.copy(made, path)
    return path


@pytest.fixture
def window(make_window, messages) -> MainWindow:
    return make_window(teardown="project")  # the settings are on the roomy disk


def one_line(text: str) -> str:
    assert "\n" not in text.strip(), text
    return text


def test_starting_the_window_on_a_full_disk_says_so_and_does_not_crash(small_disk, project_path, tmp_path):
    small_disk.fill()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path),
               XDG_DATA_HOME=str(tmp_path), PYTHONPATH=str(REPO))
    done = subprocess.run([sys.executable, "-m", "qcdesk", str(project_path), "--smoke-test"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    message = [line for line in done.stdout.splitlines() if line.startswith("qcdesk-smoke: message:")]
    assert message and f"The disk holding {project_path} is full" in message[0], done.stdout
    assert "qcdesk-smoke: failed: the project did not open" in done.stdout  # and it said so, not crashed
    assert not (small_disk.root / ".study.qcdesk.lock").exists()


def test_opening_on_a_full_disk_is_one_message_and_the_window_goes_on(small_disk, project_path, window,
                                                                       messages):
    small_disk.fill()
    assert not window.open_project(project_path)
    kind, title, text = messages[-1]
    assert kind == "error" and f"The disk holding {project_path} is full" in one_line(text)
    assert window.project is None
    small_disk.make_room()
    assert window.open_project(project_path)  # nothing was left holding it
    assert [d.name for d in window.project.documents()] == ["Interview 1"]


def test_the_backup_on_closing_on_a_full_disk_says_so_and_leaves_no_part_file(small_disk, project_path,
                                                                               window, messages):
    assert window.open_project(project_path)
    window.project.codebook.add("Added before the disk filled")
    small_disk.fill()
    window.close_project()
    said = [m for m in messages if m[0] == "warning"]
    assert said, messages
    kind, title, text = said[-1]
    assert title == "Backup failed" and "is full" in one_line(text) and "backup was not made" in text
    folder = backups.backup_folder(project_path)
    assert not folder.exists() or [p.name for p in folder.iterdir()] == []
    assert window.project is None
    small_disk.make_room()
    with Project.open(project_path, read_only=True) as project:  # the change itself was kept
        assert "Added before the disk filled" in {c.name for c in project.codes()}


def test_coding_on_a_full_disk_is_one_message_and_changes_nothing(small_disk, project_path, window,
                                                                   messages, qtbot):
    assert window.open_project(project_path)
    doc_id = window.project.documents()[0].id
    window.codebook.select_code(window.project.codes()[0].id)
    small_disk.fill()
    codings_before = len(window.project.codings_for_document(doc_id))
    applied = 0
    for start in range(0, 25):  # until the journal needs a page the disk does not have
        window.transcript.select_range(start, start + 3)
        if not window.apply_current_code():
            break
        applied += 1
    else:
        pytest.fail("every coding fitted on the full disk")
    kind, title, text = messages[-1]
    assert kind == "error" and "is full" in one_line(text) and "nothing was changed" in text
    assert len(window.project.codings_for_document(doc_id)) == codings_before + applied
    assert window.isVisible()


def test_importing_on_a_full_disk_is_one_message_naming_the_files(small_disk, project_path, window,
                                                                   messages, qtbot, tmp_path):
    files = []
    for n in range(3):
        path = tmp_path / f"P0{n} interview.txt"
        path.write_text("".join(f"Interviewer: Question {i}?\n\nP0{n}: Answer {i}, at some length.\n\n"
                                for i in range(1500)), encoding="utf-8")
        files.append(path)
    assert window.open_project(project_path)
    small_disk.fill()
    with qtbot.waitSignal(window.imports.finished, timeout=60_000) as finished:
        window.imports.start(files)
    assert finished.args[0].imported == []
    kind, title, text = messages[-1]
    assert kind == "error" and "is full" in one_line(text)
    assert "P00 interview.txt, P01 interview.txt and P02 interview.txt were not imported" in text
    assert [d.name for d in window.project.documents()] == ["Interview 1"]
