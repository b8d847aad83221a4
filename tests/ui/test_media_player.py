"""The player dock driven as a researcher drives it: a document with its recording, keys while
reading, clicks on times and segments, following the turn being said, and what goes wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

QtMultimedia = pytest.importorskip("PySide6.QtMultimedia", reason="Qt Multimedia cannot be imported here")

from builders import empty_project  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QTextCursor  # noqa: E402

from qcdesk.core.importers.base import ParsedDocument  # noqa: E402
from qcdesk.core.models import Block, SpeakerTurn  # noqa: E402
from qcdesk.ui import dialogs  # noqa: E402
from qcdesk.ui.main_window import MainWindow  # noqa: E402
from tests.media_files import tone_wav  # noqa: E402

pytestmark = pytest.mark.gui

Playing = QtMultimedia.QMediaPlayer.PlaybackState.PlayingState
#: four turns, 3 s apart, in a 14-second recording
LINES = ["Interviewer: How did you find your mentor?",
         "P1: My mentor was assigned by the school and it felt random at first.",
         "Interviewer: And later on, how was it?",
         "P1: Later we met every month and I felt I belonged there."]
SECONDS = 14


def _document(sync=()) -> ParsedDocument:
    blocks, turns, pos = [], [], 0
    for i, line in enumerate(LINES):
        end = pos + len(line)
        blocks.append(Block("paragraph", pos, end))
        turns.append(SpeakerTurn(line.split(":")[0], pos, end, float(i * 3), None))
        pos = end + 1
    return ParsedDocument(text="\n".join(LINES), source_format="txt", blocks=blocks, turns=turns,
                          sync_points=list(sync))


def turn_start(i: int) -> int:
    return sum(len(line) + 1 for line in LINES[:i])


def _project(folder: Path, *, embed: bool = True, sync=()) -> Path:
    path = folder / "study.qcdesk"
    with empty_project(path) as project:
        doc = project.documents.add("Interview 1", _document(sync))
        project.documents.add("Interview 2", ParsedDocument(text="No recording here.", source_format="txt"))
        project.media.attach(doc.id, tone_wav(folder / "interview1.wav", SECONDS), embed=embed)
        code = project.codebook.add("Belonging", color="#58d68d").value
        start = turn_start(3)
        project.codings.apply(doc.id, code.id, start, start + len(LINES[3]))
    return path


def _open(make_window, project: Path, activate) -> MainWindow:
    """``project`` open in a shown, active 1280×800 window."""
    win = make_window(project, size=(1280, 800), exposed=True)
    activate(win)
    return win


@pytest.fixture
def window(make_window, qtbot, tmp_path, messages, activate):
    win = _open(make_window, _project(tmp_path), activate)
    win.player.panel.volume.setValue(0)
    qtbot.waitUntil(lambda: win.player.panel.player.duration() > 0, timeout=15000)
    yield win
    win.close()


def press(qtbot, win, key) -> None:
    win.transcript.setFocus()
    qtbot.keyClick(win.transcript, key)


def test_opening_a_document_with_a_recording_loads_it_and_f4_plays_and_pauses(qtbot, window):
    panel = window.player.panel
    assert window.player.dock.isVisible()
    assert "interview1.wav" in panel.name_label.text()
    assert abs(panel.player.duration() - SECONDS * 1000) < 200
    with qtbot.waitSignal(panel.player.playbackStateChanged, timeout=5000):
        press(qtbot, window, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: panel.player.position() > 200, timeout=10000)
    assert panel.slider.value() > 0 and panel.time_label.text().endswith(f"/ 0:{SECONDS}")
    with qtbot.waitSignal(panel.player.playbackStateChanged, timeout=5000):
        press(qtbot, window, Qt.Key.Key_F4)
    assert panel.player.playbackState() != Playing
    assert window.transcript.document_id is not None  # reading goes on


def test_f5_and_f3_jump_five_seconds(qtbot, window):
    player = window.player.panel.player
    window.player.panel.play()
    qtbot.waitUntil(lambda: player.position() > 0, timeout=10000)
    window.player.panel.pause()
    qtbot.waitUntil(lambda: player.playbackState() != Playing, timeout=10000)
    before = player.position()
    press(qtbot, window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: player.position() >= before + 5000, timeout=10000)
    after = player.position()
    press(qtbot, window, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: player.position() <= after - 4900, timeout=10000)


def test_clicking_a_turns_time_in_the_margin_plays_from_there(qtbot, window):
    gutter = window.transcript.times
    qtbot.waitUntil(lambda: len(gutter.visible_times()) == len(LINES))
    rect, label = gutter.visible_times()[2]
    assert label == "0:06"
    player = window.player.panel.player
    qtbot.mouseClick(gutter, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: player.playbackState() == Playing and player.position() >= 6000, timeout=10000)
    assert player.position() < 8500


def test_while_playing_the_turn_being_said_is_highlighted_and_followed(qtbot, window):
    feature, view = window.player, window.transcript
    window.player.panel.play_from(3.5)
    qtbot.waitUntil(lambda: feature.current_turn() == (turn_start(1), turn_start(1) + len(LINES[1])), timeout=10000)
    [selection] = view.extraSelections()
    assert selection.cursor.selectedText() == LINES[1]
    feature.act_follow.setChecked(False)
    window.player.panel.seek(9500)
    qtbot.waitUntil(lambda: feature.current_turn() is not None and feature.current_turn()[0] == turn_start(3),
                    timeout=10000)
    assert view.extraSelections()[0].cursor.selectedText() == LINES[3]


def test_following_scrolls_the_turn_being_said_into_view(make_window, qtbot, tmp_path, messages, activate):
    """A long transcript: playing near its end brings that turn into view (and only when following)."""
    lines = [f"S{i % 2}: sentence number {i} of a long talk" for i in range(200)]
    text, turns, pos = "\n".join(lines), [], 0
    for i, line in enumerate(lines):
        turns.append(SpeakerTurn(line[:2], pos, pos + len(line), i * 0.05, None))
        pos += len(line) + 1
    path = tmp_path / "long.qcdesk"
    with empty_project(path) as project:
        doc = project.documents.add("Long", ParsedDocument(text=text, source_format="txt", turns=turns))
        project.media.attach(doc.id, tone_wav(tmp_path / "long.wav", 12), embed=True)
    win = _open(make_window, path, activate)
    panel, view = win.player.panel, win.transcript
    qtbot.waitUntil(lambda: panel.player.duration() > 0, timeout=15000)
    bar = view.verticalScrollBar()
    assert bar.value() == 0
    win.player.act_follow.setChecked(False)
    panel.play_from(9.0)  # turn 180
    qtbot.waitUntil(lambda: win.player.current_turn() is not None and win.player.current_turn()[0] >= turns[180].start,
                    timeout=10000)
    assert bar.value() == 0, "not following: the reader's place stays"
    win.player.act_follow.setChecked(True)
    qtbot.waitUntil(lambda: bar.value() > 0, timeout=10000)
    start = win.player.current_turn()[0]
    top = view.cursorForPosition(view.viewport().rect().topLeft()).position()
    bottom = view.cursorForPosition(view.viewport().rect().bottomRight()).position()
    assert top <= start <= bottom
    win.close()


def test_play_segment_plays_a_coding_from_its_start_to_its_end_and_stops(qtbot, window):
    view, player = window.transcript, window.player.panel.player
    cursor = view.textCursor()
    cursor.setPosition(turn_start(1) + 3)
    view.setTextCursor(cursor)
    cursor.setPosition(turn_start(2) - 1, QTextCursor.MoveMode.KeepAnchor)  # turn 1: 3 s to 6 s
    view.setTextCursor(cursor)
    states = []
    player.playbackStateChanged.connect(states.append)
    window.player.act_segment.trigger()
    qtbot.waitUntil(lambda: player.playbackState() == Playing and player.position() >= 3000, timeout=10000)
    qtbot.waitUntil(lambda: states[-1:] == [QtMultimedia.QMediaPlayer.PlaybackState.PausedState], timeout=10000)
    assert 5500 <= player.position() < 6700


def test_play_from_here_honours_a_subtitle_cue_inside_a_turn(make_window, qtbot, tmp_path, messages, activate, monkeypatch):
    cue = turn_start(1) + LINES[1].index("assigned")  # turn 1 runs 3 s to 6 s; interpolated, about 3.8 s
    win = _open(make_window, _project(tmp_path, sync=[(cue, 5.0)]), activate)
    panel, player = win.player.panel, win.player.panel.player
    panel.volume.setValue(0)
    qtbot.waitUntil(lambda: player.duration() > 0, timeout=15000)
    asked = []
    play_from = panel.play_from
    monkeypatch.setattr(panel, "play_from", lambda seconds: (asked.append(seconds), play_from(seconds)))
    win.transcript.select_range(cue, cue)
    win.player.act_here.trigger()
    assert asked == [5.0]
    qtbot.waitUntil(lambda: player.playbackState() == Playing and player.position() >= 5000, timeout=10000)
    win.close()


def test_clicking_a_coded_segment_plays_it(qtbot, window):
    code = next(c for c in window.project.codes() if c.name == "Belonging")
    window.codebook.select_code(code.id)
    tree = window.segments.tree
    qtbot.waitUntil(lambda: tree.model().rowCount() == 1)
    assert window.segments.rows()[0][1] == "P1 · 0:09"  # the segment's time
    rect = tree.visualRect(tree.model().index(0, 0))
    player = window.player.panel.player
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: player.playbackState() == Playing and player.position() >= 9000, timeout=10000)


def test_speed_and_volume(qtbot, window):
    panel = window.player.panel
    qtbot.keyClicks(panel.speed, "2")  # the combo box's items are "0.5×" … "2×"
    panel.speed.setCurrentIndex(panel.speed.findData(2.0))
    assert panel.player.playbackRate() == 2.0
    panel.speed.setCurrentIndex(panel.speed.findData(0.5))
    assert panel.player.playbackRate() == 0.5
    panel.volume.setValue(40)
    assert abs(panel.audio.volume() - 0.4) < 0.01


def test_without_a_sound_card_the_position_still_moves_and_the_dock_says_so(qtbot, window):
    panel = window.player.panel
    no_output = QtMultimedia.QMediaDevices.defaultAudioOutput().isNull()
    assert ("No sound output" in panel.message.text()) == no_output
    panel.play()
    qtbot.waitUntil(lambda: panel.player.position() > 300, timeout=10000)


def test_a_document_without_a_recording_disables_playing_and_offers_attaching(qtbot, window, tmp_path, monkeypatch):
    docs = {d.name: d.id for d in window.project.documents()}
    window.documents.select(docs["Interview 2"])
    qtbot.waitUntil(lambda: window.player.panel.media is None)
    assert not window.player.act_play.isEnabled() and window.player.act_attach.isEnabled()
    wav = tone_wav(tmp_path / "second.wav", 3)
    asked = []
    monkeypatch.setattr(dialogs, "ask_open_path", lambda parent, title, folder, filters: asked.append(filters) or str(wav))
    window.player.act_attach.trigger()
    assert "*.wav" in asked[0] and "*.mp4" in asked[0]
    qtbot.waitUntil(lambda: window.player.panel.media is not None and window.player.panel.player.duration() > 0,
                    timeout=15000)
    assert window.player.act_play.isEnabled() and not window.player.act_attach.isEnabled()


def test_a_missing_linked_recording_is_one_line_and_relinking_brings_it_back(make_window, qtbot, tmp_path, messages, activate,
                                                                              monkeypatch):
    path = _project(tmp_path, embed=False)
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    (tmp_path / "interview1.wav").rename(moved / "interview1.wav")
    win = _open(make_window, path, activate)
    panel = win.player.panel
    assert "is missing" in panel.message.text() and "\n" not in panel.message.text()
    assert win.transcript.toPlainText().startswith(LINES[0])  # the transcript is still usable
    assert not win.player.act_play.isEnabled() and win.player.act_relink.isEnabled()
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a: str(moved / "interview1.wav"))
    win.player.act_relink.trigger()
    qtbot.waitUntil(lambda: panel.player.duration() > 0, timeout=15000)
    assert "is missing" not in panel.message.text()
    win.close()


def test_a_recording_qt_cannot_decode_is_one_line_and_the_transcript_stays(make_window, qtbot, tmp_path, messages, activate):
    path = _project(tmp_path, embed=False)
    wav = tmp_path / "interview1.wav"
    size = wav.stat().st_size
    wav.write_bytes(b"\0" * size)  # the same size, no longer a recording
    win = _open(make_window, path, activate)
    panel = win.player.panel
    qtbot.waitUntil(lambda: "cannot be played" in panel.message.text(), timeout=15000)
    assert "The transcript is still usable" in panel.message.text()
    press(qtbot, win, Qt.Key.Key_F4)  # nothing breaks
    assert win.transcript.toPlainText().startswith(LINES[0])
    win.close()


def test_playing_past_the_recordings_end_says_so(qtbot, window):
    window.player.panel.play_from(SECONDS + 30)
    assert "past the end of the recording" in window.player.panel.message.text()


def test_the_keys_are_in_the_shortcuts_list(window):
    rows = dict(window.help.shortcut_rows())
    assert rows["Play / pause"] == "F4"
    assert rows["Back 5 seconds"] == "F3"
    assert rows["Forward 5 seconds"] == "F5"


def test_without_qt_multimedia_the_window_works_and_says_why(make_window, qtbot, tmp_path, messages, activate, monkeypatch):
    from qcdesk.ui import media_player
    monkeypatch.setattr(media_player, "load_multimedia", lambda: False)
    monkeypatch.setattr(media_player, "MULTIMEDIA_ERROR", "libpulse.so.0: cannot open shared object file")
    win = _open(make_window, _project(tmp_path), activate)
    assert "Qt Multimedia could not be loaded" in win.player.panel.message.text()
    assert not win.player.act_play.isEnabled()
    press(qtbot, win, Qt.Key.Key_F4)
    assert win.transcript.toPlainText().startswith(LINES[0])
    win.close()


def test_playing_a_passage_while_the_recording_still_opens_starts_there(make_window, qtbot, tmp_path, messages, activate):
    win = _open(make_window, _project(tmp_path), activate)
    player = win.player.panel.player
    win.player.panel.play_from(6.5)  # at once, before the player has opened the recording
    qtbot.waitUntil(lambda: player.playbackState() == Playing and player.position() >= 6500, timeout=15000)
    win.close()


def test_importing_a_transcript_with_its_recording_links_them_from_the_window(make_window, qtbot, tmp_path, messages, activate,
                                                                               monkeypatch):
    path = tmp_path / "empty.qcdesk"
    empty_project(path).close()
    win = _open(make_window, path, activate)
    (tmp_path / "in").mkdir()
    transcript = tmp_path / "in" / "interview.txt"
    transcript.write_text("Interviewer: Hello.\nP1: Hello to you.\n", encoding="utf-8")
    wav = tone_wav(tmp_path / "in" / "interview.wav", 2)
    diary = tone_wav(tmp_path / "in" / "diary 3.wav", 1)
    filters = []
    monkeypatch.setattr(dialogs, "ask_open_paths",
                        lambda parent, title, folder, f: filters.append(f) or [str(transcript), str(wav), str(diary)])
    with qtbot.waitSignal(win.imports.finished, timeout=20000):
        win.act_import.trigger()
    assert "*.wav" in filters[0].split(";;")[0] and "*.txt" in filters[0].split(";;")[0]
    docs = {d.name: d.id for d in win.project.documents()}
    assert set(docs) == {"interview", "diary 3"}
    assert win.project.media.for_document(docs["interview"]).name == "interview.wav"
    assert win.project.media.for_document(docs["diary 3"]).name == "diary 3.wav"
    win.close()


def test_a_damaged_stored_recording_is_one_line_naming_the_part_and_the_transcript_stays(qtbot, tmp_path, make_window,
                                                                                         activate):
    """A part of the stored recording goes missing (the file damaged outside qcdesk): playing up to it
    says which part, once, and reading and coding go on."""
    import sqlite3

    path = _project(tmp_path)
    db = sqlite3.connect(path)
    with db:
        db.execute("DELETE FROM media_chunks WHERE seq = 2")
    db.close()
    win = _open(make_window, path, activate)
    panel = win.player.panel
    panel.volume.setValue(0)
    qtbot.waitUntil(lambda: panel.player.duration() > 0, timeout=15000)
    panel.play_from(7.5)  # the third 64 KiB part starts at about 8.2 s
    qtbot.waitUntil(lambda: "cannot be played" in panel.message.text(), timeout=20000)
    text = panel.message.text()
    assert "damaged (part 3 is missing or cut short)" in text and "\n" not in text, text
    assert "The transcript is still usable" in text
    assert win.transcript.toPlainText().startswith(LINES[0])
    win.close()


def test_a_computer_that_refuses_the_players_loopback_address_is_one_line(make_window, qtbot, tmp_path, messages,
                                                                          activate, monkeypatch):
    """A security product or an app sandbox may refuse listening even on the loopback interface: a
    stored recording then cannot be played, the dock says why, and the window goes on."""
    import errno

    from qcdesk.ui import media_stream

    closed = []

    def refuse(self, reader, name):
        reader.close = lambda: closed.append(True)
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(media_stream.RecordingServer, "publish", refuse)
    win = _open(make_window, _project(tmp_path), activate)
    text = win.player.panel.message.text()
    assert "cannot be played" in text and "Permission denied" in text, text
    assert closed, "the recording's reader was left open"
    assert not win.player.act_play.isEnabled()
    assert win.transcript.toPlainText().startswith(LINES[0])
    win.close()
