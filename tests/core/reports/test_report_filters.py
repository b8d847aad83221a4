"""Filtered reports: the segments a report lists are the ones the retrieval panel finds with the
same filters (cases by document and by focus-group speaker, attribute values, speakers, coders,
documents), the codebook counts follow the coder filter, and a landscape section straight after
the title page prints no blank page."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest

from qcdesk.cli import main
from qcdesk.core.errors import ExportFailed
from qcdesk.core.project import Project
from qcdesk.core.reports import ReportOptions, build_report, write_report
from qcdesk.core.reports.selection import segment_counts, segments_by_code, select
from qcdesk.core.retrieval import AttributeCondition, Query, retrieve

from .conftest import transcript
from builders import empty_project

pytestmark = pytest.mark.core

MENTEE_QUOTES = {
    "How was your first rotation?",          # the interviewer, in a mentee's own interview
    "My mentor met me every week.",
    "Night shifts drained me completely.",
    "Senior residents covered for me.",      # Sara's turns in the focus group
    "I still fell asleep in clinic.",
}


@dataclass
class Study:
    project: Project
    docs: dict[str, int]
    codes: dict[str, int]
    cases: dict[str, int]
    coders: dict[str, int]
    role: int


def code(project: Project, doc_id: int, code_id: int, words: str) -> None:
    start = project.document_text(doc_id).index(words)
    project.codings.apply(doc_id, code_id, start, start + len(words))


@pytest.fixture
def study(tmp_path: Path):
    made = make_study(tmp_path)
    yield made
    made.project.close()


def make_study(folder: Path) -> Study:
    """Three interviews (one a focus group), three codes, two coders, four cases with a role."""
    p = empty_project(folder / "mentoring.qcd")
    mina = p.documents.add("Interview Mina", transcript([
        ("Interviewer", "How was your first rotation?", None),
        ("Mina", "My mentor met me every week.", None),
        ("Mina", "Night shifts drained me completely.", None)])).id
    omar = p.documents.add("Interview Omar", transcript([
        ("Interviewer", "What do you do as a mentor?", None),
        ("Omar", "I check in with my mentees after nights.", None),
        ("Omar", "Honestly I am tired too.", None)])).id
    group = p.documents.add("Focus group", transcript([
        ("Moderator", "Who supported you?", 0.0),
        ("Sara", "Senior residents covered for me.", 10.0),
        ("Tom", "We try to protect their sleep.", 20.0),
        ("Sara", "I still fell asleep in clinic.", 30.0)])).id
    support = p.codebook.add("Support", color="#27ae60").value.id
    mentoring = p.codebook.add("Mentoring", parent_id=support, color="#2980b9").value.id
    fatigue = p.codebook.add("Fatigue", color="#f4d03f").value.id

    p.set_coder("Amira")
    code(p, mina, mentoring, "My mentor met me every week.")
    code(p, mina, fatigue, "Night shifts drained me completely.")
    code(p, omar, fatigue, "Honestly I am tired too.")
    code(p, group, support, "Who supported you?")
    code(p, group, support, "Senior residents covered for me.")
    p.set_coder("Ben")
    code(p, mina, support, "How was your first rotation?")
    code(p, omar, mentoring, "I check in with my mentees after nights.")
    code(p, group, fatigue, "We try to protect their sleep.")
    code(p, group, fatigue, "I still fell asleep in clinic.")

    ids = {name: p.cases.add(name).value.id for name in ("Mina", "Omar", "Sara", "Tom")}
    p.cases.link_documents(ids["Mina"], [mina])
    p.cases.link_documents(ids["Omar"], [omar])
    p.cases.link_speaker(ids["Sara"], group, "Sara")
    p.cases.link_speaker(ids["Tom"], group, "Tom")
    role = p.attributes.define("Role", "choice", ["mentee", "mentor"]).id
    for name, value in (("Mina", "mentee"), ("Sara", "Mentee"), ("Omar", "mentor"), ("Tom", "mentor")):
        p.attributes.set_value(ids[name], role, value)
    coders = {c.name: c.id for c in p.coders()}
    return Study(p, {"mina": mina, "omar": omar, "group": group},
                 {"Support": support, "Mentoring": mentoring, "Fatigue": fatigue}, ids, coders, role)


def quotes(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == "Quote"]


def test_report_by_attribute_value_holds_exactly_the_mentees_quotes(study, tmp_path):
    out = write_report(study.project, "segments-by-code", tmp_path / "mentees.docx",
                       ReportOptions(attribute_values=[(study.role, "mentee")]))
    found = quotes(out)
    assert sorted(found) == sorted(MENTEE_QUOTES)  # each once, none of the mentors' or moderator's
    facts = [p.text for p in docx.Document(str(out)).paragraphs if p.style.name == "Title Facts"]
    assert "Filtered to:\tRole = mentee" in facts
    assert "Coded segments:\t5 of 9" in facts
    assert "Documents:\t2 of 3" in facts  # the mentors' interview holds no mentee's text


def test_theme_grouping_keeps_the_filter(study):
    report = build_report(study.project, "segments-by-code",
                          ReportOptions(attribute_values=[(study.role, "mentor")], group_by="theme"))
    texts = {b.text for b in report.blocks if type(b).__name__ == "Quote"}
    assert texts == {"I check in with my mentees after nights.", "Honestly I am tired too.",
                     "We try to protect their sleep."}


def filter_sets(s: Study):
    """(ReportOptions keywords, Query keywords) pairs that mean the same filter."""
    mentee = AttributeCondition(s.role, value="mentee")
    return [
        ({}, {}),
        ({"case_ids": [s.cases["Sara"]]}, {"cases": [s.cases["Sara"]]}),
        ({"case_ids": [s.cases["Mina"], s.cases["Tom"]]}, {"cases": [s.cases["Mina"], s.cases["Tom"]]}),
        ({"attribute_values": [(s.role, "mentee")]}, {"attributes": [mentee]}),
        ({"attribute_values": [(s.role, "mentee")], "case_ids": [s.cases["Sara"], s.cases["Omar"]]},
         {"attributes": [mentee], "cases": [s.cases["Sara"], s.cases["Omar"]]}),
        ({"speakers": ["Sara", "Omar"]}, {"speakers": ["Sara", "Omar"]}),
        ({"coder_ids": [s.coders["Ben"]]}, {"coders": [s.coders["Ben"]]}),
        ({"document_ids": [s.docs["group"]], "coder_ids": [s.coders["Amira"]]},
         {"documents": [s.docs["group"]], "coders": [s.coders["Amira"]]}),
        ({"attribute_values": [(s.role, "mentor")], "speakers": ["Interviewer", "Tom"]},
         {"attributes": [AttributeCondition(s.role, value="mentor")], "speakers": ["Interviewer", "Tom"]}),
    ]


def test_report_segments_equal_the_retrieval_panel_for_every_filter(study):
    p = study.project
    for report_filters, query_filters in filter_sets(study):
        selection = select(p, ReportOptions(**report_filters))
        grouped = segments_by_code(p, selection)
        counts = segment_counts(p, selection)
        for name, code_id in study.codes.items():
            listed = sorted((s.coding.document_id, s.coding.start, s.coding.end) for s in grouped.get(code_id, []))
            found = sorted((r.document_id, r.start, r.end)
                           for r in retrieve(p, Query((code_id,), include_subcodes=False, **query_filters)))
            assert listed == found, (name, report_filters)
            assert sum(n for (c, _d), n in counts.items() if c == code_id) == len(listed)
        # a theme with its sub-codes: the union of what the report lists under it
        theme = study.codes["Support"]
        under = sorted({(s.coding.document_id, s.coding.start, s.coding.end)
                        for cid in (theme, study.codes["Mentoring"]) for s in grouped.get(cid, [])})
        found = sorted((r.document_id, r.start, r.end)
                       for r in retrieve(p, Query((theme,), include_subcodes=True, **query_filters)))
        assert under == found, report_filters


def test_speaker_linked_case_in_a_focus_group(study, tmp_path):
    out = write_report(study.project, "segments-by-code", tmp_path / "sara.docx",
                       ReportOptions(case_ids=[study.cases["Sara"]]))
    assert sorted(quotes(out)) == ["I still fell asleep in clinic.", "Senior residents covered for me."]


def test_codebook_counts_follow_the_coder_filter(study, tmp_path):
    out = write_report(study.project, "codebook", tmp_path / "codebook.docx",
                       ReportOptions(coder_ids=[study.coders["Ben"]]))
    document = docx.Document(str(out))
    subtitle = next(p.text for p in document.paragraphs if p.style.name == "Subtitle")
    assert subtitle == "mentoring.qcd · counts of segments coded by Ben"
    overview = document.tables[0]
    rows = {r.cells[0].text.strip(): [c.text for c in r.cells[1:]] for r in overview.rows[1:]}
    # Ben: Support 1 (Mina), Mentoring 1 (Omar), Fatigue 2 (focus group)
    assert rows["Support"] == ["1", "1", "2"]
    assert rows["Mentoring"] == ["1", "1", "1"]
    assert rows["Fatigue"] == ["2", "1", "2"]
    assert rows["Total"] == ["4", "3", "4"]


def test_codebook_without_filters_keeps_its_plain_subtitle(study):
    report = build_report(study.project, "codebook")
    assert report.subtitle == "mentoring.qcd"
    assert not any(label == "Filtered to" for label, _ in report.metadata)


def test_unknown_case_or_attribute_is_a_clear_error(study):
    with pytest.raises(ExportFailed, match="Case 999 does not exist"):
        build_report(study.project, "segments-by-code", ReportOptions(case_ids=[999]))
    with pytest.raises(ExportFailed, match="Attribute 999 does not exist"):
        build_report(study.project, "segments-by-code", ReportOptions(attribute_values=[(999, "x")]))


def test_cli_export_filters(study, tmp_path, capsys):
    path = study.project.path
    study.project.close()
    out = tmp_path / "cli.docx"
    assert main(["export", str(path), "--out", str(out), "--attribute", "Role=mentee",
                 "--speaker", "Sara", "--speaker", "Mina"]) == 0
    assert sorted(quotes(out)) == sorted(MENTEE_QUOTES - {"How was your first rotation?"})
    assert main(["export", str(path), "--out", str(out), "--case", "Tom", "--coder", "Ben",
                 "--document", "Focus group"]) == 0
    assert quotes(out) == ["We try to protect their sleep."]
    assert main(["export", str(path), "--out", str(out), "--attribute", "Role=mentee",
                 "--attribute", "Role=mentor", "--case", "Mina", "--case", "Omar"]) == 0
    assert len(quotes(out)) == 5  # both interviews, every coding in them
    assert main(["export", str(path), "--out", str(out), "--case", "Nobody"]) == 1
    assert "Nobody" in capsys.readouterr().err


# ---------------------------------------------------------------- sections and blank pages
def wide_matrix_project(tmp_path: Path) -> Project:
    p = empty_project(tmp_path / "wide.qcd")
    p.set_coder("A")
    fatigue = p.codebook.add("Fatigue").value.id
    for i in range(10):
        doc = p.documents.add(f"Interview {i}", transcript([(f"P{i}", "Nights were long and hard.", None)])).id
        p.codings.apply(doc, fatigue, 0, 8)
        p.cases.link_documents(p.cases.add(f"Case {i}").value.id, [doc])
    return p


def page_breaks(document) -> int:
    return sum(1 for br in document.element.body.iter(docx.oxml.ns.qn("w:br"))
               if br.get(docx.oxml.ns.qn("w:type")) == "page")


def test_landscape_matrix_right_after_the_title_page_has_no_blank_page(tmp_path):
    p = wide_matrix_project(tmp_path)
    out = write_report(p, "matrices", tmp_path / "wide.docx",
                       ReportOptions(matrices=["code-case"], include_charts=False))
    p.close()
    document = docx.Document(str(out))
    # title page (portrait), then the matrix (landscape): the section break turns the page,
    # no page break before it, and no empty portrait section after it
    assert [s.orientation for s in document.sections] == [0, 1]
    assert page_breaks(document) == 0
    assert document.paragraphs[-1].text or document.tables


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
                    reason="LibreOffice (soffice) and pdfinfo are needed to count printed pages")
def test_landscape_matrix_prints_on_the_second_page(tmp_path):
    p = wide_matrix_project(tmp_path)
    out = write_report(p, "matrices", tmp_path / "wide.docx",
                       ReportOptions(matrices=["code-case"], include_charts=False))
    p.close()
    try:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                       capture_output=True, timeout=240, check=True)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"LibreOffice could not convert the report: {exc}")
    info = subprocess.run(["pdfinfo", str(tmp_path / "wide.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"^Pages:\s+2$", info, re.M), info


def test_memos_report_follows_the_case_attribute_speaker_and_coder_filters(study):
    """A memo on a coding the filters leave out is not listed; a case memo follows the filters
    that choose cases (cases, attribute values, documents: the cases with text in them)."""

    p = study.project
    by_id = {(c.document_id, p.document_text(c.document_id)[c.start:c.end]): c.id
             for doc in study.docs.values() for c in p.codings_for_document(doc)}
    p.memos.create("Mina's mentor", "Weekly.", coding_id=by_id[study.docs["mina"], "My mentor met me every week."])
    p.memos.create("Tom's care", "Protective.", coding_id=by_id[study.docs["group"],
                                                                     "We try to protect their sleep."])
    p.memos.create("About Mina", "Second year.", case_id=study.cases["Mina"])
    p.memos.create("About Tom", "Senior.", case_id=study.cases["Tom"])

    def titles(**filters):
        report = build_report(p, "memos", ReportOptions(**filters))
        return {b.text for b in report.blocks if type(b).__name__ == "Heading" and b.level == 2}

    assert titles() == {"Mina's mentor", "Tom's care", "About Mina", "About Tom"}
    assert titles(case_ids=[study.cases["Tom"]]) == {"Tom's care", "About Tom"}
    assert titles(attribute_values=[(study.role, "mentee")]) == {"Mina's mentor", "About Mina"}
    assert titles(speakers=["Tom"]) == {"Tom's care", "About Mina", "About Tom"}
    assert titles(coder_ids=[study.coders["Amira"]]) == {"Mina's mentor", "About Mina", "About Tom"}
    assert titles(document_ids=[study.docs["group"]]) == {"Tom's care", "About Tom"}
