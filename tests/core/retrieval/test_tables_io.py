"""Tables written as CSV and XLSX re-read as they were written."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from qcdesk.core.errors import OperationError
from qcdesk.core.tables import Table, write_table

pytestmark = pytest.mark.core


@pytest.fixture
def table() -> Table:
    return Table(
        title="Segments by code and Role: mentors/mentees",
        column_headers=["Mentor (n=3)", "Mentee 🙂 (n=4)"],
        row_headers=["Mentoring", "Assigned", "=HYPERLINK(\"x\")"],
        cells=[[4, 7], [1, None], [0, 2.5]],
        notes=["Each row counts the codings of that code alone."],
        row_levels=[0, 1, 0],
        corner="Code",
    )


def test_csv_has_a_bom_and_re_reads(tmp_path, table):
    out = write_table(table, tmp_path / "m.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Code", "Mentor (n=3)", "Mentee 🙂 (n=4)"]
    assert rows[1] == ["Mentoring", "4", "7"]
    assert rows[2] == ["  Assigned", "1", ""]
    # a would-be formula stays text
    assert rows[3] == ["'=HYPERLINK(\"x\")", "0", "2.5"]
    assert rows[4] == [] and rows[5] == ["Each row counts the codings of that code alone."]


def test_xlsx_re_reads_with_bold_headers_frozen_panes_and_widths(tmp_path, table):
    out = write_table(table, tmp_path / "m.XLSX")
    book = load_workbook(out)
    sheet = book.active
    assert sheet.title == "Segments by code and Role  ment"[:31]
    values = [[c.value for c in r] for r in sheet.iter_rows(min_row=1, max_row=4)]
    assert values == [["Code", "Mentor (n=3)", "Mentee 🙂 (n=4)"], ["Mentoring", 4, 7],
                      ["Assigned", 1, None], ["=HYPERLINK(\"x\")", 0, 2.5]]
    assert sheet["D4"].value is None
    assert sheet["A4"].data_type == "s"
    assert all(sheet.cell(1, col).font.bold for col in (1, 2, 3))
    assert sheet["A3"].alignment.indent == 1
    assert sheet.freeze_panes == "B2"
    assert sheet.column_dimensions["C"].width >= len("Mentee 🙂 (n=4)")
    assert sheet["A6"].value == "Each row counts the codings of that code alone."
    assert book.properties.title == table.title


def test_other_suffixes_are_refused(tmp_path, table):
    with pytest.raises(OperationError, match=".csv or .xlsx"):
        write_table(table, tmp_path / "m.ods")
