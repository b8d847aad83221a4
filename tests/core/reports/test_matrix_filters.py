"""Matrices and the participants report under the report filters: every matrix cell equals what
the retrieval panel finds with the same filters, for every combination of the filters; a filter
value nobody has is an error for every report kind; spreadsheets and charts from the command line."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import docx
import openpyxl
import pytest

from qcdesk.cli import main
from qcdesk.core import matrices
from qcdesk.core.errors import ExportFailed
from qcdesk.core.reports import REPORT_KINDS, ReportOptions, build_report
from qcdesk.core.reports.table_reports import matrix_filter
from qcdesk.core.retrieval import AttributeCondition, Query, retrieve

from .test_report_filters import study  # noqa: F401  (the fixture)

pytestmark = pytest.mark.core


def atoms(s):
    """Single filters as (ReportOptions keywords, Query keywords)."""
    return {
        "cases": ({"case_ids": [s.cases["Mina"], s.cases["Sara"], s.cases["Tom"]]},
                  {"cases": [s.cases["Mina"], s.cases["Sara"], s.cases["Tom"]]}),
        "attribute": ({"attribute_values": [(s.role, "mentee")]},
                      {"attributes": [AttributeCondition(s.role, value="mentee")]}),
        "speakers": ({"speakers": ["Sara", "Omar", "Tom"]}, {"speakers": ["Sara", "Omar", "Tom"]}),
        "coder": ({"coder_ids": [s.coders["Ben"]]}, {"coders": [s.coders["Ben"]]}),
        "documents": ({"document_ids": [s.docs["group"], s.docs["omar"]]},
                      {"documents": [s.docs["group"], s.docs["omar"]]}),
    }


COMBINATIONS = [c for n in range(0, 6) for c in itertools.combinations(
    ["cases", "attribute", "speakers", "coder", "documents"], n)]


def merged(parts):
    report, query = {}, {}
    for r, q in parts:
        report.update(r)
        query.update(q)
    return report, query


def found(project, code_id, query_filters, **override) -> int:
    return len(retrieve(project, Query((code_id,), include_subcodes=False, **{**query_filters, **override})))


@pytest.mark.parametrize("names", COMBINATIONS, ids=lambda c: "+".join(c) or "none")
def test_matrix_cells_equal_retrieval_for_every_filter_combination(study, names):
    p = study.project
    report_filters, query_filters = merged([atoms(study)[n] for n in names])
    options = ReportOptions(**report_filters)
    shown = matrix_filter(p, options)
    if "attribute" in names and "cases" in names and not shown.case_ids:
        pytest.skip("no case left")
    by_case = matrices.build(p, "code-case", shown=shown)
    wanted_cases = set(query_filters.get("cases", study.cases.values()))
    if "attribute" in names:
        wanted_cases &= {study.cases["Mina"], study.cases["Sara"]}
    assert set(by_case.keys["columns"]) == wanted_cases  # the chosen cases are the columns
    for r, code_id in enumerate(by_case.keys["rows"]):
        for c, case_id in enumerate(by_case.keys["columns"]):
            assert by_case.cells[r][c] == found(p, code_id, query_filters, cases=[case_id]), (names, r, c)
        # the row total: distinct segments in any shown case
        assert by_case.keys["row_totals"][r] == found(p, code_id, query_filters,
                                                      cases=sorted(wanted_cases)), (names, r)
    by_role = matrices.build(p, "code-attribute", attribute_id=study.role, shown=shown)
    for r, code_id in enumerate(by_role.keys["rows"]):
        for c, value in enumerate(by_role.keys["columns"]):
            group = [i for name, i in study.cases.items() if i in wanted_cases
                     and (name in ("Mina", "Sara")) == (value.casefold() == "mentee")]
            assert by_role.cells[r][c] == found(p, code_id, query_filters, cases=group), (names, r, c)
    # with no case condition the matrices count what the segments report lists
    if "cases" not in names and "attribute" not in names:
        table = matrices.build(p, "cooccurrence", shown=shown)
        listed = {code.id: 0 for code in p.codes()}
        for seg_code, n in _segment_counts(p, options).items():
            listed[seg_code] = n
        for code_id in study.codes.values():
            assert found(p, code_id, query_filters) == listed[code_id]
        assert len(table.row_headers) == len(study.codes)


def _segment_counts(project, options):
    from qcdesk.core.reports.selection import segment_counts, select

    per_code: dict[int, int] = {}
    for (code_id, _doc), n in segment_counts(project, select(project, options)).items():
        per_code[code_id] = per_code.get(code_id, 0) + n
    return per_code


def test_codes_levels_and_totals(study):
    p = study.project
    top = matrices.build(p, "code-case", shown=matrix_filter(p, ReportOptions(max_level=1)))
    assert top.row_headers == ["Support", "Fatigue"]
    assert any("top-level codes only" in n for n in top.notes)
    chosen = matrices.build(p, "code-case", include_subcodes=True,
                            shown=matrix_filter(p, ReportOptions(code_ids=[study.codes["Support"]])))
    assert chosen.row_headers == ["Support", "Mentoring"]
    full = matrices.with_totals(chosen)
    assert full.column_headers[-1] == "Total" and full.row_headers[-1] == "Total"
    # Support with Mentoring: Mina 2 (rotation question, mentor), Omar 1, Sara 1 (group), Tom 0
    support = dict(zip(full.column_headers, full.cells[0]))
    assert support == {"Mina": 2, "Omar": 1, "Sara": 1, "Tom": 0, "Total": 4}
    # the moderator's "Who supported you?" is in no case: not counted anywhere
    assert full.cells[-1][-1] == 4


def test_cooccurrence_leaves_out_codes_overlapping_nothing(study):
    p = study.project
    table = matrices.build(p, "cooccurrence", hide_empty=True)
    assert table.row_headers == [] and any("2 code(s)" in n or "3 code(s)" in n for n in table.notes)


@pytest.mark.parametrize("kind", list(REPORT_KINDS))
def test_an_attribute_value_nobody_has_is_an_error_for_every_kind(study, tmp_path, capsys, kind):
    path = study.project.path
    study.project.close()
    out = tmp_path / "x.docx"
    assert main(["export", str(path), "--report", kind, "--out", str(out), "--attribute", "Role=astronaut"]) == 1
    err = capsys.readouterr().err
    assert "No case has Role = astronaut" in err and err.count("\n") == 1
    assert not out.exists()


def test_a_speaker_nobody_is_is_an_error(study):
    with pytest.raises(ExportFailed, match="speaker called 'Nobody'"):
        build_report(study.project, "matrices", ReportOptions(speakers=["Nobody"]))


def test_cli_matrices_report_filters_the_counts(study, tmp_path):
    path = study.project.path
    study.project.close()
    out = tmp_path / "m.xlsx"
    assert main(["export", str(path), "--report", "matrices", "--out", str(out), "--coder", "Ben",
                 "--attribute", "Role=mentor"]) == 0
    book = openpyxl.load_workbook(out)
    assert [s.title for s in book.worksheets] == ["Segments by code and case", "Segments by code and Role",
                                                  "Code co-occurrence"]
    rows = [[c.value for c in r] for r in book.worksheets[0].iter_rows()]
    assert rows[0] == ["Code", "Omar", "Tom", "Total"]  # only the mentors
    # Ben coded Omar's "I check in…" (Mentoring) and Tom's "We try to protect…" (Fatigue)
    assert rows[1:4] == [["Support", 0, 0, 0], ["Mentoring", 1, 0, 1], ["Fatigue", 0, 1, 1]]
    notes = [r[0] for r in rows if r[0] and r[0].startswith("Filtered to")]
    assert notes == ["Filtered to coded by Ben; Role = mentor."]


def test_cli_matrices_as_csv_needs_one_matrix(study, tmp_path, capsys):
    path = study.project.path
    study.project.close()
    out = tmp_path / "m.csv"
    assert main(["export", str(path), "--report", "matrices", "--out", str(out)]) == 1
    assert "--matrix KIND" in capsys.readouterr().err and not out.exists()
    assert main(["export", str(path), "--report", "matrices", "--out", str(out), "--matrix", "code-attribute",
                 "--matrix-attribute", "Role", "--levels", "1"]) == 0
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0] == ["Code", "mentee (n=2)", "mentor (n=2)", "Total"]
    assert [r[0] for r in rows[1:4]] == ["Support", "Fatigue", "Total"]


def test_cli_matrix_subcommand_takes_the_filters(study, tmp_path):
    path = study.project.path
    study.project.close()
    out = tmp_path / "m.csv"
    assert main(["matrix", str(path), "--kind", "code-case", "--out", str(out), "--case", "Sara",
                 "--case", "Tom", "--where", "Role=mentee"]) == 0
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert rows[0] == ["Code", "Sara", "Total"]
    assert rows[1:4] == [["Support", "1", "1"], ["  Mentoring", "0", "0"], ["Fatigue", "1", "1"]]


@pytest.mark.gui
def test_cli_draws_charts_with_alt_text(study, tmp_path, qapp):
    # qapp: in this test process the window's QApplication exists first (a real command line
    # starts its own offscreen QGuiApplication)
    path = study.project.path
    study.project.close()
    out = tmp_path / "m.docx"
    assert main(["export", str(path), "--report", "matrices", "--out", str(out)]) == 0
    document = docx.Document(str(out))
    assert len(document.inline_shapes) == 2
    descriptions = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    assert descriptions[0].startswith("Bar chart: Coded segments per top-level code. ")
    assert descriptions[0].endswith("Support: 5; Fatigue: 4.")
    assert descriptions[1].startswith("Chart: Saturation")
    assert main(["export", str(path), "--report", "matrices", "--out", str(out), "--no-charts"]) == 0
    assert len(docx.Document(str(out)).inline_shapes) == 0


def test_sets_still_narrow_the_matrices(study):
    p = study.project
    wave = p.sets.create("Wave 1").value.id
    p.sets.add_documents(wave, [study.docs["mina"]])
    table = matrices.build(p, "code-case", shown=matrix_filter(p, ReportOptions(set_ids=[wave])))
    assert table.keys["grand_total"] == 3  # Mina's three codings


def test_command_line_process_without_display_draws_charts(study, tmp_path):
    import os
    import subprocess
    import sys

    path = study.project.path
    study.project.close()
    out = tmp_path / "m.docx"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[3])
    done = subprocess.run([sys.executable, "-c", "import sys; from qcdesk.cli import main; sys.exit(main())",
                           "export", str(path), "--report", "matrices", "--out", str(out)],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(docx.Document(str(out)).inline_shapes) == 2


def test_charts_follow_the_filters(study):
    # Ben's codings only: Support 1 + Mentoring 1 under Support, Fatigue 2
    charts = build_report(study.project, "matrices", ReportOptions(coder_ids=[study.coders["Ben"]])).charts()
    bars, curve = charts
    assert dict(zip(bars.labels, bars.values)) == {"Support": 2.0, "Fatigue": 2.0}
    # Mina's interview: Support (the question); Omar's: Mentoring; the focus group: Fatigue
    assert curve.values == (1.0, 1.0, 1.0) and curve.series[0][1] == (1.0, 2.0, 3.0)
    mentors = build_report(study.project, "matrices",
                           ReportOptions(attribute_values=[(study.role, "mentor")])).charts()[1]
    assert mentors.labels == ("Interview Omar", "Focus group")  # only documents holding a mentor's text


@pytest.mark.parametrize("sub", [False, True])
def test_segment_totals_count_each_coding_once(study, sub):
    """Row, column and grand totals of the segment matrices, against a count made coding by coding
    (a coding in two cases, or under a code and its parent, is one segment)."""
    from qcdesk.core.retrieval import CaseMap
    from qcdesk.core.storage import retrieval as sql

    p = study.project
    parent = {c.id: c.parent_id for c in p.codes()}
    case_map = CaseMap(p)
    codings = [(code_id, case_map.cases_of(doc, start, end)) for _cid, doc, code_id, start, end, _c
               in sql.all_codings(p.db)]

    def rows_of(code_id):
        chain = [code_id]
        while sub and parent[chain[-1]] is not None:
            chain.append(parent[chain[-1]])
        return chain

    for kind, group in (("code-case", lambda c: {c}),
                        ("code-attribute", lambda c: {"mentee" if c in (study.cases["Mina"], study.cases["Sara"])
                                                      else "mentor"})):
        table = matrices.build(p, kind, include_subcodes=sub,
                               **({"attribute_id": study.role} if kind == "code-attribute" else {}))
        columns = [str(c).casefold() for c in table.keys["columns"]]
        col_of = [{str(g).casefold() for c in cases for g in group(c)} & set(columns) for _code, cases in codings]
        for r, code_id in enumerate(table.keys["rows"]):
            in_row = [i for i, (code, _cases) in enumerate(codings) if code_id in rows_of(code)]
            assert table.keys["row_totals"][r] == sum(1 for i in in_row if col_of[i]), (kind, r)
            for c, column in enumerate(columns):
                assert table.cells[r][c] == sum(1 for i in in_row if column in col_of[i]), (kind, r, c)
        for c, column in enumerate(columns):
            assert table.keys["column_totals"][c] == sum(1 for cols in col_of if column in cols), (kind, c)
        assert table.keys["grand_total"] == sum(1 for cols in col_of if cols), kind
