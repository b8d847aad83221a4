"""Attribute tables to and from real CSV and XLSX files: round trips, bad values, type inference."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from qcdesk.core.attributes_io import export_attributes, import_attributes, infer_type, read_table
from qcdesk.core.errors import OperationError
from builders import empty_project

pytestmark = pytest.mark.core


@pytest.fixture
def project(tmp_path: Path):
    with empty_project(tmp_path / "p.qcdesk") as p:
        yield p


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def by_name(project) -> dict[str, dict[str, object]]:
    columns = project.attributes.all()
    return {r.case.name: {a.name: r.get(a) for a in columns if r.get(a) is not None}
            for r in project.attributes.table()}


def test_infer_type():
    assert infer_type(["34", "41", "", "29.5"]) == ("number", [])
    assert infer_type(["2024-03-05", "13/03/2024", "5 March 2024"]) == ("date", [])
    assert infer_type(["05/03/2024", "20/03/2024"]) == ("date", [])  # the column shows day first
    assert infer_type(["woman", "man", "Woman", "man"]) == ("choice", ["woman", "man"])
    assert infer_type(["North", "South", "East"]) == ("text", [])  # no repeats: names, not categories
    assert infer_type([]) == ("text", [])


def test_csv_import_creates_cases_attributes_and_reports_rejects(project, tmp_path):
    existing = project.cases.add("P01").value
    project.cases.add("P02")
    age = project.attributes.define("Age", "number")
    path = write_csv(tmp_path / "participants.csv", [
        ["Participant", "Gender", "Age", "Interviewed", "Role", "Notes"],
        ["P01", "woman", "34", "05/03/2024", "mentor", "first"],
        ["P02", "man", "forty", "20/03/2024", "mentee", ""],
        ["", "", "", "", "", ""],
        ["P03", "woman", "29", "2024-04-02", "mentee", "=1+1"],
        ["", "man", "1", "", "", ""],
        ["P01", "man", "50", "", "", ""],
    ], delimiter=";")
    seen = []
    project.subscribe(seen.append)
    report = import_attributes(project, path)
    assert len(seen) == 1 and seen[0].attributes and seen[0].cases
    assert report.cases_created == ["P03"]
    assert report.attributes_created == [("Gender", "choice"), ("Interviewed", "date"),
                                         ("Role", "choice"), ("Notes", "text")]
    assert [(r, col) for r, col, _m in report.rejected] == [(3, "Age"), (6, "Participant"), (7, "Participant")]
    assert "“forty” is not a number" in report.rejected[0][2]
    assert "already appears in row 2" in report.rejected[2][2]
    assert "row 3, Age: “forty” is not a number." in report.text()
    table = by_name(project)
    assert table["P01"] == {"Gender": "woman", "Age": 34, "Interviewed": dt.date(2024, 3, 5),
                            "Role": "mentor", "Notes": "first"}
    assert table["P02"] == {"Gender": "man", "Interviewed": dt.date(2024, 3, 20), "Role": "mentee"}
    assert table["P03"]["Notes"] == "=1+1"
    assert project.attributes.value(existing.id, age.id) == 34
    # importing the same file again changes nothing and says so
    again = import_attributes(project, path)
    assert again.values_set == 0 and again.values_unchanged == 13 and again.cases_created == []


def test_import_without_creating_cases_lists_unknown_rows(project, tmp_path):
    project.cases.add("P01")
    path = write_csv(tmp_path / "a.csv", [["Case", "School"], ["P01", "North"], ["P09", "South"]])
    report = import_attributes(project, path, create_cases=False)
    assert report.unknown_cases == [(3, "P09")]
    assert [c.name for c in project.cases.all()] == ["P01"]


def test_ambiguous_dates_rejected_unless_order_given(project, tmp_path):
    path = write_csv(tmp_path / "d.csv", [["Case", "Date", "Group"], ["A", "05/03/2024", "x"],
                                          ["B", "06/04/2024", "x"]])
    project.attributes.define("Date", "date")
    report = import_attributes(project, path)
    assert [r for r, _c, _m in report.rejected] == [2, 3]
    assert "ambiguous" in report.rejected[0][2]
    report = import_attributes(project, path, date_order="dmy")
    assert by_name(project)["B"]["Date"] == dt.date(2024, 4, 6)


def test_cp1252_csv_and_tab_separated(project, tmp_path):
    path = tmp_path / "w.csv"
    path.write_bytes("Case\tTown\nZoë\tMalmö\nJosé\tSão Paulo\n".encode("cp1252"))
    import_attributes(project, path)
    assert by_name(project) == {"José": {"Town": "São Paulo"}, "Zoë": {"Town": "Malmö"}}


def test_xlsx_round_trip_keeps_types(project, tmp_path):
    source = tmp_path / "in.xlsx"
    book = Workbook()
    sheet = book.active
    sheet.append(["Case", "Age", "Start", "Gender", "Quote"])
    sheet.append(["P1", 34, dt.datetime(2024, 3, 5), "F", "=SUM(A1)"])
    sheet.append(["P2", 41.5, dt.datetime(2024, 3, 20), "M", "plain"])
    sheet.append(["P3", None, dt.datetime(2024, 4, 1), "F", None])
    sheet["E2"].data_type = "s"
    book.save(source)
    report = import_attributes(project, source)
    assert report.rejected == []
    assert dict(report.attributes_created) == {"Age": "number", "Start": "date", "Gender": "choice",
                                               "Quote": "text"}
    before = by_name(project)
    assert before["P1"] == {"Age": 34, "Start": dt.date(2024, 3, 5), "Gender": "F", "Quote": "=SUM(A1)"}
    out = tmp_path / "out.xlsx"
    assert export_attributes(project, out) == 3
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[1]] == ["Case", "Age", "Start", "Gender", "Quote"]
    assert sheet["B3"].value == 41.5 and sheet["B2"].data_type == "n"
    assert sheet["C2"].is_date and sheet["C2"].value.date() == dt.date(2024, 3, 5)
    assert sheet["E2"].data_type == "s" and sheet["E2"].value == "=SUM(A1)"
    # into a fresh project: the same table, the same inferred types
    with empty_project(tmp_path / "copy.qcdesk") as copy:
        import_attributes(copy, out)
        assert by_name(copy) == before
        assert [(a.name, a.value_type) for a in copy.attributes.all()] == \
               [(a.name, a.value_type) for a in project.attributes.all()]


def test_csv_export_round_trip(project, tmp_path):
    path = write_csv(tmp_path / "in.csv", [["Case", "Age", "Seen"], ["A", "3,5", "2024-01-02"],
                                           ["B", "7", "2024-02-03"]])
    import_attributes(project, path)
    out = tmp_path / "out.csv"
    export_attributes(project, out)
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows == [["Case", "Age", "Seen"], ["A", "3.5", "2024-01-02"], ["B", "7", "2024-02-03"]]
    header, body = read_table(out)
    assert header == ["Case", "Age", "Seen"] and [n for n, _ in body] == [2, 3]


@pytest.mark.parametrize("rows, message", [
    ([["Case"], ["A"]], "at least one attribute"),
    ([["Case", "Age", "age"], ["A", "1", "2"]], "appear twice"),
    ([["Case", "", "Age"], ["A", "1", "2"]], "column 2 has no attribute name"),
])
def test_bad_headers_are_refused_and_nothing_changes(project, tmp_path, rows, message):
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(OperationError, match=message):
        import_attributes(project, path)
    assert project.cases.all() == [] and project.attributes.all() == []


def test_not_a_workbook(project, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("not a zip")
    with pytest.raises(OperationError, match="could not be read as an Excel workbook"):
        import_attributes(project, path)
