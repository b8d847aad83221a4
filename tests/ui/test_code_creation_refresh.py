"""Creating, renaming or recolouring a code updates only what shows it: the codebook gets a row
(no reset), the open transcript is not reloaded and the segments list is not queried again."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.ui.transcript_view import TranscriptView
from builders import empty_project

pytestmark = pytest.mark.gui

TEXT = "Interviewer: how did it start?\nP1: my mentor called me every week and I felt I belonged."


@pytest.fixture
def win(make_window, tmp_path: Path, messages):
    path = tmp_path / "study.qcdesk"
    with empty_project(path) as project:
        doc = project.documents.add("Interview 1", ParsedDocument(text=TEXT, source_format="txt"))
        theme = project.codebook.add("Mentoring", color="#5dade2").value
        leaf = project.codebook.add("Weekly calls", parent_id=theme.id).value
        project.codings.apply(doc.id, leaf.id, 35, 60)
    window = make_window(path, size=(1000, 700), exposed=True)

    window.show_document(doc.id)
    window.codebook.select_code(theme.id)
    assert window.segments.row_count() == 1
    window.segments.tree.viewport().grab()  # its row's text read, as on screen
    yield window
    window.close()


@pytest.fixture
def calls(win, monkeypatch):
    """Counts the expensive reads a codebook change could set off."""
    seen: list[str] = []
    for cls, name in ((Project, "codings_for_document"), (Project, "codings_for_codes"),
                      (Project, "document_text"),
                      (TranscriptView, "show_document"), (TranscriptView, "set_codings")):
        original = getattr(cls, name)
        monkeypatch.setattr(cls, name, lambda *a, _o=original, _n=name, **k: seen.append(_n) or _o(*a, **k))
    counts = Project.code_counts  # of a new code alone is cheap; of every code is not
    monkeypatch.setattr(Project, "code_counts", lambda self, ids=None: (
        seen.append("code_counts of every code") if ids is None else None) or counts(self, ids))
    resets: list[int] = []
    win.codebook.model.modelReset.connect(lambda: resets.append(1))
    return seen, resets


def names(win) -> list[str]:
    return [win.codebook.model.code(i).name for i in win.codebook.model.code_ids()]


def test_a_new_code_is_one_inserted_row_and_nothing_is_reloaded(win, calls):
    seen, resets = calls
    theme = win.segments.code_id
    win.project.codebook.add("Trust")                              # a theme
    win.project.codebook.add("Phone calls", parent_id=theme)       # a sub-code of the code shown
    assert seen == [] and resets == []
    assert names(win) == ["Mentoring", "Weekly calls", "Phone calls", "Trust"]
    assert win.segments.row_count() == 1 and len(win.transcript.codings()) == 1
    # the new sub-code's first coding shows in the segments list it now belongs to
    doc = win.transcript.document_id
    phone = next(c.id for c in win.project.codes() if c.name == "Phone calls")
    win.project.codings.apply(doc, phone, 0, 11)
    assert win.segments.row_count() == 2 and len(win.transcript.codings()) == 2


def test_a_rename_or_colour_redraws_without_re_reading(win, calls):
    seen, resets = calls
    leaf = next(c.id for c in win.project.codes() if c.name == "Weekly calls")
    other = win.project.codebook.add("Trust").value
    win.project.codebook.rename(other.id, "Trust in mentors")     # shown nowhere yet
    assert seen == [] and resets == []
    win.project.codebook.rename(leaf, "Calls")                    # shown in the transcript and the list
    assert resets == [] and "codings_for_document" not in seen and "codings_for_codes" not in seen
    assert [s.name for s in win.transcript.highlighter.spans()] == ["Calls"]
    assert [r[2] for r in win.segments.rows()] == ["Calls"]
    seen.clear()
    win.project.codebook.set_color(leaf, "#aa0000")
    assert [s.color for s in win.transcript.highlighter.spans()] == ["#aa0000"]
    assert "show_document" not in seen and resets == []


def test_panels_behind_other_tabs_catch_up_when_shown(win, qtbot, monkeypatch):
    """A code created while the Memos and Agreement tabs are behind the segments list does
    not re-list them; choosing the tab does, once."""
    from qcdesk.ui.agreement_panel import AgreementPanel
    from qcdesk.ui.memos_panel import MemosPanel

    work: list[str] = []
    for cls, name in ((MemosPanel, "refresh"), (AgreementPanel, "_fill_choices")):
        original = getattr(cls, name)
        monkeypatch.setattr(cls, name, lambda self, _o=original, _n=name: work.append(_n) or _o(self))
    from qcdesk.ui.panel_state import shown

    win.show_panel(win.memos.dock)
    win.segments_dock.raise_()  # the Memos tab behind the segments list
    qtbot.waitUntil(lambda: not shown(win.memos.panel) and not shown(win.agreement.panel))
    work.clear()
    win.project.codebook.add("Trust")
    win.project.codebook.add("Hope")
    assert work == []
    win.show_panel(win.memos.dock)
    qtbot.waitUntil(lambda: work == ["refresh"])
    assert work == ["refresh"]
    win.project.codebook.add("Courage")                  # on screen now: at once
    assert work == ["refresh", "refresh"]


def test_documents_imported_behind_the_memos_tab_re_list_it_once_when_it_is_chosen(win, qtbot, monkeypatch):
    """Each file an import stores changes the document list: the Memos tab behind another re-lists
    nothing then (a document memo's label shows its document's name, which only a rename changes);
    choosing the tab does, once, with the names as they are now. A removed memo re-lists at once."""
    from qcdesk.core.importers.base import ParsedDocument
    from qcdesk.ui.memos_panel import MemosPanel
    from qcdesk.ui.panel_state import shown

    doc = win.project.documents()[0]
    win.project.memos.create("About the first", "notes", document_id=doc.id)
    work: list[str] = []
    original = MemosPanel.refresh
    monkeypatch.setattr(MemosPanel, "refresh", lambda self: work.append("refresh") or original(self))
    win.show_panel(win.memos.dock)
    win.segments_dock.raise_()
    qtbot.waitUntil(lambda: not shown(win.memos.panel))
    work.clear()
    for i in range(3):
        win.project.documents.add(f"Imported {i}", ParsedDocument(text=f"P1: imported {i}", source_format="txt"))
    win.project.documents.rename(doc.id, "Renamed first")
    assert work == []
    win.show_panel(win.memos.dock)
    qtbot.waitUntil(lambda: work == ["refresh"])
    tree = win.memos.panel.list
    shown_labels = [tree.topLevelItem(g).child(i).toolTip(0) for g in range(tree.topLevelItemCount())
                    for i in range(tree.topLevelItem(g).childCount())]
    assert any("Renamed first" in label for label in shown_labels), shown_labels
    win.segments_dock.raise_()
    qtbot.waitUntil(lambda: not shown(win.memos.panel))
    work.clear()
    memo = win.project.memos.all()[0]
    win.project.memos.delete(memo.id)  # a memo gone: at once, so the open memo cannot linger
    assert work == ["refresh"]
