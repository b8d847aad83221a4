"""Exports do not name the user's folders: no project folder, home path or file path of the
imported transcript inside a Word report, a REFI-QDA project or codebook, or an audit CSV."""

from __future__ import annotations

import zipfile

import pytest

from qcdesk.core import audit
from qcdesk.core.importing import import_files
from qcdesk.core.interchange import export_file
from qcdesk.core.reports import write_report
from builders import empty_project

pytestmark = pytest.mark.core

FOLDER = "Dr_Okonkwo_private_study"
SOURCE_FOLDER = "Confidential_Recordings_Vault"


def _texts(path):
    if path.suffix in (".docx", ".qdpx", ".qdc") and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            return {name: z.read(name).decode("utf-8", "replace") for name in z.namelist()}
    return {path.name: path.read_bytes().decode("utf-8", "replace")}


def test_no_export_kind_names_the_users_folders(tmp_path):
    work = tmp_path / FOLDER
    src = tmp_path / SOURCE_FOLDER
    work.mkdir()
    src.mkdir()
    (src / "interview.txt").write_text("I: Hello.\nP: Morning shifts.\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    with empty_project(work / "study.qcdesk") as project:
        project.set_coder("AB")
        doc = import_files(project, [src / "interview.txt"]).imported[0]
        code = project.codebook.add("Shifts").value
        project.codings.apply(doc.id, code.id, 13, 27)
        files = [write_report(project, "segments-by-code", out / "r.docx"),
                 write_report(project, "codebook", out / "c.docx")]
        for name in ("p.qdpx", "c.qdc"):
            export_file(project, out / name)
            files.append(out / name)
        audit.export_csv(project, out / "a.csv")
        files.append(out / "a.csv")
    for path in files:
        for part, text in _texts(path).items():
            for needle in (FOLDER, SOURCE_FOLDER, str(tmp_path)):
                assert needle not in text, f"{path.name}:{part} names {needle}"
    with zipfile.ZipFile(out / "r.docx") as z:
        core = z.read("docProps/core.xml").decode("utf-8")
    assert "<dc:creator>AB</dc:creator>" in core
    # the coder, never the computer's user account
    assert "<cp:lastModifiedBy>AB</cp:lastModifiedBy>" in core
