"""Team › Merge another coder's project: file picker, report, one undo step."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.ui import dialogs
from qcdesk.ui.main_window import MainWindow
from builders import empty_project

pytestmark = pytest.mark.gui

TEXT = "Interviewer: How was it?\nP1: The mentor listened and the ward was kind to me."


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path]:
    ana, ben = tmp_path / "ana.qcdesk", tmp_path / "ben.qcdesk"
    with empty_project(ana) as p:
        p.documents.add("Interview 1", ParsedDocument(text=TEXT, source_format="txt"))
        p.codebook.add("Support", color="#5dade2")
    shutil.copy(ana, ben)
    with Project.open(ben) as p:
        p.set_coder("Ben")
        p.codings.apply(p.documents()[0].id, p.codes()[0].id, 53, 74)
        p.codebook.add("Kindness")
    return ana, ben


@pytest.fixture
def window(make_window, copies, messages) -> MainWindow:
    return make_window(copies[0], coder="Ana", size=(1100, 700))


def test_merge_from_the_team_menu_shows_the_report_and_undoes_in_one_step(window, copies, monkeypatch, messages):
    _, ben = copies
    action = window.team.act_merge
    assert action in window.team_menu.actions() and action.isEnabled()
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a, **k: str(ben))
    action.trigger()
    kind, title, text = messages[-1]
    assert kind == "info" and "Merged ben.qcdesk" in text
    assert "Added: 1 codes, 1 codings, 1 coders." in text
    assert [c.name for c in window.project.codes()] == ["Support", "Kindness"]
    assert len(window.transcript.highlighter.spans()) == 1  # Ben's coding is highlighted
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == "Merge ben.qcdesk"
    window.undo_stack.undo()
    assert [c.name for c in window.project.codes()] == ["Support"]
    assert window.transcript.highlighter.spans() == []
    assert [c.name for c in window.project.coders()] == ["Ana"]
    window.undo_stack.redo()
    assert len(window.transcript.highlighter.spans()) == 1
    assert sorted(c.name for c in window.project.coders()) == ["Ana", "Ben"]


def test_merging_the_open_project_itself_is_refused(window, copies, monkeypatch, messages):
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a, **k: str(copies[0]))
    window.team.act_merge.trigger()
    kind, _title, text = messages[-1]
    assert kind == "error" and "this project itself" in text
    assert window.undo_stack.count() == 0


def test_a_damaged_file_is_refused_and_nothing_changes(window, tmp_path, monkeypatch, messages):
    junk = tmp_path / "junk.qcdesk"
    junk.write_bytes(b"garbage" * 500)
    before = window.project.stats()
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a, **k: str(junk))
    window.team.act_merge.trigger()
    kind, _title, text = messages[-1]
    assert kind == "error" and "Cannot merge junk.qcdesk" in text
    assert window.project.stats() == before and window.undo_stack.count() == 0


def test_an_encrypted_copy_asks_for_its_passphrase(window, tmp_path, monkeypatch, messages):
    from qcdesk.core.encryption import encrypt_project
    from qcdesk.ui import unlock

    ben = tmp_path / "ben.qcdesk"
    encrypt_project(ben, "ben's passphrase")
    asked = []

    def answer(parent, path, message=""):
        asked.append((path.name, message))
        return "wrong guess" if len(asked) == 1 else "ben's passphrase"

    monkeypatch.setattr(unlock, "_ask_passphrase", answer)
    assert window.team.merge(ben)
    assert asked[0] == ("ben.qcdesk", "") and "did not open" in asked[1][1]
    assert [c.name for c in window.project.codes()] == ["Support", "Kindness"]
    monkeypatch.setattr(unlock, "_ask_passphrase", lambda *a, **k: None)   # cancelled
    window.undo_stack.undo()
    assert not window.team.merge(ben)
    assert [c.name for c in window.project.codes()] == ["Support"]


def test_merge_shows_what_it_will_do_and_asks_first(window, copies, monkeypatch, messages):
    _, ben = copies
    before = (window.project.stats(), [c.name for c in window.project.coders()])
    asked = []
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a, **k: str(ben))
    monkeypatch.setattr(dialogs, "confirm", lambda parent, title, text: asked.append(text) or False)
    window.team.act_merge.trigger()
    assert len(asked) == 1 and "Would add: 1 codes, 1 codings, 1 coders." in asked[0]
    assert "Would match: 1 documents, 1 codes." in asked[0]
    assert (window.project.stats(), [c.name for c in window.project.coders()]) == before
    assert window.undo_stack.count() == 0 and not [m for m in messages if m[0] == "info"]
    monkeypatch.setattr(dialogs, "confirm", lambda parent, title, text: asked.append(text) or True)
    window.team.act_merge.trigger()
    assert len(asked) == 2 and window.undo_stack.count() == 1
    assert "Added: 1 codes, 1 codings, 1 coders." in messages[-1][2]
