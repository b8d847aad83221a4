"""The QIODevice over a media reader: real QMediaPlayer playback from it, without a temporary file."""

from __future__ import annotations

import pytest

QtMultimedia = pytest.importorskip("PySide6.QtMultimedia", reason="Qt Multimedia cannot be imported here")

from PySide6.QtCore import Q_ARG, QMetaObject, Qt, QUrl  # noqa: E402

from qcdesk.ui.media_device import open_device  # noqa: E402
from tests.media_files import FileReader, tone_wav  # noqa: E402

pytestmark = pytest.mark.gui


def call(player, name, *args):
    """A player slot run from the event loop, as the player dock runs them: play() and
    setPosition() wait for the player's threads, which may wait for Python's lock."""
    QMetaObject.invokeMethod(player, name, Qt.ConnectionType.QueuedConnection, *args)


@pytest.fixture
def player(qtbot):
    player = QtMultimedia.QMediaPlayer()
    audio = QtMultimedia.QAudioOutput()
    audio.setVolume(0.0)
    player.setAudioOutput(audio)
    yield player
    player.setSource(QUrl())


def test_a_recording_streams_from_the_reader_and_plays(qtbot, tmp_path, player):
    wav = tone_wav(tmp_path / "tone.wav", 4)
    reader = FileReader(wav)
    device = open_device(reader, player)
    player.setSourceDevice(device, QUrl("tone.wav"))
    qtbot.waitUntil(lambda: player.duration() > 0, timeout=10000)
    assert abs(player.duration() - 4000) < 100
    with qtbot.waitSignal(player.playbackStateChanged, timeout=5000):
        call(player, "play")
    qtbot.waitUntil(lambda: player.position() > 300, timeout=10000)
    assert reader.bytes_read > 0
    assert reader.largest_read < wav.stat().st_size, "Qt reads in chunks, never the whole file at once"


def test_seeking_through_the_reader(qtbot, tmp_path, player):
    wav = tone_wav(tmp_path / "tone.wav", 6)
    player.setSourceDevice(open_device(FileReader(wav), player), QUrl("tone.wav"))
    qtbot.waitUntil(lambda: player.duration() > 0, timeout=10000)
    call(player, "play")
    qtbot.waitUntil(lambda: player.position() > 0, timeout=10000)
    call(player, "setPosition", Q_ARG("qint64", 4000))
    qtbot.waitUntil(lambda: player.position() >= 4000, timeout=10000)
    call(player, "setPosition", Q_ARG("qint64", 1000))
    qtbot.waitUntil(lambda: 1000 <= player.position() < 3000, timeout=10000)


def test_a_reader_that_fails_is_a_player_error_not_a_crash(qtbot, tmp_path, player):
    wav = tone_wav(tmp_path / "tone.wav", 2)

    failing = FileReader(wav)
    failing.read = lambda n: (_ for _ in ()).throw(OSError("the recording could not be decrypted"))
    errors = []
    player.errorOccurred.connect(lambda error, text: errors.append(text))
    device = open_device(failing, player)
    player.setSourceDevice(device, QUrl("tone.wav"))
    qtbot.waitUntil(lambda: bool(errors) or player.mediaStatus() == QtMultimedia.QMediaPlayer.MediaStatus.InvalidMedia,
                    timeout=10000)
    assert device.failure == "the recording could not be decrypted"


def test_closing_the_device_closes_the_reader(tmp_path):
    reader = FileReader(tone_wav(tmp_path / "tone.wav", 1))
    device = open_device(reader)
    assert device.size() == reader.size and device.read(4) == b"RIFF"
    assert device.seek(8) and device.read(4) == b"WAVE"
    device.close()
    device._worker.shutdown(wait=True)
    assert reader.closed


def test_an_embedded_recording_of_an_encrypted_project_plays_and_seeks(qtbot, tmp_path, player):
    """Qt reads from threads of its own: the reader's connection is made and used on one worker."""
    from qcdesk.core.importers.base import ParsedDocument
    from qcdesk.core.project import Project

    project = Project.create(tmp_path / "secret.qcdesk", passphrase="correct horse")
    try:
        doc = project.documents.add("Interview", ParsedDocument(text="P1: hello", source_format="txt"))
        info = project.media.attach(doc.id, tone_wav(tmp_path / "tone.wav", 5), embed=True)
        (tmp_path / "tone.wav").unlink()  # nothing outside the project
        device = open_device(project.media.open(info.id, own_connection=True), player)
        player.setSourceDevice(device, QUrl("tone.wav"))
        qtbot.waitUntil(lambda: player.duration() > 0, timeout=15000)
        call(player, "play")
        call(player, "setPosition", Q_ARG("qint64", 3000))
        qtbot.waitUntil(lambda: player.position() >= 3000, timeout=15000)
        assert device.failure is None
        player.setSource(QUrl())
        device.close()
    finally:
        project.close()
