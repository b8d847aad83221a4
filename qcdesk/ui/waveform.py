"""The recording's timeline in the Recording dock: its amplitude envelope, the play position, the
document's time codings as bands in their codes' colours, and the marked range.

Dragging across it marks a range (Mark in / Mark out, then **Code time range**, F9); a click
seeks the player there. The envelope (:mod:`qcdesk.core.peaks`) is computed in a worker thread
from the recording's own stream (never the whole file in memory) and kept in memory for the rest
of the session, per recording. Everything is painted from the widget's size.
"""

from __future__ import annotations

import threading
from array import array

from PySide6.QtCore import QObject, QRect, QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from qcdesk.core import peaks as core_peaks
from qcdesk.core.errors import QcdeskError
from qcdesk.core.media import MediaInfo
from qcdesk.ui.workers import end_thread, start_in_thread

#: (project file, media id, sha256) -> peaks, for the session
_CACHE: dict[tuple[str, int, str], array] = {}
POSITION_COLOUR = QColor("#d0342c")


def cache_key(project, media: MediaInfo) -> tuple[str, int, str]:
    return str(project.path), media.id, media.sha256


class PeaksJob(QObject):
    """Computes one recording's peaks from a reader (opened on the main thread; an embedded one
    makes its own connection in this job's thread on its first read)."""

    done = Signal(object, object)  # cache key, array
    failed = Signal(object, str)  # cache key, why (one line)
    finished = Signal()

    def __init__(self, key, reader, path):
        super().__init__()
        self.key, self.reader, self.path = key, reader, path
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        try:
            found = core_peaks.peaks(self.reader, self.path, self._cancel.is_set)
            self.done.emit(self.key, found)
        except core_peaks.PeaksCancelled:
            pass
        except core_peaks.NoPeaks as exc:
            self.failed.emit(self.key, str(exc))
        except Exception as exc:  # noqa: BLE001 - a damaged recording: the timeline stays, without envelope
            self.failed.emit(self.key, f"the recording could not be read ({exc})")
        finally:
            try:
                self.reader.close()
            except Exception:  # noqa: BLE001 - closing must not hide the result
                pass
        self.finished.emit()


class WaveformView(QWidget):
    """Envelope, time codings, marked range and play position of one recording."""

    seekRequested = Signal(int)  # ms
    rangeSelected = Signal(int, int)  # start ms, end ms

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("waveform")
        self.setAccessibleName("Recording timeline")
        self.setToolTip("Click to play from there; drag to mark a time range (then Code time range, F9)")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(False)
        self.duration_ms = 0
        self.position_ms = 0
        self.peaks: array | None = None
        self.note = ""  # why there is no envelope, when there is none
        self.bands: list[tuple[int, int, QColor]] = []
        self.selection: tuple[int, int] | None = None
        self._press_x: int | None = None
        self._dragging = False
        #: (job, thread) of the envelopes being read: a job is held until its thread has ended
        self._running: list[tuple[PeaksJob, object]] = []
        self._key = None

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(200, self.fontMetrics().height() * 3)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()

    # ------------------------------------------------------------ what is shown
    def set_duration(self, ms: int | None) -> None:
        self.duration_ms = max(0, int(ms or 0))
        self.update()

    def set_position(self, ms: int) -> None:
        if self.duration_ms:
            old, self.position_ms = self.x_at(self.position_ms), int(ms)
            new = self.x_at(self.position_ms)
            if new != old:
                self.update(QRect(min(old, new) - 2, 0, abs(new - old) + 5, self.height()))
        else:
            self.position_ms = int(ms)

    def set_bands(self, bands: list[tuple[int, int, QColor]]) -> None:
        self.bands = list(bands)
        self.update()

    def set_selection(self, selection: tuple[int, int] | None) -> None:
        self.selection = selection
        self.update()

    # ------------------------------------------------------------ the envelope
    def load(self, project, media: MediaInfo | None) -> None:
        """Show ``media``'s envelope: from the cache, else computed in a worker."""
        self._stop_job()
        self.peaks, self.note, self._key = None, "", None
        self.selection = None
        self.set_duration(media.duration_ms if media is not None else 0)
        if media is None or project is None:
            return
        self._key = key = cache_key(project, media)
        if key in _CACHE:
            self.peaks = _CACHE[key]
            self.update()
            return
        try:
            reader = project.media.open(media.id, own_connection=True)
            path = None if media.embedded else project.media.local_path(media.id)
        except QcdeskError as exc:
            self.note = str(exc).split(".")[0]
            return
        self.note = "Reading the waveform…"
        job = PeaksJob(key, reader, path)
        job.done.connect(self._peaks_done)
        job.failed.connect(self._peaks_failed)
        self._running.append((job, start_in_thread(job, self, self._job_finished)))

    def busy(self) -> bool:
        return bool(self._running)

    def _stop_job(self) -> None:
        for job, _thread in self._running:
            job.cancel()

    def stop(self) -> None:
        """Cancel the envelopes being read and wait for their threads (the project is closing:
        their readers' connections must be gone first)."""
        self._stop_job()
        for _job, thread in list(self._running):
            end_thread(thread, 30000)
        self._job_finished()

    def _job_finished(self) -> None:
        """Let go of the jobs whose threads have ended (each is held until then)."""
        def ended(thread) -> bool:
            try:
                return thread.isFinished()
            except RuntimeError:  # deleted: it had finished
                return True
        self._running = [(job, thread) for job, thread in self._running if not ended(thread)]

    def _peaks_done(self, key, found: array) -> None:
        _CACHE[key] = found
        if key == self._key:
            self.peaks, self.note = found, ""
            self.update()

    def _peaks_failed(self, key, why: str) -> None:
        if key == self._key:
            self.note = f"No waveform: {why}."
            self.update()

    # ------------------------------------------------------------ geometry
    def x_at(self, ms: int) -> int:
        if not self.duration_ms:
            return 0
        return int(round(min(max(ms, 0), self.duration_ms) / self.duration_ms * self.width()))

    def ms_at(self, x: int) -> int:
        if self.width() <= 0:
            return 0
        return int(round(min(max(x, 0), self.width()) / self.width() * self.duration_ms))

    # ------------------------------------------------------------ painting
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        palette = self.palette()
        rect = self.rect()
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.Base))
        w, h = rect.width(), rect.height()
        mid = h // 2
        for start, end, colour in self.bands:
            x0, x1 = self.x_at(start), max(self.x_at(start) + 1, self.x_at(end))
            fill = QColor(colour)
            fill.setAlpha(70)
            painter.fillRect(QRect(x0, 0, x1 - x0, h), fill)
            painter.fillRect(QRect(x0, h - 4, x1 - x0, 4), colour)
        if self.selection is not None and self.duration_ms:
            x0, x1 = sorted((self.x_at(self.selection[0]), self.x_at(self.selection[1])))
            fill = QColor(palette.color(QPalette.ColorRole.Highlight))
            fill.setAlpha(90)
            painter.fillRect(QRect(x0, 0, max(1, x1 - x0), h), fill)
        ink = palette.color(QPalette.ColorRole.Text)
        if self.peaks is not None and len(self.peaks) and self.duration_ms and w > 0:
            painter.setPen(QPen(ink, 1))
            n = len(self.peaks)
            span = self.duration_ms / core_peaks.PEAK_MS
            first, last = max(0, event.rect().left()), min(w, event.rect().right() + 1)
            for x in range(first, last):
                i0 = int(x / w * span)
                i1 = max(i0 + 1, int((x + 1) / w * span))
                if i0 >= n:
                    break
                amp = max(self.peaks[i0:min(i1, n)]) / 32767
                half = max(0, int(amp * (mid - 2)))
                painter.drawLine(x, mid - half, x, mid + half)
        else:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
            painter.drawLine(0, mid, w, mid)
            if self.note:
                painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
                painter.drawText(rect.adjusted(4, 0, -4, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                                 self.note)
        if self.duration_ms:
            x = self.x_at(self.position_ms)
            painter.setPen(QPen(POSITION_COLOUR, 2))
            painter.drawLine(x, 0, x, h)
        painter.end()

    # ------------------------------------------------------------ the mouse
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self.duration_ms:
            self._press_x, self._dragging = event.position().toPoint().x(), False
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._press_x is None:
            return super().mouseMoveEvent(event)
        x = event.position().toPoint().x()
        if not self._dragging and abs(x - self._press_x) >= QApplication.startDragDistance():
            self._dragging = True
        if self._dragging:
            self.set_selection(tuple(sorted((self.ms_at(self._press_x), self.ms_at(x)))))  # type: ignore[arg-type]
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._press_x is None or event.button() != Qt.MouseButton.LeftButton:
            return super().mouseReleaseEvent(event)
        x = event.position().toPoint().x()
        press, self._press_x = self._press_x, None
        if self._dragging or abs(x - press) >= QApplication.startDragDistance():
            self._dragging = False
            start, end = sorted((self.ms_at(press), self.ms_at(x)))
            self.set_selection((start, end))
            self.rangeSelected.emit(start, end)
        else:
            self.seekRequested.emit(self.ms_at(x))
        event.accept()
