"""Merging, pseudonymising, backing up and encrypting projects that hold recordings."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from media_files import tone_wav  # noqa: E402

from qcdesk.core import backups, encryption  # noqa: E402
from qcdesk.core.importers.base import ParsedDocument  # noqa: E402
from qcdesk.core.merge import merge_project, preview_merge  # noqa: E402
from qcdesk.core.project import Project  # noqa: E402
from qcdesk.core.pseudonyms import add_entry, apply_pseudonyms  # noqa: E402
from builders import empty_project


def _media_state(p: Project) -> list[tuple[str, str, str]]:
    names = {d.id: d.name for d in p.documents()}
    return sorted((names[m.document_id], m.name, m.sha256) for m in p.media.all())


def test_merge_brings_the_other_coders_recordings_and_undo_takes_them_away(tmp_path):
    base = tmp_path / "base.qcdesk"
    with empty_project(base) as p:
        doc = p.documents.add("Interview", ParsedDocument("Amira: hello", "vtt"))
        p.media.attach(doc.id, tone_wav(tmp_path / "interview.wav"))
        p.media.add_recording(tone_wav(tmp_path / "d1.wav", 1.0, freq=300), name="Diary 1")
    theirs = tmp_path / "theirs.qcdesk"
    shutil.copy(base, theirs)
    with Project.open(theirs) as q:
        q.media.add_recording(tone_wav(tmp_path / "d2.wav", 1.0, freq=500), name="Diary 2")
        new = q.documents.add("Walk", ParsedDocument("Ben: here", "vtt"))
        (tmp_path / "audio").mkdir()
        q.media.attach(new.id, tone_wav(tmp_path / "audio" / "walk.wav", 1.0, freq=700), embed=False)
        expected = _media_state(q)
    with Project.open(base) as p:
        before = _media_state(p)
        preview = preview_merge(p, theirs)
        assert preview.added.get("recordings") == 2 and _media_state(p) == before
        merged = merge_project(p, theirs)
        report = merged.value
        assert report.added.get("recordings") == 2 and report.matched.get("recordings") == 2
        assert _media_state(p) == expected  # the two diaries stay two documents
        walk = p.media.for_document(next(d.id for d in p.documents() if d.name == "Walk"))
        assert walk.link_path == "audio/walk.wav" and p.media.is_available(walk.id)
        diary2 = p.media.for_document(next(d.id for d in p.documents() if d.name == "Diary 2"))
        with p.media.open(diary2.id) as reader:
            assert reader.read() == (tmp_path / "d2.wav").read_bytes()
        rows = merged.undo.run()
        assert _media_state(p) == before
        rows.run()
        assert _media_state(p) == expected
        with p.media.open(diary2.id) as reader:
            assert reader.read() == (tmp_path / "d2.wav").read_bytes()


def test_pseudonymising_keeps_recordings_and_names_a_recording_that_holds_an_original(tmp_path):
    path = tmp_path / "p.qcdesk"
    with empty_project(path) as p:
        doc = p.documents.add("Interview", ParsedDocument("Amira: I met Heather.", "vtt"))
        wav = tone_wav(tmp_path / "heather interview.wav")
        info = p.media.attach(doc.id, wav)
        add_entry(p, "Heather", "Jane")
        report = apply_pseudonyms(p)
        assert p.document_text(doc.id) == "Amira: I met Jane."
        assert any(line.startswith("recording") and "heather interview.wav" in line for line in report.remaining)
        with p.media.open(info.id) as reader:
            assert reader.read() == wav.read_bytes()


def test_backups_and_encryption_carry_recordings(tmp_path):
    path = tmp_path / "p.qcdesk"
    wav = tone_wav(tmp_path / "a.wav", 1.0, freq=523)
    with empty_project(path) as p:
        info = p.media.attach(p.documents.add("I", ParsedDocument("A: hi", "txt")).id, wav)
        backup = backups.make_backup(p)
    with Project.open(backup, read_only=True) as b, b.media.open(info.id) as reader:
        assert reader.read() == wav.read_bytes()
    encryption.encrypt_project(path, "a long passphrase")
    assert wav.read_bytes()[44:][2000:2064] not in path.read_bytes()
    with Project.open(path, passphrase="a long passphrase") as p, p.media.open(info.id) as reader:
        assert reader.read() == wav.read_bytes()
