"""Long reports spill the body to a temporary file: same document, bounded memory."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from qcdesk.core.reports import build_report, docx_writer, write_report
from qcdesk.core.reports.docx_stream import Spill

from .conftest import big_project
from .test_coded_transcript import anchored_text

pytestmark = pytest.mark.core


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    project = big_project(tmp_path_factory.mktemp("big") / "big.qcd", n_docs=6, n_codes=40, n_segments=1500)
    yield project
    project.close()


def render(report, spill_every: int, monkeypatch) -> bytes:
    monkeypatch.setattr(docx_writer, "SPILL_EVERY", spill_every)
    buf = io.BytesIO()
    docx_writer.render(report, buf)
    return buf.getvalue()


def test_spilled_document_equals_the_one_built_in_memory(big, monkeypatch):
    report = build_report(big, "segments-by-code")
    flushes = []
    original = Spill.flush
    monkeypatch.setattr(Spill, "flush", lambda self, d: (flushes.append(1), original(self, d)))
    streamed = docx.Document(io.BytesIO(render(report, 100, monkeypatch)))
    assert len(flushes) >= len(report.blocks) // 100 - 1
    whole = docx.Document(io.BytesIO(render(report, 10 ** 9, monkeypatch)))
    assert [p.text for p in streamed.paragraphs] == [p.text for p in whole.paragraphs]
    assert [p.style.name for p in streamed.paragraphs] == [p.style.name for p in whole.paragraphs]
    assert len(streamed.tables) == len(whole.tables) > 0
    assert streamed.tables[-1].cell(0, 0).text == whole.tables[-1].cell(0, 0).text


def test_namespaces_declared_once(big, monkeypatch):
    data = render(build_report(big, "segments-by-code"), 100, monkeypatch)
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert xml.count('xmlns:w="') == 1
    assert xml.count("<w:body>") == 1 and xml.rstrip().endswith("</w:document>")


def test_comments_survive_spilling(big, monkeypatch, tmp_path: Path):
    monkeypatch.setattr(docx_writer, "SPILL_EVERY", 40)
    out = write_report(big, "coded-transcript", tmp_path / "t.docx")
    document = docx.Document(out)
    anchors = anchored_text(document)
    assert len(document.comments) == 1500
    coded = []
    for doc in big.documents():
        text = big.document_text(doc.id)
        coded += [text[c.start:c.end] for c in big.codings_for_document(doc.id)]
    assert sorted(anchors.values()) == sorted(coded)


PEAK_SCRIPT = """
import io, sys
from qcdesk.core.reports import docx_writer
from qcdesk.core.reports.structure import Quote, Report
docx_writer.SPILL_EVERY = int(sys.argv[1])
report = Report("segments-by-code", "Load", blocks=[
    Quote("I think the workload on nights was really hard, honestly. " * 3, f"Interview {i % 60} · P1 · 1:05",
          "#2980b9") for i in range(12000)])
docx_writer.render(report, io.BytesIO())
print(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory is read from /proc")
def test_spilling_bounds_memory():
    """Peak resident memory of a 12,000-quote report, in a fresh interpreter each time."""
    def peak_kb(spill_every: int) -> int:
        done = subprocess.run([sys.executable, "-c", PEAK_SCRIPT, str(spill_every)],
                              capture_output=True, text=True, check=True)
        return int(done.stdout.split()[-1])

    whole, spilled = peak_kb(10 ** 9), peak_kb(500)
    assert whole - spilled > 40_000, (whole, spilled)  # the tree alone held over 40 MB more


def test_many_middle_sized_tables_are_spilled_as_they_add_up(monkeypatch):
    """A matrices report of many tables each under the spill size (column groups of a large
    codebook) still leaves the tree every few tables, and reads back the same."""
    from qcdesk.core.reports.docx_tables import SPILL_CELLS
    from qcdesk.core.reports.structure import Heading, Report, Table, TableRow

    rows = SPILL_CELLS // 10 // 3  # a third of the spill size per table
    blocks = []
    for t in range(12):
        blocks.append(Heading(1, f"Matrix {t}"))
        blocks.append(Table(header=("Code", *(f"C{c}" for c in range(9))),
                            rows=tuple(TableRow((f"Code {t}.{r}", *(str(r * c) for c in range(9))))
                                       for r in range(rows))))
    report = Report("matrices", "Many", blocks=blocks)
    flushes = []
    original = Spill.flush
    monkeypatch.setattr(Spill, "flush", lambda self, d: (flushes.append(1), original(self, d)))
    streamed = docx.Document(io.BytesIO(render(report, 10 ** 9, monkeypatch)))
    assert len(flushes) >= 12 // 3 - 1
    assert len(streamed.tables) == 12
    assert [t.cell(rows, 0).text for t in streamed.tables] == [f"Code {t}.{rows - 1}" for t in range(12)]
