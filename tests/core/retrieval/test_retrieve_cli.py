"""qcdesk retrieve and qcdesk matrix: names in, segments, quotes and tables out."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook
from retrieval_study import add_attribute, add_case

from qcdesk.cli import main

pytestmark = pytest.mark.core


@pytest.fixture
def saved(study):
    project, ids, _c, _t = study
    role = add_attribute(project, "Role", "choice", ["mentor", "mentee"])
    add_case(project, "P03", documents=[ids["d1"]], attrs={role: "mentee"})
    add_case(project, "M01", speakers=[(ids["d2"], "M01")], attrs={role: "mentor"})
    path = str(project.path)
    project.close()
    return path


def test_retrieve_prints_segments_with_where_and_codes(saved, capsys):
    assert main(["retrieve", saved, "--code", "Mentoring", "--code", "belonging", "--mode", "and"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == ["P03, Interview 3, ¶2, 00:12:35 [Assigned, Belonging]: was assigned"]
    assert err.strip() == "1 segment"


def test_retrieve_quotes_with_filters(saved, capsys):
    assert main(["retrieve", saved, "--code", "Belonging", "--attribute", "Role=Mentee", "--quotes"]) == 0
    out = capsys.readouterr().out
    assert out.strip().split("\n\n") == ["“was assigned by the school” (P03, Interview 3, ¶2, 00:12:35)",
                                         "“I felt I belonged” (P03, Interview 3, ¶4, 00:13:35)"]
    assert main(["retrieve", saved, "--code", "Belonging", "--mode", "not", "--exclude", "Mentoring",
                 "--case", "p03", "--coder", "Ana", "--speaker", "P03"]) == 0
    assert capsys.readouterr().out.splitlines() == ["P03, Interview 3, ¶4, 00:13:35 [Belonging]: I felt I belonged"]


def test_retrieve_by_path_and_clear_errors(saved, capsys):
    assert main(["retrieve", saved, "--code", "Mentoring > Assigned"]) == 0
    assert "My mentor 😀 was assigned" in capsys.readouterr().out
    assert main(["retrieve", saved, "--code", "Nope"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "qcdesk: There is no code named “Nope”."
    assert main(["retrieve", saved, "--code", "Worry", "--attribute", "Role"]) == 1
    assert "NAME=VALUE" in capsys.readouterr().err


def test_matrix_writes_csv_and_xlsx(saved, tmp_path, capsys):
    out = tmp_path / "roles.csv"
    assert main(["matrix", saved, "--kind", "code-attribute", "--attribute", "role", "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["Code", "mentor (n=1)", "mentee (n=1)", "Total"]  # totals: distinct segments
    assert ["Belonging", "1", "2", "3"] in rows
    xlsx = tmp_path / "co.xlsx"
    assert main(["matrix", saved, "--kind", "cooccurrence", "--out", str(xlsx)]) == 0
    sheet = load_workbook(xlsx).active
    assert [c.value for c in sheet[1]][:5] == ["Code", "Mentoring", "Assigned", "Belonging", "Worry"]
    assert main(["matrix", saved, "--kind", "code-attribute", "--out", str(out)]) == 1
    assert "Choose the attribute" in capsys.readouterr().err
