"""The waveform's envelope (issue 18): peaks streamed from a recording, silence where it is silent."""

from __future__ import annotations

import io
import math
import struct
import sys
import wave
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from media_files import ffmpeg  # noqa: E402

from qcdesk.core import peaks  # noqa: E402
from qcdesk.core.importers.base import ParsedDocument  # noqa: E402
from qcdesk.core.project import Project  # noqa: E402


def tone_with_silence(rate: int, channels: int, width: int, seconds: float, quiet: tuple[float, float],
                      level: int = 12000) -> bytes:
    """A 440 Hz tone (every channel) that is silent from quiet[0] to quiet[1] seconds, as wav bytes."""
    out = io.BytesIO()
    frames = bytearray()
    for i in range(int(rate * seconds)):
        t = i / rate
        v = 0 if quiet[0] <= t < quiet[1] else int(level * math.sin(2 * math.pi * 440 * t))
        if width == 1:
            sample = bytes([(v >> 8) + 128])
        else:
            sample = struct.pack("<i", v << 16)[4 - width:]
        frames += sample * channels
    with wave.open(out, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(bytes(frames))
    out.seek(0)
    return out.getvalue()


def check_envelope(found, seconds: float, quiet: tuple[float, float], level: int = 12000) -> None:
    per_second = 1000 // peaks.PEAK_MS
    assert abs(len(found) - seconds * per_second) <= 1
    for i, value in enumerate(found):
        start, end = i / per_second, (i + 1) / per_second
        if quiet[0] <= start and end <= quiet[1]:
            assert value < 300, (i, value)  # silent: low amplitude
        elif end <= quiet[0] or start >= quiet[1]:
            assert value > level * 0.8, (i, value)  # the tone


@settings(max_examples=25, deadline=None)
@given(rate=st.sampled_from([8000, 11025, 16000, 22050, 44100, 48000]), channels=st.integers(1, 2),
       width=st.sampled_from([1, 2, 3, 4]), quiet_from=st.integers(2, 8))
def test_a_tone_with_silence_in_the_middle_is_low_only_there(rate, channels, width, quiet_from):
    quiet = (quiet_from / 10, quiet_from / 10 + 0.6)
    data = tone_with_silence(rate, channels, width, 1.6, quiet, level=12000 if width > 1 else 11000)
    found = peaks.peaks(io.BytesIO(data))
    check_envelope(found, 1.6, quiet, level=12000 if width > 1 else 11000)


def test_peaks_keep_time_with_the_clock_over_a_long_recording():
    """22,050 Hz: a peak is 1,102.5 frames, so counting whole frames per peak would drift."""
    rate = 22050
    second = b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * 441 * i / rate))) for i in range(rate))
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        for s in range(120):
            w.writeframes(bytes(len(second)) if s == 110 else second)
    found = peaks.peaks(io.BytesIO(out.getvalue()))
    assert len(found) == 120 * 20
    assert max(found[110 * 20:111 * 20]) < 300 and min(found[109 * 20:110 * 20]) > 9000
    assert min(found[111 * 20:112 * 20]) > 9000


def test_wav_is_read_block_by_block_never_whole():
    data = tone_with_silence(8000, 1, 2, 30, (10, 20))

    class Counting(io.BytesIO):
        largest = 0

        def read(self, n=-1):
            chunk = super().read(n)
            Counting.largest = max(Counting.largest, len(chunk))
            return chunk

    check_envelope(peaks.peaks(Counting(data)), 30, (10, 20))
    assert Counting.largest <= peaks.BLOCK + 64


@pytest.mark.parametrize("ext", [".mp3", ".ogg", ".m4a"])
def test_other_formats_decode_through_ffmpeg_from_a_path_and_from_a_pipe(tmp_path, ext):
    ffmpeg()  # skips when imageio-ffmpeg is not installed
    wav = tmp_path / "clip-source.wav"
    wav.write_bytes(tone_with_silence(8000, 1, 2, 3, (1, 2)))
    import subprocess

    from media_files import _ENCODE
    out = tmp_path / f"clip{ext}"
    subprocess.run([ffmpeg(), "-nostdin", "-loglevel", "error", "-y", "-i", str(wav), *_ENCODE[ext], str(out)],
                   check=True, capture_output=True, timeout=120)
    for source in (out, None):
        with open(out, "rb") as fh:
            found = peaks.peaks(fh, source)
        # lossy codecs smear the edges: look at the middle of each part
        per_second = 1000 // peaks.PEAK_MS
        assert max(found[int(1.3 * per_second):int(1.7 * per_second)]) < 1500
        assert min(found[int(0.2 * per_second):int(0.8 * per_second)]) > 8000
        assert min(found[int(2.3 * per_second):int(2.7 * per_second)]) > 8000


def test_without_ffmpeg_another_format_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(peaks, "ffmpeg_program", lambda: None)
    with pytest.raises(peaks.NoPeaks, match="no ffmpeg"):
        peaks.peaks(io.BytesIO(b"ID3" + b"\0" * 100))


def test_cancelling_stops_reading():
    data = tone_with_silence(8000, 1, 2, 20, (5, 6))
    asked = []
    with pytest.raises(peaks.PeaksCancelled):
        peaks.peaks(io.BytesIO(data), cancelled=lambda: asked.append(1) or len(asked) > 2)
    assert len(asked) == 3


def test_an_embedded_encrypted_recording_streams_from_the_project(tmp_path):
    wav = tmp_path / "diary.wav"
    wav.write_bytes(tone_with_silence(8000, 1, 2, 4, (1, 3)))
    with Project.create(tmp_path / "p.qcdesk", passphrase="correct horse battery") as project:
        doc = project.documents.add("Diary", ParsedDocument(text="", source_format="media"))
        info = project.media.attach(doc.id, wav, embed=True)
        with project.media.open(info.id) as reader:
            check_envelope(peaks.peaks(reader), 4, (1, 3))


def test_a_damaged_recording_says_so(tmp_path):
    ffmpeg()
    bad = tmp_path / "bad.mp3"
    bad.write_bytes(b"ID3\x03\0\0\0\0\0\0" + b"\x13\x37" * 500)
    with pytest.raises(peaks.NoPeaks, match="could not decode"), open(bad, "rb") as fh:
        peaks.peaks(fh, bad)
