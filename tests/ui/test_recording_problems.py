"""Attaching a recording that does not fit its transcript, from the window: one line says why and
the transcript stays usable (issue 18; the command line's side is in tests/core/test_cli_media.py)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6.QtMultimedia", reason="Qt Multimedia cannot be imported here")

from qcdesk.ui import dialogs  # noqa: E402
from tests.media_files import tone_wav  # noqa: E402
from tests.ui.test_media_player import LINES, _document, _open  # noqa: E402
from builders import empty_project

pytestmark = pytest.mark.gui


@pytest.fixture
def window(make_window, qtbot, tmp_path, messages, activate):
    path = tmp_path / "study.qcdesk"
    with empty_project(path) as p:
        p.documents.add("Interview 1", _document())  # turns at 0:00, 0:03, 0:06 and 0:09
    win = _open(make_window, path, activate)
    win.documents.select(win.project.documents()[0].id)
    qtbot.waitUntil(lambda: win.player.act_attach.isEnabled())
    yield win
    win.close()


def _attach(qtbot, window, messages, monkeypatch, path) -> None:
    """Attach ``path`` from the Document menu and wait for the worker's word on it."""
    monkeypatch.setattr(dialogs, "ask_open_path", lambda parent, title, folder, filters: str(path))
    window.player.act_attach.trigger()
    qtbot.waitUntil(lambda: any(m[0] != "info" for m in messages), timeout=30_000)


def _usable(qtbot, window) -> None:
    assert window.transcript.toPlainText().startswith(LINES[0])
    doc = window.project.documents()[0]
    code = window.project.codebook.add("Still codable").value
    window.project.codings.apply(doc.id, code.id, 0, 11)
    assert len(window.project.codings_for_document(doc.id)) == 1


def test_a_recording_shorter_than_the_transcripts_times_is_attached_with_one_line(qtbot, window, messages,
                                                                                   monkeypatch, tmp_path):
    _attach(qtbot, window, messages, monkeypatch, tone_wav(tmp_path / "short.wav", 2))
    [(kind, _title, text)] = [m for m in messages if m[0] != "info"]
    assert kind == "warning" and "lasts 0:02" in text and "0:09" in text and "\n" not in text
    assert window.project.media.for_document(window.project.documents()[0].id) is not None
    _usable(qtbot, window)


def test_a_file_that_is_no_recording_is_one_line_and_attaches_nothing(qtbot, window, messages, monkeypatch,
                                                                      tmp_path):
    bad = tmp_path / "broken.m4a"
    bad.write_bytes(b"\0\0\0\x18ftypM4A " + bytes(200))  # an MP4 header and nothing playable after it
    _attach(qtbot, window, messages, monkeypatch, bad)
    [(kind, _title, text)] = messages
    assert kind == "error" and "broken.m4a" in text and "Nothing was stored" in text and "\n" not in text
    assert window.project.media.all() == []
    _usable(qtbot, window)
