"""A coding applied, removed, undone or redone is shown from what changed only (issue 19): after any
sequence of such actions, and of codebook changes between them, the transcript's codings, its
highlights and the codebook's counts are exactly what a fresh read of the project gives."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.ui.main_window import MainWindow
from builders import empty_project

TEXT = "Ana said the mentor listened. Then Bo said nobody listened to him.\nLater they agreed on it."


@pytest.fixture
def window(make_window, tmp_path: Path, messages) -> MainWindow:
    path = tmp_path / "study.qcdesk"
    with empty_project(path) as project:
        doc = project.documents.add("Interview 1", ParsedDocument(text=TEXT, source_format="txt"))
        other = project.documents.add("Interview 2", ParsedDocument(text="Nobody listened.", source_format="txt"))
        theme = project.codebook.add("Support").value
        leaf = project.codebook.add("Heard", parent_id=theme.id).value
        project.codebook.add("Ignored", parent_id=theme.id)
        project.codebook.add("Other")
        project.codings.apply(doc.id, leaf.id, 4, 8)
        project.codings.apply(other.id, leaf.id, 0, 6)
    win = make_window(path, size=(1000, 700), exposed=True)
    win.documents.select(doc.id)
    return win


def assert_window_matches_core(win: MainWindow) -> None:
    project = win.project
    doc_id = win.transcript.document_id
    codes = {c.id: c for c in project.codes()}
    stored = project.codings_for_document(doc_id)
    assert win.transcript.codings() == stored
    to_qt = win.transcript.offsets.to_qt
    spans = {(s.coding_id, s.code_id, s.start, s.end, s.color, s.name) for s in win.transcript.highlighter.spans()}
    assert spans == {(c.id, c.code_id, to_qt(c.start), to_qt(c.end), codes[c.code_id].color,
                      codes[c.code_id].name) for c in stored}
    here = win.transcript.codings_at_cursor()
    status = win._status_codes.text()
    assert all(codes[c.code_id].name in status for c in here), status
    model = win.codebook.model
    counts = project.code_counts()
    for code_id in codes:
        assert model.counts(code_id) == counts.get(code_id, (0, 0)), code_id
        subtree = model.subtree_ids(code_id)
        segments = sum(counts.get(c, (0, 0))[0] for c in subtree)
        documents = project.documents_coded_with(subtree) if segments else 0
        assert model.totals(code_id) == (segments, documents), code_id


ACTIONS = st.one_of(
    st.tuples(st.just("apply"), st.integers(0, 5), st.integers(0, len(TEXT) - 2), st.integers(1, 30)),
    st.tuples(st.just("remove"), st.integers(0, 20)),
    st.tuples(st.just("undo")),
    st.tuples(st.just("redo")),
    st.tuples(st.just("new code"), st.integers(0, 5)),
    st.tuples(st.just("rename"), st.integers(0, 5)),
    st.tuples(st.just("cursor"), st.integers(0, len(TEXT) - 1)),
)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(ACTIONS, min_size=1, max_size=12))
def test_codings_and_counts_follow_any_sequence_of_actions(qtbot, window, actions):
    project = window.project
    for action in actions:
        code_ids = [c.id for c in project.codes()]
        kind = action[0]
        if kind == "apply":
            _, which, start, length = action
            window.transcript.select_range(start, min(len(TEXT), start + length))
            window.codebook.select_code(code_ids[which % len(code_ids)])
            window.apply_current_code()
        elif kind == "remove":
            shown = window.transcript.codings()
            if shown:
                window.remove_coding(shown[action[1] % len(shown)].id)
        elif kind == "undo":
            window.act_undo.trigger()
        elif kind == "redo":
            window.act_redo.trigger()
        elif kind == "new code":
            parent = code_ids[action[1] % len(code_ids)]
            project.codebook.add(f"New {len(code_ids)}", parent_id=parent)
        elif kind == "cursor":
            cursor = window.transcript.textCursor()
            cursor.setPosition(window.transcript.offsets.to_qt(action[1]))
            window.transcript.setTextCursor(cursor)
        else:
            code_id = code_ids[action[1] % len(code_ids)]
            project.codebook.rename(code_id, project.code(code_id).name + "'")
            project.codebook.set_color(code_id, "#%06x" % (code_id * 0x1234567 % 0xFFFFFF))
        assert_window_matches_core(window)


def test_the_times_margin_is_measured_again_for_new_times(window):
    view = window.transcript
    view.set_turn_times([(0, "0:01")])
    short = view.times.preferred_width()
    assert view.times.preferred_width() == short
    view.set_turn_times([(0, "0:01"), (30, "10:00:01")])
    assert view.times.preferred_width() > short
    view.set_turn_times([])
    assert view.times.preferred_width() == 0
