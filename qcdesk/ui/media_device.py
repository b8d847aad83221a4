"""A QIODevice over any Python reader with ``read(n)``, ``seek(offset, whence=0)``, ``tell()`` and
``size``: an embedded (possibly encrypted) recording streams to ``QMediaPlayer.setSourceDevice``
straight from the project, chunk by chunk, without a temporary file and without reading the whole
recording into memory.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QIODevice, QObject


class Reader(Protocol):
    size: int

    def read(self, n: int) -> bytes: ...

    def seek(self, offset: int, whence: int = 0) -> int: ...

    def tell(self) -> int: ...

    def close(self) -> None: ...


class ReaderDevice(QIODevice):
    """Random-access, read-only; Qt asks for at most ``maxlen`` bytes at a time."""

    def __init__(self, reader: Reader, parent: QObject | None = None):
        super().__init__(parent)
        self._reader = reader
        self._size = int(reader.size() if callable(reader.size) else reader.size)
        #: the last error the reader raised (a recording made unreadable while playing)
        self.failure: str | None = None

    def isSequential(self) -> bool:  # noqa: N802
        return False

    def size(self) -> int:
        return self._size

    def seek(self, pos: int) -> bool:
        if pos < 0 or pos > self._size:
            return False
        super().seek(pos)
        if self._reader is None:
            return False
        try:
            self._reader.seek(pos)
        except (OSError, ValueError) as exc:
            self.failure = str(exc)
            return False
        return True

    def readData(self, maxlen: int) -> bytes | None:  # noqa: N802
        # A failed reader reads as the end of the recording (atEnd() says so too): Qt's FFmpeg
        # backend retries a read error (-1) or an empty read for ever, on a thread that
        # setSource() then waits for.
        if self._reader is None or self.failure is not None:
            return b""
        try:
            if self._reader.tell() != self.pos():
                self._reader.seek(self.pos())
            return bytes(self._reader.read(int(maxlen)))
        except (OSError, ValueError) as exc:
            self.failure = str(exc)
            self.setErrorString(str(exc))
            return b""

    def writeData(self, data) -> int:  # noqa: N802
        return -1

    def bytesAvailable(self) -> int:  # noqa: N802
        return max(0, self._size - self.pos()) + super().bytesAvailable()

    def atEnd(self) -> bool:  # noqa: N802
        return self.failure is not None or self._reader is None or self.pos() >= self._size

    def close(self) -> None:
        if self.isOpen():
            super().close()
        reader, self._reader = self._reader, None
        if reader is not None:
            try:
                reader.close()
            except Exception:  # noqa: BLE001 - closing a reader must not take the window down
                pass


def open_device(reader: Reader, parent: QObject | None = None) -> ReaderDevice:
    """A ReaderDevice opened for reading."""
    device = ReaderDevice(reader, parent)
    device.open(QIODevice.OpenModeFlag.ReadOnly)
    return device
