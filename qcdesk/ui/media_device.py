"""A QIODevice over any Python reader with ``read(n)``, ``seek(offset, whence=0)``, ``tell()`` and
``size``: an embedded (possibly encrypted) recording streams to ``QMediaPlayer.setSourceDevice``
straight from the project, chunk by chunk, without a temporary file and without reading the whole
recording into memory.

Qt's FFmpeg backend reads the device from threads of its own (one opens the recording, another
plays it), while an SQLite connection may only be used by the thread that made it. So every read
is done by one worker thread the device owns: the reader (``project.media.open(id,
own_connection=True)``) makes its connection there on the first read, and is closed there.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
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
        self._reader: Reader | None = reader
        self._size = int(reader.size)
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qcdesk-media-reader")
        #: why the recording could not be read (damaged, missing, …), once a read has failed
        self.failure: str | None = None

    def isSequential(self) -> bool:  # noqa: N802
        return False

    def size(self) -> int:
        return self._size

    def seek(self, pos: int) -> bool:
        if pos < 0 or pos > self._size:
            return False
        return super().seek(pos)  # the reader follows on the next read

    def _read_at(self, pos: int, n: int) -> bytes:
        reader = self._reader
        if reader is None:
            return b""
        if reader.tell() != pos:
            reader.seek(pos)
        return bytes(reader.read(n))

    def readData(self, maxlen: int) -> bytes | None:  # noqa: N802
        # A failed reader reads as the end of the recording (and atEnd() says so): Qt's FFmpeg
        # backend retries a read error (-1) or an empty read for ever, on a thread setSource() waits for.
        if self._reader is None or self.failure is not None:
            return b""
        try:
            return self._worker.submit(self._read_at, self.pos(), int(maxlen)).result()
        except Exception as exc:  # noqa: BLE001 - any failure (damaged, missing, decrypting) ends the stream
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
            def close_reader() -> None:
                try:
                    reader.close()  # on the worker: its connection was made there
                except Exception:  # noqa: BLE001 - closing a reader must not take the window down
                    pass
            try:
                self._worker.submit(close_reader)
            except RuntimeError:  # already shut down
                pass
        self._worker.shutdown(wait=False)


def open_device(reader: Reader, parent: QObject | None = None) -> ReaderDevice:
    """A ReaderDevice opened for reading."""
    device = ReaderDevice(reader, parent)
    device.open(QIODevice.OpenModeFlag.ReadOnly)
    return device
