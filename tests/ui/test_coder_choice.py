"""Who is coding? The question on opening a project, the coder in the title and status bar, and
View ▸ Show codings of (the transcript's highlights and the coded-segments list)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.ui.team import CoderDialog, TeamFeature
from builders import empty_project

pytestmark = pytest.mark.gui

TEXT = "Interviewer: How was it?\nP1: The mentor listened and the ward was kind to me."


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "team.qcdesk"
    with empty_project(path) as p:
        doc = p.documents.add("Interview 1", ParsedDocument(text=TEXT, source_format="txt"))
        code = p.codebook.add("Support", color="#5dade2").value
        p.set_coder("Ana")
        p.codings.apply(doc.id, code.id, 29, 48)
        p.set_coder("Ben")
        p.codings.apply(doc.id, code.id, 53, 74)
    return path


def test_asks_who_is_coding_and_records_the_answer(make_window, qtbot, tmp_path, project_path, monkeypatch, messages):
    asked = []
    monkeypatch.setattr(TeamFeature, "_ask_coder",
                        lambda self, names, suggested: asked.append((names, suggested)) or "Cleo")
    win = make_window()
    assert win.open_project(project_path)
    assert asked == [(["Ana", "Ben"], "")]
    assert win.project.coder.name == "Cleo"
    assert win._status_coder.text() == "Coder: Cleo"
    assert "Cleo" in win.windowTitle()
    assert win.settings.coder_name() == "Cleo"
    # confirmed once this session: opening again does not ask again
    win.close_project()
    assert win.open_project(project_path)
    assert len(asked) == 1 and win.project.coder.name == "Cleo"
    win.close()


def test_a_saved_name_is_not_asked_for_a_project_without_coders(make_window, qtbot, tmp_path, monkeypatch, messages):
    path = tmp_path / "fresh.qcdesk"
    empty_project(path).close()
    monkeypatch.setattr(TeamFeature, "_ask_coder", lambda self, names, suggested: pytest.fail("asked"))
    win = make_window(coder="Dana")
    assert win.open_project(path)
    assert win.project.coder.name == "Dana"
    win.close()


def test_a_new_project_after_the_demo_asks_who_is_coding(make_window, qtbot, tmp_path, monkeypatch, messages):
    """Trying the demo as its "Demo coder" does not make that the user's name: the next project asks."""
    from qcdesk.core.demo import DEMO_CODER, build_demo_project

    demo = build_demo_project(tmp_path / "demo.qcdesk")
    asked = []
    answers = iter([DEMO_CODER, "Ana"])
    monkeypatch.setattr(TeamFeature, "_ask_coder",
                        lambda self, names, suggested: asked.append((names, suggested)) or next(answers))
    win = make_window()
    assert win.open_project(demo)
    assert win.project.coder.name == DEMO_CODER
    assert win.new_project(tmp_path / "mine.qcdesk")
    assert len(asked) == 2 and asked[1] == ([], "")  # asked again, the demo's coder not suggested
    assert win.project.coder.name == "Ana" and win.settings.coder_name() == "Ana"
    # a name saved before the demo stays the user's: the demo does not overwrite it
    win.close_project()
    answers = iter([DEMO_CODER])
    assert win.open_project(demo)
    assert win.settings.coder_name() == "Ana"
    win.close()


def test_the_dialog_offers_the_coders_and_a_new_name(qtbot):
    dialog = CoderDialog(["Ana", "Ben"], "Ben")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == ["Ana", "Ben"]
    assert dialog.name() == "Ben" and ok.isEnabled()
    dialog.list.setCurrentRow(0)
    assert dialog.name() == "Ana"
    qtbot.keyClicks(dialog.new_name, "Cleo")
    assert dialog.name() == "Cleo"
    dialog.new_name.clear()
    dialog.list.setCurrentRow(-1)
    assert not ok.isEnabled()


def test_show_codings_of_one_coder_filters_highlights_and_segments(make_window, qtbot, tmp_path, project_path, messages):
    win = make_window(coder="Ben")
    assert win.open_project(project_path)
    win.segments.show_code(win.project.codes()[0].id)
    assert len(win.segments.rows()) == 2
    assert len(win.transcript.highlighter.spans()) == 2
    menu = win.team.filter_menu
    menu.aboutToShow.emit()
    labels = [a.text() for a in menu.actions() if a.text()]
    assert labels == ["All coders", "Only mine", "Ana", "Ben"]
    next(a for a in menu.actions() if a.text() == "Only mine").trigger()
    spans = win.transcript.highlighter.spans()
    assert [(win.transcript.offsets.from_qt(s.start), win.transcript.offsets.from_qt(s.end)) for s in spans] == [(53, 74)]
    assert [r[3] for r in win.segments.rows()] == ["the ward was kind to"]
    menu.aboutToShow.emit()
    next(a for a in menu.actions() if a.text() == "Ana").trigger()
    assert [r[3] for r in win.segments.rows()] == ["The mentor listened"]
    menu.aboutToShow.emit()
    next(a for a in menu.actions() if a.text() == "All coders").trigger()
    assert len(win.segments.rows()) == 2 and len(win.transcript.highlighter.spans()) == 2
    win.close()


def test_only_mine_follows_a_new_coder_name(make_window, qtbot, tmp_path, project_path, monkeypatch, messages):
    from qcdesk.ui import dialogs

    win = make_window(coder="Ana")
    assert win.open_project(project_path)
    win.team.show_codings_of("mine")
    assert len(win.transcript.highlighter.spans()) == 1
    monkeypatch.setattr(dialogs, "ask_text", lambda *a, **k: "Zoe")
    win.set_coder_dialog()
    qtbot.waitUntil(lambda: win.transcript.highlighter.spans() == [])
    assert "Zoe" in win.windowTitle() and win._status_coder.text() == "Coder: Zoe"
    win.close()
