"""Render a neutral :class:`~qcdesk.core.reports.structure.Report` as a Word file (python-docx).

The page, styles, header, footer and properties are set up in :mod:`docx_styles`, tables
and captions written by :mod:`docx_tables`; python-docx's internals are reached only through
:mod:`docx_adapter`. Hot paths build the XML directly (one paragraph appended before the
final section properties, in constant time) so thousands of quotes render quickly.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as _dt
import itertools
from typing import Any, BinaryIO, Callable, Iterable, Iterator

import docx
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from qcdesk.core.reports import docx_adapter as dx
from qcdesk.core.reports import docx_hygiene as hygiene
from qcdesk.core.reports import docx_margin as margin
from qcdesk.core.reports import docx_styles as styles
from qcdesk.core.reports.docx_stream import Spill, save
from qcdesk.core.reports.docx_tables import SPILL_CELLS, TableBlocks
from qcdesk.core.reports.docx_text import SPECIAL, hex_color, is_rtl, run_xml, xml_safe
from qcdesk.core.reports.structure import (
    Annotated, Block, Chart, Heading, PageBreak, Paragraph, Quote, Report, Section, Swatch, Table,
    chart_alt_text, chart_as_table,
)

__all__ = ["SPILL_CELLS", "SPILL_EVERY", "ChartRenderer", "is_rtl", "render", "xml_safe"]

#: turns a chart into PNG bytes, or ``None`` to fall back to a table (the UI and CLI pass Qt's)
ChartRenderer = Callable[[Chart], "bytes | None"]
#: blocks rendered between two spills of the body to the temporary file
SPILL_EVERY = 500

MUTED = styles.MUTED
SWATCH = "\u00a0\u00a0\u00a0"
#: quotes up to this many characters (about five lines) keep with their source line
SHORT_QUOTE = 500
#: a table of contents only for reports with at least this many headings (levels 1-3)
MIN_CONTENTS = 4
CONTENTS_LEVELS = 3
#: entries in the contents at most (unless the top level alone has more)
MAX_CONTENTS = 300

# w:pPr children must keep the schema's order (Word refuses files that do not)
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
    "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE",
    "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection",
    "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
    "w:sectPr", "w:pPrChange",
)
_AFTER_BIDI = _PPR_ORDER[_PPR_ORDER.index("w:bidi") + 1:]


class _Writer(TableBlocks):
    def __init__(self, report: Report, chart_renderer: ChartRenderer | None = None,
                 spill: Spill | None = None):
        self.report = report
        self.chart_renderer = chart_renderer
        self.spill = spill
        #: comment key -> (comment, first run) for comments whose range is still open
        self._open_comments: dict = {}
        self._now = _dt.datetime.now(_dt.UTC).replace(microsecond=0)
        self.doc = dx.new_document()
        self._comments = dx.Comments(self.doc)
        self._end = dx.section_end(self.doc)  # every new block goes just before this
        styles.setup_page(self.doc.sections[0], landscape=False)
        self.style_ids = styles.setup_styles(self.doc)
        self._footer = styles.setup_footer(self.doc, report, self._text)  # kept: the body may be spilled
        styles.setup_header(self.doc, report, self._text)
        styles.set_properties(self.doc, report, self._now)
        hygiene.modernise(self.doc, report.language, self._now)
        self._tables = self._figures = self._headings = 0
        self._toc = False
        #: the open transcript grid (table, column widths), if any
        self._grid: tuple[Any, list[int]] | None = None
        self._xml: list[str] = []  # blocks written as XML text, not yet in the body (quotes)

    def _text_width(self) -> int:
        return styles.text_width(self.doc.sections[-1])

    # ------------------------------------------------------------ low-level blocks
    def _p(self, style_id: str | None, keep: bool = False) -> DocxParagraph:
        """A new paragraph at the end of the body; ``keep``: whole, and on the next one's page."""
        p = dx.element("w:p")
        if (style_id and style_id != "Normal") or keep:
            ppr = dx.element("w:pPr")
            if style_id and style_id != "Normal":
                ppr.append(dx.element("w:pStyle", {"val": style_id}))
            if keep:  # in schema order, straight after the style: no search through pPr
                ppr.append(dx.element("w:keepNext"))
                ppr.append(dx.element("w:keepLines"))
            p.append(ppr)
        self._end.addprevious(p)
        return dx.wrap_paragraph(self.doc, p)

    @staticmethod
    def _text(par: DocxParagraph, text: str):
        """Append a run holding ``text`` exactly (line breaks and tabs kept)."""
        text = xml_safe(text)
        if SPECIAL.search(text):
            return par.add_run(text)  # python-docx turns \n into <w:br/>, \t into <w:tab/>
        return dx.add_text(par, text)

    @staticmethod
    def _swatch(par: DocxParagraph, color: str) -> None:
        p = dx.xml_of(par)
        r = dx.add_plain_run(p, SWATCH)
        shade = dx.element("w:shd", {"val": "clear", "color": "auto", "fill": hex_color(color)})
        dx.run_properties(r).append(shade)
        dx.add_plain_run(p, "\u2002")

    def _runs(self, par: DocxParagraph, runs) -> None:
        for item in runs:
            if isinstance(item, Swatch):
                self._swatch(par, item.color)
                continue
            run = self._text(par, item.text)
            if item.bold:
                run.bold = True
            if item.italic:
                run.italic = True
            if item.color:
                run.font.color.rgb = RGBColor.from_string(hex_color(item.color))
            elif item.muted:
                run.font.color.rgb = MUTED

    @staticmethod
    def _bidi(par: DocxParagraph) -> None:
        dx.insert_in_order(dx.paragraph_properties(dx.xml_of(par)), dx.element("w:bidi"), *_AFTER_BIDI)

    # ------------------------------------------------------------ blocks
    def title_page(self) -> None:
        r = self.report
        self._text(self._p(self.style_ids["Title"]), r.title)
        if r.subtitle:
            self._text(self._p(self.style_ids["Subtitle"]), r.subtitle)
        for label, value in r.metadata:
            par = self._p(self.style_ids["Title Facts"])
            lab = self._text(par, f"{label}:\t")
            lab.bold = True
            lab.font.color.rgb = MUTED
            par.paragraph_format.tab_stops.add_tab_stop(Cm(4.0))
            self._text(par, value)
        heads = r.outline if r.outline is not None else [b for b in r.blocks if isinstance(b, Heading)]
        # as deep as fits a few pages: a framework of 150 cases x 500 codes lists the cases only
        self._toc_levels = next((lvl for lvl in range(CONTENTS_LEVELS, 1, -1)
                                 if sum(h.level <= lvl for h in heads) <= MAX_CONTENTS), 1)
        entries = [h for h in heads if h.level <= self._toc_levels]
        if r.contents and len(entries) >= MIN_CONTENTS:
            self.page_break()
            self.contents(entries)

    def contents(self, entries: list[Heading]) -> None:
        """The headings (levels 1-3), each with a page-reference field to a bookmark on it.

        Word updates the references on opening (the settings ask it to), LibreOffice at
        layout. (A Word TOC field around them would be rebuilt by Word, but LibreOffice keeps
        a TOC field's stored result as it is, so its page numbers would never show there.)
        """
        self._toc = True
        self._text(self._p(self.doc.styles["TOC Heading"].style_id), hygiene.CONTENTS.get(
            self.report.language.split("-")[0].lower(), "Contents"))
        styles = [hygiene.toc_style(self.doc, level, self._text_width())
                  for level in range(1, CONTENTS_LEVELS + 1)]
        for n, block in enumerate(entries, 1):
            par = self._p(styles[block.level - 1])
            self._text(par, block.text + "\t")
            hygiene.complex_field(dx.xml_of(par), f"PAGEREF {hygiene.bookmark(n)} \\h", "–")

    def page_break(self) -> None:
        self._p(None).add_run().add_break(WD_BREAK.PAGE)

    def heading(self, block: Heading) -> None:
        level = min(max(block.level, 1), 9)
        par = self._p(self.style_ids[f"Heading {level}"])  # looked up once: thousands of headings
        if self._toc and block.level <= self._toc_levels:
            self._headings += 1
            hygiene.bookmarked(dx.xml_of(par), self._headings, lambda: self._text(par, block.text))
        else:
            self._text(par, block.text)
        if is_rtl(block.text):
            self._bidi(par)

    def paragraph(self, block: Paragraph) -> None:
        style = {"meta": "Code Facts", "note": "Report Note"}.get(block.kind, "Normal")
        par = self._p(self.style_ids[style])
        self._runs(par, block.runs)
        if is_rtl(block.text):
            self._bidi(par)

    def quote(self, block: Quote) -> None:
        """The quote and its source line, written as one piece of XML (50,000 quotes in a
        report: python-docx's element calls took most of its time)."""
        rtl = is_rtl(block.text)
        text = block.text
        if self.report.quotation_marks:
            language = self.report.language.split("-")[0].lower()
            opening, closing = hygiene.QUOTATION_MARKS.get(language, ("“", "”"))
            text = opening + text + closing
        # a short quote never leaves its source line behind
        keep = "<w:keepNext/><w:keepLines/>" if len(block.text) <= SHORT_QUOTE else ""
        bar = (f'<w:pBdr><w:{"right" if rtl else "left"} w:val="single" w:sz="24" w:space="8" '
               f'w:color="{hex_color(block.color)}"/></w:pBdr>' if block.color else "")
        if is_rtl(block.source):
            source, source_pr = block.source + " —", "<w:bidi/>"
        else:  # a left-to-right source line under a right-to-left quote goes to the right
            source, source_pr = "— " + block.source, '<w:jc w:val="right"/>' if rtl else ""
        xml = (f'<w:p><w:pPr><w:pStyle w:val="{self.style_ids["Quote"]}"/>{keep}{bar}'
               f'{"<w:bidi/>" if rtl else ""}</w:pPr>{run_xml(xml_safe(text))}</w:p>'
               f'<w:p><w:pPr><w:pStyle w:val="{self.style_ids["Segment Source"]}"/>{source_pr}</w:pPr>'
               f"{run_xml(xml_safe(source))}</w:p>")
        self._xml.append(xml)

    def section(self, block: Section) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        styles.setup_page(section, landscape=block.landscape)
        self._end = dx.section_end(self.doc)
        # a linked footer keeps its right tab at the first section's width: give this one its own
        styles.copy_footer(self._footer, section)

    def annotated(self, block: Annotated) -> None:
        """A transcript paragraph: shaded coded passages, comments anchored on exact runs;
        numbered ones become rows of the number | text | margin grid."""
        if block.number is None:
            par = self._p(self.style_ids["Normal"])
        else:
            par = self._grid_row(block)
        for mark in block.marks:
            run = self._text(par, mark.text)
            if mark.bold:
                run.bold = True
            if mark.muted:
                run.font.color.rgb = MUTED
            if mark.underline:
                run.underline = True
            if mark.fill:
                shade = dx.element("w:shd", {"val": "clear", "color": "auto", "fill": hex_color(mark.fill)})
                dx.run_properties(dx.xml_of(run)).append(shade)  # rPr children so far: b, color, u
            for comment in mark.opens:
                self._open_comments[comment.key] = (comment, run)
            for key in mark.closes:
                comment, first = self._open_comments.pop(key)
                self._comments.add(first, run, xml_safe(comment.text), xml_safe(comment.author),
                                   comment.initials, hygiene.when(comment.date) or self._now)
        if is_rtl(block.text):
            self._bidi(par)

    def _grid_row(self, block: Annotated) -> DocxParagraph:
        if self._grid is None:
            self._grid = margin.new_grid(self._text_width())
            self._end.addprevious(self._grid[0])
        number, text, side = (dx.wrap_paragraph(self.doc, p) for p in margin.add_row(*self._grid))
        for par in (number, side):
            dx.set_paragraph_style(dx.xml_of(par), self.style_ids["Table Text"])
        run = self._text(number, str(block.number))
        run.font.color.rgb = MUTED
        for n, (name, color) in enumerate(block.margin):
            if n:
                side.add_run().add_break()
            self._swatch(side, color)
            self._text(side, name)
        return text

    def chart(self, block: Chart) -> None:
        """The chart as a picture across the text width, or as a small table without a renderer."""
        png = self.chart_renderer(block) if self.chart_renderer is not None else None
        if not png:
            self.table(chart_as_table(block))
            return
        import io

        par = self._p(self.style_ids["Normal"])
        par.alignment = WD_ALIGN_PARAGRAPH.CENTER
        par.paragraph_format.keep_with_next = True
        picture = par.add_run().add_picture(io.BytesIO(png), width=self._text_width())
        dx.set_alt_text(picture, chart_alt_text(block))  # alt text for screen readers
        self.caption("Figure", block.caption or block.title)

    # ------------------------------------------------------------ whole report
    def write(self, progress: Callable[[int, int], None] | None = None,
              body: Iterable[Block] | None = None) -> docx.document.Document:
        """Fill the document; ``progress(blocks done, blocks)`` about every 1% of the blocks.

        ``body``: the blocks as they are produced, instead of the report's list (no progress then:
        their number is not known ahead)."""
        self.title_page()
        handlers: dict[type, Callable[[Any], None]] = {
            Heading: self.heading, Paragraph: self.paragraph, Quote: self.quote,
            Table: self.table, Section: self.section, Annotated: self.annotated,
            Chart: self.chart, PageBreak: lambda _b: self.page_break()}
        blocks: Iterable[Block] = self.report.blocks if body is None else body
        if body is not None:
            progress = None
        step = max(1, len(self.report.blocks) // 100)
        since_spill = cells_since = 0
        # Page and section breaks wait for the next content block: a section break already
        # starts a new page, so a page break just before one (the title page's, say) would
        # leave a blank page, and a section with nothing in it (a landscape table's closing
        # portrait section at the very end) would print as an empty page.
        self._pending_break = True  # the title page's
        pending_section: Section | None = None
        for i, block in enumerate(blocks, 1):
            if isinstance(block, Section):
                pending_section, self._pending_break = block, False
            elif isinstance(block, PageBreak):
                self._pending_break = pending_section is None
            else:
                if not isinstance(block, Quote) or pending_section is not None or self._pending_break:
                    self._write_xml()  # the quotes before it, in order
                if pending_section is not None:
                    self.section(pending_section)
                    pending_section = None
                elif self._pending_break:
                    self.page_break()
                self._pending_break = False
                if not isinstance(block, Annotated):
                    self._grid = None  # the next numbered paragraph starts a new grid
                handlers[type(block)](block)
            since_spill += 1
            if isinstance(block, Table):  # many middle-sized tables weigh as much as one large one
                cells_since += len(block.rows) * len(block.header)
            # a comment still open holds a run in the tree: spill only between whole comments
            big = cells_since >= SPILL_CELLS
            if self.spill is not None and (since_spill >= SPILL_EVERY or big) and not self._open_comments:
                self._write_xml()
                self.spill.flush(self.doc)
                self._grid = None  # spilled: later rows go into a grid of their own
                since_spill = cells_since = 0
            if progress is not None and i % step == 0:
                progress(i, len(self.report.blocks))
        self._write_xml()
        return self.doc

    def _write_xml(self) -> None:
        """Put the blocks kept as XML text (quotes) into the body: straight into the spilled
        body when there is one (after what the tree holds), else parsed in one piece."""
        if not self._xml:
            return
        xml, self._xml = "".join(self._xml), []
        if self.spill is not None and not self._open_comments:
            self.spill.flush(self.doc)
            self.spill.write_xml(xml)
            self._grid = None
        else:
            for el in dx.parse_body(xml):
                self._end.addprevious(el)


def render(report: Report, dest: str | BinaryIO,
           progress: Callable[[int, int], None] | None = None,
           chart_renderer: ChartRenderer | None = None,
           body: Iterable[Block] | None = None,
           streaming: Callable[[], None] | None = None) -> None:
    """Write ``report`` as .docx to a path or a binary file object.

    ``body``: the report's blocks as they are produced (see :attr:`Report.outline`), written
    as they come, so only a few hundred are alive at once. A short body (up to
    :data:`SPILL_EVERY` blocks) is collected first and written as a whole report is, with
    ``progress``; a longer one is written as it comes, ``streaming()`` being called once then.

    Long reports keep memory bounded: see :mod:`docx_stream`.
    """
    rest: Iterator[Block] | None = None
    if body is not None:
        rest = iter(body)
        head = list(itertools.islice(rest, SPILL_EVERY + 1))
        if len(head) <= SPILL_EVERY:
            report = dataclasses.replace(report, blocks=[*report.blocks, *head])
            rest = None
        else:
            rest = itertools.chain(_drain(collections.deque(head)), rest)
            del head
            if streaming is not None:
                streaming()
    if rest is not None:
        spill: Spill | None = Spill()
    else:
        cells = sum(len(b.rows) * len(b.header) for b in report.blocks if isinstance(b, Table))
        spill = Spill() if len(report.blocks) > SPILL_EVERY or cells > SPILL_CELLS else None
    try:
        save(_Writer(report, chart_renderer, spill).write(progress, rest), spill, dest)
    finally:
        if spill is not None:
            spill.close()


def _drain(blocks: collections.deque) -> Iterator[Block]:
    """The blocks, each let go as it is taken."""
    while blocks:
        yield blocks.popleft()
