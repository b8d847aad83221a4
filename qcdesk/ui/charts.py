"""Bar and line charts drawn with QPainter, shared by the window's panels and the Word reports.

PySide6-Essentials has no QtCharts, and a report needs the same picture the researcher
saw, so both draw through these functions onto any paint device: a widget in its
``paintEvent``, or an image through :func:`render_png`.

Usage::

    def draw(painter, rect):
        paint_bar_chart(painter, rect, "Participants by role", ["Mentor", "Mentee"], [12, 31])
    png = render_png(draw, 1200, 600, dpi=150)   # bytes of a PNG, 8 x 4 inches

    series = [Series("New codes", [5, 3, 1, 0], kind="bar"),
              Series("Codes so far", [5, 8, 9, 9])]
    paint_line_chart(painter, rect, "Saturation", ["P01", "P02", "P03", "P04"], series)

Sizes are in points, so text keeps its printed size at any dpi. Charts are made for
paper: white background, dark text, light grid, colours that stay apart in greyscale.
Long category labels are turned 45° or 90° and shortened with an ellipsis rather than
cut off; the title is shortened to the width.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Sequence

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QPointF, QRectF, Qt
from PySide6.QtGui import (QBrush, QColor, QFont, QFontMetricsF, QGuiApplication, QImage, QPainter,
                           QPainterPath, QPen)

#: colour-blind safe and distinct in greyscale (Tableau 10, reordered for contrast)
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac")
TEXT = QColor("#222222")
AXIS = QColor("#555555")
GRID = QColor("#dddddd")
BACKGROUND = QColor("#ffffff")

DrawFn = Callable[[QPainter, QRectF], None]


@dataclass(frozen=True)
class Series:
    """One data series of a :func:`paint_line_chart`: a line (with points) or bars."""

    name: str
    values: Sequence[float]
    color: str | None = None
    kind: str = "line"  # "line" or "bar"


# ------------------------------------------------------------------- public API
def paint_bar_chart(painter: QPainter, rect: QRectF, title: str, labels: Sequence[str],
                    values: Sequence[float], colors: Sequence[str] | None = None, *,
                    y_label: str = "") -> None:
    """Vertical bars, one per label, with the value above each bar.

    ``colors``: one per bar (cycled); by default all bars take the first palette colour.
    """
    series = [Series(y_label or title, list(values), None, "bar")]
    _Chart(painter, QRectF(rect), title, list(labels), series, y_label=y_label,
           bar_colors=list(colors) if colors else None, legend=False).paint()


def paint_hbar_chart(painter: QPainter, rect: QRectF, title: str, labels: Sequence[str],
                     values: Sequence[float], colors: Sequence[str] | None = None, *,
                     x_label: str = "") -> None:
    """Horizontal bars, one row per label with its full name on the left and its value at the
    end of the bar: for long names (code names) that turned labels would cut."""
    _HBarChart(painter, QRectF(rect), title, list(labels), list(values),
               list(colors) if colors else None, x_label).paint()


def paint_line_chart(painter: QPainter, rect: QRectF, title: str, x_labels: Sequence[str],
                     series: Sequence[Series | tuple[str, Sequence[float]]], *, y_label: str = "",
                     x_label: str = "") -> None:
    """Lines (and bars, for series of kind "bar") over categorical x positions, with a legend.

    ``series`` items are :class:`Series` or ``(name, values)`` pairs (drawn as lines).
    """
    items = [s if isinstance(s, Series) else Series(s[0], list(s[1])) for s in series]
    _Chart(painter, QRectF(rect), title, list(x_labels), items, y_label=y_label, x_label=x_label,
           legend=len(items) > 1).paint()


def render_png(draw_fn: DrawFn, width: int, height: int, dpi: int = 150) -> bytes:
    """Draw into a ``width`` x ``height`` pixel image at ``dpi`` and return the PNG bytes.

    Needs a QGuiApplication for fonts; when there is no application at all (a command-line
    report), an offscreen one is created.
    """
    ensure_gui_application()
    image = QImage(int(width), int(height), QImage.Format.Format_ARGB32)
    dots_per_metre = round(dpi / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    image.fill(BACKGROUND)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        draw_fn(painter, QRectF(0, 0, width, height))
    finally:
        painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def ensure_gui_application() -> None:
    app = QCoreApplication.instance()
    if app is None:
        # kept on the function so it lives as long as the process
        ensure_gui_application.app = QGuiApplication(["qcdesk-charts", "-platform", "offscreen"])  # type: ignore[attr-defined]
    elif not isinstance(app, QGuiApplication):
        raise RuntimeError("Charts need a QGuiApplication (fonts); a QCoreApplication is running.")


def nice_ticks(top: float, count: int = 5, integer: bool = False) -> list[float]:
    """Round tick values from 0 to at least ``top`` (1, 2, 2.5 or 5 times a power of ten apart).

    ``integer``: for counts, only whole-number ticks (never 2.5 or 7.5)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / max(1, count)
    if integer:
        raw = max(raw, 1.0)
    magnitude = 10 ** math.floor(math.log10(raw))
    factors = (1, 2, 5, 10) if integer else (1, 2, 2.5, 5, 10)
    step = next(m * magnitude for m in factors if m * magnitude >= raw)
    ticks = [0.0]
    while ticks[-1] < top - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def axis_ticks(series: Sequence[Series]) -> list[float]:
    """The value axis of a chart of ``series``: whole-number ticks when every value is whole."""
    values = [v for s in series for v in s.values if v is not None]
    whole = all(float(v).is_integer() for v in values)
    return nice_ticks(max(values + [0]), integer=whole)


def format_tick(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# ------------------------------------------------------------------- drawing
def _font(painter: QPainter, points: float, bold: bool = False) -> QFont:
    font = QFont(painter.font())
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


class _Chart:
    """One chart's layout: title, legend, axes, then the series, all inside ``rect``."""

    def __init__(self, painter: QPainter, rect: QRectF, title: str, labels: list[str], series: list[Series],
                 *, y_label: str = "", x_label: str = "", bar_colors: list[str] | None = None,
                 legend: bool = True):
        self.p, self.rect, self.title, self.labels = painter, rect, title, labels
        self.series, self.y_label, self.x_label = series, y_label, x_label
        self.bar_colors, self.legend = bar_colors, legend
        scale = max(1.0, min(1.4, min(rect.width() / 600, rect.height() / 320) ** 0.5))
        self.title_font = _font(painter, 11 * scale, bold=True)
        self.font = _font(painter, 8.5 * scale)
        self.small = _font(painter, 7.5 * scale)

    def color(self, i: int, s: Series) -> QColor:
        return QColor(s.color or PALETTE[i % len(PALETTE)])

    def paint(self) -> None:
        p = self.p
        p.save()
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect, BACKGROUND)
        pad = QFontMetricsF(self.font, p.device()).height() * 0.6
        area = self.rect.adjusted(pad, pad, -pad, -pad)
        area = self._paint_title(area)
        if not self.labels or not any(len(s.values) for s in self.series):
            p.setFont(self.font)
            p.setPen(AXIS)
            p.drawText(area, Qt.AlignmentFlag.AlignCenter, "No data to show yet")
            p.restore()
            return
        if self.legend:
            area = self._paint_legend(area)
        self._paint_plot(area)
        p.restore()

    def _paint_title(self, area: QRectF) -> QRectF:
        if not self.title:
            return area
        fm = QFontMetricsF(self.title_font, self.p.device())
        self.p.setFont(self.title_font)
        self.p.setPen(TEXT)
        text = fm.elidedText(self.title, Qt.TextElideMode.ElideRight, area.width())
        self.p.drawText(QRectF(area.left(), area.top(), area.width(), fm.height()),
                        Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter, text)
        return area.adjusted(0, fm.height() * 1.4, 0, 0)

    def _paint_legend(self, area: QRectF) -> QRectF:
        fm = QFontMetricsF(self.small, self.p.device())
        h = fm.height()
        widths = [h * 1.6 + fm.horizontalAdvance(s.name) + h for s in self.series]
        x = area.center().x() - sum(widths) / 2
        self.p.setFont(self.small)
        for i, (s, w) in enumerate(zip(self.series, widths)):
            color = self.color(i, s)
            swatch = QRectF(x, area.top() + h * 0.2, h * 1.2, h * 0.6)
            if s.kind == "bar":
                self.p.fillRect(swatch, color)
            else:
                self.p.setPen(QPen(color, max(1.5, h * 0.12)))
                self.p.drawLine(QPointF(swatch.left(), swatch.center().y()),
                                QPointF(swatch.right(), swatch.center().y()))
            self.p.setPen(TEXT)
            self.p.drawText(QRectF(x + h * 1.6, area.top(), w, h), Qt.AlignmentFlag.AlignVCenter, s.name)
            x += w
        return area.adjusted(0, h * 1.5, 0, 0)

    def _paint_plot(self, area: QRectF) -> None:
        p = self.p
        fm = QFontMetricsF(self.font, p.device())
        small = QFontMetricsF(self.small, p.device())
        values = [v for s in self.series for v in s.values if v is not None]
        top_value = max(values + [0])
        ticks = nice_ticks(top_value, integer=all(float(v).is_integer() for v in values))
        tick_labels = [format_tick(t) for t in ticks]
        tick_w = max(fm.horizontalAdvance(t) for t in tick_labels)
        left = tick_w + fm.height() * 0.6
        if self.y_label:
            left += fm.height() * 1.3
        # x labels: horizontal if they fit their slot, else turned and shortened
        n = len(self.labels)
        plot_w = area.width() - left - fm.height() * 0.5
        slot = plot_w / n
        widest = max(small.horizontalAdvance(label) for label in self.labels)
        max_label = area.height() * 0.45  # turned labels: most names whole, long ones elided in the middle
        if widest <= slot * 0.92:
            angle, label_h = 0, small.height() * 1.3
        else:
            angle = 45 if slot >= small.height() * 1.6 else 90
            longest = min(widest, max_label)
            label_h = longest * (math.sin(math.radians(angle))) + small.height() * 1.2
            # the first label reaches left of its tick: keep it inside the rectangle
            overhang = longest * math.cos(math.radians(angle)) + small.height() - left
            if overhang > 0:
                left += overhang
                plot_w -= overhang
                slot = plot_w / n
        bottom = label_h + (fm.height() * 1.4 if self.x_label else 0)
        plot = QRectF(area.left() + left, area.top() + fm.height() * 0.6,
                      plot_w, area.height() - bottom - fm.height() * 0.6)
        if plot.height() < fm.height() * 2 or plot.width() < fm.height() * 2:
            p.setFont(self.font)
            p.setPen(AXIS)
            p.drawText(area, Qt.AlignmentFlag.AlignCenter, "Too small to draw")
            return

        def y_of(value: float) -> float:
            return plot.bottom() - plot.height() * (value / ticks[-1])

        # grid and y axis
        p.setFont(self.font)
        for value, text in zip(ticks, tick_labels):
            y = y_of(value)
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(TEXT)
            p.drawText(QRectF(plot.left() - left, y - fm.height() / 2, left - fm.height() * 0.4, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
        if self.y_label:
            p.save()
            p.translate(plot.left() - tick_w - fm.height() * 1.1, plot.center().y())
            p.rotate(-90)
            p.drawText(QRectF(-plot.height() / 2, -fm.height() / 2, plot.height(), fm.height()),
                       Qt.AlignmentFlag.AlignCenter,
                       fm.elidedText(self.y_label, Qt.TextElideMode.ElideRight, plot.height()))
            p.restore()
        p.setPen(QPen(AXIS, 1.2))
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        p.drawLine(plot.bottomLeft(), plot.topLeft())

        self._paint_bars(plot, slot, y_of)
        self._paint_lines(plot, slot, y_of)

        # x labels
        p.setFont(self.small)
        p.setPen(TEXT)
        for i, label in enumerate(self.labels):
            x = plot.left() + slot * (i + 0.5)
            p.setPen(QPen(AXIS, 1))
            p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + small.height() * 0.25))
            p.setPen(TEXT)
            if angle == 0:
                p.drawText(QRectF(x - slot / 2, plot.bottom() + small.height() * 0.3, slot, small.height()),
                           Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, label)
                continue
            text = small.elidedText(label, Qt.TextElideMode.ElideMiddle, max_label)
            width = small.horizontalAdvance(text)
            p.save()
            p.translate(x, plot.bottom() + small.height() * 0.4)
            p.rotate(-angle)
            p.drawText(QRectF(-width - small.height() * 0.2, -small.height() / 2 if angle == 90 else 0,
                              width, small.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
            p.restore()
        if self.x_label:
            p.setFont(self.font)
            p.drawText(QRectF(plot.left(), area.bottom() - fm.height() * 1.2, plot.width(), fm.height()),
                       Qt.AlignmentFlag.AlignCenter, self.x_label)

    def _paint_bars(self, plot: QRectF, slot: float, y_of) -> None:
        bars = [(i, s) for i, s in enumerate(self.series) if s.kind == "bar"]
        if not bars:
            return
        p = self.p
        small = QFontMetricsF(self.small, p.device())
        group = slot * 0.7
        width = group / len(bars)
        p.setFont(self.small)
        for b, (i, s) in enumerate(bars):
            for k, value in enumerate(s.values[:len(self.labels)]):
                if value is None:
                    continue
                if self.bar_colors:
                    color = QColor(self.bar_colors[k % len(self.bar_colors)])
                else:
                    color = self.color(i, s)
                x = plot.left() + slot * k + (slot - group) / 2 + width * b
                bar = QRectF(x, y_of(value), width, plot.bottom() - y_of(value))
                p.fillRect(bar, color)
                p.setPen(QPen(color.darker(130), 0.8))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(bar)
                text = format_tick(value)
                if small.horizontalAdvance(text) <= width * 1.6 and value > 0:
                    p.setPen(TEXT)
                    p.drawText(QRectF(x - width, bar.top() - small.height() * 1.05, width * 3, small.height()),
                               Qt.AlignmentFlag.AlignCenter, text)

    def _paint_lines(self, plot: QRectF, slot: float, y_of) -> None:
        p = self.p
        radius = max(2.0, QFontMetricsF(self.small, p.device()).height() * 0.18)
        for i, s in enumerate(self.series):
            if s.kind != "line":
                continue
            color = self.color(i, s)
            points = [QPointF(plot.left() + slot * (k + 0.5), y_of(v))
                      for k, v in enumerate(s.values[:len(self.labels)]) if v is not None]
            if not points:
                continue
            path = QPainterPath(points[0])
            for pt in points[1:]:
                path.lineTo(pt)
            p.setPen(QPen(color, radius * 0.9, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                          Qt.PenJoinStyle.RoundJoin))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
            p.setBrush(QBrush(BACKGROUND))
            for pt in points:
                p.drawEllipse(pt, radius, radius)


class _HBarChart:
    """Layout of :func:`paint_hbar_chart`: title, names column, bars, value axis below."""

    def __init__(self, painter: QPainter, rect: QRectF, title: str, labels: list[str], values: list[float],
                 colors: list[str] | None, x_label: str):
        self.p, self.rect, self.title, self.labels, self.values = painter, rect, title, labels, values
        self.colors, self.x_label = colors, x_label
        scale = max(1.0, min(1.4, min(rect.width() / 600, rect.height() / 320) ** 0.5))
        self.title_font = _font(painter, 11 * scale, bold=True)
        self.font = _font(painter, 8.5 * scale)
        self.small = _font(painter, 7.5 * scale)

    def paint(self) -> None:
        p = self.p
        p.save()
        p.fillRect(self.rect, BACKGROUND)
        fm = QFontMetricsF(self.font, p.device())
        small = QFontMetricsF(self.small, p.device())
        pad = fm.height() * 0.6
        area = self.rect.adjusted(pad, pad, -pad, -pad)
        if self.title:
            tfm = QFontMetricsF(self.title_font, p.device())
            p.setFont(self.title_font)
            p.setPen(TEXT)
            p.drawText(QRectF(area.left(), area.top(), area.width(), tfm.height()),
                       Qt.AlignmentFlag.AlignCenter,
                       tfm.elidedText(self.title, Qt.TextElideMode.ElideRight, area.width()))
            area = area.adjusted(0, tfm.height() * 1.4, 0, 0)
        if not self.labels:
            p.setFont(self.font)
            p.setPen(AXIS)
            p.drawText(area, Qt.AlignmentFlag.AlignCenter, "No data to show yet")
            p.restore()
            return
        ticks = nice_ticks(max(self.values + [0]), integer=all(float(v).is_integer() for v in self.values))
        names_w = min(max(small.horizontalAdvance(label) for label in self.labels) + small.height(),
                      area.width() * 0.45)
        value_w = max(small.horizontalAdvance(format_tick(v)) for v in self.values) + small.height() * 0.6
        bottom = fm.height() * 1.5 + (fm.height() * 1.3 if self.x_label else 0)
        plot = QRectF(area.left() + names_w, area.top(), area.width() - names_w - value_w,
                      area.height() - bottom)
        row = plot.height() / len(self.labels)

        def x_of(value: float) -> float:
            return plot.left() + plot.width() * value / ticks[-1]

        p.setFont(self.font)
        for value in ticks:
            x = x_of(value)
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            p.setPen(TEXT)
            p.drawText(QRectF(x - 40 * fm.height(), plot.bottom() + fm.height() * 0.2, 80 * fm.height(),
                              fm.height()), Qt.AlignmentFlag.AlignHCenter, format_tick(value))
        if self.x_label:
            p.drawText(QRectF(plot.left(), area.bottom() - fm.height() * 1.2, plot.width(), fm.height()),
                       Qt.AlignmentFlag.AlignCenter, self.x_label)
        p.setFont(self.small)
        for i, (label, value) in enumerate(zip(self.labels, self.values)):
            top = plot.top() + row * i
            p.setPen(TEXT)
            p.drawText(QRectF(area.left(), top, names_w - small.height() * 0.5, row),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       small.elidedText(label, Qt.TextElideMode.ElideMiddle, names_w - small.height() * 0.5))
            color = QColor(self.colors[i % len(self.colors)] if self.colors else PALETTE[0])
            bar = QRectF(plot.left(), top + row * 0.15, x_of(value) - plot.left(), row * 0.7)
            p.fillRect(bar, color)
            p.setPen(QPen(color.darker(130), 0.8))
            p.drawRect(bar)
            p.setPen(TEXT)
            p.drawText(QRectF(bar.right() + small.height() * 0.3, top, value_w, row),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, format_tick(value))
        p.setPen(QPen(AXIS, 1.2))
        p.drawLine(plot.topLeft(), plot.bottomLeft())
        p.restore()
