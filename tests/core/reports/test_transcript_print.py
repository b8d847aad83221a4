"""Coded transcripts on paper: code names in the margin, paragraph numbers as quotes cite
them, a colour of its own per code, coding dates on comments, uncoded documents optional."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings, strategies as st

from qcdesk.core.models import Code
from qcdesk.core.reports import ReportOptions, build_report, write_report
from qcdesk.core.reports.structure import Annotated
from qcdesk.core.reports.transcript import MIN_COLOR_DISTANCE, _distance, _rgb, distinct_colors

from .conftest import plain

pytestmark = pytest.mark.core


def rows(report):
    return [b for b in report.blocks if isinstance(b, Annotated)]


def test_margin_names_the_codes_and_numbers_match_the_citations(sample):
    report = build_report(sample.project, "coded-transcript")
    by_text = {b.text: b for b in rows(report)}
    notes = by_text["Residents looked exhausted at handover."]
    assert notes.number == 2 and [name for name, _ in notes.margin] == ["Barriers › Fatigue"]
    quotes = {q.text: q.source for q in build_report(sample.project, "segments-by-code").quotes()}
    assert quotes["Residents looked exhausted at handover."].endswith(f"¶ {notes.number}")
    first = next(b for t, b in by_text.items() if t.endswith("The workload is relentless on surgical rotations."))
    assert [name for name, _ in first.margin] == ["Barriers › Workload", "Barriers"]
    assert by_text["Ward was busy."].margin == ()


def test_margin_is_printed_in_the_word_file(sample, tmp_path: Path):
    out = write_report(sample.project, "coded-transcript", tmp_path / "t.docx")
    document = docx.Document(str(out))
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    swatch = "\u00a0\u00a0\u00a0\u2002"
    assert ["2", "Residents looked exhausted at handover.", swatch + "Barriers › Fatigue"] in cells


def test_uncoded_documents_can_be_left_out(sample):
    p = sample.project
    p.documents.add("Empty interview", plain(["Nothing coded."]))
    names = [h.text for h in build_report(p, "coded-transcript").headings()]
    assert "Empty interview" in names
    names = [h.text for h in build_report(p, "coded-transcript",
                                          ReportOptions(include_uncoded_documents=False)).headings()]
    assert "Empty interview" not in names and "Interview 01" in names


def test_comment_dates_are_the_coding_dates(sample, tmp_path: Path):
    p = sample.project
    with p.action():
        p.db.execute("UPDATE codings SET created = '2021-05-04T10:20:30+00:00'")
    document = docx.Document(str(write_report(p, "coded-transcript", tmp_path / "t.docx")))
    dates = {c._comment_elm.date for c in document.comments}
    assert dates == {dt.datetime(2021, 5, 4, 10, 20, 30, tzinfo=dt.timezone.utc)}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["#c0392b", "#2980b9", "#27ae60", "#f4d03f", "#7f8c8d", "#c0392c", "bad"]),
                min_size=1, max_size=24))
def test_every_code_gets_a_colour_of_its_own(colors):
    codes = [Code(i, None, f"C{i}", c, "", i) for i, c in enumerate(colors)]
    got = distinct_colors(codes)
    rgb = [_rgb(got[c.id]) for c in codes]
    for i in range(len(rgb)):
        for j in range(i):
            assert _distance(rgb[i], rgb[j]) >= MIN_COLOR_DISTANCE
    assert got[codes[0].id] == codes[0].color or _rgb(codes[0].color) is None  # the first keeps its own


def test_hundreds_of_codes_all_differ():
    codes = [Code(i, None, f"C{i}", "#c0392b", "", i) for i in range(300)]
    assert len(set(distinct_colors(codes).values())) == 300
