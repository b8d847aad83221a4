"""Recordings stored inside the project, served to the player over the loopback interface.

An embedded (possibly encrypted) recording is not a file the player can open, and writing it out
would leave the interview's voice in a temporary file. Qt's player can read a ``QIODevice``, but its
FFmpeg backend reads one from threads of its own, so a device written in Python turns every read,
seek and size question into a call into Python from a foreign thread, and teardown races between
those threads and the window crashed the player now and then. So the recording is published here
instead: at an unguessable address (``http://127.0.0.1:PORT/TOKEN/name``) of a small HTTP server
that listens on the loopback interface only. FFmpeg reads it with its own HTTP client, seeking by
``Range`` requests, and every Python read runs on Python's own threads.

What is served: only published recordings, to a client that knows the 256-bit token, chunk by
chunk (never the whole recording in memory), and nothing once withdrawn (a connection still open is
cut). Reads of one recording are done by one worker thread its stream owns: the reader
(``project.media.open(id, own_connection=True)``) makes its SQLite connection there on the first
read, and is closed there.
"""

from __future__ import annotations

import re
import secrets
import socket
import socketserver
import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol
from urllib.parse import quote

from qcdesk.ui.loopback_env import LOOPBACK, bypass_proxies

#: bytes sent per write (a stored recording's chunk is 64 KiB too)
PIECE = 64 * 1024
_RANGE = re.compile(r"bytes=(\d{0,30})-(\d{0,30})$")  # longer numbers: not satisfiable


class Reader(Protocol):
    size: int

    def read(self, n: int) -> bytes: ...

    def seek(self, offset: int, whence: int = 0) -> int: ...

    def tell(self) -> int: ...

    def close(self) -> None: ...


class Stream:
    """One published recording: its address, and why it could not be read (once a read failed)."""

    def __init__(self, reader: Reader, token: str, url: str):
        self._reader: Reader | None = reader
        self.size = int(reader.size)
        self.token, self.url = token, url
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qcdesk-media-reader")
        self._connections: set[socket.socket] = set()
        self._lock = threading.Lock()
        #: why the recording could not be read (damaged, missing, not decrypted), once a read failed
        self.failure: str | None = None

    @property
    def open(self) -> bool:
        return self._reader is not None

    @property
    def responses(self) -> int:
        """How many responses are being sent now."""
        with self._lock:
            return len(self._connections)

    def read_at(self, pos: int, n: int) -> bytes:
        """Up to ``n`` bytes from ``pos``, read on the stream's worker; raises what the reader raises."""
        return self._worker.submit(self._read, pos, n).result()

    def _read(self, pos: int, n: int) -> bytes:
        reader = self._reader
        if reader is None:
            raise OSError("the recording was closed")
        if reader.tell() != pos:
            reader.seek(pos)
        return bytes(reader.read(n))

    def _serving(self, connection: socket.socket, on: bool) -> bool:
        with self._lock:
            if on and self._reader is None:
                return False
            (self._connections.add if on else self._connections.discard)(connection)
            return True

    def close(self) -> None:
        """Stop serving: connections still open are cut, the reader is closed on its worker."""
        with self._lock:
            reader, self._reader = self._reader, None
            connections = list(self._connections)  # each leaves the set when its response ends
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
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


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # FFmpeg keeps the connection for the next read
    server: "_Server"

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass  # an address holds a token: nothing of it goes to a log

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(body=False)

    def do_GET(self) -> None:  # noqa: N802
        self._answer(body=True)

    def _status(self, code: int) -> None:
        self.send_response(code)
        if self.close_connection:  # an HTTP/1.0 client, or a request with a body (never read)
            self.send_header("Connection", "close")

    def _empty(self, status: int, headers: dict[str, str] | None = None) -> None:
        self._status(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _answer(self, *, body: bool) -> None:
        if self.headers.get("Content-Length", "0").strip() != "0" or "Transfer-Encoding" in self.headers:
            self.close_connection = True  # the body is not read: it must not be taken for the next request
        token = self.path.lstrip("/").split("/", 1)[0]
        stream = self.server.streams.get(token)
        if stream is None or not stream.open or stream.failure is not None:
            self._empty(404)
            return
        size = stream.size
        start, end = 0, size - 1
        wanted = self.headers.get("Range")
        if wanted:
            match = _RANGE.match(wanted.strip())
            if match is None or (not match[1] and not match[2]):
                self._empty(416, {"Content-Range": f"bytes */{size}"})
                return
            if match[1]:
                start = int(match[1])
                end = min(int(match[2]), size - 1) if match[2] else size - 1
            else:  # the last N bytes
                start = max(0, size - int(match[2]))
            if start >= size or start > end:
                self._empty(416, {"Content-Range": f"bytes */{size}"})
                return
        try:
            first = stream.read_at(start, min(PIECE, end - start + 1)) if body and size else b""
        except Exception as exc:  # noqa: BLE001 - damaged, missing, not decrypted: the player says why
            if not stream.open:  # withdrawn while this request waited for the worker
                self._empty(404)
                return
            stream.failure = str(exc)
            self._empty(500)
            return
        self._status(206 if wanted else 200)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Accept-Ranges", "bytes")
        if wanted:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        if body and size:
            self._send(stream, first, start, end)

    def _send(self, stream: Stream, piece: bytes, start: int, end: int) -> None:
        if not stream._serving(self.connection, True):
            self.close_connection = True
            return
        pos = start
        try:
            while True:
                try:
                    self.wfile.write(piece)
                except OSError:
                    # the player went elsewhere (a seek, another recording) or the stream was withdrawn:
                    # nothing to say, whatever the error (macOS may say EPROTOTYPE rather than EPIPE)
                    self.close_connection = True
                    return
                pos += len(piece)
                if pos > end:
                    return
                try:
                    piece = stream.read_at(pos, min(PIECE, end - pos + 1))
                    if not piece:
                        raise OSError(f"the recording ends at byte {pos} of {stream.size}")
                except Exception as exc:  # noqa: BLE001 - a damaged part, decryption: the player says why
                    self.close_connection = True
                    if stream.open and stream.failure is None:  # not when withdrawn meanwhile
                        stream.failure = str(exc)
                    return
        finally:
            stream._serving(self.connection, False)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    #: the port is the system's pick, so there is nothing to reuse; on Windows SO_REUSEADDR would let
    #: another program bind the same address too and receive some of the player's requests (tokens)
    allow_reuse_address = False

    def __init__(self):
        super().__init__((LOOPBACK, 0), _Handler)
        self.streams: dict[str, Stream] = {}

    def server_bind(self) -> None:
        if hasattr(socket, "SO_EXCLUSIVEADDRUSE"):  # Windows: no other socket may share the address
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE, 1)
        socketserver.TCPServer.server_bind(self)  # not HTTPServer's: it looks the address's name up
        self.server_port = self.server_address[1]


class RecordingServer:
    """Publishes readers at loopback addresses; started with the first one."""

    def __init__(self):
        self._server: _Server | None = None
        self._lock = threading.Lock()

    def _started(self) -> _Server:
        with self._lock:
            bypass_proxies()
            if self._server is None:
                server = _Server()
                threading.Thread(target=server.serve_forever, name="qcdesk-media-server", daemon=True).start()
                self._server = server
            return self._server

    def publish(self, reader: Reader, name: str) -> Stream:
        """A stream of ``reader`` at an address of its own (``name`` ends it, for FFmpeg's format guess)."""
        server = self._started()
        token = secrets.token_urlsafe(32)
        stream = Stream(reader, token, f"http://{LOOPBACK}:{server.server_port}/{token}/{quote(name or 'recording')}")
        server.streams[token] = stream
        return stream

    def withdraw(self, stream: Stream) -> None:
        """No more requests for ``stream``; those still open are cut and its reader closed."""
        if self._server is not None:
            self._server.streams.pop(stream.token, None)
        stream.close()

    def shutdown(self) -> None:
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            for stream in list(server.streams.values()):
                stream.close()
            server.streams.clear()
            server.shutdown()
            server.server_close()


_shared: RecordingServer | None = None


def recording_server() -> RecordingServer:
    """The process's one server (it costs a listening socket and one idle thread)."""
    global _shared
    if _shared is None:
        _shared = RecordingServer()
    return _shared
