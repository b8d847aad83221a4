"""A passage two coders coded with the same code, in a merged team project: retrieval gives it once
naming both coders, the segments report quotes it once with both named (issue 15)."""

from __future__ import annotations

import pytest

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.reports import build_report
from qcdesk.core.reports.structure import Quote
from qcdesk.core.retrieval import Query, retrieve
from builders import empty_project

pytestmark = pytest.mark.core
TEXT = "Interviewer: How was it?\nP1: The mentor listened and the ward was kind to me."


@pytest.fixture
def team(tmp_path):
    with empty_project(tmp_path / "team.qcdesk") as p:
        doc = p.documents.add("Interview 1", ParsedDocument(text=TEXT, source_format="txt"))
        code = p.codebook.add("Support").value
        start = TEXT.index("The mentor listened")
        for coder in ("Bo", "Ana"):
            p.set_coder(coder)
            p.codings.apply(doc.id, code.id, start, start + len("The mentor listened"))
        p.codings.apply(doc.id, code.id, TEXT.index("the ward"), len(TEXT))  # Ana alone
        yield p, code


def test_retrieval_gives_the_passage_once_naming_its_coders(team):
    p, code = team
    results = retrieve(p, Query(codes=(code.id,)))
    assert [(r.text, r.coders, len(r.coding_ids)) for r in results] == [
        ("The mentor listened", ("Ana", "Bo"), 2), ("the ward was kind to me.", ("Ana",), 1)]


def test_segments_report_quotes_the_passage_once_with_its_coders(team):
    p, _code = team
    quotes = [b for b in build_report(p, "segments-by-code").blocks if isinstance(b, Quote)]
    assert [(q.text, q.source) for q in quotes] == [
        ("The mentor listened", "Interview 1 · coded by Ana and Bo"),
        ("the ward was kind to me.", "Interview 1 · coded by Ana")]


def test_a_single_coder_report_names_no_coder(tmp_path):
    with empty_project(tmp_path / "solo.qcdesk") as p:
        doc = p.documents.add("Interview 1", ParsedDocument(text=TEXT, source_format="txt"))
        p.set_coder("Ana")
        p.codings.apply(doc.id, p.codebook.add("Support").value.id, 0, 11)
        quotes = [b for b in build_report(p, "segments-by-code").blocks if isinstance(b, Quote)]
        assert [q.source for q in quotes] == ["Interview 1"]


def test_cli_retrieve_names_the_coders_of_a_team_project(team, capsys):
    from qcdesk.cli import main

    p, _code = team
    path = p.path
    p.close()
    assert main(["retrieve", str(path), "--code", "Support"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Interview 1 [Support; coded by Ana and Bo]: The mentor listened",
        "Interview 1 [Support; coded by Ana]: the ward was kind to me."]
