"""The neutral report structure: what a report says, before any file format.

Builders (one module per report kind) turn a project into a :class:`Report`;
renderers (``docx_writer``) turn a :class:`Report` into a file. Everything here
is plain data, so builders can be tested without writing a file and a new
format needs no change to any builder.

Text is kept exactly as coded: renderers may only adapt what a format cannot
hold (e.g. control characters XML forbids), never trim or rewrite it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True)
class Run:
    """A stretch of text with one look. ``color`` is the text colour as ``#rrggbb``."""

    text: str
    bold: bool = False
    italic: bool = False
    color: str | None = None
    #: ``True`` for muted secondary text (counts, notes): the renderer picks a grey
    muted: bool = False


@dataclass(frozen=True)
class Swatch:
    """A small filled square of a code's colour, shown inline before text."""

    color: str


Inline = Union[Run, Swatch]


@dataclass(frozen=True)
class Heading:
    """A section heading; ``level`` 1 is the top (Word's "Heading 1")."""

    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """Body text. ``kind`` is a hint: ``"body"``, ``"meta"`` (small facts line) or ``"note"``."""

    runs: tuple[Inline, ...]
    kind: str = "body"

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs if isinstance(r, Run))


@dataclass(frozen=True)
class Quote:
    """A coded segment: its exact text and where it comes from (document, speaker, time)."""

    text: str
    source: str
    #: the code's colour, for a marker beside the quote; ``None`` for none
    color: str | None = None


@dataclass(frozen=True)
class TableRow:
    cells: tuple[str, ...]
    #: indentation of the first cell (a code's depth in the tree)
    indent: int = 0
    #: a totals row: set apart and never split from the table
    total: bool = False
    #: colour swatch shown before the first cell
    color: str | None = None


@dataclass(frozen=True)
class Table:
    """A grid with a header row repeated on every page.

    ``widths`` are relative column weights (the renderer scales them to the page);
    ``numeric`` marks the columns to right-align.
    """

    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    widths: tuple[float, ...] = ()
    numeric: tuple[bool, ...] = ()
    caption: str = ""
    #: many columns: the renderer sets it in a smaller type
    dense: bool = False

    def __post_init__(self) -> None:
        n = len(self.header)
        for row in self.rows:
            if len(row.cells) != n:
                raise ValueError(f"table row has {len(row.cells)} cells for {n} columns")
        if self.widths and len(self.widths) != n:
            raise ValueError("one width per column")
        if self.numeric and len(self.numeric) != n:
            raise ValueError("one numeric flag per column")


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Section:
    """Start a new page section; ``landscape`` for wide tables."""

    landscape: bool = False


@dataclass(frozen=True)
class Comment:
    """A note in the margin anchored to a stretch of text (a Word comment).

    ``key`` is unique within a report; ``text`` may hold several lines (one paragraph each).
    """

    key: int
    text: str
    author: str = ""
    initials: str = ""
    #: when the coding was made (ISO 8601), the comment's date; empty: the report's time
    date: str = ""


@dataclass(frozen=True)
class Mark:
    """A stretch of transcript text with one look: a coding boundary never falls inside one.

    ``fill`` is the background colour (already lightened for print), ``underline`` flags text
    under more than one coding; ``opens`` are the comments whose range starts with this mark,
    ``closes`` the keys of those whose range ends with it.
    """

    text: str
    bold: bool = False
    muted: bool = False
    fill: str | None = None
    underline: bool = False
    opens: tuple[Comment, ...] = ()
    closes: tuple[int, ...] = ()


@dataclass(frozen=True)
class Annotated:
    """A transcript paragraph made of marks, some carrying comments.

    With a ``number`` the renderer sets consecutive paragraphs as rows of a three-column
    grid: the paragraph number (as quotes cite it), the text, and in the margin the codes
    (name, colour) of the codings over this paragraph, so they show on paper too.
    """

    marks: tuple[Mark, ...]
    number: int | None = None
    margin: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        return "".join(m.text for m in self.marks)


@dataclass(frozen=True)
class Chart:
    """A chart as data only: the renderer turns it into a picture, or into a small table.

    ``kind`` is ``"bar"`` (one bar per label) or ``"line"`` (``values`` over ``labels`` in order,
    e.g. new codes per interview for a saturation curve). ``series`` holds extra lines for
    ``"line"`` charts as (name, values), e.g. the cumulative count.
    """

    kind: str
    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    x_label: str = ""
    y_label: str = ""
    colors: tuple[str, ...] = ()
    series: tuple[tuple[str, tuple[float, ...]], ...] = ()
    caption: str = ""

    def __post_init__(self) -> None:
        if len(self.labels) != len(self.values):
            raise ValueError("one value per label")
        for name, values in self.series:
            if len(values) != len(self.labels):
                raise ValueError(f"series {name!r} needs one value per label")


Block = Union[Heading, Paragraph, Quote, Table, PageBreak, Section, Annotated, Chart]


@dataclass
class Report:
    """A whole report: the title page facts, then the blocks in reading order."""

    kind: str
    title: str
    #: shown under the title: the project file's name, never its folder
    subtitle: str = ""
    #: (label, value) pairs on the title page, e.g. ("Documents", "12")
    metadata: list[tuple[str, str]] = field(default_factory=list)
    #: the author written into the file's properties (coder names), may be empty
    author: str = ""
    blocks: list[Block] = field(default_factory=list)
    #: the document language (BCP 47, e.g. ``en-GB``): spelling and hyphenation in Word
    language: str = "en-GB"
    #: the coder writing the report: the file's "last modified by"
    coder: str = ""
    #: text at the top of every page; empty: none
    header: str = ""
    #: text at the foot of every page, before the page number; empty: title — subtitle
    footer: str = ""
    #: a table of contents after the title page
    contents: bool = True
    #: quotes set between quotation marks of the report's language
    quotation_marks: bool = False
    #: the headings, known before the blocks when these are produced as they are written (the
    #: contents page comes first); ``None``: the headings among :attr:`blocks`
    outline: list[Heading] | None = None

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]

    def quotes(self) -> list[Quote]:
        return [b for b in self.blocks if isinstance(b, Quote)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def charts(self) -> list[Chart]:
        return [b for b in self.blocks if isinstance(b, Chart)]


def format_time(seconds: float) -> str:
    """``75.4`` -> ``"1:15"``; ``3725`` -> ``"1:02:05"`` (whole seconds, truncated)."""
    total = max(0, int(seconds))
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def chart_as_table(chart: Chart) -> Table:
    """The chart's numbers as a small table: what a report shows when no picture can be drawn."""
    header = (chart.x_label or "Item", chart.y_label or "Value", *(name for name, _ in chart.series))
    rows = tuple(
        TableRow((label, _number(value), *(_number(vals[i]) for _, vals in chart.series)),
                 color=chart.colors[i] if i < len(chart.colors) else None)
        for i, (label, value) in enumerate(zip(chart.labels, chart.values)))
    n = len(header)
    return Table(header=header, rows=rows, widths=(3.0,) + (1.0,) * (n - 1),
                 numeric=(False,) + (True,) * (n - 1), caption=chart.caption or chart.title)


def chart_alt_text(chart: Chart) -> str:
    """What a chart shows, in words: the picture's alternative text for screen readers."""
    what = "Bar chart" if chart.kind == "bar" else "Chart"
    parts = [f"{what}: {chart.title}."]
    if chart.kind == "line" and chart.y_label:
        parts.append(f"{chart.y_label} (bars)" + "".join(f" and {name} (line)" for name, _ in chart.series)
                     + f" per {(chart.x_label or 'item').lower()}.")
    values = []
    for i, (label, value) in enumerate(zip(chart.labels, chart.values)):
        extra = "".join(f", {_number(vals[i])}" for _, vals in chart.series)
        values.append(f"{label}: {_number(value)}{extra}")
    parts.append("; ".join(values) + ".")
    return " ".join(parts)
