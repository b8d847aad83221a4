"""Embedded recordings served to the player over the loopback interface: the server as an HTTP
client sees it (ranges, tokens, withdrawing, failures), then real QMediaPlayer playback from it,
without a temporary file and without Qt's threads calling into Python."""

from __future__ import annotations

import http.client
import os
import re
import threading
import time
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcdesk.ui.media_stream import PIECE, RecordingServer
from tests.media_files import FileReader, tone_wav


class ThreadedReader(FileReader):
    """Records which threads read it (an SQLite connection may serve only the thread that made it)."""

    def __init__(self, path):
        super().__init__(path)
        self.threads: set[int] = set()

    def read(self, n: int) -> bytes:
        self.threads.add(threading.get_ident())
        return super().read(n)


@pytest.fixture
def server():
    server = RecordingServer()
    yield server
    server.shutdown()


def get(url: str, headers: dict[str, str] | None = None, method: str = "GET"):
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, parts.path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_ranges_give_exactly_the_recordings_bytes(tmp_path, server):
    wav = tone_wav(tmp_path / "tone.wav", 12)  # bigger than one piece
    data = wav.read_bytes()
    assert len(data) > 2 * PIECE
    stream = server.publish(ThreadedReader(wav), "tone.wav")
    assert urlsplit(stream.url).hostname == "127.0.0.1" and stream.url.endswith("/tone.wav")

    status, headers, body = get(stream.url)
    assert (status, body) == (200, data) and headers["Accept-Ranges"] == "bytes"
    for wanted, start, end in [("bytes=0-", 0, len(data) - 1), ("bytes=44-", 44, len(data) - 1),
                               ("bytes=100000-100099", 100000, 100099), ("bytes=-10", len(data) - 10, len(data) - 1),
                               (f"bytes={len(data) - 5}-{len(data) + 50}", len(data) - 5, len(data) - 1)]:
        status, headers, body = get(stream.url, {"Range": wanted})
        assert status == 206, wanted
        assert headers["Content-Range"] == f"bytes {start}-{end}/{len(data)}"
        assert body == data[start:end + 1], wanted
    status, headers, body = get(stream.url, {"Range": f"bytes={len(data)}-"})
    assert status == 416 and headers["Content-Range"] == f"bytes */{len(data)}"
    status, headers, _ = get(stream.url, method="HEAD")
    assert status == 200 and headers["Content-Length"] == str(len(data))


def test_reads_are_done_by_one_thread_in_pieces(tmp_path, server):
    wav = tone_wav(tmp_path / "tone.wav", 12)
    reader = ThreadedReader(wav)
    stream = server.publish(reader, "tone.wav")
    for _ in range(3):
        get(stream.url)
        get(stream.url, {"Range": "bytes=50000-"})
    assert len(reader.threads) == 1 and threading.get_ident() not in reader.threads
    assert reader.largest_read <= PIECE, "never the whole recording at once"


def test_only_a_published_token_is_served_and_withdrawing_ends_it(tmp_path, server):
    wav = tone_wav(tmp_path / "tone.wav", 2)
    reader = FileReader(wav)
    stream = server.publish(reader, "tone.wav")
    other = server.publish(FileReader(wav), "tone.wav")
    assert stream.token != other.token and len(stream.token) >= 40
    guessed = stream.url.replace(stream.token, stream.token[:-2] + ("AA" if not stream.token.endswith("AA") else "BB"))
    assert get(guessed)[0] == 404
    assert get(stream.url.rsplit("/", 2)[0] + "/")[0] == 404
    server.withdraw(stream)
    assert get(stream.url)[0] == 404
    assert get(other.url)[0] == 200
    stream._worker.shutdown(wait=True)
    assert reader.closed


def wait_for(condition, seconds: float = 10.0) -> bool:
    """Poll ``condition`` until it holds or ``seconds`` pass (no Qt here)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        threading.Event().wait(0.005)
    return True


def test_withdrawing_cuts_a_response_still_being_sent(tmp_path, server):
    """A player that stops reading mid-recording must not keep a server thread (and the reader) forever."""
    big = tmp_path / "long.wav"
    big.write_bytes(bytes(48 * 1024 * 1024))  # more than the loopback's socket buffers hold
    reader = FileReader(big)
    stream = server.publish(reader, "long.wav")
    parts = urlsplit(stream.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", parts.path)
    response = connection.getresponse()
    assert response.status == 200
    response.read(1000)  # then the client stops reading: the server fills the socket's buffers

    def blocked_writing() -> bool:
        before = reader.bytes_read
        threading.Event().wait(0.1)
        return reader.bytes_read == before > 0

    assert wait_for(blocked_writing) and stream.responses == 1
    server.withdraw(stream)
    assert wait_for(lambda: stream.responses == 0), "the response was not cut"
    received = 1000
    try:
        while chunk := response.read(PIECE):
            received += len(chunk)
    except (http.client.IncompleteRead, ConnectionError):
        pass
    connection.close()
    assert received < big.stat().st_size
    stream._worker.shutdown(wait=True)
    assert reader.closed


def test_a_reader_that_fails_is_an_error_answer_with_the_reason_kept(tmp_path, server):
    wav = tone_wav(tmp_path / "tone.wav", 2)
    failing = FileReader(wav)
    failing.read = lambda n: (_ for _ in ()).throw(OSError("the recording could not be decrypted"))
    stream = server.publish(failing, "tone.wav")
    assert get(stream.url)[0] == 500
    assert stream.failure == "the recording could not be decrypted"
    assert get(stream.url)[0] == 404  # a failed stream is not read again


def expected(size: int, header: str | None) -> tuple[int, int, int] | None:
    """What a Range header asks of ``size`` bytes by RFC 9110, as (status, first, last); None: 416."""
    if header is None:
        return 200, 0, size - 1
    match = re.fullmatch(r"bytes=(\d*)-(\d*)", header)
    if match is None or not (match[1] or match[2]):
        return None
    if match[1]:
        first = int(match[1])
        last = min(int(match[2]), size - 1) if match[2] else size - 1
    else:
        first, last = max(0, size - int(match[2])), size - 1
    if first >= size or first > last:
        return None
    return 206, first, last


@given(requests=st.lists(st.one_of(
    st.none(),
    st.builds(lambda a, b: f"bytes={a}-{b}", st.integers(0, 70000), st.integers(0, 70000)),
    st.builds(lambda a: f"bytes={a}-", st.integers(0, 70000)),
    st.builds(lambda b: f"bytes=-{b}", st.integers(0, 70000)),
    st.sampled_from(["bytes=-", "bytes=abc", "items=0-5", "bytes=1-2,4-5", "bytes= 3-9"])), min_size=1, max_size=6))
def test_any_sequence_of_range_requests_is_answered_as_the_standard_says(wav_bytes, requests):
    """Random requests on one stream: each answer's status, Content-Range and bytes match the rule
    above, and a bad request does not spoil the next ones."""
    path, data, server = wav_bytes
    stream = server.publish(FileReader(path), "tone.wav")
    try:
        for header in requests:
            status, headers, body = get(stream.url, {"Range": header} if header is not None else None)
            want = expected(len(data), header)
            if want is None:
                assert (status, headers.get("Content-Range"), body) == (416, f"bytes */{len(data)}", b""), header
                continue
            assert status == want[0], header
            assert body == data[want[1]:want[2] + 1], header
            if status == 206:
                assert headers["Content-Range"] == f"bytes {want[1]}-{want[2]}/{len(data)}"
        assert stream.failure is None
    finally:
        server.withdraw(stream)


@pytest.fixture(scope="module")
def wav_bytes(tmp_path_factory):
    """A recording's path and bytes, and a server for the examples to publish it on."""
    path = tone_wav(tmp_path_factory.mktemp("stream") / "tone.wav", 4)  # 64,044 bytes
    server = RecordingServer()
    yield path, path.read_bytes(), server
    server.shutdown()
def test_a_connection_that_fails_is_not_a_failure_of_the_recording(tmp_path, server, monkeypatch):
    """macOS may say EPROTOTYPE, not EPIPE, when the player drops a connection (a seek): a write error
    is the connection's, never a reason to stop serving the recording."""
    import errno
    import socketserver

    wav = tone_wav(tmp_path / "tone.wav", 12)
    stream = server.publish(FileReader(wav), "tone.wav")
    plain = socketserver._SocketWriter.write

    def write(self, data):
        if len(data) == PIECE:  # a piece of the recording, not the headers
            raise OSError(errno.EPROTOTYPE, "Protocol wrong type for socket")
        return plain(self, data)

    monkeypatch.setattr(socketserver._SocketWriter, "write", write)
    try:
        get(stream.url)
    except (http.client.HTTPException, OSError):
        pass  # the response was cut: expected
    assert stream.failure is None
    monkeypatch.setattr(socketserver._SocketWriter, "write", plain)
    assert get(stream.url)[0] == 200


def test_a_read_that_fails_mid_body_cuts_the_response_and_keeps_the_reason(tmp_path, server):
    reader = FileReader(tone_wav(tmp_path / "tone.wav", 12))
    plain, reads = reader.read, []

    def read(n: int) -> bytes:
        reads.append(n)
        if len(reads) > 1:
            raise OSError("a damaged chunk")
        return plain(n)

    reader.read = read
    stream = server.publish(reader, "tone.wav")
    with pytest.raises(http.client.IncompleteRead):
        get(stream.url)
    assert stream.failure == "a damaged chunk"
    assert get(stream.url)[0] == 404


def test_a_request_answered_while_withdrawing_leaves_no_failure(tmp_path, server):
    """A request that waits for the stream's worker while the stream is withdrawn finds the recording
    closed: that is not a reason the recording cannot be read."""
    reader = FileReader(tone_wav(tmp_path / "tone.wav", 2))
    entered, release = threading.Event(), threading.Event()
    plain = reader.read

    def slow(n: int) -> bytes:
        if not release.is_set():
            entered.set()
            release.wait(10)
        return plain(n)

    reader.read = slow
    stream = server.publish(reader, "tone.wav")
    answers: list = []

    def ask() -> None:
        try:
            answers.append(get(stream.url)[0])
        except (http.client.HTTPException, OSError) as exc:
            answers.append(exc)

    first, second = threading.Thread(target=ask), threading.Thread(target=ask)
    first.start()
    assert entered.wait(10)
    second.start()
    assert wait_for(lambda: stream._worker._work_queue.qsize() == 1), "the second request did not wait"
    server.withdraw(stream)
    release.set()
    first.join(10)
    second.join(10)
    assert len(answers) == 2 and 404 in answers
    assert stream.failure is None


def raw_exchange(url: str, request: bytes) -> bytes:
    """Everything the server sends back for ``request`` on one connection, until it closes it (or
    falls silent for a second)."""
    import socket

    parts = urlsplit(url)
    received = b""
    with socket.create_connection((parts.hostname, parts.port), timeout=1) as connection:
        connection.sendall(request.replace(b"PATH", parts.path.encode()))
        try:
            while chunk := connection.recv(PIECE):
                received += chunk
        except TimeoutError:
            pass
    return received


def test_odd_requests_get_an_answer_and_leave_the_connection_sane(tmp_path, server):
    stream = server.publish(FileReader(tone_wav(tmp_path / "tone.wav", 1)), "tone.wav")
    # a number too long for int(): an answer, not a dropped connection and a traceback on stderr
    status, headers, _ = get(stream.url, {"Range": "bytes=" + "9" * 5000 + "-"})
    assert status == 416 and headers["Content-Range"] == f"bytes */{stream.size}"
    # a body nobody reads must not be taken for the next request on a kept connection
    sent = raw_exchange(stream.url, b"GET PATH HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nabcde"
                                    b"HEAD PATH HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert sent.startswith(b"HTTP/1.1 200") and not re.search(rb"HTTP/1\.1 [45]\d\d", sent), sent[-300:]


def test_no_other_program_can_bind_the_servers_address(tmp_path, server, monkeypatch):
    """On Windows a second socket with SO_REUSEADDR may bind an address bound with it too, and then
    receive some of the player's connections (and read their tokens): the address is exclusive."""
    import socket

    monkeypatch.setattr(socket, "getfqdn", lambda *a: pytest.fail("no name lookup for the loopback"))
    server.publish(FileReader(tone_wav(tmp_path / "tone.wav", 1)), "tone.wav")
    listening = server._server.socket
    assert listening.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR) == 0
    if hasattr(socket, "SO_EXCLUSIVEADDRUSE"):  # Windows
        assert listening.getsockopt(socket.SOL_SOCKET, socket.SO_EXCLUSIVEADDRUSE) != 0


def test_the_loopback_is_added_to_the_proxy_exceptions_once_keeping_the_others(monkeypatch):
    from qcdesk.ui.loopback_env import bypass_proxies

    monkeypatch.setenv("no_proxy", "example.org, .hospital.local")
    monkeypatch.delenv("NO_PROXY", raising=False)
    bypass_proxies()
    bypass_proxies()
    assert os.environ["no_proxy"] == "example.org,.hospital.local,127.0.0.1"
    assert os.environ["NO_PROXY"] == "127.0.0.1"
    monkeypatch.delenv("NO_PROXY")


# ---------------------------------------------------------------------- with Qt's player
QtMultimedia = pytest.importorskip("PySide6.QtMultimedia", reason="Qt Multimedia cannot be imported here")

from PySide6.QtCore import Q_ARG, QMetaObject, Qt, QUrl  # noqa: E402


def call(player, name, *args):
    """A player slot run from the event loop, as the player dock runs them."""
    QMetaObject.invokeMethod(player, name, Qt.ConnectionType.QueuedConnection, *args)


@pytest.fixture
def player(qtbot):
    player = QtMultimedia.QMediaPlayer()
    audio = QtMultimedia.QAudioOutput()
    audio.setVolume(0.0)
    player.setAudioOutput(audio)
    yield player
    player.setSource(QUrl())


@pytest.mark.gui
def test_a_recording_streams_and_plays_and_seeks(qtbot, tmp_path, player, server):
    wav = tone_wav(tmp_path / "tone.wav", 6)
    reader = ThreadedReader(wav)
    player.setSource(QUrl(server.publish(reader, "tone.wav").url))
    qtbot.waitUntil(lambda: player.duration() > 0, timeout=10000)
    assert abs(player.duration() - 6000) < 100
    with qtbot.waitSignal(player.playbackStateChanged, timeout=5000):
        call(player, "play")
    qtbot.waitUntil(lambda: player.position() > 300, timeout=10000)
    call(player, "setPosition", Q_ARG("qint64", 4000))
    qtbot.waitUntil(lambda: player.position() >= 4000, timeout=10000)
    call(player, "setPosition", Q_ARG("qint64", 1000))
    qtbot.waitUntil(lambda: 1000 <= player.position() < 3000, timeout=10000)
    assert reader.bytes_read > 0 and reader.largest_read <= PIECE
    assert len(reader.threads) == 1


@pytest.mark.gui
def test_a_reader_that_fails_is_a_player_error_not_a_crash(qtbot, tmp_path, player, server):
    wav = tone_wav(tmp_path / "tone.wav", 2)
    failing = FileReader(wav)
    failing.read = lambda n: (_ for _ in ()).throw(OSError("the recording could not be decrypted"))
    errors = []
    player.errorOccurred.connect(lambda error, text: errors.append(text))
    stream = server.publish(failing, "tone.wav")
    player.setSource(QUrl(stream.url))
    qtbot.waitUntil(lambda: bool(errors) or player.mediaStatus() == QtMultimedia.QMediaPlayer.MediaStatus.InvalidMedia,
                    timeout=10000)
    assert stream.failure == "the recording could not be decrypted"


@pytest.mark.gui
def test_an_embedded_recording_of_an_encrypted_project_plays_and_seeks(qtbot, tmp_path, player, server):
    """The reader's connection is made and used on the stream's worker, not on Qt's threads."""
    from qcdesk.core.importers.base import ParsedDocument
    from qcdesk.core.project import Project

    project = Project.create(tmp_path / "secret.qcdesk", passphrase="correct horse")
    try:
        doc = project.documents.add("Interview", ParsedDocument(text="P1: hello", source_format="txt"))
        info = project.media.attach(doc.id, tone_wav(tmp_path / "tone.wav", 5), embed=True)
        (tmp_path / "tone.wav").unlink()  # nothing outside the project
        stream = server.publish(project.media.open(info.id, own_connection=True), info.name)
        player.setSource(QUrl(stream.url))
        qtbot.waitUntil(lambda: player.duration() > 0, timeout=15000)
        call(player, "play")
        call(player, "setPosition", Q_ARG("qint64", 3000))
        qtbot.waitUntil(lambda: player.position() >= 3000, timeout=15000)
        assert stream.failure is None
        player.setSource(QUrl())
        server.withdraw(stream)
    finally:
        project.close()


@pytest.mark.gui
def test_a_web_proxy_set_for_the_computer_is_not_asked(qtbot, tmp_path, player, server, monkeypatch):
    """FFmpeg's HTTP client follows http_proxy: the player's requests must stay on the loopback."""
    import socket

    asked = []
    proxy = socket.socket()
    proxy.bind(("127.0.0.1", 0))
    proxy.listen(5)
    proxy.settimeout(0.05)
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{proxy.getsockname()[1]}")
    monkeypatch.setenv("no_proxy", "example.org")
    monkeypatch.delenv("NO_PROXY", raising=False)

    def accept() -> None:
        try:
            connection, _ = proxy.accept()
            asked.append(connection.recv(200))
            connection.close()
        except OSError:
            pass

    wav = tone_wav(tmp_path / "tone.wav", 3)
    stream = server.publish(FileReader(wav), "tone.wav")
    player.setSource(QUrl(stream.url))
    qtbot.waitUntil(lambda: accept() or player.duration() > 0 or
                    player.mediaStatus() == QtMultimedia.QMediaPlayer.MediaStatus.InvalidMedia, timeout=10000)
    proxy.close()
    assert not asked, f"the proxy was asked: {asked}"
    assert abs(player.duration() - 3000) < 100
    assert "example.org" in os.environ["no_proxy"] and "127.0.0.1" in os.environ["no_proxy"]
