"""Recordings in the project (issue 18): attach, stream in and out, link, relink, refuse."""

from __future__ import annotations

import hashlib
import io
import os
import random
import shutil
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from fifo_guard import without_hanging  # noqa: E402
from media_files import converted, tone_wav  # noqa: E402

from qcdesk.core import media as media_mod  # noqa: E402
from qcdesk.core.errors import OperationError  # noqa: E402
from qcdesk.core.importers.base import ParsedDocument  # noqa: E402
from qcdesk.core.media import MediaMissingError, MediaRefusedError  # noqa: E402
from qcdesk.core.models import SpeakerTurn  # noqa: E402
from qcdesk.core.project import Project  # noqa: E402
from builders import empty_project


def _doc(project: Project, name="Interview 1", last_time: float | None = 1.0):
    text = "A: hello there\nB: hi"
    turns = [SpeakerTurn("A", 0, 14, 0.0, 0.5), SpeakerTurn("B", 15, len(text), last_time, None)]
    return project.documents.add(name, ParsedDocument(text, "vtt", turns=turns))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _state(project: Project) -> tuple:
    return (project.db.execute("SELECT count(*) FROM media").fetchone()[0],
            project.db.execute("SELECT count(*) FROM media_chunks").fetchone()[0],
            [d.id for d in project.documents()])


@pytest.fixture
def project(tmp_path):
    with empty_project(tmp_path / "p.qcdesk") as p:
        yield p


def test_embedded_wav_round_trips_in_chunks(project, tmp_path, monkeypatch):
    monkeypatch.setattr(media_mod, "CHUNK_SIZE", 4096)  # several chunks from a small file
    wav = tone_wav(tmp_path / "interview.wav", 1.5)
    doc = _doc(project)
    info = project.media.attach(doc.id, wav)
    assert (info.kind, info.mime, info.storage, info.link_path) == ("audio", "audio/wav", "embedded", None)
    assert info.duration_ms == 1500 and info.size == wav.stat().st_size and info.sha256 == _sha(wav)
    assert project.media.for_document(doc.id) == info == project.media.get(info.id)
    assert project.media.all() == [info]
    chunks = project.db.execute("SELECT max(length(data)), count(*) FROM media_chunks").fetchone()
    assert chunks == (4096, -(-info.size // 4096))
    assert project.media.local_path(info.id) is None and project.media.is_available(info.id)
    with project.media.open(info.id) as reader:
        assert reader.size == info.size
        assert reader.read() == wav.read_bytes()


@settings(max_examples=60)
@given(ops=st.lists(st.tuples(st.sampled_from([0, 1, 2]), st.integers(-20000, 40000),
                              st.integers(0, 20000)), min_size=1, max_size=12))
def test_reader_seeks_and_reads_like_a_file(ops, tmp_path_factory):
    """Any sequence of seeks and reads gives what the same calls on the original file give."""
    folder = tmp_path_factory.mktemp("seek")
    wav = tone_wav(folder / "a.wav", 1.0)
    with empty_project(folder / "p.qcdesk") as p:
        old = media_mod.CHUNK_SIZE
        media_mod.CHUNK_SIZE = 3000
        try:
            info = p.media.attach(_doc(p).id, wav)
        finally:
            media_mod.CHUNK_SIZE = old
        with p.media.open(info.id) as reader, open(wav, "rb") as original:
            for whence, offset, n in ops:
                try:
                    expected = original.seek(offset, whence)
                except (OSError, ValueError):
                    with pytest.raises((OSError, ValueError)):
                        reader.seek(offset, whence)
                    continue
                assert reader.seek(offset, whence) == expected
                assert reader.read(n) == original.read(n)
                assert reader.tell() == original.tell()


@pytest.mark.parametrize("ext,video,kind,mime", [
    (".mp3", False, "audio", "audio/mpeg"), (".m4a", False, "audio", "audio/mp4"),
    (".ogg", False, "audio", "audio/ogg"), (".flac", False, "audio", "audio/flac"),
    (".webm", False, "audio", "audio/webm"), (".mp4", True, "video", "video/mp4"),
    (".mov", True, "video", "video/quicktime"), (".webm", True, "video", "video/webm"),
])
def test_every_format_is_recognised_from_its_content(project, tmp_path, ext, video, kind, mime):
    made = converted(tmp_path, ext, seconds=2.0, video=video)
    disguised = made.rename(tmp_path / "recording.bin")  # the extension is not what decides
    info = project.media.attach(_doc(project).id, disguised)
    assert (info.kind, info.mime) == (kind, mime)
    assert 1900 <= info.duration_ms <= 2300
    with project.media.open(info.id) as reader:
        assert hashlib.sha256(reader.read()).hexdigest() == _sha(disguised)


def _truncated(path: Path, keep: float) -> Path:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


@pytest.mark.parametrize("make", [
    lambda d: (d / "empty.wav").write_bytes(b"") and None or d / "empty.wav",
    lambda d: (d / "notes.mp3").write_text("just some text, not audio\n") and None or d / "notes.mp3",
    lambda d: (d / "random.m4a").write_bytes(random.Random(1).randbytes(5000)) and None or d / "random.m4a",
    lambda d: _truncated(converted(d, ".m4a"), 0.5),  # moov at the end: cut off
    lambda d: _truncated(converted(d, ".webm"), 0.01),
    lambda d: (d / "bad.wav").write_bytes(b"RIFF\x10\0\0\0WAVEfmt junk") and None or d / "bad.wav",
    lambda d: (d / "ogg.ogg").write_bytes(b"OggS" + b"\0" * 100) and None or d / "ogg.ogg",
    lambda d: (d / "frames.mp3").write_bytes(b"ID3\x03\0\0\0\0\0\x10" + b"\0" * 16 + b"garbage") and None
    or d / "frames.mp3",
    lambda d: d,  # a folder
    lambda d: d / "nowhere.wav",
])
def test_bad_files_are_refused_with_one_line_and_change_nothing(project, tmp_path, make):
    doc = _doc(project)
    before = _state(project)
    bad = make(tmp_path)
    for call in (lambda: project.media.attach(doc.id, bad), lambda: project.media.add_recording(bad)):
        with pytest.raises(MediaRefusedError) as err:
            call()
        message = str(err.value)
        assert "\n" not in message and message.startswith("Could not attach ")
        assert _state(project) == before


def test_a_named_pipe_is_refused_without_opening_it(project, tmp_path):
    fifo = tmp_path / "live.wav"
    os.mkfifo(fifo)
    outcome = without_hanging(lambda: media_mod.probe(fifo), fifo)  # what attach looks at first
    assert isinstance(outcome, MediaRefusedError) and "named pipe" in str(outcome)
    doc = _doc(project)
    for call in (lambda: project.media.attach(doc.id, fifo), lambda: project.media.add_recording(fifo)):
        with pytest.raises(MediaRefusedError, match="named pipe"):
            call()
    assert _state(project) == (0, 0, [doc.id])


def test_a_recording_shorter_than_its_transcript_is_attached_with_a_warning(project, tmp_path):
    doc = _doc(project, last_time=95.0)
    info = project.media.attach(doc.id, tone_wav(tmp_path / "short.wav", 2.0))
    warning = project.media.timing_warning(info.id)
    assert warning and "0:02" in warning and "1:35" in warning and "\n" not in warning
    fine = _doc(project, "Interview 2", last_time=1.0)
    assert project.media.timing_warning(project.media.attach(fine.id, tone_wav(tmp_path / "ok.wav")).id) is None


def test_one_recording_per_document(project, tmp_path):
    doc = _doc(project)
    project.media.attach(doc.id, tone_wav(tmp_path / "a.wav"))
    with pytest.raises(OperationError, match="already has a recording"):
        project.media.attach(doc.id, tone_wav(tmp_path / "b.wav"))


def test_a_recording_without_transcript_is_a_document_without_text(project, tmp_path):
    doc_id, info = project.media.add_recording(tone_wav(tmp_path / "diary 3.wav"), name="Diary 3")
    doc = project.document(doc_id)
    assert (doc.name, doc.char_count, project.document_text(doc_id)) == ("Diary 3", 0, "")
    assert info.document_id == doc_id and project.media.for_document(doc_id) == info


def test_linked_media_is_stored_relative_and_found_again_after_moving_both(tmp_path):
    folder = tmp_path / "study"
    (folder / "audio").mkdir(parents=True)
    wav = tone_wav(folder / "audio" / "interview.wav")
    with empty_project(folder / "p.qcdesk") as p:
        info = p.media.attach(_doc(p).id, wav, embed=False)
        assert (info.storage, info.link_path) == ("linked", "audio/interview.wav")
        assert p.db.execute("SELECT count(*) FROM media_chunks").fetchone()[0] == 0
        assert p.media.local_path(info.id) == wav.resolve()
    moved = tmp_path / "elsewhere"
    shutil.move(folder, moved)
    with Project.open(moved / "p.qcdesk") as p:
        assert p.media.local_path(info.id) == (moved / "audio" / "interview.wav").resolve()
        with p.media.open(info.id) as reader:
            assert reader.read() == (moved / "audio" / "interview.wav").read_bytes()


def test_missing_linked_media_says_how_to_relink_and_relink_fixes_it(project, tmp_path):
    wav = tone_wav(tmp_path / "interview.wav")
    doc = _doc(project)
    info = project.media.attach(doc.id, wav, embed=False)
    kept = wav.read_bytes()
    wav.unlink()
    assert not project.media.is_available(info.id) and project.media.local_path(info.id) is None
    with pytest.raises(MediaMissingError) as err:
        project.media.open(info.id)
    message = str(err.value)
    assert "\n" not in message and "interview.wav" in message and "relink" in message
    assert project.document_text(doc.id).startswith("A: hello")  # the transcript is untouched
    other = tone_wav(tmp_path / "other.wav", 3.0)
    with pytest.raises(MediaRefusedError, match="not the recording that was linked"):
        project.media.relink(info.id, other)
    assert project.media.get(info.id) == info
    (tmp_path / "found").mkdir()
    (tmp_path / "found" / "renamed.wav").write_bytes(kept)
    fixed = project.media.relink(info.id, tmp_path / "found" / "renamed.wav")
    assert fixed.link_path == "found/renamed.wav" and project.media.is_available(info.id)
    changed = project.media.relink(info.id, other, accept_different=True)
    assert changed.duration_ms == 3000 and changed.sha256 == _sha(other)


def test_encrypted_projects_keep_recordings_encrypted(tmp_path):
    wav = tone_wav(tmp_path / "secret.wav", 1.0, freq=523.0)
    path = tmp_path / "enc.qcdesk"
    with Project.create(path, passphrase="correct horse battery") as p:
        info = p.media.attach(_doc(p).id, wav)
    raw = path.read_bytes()
    audio = wav.read_bytes()[44:]
    assert audio[1000:1064] not in raw and b"data" + audio[:0] not in raw[:0]  # no stretch of samples
    with Project.open(path, passphrase="correct horse battery") as p, p.media.open(info.id) as reader:
        assert reader.read() == wav.read_bytes()


def test_plain_projects_do_hold_the_bytes(tmp_path):
    """The check above can fail: in a plain project the samples are there to find."""
    wav = tone_wav(tmp_path / "plain.wav", 1.0, freq=523.0)
    path = tmp_path / "plain.qcdesk"
    with empty_project(path) as p:
        p.media.attach(_doc(p).id, wav)
    assert wav.read_bytes()[44:][1000:1064] in path.read_bytes()


def test_reader_with_its_own_connection_reads_from_another_thread(project, tmp_path):
    import threading

    wav = tone_wav(tmp_path / "a.wav")
    info = project.media.attach(_doc(project).id, wav)
    reader = project.media.open(info.id, own_connection=True)
    got = []
    worker = threading.Thread(target=lambda: got.append(reader.read()))
    worker.start()
    worker.join()
    reader.close()
    assert got == [wav.read_bytes()]


def test_reader_is_a_binary_file_for_buffered_and_copying_code(project, tmp_path):
    wav = tone_wav(tmp_path / "a.wav")
    info = project.media.attach(_doc(project).id, wav)
    out = io.BytesIO()
    with io.BufferedReader(project.media.open(info.id)) as buffered:
        shutil.copyfileobj(buffered, out)
    assert out.getvalue() == wav.read_bytes()


def test_detach_removes_the_recording_and_its_bytes(project, tmp_path):
    doc = _doc(project)
    info = project.media.attach(doc.id, tone_wav(tmp_path / "a.wav"))
    project.media.detach(info.id)
    assert project.media.for_document(doc.id) is None and _state(project)[:2] == (0, 0)
    assert project.document(doc.id).name == "Interview 1"


def test_deleting_a_document_deletes_its_recording_and_undo_brings_it_back(project, tmp_path):
    wav = tone_wav(tmp_path / "a.wav")
    doc = _doc(project)
    info = project.media.attach(doc.id, wav)
    done = project.documents.delete(doc.id)
    snap = done.value
    assert "media_chunks" not in snap and [r["id"] for r in snap["media"]] == [info.id]  # no audio in memory
    assert project.media.all() == []
    done.undo.run()
    assert project.media.for_document(doc.id) == info
    with project.media.open(info.id) as reader:
        assert reader.read() == wav.read_bytes()


def test_a_deleted_documents_recording_is_gone_once_undo_cannot_need_it(tmp_path):
    path = tmp_path / "p.qcdesk"
    with empty_project(path) as p:
        keep, drop = _doc(p, "keep"), _doc(p, "drop")
        kept = p.media.attach(keep.id, tone_wav(tmp_path / "a.wav"))
        p.media.attach(drop.id, tone_wav(tmp_path / "b.wav", 1.0))
        p.documents.delete(drop.id)
        assert p.db.execute("SELECT count(DISTINCT media_id) FROM media_chunks").fetchone()[0] == 2
    with Project.open(path) as p:
        assert p.db.execute("SELECT DISTINCT media_id FROM media_chunks").fetchall() == [(kept.id,)]


def test_the_audit_trail_names_recordings_added_relinked_and_removed(project, tmp_path):
    from qcdesk.core import audit

    wav = tone_wav(tmp_path / "a.wav")
    info = project.media.attach(_doc(project).id, wav, embed=False)
    (tmp_path / "moved").mkdir()
    project.media.relink(info.id, wav.rename(tmp_path / "moved" / "a.wav"))
    project.media.detach(info.id)
    found = audit.entries(project, audit.AuditFilter(kind="media"))
    assert [(e.action, e.object_id) for e in found] == [("added", info.id), ("relinked", info.id),
                                                        ("removed", info.id)]
    assert [audit.describe(e) for e in found] == [
        "Recording “a.wav” (linked)", "Recording “a.wav” linked at moved/a.wav", "Recording “a.wav” (linked)"]


@pytest.mark.parametrize("embed", [True, False])
def test_progress_is_told_per_chunk_and_cancelling_stores_nothing(project, tmp_path, monkeypatch, embed):
    monkeypatch.setattr(media_mod, "CHUNK_SIZE", 4096)
    wav = tone_wav(tmp_path / "a.wav", 1.0)
    doc = _doc(project)
    seen = []
    project.media.attach(doc.id, wav, embed=embed, progress=lambda done, total: seen.append((done, total)))
    size = wav.stat().st_size
    assert seen[-1] == (size, size) and len(seen) == -(-size // 4096)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    project.media.detach(project.media.for_document(doc.id).id)
    before = _state(project)
    for call in (lambda p: project.media.attach(doc.id, wav, embed=embed, progress=p),
                 lambda p: project.media.add_recording(wav, embed=embed, progress=p)):
        with pytest.raises(media_mod.MediaCancelled, match="cancelled; nothing was stored"):
            call(lambda done, total: done < size // 2)
        assert _state(project) == before


def test_a_reader_jumping_between_the_index_and_the_data_reads_each_chunk_once(project, tmp_path, monkeypatch):
    """An MP4 demuxer reads the index at the end, then the data at the start, and back."""
    monkeypatch.setattr(media_mod, "CHUNK_SIZE", 4096)
    wav = tone_wav(tmp_path / "a.wav", 2.0)
    info = project.media.attach(_doc(project).id, wav)
    reads = []
    real = media_mod.sql.chunk
    monkeypatch.setattr(media_mod.sql, "chunk", lambda db, mid, seq: reads.append(seq) or real(db, mid, seq))
    with project.media.open(info.id) as reader:
        for _ in range(10):
            reader.seek(-100, io.SEEK_END)
            reader.read(100)
            reader.seek(10)
            reader.read(100)
    assert sorted(reads) == [0, (info.size - 100) // 4096]


def test_a_random_small_read_fetches_little_more_than_it_reads(project, tmp_path, monkeypatch):
    """A player's seek reads some 64 KB at a random place: the store hands over at most two small
    chunks for it, not a megabyte (decrypting a 1 MiB chunk per seek made an encrypted project's
    seeks 20 times slower than a plain one's; benchmarks/media.py measures the time)."""
    wav = tone_wav(tmp_path / "long.wav", 300.0)  # 4.8 MB
    info = project.media.attach(_doc(project).id, wav)
    fetched = []
    real = media_mod.sql.chunk
    monkeypatch.setattr(media_mod.sql, "chunk",
                        lambda db, mid, seq: (lambda d: fetched.append(len(d or b"")) or d)(real(db, mid, seq)))
    rng = random.Random(3)
    with project.media.open(info.id) as reader, open(wav, "rb") as original:
        for _ in range(20):
            fetched.clear()
            at = rng.randrange(0, info.size - 65536)
            reader.seek(at)
            original.seek(at)
            assert reader.read(65536) == original.read(65536)
            assert sum(fetched) <= 2 * 65536


@pytest.mark.parametrize("remove", ["delete document", "detach"])
def test_a_removed_recording_leaves_no_bytes_in_a_closed_plain_project(tmp_path, remove, monkeypatch):
    """Deleted rows' pages stay in an SQLite file (free pages) unless they are overwritten: a plain
    project must not keep a deleted interview's audio once it is closed (while open, a deleted
    document's recording stays so undo can bring it back). Some SQLite builds zero deleted pages
    by default (Debian's), others do not (Python's own on Windows and macOS): connections here
    start without it."""
    from qcdesk.core.storage import connection

    real = connection.connect

    def connect(*args, **kwargs):
        db = real(*args, **kwargs)
        db.execute("PRAGMA secure_delete = OFF")
        return db

    monkeypatch.setattr(connection, "connect", connect)
    path = tmp_path / "p.qcdesk"
    gone = tone_wav(tmp_path / "gone.wav", 3.0, freq=523)
    kept = tone_wav(tmp_path / "kept.wav", 1.0, freq=311)
    with empty_project(path) as p:
        drop, keep = _doc(p, "drop"), _doc(p, "keep")
        info = p.media.attach(drop.id, gone)
        p.media.attach(keep.id, kept)
        if remove == "detach":
            p.media.detach(info.id)
        else:
            p.documents.delete(drop.id)
    samples = gone.read_bytes()[44:][1000:1064]
    files = [f for f in tmp_path.iterdir() if f.name.startswith("p.qcdesk")]
    assert not any(samples in f.read_bytes() for f in files)
    assert kept.read_bytes()[44:][1000:1064] in path.read_bytes()  # the check can fail
    with Project.open(path) as p, p.media.open(p.media.all()[0].id) as reader:
        assert reader.read() == kept.read_bytes()
