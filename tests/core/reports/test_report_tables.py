"""Matrices and participant attributes as Word tables and as CSV/XLSX."""

from __future__ import annotations

import csv
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from docx.oxml.ns import qn

from qcdesk.core.errors import ExportFailed
from qcdesk.core.reports import REPORT_KINDS, ReportOptions, formats_for, write_report
from qcdesk.core.reports.table_reports import word_tables
from qcdesk.core.reports.structure import Section, Table
from qcdesk.core.tables import Table as Grid

pytestmark = pytest.mark.core


@pytest.fixture
def study(sample):
    p = sample.project
    one, two = p.cases.add("P1").value, p.cases.add("P2").value
    p.cases.link_documents(one.id, [sample.docs["i1"]])
    p.cases.link_documents(two.id, [sample.docs["i2"]])
    gender = p.attributes.define("Gender", "choice", choices=["woman", "man"])
    p.attributes.set_value(one.id, gender.id, "woman")
    p.attributes.set_value(two.id, gender.id, "man")
    return sample


def test_kinds_and_formats():
    assert {"matrices", "attributes"} <= set(REPORT_KINDS)
    assert formats_for("matrices") == [".docx", ".csv", ".xlsx"]
    assert formats_for("coded-transcript") == [".docx"]


def test_matrices_in_word(study, tmp_path: Path):
    document = docx.Document(write_report(study.project, "matrices", tmp_path / "m.docx",
                                          ReportOptions(include_charts=False)))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == ["Segments by code and case", "Segments by code and Gender", "Code co-occurrence"]
    case_table = document.tables[0]
    grid = [[c.text for c in row.cells] for row in case_table.rows]
    assert grid[0] == ["Code", "P1", "P2", "Total"]
    assert ["Fatigue", "1", "1", "2"] in grid and ["Support", "0", "1", "1"] in grid
    assert grid[-1][0] == "Total"
    header = case_table.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert document.tables[0].style.name == "Table Grid"


def test_matrix_as_csv_and_xlsx(study, tmp_path: Path):
    options = ReportOptions(matrices=["code-case"])
    out = write_report(study.project, "matrices", tmp_path / "m.csv", options)
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0] == ["Code", "P1", "P2", "Total"] and ["Support", "0", "1", "1"] in rows
    book = openpyxl.load_workbook(write_report(study.project, "attributes", tmp_path / "a.xlsx"))
    values = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert ["Gender", 2, "100%"] in values and ["woman", 1, "50%"] in values
    people = [[c.value for c in row] for row in book.worksheets[1].iter_rows()]
    assert people[:3] == [["Case", "Gender"], ["P1", "woman"], ["P2", "man"]]
    assert not list(tmp_path.glob(".~*"))


def test_several_matrices_need_word(study, tmp_path: Path):
    with pytest.raises(ExportFailed, match="one matrix"):
        write_report(study.project, "matrices", tmp_path / "m.csv")
    with pytest.raises(ExportFailed, match=".docx"):
        write_report(study.project, "segments-by-code", tmp_path / "s.csv")
    assert not (tmp_path / "m.csv").exists()


def test_attribute_summary_report(study, tmp_path: Path):
    document = docx.Document(write_report(study.project, "attributes", tmp_path / "a.docx"))
    texts = [p.text for p in document.paragraphs]
    assert "Gender: 1 woman, 1 man" in texts
    assert [c.text for c in document.tables[0].rows[2].cells] == ["woman", "1", "50%"]


def test_wide_matrix_turns_landscape_and_splits():
    names = [f"Participant {i}" for i in range(30)]
    grid = Grid("Wide", names, ["A", "B"], [list(range(30)), list(range(30))], corner="Code")
    blocks = word_tables(grid)
    assert isinstance(blocks[0], Section) and blocks[0].landscape
    tables = [b for b in blocks if isinstance(b, Table)]
    assert [len(t.header) - 1 for t in tables] == [14, 14, 2] and all(t.dense for t in tables)
    assert isinstance(blocks[-1], Section) and not blocks[-1].landscape


def test_wide_matrix_fits_the_landscape_page(tmp_path: Path):
    from qcdesk.core.reports import docx_writer
    from qcdesk.core.reports.structure import Report

    names = [f"P{i}" for i in range(20)]
    report = Report("matrices", "Wide", blocks=word_tables(Grid("Wide", names, ["A"], [list(range(20))])))
    docx_writer.render(report, tmp_path / "w.docx")
    document = docx.Document(tmp_path / "w.docx")
    wide = document.sections[1]
    assert wide.page_width > wide.page_height
    text_width = wide.page_width - wide.left_margin - wide.right_margin
    for table in document.tables:
        assert sum(c.width for c in table.columns) <= text_width


def test_segments_by_theme_with_memos(sample):
    p = sample.project
    coding = p.codings_for_codes([sample.codes["Support"]])[0]
    with p.action():
        p.db.execute("INSERT INTO memos(title, body, coding_id, created, modified) "
                     "VALUES ('', 'Warm tone.', ?, '2024', '2024')", [coding.id])
    from qcdesk.core.reports import build_report

    report = build_report(p, "segments-by-code", ReportOptions(group_by="theme", include_memos=True))
    heads = [(h.level, h.text) for h in report.headings()]
    assert heads[:3] == [(1, "Barriers"), (2, "Workload"), (2, "Fatigue")]
    texts = [getattr(b, "text", "") for b in report.blocks]
    i = texts.index("My supervisor always checked in.")
    assert texts[i + 1] == "Memo: Warm tone."
    plain = build_report(p, "segments-by-code")
    assert "Memo: Warm tone." not in [getattr(b, "text", "") for b in plain.blocks]


def test_cli_exports_every_kind(study, tmp_path: Path):
    from qcdesk.cli import main

    study.project.close()
    for kind, name in [("coded-transcript", "t.docx"), ("codebook", "c.docx"),
                       ("attributes", "a.csv"), ("attributes", "a.docx")]:
        assert main(["export", str(study.path), "--report", kind, "--out", str(tmp_path / name)]) == 0
        assert (tmp_path / name).stat().st_size > 0
    assert "Gender" in (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
    assert main(["export", str(study.path), "--report", "coded-transcript", "--out", str(tmp_path / "t.csv")]) == 1


def test_long_column_names_become_numbers_with_a_key_and_totals_are_marked():
    from qcdesk.core.reports.structure import Paragraph

    names = ["P1", "Participant 12", "Interviewee-with-hyphens", "Total"]
    grid = Grid("Narrow", names, ["A", "Total"], [[1, 2, 3, 6], [1, 2, 3, 6]], corner="Code",
                keys={"totals": True})
    blocks = word_tables(grid)
    [table] = [b for b in blocks if isinstance(b, Table)]
    assert table.header == ("Code", "1", "2", "3", "Total")
    assert [r.total for r in table.rows] == [False, True]
    keys = [b.text for b in blocks if isinstance(b, Paragraph) and b.text.startswith("Columns:")]
    assert keys == ["Columns: 1 = P1 · 2 = Participant 12 · 3 = Interviewee-with-hyphens"]
    short = word_tables(Grid("Short", ["P1", "mentee (n=2)"], ["A"], [[1, 2]]))
    assert [b for b in short if isinstance(b, Table)][0].header == ("", "P1", "mentee (n=2)")


def test_a_large_matrix_written_as_text_reads_back_cell_by_cell(tmp_path: Path):
    from qcdesk.core.reports import docx_writer
    from qcdesk.core.reports.structure import Report

    rows = [f"Code {i} & <sub>" for i in range(400)]
    grid = Grid("Big", ["A", "B", "C", "D", "Total"], rows, [[i, 0, 1, 2, i + 3] for i in range(400)],
                corner="Code", keys={"totals": True})
    report = Report("matrices", "Big", blocks=word_tables(grid))
    docx_writer.render(report, tmp_path / "big.docx")
    document = docx.Document(tmp_path / "big.docx")
    [table] = document.tables
    grid_back = [[c.text for c in row.cells] for row in table.rows]
    assert grid_back[0] == ["Code", "A", "B", "C", "D", "Total"]
    assert grid_back[1:] == [[f"Code {i} & <sub>", str(i), "0", "1", "2", str(i + 3)] for i in range(400)]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert table.rows[-1].cells[0].paragraphs[0].runs[0].bold  # the totals row


def test_each_column_group_of_a_wide_matrix_keys_exactly_its_own_columns():
    from qcdesk.core.reports.structure import Paragraph

    names = [f"Participant number {i}" for i in range(1, 31)] + ["Total"]
    grid = Grid("Wide", names, ["A", "Total"], [list(range(31)), list(range(31))], corner="Code",
                keys={"totals": True})
    blocks = word_tables(grid)
    tables = [b for b in blocks if isinstance(b, Table)]
    keys = [b.text for b in blocks if isinstance(b, Paragraph) and b.text.startswith("Columns:")]
    assert len(tables) == len(keys) == 3  # 31 columns, 14 per landscape table
    for table, key in zip(tables, keys):
        numbers = [h for h in table.header[1:] if h != "Total"]
        assert key == "Columns: " + " · ".join(f"{n} = Participant number {n}" for n in numbers)
    assert tables[-1].header[-1] == "Total"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.one_of(st.integers(0, 10 ** 6).map(str), st.just(""), st.text(max_size=6)),
                         min_size=3, max_size=3), min_size=1, max_size=6),
       st.booleans(), st.integers(0, 3))
def test_table_rows_written_as_text_read_back_cell_by_cell(rows, bold, indent):
    """Matrix rows of whole numbers take a template, other rows go cell by cell: both read back
    as the cells, bold, right-aligned numbers and the first cell's indentation."""
    from qcdesk.core.reports import docx_adapter as dx
    from qcdesk.core.reports.docx_grid import RowMaker, append_rows
    from qcdesk.core.reports.docx_text import xml_safe

    document = dx.new_document()
    table = document.add_table(rows=0, cols=4)
    maker = RowMaker([635 * 1000] * 4, [False, True, True, True], "Normal")
    cells = [["Code", *row] for row in rows]
    made = [maker.row(c, fill="F2F2F2" if bold else None, indent=indent, bold=bold) for c in cells]
    kept = [(c, xml) for c, xml in zip(cells, made) if xml is not None]
    append_rows(table, [xml for _c, xml in kept])
    for (expected, _xml), row in zip(kept, table.rows):
        assert [c.text for c in row.cells] == [xml_safe(t) for t in expected]
        for i, cell in enumerate(row.cells):
            par = cell.paragraphs[0]
            assert (par.alignment is not None) == (i > 0)
            assert all(bool(r.bold) == bold for r in par.runs)
        indent_el = dx.xml_of(row.cells[0].paragraphs[0]).find(f".//{dx.qn('w:ind')}")
        assert (indent_el is not None) == bool(indent)
