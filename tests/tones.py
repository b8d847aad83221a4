"""Short recordings the media tests make themselves: a tone written with Python's ``wave``."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path


def write_tone(path: Path, seconds: float, *, rate: int = 8000, frequency: float = 440.0) -> Path:
    """A mono 16-bit tone of ``seconds`` at ``rate`` Hz, written a second at a time."""
    one_second = b"".join(struct.pack("<h", int(6000 * math.sin(2 * math.pi * frequency * i / rate)))
                          for i in range(rate))
    whole, rest = divmod(int(seconds * rate), rate)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        for _ in range(whole):
            out.writeframes(one_second)
        out.writeframes(one_second[:rest * 2])
    return path


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
