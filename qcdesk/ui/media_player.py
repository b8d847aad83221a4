"""The player dock's widget: play/pause, position with time, speed, volume, and one line that says
what is wrong (a missing or damaged recording, a codec Qt lacks) while the transcript stays usable.

It plays one recording at a time: an embedded one streams from the project through
:mod:`qcdesk.ui.media_stream`, a linked one plays from its file. ``play_range`` plays a stretch and
stops at its end (a coded segment).
"""

from __future__ import annotations

from PySide6.QtCore import Q_ARG, QMetaObject, QSignalBlocker, Qt, QUrl, Signal
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QSlider, QStyle, QToolButton, QVBoxLayout,
                               QWidget)

from qcdesk.core.errors import QcdeskError
from qcdesk.core.media import MediaInfo, format_duration

#: Qt Multimedia's classes, loaded when a recording is first opened: a session without recordings
#: does not load it (it brings QtNetwork, and the sound system's client, which talks to the
#: computer's sound server over a local socket)
QAudioOutput = QMediaDevices = QMediaPlayer = None
MULTIMEDIA_ERROR: str | None = None


def load_multimedia() -> bool:
    """Import Qt Multimedia (once); False, with MULTIMEDIA_ERROR set, when it cannot be loaded
    (e.g. libpulse.so.0 missing): the window works on, without a player."""
    global QAudioOutput, QMediaDevices, QMediaPlayer, MULTIMEDIA_ERROR
    if QMediaPlayer is None and MULTIMEDIA_ERROR is None:
        try:
            from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer
        except ImportError as exc:
            MULTIMEDIA_ERROR = str(exc)
    return QMediaPlayer is not None

SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
SKIP_MS = 5000


def clock(ms: int) -> str:
    return format_duration(max(0, int(ms)))


class PlayerPanel(QWidget):
    """Plays a project's recording; emits ``positionChanged(ms)`` while it does."""

    positionChanged = Signal(int)
    playingChanged = Signal(bool)
    #: a recording was loaded or unloaded (``media`` says which)
    mediaChanged = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mediaPlayer")
        self.project = None
        self.media: MediaInfo | None = None
        self._stream = None
        self._stop_at: int | None = None
        self._pending_seek: int | None = None
        self.player = self.audio = None
        self.play_button = QToolButton()
        self.play_button.setObjectName("mediaPlay")
        self.play_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPlay))
        self.play_button.setToolTip("Play / pause")
        self.play_button.clicked.connect(self.toggle)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("mediaPosition")
        self.slider.setRange(0, 0)
        self.slider.sliderMoved.connect(self.seek)
        self.slider.sliderReleased.connect(lambda: self.seek(self.slider.value()))
        self.slider.setAccessibleName("Position in the recording")
        self.time_label = QLabel("0:00 / 0:00")
        self.time_label.setObjectName("mediaTime")
        self.speed = QComboBox()
        self.speed.setObjectName("mediaSpeed")
        self.speed.setToolTip("Playback speed")
        for speed in SPEEDS:
            self.speed.addItem(f"{speed:g}×", speed)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.currentIndexChanged.connect(lambda _i: self.set_speed(self.speed.currentData()))
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setObjectName("mediaVolume")
        self.volume.setRange(0, 100)
        self.volume.setValue(80)
        self.volume.setMaximumWidth(100)
        self.volume.setToolTip("Volume")
        self.volume.setAccessibleName("Volume")
        self.volume.valueChanged.connect(self._set_volume)
        self.name_label = QLabel()
        self.name_label.setObjectName("mediaName")
        self.message = QLabel()
        self.message.setObjectName("mediaMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.addWidget(self.play_button)
        row.addWidget(self.slider, 1)
        row.addWidget(self.time_label)
        row.addWidget(QLabel("Speed"))
        row.addWidget(self.speed)
        row.addWidget(QLabel("Volume"))
        row.addWidget(self.volume)
        #: under the controls, features add their widgets (the waveform, the time-range buttons);
        #: ``info_row`` ends with the recording's name; ``side`` is beside them all (the time-range list),
        #: so the dock stays low and leaves the transcript its height
        self.info_row = QHBoxLayout()
        self.info_row.addStretch(1)
        self.info_row.addWidget(self.name_label)
        self.column = QVBoxLayout()
        self.column.addLayout(row)
        self.column.addLayout(self.info_row)
        self.side = QHBoxLayout()
        self.side.addLayout(self.column, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(self.side)
        layout.addWidget(self.message)
        #: what the message line says when nothing else is wrong
        self._standing_message = ""
        self._set_controls_enabled(False)

    def _make_player(self) -> bool:
        """The player and its sound output, made with the first recording; False without Qt Multimedia."""
        if self.player is not None:
            return True
        if not load_multimedia():
            self._standing_message = ("Recordings cannot be played here: Qt Multimedia could not be loaded "
                                      f"({MULTIMEDIA_ERROR}).")
            self.say("")
            return False
        self.player = QMediaPlayer(self)
        self.audio = QAudioOutput(self)
        self.player.setAudioOutput(self.audio)
        self._set_volume(self.volume.value())
        self.player.positionChanged.connect(self._position_changed)
        self.player.durationChanged.connect(self._duration_changed)
        self.player.playbackStateChanged.connect(self._state_changed)
        self.player.errorOccurred.connect(self._error)
        self.player.mediaStatusChanged.connect(self._status_changed)
        return True

    # ------------------------------------------------------------ loading
    def say(self, text: str) -> None:
        """One line under the controls (a problem, or nothing)."""
        text = text or self._standing_message
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _set_controls_enabled(self, on: bool) -> None:
        for widget in (self.play_button, self.slider, self.speed, self.volume):
            widget.setEnabled(on and self.player is not None)

    def has_media(self) -> bool:
        return self.media is not None and self.player is not None and self._loaded

    def load(self, project, media: MediaInfo | None) -> None:
        """Show ``media`` of ``project`` (None: nothing to play)."""
        try:
            self._load(project, media)
        finally:
            self.mediaChanged.emit()

    def _load(self, project, media: MediaInfo | None) -> None:
        self._unload()
        self.project, self.media = project, media
        if media is None:
            self.name_label.setText("This document has no recording (Document ▸ Attach recording…).")
            return
        self.name_label.setText(f"{media.name} · {media.kind} · {format_duration(media.duration_ms)}")
        if not self._make_player():
            return
        try:
            self.player.setSource(QUrl())  # the old recording's threads end here, not in the next call
            if media.embedded:
                from qcdesk.ui.media_stream import recording_server
                reader = project.media.open(media.id, own_connection=True)
                try:
                    self._stream = recording_server().publish(reader, media.name)
                except OSError as exc:  # listening refused, even on the loopback (a sandbox, a security product)
                    reader.close()
                    self.say(f"{media.name} cannot be played: the player could not be given its address on "
                             f"this computer ({exc.strerror or exc}). The transcript is still usable.")
                    return
                self.player.setSource(QUrl(self._stream.url))
            else:
                path = project.media.local_path(media.id)
                if path is None:
                    self.say(project.media.missing_message(media.id))
                    return
                self.player.setSource(QUrl.fromLocalFile(str(path)))
        except QcdeskError as exc:
            self.say(str(exc))
            return
        self._loaded = True
        self._set_controls_enabled(True)
        if QMediaDevices.defaultAudioOutput().isNull():
            self.say("No sound output was found on this computer: the recording plays silently (the "
                     "position still moves and follows the transcript).")

    def unload(self) -> None:
        self._unload()
        self.mediaChanged.emit()

    def _unload(self) -> None:
        self._loaded = False
        self._stop_at = None
        self._pending_seek = None
        if self.player is not None:
            self.player.setSource(QUrl())  # stops too; the one call of these that lets go of Python's lock
        if self._stream is not None:
            from qcdesk.ui.media_stream import recording_server
            recording_server().withdraw(self._stream)  # after the player let go: nothing reads it now
            self._stream = None
        self.media = None
        self.say("")
        self.slider.setRange(0, 0)
        self.time_label.setText("0:00 / 0:00")
        self.name_label.setText("")
        self._set_controls_enabled(False)

    _loaded = False

    # ------------------------------------------------------------ playing
    def _call(self, name: str, *args) -> None:
        """Call a QMediaPlayer slot from the event loop, without Python's lock held.

        play(), pause(), stop() and setPosition() wait for the player's threads, and those may be
        waiting for Python's lock (to ask whether Python overrides a virtual method of an object it
        made): called straight from Python, which holds that lock, the window would hang.
        """
        QMetaObject.invokeMethod(self.player, name, Qt.ConnectionType.QueuedConnection, *args)

    def is_playing(self) -> bool:
        return self.player is not None and \
            self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def toggle(self) -> None:
        if not self.has_media():
            return
        if self.is_playing():
            self._call("pause")
        else:
            self._stop_at = None
            self._call("play")

    def play(self) -> None:
        if self.has_media():
            self._call("play")

    def pause(self) -> None:
        if self.has_media():
            self._call("pause")

    def seek(self, ms: int) -> None:
        if not self.has_media():
            return
        if self.player.mediaStatus() in (QMediaPlayer.MediaStatus.NoMedia, QMediaPlayer.MediaStatus.LoadingMedia):
            self._pending_seek = max(0, int(ms))  # a player still opening the recording ignores seeks
            return
        self._call("setPosition", Q_ARG("qint64", max(0, int(ms))))

    def skip(self, delta_ms: int) -> None:
        if self.has_media():
            end = self.player.duration() or (self.media.duration_ms or 0)
            self.seek(min(self.player.position() + delta_ms, end or 1 << 62))

    def play_from(self, seconds: float) -> None:
        self.play_range(seconds, None)

    def play_range(self, start_s: float, end_s: float | None) -> None:
        """Play from ``start_s``; with ``end_s``, pause there (a coded segment)."""
        if not self.has_media():
            return
        duration = self.media.duration_ms
        start_ms = int(round(start_s * 1000))
        if duration is not None and start_ms > duration:
            self.say(f"{clock(start_ms)} is past the end of the recording ({clock(duration)}): "
                     "it may be the wrong recording or cut short.")
            return
        self._stop_at = None if end_s is None else int(round(end_s * 1000))
        self.seek(start_ms)
        self._call("play")

    def set_speed(self, speed: float) -> None:
        if self.player is not None:
            self.player.setPlaybackRate(float(speed))
        index = self.speed.findData(speed)
        if index >= 0 and index != self.speed.currentIndex():
            with QSignalBlocker(self.speed):
                self.speed.setCurrentIndex(index)

    def _set_volume(self, value: int) -> None:
        if self.audio is not None:
            self.audio.setVolume(value / 100)

    # ------------------------------------------------------------ following the player
    def _position_changed(self, ms: int) -> None:
        if not self.slider.isSliderDown():
            with QSignalBlocker(self.slider):
                self.slider.setValue(ms)
        self.time_label.setText(f"{clock(ms)} / {clock(self.player.duration())}")
        if self._stop_at is not None and ms >= self._stop_at:
            self._stop_at = None
            self._call("pause")
        self.positionChanged.emit(ms)

    def _duration_changed(self, ms: int) -> None:
        self.slider.setRange(0, max(0, ms))
        self.time_label.setText(f"{clock(self.player.position())} / {clock(ms)}")

    def _state_changed(self, state) -> None:
        playing = state == QMediaPlayer.PlaybackState.PlayingState
        icon = QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        self.play_button.setIcon(self.style().standardIcon(icon))
        self.playingChanged.emit(playing)

    def _error(self, _error, text: str) -> None:
        name = self.media.name if self.media else "the recording"
        why = self._stream.failure if self._stream is not None and self._stream.failure else text
        self.say(f"{name} cannot be played: {why or 'unknown error'}. The transcript is still usable.")

    def _status_changed(self, status) -> None:
        if self._pending_seek is not None and status in (QMediaPlayer.MediaStatus.LoadedMedia,
                                                         QMediaPlayer.MediaStatus.BufferedMedia):
            ms, self._pending_seek = self._pending_seek, None
            self._call("setPosition", Q_ARG("qint64", ms))
        if status == QMediaPlayer.MediaStatus.InvalidMedia and not self.message.text():
            self._error(None, self.player.errorString() or "the file is damaged or its format is not supported")
        elif status == QMediaPlayer.MediaStatus.EndOfMedia and self._stream is not None and self._stream.failure:
            self._error(None, self._stream.failure)
