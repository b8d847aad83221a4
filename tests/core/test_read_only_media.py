"""A project on read-only media shows all its committed work, the part still in its WAL included.

The project used to be read as ``immutable``, which ignores the WAL: a copy taken while a
window had it open showed 0 codings where there were 30. The media is a real read-only bind
mount when the tests may mount (as root in a container); otherwise it is simulated as the
other lock tests do, and the test then checks that nothing was created or changed there.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from qcdesk.core.errors import OperationError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.core.storage import lockfile

pytestmark = pytest.mark.core

CODINGS = 30


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture()
def read_only_folder(tmp_path, monkeypatch):
    """(folder to fill, folder to open): the second is the first mounted read-only, if possible."""
    source, media = tmp_path / "source", tmp_path / "media"
    source.mkdir()
    media.mkdir()
    mounted = subprocess.run(["mount", "--bind", str(source), str(media)], capture_output=True).returncode == 0
    if mounted and subprocess.run(["mount", "-o", "remount,ro,bind", str(media)],
                                  capture_output=True).returncode != 0:
        subprocess.run(["umount", str(media)], check=False)
        mounted = False
    if not mounted:
        media.rmdir()
        media = source
        monkeypatch.setattr(lockfile, "writable", lambda path: False)
    try:
        yield source, media, mounted
    finally:
        if mounted:
            subprocess.run(["umount", str(media)], check=False)


def _with_codings_in_the_wal(folder: Path, with_shm: bool, passphrase: str | None) -> None:
    path = folder.parent / "work" / "study.qcdesk"
    path.parent.mkdir()
    with Project.create(path, passphrase=passphrase) as project:
        doc = project.documents.add("I1", ParsedDocument(text="Mentor: We met weekly.\n" * 40,
                                                         source_format="txt"))
        code = project.codebook.add("Meetings").value
    with Project.open(path, passphrase=passphrase) as project:
        for i in range(CODINGS):
            project.codings.apply(doc.id, code.id, i * 20, i * 20 + 10)
        for side in ("", "-wal", "-shm") if with_shm else ("", "-wal"):
            shutil.copyfile(str(path) + side, str(folder / path.name) + side)


@pytest.mark.parametrize("passphrase", [None, "correct horse battery"], ids=["plain", "encrypted"])
@pytest.mark.parametrize("with_shm", [True, False], ids=["with-shm", "without-shm"])
@pytest.mark.parametrize("asked", [False, True], ids=["window", "asked-read-only"])
def test_read_only_media_show_the_work_in_the_wal(read_only_folder, with_shm, passphrase, asked, tmp_path,
                                                   monkeypatch):
    source, media, mounted = read_only_folder
    _with_codings_in_the_wal(source, with_shm, passphrase)
    scratch_root = tmp_path / "tmp"
    scratch_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch_root))
    before = _snapshot(media)

    with Project.open(media / "study.qcdesk", passphrase=passphrase, read_only=asked) as project:
        assert project.read_only
        assert len(project.codings_for_codes([c.id for c in project.codes()])) == CODINGS
        assert project.integrity_ok()
        if not asked:  # the notice names both files to copy, not "the file" alone
            assert "study.qcdesk together with study.qcdesk-wal" in project.read_only_notice
        with pytest.raises(OperationError):
            project.codebook.add("Nope")
        for copy in scratch_root.iterdir():  # a private copy is the owner's alone
            assert copy.stat().st_mode & 0o077 == 0

    assert _snapshot(media) == before
    assert list(scratch_root.iterdir()) == []  # the private copy, if one was made, is gone
    if not mounted:
        pytest.skip("could not mount a read-only folder here: checked on a simulated one")


@pytest.mark.parametrize("asked", [False, True], ids=["window", "asked-read-only"])
def test_a_folded_project_on_read_only_media_opens(read_only_folder, asked):
    """The usual case: a project closed properly (no WAL) copied to a stick or a CD."""
    source, media, _mounted = read_only_folder
    work = source.parent / "work"
    work.mkdir()
    with Project.create(work / "study.qcdesk") as project:
        project.codebook.add("Meetings")
    shutil.copyfile(work / "study.qcdesk", source / "study.qcdesk")
    before = _snapshot(media)
    with Project.open(media / "study.qcdesk", read_only=asked) as project:
        assert [c.name for c in project.codes()] == ["Meetings"]
        if not asked:
            assert "copy study.qcdesk to a folder of your own" in project.read_only_notice
    assert _snapshot(media) == before
