"""A REFI-QDA package of a large project is written without holding it all in memory: each
document's selections are written out as they are made and each text is read when its file is
written, and the ``project.qde`` that comes out is byte for byte the tree serialised at once."""

from __future__ import annotations

import tracemalloc
import zipfile

import pytest

from qcdesk.core.coding_rules import NewCoding, add_codings
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.interchange import export_file
from qcdesk.core.interchange.refi_export import _serialise, project_xml
from qcdesk.core.interchange.report import InterchangeReport
from qcdesk.core.storage import schema

pytestmark = pytest.mark.core

WORDS = "handover shift nurse “ward” café 😀 registrar patient night — naïve".split()


def coded_project(new_project, documents: int = 24, codings: int = 150):
    """Documents of a few thousand characters, each with ``codings`` codings of eight words under
    three codes (overlapping: a selection's name is its first 60 characters)."""
    p = new_project("big.qcdesk")
    codes = [p.codebook.add(f"Code {i}").value.id for i in range(3)]
    for d in range(documents):
        text = " ".join(WORDS[(d + i) % len(WORDS)] for i in range(codings * 2))
        doc = p.documents.add(f"Interview {d:02}", ParsedDocument(text=text, source_format="txt"))
        starts = [i for i in range(len(text)) if i == 0 or text[i - 1] == " "][:codings]
        rows = [NewCoding(doc.id, codes[k % 3], a, min(len(text), a + 70), None, schema.now())
                for k, a in enumerate(starts)]
        with p.action() as changes:
            add_codings(p.db, rows, changes)
    return p


def test_the_package_holds_the_tree_serialised_at_once(rich_project, new_project, tmp_path):
    for project in (rich_project, coded_project(new_project, documents=3, codings=40)):
        out = tmp_path / f"{project.path.stem}.qdpx"
        export_file(project, out)
        whole = _serialise(project_xml(project, InterchangeReport(path=out.name))[0])
        with zipfile.ZipFile(out) as zf:
            assert zf.namelist()[0] == "project.qde"
            assert zf.read("project.qde") == whole
            for doc in project.documents():
                assert project.document_text(doc.id) in {zf.read(n).decode() for n in zf.namelist()[1:]}


def test_memory_stays_below_the_size_of_the_xml(new_project, tmp_path):
    project = coded_project(new_project)
    out = tmp_path / "big.qdpx"
    tracemalloc.start()
    try:
        export_file(project, out)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    with zipfile.ZipFile(out) as zf:
        xml = zf.getinfo("project.qde").file_size
        assert zf.read("project.qde").count(b"<PlainTextSelection ") == 24 * 150
    # before: the whole project.qde as one bytes object (and every text) at once; now what grows
    # with the project is the set of GUIDs given out (about half as many bytes as the XML)
    assert peak < xml, (peak, xml)
