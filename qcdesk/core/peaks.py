"""A recording's amplitude envelope for the waveform in the Recording dock (issue 18), without Qt.

:func:`peaks` streams the recording once and gives, for each :data:`PEAK_MS` of it, the largest
absolute sample (0 … 32767), as an ``array('H')`` (an hour is 72,000 values). Nothing holds more
than one block of the recording in memory. A wav file is read with :mod:`wave`; any other format
is decoded by an ffmpeg program when one is installed (the ``imageio-ffmpeg`` package's, else one
on the PATH), which reads a linked file itself or an embedded recording from a pipe fed block by
block. Without ffmpeg, :class:`NoPeaks` says so in one line: the timeline is shown without an
envelope and everything else works.

Only each sample's top byte is looked at, and at most :data:`MAX_RATE` frames a second of a wav
file. ``cancelled()`` is asked after each block; when it says yes, :class:`PeaksCancelled` is raised.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import wave
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

#: milliseconds of the recording per peak
PEAK_MS = 50
#: sample rate ffmpeg is asked to decode to (enough for an envelope)
DECODE_RATE = 8000
#: bytes read from a recording at a time
BLOCK = 1 << 16
#: samples looked at per channel and second of a wav file at most (the rest are stepped over)
MAX_RATE = 4000


class NoPeaks(Exception):
    """The envelope cannot be computed here (a format ``wave`` cannot read and no ffmpeg, or a
    recording ffmpeg cannot decode); ``str()`` says why, in one line."""


class PeaksCancelled(Exception):
    pass


Cancelled = Callable[[], bool]


#: a sample's top byte (signed) -> its loudness 0 … 127; for unsigned 8-bit samples, _UNSIGNED
_SIGNED = bytes(min(127, abs(b - 256 if b > 127 else b)) for b in range(256))
_UNSIGNED = bytes(min(127, abs(b - 128)) for b in range(256))


class _Envelope:
    """Collects loudness bytes (0 … 127) into peaks of PEAK_MS, kept as 0 … 32767. The levels
    come ``per_frame`` to a frame, for every ``step``-th frame of a recording at ``rate``; a
    peak ends at its frame by the clock (``k × rate × PEAK_MS / 1000``), so peaks never drift.
    Only each sample's top byte counts: plenty for a drawing, and fast in Python (the bytes are
    mapped and compared in C)."""

    def __init__(self, rate: int, step: int = 1, per_frame: int = 1):
        self.rate, self.step, self.per_frame = rate, step, per_frame
        self.out = array("H")
        self._current = 0
        self._frame = 0  # the frame of the next level
        self._any = False

    def _end(self) -> int:
        return (len(self.out) + 1) * self.rate * PEAK_MS // 1000

    def add(self, levels: bytes) -> None:
        i, n = 0, len(levels)
        while i < n:
            frames = max(1, -(-(self._end() - self._frame) // self.step))  # looked-at frames left in this peak
            take = min(frames * self.per_frame, n - i)
            self._current = max(self._current, max(levels[i:i + take]))
            self._any = True
            i += take
            self._frame += take // self.per_frame * self.step
            if self._frame >= self._end():
                self.finish_one()

    def finish_one(self) -> None:
        self.out.append(min(32767, self._current * 256))
        self._current, self._any = 0, False

    def result(self) -> array:
        if self._any:
            self.finish_one()
        return self.out


def _levels(data: bytes, width: int, stride: int = 1) -> bytes:
    """The loudness of every ``stride``-th sample of little-endian PCM ``data`` of ``width`` bytes."""
    top = data[width - 1::width * stride]
    return top.translate(_UNSIGNED if width == 1 else _SIGNED)


def wav_peaks(fh: BinaryIO, cancelled: Cancelled = lambda: False) -> array:
    """Peaks of a PCM wav file open in ``fh`` (seekable), read block by block; NoPeaks when
    :mod:`wave` cannot read it (e.g. floating-point samples)."""
    try:
        w = wave.open(fh, "rb")
    except (wave.Error, EOFError) as exc:
        raise NoPeaks(f"the wav file cannot be read as PCM ({exc})") from None
    channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
    step = max(1, rate // MAX_RATE)  # look at every step-th frame (then at its first channel only)
    envelope = _Envelope(rate, step, channels if step == 1 else 1)
    frames_per_block = max(step, BLOCK // max(1, channels * width) // step * step)
    while True:
        data = w.readframes(frames_per_block)
        if not data:
            break
        envelope.add(_levels(data, width, 1 if step == 1 else step * channels))
        if cancelled():
            raise PeaksCancelled()
    return envelope.result()


def ffmpeg_program() -> str | None:
    """The ffmpeg program to decode with: imageio-ffmpeg's, else one on the PATH, else None."""
    try:
        import imageio_ffmpeg  # type: ignore[import-not-found]

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except Exception:  # noqa: BLE001 - not installed, or its binary missing: try the PATH
        return shutil.which("ffmpeg")


def ffmpeg_peaks(source: BinaryIO | Path, cancelled: Cancelled = lambda: False,
                 program: str | None = None) -> array:
    """Peaks of any recording ffmpeg can decode: a file at a path, or a reader fed through a pipe."""
    program = program or ffmpeg_program()
    if program is None:
        raise NoPeaks("no ffmpeg program is installed to read this format (wav files need none)")
    from_pipe = not isinstance(source, Path)
    args = [program, "-nostdin" if not from_pipe else "-hide_banner", "-v", "error",
            "-i", "pipe:0" if from_pipe else str(source), "-vn", "-ac", "1", "-ar", str(DECODE_RATE),
            "-f", "s16le", "pipe:1"]
    process = subprocess.Popen(args, stdin=subprocess.PIPE if from_pipe else subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = process.stdout, process.stderr
    assert stdout is not None and stderr is not None
    stop = threading.Event()
    errors: list[bytes] = []

    def drain() -> None:  # ffmpeg's complaints, the last few kept (a full pipe would stall it)
        for line in iter(stderr.readline, b""):
            errors[:] = (errors + [line])[-5:]

    helpers = [threading.Thread(target=drain, daemon=True)]
    if not isinstance(source, Path):
        reader = source

        def feed() -> None:
            assert process.stdin is not None
            try:
                while not stop.is_set():
                    block = reader.read(BLOCK)
                    if not block:
                        break
                    process.stdin.write(block)
            except (OSError, ValueError):  # ffmpeg stopped reading (done, failed or killed)
                pass
            finally:
                try:
                    process.stdin.close()
                except OSError:
                    pass

        helpers.append(threading.Thread(target=feed, daemon=True))
    for helper in helpers:
        helper.start()
    envelope = _Envelope(DECODE_RATE)
    leftover = b""
    try:
        while True:
            data = stdout.read(BLOCK)
            if not data:
                break
            data, leftover = leftover + data, b""
            if len(data) % 2:
                data, leftover = data[:-1], data[-1:]
            envelope.add(_levels(data, 2))
            if cancelled():
                raise PeaksCancelled()
    finally:
        stop.set()
        if process.poll() is None:
            process.kill()
        process.wait()
        for helper in helpers:
            helper.join(timeout=5)
    if process.returncode != 0 or not envelope.out and not envelope._any:  # noqa: SLF001
        why = b"".join(errors).decode("utf-8", "replace").strip().splitlines()
        raise NoPeaks("ffmpeg could not decode the recording" + (f" ({why[-1]})" if why else ""))
    return envelope.result()


def is_wav(fh: BinaryIO) -> bool:
    fh.seek(0)
    head = fh.read(12)
    fh.seek(0)
    return head[:4] == b"RIFF" and head[8:12] == b"WAVE"


def peaks(fh: BinaryIO, path: Path | None = None, cancelled: Cancelled = lambda: False) -> array:
    """Peaks of the recording open in ``fh`` (``path``: where a linked one is, for ffmpeg)."""
    if is_wav(fh):
        try:
            return wav_peaks(fh, cancelled)
        except NoPeaks:
            fh.seek(0)  # e.g. float samples: ffmpeg reads those
    return ffmpeg_peaks(path if path is not None else fh, cancelled)
