"""Opening a project does only the work the first screen needs (issue 19: a project of 1,000
transcripts and 250,000 codings took 7 s to open): hidden analysis panels load their filter choices
when first shown, and the documents list counts a document's codings only for its tooltip."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from qcdesk.core.importers.base import ParsedDocument, SpeakerTurn
from qcdesk.core.project import Project
from qcdesk.ui.agreement_panel import AgreementPanel
from qcdesk.ui.documents_panel import DOC_ID_ROLE
from qcdesk.ui.open_document import OpenDocument
from qcdesk.ui.matrices_panel import MatricesPanel
from qcdesk.ui.retrieval_panel import RetrievalPanel
from qcdesk.ui.search_panel import SearchPanel
from builders import empty_project

pytestmark = pytest.mark.gui

#: (feature, panel class, the method that loads its choices from the project)
LOADERS = [("retrieval", RetrievalPanel, "load_choices"), ("matrices", MatricesPanel, "load_choices"),
           ("search", SearchPanel, "_fill_speakers"), ("agreement", AgreementPanel, "_fill_choices")]


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "p.qcdesk"
    with empty_project(path) as project:
        project.set_coder("Ana")  # the coders in the file (the window's is recorded by its first change)
        text = "Mentee: I felt welcome here.\nMentor: Good.\n"
        turns = [SpeakerTurn("Mentee", 0, 29), SpeakerTurn("Mentor", 29, len(text))]
        for i in (1, 2):
            project.documents.add(f"Interview {i}", ParsedDocument(text=text, source_format="txt", turns=turns))
        code = project.codebook.add("Welcome").value
        project.codings.apply(2, code.id, 8, 22)
        project.codings.apply(2, code.id, 30, 35)
    return path


@pytest.fixture
def window(make_window, messages):
    """A shown window with no project open yet (each test opens ``project_path`` itself)."""
    return make_window(coder="Ana", settings_file="s.ini", size=(1200, 800), exposed=True)


def test_hidden_panels_load_their_choices_only_when_shown(window, project_path, qtbot, monkeypatch):
    calls: list[str] = []
    for feature, cls, method in LOADERS:
        original = getattr(cls, method)
        monkeypatch.setattr(cls, method, lambda self, *a, _o=original, _f=feature, **k: (calls.append(_f), _o(self, *a, **k))[1])
    counted = []
    monkeypatch.setattr(Project, "counts_by_code_and_document",
                        lambda self: counted.append(1) or {})
    assert window.open_project(project_path)
    QApplication.processEvents()
    assert calls == [] and counted == []  # nothing loaded for panels nobody sees

    for feature, _cls, _method in LOADERS:
        owner = getattr(window, feature)
        owner.action.trigger()
        qtbot.waitUntil(lambda f=feature: f in calls)
    # and what they loaded is the project's
    assert window.search.panel.speaker_filter.findData("Mentee") >= 0
    agreement = window.agreement.panel
    assert [agreement.coders.item(i).text() for i in range(agreement.coders.count())] == ["Ana"]
    retrieval = window.retrieval.panel
    assert retrieval.code_item(window.project.codes()[0].id) is not None


def test_the_documents_tooltip_counts_codings_when_asked(window, project_path, qtbot):
    assert window.open_project(project_path)
    items = [window.documents.list.item(i) for i in range(window.documents.list.count())]
    tips = {item.data(DOC_ID_ROLE): item.data(Qt.ItemDataRole.ToolTipRole) for item in items}
    assert "0 codings" in tips[1] and "2 codings" in tips[2]
    window.project.codings.apply(1, window.project.codes()[0].id, 0, 6)
    assert "1 codings" in items[0].toolTip()  # read when asked: always current


def test_opening_loads_the_first_documents_codings_once_and_resets_a_coder_filter(window, project_path,
                                                                                   tmp_path, monkeypatch):
    loads = []
    original = OpenDocument.load_codings
    monkeypatch.setattr(OpenDocument, "load_codings", lambda self: (loads.append(1), original(self))[1])
    assert window.open_project(project_path)
    QApplication.processEvents()
    assert len(loads) == 1
    assert window.documents.select(2)
    assert len(window.transcript.codings()) == 2

    window.team.show_codings_of(str(window.project.coders()[0].id + 1000))  # a coder with no codings
    assert window.transcript.codings() == []
    window.close_project()
    assert window.open_project(project_path)  # every coder's codings again
    QApplication.processEvents()
    assert window.shown_coders is None and window.segments.shown_coders is None
    assert window.documents.select(2)
    assert len(window.transcript.codings()) == 2


def test_a_hidden_search_panel_reads_the_speakers_once_shown_not_after_each_stored_file(window, project_path,
                                                                                      qtbot, monkeypatch):
    """Importing stores one file at a time; the speakers chooser of a search panel nobody sees was
    read again after each (15 ms each for 20 transcripts): it is read when the panel is shown."""
    reads: list[int] = []
    original = SearchPanel._fill_speakers
    monkeypatch.setattr(SearchPanel, "_fill_speakers", lambda self: (reads.append(1), original(self))[1])
    assert window.open_project(project_path)
    text = "Nurse: I felt welcome here.\n"
    for i in (3, 4):
        window.project.documents.add(f"Interview {i}", ParsedDocument(
            text=text, source_format="txt", turns=[SpeakerTurn("Nurse", 0, len(text))]))
    QApplication.processEvents()
    assert reads == []
    window.search.action.trigger()
    qtbot.waitUntil(lambda: window.search.panel.speaker_filter.findData("Nurse") >= 0)
    assert len(reads) == 1
    window.project.documents.add("Interview 5", ParsedDocument(
        text="Doctor: fine.\n", source_format="txt", turns=[SpeakerTurn("Doctor", 0, 14)]))
    assert window.search.panel.speaker_filter.findData("Doctor") >= 0  # on screen: at once


def test_opening_a_transcript_without_times_reads_neither_its_paragraphs_nor_its_turns(window, project_path,
                                                                                       monkeypatch):
    """A long transcript has thousands of paragraphs and turns (1,000,000 characters: 8,500 and
    4,000): with no times and no recording, opening it reads none of them; its header still names
    its speakers, the status line the speaker at the cursor, and the player's timeline is read
    when asked for."""
    read: list[str] = []
    for name in ("blocks", "speaker_turns"):
        original = getattr(Project, name)
        monkeypatch.setattr(Project, name, lambda self, *a, _o=original, _n=name, **k: (read.append(_n), _o(self, *a, **k))[1])
    assert window.open_project(project_path)
    window.show_document(1)
    QApplication.processEvents()
    assert read == []
    assert "speakers: Mentee, Mentor" in window.doc_header.text()
    assert window.project.turn_at(1, 3).speaker == "Mentee"
    assert window.player.timeline.turns == []  # no times: nothing to play from
    assert "speaker_turns" in read
