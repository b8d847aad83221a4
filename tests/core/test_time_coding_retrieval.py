"""A recording's time codings in retrieval, counts, matrices and the segments report (issue 18)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from media_files import tone_wav  # noqa: E402

from qcdesk.core import matrices  # noqa: E402
from qcdesk.core.importers.base import ParsedDocument  # noqa: E402
from qcdesk.core.reports import build_report, coded_segments  # noqa: E402
from qcdesk.core.reports.structure import Quote  # noqa: E402
from builders import empty_project


@pytest.fixture
def coded(tmp_path):
    with empty_project(tmp_path / "p.qcdesk") as p:
        diary, _ = p.media.add_recording(tone_wav(tmp_path / "d.wav", 200.0), name="Diary 3")
        text = p.documents.add("Interview", ParsedDocument("A: we cope somehow", "txt"))
        code = p.codebook.add("Coping").value
        p.codings.apply(text.id, code.id, 3, 7)
        p.time_codings.add(diary, code.id, 130_000, 165_000)
        p.time_codings.add(diary, code.id, 10_000, 12_500, memo="long sigh")
        yield p, diary, text.id, code.id


def test_a_codes_segments_include_its_time_segments(coded):
    p, _diary, _text_id, code_id = coded
    segs = p.segments([code_id])
    timed = [s for s in segs if s.time_range is not None]
    assert [s.text for s in segs if s.time_range is None] == ["we c"]
    assert sorted((s.time_range, s.text, s.document_name) for s in timed) == [
        ((10_000, 12_500), "long sigh", "Diary 3"), ((130_000, 165_000), "", "Diary 3")]
    assert all(s.coding.id < 0 and s.coding.code_id == code_id for s in timed)
    assert coded_segments.source_line(next(s for s in timed if s.time_range[0] == 130_000)) == \
        "Diary 3, 02:10–02:45"


def test_counts_in_the_codebook_and_per_document_include_time_codings(coded):
    p, diary, text_id, code_id = coded
    assert p.code_counts() == {code_id: (3, 2)}
    assert p.code_counts([code_id]) == {code_id: (3, 2)}
    assert p.documents_coded_with([code_id]) == 2
    assert p.counts_by_code_and_document() == {(code_id, text_id): 1, (code_id, diary): 2}
    other = p.codebook.add("Other").value
    p.time_codings.add(diary, other.id, 0, 1000)
    assert p.code_counts()[other.id] == (1, 1)
    assert p.codings_in_document([code_id], diary) == 2
    assert p.codings_in_document([code_id], text_id) == 1
    assert p.codings_in_document([code_id, other.id], diary) == 3
    assert p.codings_in_document([other.id], text_id) == 0


def test_code_case_and_code_set_matrices_count_time_codings(coded):
    p, diary, _text_id, _code_id = coded
    case = p.cases.add("P3").value
    p.cases.link_documents(case.id, [diary])
    table = matrices.code_case_matrix(p)
    assert table.cells == [[2]]
    by_docs = matrices.code_case_matrix(p, measure="documents")
    assert by_docs.cells == [[1]]
    other = p.codebook.add("Other").value
    p.time_codings.add(diary, other.id, 130_000, 165_000)
    co = matrices.cooccurrence_matrix(p)  # co-occurrence is of text: time codings are not counted
    assert co.cells == [[None, 0], [0, None]]


def test_the_segments_report_cites_time_segments_with_their_range(coded):
    p, *_ = coded
    report = build_report(p, coded_segments.KIND)
    quotes = [b for b in report.blocks if isinstance(b, Quote)]
    sources = [q.source for q in quotes]
    assert "Diary 3, 02:10–02:45" in sources and "Diary 3, 00:10–00:12.500" in sources
    assert any(q.text == "long sigh" for q in quotes)
    assert len(quotes) == 3  # two time codings of one document are two passages


def test_retrieval_of_a_code_finds_its_time_ranges_with_the_filters(coded):
    from qcdesk.core.retrieval import Query, format_quotes, retrieve

    p, diary, text_id, code_id = coded
    results = retrieve(p, Query(codes=(code_id,)))
    timed = [r for r in results if r.time_range is not None]
    assert [(r.document_id, r.time_range, r.text) for r in timed] == [
        (diary, (10_000, 12_500), "long sigh"), (diary, (130_000, 165_000), "")]
    assert "“long sigh” (Diary 3, 00:10–00:12.500)" in format_quotes(timed)
    assert [r.document_id for r in results if r.time_range is None] == [text_id]
    assert all(r.time_range is None for r in retrieve(p, Query(codes=(code_id,), documents=(text_id,))))
    assert all(r.time_range is None for r in retrieve(p, Query(codes=(code_id,), speakers=("A",))))
    case = p.cases.add("P3").value
    p.cases.link_documents(case.id, [diary])
    assert {r.document_id for r in retrieve(p, Query(codes=(code_id,), cases=(case.id,)))} == {diary}
