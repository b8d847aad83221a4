"""Attaching a recording bigger than the room left on the disk stores no part of it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from disk_space import small_disk  # noqa: E402,F401 - the fixture
from media_files import tone_wav  # noqa: E402

from qcdesk.core.errors import DiskFullError  # noqa: E402
from qcdesk.core.importers.base import ParsedDocument  # noqa: E402
from qcdesk.core.project import Project  # noqa: E402


@pytest.mark.parametrize("how", ["attach", "add_recording"])
def test_a_recording_that_does_not_fit_leaves_nothing_half_stored(small_disk, tmp_path, how):
    wav = tone_wav(tmp_path / "long interview.wav", 200.0, rate=16000)  # 6.4 MB on a 4 MB disk
    path = small_disk.root / "study.qcdesk"
    with Project.create(path) as p:
        doc = p.documents.add("Interview", ParsedDocument("A: hello", "txt"))
        with pytest.raises(DiskFullError) as err:
            if how == "attach":
                p.media.attach(doc.id, wav)
            else:
                p.media.add_recording(wav)
        assert "\n" not in str(err.value) and "full" in str(err.value)
        assert p.db.execute("SELECT count(*) FROM media").fetchone()[0] == 0
        assert p.db.execute("SELECT count(*) FROM media_chunks").fetchone()[0] == 0
        assert [d.id for d in p.documents()] == [doc.id]
    small_disk.make_room()
    with Project.open(path) as p:
        assert p.integrity_ok()
        assert p.media.all() == [] and [d.name for d in p.documents()] == ["Interview"]
        small = tone_wav(tmp_path / "short.wav", 1.0)
        assert p.media.attach(doc.id, small).size == small.stat().st_size  # works once there is room
