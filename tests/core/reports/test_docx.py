"""Word output: write real reports, re-open them with python-docx and read what a co-author sees."""

from __future__ import annotations

import zipfile

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from qcdesk.core.reports import ReportOptions, write_report
from qcdesk.core.reports.docx_writer import render
from qcdesk.core.reports.structure import Quote, Report

from .conftest import ARABIC, EMOJI, big_project, plain
from builders import empty_project

pytestmark = pytest.mark.core


@pytest.fixture
def written(sample, tmp_path):
    out = tmp_path / "out" / "report.docx"
    out.parent.mkdir()
    assert write_report(sample.project, "segments-by-code", out) == out
    return docx.Document(str(out)), out


def styled(document, prefix):
    return [(p.text, p.style.name) for p in document.paragraphs if p.style.name.startswith(prefix)]


def test_headings_use_word_heading_styles_in_tree_order(written):
    document, _ = written
    assert styled(document, "Heading") == [
        ("Barriers", "Heading 1"), ("Workload", "Heading 2"), ("Fatigue", "Heading 2"),
        ("Support", "Heading 1"), ("Summary: segments per code and document", "Heading 1"),
    ]
    assert [t for t, s in styled(document, "Title") if s == "Title"] == ["Coded segments by code"]


def test_quotes_are_exact_and_followed_by_their_source(written):
    document, _ = written
    paras = document.paragraphs
    pairs = [(p.text, paras[i + 1].text, paras[i + 1].style.name)
             for i, p in enumerate(paras) if p.style.name == "Quote"]
    assert pairs == [
        ("workload", "— Interview 01 · Participant 1 · 1:05", "Segment Source"),
        ("The workload is relentless on surgical rotations.", "— Interview 01 · Participant 1 · 1:05",
         "Segment Source"),
        (EMOJI, "— Interview 01 · Participant 1 · 1:02:05", "Segment Source"),
        (ARABIC, "— Interview 02 · Participant 2 · 0:12", "Segment Source"),
        ("Residents looked exhausted at handover.", "— Field notes · ¶ 2", "Segment Source"),
        ("My supervisor always checked in.", "— Interview 02 · Participant 2 · 2:10", "Segment Source"),
    ]


def test_right_to_left_quotes_are_marked_bidi(written):
    document, _ = written
    by_text = {p.text: p for p in document.paragraphs if p.style.name == "Quote"}
    assert by_text[ARABIC]._p.pPr.find(qn("w:bidi")) is not None
    assert by_text[EMOJI]._p.pPr.find(qn("w:bidi")) is None


def test_code_colour_is_shown(written):
    document, _ = written
    facts = next(p for p in document.paragraphs if p.text.endswith("3 segments in 3 documents"))
    fills = [el.get(qn("w:fill")) for el in facts._p.iter(qn("w:shd"))]
    assert fills == ["F4D03F"]
    quote = next(p for p in document.paragraphs if p.text == "Residents looked exhausted at handover.")
    bar = quote._p.pPr.find(qn("w:pBdr")).find(qn("w:left"))
    assert bar.get(qn("w:color")) == "F4D03F"


def test_summary_table_counts_and_repeats_its_header(written):
    document, _ = written
    table = document.tables[-1]
    grid = [[c.text for c in row.cells] for row in table.rows]
    assert grid[0] == ["Code", "Interview 01", "Interview 02", "Field notes", "Total"]
    assert [row[0].strip() for row in grid[1:]] == ["Barriers", "Workload", "Fatigue", "Support", "Total"]
    assert [row[1:] for row in grid[1:]] == [
        ["1", "0", "0", "1"], ["1", "0", "0", "1"], ["1", "1", "1", "3"], ["0", "1", "0", "1"],
        ["3", "2", "1", "6"],
    ]
    assert table.style.name == "Table Grid"
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None


def test_table_fits_the_page(written):
    document, _ = written
    section = document.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    widths = [int(g.get(qn("w:w"))) * 635 for g in document.tables[-1]._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert len(widths) == 5
    assert text_width * 0.95 <= sum(widths) <= text_width
    assert section.orientation == WD_ORIENT.PORTRAIT


def test_properties_and_parts_reveal_no_path(written, sample, tmp_path):
    document, out = written
    props = document.core_properties
    assert props.title == "Coded segments by code"
    assert props.author == "Amira Haddad, Ben Okafor"
    assert props.comments == "" and props.last_modified_by == "Ben Okafor"  # the coder at work
    folder = str(sample.path.parent)
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            data = z.read(name).decode("utf-8", "replace")
            assert folder not in data, name
            assert "python-docx" not in data, name
    title_page = "\n".join(p.text for p in document.paragraphs[:10])
    assert "study.qcd" in title_page and folder not in title_page


def test_title_page_facts(written):
    document, _ = written
    texts = [p.text for p in document.paragraphs if p.style.name == "Title Facts"]
    assert "Project:\tstudy.qcd" in texts
    assert "Coded segments:\t6" in texts
    assert "Coders:\tAmira Haddad, Ben Okafor" in texts


def test_many_documents_put_the_summary_on_a_landscape_page(tmp_path):
    out = tmp_path / "wide.docx"
    with big_project(tmp_path / "wide.qcd", n_docs=9, n_codes=4, n_segments=36) as project:
        write_report(project, "segments-by-code", out)
    document = docx.Document(str(out))
    first, last = document.sections[0], document.sections[-1]
    assert first.orientation == WD_ORIENT.PORTRAIT and first.page_width < first.page_height
    assert last.orientation == WD_ORIENT.LANDSCAPE and last.page_width > last.page_height
    summary = document.tables[0]
    text_width = last.page_width - last.left_margin - last.right_margin
    widths = [int(g.get(qn("w:w"))) * 635 for g in summary._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert len(widths) == 11 and sum(widths) <= text_width
    assert [c.text for c in summary.rows[-1].cells][-1] == "36"
    # the landscape footer puts the page number at its own right edge
    tabs = [t for t in last.footer._element.iter(qn("w:tab")) if t.get(qn("w:val")) == "right"]
    assert int(tabs[0].get(qn("w:pos"))) * 635 == pytest.approx(text_width, abs=700)


def test_codebook_document(sample, tmp_path):
    out = tmp_path / "codebook.docx"
    write_report(sample.project, "codebook", out, ReportOptions(title="Codebook – pilot"))
    document = docx.Document(str(out))
    assert [t for t, _ in styled(document, "Heading")] == [
        "Overview", "Codes", "Barriers", "Workload", "Fatigue", "Support", "Unused"]
    assert styled(document, "Heading")[3] == ("Workload", "Heading 3")
    assert document.core_properties.title == "Codebook – pilot"
    grid = [[c.text.strip() for c in row.cells] for row in document.tables[0].rows]
    assert grid[3] == ["Fatigue", "3", "3", "3"]
    assert "Tiredness, sleep loss." in [p.text for p in document.paragraphs]


def test_line_breaks_tabs_and_control_characters_survive(tmp_path):
    text = "First line\nsecond\tcolumn\x0cafter a form feed \x01 end"
    report = Report(kind="t", title="T", blocks=[Quote(text, "Doc · ¶ 1")])
    out = tmp_path / "t.docx"
    render(report, str(out))
    quote = next(p for p in docx.Document(str(out)).paragraphs if p.style.name == "Quote")
    assert quote.text == "First line\nsecond\tcolumn\nafter a form feed \ufffd end"


def test_multiline_segment_round_trips(tmp_path):
    with empty_project(tmp_path / "m.qcd") as project:
        doc = project.documents.add("Notes", plain(["Line one", "Line two — ✓ done"])).id
        code = project.codebook.add("Both").value.id
        project.codings.apply(doc, code, 0, len(project.document_text(doc)))
        out = write_report(project, "segments-by-code", tmp_path / "m.docx")
    quotes = [p.text for p in docx.Document(str(out)).paragraphs if p.style.name == "Quote"]
    assert quotes == ["Line one\nLine two — ✓ done"]
