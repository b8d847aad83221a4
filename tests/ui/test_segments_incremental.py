"""The coded-segments panel follows single codings row by row and matches a full re-listing."""

from __future__ import annotations

import pytest

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.ui.segments_panel import SegmentsPanel
from builders import empty_project

pytestmark = pytest.mark.gui

TEXT = "Mentor: we met weekly and talked about exams.\n\nMentee: it helped me feel I belonged here."


@pytest.fixture
def setup(tmp_path, qtbot):
    project = empty_project(tmp_path / "p.qcdesk")
    docs = [project.documents.add(f"Interview {i}", ParsedDocument(text=TEXT, source_format="txt"))
            for i in (1, 2)]
    theme = project.codebook.add("Support").value
    sub = project.codebook.add("Meetings", parent_id=theme.id).value
    other = project.codebook.add("Belonging").value
    project.set_coder("Ana")
    project.codings.apply(docs[1].id, sub.id, 8, 22)
    panel = SegmentsPanel()
    qtbot.addWidget(panel)
    panel.set_project(project)
    panel.show_code(theme.id)
    seen = []
    project.subscribe(lambda ch: (seen.append(ch), panel.apply_changes(ch)))
    yield project, panel, docs, theme, sub, other, seen
    project.close()


def full_listing(panel: SegmentsPanel) -> tuple[list, str]:
    fresh = SegmentsPanel()
    fresh.shown_coders = panel.shown_coders
    fresh.set_project(panel.project)
    fresh.show_code(panel.code_id)
    out = (fresh.rows(), fresh.title.text())
    fresh.deleteLater()
    return out


def test_added_and_removed_codings_change_only_their_rows(setup, monkeypatch):
    project, panel, docs, theme, sub, other, _ = setup
    refreshes = []
    monkeypatch.setattr(panel, "refresh", lambda: refreshes.append(1))
    first = project.codings.apply(docs[0].id, theme.id, 0, 6).value        # before the existing row
    last = project.codings.apply(docs[1].id, sub.id, 30, 40).value         # after it
    project.codings.apply(docs[0].id, other.id, 55, 63)              # another code: not listed
    assert refreshes == []
    monkeypatch.undo()
    assert (panel.rows(), panel.title.text()) == full_listing(panel)
    assert panel.title.text() == "“Support”: 3 segments in 2 documents"
    assert [r[2] for r in panel.rows()] == ["Support", "Meetings", "Meetings"]
    project.codings.remove(first.id)
    project.codings.remove(last.id)
    assert (panel.rows(), panel.title.text()) == full_listing(panel)
    assert panel.title.text() == "“Support”: 1 segment in 1 document"


def test_undo_of_a_removal_puts_the_row_back_in_order(setup):
    project, panel, docs, theme, sub, other, _ = setup
    coding = project.codings_for_codes([sub.id])[0]
    snapshot = project.codings.remove(coding.id).undo
    assert panel.rows() == []
    snapshot.run()
    assert (panel.rows(), panel.title.text()) == full_listing(panel)
    assert len(panel.rows()) == 1


def test_another_coders_coding_is_left_out_when_filtered(setup):
    project, panel, docs, theme, sub, other, _ = setup
    ana = project.coder.id
    panel.shown_coders = {ana}
    panel.refresh()
    project.set_coder("Ben")
    project.codings.apply(docs[0].id, sub.id, 8, 22)
    assert len(panel.rows()) == 1
    assert (panel.rows(), panel.title.text()) == full_listing(panel)
