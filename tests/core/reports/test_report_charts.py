"""Charts in reports: data in the core, a picture from an injected renderer, a table without one."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from qcdesk.core.reports import ReportOptions, build_report, write_report
from qcdesk.core.reports.structure import Chart, chart_as_table

pytestmark = pytest.mark.core

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS"
       b"\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")


def test_matrices_report_carries_frequency_and_saturation_charts(sample):
    charts = build_report(sample.project, "matrices").charts()
    bars, curve = charts
    assert bars.kind == "bar" and dict(zip(bars.labels, bars.values)) == {"Barriers": 5.0, "Support": 1.0}
    assert bars.colors == ("#c0392b", "#27ae60")
    assert curve.kind == "line" and curve.labels == ("Interview 01", "Interview 02", "Field notes")
    assert curve.values == (3.0, 1.0, 0.0) and curve.series[0][1] == (3.0, 4.0, 4.0)
    assert not build_report(sample.project, "matrices", ReportOptions(include_charts=False)).charts()


def test_renderer_output_becomes_a_picture(sample, tmp_path: Path):
    seen: list[Chart] = []

    def renderer(chart: Chart) -> bytes:
        seen.append(chart)
        return PNG

    out = write_report(sample.project, "matrices", tmp_path / "m.docx", chart_renderer=renderer)
    document = docx.Document(out)
    assert [c.title for c in seen] == ["Coded segments per top-level code",
                                       "Saturation: new codes per interview"]
    assert len(document.inline_shapes) == 2
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("Figure 1: Segments coded with each top-level code") for t in texts)


def test_without_renderer_a_chart_is_a_small_table(sample, tmp_path: Path):
    out = write_report(sample.project, "matrices", tmp_path / "m.docx")
    document = docx.Document(out)
    assert len(document.inline_shapes) == 0
    grids = [[[c.text.strip("\u00a0\u2002") for c in row.cells] for row in t.rows] for t in document.tables]
    assert [["Code", "Segments"], ["Barriers", "5"], ["Support", "1"]] in grids
    assert [["Interview", "New codes", "Codes so far"], ["Interview 01", "3", "3"],
            ["Interview 02", "1", "4"], ["Field notes", "0", "4"]] in grids


def test_renderer_may_decline():
    table = chart_as_table(Chart("bar", "T", ("a", "b"), (1.0, 2.5)))
    assert [r.cells for r in table.rows] == [("a", "1"), ("b", "2.50")]
    with pytest.raises(ValueError):
        Chart("bar", "T", ("a",), (1.0, 2.0))


@pytest.mark.gui
def test_qt_renderer_draws_a_png(sample, tmp_path: Path, qapp):
    from qcdesk.ui.report_charts import render_chart

    chart = build_report(sample.project, "matrices").charts()[0]
    png = render_chart(chart)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    document = docx.Document(write_report(sample.project, "matrices", tmp_path / "m.docx",
                                          chart_renderer=render_chart))
    blob = document.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert document.part.related_parts[blob].blob == render_chart(chart)
    assert io.BytesIO(png).getbuffer().nbytes == len(png)


def test_saturation_chart_leaves_out_interviews_nobody_has_coded(sample):
    """An uncoded interview would read as "0 new codes", which looks like saturation."""
    from qcdesk.core.importers.base import ParsedDocument

    sample.project.documents.add("Interview 03", ParsedDocument(text="Not coded yet.", source_format="txt"))
    curve = build_report(sample.project, "matrices").charts()[1]
    assert curve.labels == ("Interview 01", "Interview 02", "Field notes")
    assert curve.values == (3.0, 1.0, 0.0) and curve.series[0][1] == (3.0, 4.0, 4.0)
    assert "1 interview not coded yet is left out" in curve.caption
