"""The coded-segments list shows each segment's time span, from the transcript's turns refined by
its sync points (the times citations use), and a click plays the segment from there (issue 18)."""

from __future__ import annotations

import pytest

QtMultimedia = pytest.importorskip("PySide6.QtMultimedia", reason="Qt Multimedia cannot be imported here")

from PySide6.QtCore import Qt  # noqa: E402

from qcdesk.core.project import Project  # noqa: E402
from tests.ui.test_media_player import LINES, _open, _project, turn_start  # noqa: E402

pytestmark = pytest.mark.gui

Playing = QtMultimedia.QMediaPlayer.PlaybackState.PlayingState
ASSIGNED = turn_start(1) + LINES[1].index("assigned")
FELT = turn_start(1) + LINES[1].index("it felt")


@pytest.fixture
def window(make_window, qtbot, tmp_path, messages, activate):
    # turn 1 runs from 0:03 to 0:06; stamps inside it say "assigned" is said at 0:04, "it felt" at 0:05
    path = _project(tmp_path, sync=[(ASSIGNED, 4.0), (FELT, 5.0)])
    with Project.open(path) as p:
        doc = next(d for d in p.documents() if d.name == "Interview 1")
        p.codings.apply(doc.id, p.codebook.add("Chance").value.id, ASSIGNED, FELT)
    win = _open(make_window, path, activate)
    win.player.panel.volume.setValue(0)
    qtbot.waitUntil(lambda: win.player.panel.player.duration() > 0, timeout=15000)
    yield win
    win.close()


def _show(qtbot, win, name: str) -> None:
    win.codebook.select_code(next(c for c in win.project.codes() if c.name == name).id)
    qtbot.waitUntil(lambda: win.segments.tree.model().rowCount() == 1)


def test_a_segment_shows_its_start_and_end_from_the_sync_points(qtbot, window):
    _show(qtbot, window, "Chance")
    assert window.segments.rows()[0][1] == "P1 · 0:04–0:05"
    _show(qtbot, window, "Belonging")  # a whole last turn: its start; its end is not known
    assert window.segments.rows()[0][1] == "P1 · 0:09"


def test_clicking_the_segment_plays_it_from_its_own_time(qtbot, window):
    _show(qtbot, window, "Chance")
    tree = window.segments.tree
    player = window.player.panel.player
    rect = tree.visualRect(tree.model().index(0, 1))
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: player.playbackState() == Playing and 4000 <= player.position() < 6000,
                    timeout=10000)
    assert window.segments.rows()[0][1].split(" · ")[1].startswith("0:04")  # what it shows, it plays


def test_a_document_without_times_shows_where_not_when(make_window, qtbot, tmp_path, messages, activate):
    path = _project(tmp_path)
    with Project.open(path) as p:
        doc = next(d for d in p.documents() if d.name == "Interview 2")
        p.codings.apply(doc.id, p.codebook.add("Untimed").value.id, 0, 9)
    win = _open(make_window, path, activate)
    _show(qtbot, win, "Untimed")
    assert win.segments.rows()[0][1] == ""  # no speaker, no time, no paragraph in a plain text
    win.close()
