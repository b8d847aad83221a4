"""Quotes cite the participant: case name and chosen attributes, speaker and time; a quote
attributed to a speaker does not repeat the speaker's label inside."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from qcdesk.core.errors import ExportFailed
from qcdesk.core.models import Coding, Segment
from qcdesk.core.reports import ReportOptions, build_report
from qcdesk.core.reports.citations import Citer

from .conftest import code_words
from builders import empty_project

pytestmark = pytest.mark.core


@pytest.fixture
def cited(sample):
    p = sample.project
    gender = p.attributes.define("gender").id
    role = p.attributes.define("role").id
    p3 = p.cases.add("Participant 3").value.id
    p.cases.link_speaker(p3, sample.docs["i1"], "Participant 1")
    p.attributes.set_value(p3, gender, "woman")
    p.attributes.set_value(p3, role, "partner")
    notes = p.cases.add("Ward A").value.id
    p.cases.link_documents(notes, [sample.docs["notes"]])
    # a coding that starts on the speaker's label
    code_words(p, sample.docs["i1"], sample.codes["Support"], "Participant 1: The workload")
    return sample, gender, role


def sources(report):
    return [(q.text, q.source) for q in report.quotes()]


def test_quotes_cite_the_case_with_chosen_attributes(cited):
    sample, gender, role = cited
    report = build_report(sample.project, "segments-by-code",
                          ReportOptions(cite_by="case", cite_attribute_ids=[gender, role]))
    got = dict(sources(report))
    assert got["The workload is relentless on surgical rotations."] == \
        "Participant 3, woman, partner · Participant 1 · 1:05"
    assert got["Residents looked exhausted at handover."] == "Ward A · ¶ 2"
    # no case for Interview 02's speakers: the document is cited
    assert got["My supervisor always checked in."] == "Interview 02 · Participant 2 · 2:10"
    # the label "Participant 1:" is not repeated inside a quote attributed to Participant 1
    assert "The workload" in got and "Participant 1: The workload" not in got


def test_document_citations_stay_as_they_were(cited):
    sample, _, _ = cited
    got = dict(sources(build_report(sample.project, "segments-by-code")))
    assert got["Residents looked exhausted at handover."] == "Field notes · ¶ 2"
    assert got["The workload"] == "Interview 01 · Participant 1 · 1:05"


def test_unknown_attribute_or_citation_style_is_refused(cited):
    sample, _, _ = cited
    with pytest.raises(ExportFailed, match="Attribute 999"):
        build_report(sample.project, "segments-by-code", ReportOptions(cite_by="case", cite_attribute_ids=[999]))
    with pytest.raises(ExportFailed, match="cite a document or a case"):
        build_report(sample.project, "segments-by-code", ReportOptions(cite_by="speaker"))


@settings(max_examples=200, deadline=None)
@given(speaker=st.text(min_size=1, max_size=12).filter(lambda s: ":" not in s and s.strip() == s and s),
       words=st.text(max_size=40))
def test_stripping_the_label_only_removes_the_label(speaker, words):
    text = f"{speaker}: {words}"
    seg = Segment(Coding(1, 1, 1, 0, len(text), None, ""), "Doc", text, speaker=speaker)
    out = Citer.text(seg)
    # the words stay exactly; a quote of nothing but the label keeps it rather than go blank
    assert out == (words.strip() if words.strip() else text.strip())
    # without a speaker nothing is removed
    assert Citer.text(Segment(seg.coding, "Doc", text)) == text.strip()


def test_a_sentence_marked_with_its_own_time_inside_a_turn_cites_that_time(tmp_path):

    from .conftest import transcript

    p = empty_project(tmp_path / "t.qcd")
    doc = p.documents.add("Interview 05", transcript([
        ("DC09", "It started badly. [12:58] Then the night nurse came in and helped.", 700.0)])).id
    code = p.codebook.add("Support").value.id
    code_words(p, doc, code, "Then the night nurse came in")
    code_words(p, doc, code, "It started badly.")
    got = {q.text: q.source for q in build_report(p, "segments-by-code").quotes()}
    p.close()
    assert got["Then the night nurse came in"] == "Interview 05 · DC09 · 12:58"
    assert got["It started badly."] == "Interview 05 · DC09 · 11:40"  # the turn's own time
