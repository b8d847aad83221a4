"""Document sets as filters: retrieval, matrices, search, saturation, reports and the command line
all read a set filter as "documents in any of these sets"."""

from __future__ import annotations

import json

import pytest
from docx import Document as Docx

from qcdesk.cli import main
from qcdesk.core import matrices
from qcdesk.core.errors import ExportFailed, OperationError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block
from qcdesk.core.project import Project
from qcdesk.core.reports import ReportOptions
from qcdesk.core.reports.selection import segments_by_code, select
from qcdesk.core.retrieval import Query, retrieve
from qcdesk.core.saturation import saturation
from qcdesk.core.search import search
from builders import empty_project

pytestmark = pytest.mark.core

TEXTS = {
    "P01": "My mentor helped me settle. The lab felt cold at first.",
    "P02": "A mentor opened doors. Money was tight all year.",
    "P03": "No mentor at all. Money worries and a cold lab.",
    "P04": "Peers were my mentor, really.",
}


def parsed(text: str) -> ParsedDocument:
    return ParsedDocument(text=text, source_format="txt", blocks=[Block("paragraph", 0, len(text))])


def span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "sets.qcdesk"
    with empty_project(path) as p:
        docs = {name: p.documents.add(name, parsed(text)).id for name, text in TEXTS.items()}
        mentoring = p.codebook.add("Mentoring").value
        money = p.codebook.add("Money").value
        climate = p.codebook.add("Climate").value
        for name, words in (("P01", "My mentor helped me settle"), ("P02", "A mentor opened doors"),
                            ("P03", "No mentor at all"), ("P04", "Peers were my mentor")):
            p.codings.apply(docs[name], mentoring.id, *span(TEXTS[name], words))
        for name, words in (("P02", "Money was tight all year"), ("P03", "Money worries")):
            p.codings.apply(docs[name], money.id, *span(TEXTS[name], words))
        for name, words in (("P01", "The lab felt cold"), ("P03", "a cold lab")):
            p.codings.apply(docs[name], climate.id, *span(TEXTS[name], words))
        p.sets.create("Wave 1", [docs["P01"], docs["P02"]])
        p.sets.create("Site B", [docs["P02"], docs["P03"]])
        p.sets.create("Empty")
    return path


@pytest.fixture
def project(path):
    with Project.open(path) as p:
        yield p


def ids(project) -> dict[str, int]:
    names = {d.name: d.id for d in project.documents()}
    names.update({s.name: s.id for s in project.sets.all()})
    names.update({c.name: c.id for c in project.codes()})
    return names


def docs_of(results) -> list[str]:
    return [r.document_name for r in results]


# ------------------------------------------------------------------------- retrieval
def test_retrieval_keeps_documents_in_any_chosen_set(project):
    i = ids(project)
    assert docs_of(retrieve(project, Query([i["Mentoring"]], sets=[i["Wave 1"]]))) == ["P01", "P02"]
    assert docs_of(retrieve(project, Query([i["Mentoring"]], sets=[i["Wave 1"], i["Site B"]]))) == \
        ["P01", "P02", "P03"]
    # with a document filter: both must hold
    assert docs_of(retrieve(project, Query([i["Mentoring"]], sets=[i["Site B"]],
                                           documents=[i["P01"], i["P02"]]))) == ["P02"]
    assert retrieve(project, Query([i["Mentoring"]], sets=[i["Empty"]])) == []
    with pytest.raises(OperationError, match="Set 999 does not exist"):
        retrieve(project, Query([i["Mentoring"]], sets=[999]))


# ------------------------------------------------------------------------- matrices
def test_code_by_set_matrix_and_its_cells_retrieve_what_they_count(project):
    i = ids(project)
    table = matrices.build(project, "code-set")
    assert table.column_headers == ["Empty (n=0)", "Site B (n=2)", "Wave 1 (n=2)"]
    rows = dict(zip(table.row_headers, table.cells))
    assert rows["Mentoring"] == [0, 2, 2] and rows["Money"] == [0, 2, 1] and rows["Climate"] == [0, 1, 1]
    for r in range(len(table.row_headers)):
        for c in range(len(table.column_headers)):
            assert len(retrieve(project, matrices.cell_query(table, r, c))) == table.cells[r][c]
    docs = matrices.build(project, "code-set", measure="documents", set_ids=[i["Site B"]])
    assert docs.column_headers == ["Site B (n=2)"] and dict(zip(docs.row_headers, docs.cells))["Money"] == [2]


def test_every_matrix_narrows_to_the_sets_and_says_so(project):

    i = ids(project)
    project.codings.apply(i["P03"], i["Climate"], *span(TEXTS["P03"], "worries and a cold lab"))
    whole = matrices.build(project, "cooccurrence")
    m, c = whole.row_headers.index("Money"), whole.row_headers.index("Climate")
    assert whole.cells[m][c] == 1
    assert matrices.build(project, "cooccurrence", set_ids=[i["Wave 1"]]).cells[m][c] == 0
    narrowed = matrices.build(project, "cooccurrence", set_ids=[i["Site B"]])
    assert narrowed.cells[m][c] == 1 and any("“Site B”" in n for n in narrowed.notes)
    assert not any("set" in n for n in whole.notes)

    made = {k.name: k.id for k in project.cases.from_documents([d.id for d in project.documents()])}
    age = project.attributes.define("Group", "text")
    for name in made:
        project.attributes.set_value(made[name], age.id, "early" if name in ("P01", "P03") else "late")
    by_case = matrices.build(project, "code-case", set_ids=[i["Wave 1"]])
    row = by_case.row_headers.index("Mentoring")
    assert dict(zip(by_case.column_headers, by_case.cells[row])) == {"P01": 1, "P02": 1, "P03": 0, "P04": 0}
    by_value = matrices.build(project, "code-attribute", attribute_id=age.id, set_ids=[i["Site B"]])
    assert dict(zip(by_value.column_headers, by_value.cells[row])) == {"early (n=2)": 1, "late (n=2)": 1}
    for table in (by_case, by_value, narrowed):
        for r in range(len(table.row_headers)):
            for col in range(len(table.column_headers)):
                query = matrices.cell_query(table, r, col)
                if query is not None and table.keys["kind"] != "cooccurrence":
                    assert len(retrieve(project, query)) == table.cells[r][col]
    with pytest.raises(OperationError):
        matrices.build(project, "code-set", set_ids=[999])


# ------------------------------------------------------------------------- search, saturation
def test_search_only_in_the_sets_documents(project):
    i = ids(project)
    assert sorted({h.document_name for h in search(project, "mentor")}) == ["P01", "P02", "P03", "P04"]
    assert sorted({h.document_name for h in search(project, "mentor", set_ids=[i["Site B"]])}) == ["P02", "P03"]
    assert [h.document_name for h in search(project, "mentor", set_ids=[i["Site B"]],
                                            document_ids=[i["P03"], i["P04"]])] == ["P03"]


def test_saturation_of_a_sets_documents(project):
    i = ids(project)
    rows = saturation(project, set_ids=[i["Site B"]])
    assert [(r.document_name, r.new_code_names, r.cumulative) for r in rows] == [
        ("P02", ("Mentoring", "Money"), 2), ("P03", ("Climate",), 3)]


# ------------------------------------------------------------------------- reports
def test_report_selection_keeps_the_sets_documents_and_names_the_filter(project):
    i = ids(project)
    selection = select(project, ReportOptions(set_ids=[i["Wave 1"], i["Empty"]]))
    assert [d.name for d in selection.documents] == ["P01", "P02"] and selection.documents_filtered
    assert selection.segment_filter.descriptions == ["sets Wave 1, Empty"]
    segs = segments_by_code(project, selection)
    assert sorted(s.document_name for s in segs[i["Money"]]) == ["P02"]
    both = select(project, ReportOptions(set_ids=[i["Site B"]], document_ids=[i["P01"], i["P02"]]))
    assert [d.name for d in both.documents] == ["P02"]
    with pytest.raises(ExportFailed, match="Set 999 does not exist"):
        select(project, ReportOptions(set_ids=[999]))


# ------------------------------------------------------------------------- command line
def one_error_line(capsys, *fragments):
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("qcdesk: "), err
    for fragment in fragments:
        assert fragment in err[0]


def test_cli_retrieve_search_matrix_saturation_with_set(path, tmp_path, capsys):
    assert main(["retrieve", str(path), "--code", "Mentoring", "--set", "wave 1"]) == 0
    out = capsys.readouterr().out
    assert "P01" in out and "P02" in out and "P03" not in out
    assert main(["retrieve", str(path), "--code", "Mentoring", "--set", "Wave 1", "--set", "Site B"]) == 0
    assert "P03" in capsys.readouterr().out
    assert main(["search", str(path), "money", "--set", "Wave 1"]) == 0
    captured = capsys.readouterr()
    assert "P02" in captured.out and "P03" not in captured.out and "1 hit in 1 document" in captured.err
    out_csv = tmp_path / "m.csv"
    assert main(["matrix", str(path), "--kind", "code-set", "--out", str(out_csv)]) == 0
    assert "Site B (n=2)" in out_csv.read_text(encoding="utf-8-sig")
    assert main(["matrix", str(path), "--kind", "cooccurrence", "--set", "Site B", "--out", str(out_csv)]) == 0
    assert main(["saturation", str(path), "--set", "Site B"]) == 0
    out = capsys.readouterr().out
    assert "P02" in out and "P01" not in out


@pytest.mark.parametrize("command", [
    ["retrieve", "{p}", "--code", "Mentoring", "--set", "Nope"],
    ["search", "{p}", "mentor", "--set", "Nope"],
    ["matrix", "{p}", "--kind", "code-set", "--set", "Nope", "--out", "{out}"],
    ["export", "{p}", "--out", "{out}.docx", "--set", "Nope"],
    ["saturation", "{p}", "--set", "Nope"],
    ["sets", "{p}", "--add", "Nope", "--document", "P01"],
])
def test_cli_unknown_set_is_one_line_and_exit_1(path, tmp_path, capsys, command):
    out = tmp_path / "out.csv"
    argv = [a.format(p=path, out=out) for a in command]
    assert main(argv) == 1
    one_error_line(capsys, "no set named “Nope”")
    assert not out.exists() and not (tmp_path / "out.csv.docx").exists()


def test_cli_export_with_set_reports_only_its_documents(path, tmp_path, capsys):
    out = tmp_path / "r.docx"
    assert main(["export", str(path), "--out", str(out), "--set", "Site B"]) == 0
    text = "\n".join(p.text for p in Docx(str(out)).paragraphs)
    assert "Money worries" in text and "My mentor helped me settle" not in text
    assert "sets Site B" in "\n".join(c.text for t in Docx(str(out)).tables for r in t.rows for c in r.cells) + text


def test_cli_sets_lists_creates_adds_removes_renames_deletes(path, capsys):
    assert main(["sets", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Empty (0 documents)", "Site B (2 documents): P02, P03", "Wave 1 (2 documents): P01, P02"]
    assert main(["sets", str(path), "--create", "Wave 2", "--document", "P03", "--document", "P04"]) == 0
    assert "created set “Wave 2” with 2 documents" in capsys.readouterr().out
    assert main(["sets", str(path), "--add", "wave 2", "--document", "P01", "--document", "P03"]) == 0
    assert "added 1 document to “Wave 2”" in capsys.readouterr().out
    assert main(["sets", str(path), "--remove", "Wave 2", "--document", "P04"]) == 0
    assert main(["sets", str(path), "--rename", "Wave 2", "--to", "Second wave"]) == 0
    assert main(["sets", str(path), "--delete", "Empty"]) == 0
    capsys.readouterr()
    assert main(["sets", str(path), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == [{"name": "Second wave", "documents": ["P01", "P03"]},
                      {"name": "Site B", "documents": ["P02", "P03"]},
                      {"name": "Wave 1", "documents": ["P01", "P02"]}]


@pytest.mark.parametrize("argv, fragment", [
    (["--create", "wave 1"], "already a set called “Wave 1”"),
    (["--create", "New", "--document", "P09"], "no document named “P09”"),
    (["--add", "Wave 1"], "--document"),
    (["--rename", "Wave 1"], "--to"),
    (["--document", "P01"], "--document goes with"),
])
def test_cli_sets_bad_input_is_one_line_and_changes_nothing(path, capsys, argv, fragment):
    with Project.open(path) as p:
        before = [(s.set.name, s.document_ids) for s in p.sets.with_documents()]
    assert main(["sets", str(path), *argv]) == 1
    one_error_line(capsys, fragment)
    with Project.open(path) as p:
        assert [(s.set.name, s.document_ids) for s in p.sets.with_documents()] == before
