"""Coding time ranges of the recording in the window, driven as a researcher drives it: mark in and
out with the keys while it plays, code with the selected code (one undo step), play a range from
the dock's list, remove it from the list's menu, and the refusals that change nothing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

QtMultimedia = pytest.importorskip("PySide6.QtMultimedia", reason="Qt Multimedia cannot be imported here")

from PySide6.QtCore import Qt  # noqa: E402
from test_media_player import SECONDS, _open, _project, press  # noqa: E402

from qcdesk.core.storage import interchange as ex_sql  # noqa: E402
from qcdesk.core.time_codings import format_range  # noqa: E402

pytestmark = pytest.mark.gui

Playing = QtMultimedia.QMediaPlayer.PlaybackState.PlayingState


@pytest.fixture
def window(make_window, qtbot, tmp_path, messages, activate):
    win = _open(make_window, _project(tmp_path), activate)
    win.player.panel.volume.setValue(0)
    qtbot.waitUntil(lambda: win.player.panel.player.duration() > 0, timeout=15000)
    yield win
    win.close()


def ids(win) -> dict[str, int]:
    return {d.name: d.id for d in win.project.documents()}


def code(win, name: str = "Belonging") -> int:
    return next(c.id for c in win.project.codes() if c.name == name)


def mark_at(qtbot, win, ms: int, key) -> None:
    player = win.player.panel.player
    win.player.panel.seek(ms)
    qtbot.waitUntil(lambda: abs(player.position() - ms) < 50, timeout=10000)
    press(qtbot, win, key)


def test_mark_in_and_out_then_code_is_one_undo_step_and_listed(qtbot, window):
    feature, doc = window.time_ranges, ids(window)["Interview 1"]
    assert window.codebook.select_code(code(window))
    mark_at(qtbot, window, 2000, Qt.Key.Key_F7)
    mark_at(qtbot, window, 5000, Qt.Key.Key_F8)
    assert feature.mark_in is not None and abs(feature.mark_in - 2000) < 50
    assert feature.mark_out is not None and abs(feature.mark_out - 5000) < 50
    steps = window.undo_stack.count()
    press(qtbot, window, Qt.Key.Key_F9)
    [made] = window.project.time_codings.for_document(doc)
    assert (made.start_ms, made.end_ms, made.code_id) == (feature.mark_in, feature.mark_out, code(window))
    assert window.undo_stack.count() == steps + 1
    assert feature.rows() == [(format_range(made.start_ms, made.end_ms), "Belonging", "")]
    assert feature.rows()[0][0].startswith("00:0")
    window.undo_stack.undo()
    assert window.project.time_codings.for_document(doc) == [] and feature.rows() == []
    window.undo_stack.redo()
    assert window.project.time_codings.for_document(doc) == [made]  # the same row, under the same id
    assert len(feature.rows()) == 1


def test_clicking_a_listed_range_plays_it_and_stops_at_its_end(qtbot, window):
    doc = ids(window)["Interview 1"]
    window.project.time_codings.add(doc, code(window), 6000, 7500, memo="laughs")
    feature, player = window.time_ranges, window.player.panel.player
    assert feature.rows() == [("00:06–00:07.500", "Belonging", "laughs")]
    item = feature.list.topLevelItem(0)
    # the list shows once the document has time codings: wait until it is laid out on screen
    qtbot.waitUntil(lambda: feature.list.isVisible()
                    and feature.list.viewport().rect().contains(feature.list.visualItemRect(item).center()))
    rect = feature.list.visualItemRect(item)
    qtbot.mouseClick(feature.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: player.playbackState() == Playing and player.position() >= 6000, timeout=10000)
    qtbot.waitUntil(lambda: player.playbackState() != Playing, timeout=10000)
    assert 7400 <= player.position() < 9000


def test_the_list_shows_only_while_the_document_has_time_codings(qtbot, window):
    doc = ids(window)["Interview 1"]
    feature = window.time_ranges
    assert not feature.list.isVisible()  # no time codings yet: the transcript keeps the room
    made = window.project.time_codings.add(doc, code(window), 1000, 2000).value
    qtbot.waitUntil(feature.list.isVisible)
    window.project.time_codings.remove(made.id)
    qtbot.waitUntil(lambda: not feature.list.isVisible())


def test_remove_from_the_lists_menu_is_undoable(qtbot, window):
    doc = ids(window)["Interview 1"]
    made = window.project.time_codings.add(doc, code(window), 1000, 3000).value
    feature = window.time_ranges
    menu = feature.menu_for(feature.list.topLevelItem(0))
    [remove] = [a for a in menu.actions() if a.objectName() == "actionRemoveTimeCoding"]
    remove.trigger()
    assert window.project.time_codings.for_document(doc) == [] and feature.rows() == []
    window.undo_stack.undo()
    assert window.project.time_codings.for_document(doc) == [made] and len(feature.rows()) == 1


def test_a_range_past_the_recordings_end_is_refused_with_the_cores_line(qtbot, window, messages):
    doc = ids(window)["Interview 1"]
    assert window.codebook.select_code(code(window))
    feature = window.time_ranges
    feature.mark_in, feature.mark_out = (SECONDS - 1) * 1000, (SECONDS + 5) * 1000  # a recording cut short
    steps = window.undo_stack.count()
    press(qtbot, window, Qt.Key.Key_F9)
    assert any(kind == "error" and "lasts only" in text for kind, _title, text in messages), messages
    assert window.project.time_codings.for_document(doc) == [] and feature.rows() == []
    assert window.undo_stack.count() == steps


def test_a_grouping_code_is_refused(qtbot, window, messages):
    doc = ids(window)["Interview 1"]
    with window.project.action():
        ex_sql.set_code_codable(window.project.db, code(window), False)
    assert window.codebook.select_code(code(window))
    mark_at(qtbot, window, 1000, Qt.Key.Key_F7)
    mark_at(qtbot, window, 2000, Qt.Key.Key_F8)
    press(qtbot, window, Qt.Key.Key_F9)
    assert any(kind == "error" and "groups other codes" in text for kind, _title, text in messages), messages
    assert window.project.time_codings.for_document(doc) == []


def test_a_document_without_a_recording_is_refused(qtbot, window, messages):
    assert window.codebook.select_code(code(window))
    window.documents.select(ids(window)["Interview 2"])
    qtbot.waitUntil(lambda: window.transcript.document_id == ids(window)["Interview 2"])
    press(qtbot, window, Qt.Key.Key_F9)
    assert any(kind == "error" and "has no recording" in text for kind, _title, text in messages), messages
    assert window.project.time_codings.all() == []


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.tuples(st.just("add"), st.integers(0, SECONDS * 1000), st.integers(-500, 3000)),
                          st.tuples(st.just("remove"), st.integers(0, 5)),
                          st.just(("undo",)), st.just(("redo",))), max_size=12))
def test_any_run_of_coding_removing_undo_and_redo_keeps_list_file_and_history_in_step(qtbot, window, messages, ops):
    """The list always shows what the file holds, and undo/redo bring back exactly the rows (ids too)
    that were there at that step, whatever refusals came in between."""
    feature, doc, project = window.time_ranges, ids(window)["Interview 1"], window.project
    for t in project.time_codings.for_document(doc):
        project.time_codings.remove(t.id)
    window.undo_stack.clear()
    assert window.codebook.select_code(code(window))

    def now():
        return frozenset((t.id, t.start_ms, t.end_ms) for t in project.time_codings.for_document(doc))

    history, at = [now()], 0
    for op in ops:
        if op[0] == "add":
            feature.mark_in, feature.mark_out = op[1], op[1] + op[2]  # past the end, or backwards: refused
            before = now()
            feature.act_code.trigger()
            if now() != before:
                history, at = history[: at + 1] + [now()], at + 1
            else:  # refused, or the same range coded again: nothing to undo
                assert window.undo_stack.index() == at
        elif op[0] == "remove" and feature.list.topLevelItemCount():
            item = feature.list.topLevelItem(op[1] % feature.list.topLevelItemCount())
            menu = feature.menu_for(item)
            next(a for a in menu.actions() if a.objectName() == "actionRemoveTimeCoding").trigger()
            history, at = history[: at + 1] + [now()], at + 1
        elif op[0] == "undo" and at > 0:
            window.undo_stack.undo()
            at -= 1
        elif op[0] == "redo" and at < len(history) - 1:
            window.undo_stack.redo()
            at += 1
        assert now() == history[at]
        assert sorted(feature.rows()) == sorted((format_range(s, e), "Belonging", "") for _i, s, e in now())
