"""Attaching and detaching a recording from the window: the attach runs in a worker with a progress
bar and Cancel (a cancelled attach stores nothing); Detach asks first, naming the file."""

from __future__ import annotations

import threading

import pytest

QtMultimedia = pytest.importorskip("PySide6.QtMultimedia", reason="Qt Multimedia cannot be imported here")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QPushButton  # noqa: E402
from test_media_player import _open, _project  # noqa: E402

from qcdesk.core.media import CHUNK_SIZE  # noqa: E402
from qcdesk.ui import dialogs  # noqa: E402
from qcdesk.ui.media_attach import AttachJob  # noqa: E402
from tests.media_files import tone_wav  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def window(make_window, qtbot, tmp_path, messages, activate):
    win = _open(make_window, _project(tmp_path), activate)
    win.player.panel.volume.setValue(0)
    yield win
    win.player.attacher.wait()
    win.close()


def ids(win) -> dict[str, int]:
    return {d.name: d.id for d in win.project.documents()}


def stored(win) -> tuple[int, int]:
    """(recordings, stored chunks) in the file."""
    db = win.project.db
    return (db.execute("SELECT count(*) FROM media").fetchone()[0],
            db.execute("SELECT count(*) FROM media_chunks").fetchone()[0])


def _ask_for(monkeypatch, path) -> None:
    monkeypatch.setattr(dialogs, "ask_open_path", lambda *a: str(path))


def test_attaching_shows_progress_up_to_100_percent_then_plays(qtbot, window, tmp_path, monkeypatch):
    doc = ids(window)["Interview 2"]
    window.documents.select(doc)
    qtbot.waitUntil(lambda: window.transcript.document_id == doc and window.player.panel.media is None)
    wav = tone_wav(tmp_path / "second.wav", 150)  # 2.4 MB: many chunks of the store
    _ask_for(monkeypatch, wav)
    flow, percents = window.player.attacher, []
    flow.percent.connect(percents.append)
    with qtbot.waitSignal(flow.finished, timeout=30000) as finished:
        window.player.act_attach.trigger()
        assert not window.player.act_attach.isEnabled()  # one attach at a time
    assert finished.args == [True]
    # one step per whole percent reached, rising to 100 (the store writes the file in pieces)
    chunks = -(-wav.stat().st_size // CHUNK_SIZE)
    assert percents == sorted(set(percents)) and percents[-1] == 100 and 2 <= len(percents) <= chunks
    info = window.project.media.for_document(doc)
    assert info is not None and info.name == "second.wav" and info.size == wav.stat().st_size
    qtbot.waitUntil(lambda: window.player.panel.media == info and window.player.panel.player.duration() > 0,
                    timeout=15000)
    assert "Attached second.wav" in window.statusBar().currentMessage()


def test_cancel_stores_nothing(qtbot, window, tmp_path, monkeypatch):
    doc = ids(window)["Interview 2"]
    window.documents.select(doc)
    qtbot.waitUntil(lambda: window.transcript.document_id == doc)
    before = stored(window)
    wav = tone_wav(tmp_path / "long.wav", 300)  # 4.8 MB: many chunks
    _ask_for(monkeypatch, wav)
    # the worker waits after its first chunk until the hand is on Cancel (no race with a fast disk)
    pressed, tick = threading.Event(), AttachJob.tick
    monkeypatch.setattr(AttachJob, "tick", lambda self, done, total: tick(self, done, total) if pressed.wait(10)
                        else False)
    flow = window.player.attacher
    with qtbot.waitSignal(flow.finished, timeout=30000) as finished:
        window.player.act_attach.trigger()
        qtbot.waitUntil(lambda: flow.progress is not None and flow.progress.isVisible(), timeout=5000)
        cancel = flow.progress.findChild(QPushButton)
        assert cancel.text() == "Cancel"
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
        pressed.set()
    assert finished.args == [False]
    assert window.project.media.for_document(doc) is None
    assert stored(window) == before
    assert "cancelled; nothing was stored" in window.statusBar().currentMessage()
    assert window.player.act_attach.isEnabled()


def test_a_file_that_is_not_a_recording_is_one_line_and_stores_nothing(qtbot, window, tmp_path, monkeypatch,
                                                                         messages):
    doc = ids(window)["Interview 2"]
    window.documents.select(doc)
    qtbot.waitUntil(lambda: window.transcript.document_id == doc)
    before = stored(window)
    bad = tmp_path / "notes.wav"
    bad.write_bytes(b"RIFF\0\0\0\0WAVEjunk" * 10)
    _ask_for(monkeypatch, bad)
    with qtbot.waitSignal(window.player.attacher.finished, timeout=30000):
        window.player.act_attach.trigger()
    [(kind, title, text)] = [m for m in messages if m[1] == "Attach recording"]
    assert kind == "error" and "notes.wav" in text and "\n" not in text
    assert stored(window) == before


def test_detach_asks_naming_the_file_says_it_cannot_be_undone_then_removes_it(qtbot, window, messages):
    doc = ids(window)["Interview 1"]
    qtbot.waitUntil(lambda: window.player.panel.media is not None and window.player.act_detach.isEnabled())
    code = next(c.id for c in window.project.codes() if c.name == "Belonging")
    window.project.time_codings.add(doc, code, 1000, 2000)
    steps = window.undo_stack.count()
    window.player.act_detach.trigger()
    [(kind, title, text)] = [m for m in messages if m[1] == "Detach recording"]
    assert kind == "confirm" and "interview1.wav" in text and "“Interview 1”" in text
    assert "cannot be undone" in text and "1 coded time range stays" in text
    assert window.project.media.for_document(doc) is None and stored(window) == (0, 0)
    assert window.undo_stack.count() == steps  # no undo step that could not bring it back
    assert window.project.document(doc).name == "Interview 1"  # the transcript stays
    qtbot.waitUntil(lambda: window.player.panel.media is None)
    assert window.player.act_attach.isEnabled() and not window.player.act_detach.isEnabled()
    assert "has no recording" in window.player.panel.name_label.text()
    assert window.time_ranges.wave.peaks is None and window.time_ranges.wave.isHidden()


def test_answering_no_keeps_the_recording(qtbot, window, monkeypatch):
    doc = ids(window)["Interview 1"]
    qtbot.waitUntil(lambda: window.player.act_detach.isEnabled())
    before = stored(window)
    asked = []
    monkeypatch.setattr(dialogs, "confirm", lambda parent, title, text: asked.append(text) or False)
    window.player.act_detach.trigger()
    assert asked and window.project.media.for_document(doc) is not None and stored(window) == before
    assert window.player.panel.media is not None


def test_detach_is_in_the_document_menu_and_off_without_a_recording(qtbot, window):
    assert window.player.act_detach in window.player.menu.actions()
    window.documents.select(ids(window)["Interview 2"])
    qtbot.waitUntil(lambda: window.player.panel.media is None)
    assert not window.player.act_detach.isEnabled()
