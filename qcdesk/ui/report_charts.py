"""Qt pictures for the charts of Word reports: the renderer the core's report writer is given.

The core describes a chart as data (:class:`~qcdesk.core.reports.structure.Chart`) and
never imports Qt; the window's export worker and the command line pass :func:`render_chart`
to ``write_report``, which draws through the same QPainter charts the panels show.
"""

from __future__ import annotations

from qcdesk.core.reports.structure import Chart
from qcdesk.ui.charts import Series, paint_hbar_chart, paint_line_chart, render_png

#: picture size in pixels at DPI: 16 x 8 cm, the text width of a portrait A4 page
WIDTH, HEIGHT, DPI = 1890, 945, 300


def render_chart(chart: Chart) -> bytes | None:
    """PNG bytes of ``chart``, or ``None`` for a kind this renderer does not draw."""
    if chart.kind == "bar":
        # horizontal bars: every code's full name on the left, as many rows as there are bars
        height = max(HEIGHT // 2, min(2 * HEIGHT, 160 + 62 * len(chart.labels)))

        def draw(painter, rect):
            paint_hbar_chart(painter, rect, chart.title, chart.labels, chart.values,
                             chart.colors or None, x_label=chart.y_label)
        return render_png(draw, WIDTH, height, dpi=DPI)
    elif chart.kind == "line":
        series = [Series(chart.y_label or chart.title, list(chart.values), kind="bar")]
        series += [Series(name, list(values)) for name, values in chart.series]

        def draw(painter, rect):
            paint_line_chart(painter, rect, chart.title, chart.labels, series,
                             y_label=chart.y_label, x_label=chart.x_label)
        # long interview names need room below the axis to stay readable when turned
        longest = max((len(label) for label in chart.labels), default=0)
        return render_png(draw, WIDTH, HEIGHT if longest <= 12 else HEIGHT * 3 // 2, dpi=DPI)
    else:
        return None
