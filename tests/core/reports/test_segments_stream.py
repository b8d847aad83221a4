"""The segments report at scale: written as it is built, one code's segments in memory at a time,
and the same file as the report built whole."""

from __future__ import annotations

import gc
import io
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcdesk.core.models import Segment
from qcdesk.core.reports import build_report, docx_writer, write_report
from qcdesk.core.reports.selection import DocumentTexts
from qcdesk.core.reports.structure import Quote

from .conftest import big_project, plain
from builders import empty_project

pytestmark = pytest.mark.core


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    project = big_project(tmp_path_factory.mktemp("big") / "big.qcd", n_docs=6, n_codes=40, n_segments=1500)
    yield project
    project.close()


def live_segments() -> int:
    """Segments, and quotes made of them, alive now."""
    return sum(isinstance(o, (Segment, Quote)) for o in gc.get_objects())


@pytest.mark.parametrize("budget", [0, DocumentTexts.BUDGET], ids=["quotes read alone", "texts kept"])
def test_writing_the_report_holds_one_codes_segments_at_a_time(big, tmp_path: Path, monkeypatch, budget):
    monkeypatch.setattr(DocumentTexts, "BUDGET", budget)
    most_per_code = max(n for n, _docs in big.code_counts().values())
    assert most_per_code * 10 < 1500  # many codes, so one code's share is small
    # the writer looks ahead this many blocks (to write a short report whole)
    monkeypatch.setattr(docx_writer, "SPILL_EVERY", 50)
    seen: list[int] = []
    original = docx_writer._Writer.quote

    def quote(self, block):
        if len(seen) % 20 == 0 or not seen:
            seen.append(live_segments())
        else:
            seen.append(seen[-1])
        return original(self, block)

    monkeypatch.setattr(docx_writer._Writer, "quote", quote)
    write_report(big, "segments-by-code", tmp_path / "r.docx")
    assert len(seen) == 1500  # every passage quoted
    assert 0 < max(seen) <= most_per_code + 50 + 1


def paragraphs(data) -> list[tuple[str, str]]:
    document = docx.Document(data)
    return [(p.text, p.style.name) for p in document.paragraphs]


@pytest.mark.parametrize("budget", [0, 100_000, DocumentTexts.BUDGET])
def test_the_streamed_file_equals_the_report_built_whole(big, tmp_path: Path, monkeypatch, budget):
    monkeypatch.setattr(DocumentTexts, "BUDGET", budget)
    streamed = write_report(big, "segments-by-code", tmp_path / "streamed.docx")
    whole = io.BytesIO()
    docx_writer.render(build_report(big, "segments-by-code"), whole)
    assert paragraphs(streamed) == paragraphs(whole)
    a, b = docx.Document(streamed), docx.Document(whole)
    assert len(a.tables) == len(b.tables) > 0
    assert [[c.text for c in row.cells] for row in a.tables[-1].rows] == \
        [[c.text for c in row.cells] for row in b.tables[-1].rows]


def test_progress_of_a_streamed_report_grows_to_a_fixed_total(big, tmp_path: Path):
    calls: list[tuple[int, int]] = []
    write_report(big, "segments-by-code", tmp_path / "r.docx", progress=lambda d, t: calls.append((d, t)))
    done = [d for d, _ in calls]
    assert {t for _, t in calls} == {2 * len(big.codes())}
    assert done == sorted(done) and len(set(done)) == len(done) and done[-1] == 2 * len(big.codes())


# text with astral characters, combining marks and right-to-left script: SQL reads each quote
# by code points as Python slices them
CHARS = st.sampled_from(list("ab cé") + ["\u0301", "😴", "أ", "ش", "\u200f", "𝒳", "\t"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.text(CHARS, min_size=3, max_size=40), min_size=1, max_size=4),
       cuts=st.lists(st.tuples(st.integers(0, 200), st.integers(1, 40)), min_size=1, max_size=8),
       budget=st.sampled_from([0, DocumentTexts.BUDGET]))
def test_each_quote_is_the_coded_text(tmp_path_factory, words, cuts, budget):
    """Quotes from texts held whole and quotes read alone (budget 0) are the coded text."""
    project = empty_project(tmp_path_factory.mktemp("p") / "p.qcd")
    saved, DocumentTexts.BUDGET = DocumentTexts.BUDGET, budget
    try:
        doc = project.documents.add("Notes", plain(words)).id
        text = project.document_text(doc)
        code = project.codebook.add("Code").value.id
        wanted = []
        for start, length in cuts:
            start = start % len(text)
            end = min(len(text), start + length)
            if text[start:end].strip() and (start, end) not in {w[:2] for w in wanted}:
                project.codings.apply(doc, code, start, end)
                wanted.append((start, end, text[start:end].strip()))
        report = build_report(project, "segments-by-code")
        assert [q.text for q in report.quotes()] == [t for _s, _e, t in sorted(wanted)]
    finally:
        DocumentTexts.BUDGET = saved
        project.close()
