"""Short recordings made by the tests themselves: tones written with :mod:`wave`, other formats
converted from them with the ffmpeg binary of ``imageio-ffmpeg`` (a test extra), and a
:class:`FileReader` standing in for the media store's readers. No network.

Use: ``from media_files import tone_wav, converted`` in a test module (``tests.media_files``
where the repository's root is on the path, as in the UI tests and benchmarks).
"""

from __future__ import annotations

import math
import struct
import subprocess
import wave
from pathlib import Path

#: ffmpeg arguments per output extension (small, fast encoders that every ffmpeg build has)
_ENCODE = {
    ".mp3": ["-c:a", "libmp3lame", "-b:a", "64k"],
    ".m4a": ["-c:a", "aac", "-b:a", "64k"],
    ".ogg": ["-c:a", "libvorbis"],
    ".flac": ["-c:a", "flac"],
    ".webm": ["-c:a", "libopus"],
}
_VIDEO = {
    ".mp4": ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac"],
    ".mov": ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-c:a", "aac"],
    ".webm": ["-c:v", "libvpx", "-b:v", "100k", "-c:a", "libopus"],
}


def tone_wav(path: Path, seconds: float = 2.0, *, rate: int = 8000, freq: int = 440) -> Path:
    """A mono 16-bit sine tone (``freq`` in whole hertz, so each second repeats the one before)."""
    frames = int(seconds * rate)
    one = b"".join(struct.pack("<h", int(12000 * math.sin(2 * math.pi * freq * i / rate)))
                   for i in range(min(frames, rate)))  # a whole number of cycles per second: repeat it
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        for _ in range(frames // rate):
            w.writeframes(one)
        w.writeframes(one[: 2 * (frames % rate)])
    return path


def ffmpeg() -> str:
    import pytest  # only here: benchmarks write tones without pytest

    try:
        import imageio_ffmpeg
    except ImportError:
        pytest.skip("imageio-ffmpeg (a test extra) is not installed")
    return imageio_ffmpeg.get_ffmpeg_exe()


def converted(folder: Path, ext: str, *, seconds: float = 2.0, video: bool = False, name: str = "clip") -> Path:
    """A recording of ``seconds`` in the format of ``ext`` (with a small video track if ``video``)."""
    src = tone_wav(folder / f"{name}-source.wav", seconds)
    out = folder / f"{name}{ext}"
    if video:
        args = ["-f", "lavfi", "-i", f"color=c=blue:s=64x48:r=10:d={seconds}", "-i", str(src),
                *_VIDEO[ext], "-shortest"]
    else:
        args = ["-i", str(src), *_ENCODE[ext]]
    subprocess.run([ffmpeg(), "-nostdin", "-loglevel", "error", "-y", *args, str(out)],
                   check=True, capture_output=True, timeout=120)
    src.unlink()
    return out


class FileReader:
    """A reader as the media store gives one (read, seek, tell, size, close), over a plain file,
    counting what it is asked for."""

    def __init__(self, path: Path):
        self._file = open(path, "rb")  # noqa: SIM115 - closed by close()
        self.size = path.stat().st_size
        self.largest_read = 0
        self.bytes_read = 0
        self.closed = False

    def read(self, n: int) -> bytes:
        self.largest_read = max(self.largest_read, n)
        data = self._file.read(n)
        self.bytes_read += len(data)
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def close(self) -> None:
        self.closed = True
        self._file.close()
