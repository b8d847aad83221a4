"""Matrices: counts per code and case, per attribute value, and of overlapping codes."""

from __future__ import annotations

import pytest

from qcdesk.core.errors import OperationError
from qcdesk.core.matrices import build, cell_query, code_attribute_matrix, code_case_matrix, cooccurrence_matrix
from qcdesk.core.retrieval import retrieve

from retrieval_study import add_attribute, add_case

pytestmark = pytest.mark.core


def row(table, name):
    return dict(zip(table.column_headers, table.cells[table.row_headers.index(name)]))


@pytest.fixture
def with_cases(study):
    project, ids, c, texts = study
    role = add_attribute(project, "Role", "choice", ["mentor", "mentee"])
    cases = {
        "P03": add_case(project, "P03", documents=[ids["d1"]], attrs={role: "mentee"}),
        "M01": add_case(project, "M01", speakers=[(ids["d2"], "M01")], attrs={role: "Mentor "}),
        "Q09": add_case(project, "Q09"),
    }
    return project, ids, c, cases, role


def test_code_case_counts_segments_and_documents(with_cases):
    project, ids, c, cases, _ = with_cases
    table = code_case_matrix(project)
    assert table.column_headers == ["M01", "P03", "Q09"]
    assert table.row_headers == ["Mentoring", "Assigned", "Belonging", "Worry"]
    assert table.row_levels == [0, 1, 0, 0]
    assert row(table, "Belonging") == {"M01": 1, "P03": 2, "Q09": 0}
    assert row(table, "Mentoring") == {"M01": 1, "P03": 1, "Q09": 0}
    rolled = code_case_matrix(project, include_subcodes=True)
    assert row(rolled, "Mentoring") == {"M01": 1, "P03": 2, "Q09": 0}
    docs = code_case_matrix(project, "documents")
    assert row(docs, "Belonging") == {"M01": 1, "P03": 1, "Q09": 0}
    assert any("sub-codes" in note for note in table.notes)


def test_code_attribute_groups_cases_by_value(with_cases):
    project, ids, c, cases, role = with_cases
    table = code_attribute_matrix(project, role)
    # choice order, spelling as first written, group sizes
    assert table.column_headers == ["Mentor (n=1)", "mentee (n=1)"]
    assert table.cells[table.row_headers.index("Belonging")] == [1, 2]
    assert table.cells[table.row_headers.index("Worry")] == [1, 0]
    by_cases = code_attribute_matrix(project, role, "cases")
    assert by_cases.cells[by_cases.row_headers.index("Belonging")] == [1, 1]
    assert any("1 case(s) without a value of Role" in n for n in table.notes)


def test_cooccurrence_counts_overlapping_pairs(with_cases):
    project, ids, c, cases, _ = with_cases
    table = cooccurrence_matrix(project)
    assert row(table, "Assigned")["Belonging"] == 1
    assert row(table, "Belonging")["Assigned"] == 1
    assert row(table, "Worry")["Mentoring"] == 1
    assert row(table, "Mentoring")["Belonging"] == 0
    assert row(table, "Worry")["Worry"] is None
    rolled = cooccurrence_matrix(project, include_subcodes=True)
    assert row(rolled, "Mentoring")["Belonging"] == 1


def test_cells_lead_to_the_segments_behind_them(with_cases):
    project, ids, c, cases, role = with_cases
    table = code_case_matrix(project)
    r, col = table.row_headers.index("Belonging"), table.column_headers.index("P03")
    found = retrieve(project, cell_query(table, r, col))
    assert [x.text for x in found] == ["was assigned by the school", "I felt I belonged"]
    by_role = code_attribute_matrix(project, role)
    found = retrieve(project, cell_query(by_role, by_role.row_headers.index("Belonging"), 0))
    assert [x.text for x in found] == ["I belong here"]
    co = cooccurrence_matrix(project)
    q = cell_query(co, co.row_headers.index("Worry"), co.column_headers.index("Mentoring"))
    assert [x.text for x in retrieve(project, q)] == ["I worry"]
    assert cell_query(co, 0, 0) is None


def test_build_dispatches_and_refuses_unknown_requests(with_cases):
    project, _, _, _, role = with_cases
    assert build(project, "code-attribute", attribute_id=role).title == "Segments by code and Role"
    with pytest.raises(OperationError, match="attribute"):
        build(project, "code-attribute")
    with pytest.raises(OperationError, match="Unknown matrix"):
        build(project, "code-document")
    with pytest.raises(OperationError, match="does not exist"):
        build(project, "code-attribute", attribute_id=999)


def test_a_project_without_cases_gives_empty_columns(study):
    project = study[0]
    table = code_case_matrix(project)
    assert table.column_headers == [] and all(r == [] for r in table.cells)
    assert "The project has no cases yet." in table.notes
