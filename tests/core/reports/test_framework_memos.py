"""The framework matrix (codes by case) and the memos report (audit trail)."""

from __future__ import annotations

import docx
import pytest

from qcdesk.core.reports import REPORT_KINDS, ReportOptions, build_report, write_report
from qcdesk.core.reports.structure import Heading, Paragraph, Quote

from .conftest import code_words

pytestmark = pytest.mark.core


@pytest.fixture
def with_cases(sample):
    p = sample.project
    one = p.cases.add("Participant 1").value.id
    p.cases.link_speaker(one, sample.docs["i1"], "Participant 1")
    two = p.cases.add("Participant 2").value.id
    p.cases.link_speaker(two, sample.docs["i2"], "Participant 2")
    p.memos.create("Support", "Felt backed by the supervisor.", case_id=two)
    p.memos.ensure()  # the journal
    journal = p.memos.journal()
    p.memos.update(journal.id, body="Day 1: started coding.")
    p.memos.create("Definition", "Workload means hours.", code_id=sample.codes["Workload"])
    coding = code_words(p, sample.docs["i1"], sample.codes["Fatigue"], "tired")
    p.memos.create("Laugh", "Said laughing.", coding_id=coding.id)
    return sample


def test_kinds_are_offered():
    assert REPORT_KINDS["framework"].startswith("Framework matrix")
    assert REPORT_KINDS["memos"] == "Memos"


def test_framework_lists_each_case_with_its_codes(with_cases):
    report = build_report(with_cases.project, "framework")
    heads = [(h.level, h.text) for h in report.headings()]
    assert heads[:4] == [(1, "Participant 1"), (2, "Barriers"), (2, "Workload"), (2, "Fatigue")]
    assert (1, "Participant 2") in heads
    i = report.blocks.index(Heading(1, "Participant 2"))
    after = report.blocks[i:]
    summary = next(b for b in after if isinstance(b, Paragraph) and b.text.startswith("Summary: "))
    assert summary.text == "Summary: Felt backed by the supervisor."
    quotes = [q.text for q in report.quotes()]
    assert "The workload is relentless on surgical rotations." in quotes
    table = report.tables()[-1]
    assert table.header[0] == "Case" and [r.cells[0] for r in table.rows] == ["Participant 1", "Participant 2"]


def test_framework_follows_the_case_filter(with_cases, tmp_path):
    p = with_cases.project
    two = p.cases.by_name("Participant 2").id
    report = build_report(p, "framework", ReportOptions(case_ids=[two]))
    assert [h.text for h in report.headings() if h.level == 1][0] == "Participant 2"
    assert "Participant 1" not in [h.text for h in report.headings()]
    write_report(p, "framework", tmp_path / "f.docx", ReportOptions(case_ids=[two]))


def test_memos_report_is_an_audit_trail(with_cases, tmp_path):
    report = build_report(with_cases.project, "memos")
    sections = [h.text for h in report.headings() if h.level == 1]
    assert sections == ["Project journal", "Code memos", "Case memos", "Segment memos"]
    texts = [b.text for b in report.blocks if isinstance(b, (Paragraph, Quote))]
    assert "Day 1: started coding." in texts and "Workload means hours." in texts
    assert "tired" in [q.text for q in report.quotes()]
    assert any("written" in t for t in texts)
    out = write_report(with_cases.project, "memos", tmp_path / "m.docx")
    assert "Said laughing." in [p.text for p in docx.Document(str(out)).paragraphs]
