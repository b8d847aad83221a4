"""``qcdesk-cli check`` compares every recording stored inside with its size and SHA-256."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from media_files import tone_wav  # noqa: E402

from qcdesk.cli import main  # noqa: E402
from qcdesk.core import check  # noqa: E402
from qcdesk.core import media as media_mod  # noqa: E402
from qcdesk.core.importers.base import ParsedDocument  # noqa: E402
from qcdesk.core.project import Project  # noqa: E402
from builders import empty_project


def _project(folder: Path) -> tuple[Path, int]:
    path = folder / "p.qcdesk"
    old = media_mod.CHUNK_SIZE
    media_mod.CHUNK_SIZE = 2048
    try:
        with empty_project(path) as p:
            doc = p.documents.add("Interview", ParsedDocument("A: hello", "txt"))
            info = p.media.attach(doc.id, tone_wav(folder / "talk.wav", 0.5))
            p.media.add_recording(tone_wav(folder / "linked.wav", 0.5), embed=False)
    finally:
        media_mod.CHUNK_SIZE = old
    return path, info.id


def test_sound_recordings_pass(tmp_path, capsys):
    path, _ = _project(tmp_path)
    report = check.check_file(path)
    assert report.sound and report.media_checked == 1
    assert main(["check", str(path)]) == 0
    assert "recordings stored inside (1): ok" in capsys.readouterr().out


@settings(max_examples=25)
@given(damage=st.sampled_from(["flip", "drop", "truncate"]), which=st.integers(0, 3), at=st.integers(0, 2047))
def test_any_damaged_chunk_is_named(tmp_path_factory, damage, which, at):
    path, media_id = _project(tmp_path_factory.mktemp("check"))
    conn = sqlite3.connect(path)
    seqs = [s for (s,) in conn.execute("SELECT seq FROM media_chunks WHERE media_id = ? ORDER BY seq", [media_id])]
    seq = seqs[which % len(seqs)]
    data = bytearray(conn.execute("SELECT data FROM media_chunks WHERE media_id = ? AND seq = ?",
                                  [media_id, seq]).fetchone()[0])
    if damage == "flip":
        data[at % len(data)] ^= 0x10
        conn.execute("UPDATE media_chunks SET data = ? WHERE media_id = ? AND seq = ?", [bytes(data), media_id, seq])
    elif damage == "drop":
        conn.execute("DELETE FROM media_chunks WHERE media_id = ? AND seq = ?", [media_id, seq])
    else:
        conn.execute("UPDATE media_chunks SET data = ? WHERE media_id = ? AND seq = ?",
                     [bytes(data[: at % len(data)]), media_id, seq])
    conn.commit()
    conn.close()
    report = check.check_file(path)
    assert not report.sound
    assert len(report.damaged_media) == 1 and report.damaged_media[0].startswith("talk.wav")
    with Project.open(path) as p:
        if damage != "flip":  # a reader never hands out a shortened recording as if it were whole
            with pytest.raises(media_mod.MediaMissingError), p.media.open(media_id) as reader:
                reader.read()
