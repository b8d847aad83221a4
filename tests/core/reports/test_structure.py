"""The neutral report structure, built from real projects without rendering any file."""

from __future__ import annotations

import pytest

from qcdesk.core.errors import ExportFailed
from qcdesk.core.models import Coding, Segment
from qcdesk.core.reports import REPORT_KINDS, ReportOptions, build_report
from qcdesk.core.reports.coded_segments import source_line
from qcdesk.core.reports.structure import (
    Heading, Paragraph, Quote, Section, Table, TableRow, format_time,
)

from .conftest import ARABIC, EMOJI, big_project, plain
from builders import empty_project

pytestmark = pytest.mark.core


def heading_pairs(report):
    return [(h.text, h.level) for h in report.headings()]


def quotes_under(report, code_name):
    """Quotes between the heading ``code_name`` and the next heading."""
    out, inside = [], False
    for block in report.blocks:
        if isinstance(block, Heading):
            inside = block.text == code_name
        elif inside and isinstance(block, Quote):
            out.append(block)
    return out


def test_report_kinds_have_titles():
    assert REPORT_KINDS["segments-by-code"] == "Coded segments by code"
    assert REPORT_KINDS["codebook"] == "Codebook"


@pytest.mark.parametrize("seconds, shown", [
    (0, "0:00"), (5.9, "0:05"), (65, "1:05"), (599, "9:59"), (3599, "59:59"),
    (3600, "1:00:00"), (3725, "1:02:05"), (36000, "10:00:00"), (-3, "0:00"),
])
def test_format_time(seconds, shown):
    assert format_time(seconds) == shown


def _segment(**kw):
    coding = Coding(1, 1, 1, 0, 5, None, "")
    return Segment(coding=coding, document_name="Interview 7", text="words", **kw)


def test_source_line_prefers_time_and_falls_back_to_paragraph():
    assert source_line(_segment(speaker="Nurse", time_start=75.0, paragraph=3)) == "Interview 7 · Nurse · 1:15"
    assert source_line(_segment(speaker="Nurse", paragraph=3)) == "Interview 7 · Nurse · ¶ 3"
    assert source_line(_segment(paragraph=12)) == "Interview 7 · ¶ 12"
    assert source_line(_segment()) == "Interview 7"


def test_segments_by_code_headings_follow_the_tree(sample):
    report = build_report(sample.project, "segments-by-code")
    assert report.title == "Coded segments by code"
    assert heading_pairs(report) == [
        ("Barriers", 1), ("Workload", 2), ("Fatigue", 2), ("Support", 1),
        ("Summary: segments per code and document", 1),
    ]


def test_quotes_keep_exact_text_and_sources(sample):
    report = build_report(sample.project, "segments-by-code")
    fatigue = quotes_under(report, "Fatigue")
    assert [q.text for q in fatigue] == [EMOJI, ARABIC, "Residents looked exhausted at handover."]
    assert [q.source for q in fatigue] == [
        "Interview 01 · Participant 1 · 1:02:05",
        "Interview 02 · Participant 2 · 0:12",
        "Field notes · ¶ 2",
    ]
    assert all(q.color == "#f4d03f" for q in fatigue)
    # surrounding whitespace is trimmed, nothing else
    assert [q.text for q in quotes_under(report, "Support")] == ["My supervisor always checked in."]
    assert [q.text for q in quotes_under(report, "Barriers")] == ["workload"]


def test_code_facts_show_path_counts_and_description(sample):
    report = build_report(sample.project, "segments-by-code")
    paras = [b.text for b in report.blocks if isinstance(b, Paragraph)]
    assert "Barriers › Fatigue  ·  3 segments in 3 documents" in paras
    assert "1 segment in 1 document (5 with sub-codes)" in paras
    assert "Anything that gets in the way." in paras
    assert "Tiredness, sleep loss." in paras


def test_title_metadata_names_the_file_not_its_folder(sample, tmp_path):
    report = build_report(sample.project, "segments-by-code")
    meta = dict(report.metadata)
    assert report.subtitle == "study.qcd"
    assert meta["Project"] == "study.qcd"
    assert meta["Documents"] == "3"
    assert meta["Codes"] == "4 of 5"  # "Unused" has no segments and is left out
    assert meta["Coded segments"] == "6"
    assert meta["Coders"] == "Amira Haddad, Ben Okafor"
    assert report.author == "Amira Haddad, Ben Okafor"
    assert str(tmp_path) not in repr(report)


def test_empty_codes_are_left_out_unless_asked(sample):
    default = build_report(sample.project, "segments-by-code")
    assert "Unused" not in [h.text for h in default.headings()]
    full = build_report(sample.project, "segments-by-code", ReportOptions(include_empty_codes=True))
    assert ("Unused", 1) in heading_pairs(full)
    assert "No coded segments." in [b.text for b in full.blocks if isinstance(b, Paragraph)]


def test_summary_table_counts_codes_by_document(sample):
    (table,) = build_report(sample.project, "segments-by-code").tables()
    assert table.header == ("Code", "Interview 01", "Interview 02", "Field notes", "Total")
    assert [(r.cells, r.indent, r.total) for r in table.rows] == [
        (("Barriers", "1", "0", "0", "1"), 0, False),
        (("Workload", "1", "0", "0", "1"), 1, False),
        (("Fatigue", "1", "1", "1", "3"), 1, False),
        (("Support", "0", "1", "0", "1"), 0, False),
        (("Total", "3", "2", "1", "6"), 0, True),
    ]
    assert table.numeric == (False, True, True, True, True)
    assert not any(isinstance(b, Section) for b in build_report(sample.project, "segments-by-code").blocks)


def test_summary_table_can_be_left_out(sample):
    report = build_report(sample.project, "segments-by-code", ReportOptions(include_summary_table=False))
    assert report.tables() == []
    assert "Summary: segments per code and document" not in [h.text for h in report.headings()]


def test_choosing_a_code_brings_its_subcodes(sample):
    opts = ReportOptions(code_ids=[sample.codes["Barriers"]])
    report = build_report(sample.project, "segments-by-code", opts)
    assert heading_pairs(report)[:3] == [("Barriers", 1), ("Workload", 2), ("Fatigue", 2)]
    assert "Support" not in [h.text for h in report.headings()]
    assert dict(report.metadata)["Coded segments"] == "5 of 6"


def test_a_chosen_subcode_becomes_a_top_heading_but_keeps_its_path(sample):
    report = build_report(sample.project, "segments-by-code",
                          ReportOptions(code_ids=[sample.codes["Fatigue"]], include_summary_table=False))
    assert heading_pairs(report) == [("Fatigue", 1)]
    assert any(b.text.startswith("Barriers › Fatigue") for b in report.blocks if isinstance(b, Paragraph))


def test_document_filter_limits_quotes_and_columns(sample):
    opts = ReportOptions(document_ids=[sample.docs["i2"]])
    report = build_report(sample.project, "segments-by-code", opts)
    assert {q.source.split(" · ")[0] for q in report.quotes()} == {"Interview 02"}
    # Barriers stays as the parent of Fatigue; Workload (only in Interview 01) goes
    assert heading_pairs(report)[:3] == [("Barriers", 1), ("Fatigue", 2), ("Support", 1)]
    assert "No segments of its own; see its sub-codes." in [
        b.text for b in report.blocks if isinstance(b, Paragraph)]
    (table,) = report.tables()
    assert table.header == ("Code", "Interview 02", "Total")
    assert table.rows[-1].cells == ("Total", "2", "2")
    assert dict(report.metadata)["Documents"] == "1 of 3"


def test_unknown_ids_and_kinds_are_refused(sample):
    with pytest.raises(ExportFailed, match="Code 999 does not exist"):
        build_report(sample.project, "segments-by-code", ReportOptions(code_ids=[999]))
    with pytest.raises(ExportFailed, match="Document 999 does not exist"):
        build_report(sample.project, "segments-by-code", ReportOptions(document_ids=[999]))
    with pytest.raises(ExportFailed, match="segments-by-code, codebook"):
        build_report(sample.project, "word-cloud")


def test_custom_title(sample):
    report = build_report(sample.project, "codebook", ReportOptions(title="Residents study: codebook v2"))
    assert report.title == "Residents study: codebook v2"


def test_progress_is_reported_per_code(sample):
    calls = []
    build_report(sample.project, "segments-by-code", progress=lambda d, t: calls.append((d, t)))
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_empty_project_gives_a_sentence_not_an_empty_report(tmp_path):

    with empty_project(tmp_path / "empty.qcd") as project:
        report = build_report(project, "segments-by-code")
        assert report.headings() == [] and report.tables() == []
        assert "No coded segments" in report.blocks[0].text
        assert "empty" in build_report(project, "codebook").blocks[0].text


def test_codebook_lists_every_code_with_counts(sample):
    report = build_report(sample.project, "codebook")
    assert report.title == "Codebook"
    assert heading_pairs(report) == [
        ("Overview", 1), ("Codes", 1), ("Barriers", 2), ("Workload", 3), ("Fatigue", 3),
        ("Support", 2), ("Unused", 2),
    ]
    (table,) = report.tables()
    assert table.header == ("Code", "Segments", "Documents", "With sub-codes")
    assert [r.cells for r in table.rows] == [
        ("Barriers", "1", "1", "5"), ("Workload", "1", "1", "1"), ("Fatigue", "3", "3", "3"),
        ("Support", "1", "1", "1"), ("Unused", "0", "0", "0"), ("Total", "6", "3", "6"),
    ]
    texts = [b.text for b in report.blocks if isinstance(b, Paragraph)]
    assert "1 segment in 1 document; with sub-codes 5 segments in 3 documents" in texts
    assert texts.count("No description yet.") == 3


def test_codebook_without_table_or_empty_codes(sample):
    report = build_report(sample.project, "codebook",
                          ReportOptions(include_summary_table=False, include_empty_codes=False))
    assert heading_pairs(report) == [("Barriers", 1), ("Workload", 2), ("Fatigue", 2), ("Support", 1)]
    assert report.tables() == []


def test_many_documents_turn_the_summary_to_landscape_with_keyed_columns(tmp_path):
    with big_project(tmp_path / "eight.qcd", n_docs=8, n_codes=3, n_segments=24) as project:
        report = build_report(project, "segments-by-code")
    idx = next(i for i, b in enumerate(report.blocks) if isinstance(b, Section))
    assert report.blocks[idx] == Section(landscape=True)
    assert report.blocks[idx + 1] == Heading(1, "Summary: segments per code and document")
    summary, key = report.tables()
    assert summary.header == ("Code", *(f"D{i}" for i in range(1, 9)), "Total")
    assert key.rows[0].cells == ("D1", "Interview 01 – participant 1")


def test_very_many_documents_split_the_summary(tmp_path):
    with big_project(tmp_path / "thirty.qcd", n_docs=30, n_codes=2, n_segments=60) as project:
        report = build_report(project, "segments-by-code")
    *chunks, key = report.tables()
    assert [len(t.header) - 2 for t in chunks] == [12, 12, 6]
    assert [t.caption for t in chunks] == [
        "Segments per code and document, documents 1–12 of 30",
        "Segments per code and document, documents 13–24 of 30",
        "Segments per code and document, documents 25–30 of 30"]
    assert all(t.rows[-1].cells[-1] == "60" for t in chunks)
    assert len(key.rows) == 30


def test_beyond_three_tables_of_documents_the_summary_gives_each_codes_totals(tmp_path):
    with big_project(tmp_path / "forty.qcd", n_docs=40, n_codes=2, n_segments=80) as project:
        report = build_report(project, "segments-by-code")
        per_code = {c.name: n for c, (n, _) in
                    ((project.code(i), v) for i, v in project.code_counts().items())}
    assert not any(isinstance(b, Section) for b in report.blocks)   # stays portrait
    assert report.blocks[-3] == Heading(1, "Summary: segments per code")
    (table,) = report.tables()
    assert table.header == ("Code", "Segments", "Documents")
    assert [r.cells[:2] for r in table.rows[:-1]] == [(name, str(n)) for name, n in per_code.items()]
    assert table.rows[-1].cells[:2] == ("Total", "80")


def test_short_document_names_head_their_own_columns(tmp_path):

    with empty_project(tmp_path / "p.qcd") as project:
        code = project.codebook.add("C").value.id
        for i in range(5):
            doc = project.documents.add(f"P{i}", plain(["hello there"])).id
            project.codings.apply(doc, code, 0, 5)
        report = build_report(project, "segments-by-code")
    (table,) = report.tables()
    assert table.header == ("Code", "P0", "P1", "P2", "P3", "P4", "Total")


def test_table_rows_must_match_the_header():
    with pytest.raises(ValueError):
        Table(header=("a", "b"), rows=(TableRow(("only one",)),))
