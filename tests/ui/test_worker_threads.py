"""Closing the window while a worker thread runs (reading a waveform, writing a report, attaching a
recording) ends at once, without freezing.

A worker's ``finished`` is connected to its thread's ``quit``; the thread object lives in the main
thread, so that call is queued to the main thread's event loop. The window used to wait for the
thread there, blocking that loop: the thread's event loop never heard ``quit`` and the window froze
for the whole timeout of the wait (30 s, 60 s for an attach).
"""

from __future__ import annotations

import threading
import time

import pytest

QtMultimedia = pytest.importorskip("PySide6.QtMultimedia", reason="Qt Multimedia cannot be imported here")

from PySide6.QtCore import QElapsedTimer  # noqa: E402
from test_media_player import _open, _project  # noqa: E402

from qcdesk.core import media as core_media  # noqa: E402
from qcdesk.core import peaks as core_peaks  # noqa: E402
from qcdesk.core import reports  # noqa: E402
from qcdesk.ui import waveform  # noqa: E402
from tests.media_files import tone_wav  # noqa: E402

pytestmark = pytest.mark.gui

#: far below the old freeze (30 s), far above a close on a busy machine (well under a second)
CLOSE_MS = 10_000
#: a stand-in worker that is never told to stop gives up after this long (the test then fails)
WORKER_LIMIT_S = 60


def closing_time(win) -> int:
    """Milliseconds ``win.close()`` takes."""
    timer = QElapsedTimer()
    timer.start()
    win.close()
    return timer.elapsed()


def until(stop, started: threading.Event) -> None:
    """The body of a stand-in worker: runs until ``stop()`` says so."""
    started.set()
    ends = time.monotonic() + WORKER_LIMIT_S
    while not stop() and time.monotonic() < ends:
        time.sleep(0.005)


def test_closing_while_the_waveform_is_read_does_not_freeze(make_window, qtbot, tmp_path, messages, activate, monkeypatch):
    started = threading.Event()

    def slow_peaks(reader, path, cancelled):
        until(cancelled, started)
        raise core_peaks.PeaksCancelled

    monkeypatch.setattr(waveform, "_CACHE", {})
    monkeypatch.setattr(core_peaks, "peaks", slow_peaks)
    win = _open(make_window, _project(tmp_path), activate)
    wave = win.time_ranges.wave
    qtbot.waitUntil(started.is_set, timeout=15000)
    assert wave.busy()
    assert closing_time(win) < CLOSE_MS
    assert not wave.busy()


def test_closing_while_a_report_is_written_does_not_freeze(make_window, qtbot, tmp_path, messages, activate, monkeypatch):
    started, go_on = threading.Event(), threading.Event()

    def slow_report(project, kind, out, options, **kwargs):
        until(go_on.is_set, started)
        out.write_bytes(b"report")
        return out

    monkeypatch.setattr(reports, "write_report", slow_report)
    win = _open(make_window, _project(tmp_path), activate)
    win.exports.start("codebook", tmp_path / "report.docx")
    qtbot.waitUntil(started.is_set, timeout=15000)
    threading.Timer(0.2, go_on.set).start()  # the report is done just after closing begins
    assert closing_time(win) < CLOSE_MS
    assert (tmp_path / "report.docx").read_bytes() == b"report"
    assert messages.count(("confirm", "Quit", "An import or export is still running. Stop it and quit?")) == 1


def test_closing_while_a_recording_is_attached_does_not_freeze(make_window, qtbot, tmp_path, messages, activate, monkeypatch):
    started = threading.Event()

    def slow_attach(self, document_id, path, *, embed=True, progress=None):
        until(lambda: not progress(0, 1), started)
        raise core_media.MediaCancelled("cancelled; nothing was stored.")

    made = _project(tmp_path)
    monkeypatch.setattr(core_media.MediaService, "attach", slow_attach)
    win = _open(make_window, made, activate)
    other = next(d.id for d in win.project.documents() if d.name == "Interview 2")
    assert win.player.attacher.start(other, tone_wav(tmp_path / "other.wav", 1))
    qtbot.waitUntil(started.is_set, timeout=15000)
    thread = win.player.attacher.thread
    assert closing_time(win) < CLOSE_MS
    assert thread.isFinished()
