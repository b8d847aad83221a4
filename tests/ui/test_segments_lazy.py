"""The coded-segments panel lists a code's rows from the codings alone and reads the text of
the rows on screen only: selecting a busy code must not read every transcript holding it."""

from __future__ import annotations

import pytest

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.ui.segments_panel import SegmentsPanel
from builders import empty_project

pytestmark = pytest.mark.gui

N_DOCS = 40


@pytest.fixture
def busy(tmp_path, qtbot):
    project = empty_project(tmp_path / "p.qcdesk")
    code = project.codebook.add("Belonging").value
    for i in range(N_DOCS):
        text = f"Participant {i}: I felt I belonged there from the first week on.\n"
        doc = project.documents.add(f"Interview {i:02d}", ParsedDocument(text=text, source_format="txt"))
        project.codings.apply(doc.id, code.id, 0, 14)
    panel = SegmentsPanel()
    qtbot.addWidget(panel)
    panel.resize(600, 160)  # room for a few rows only
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_project(project)
    yield project, panel, code
    project.close()


def test_selecting_a_code_reads_only_the_shown_rows_text(busy, monkeypatch, qtbot):
    project, panel, code = busy
    read: list[int] = []
    original = Project.document_text
    monkeypatch.setattr(Project, "document_text", lambda self, doc_id: read.append(doc_id) or original(self, doc_id))
    turns_read: list[int] = []
    turns = Project.speaker_turns
    monkeypatch.setattr(Project, "speaker_turns", lambda self, doc_id: turns_read.append(doc_id) or turns(self, doc_id))
    monkeypatch.setattr(Project, "segments", lambda *a, **k: pytest.fail("every segment's text was read"))
    panel.show_code(code.id)
    panel.tree.viewport().grab()  # paint: the rows on screen ask for their text
    assert panel.title.text() == f"“Belonging”: {N_DOCS} segments in {N_DOCS} documents"
    assert panel.row_count() == N_DOCS
    assert 0 < len(set(read)) < N_DOCS / 2, read
    # sizing the columns looks at the rows on screen too, not at every row's speaker
    assert len(set(turns_read)) < N_DOCS / 2, turns_read
    # scrolling to the end reads the rows that come into view, and they show their own words
    panel.tree.scrollToBottom()
    panel.tree.viewport().grab()
    assert project.documents()[-1].id in read
    last = panel.tree.model().index(N_DOCS - 1, 3)
    assert panel.tree.model().data(last) == f"Participant {N_DOCS - 1}"[:14]


def test_rows_match_the_full_segments_of_the_core(busy):
    project, panel, code = busy
    panel.show_code(code.id)
    segments = project.segments([code.id])
    assert [r[0] for r in panel.rows()] == [s.document_name for s in segments]
    assert [r[3] for r in panel.rows()] == [s.text for s in segments]
