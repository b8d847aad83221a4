"""The participants ("attributes") report: values in their natural order with n and %, bins for
number attributes, one row per participant, and the filters that choose cases."""

from __future__ import annotations

import docx
import openpyxl
import pytest

from qcdesk.cli import main
from qcdesk.core.errors import ExportFailed
from qcdesk.core.reports import ReportOptions, build_report
from qcdesk.core.reports.participants import binned, edges_for, tables
from builders import empty_project

pytestmark = pytest.mark.core

PEOPLE = [("P01", "9", "2024-03-01", "mentee"), ("P02", "10", "2023-11-20", "mentor"),
          ("P03", "100", "2024-01-15", "mentee"), ("P04", "25", "", "mentee")]


@pytest.fixture
def project(tmp_path):
    p = empty_project(tmp_path / "people.qcd")
    age = p.attributes.define("Age", "number").id
    seen = p.attributes.define("Interviewed", "date").id
    role = p.attributes.define("Role", "choice", ["mentor", "mentee"]).id
    for name, years, day, kind in PEOPLE:
        case = p.cases.add(name).value.id
        p.attributes.set_value(case, age, years)
        if day:
            p.attributes.set_value(case, seen, day)
        p.attributes.set_value(case, role, kind)
    yield p
    p.close()


def rows(table):
    return [(h, *c) for h, c in zip(table.row_headers, table.cells)]


def test_numbers_and_dates_in_order_with_n_and_percent(project):
    values, people = tables(project, ReportOptions())
    found = rows(values)
    # numbers by size (not 10, 100, 25, 9 as text), dates by date, choices in their own order
    assert found[:5] == [("Age", 4, "100%"), ("9", 1, "25%"), ("10", 1, "25%"), ("25", 1, "25%"),
                         ("100", 1, "25%")]
    assert found[5:10] == [("Interviewed", 3, "75%"), ("2023-11-20", 1, "25%"), ("2024-01-15", 1, "25%"),
                           ("2024-03-01", 1, "25%"), ("not recorded", 1, "25%")]
    assert found[10:] == [("Role", 4, "100%"), ("mentor", 1, "25%"), ("mentee", 3, "75%")]
    assert people.column_headers == ["Age", "Interviewed", "Role"]
    assert rows(people)[3] == ("P04", 25, "", "mentee")


def test_bins_for_number_attributes(project):
    values, _ = tables(project, ReportOptions(bins=[0, 18, 65]))
    assert rows(values)[:4] == [("Age", 4, "100%"), ("0 to under 18", 2, "50%"), ("18 to 65", 1, "25%"),
                                ("above 65", 1, "25%")]
    assert edges_for([10.0, 20.0], 2) == [10.0, 15.0, 20.0]
    assert binned([10.0, 15.0, 20.0], [10.0, 15.0, 20.0]) == [("10 to under 15", 1), ("15 to 20", 2)]


def test_case_and_attribute_filters_choose_the_participants(project, tmp_path):
    role = project.attributes.by_name("Role").id
    report = build_report(project, "attributes", ReportOptions(attribute_values=[(role, "mentee")]))
    texts = [getattr(b, "runs", None) and b.runs[0].text for b in report.blocks]
    assert "3 cases, described by 3 attributes." in texts
    assert ("Filtered to", "Role = mentee") in report.metadata
    with pytest.raises(ExportFailed, match="No case has Role = astronaut"):
        build_report(project, "attributes", ReportOptions(attribute_values=[(role, "astronaut")]))
    with pytest.raises(ExportFailed, match="cannot be narrowed by coder"):
        build_report(project, "attributes", ReportOptions(coder_ids=[]))


def test_word_and_cli(project, tmp_path):
    path = project.path
    project.close()
    out = tmp_path / "p.xlsx"
    assert main(["export", str(path), "--report", "attributes", "--out", str(out), "--bins", "2",
                 "--case", "P01", "--case", "P03"]) == 0
    book = openpyxl.load_workbook(out)
    first = [[c.value for c in r] for r in book.worksheets[0].iter_rows()]
    assert first[1:4] == [["Age", 2, "100%"], ["9 to under 54.5", 1, "50%"], ["54.5 to 100", 1, "50%"]]
    assert [[c.value for c in r] for r in book.worksheets[1].iter_rows()][1:3] == [
        ["P01", 9, "2024-03-01", "mentee"], ["P03", 100, "2024-01-15", "mentee"]]
    word = tmp_path / "p.docx"
    assert main(["export", str(path), "--report", "attributes", "--out", str(word)]) == 0
    document = docx.Document(str(word))
    assert [c.text for c in document.tables[1].rows[0].cells] == ["Case", "Age", "Interviewed", "Role"]
    assert main(["export", str(path), "--report", "attributes", "--out", str(word), "--bins", "x"]) == 1
