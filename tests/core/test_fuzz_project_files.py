"""Damaged project files: Project.open refuses them with a ProjectError and leaves them as they
were, or opens a file SQLite still finds sound. Never another exception, never a hang.

(Importer input is fuzzed in tests/core/importers/test_fuzz.py; REFI-QDA packages in
tests/core/interchange/test_fuzz_qdpx.py.)
"""

from __future__ import annotations

import signal
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcdesk.core.errors import ProjectError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block, SpeakerTurn
from qcdesk.core.project import Project
from builders import empty_project

pytestmark = pytest.mark.core

_SETTINGS = settings(max_examples=80, deadline=None, derandomize=True,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
SECONDS_PER_OPEN = 10


class _Bytes(bytes):
    def __repr__(self) -> str:  # keep failure reports readable
        return f"<{len(self)} bytes of a good project file>"


@pytest.fixture(scope="module")
def good_file(tmp_path_factory) -> bytes:
    """A small closed project (one self-contained file): documents, codes, codings."""
    path = tmp_path_factory.mktemp("fuzz") / "good.qcdesk"
    with empty_project(path) as project:
        text = "Interviewer: How was it?\nP1: Hard at first 😅 but my mentor helped. Café talks."
        lines = text.split("\n")
        blocks = [Block("paragraph", 0, len(lines[0])), Block("paragraph", len(lines[0]) + 1, len(text))]
        turns = [SpeakerTurn("Interviewer", 0, len(lines[0])), SpeakerTurn("P1", len(lines[0]) + 1, len(text))]
        for i in range(3):
            doc = project.documents.add(f"Interview {i}", ParsedDocument(text + "x" * i, "txt", blocks, turns))
            code = project.codebook.add(f"Code {i}").value
            project.codings.apply(doc.id, code.id, 25, 40)
    data = path.read_bytes()
    assert data[:16] == b"SQLite format 3\x00"
    return _Bytes(data)


@contextmanager
def time_limit(seconds: int):
    """Fail instead of hanging (POSIX alarm; elsewhere no limit)."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def hang(signum, frame):
        raise TimeoutError(f"Project.open did not return within {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def check(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        extra.unlink(missing_ok=True)
    try:
        with time_limit(SECONDS_PER_OPEN):
            project = Project.open(path)
    except ProjectError as exc:
        assert str(exc), "a refusal says why"
        assert path.read_bytes() == data, "a refused file must be left as it was"
        return "refused"
    try:
        assert project.integrity_ok(), "an opened project must pass SQLite's integrity check"
    finally:
        project.close()
    return "opened"


@_SETTINGS
@given(data=st.data())
def test_flipped_bytes(tmp_path, good_file, data):
    damaged = bytearray(good_file)
    flips = data.draw(st.lists(st.tuples(st.integers(0, len(damaged) - 1), st.integers(1, 255)),
                               min_size=1, max_size=8))
    for offset, mask in flips:
        damaged[offset] ^= mask
    check(tmp_path / "damaged.qcdesk", bytes(damaged))


@_SETTINGS
@given(data=st.data())
def test_flipped_bytes_in_the_header_and_schema(tmp_path, good_file, data):
    """The first page (header and schema) is where most damage shows: aim there more often."""
    damaged = bytearray(good_file)
    for offset, mask in data.draw(st.lists(st.tuples(st.integers(0, 4095), st.integers(1, 255)),
                                           min_size=1, max_size=4)):
        damaged[offset] ^= mask
    check(tmp_path / "damaged.qcdesk", bytes(damaged))


@_SETTINGS
@given(cut=st.integers(0, 200_000), flip=st.one_of(st.none(), st.tuples(st.integers(0, 200_000), st.integers(1, 255))))
def test_truncated_files(tmp_path, good_file, cut, flip):
    damaged = bytearray(good_file[: cut % (len(good_file) + 1)])
    if flip is not None and damaged:
        damaged[flip[0] % len(damaged)] ^= flip[1]
    outcome = check(tmp_path / "cut.qcdesk", bytes(damaged))
    if len(damaged) < 100:
        assert outcome == "refused"


def test_the_good_file_opens(tmp_path, good_file):
    assert check(tmp_path / "good.qcdesk", good_file) == "opened"


def test_damage_found_by_the_integrity_check_is_refused_unchanged(tmp_path, good_file):
    """Byte 32 is the header's first free-list page: the schema still reads, the structure does not."""
    damaged = bytearray(good_file)
    damaged[35] ^= 0x01
    with pytest.raises(ProjectError, match="damaged.*not changed"):
        Project.open(_write(tmp_path / "d.qcdesk", bytes(damaged)))
    assert (tmp_path / "d.qcdesk").read_bytes() == bytes(damaged)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


