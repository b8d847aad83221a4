"""Writing a report file: clear failures that leave existing files alone, progress, and the CLI."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import docx
import docx.document
import pytest

from qcdesk import cli
from qcdesk.core.errors import ExportFailed
from qcdesk.core.reports import write_report

from .conftest import make_sample

pytestmark = pytest.mark.core

ORIGINAL = b"the co-author's annotated copy"


@pytest.fixture
def outdir(tmp_path):
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def existing(outdir: Path) -> Path:
    out = outdir / "report.docx"
    out.write_bytes(ORIGINAL)
    return out


def test_missing_folder(sample, tmp_path):
    out = tmp_path / "no such folder" / "report.docx"
    with pytest.raises(ExportFailed, match="folder .*no such folder does not exist"):
        write_report(sample.project, "segments-by-code", out)
    assert not out.parent.exists()


def test_unsupported_suffix(sample, outdir):
    with pytest.raises(ExportFailed, match=r"\.pdf files.*\.docx"):
        write_report(sample.project, "segments-by-code", outdir / "report.pdf")
    with pytest.raises(ExportFailed, match="without a suffix"):
        write_report(sample.project, "segments-by-code", outdir / "report")
    assert list(outdir.iterdir()) == []


def test_unknown_kind_lists_the_valid_ones_and_keeps_the_file(sample, outdir):
    out = existing(outdir)
    with pytest.raises(ExportFailed) as info:
        write_report(sample.project, "sentiment", out)
    assert "'sentiment'" in str(info.value)
    assert "segments-by-code" in str(info.value) and "codebook" in str(info.value)
    assert out.read_bytes() == ORIGINAL


def test_out_is_a_folder(sample, outdir):
    (outdir / "report.docx").mkdir()
    with pytest.raises(ExportFailed, match="is a folder"):
        write_report(sample.project, "codebook", outdir / "report.docx")


def test_disk_full_leaves_the_existing_file_untouched(sample, outdir, monkeypatch):
    out = existing(outdir)

    def full_disk(self, stream):
        stream.write(b"PK\x03\x04 half a zip")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(docx.document.Document, "save", full_disk)
    with pytest.raises(ExportFailed, match="Not enough disk space to write report.docx"):
        write_report(sample.project, "segments-by-code", out)
    assert out.read_bytes() == ORIGINAL
    assert sorted(p.name for p in outdir.iterdir()) == ["report.docx"]  # no temporary left behind


def test_permission_denied_when_moving_into_place(sample, outdir, monkeypatch):
    out = existing(outdir)

    def locked(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(ExportFailed, match="Permission denied writing report.docx.*open in Word"):
        write_report(sample.project, "segments-by-code", out)
    assert out.read_bytes() == ORIGINAL
    assert sorted(p.name for p in outdir.iterdir()) == ["report.docx"]


def test_unexpected_errors_also_clean_up(sample, outdir, monkeypatch):
    out = existing(outdir)

    def broken(self, stream):
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(docx.document.Document, "save", broken)
    with pytest.raises(RuntimeError):
        write_report(sample.project, "codebook", out)
    assert out.read_bytes() == ORIGINAL
    assert sorted(p.name for p in outdir.iterdir()) == ["report.docx"]


def test_success_replaces_the_old_file_and_is_owner_only(sample, outdir):
    out = existing(outdir)
    old_umask = os.umask(0o022)
    try:
        write_report(sample.project, "codebook", out)
    finally:
        os.umask(old_umask)
    assert out.read_bytes() != ORIGINAL
    assert docx.Document(str(out)).core_properties.title == "Codebook"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # interview quotes: the owner's eyes only
    assert sorted(p.name for p in outdir.iterdir()) == ["report.docx"]


def test_relative_path_in_the_current_folder(sample, outdir, monkeypatch):
    monkeypatch.chdir(outdir)
    assert write_report(sample.project, "codebook", Path("codebook.DOCX")) == Path("codebook.DOCX")
    assert (outdir / "codebook.DOCX").stat().st_size > 0


def test_progress_grows_to_a_fixed_total(sample, outdir):
    calls = []
    write_report(sample.project, "segments-by-code", outdir / "r.docx",
                 progress=lambda done, total: calls.append((done, total)))
    totals = {t for _, t in calls}
    done = [d for d, _ in calls]
    assert totals == {8}  # 4 codes built, then rendered
    assert done == sorted(done) and len(set(done)) == len(done)
    assert done[:4] == [1, 2, 3, 4] and done[-1] == 8


# ---------------------------------------------------------------- command line
@pytest.fixture
def project_file(tmp_path):
    s = make_sample(tmp_path)
    s.project.close()
    return s.path


def test_cli_export_writes_the_report(project_file, tmp_path, capsys):
    out = tmp_path / "cli.docx"
    code = cli.main(["export", str(project_file), "--report", "segments-by-code", "--out", str(out)])
    assert code == 0
    assert "wrote" in capsys.readouterr().out
    document = docx.Document(str(out))
    assert "Fatigue" in [p.text for p in document.paragraphs if p.style.name == "Heading 2"]


def test_cli_codebook(project_file, tmp_path):
    out = tmp_path / "cb.docx"
    assert cli.main(["export", str(project_file), "--report", "codebook", "--out", str(out)]) == 0
    assert docx.Document(str(out)).core_properties.title == "Codebook"


def test_cli_unknown_kind_fails_with_a_sentence(project_file, tmp_path, capsys):
    out = tmp_path / "x.docx"
    code = cli.main(["export", str(project_file), "--report", "wordcloud", "--out", str(out)])
    assert code == 1
    err = capsys.readouterr().err
    assert "wordcloud" in err and "segments-by-code, codebook" in err
    assert not out.exists()


def test_cli_missing_folder(project_file, tmp_path, capsys):
    out = tmp_path / "missing" / "x.docx"
    assert cli.main(["export", str(project_file), "--out", str(out)]) == 1
    assert "does not exist" in capsys.readouterr().err
