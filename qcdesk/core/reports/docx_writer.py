"""Render a neutral :class:`~qcdesk.core.reports.structure.Report` as a Word file (python-docx).

Word's built-in styles carry the structure ("Title", "Heading 1".."Heading 9",
"Quote", "Caption", "Table Grid"), so the navigation pane, tables of contents and
a co-author's own restyling all work. A few small paragraph styles of our own
("Code Facts", "Segment Source", "Report Note", "Table Text") are defined once.

Hot paths build the XML directly (one paragraph appended before the final
section properties, in constant time) so thousands of quotes render quickly.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from typing import BinaryIO, Callable

import docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.comments import Comment as DocxComment
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run as DocxRun

from qcdesk.core.reports import docx_hygiene as hygiene
from qcdesk.core.reports import docx_margin as margin
from qcdesk.core.reports import docx_grid
from qcdesk.core.reports.docx_stream import Spill, save
from qcdesk.core.reports.structure import (
    Annotated, Chart, Heading, PageBreak, Paragraph, Quote, Report, Section, Swatch, Table, TableRow,
    chart_alt_text, chart_as_table,
)

#: turns a chart into PNG bytes, or ``None`` to fall back to a table (the UI and CLI pass Qt's)
ChartRenderer = Callable[[Chart], "bytes | None"]
#: blocks rendered between two spills of the body to the temporary file
SPILL_EVERY = 500
#: a table this large (cells) is spilled as soon as it is written (large matrices)
SPILL_CELLS = 2000

A4 = (Cm(21.0), Cm(29.7))
MARGIN = Cm(2.0)
MUTED = RGBColor(0x59, 0x59, 0x59)
INK = RGBColor(0x1F, 0x2A, 0x37)
HEADING_INK = RGBColor(0x1F, 0x3A, 0x5F)
RULE = "A6A6A6"
HEADER_FILL = "E7ECF2"
TOTAL_FILL = "F2F2F2"
SWATCH = "\u00a0\u00a0\u00a0"
#: quotes up to this many characters (about five lines) keep with their source line
SHORT_QUOTE = 500
#: a table of contents only for reports with at least this many headings (levels 1-3)
MIN_CONTENTS = 4
CONTENTS_LEVELS = 3
#: entries in the contents at most (unless the top level alone has more)
MAX_CONTENTS = 300
# characters XML 1.0 cannot hold; vertical tab and form feed read as line breaks
_BREAKS = re.compile(r"[\x0b\x0c]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_SPECIAL = re.compile(r"[\n\r\t]")


def xml_safe(text: str) -> str:
    """``text`` as XML can store it: forbidden control characters become U+FFFD."""
    if _BREAKS.search(text):
        text = _BREAKS.sub("\n", text)
    return _ILLEGAL.sub("\ufffd", text)


def is_rtl(text: str) -> bool:
    """True if the first strongly directional character is right-to-left (Arabic, Hebrew...)."""
    for ch in text[:400]:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


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
_AFTER_PBDR = _PPR_ORDER[_PPR_ORDER.index("w:pBdr") + 1:]
_AFTER_BIDI = _PPR_ORDER[_PPR_ORDER.index("w:bidi") + 1:]


def _hex(color: str) -> str:
    return color.lstrip("#").upper()


class _Writer:
    def __init__(self, report: Report, chart_renderer: ChartRenderer | None = None,
                 spill: Spill | None = None):
        self.report = report
        self.chart_renderer = chart_renderer
        self.spill = spill
        #: comment key -> (comment, first run) for comments whose range is still open
        self._open_comments: dict = {}
        self._comments = None  # (w:comments element, its part) once the first comment exists
        self._next_comment = 0
        self._now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
        self.doc = docx.Document()
        self.body = self.doc.element.body
        self._end = self.body.sectPr  # every new block goes just before this
        self._setup_page(self.doc.sections[0], landscape=False)
        self._setup_styles()
        self._setup_footer()
        self._setup_header()
        self._set_properties()
        hygiene.modernise(self.doc, report.language, self._now)
        self._tables = self._figures = self._headings = 0
        self._toc = False
        self._grid = None  # the open transcript grid (table, column widths), if any

    # ------------------------------------------------------------ setup
    def _setup_page(self, section, landscape: bool) -> None:
        width, height = A4
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (height, width) if landscape else (width, height)
        section.left_margin = section.right_margin = MARGIN
        section.top_margin = section.bottom_margin = MARGIN
        section.header_distance = section.footer_distance = Cm(1.0)

    def _text_width(self) -> int:
        section = self.doc.sections[-1]
        return section.page_width - section.left_margin - section.right_margin

    def _setup_styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = "Calibri"
        normal.font.size = Pt(11)
        normal.font.color.rgb = INK
        fmt = normal.paragraph_format
        fmt.space_after = Pt(6)
        fmt.line_spacing = 1.15

        for level in range(1, 10):
            st = styles[f"Heading {level}"]
            st.font.name = "Calibri"
            st.font.color.rgb = HEADING_INK
            st.font.size = Pt(max(11, 17 - 2 * (level - 1)))
            st.font.bold = True
            st.font.italic = False
            st.paragraph_format.space_before = Pt(18 if level == 1 else 12)
            st.paragraph_format.space_after = Pt(4)
            st.paragraph_format.keep_with_next = True

        title = styles["Title"]
        title.font.name = "Calibri"
        title.font.size = Pt(28)
        title.font.color.rgb = HEADING_INK
        title.paragraph_format.space_before = Pt(120)
        title.paragraph_format.space_after = Pt(6)
        subtitle = styles["Subtitle"]
        subtitle.font.name = "Calibri"
        subtitle.font.size = Pt(14)
        subtitle.font.italic = False
        subtitle.font.color.rgb = MUTED
        subtitle.paragraph_format.space_after = Pt(36)

        quote = styles["Quote"]
        quote.font.italic = False
        quote.font.color.rgb = INK
        qf = quote.paragraph_format
        qf.left_indent = Cm(0.8)
        qf.right_indent = Cm(0.4)
        qf.space_before = Pt(6)
        qf.space_after = Pt(1)
        # a long quote flows over the page end; short ones keep with their source (per paragraph)
        qf.keep_with_next = False
        hygiene.not_italic_cs(quote)  # the template's Quote sets Arabic and Hebrew text in italics

        self.st_facts = self._para_style("Code Facts", size=9.5, after=4, color=MUTED)
        self.st_facts.paragraph_format.keep_with_next = True  # a heading's facts lead to its text
        self.st_source = self._para_style("Segment Source", size=9, after=6, color=MUTED,
                                          indent=Cm(0.8))
        self.st_note = self._para_style("Report Note", size=10, after=6, italic=True)
        self.st_table = self._para_style("Table Text", size=9, after=0, line=1.0)
        self.st_dense = self._para_style("Table Text Small", size=7.5, after=0, line=1.0)
        self.st_meta = self._para_style("Title Facts", size=11, after=2)
        caption = styles["Caption"]
        caption.paragraph_format.keep_with_next = True
        caption.paragraph_format.space_before = Pt(6)
        self.style_ids = {name: styles[name].style_id for name in
                          ["Quote", "Code Facts", "Segment Source", "Report Note", "Table Text", "Table Text Small",
                           "Normal", "Caption", "Title Facts", *(f"Heading {n}" for n in range(1, 10))]}

    def _para_style(self, name: str, *, size: float, after: float, color: RGBColor | None = None,
                    italic: bool = False, indent=None, line: float = 1.1):
        st = self.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = self.doc.styles["Normal"]
        st.quick_style = True
        st.font.size = Pt(size)
        st.font.italic = italic
        if color is not None:
            st.font.color.rgb = color
        pf = st.paragraph_format
        pf.space_before = Pt(0)
        pf.space_after = Pt(after)
        pf.line_spacing = line
        if indent is not None:
            pf.left_indent = indent
        return st

    def _setup_footer(self) -> None:
        # style-level tab stops would catch the page number halfway: the paragraph sets its own
        footer_style = self.doc.styles["Footer"]
        footer_style.paragraph_format.tab_stops.clear_all()
        footer_style.font.size = Pt(8)
        footer_style.font.color.rgb = MUTED
        self._footer = self.doc.sections[0].footer._element  # kept: the body may be spilled
        p = self.doc.sections[0].footer.paragraphs[0]
        p.style = footer_style
        p.paragraph_format.tab_stops.add_tab_stop(self._text_width(), WD_TAB_ALIGNMENT.RIGHT)
        label = self.report.footer or (
            self.report.title + (f" — {self.report.subtitle}" if self.report.subtitle else ""))
        self._text(p, label + "\tPage ")
        self._field(p, "PAGE")
        self._text(p, " of ")
        self._field(p, "NUMPAGES")

    def _setup_header(self) -> None:
        self._header = None
        if not self.report.header:
            return
        header = self.doc.sections[0].header
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.style = self.doc.styles["Header"]
        p.style.font.size = Pt(8)
        p.style.font.color.rgb = MUTED
        self._text(p, self.report.header)
        self._header = header._element

    @staticmethod
    def _field(par: DocxParagraph, instr: str) -> None:
        fld = OxmlElement("w:fldSimple")
        fld.set(qn("w:instr"), f" {instr} ")
        r = OxmlElement("w:r")
        t = OxmlElement("w:t")
        t.text = "1"
        r.append(t)
        fld.append(r)
        par._p.append(fld)

    def _set_properties(self) -> None:
        """Title and author only: nothing that names the user's folders or the generator."""
        cp = self.doc.core_properties
        cp.title = xml_safe(self.report.title)
        cp.subject = xml_safe(self.report.subtitle)
        cp.author = xml_safe(self.report.author)
        cp.last_modified_by = xml_safe(self.report.coder)
        cp.comments = ""
        cp.keywords = ""
        cp.category = ""
        cp.revision = 1
        now = self._now.replace(tzinfo=None)
        cp.created = cp.modified = now
        printed = cp._element.find(qn("cp:lastPrinted"))
        if printed is not None:  # the template's 2013 print date
            cp._element.remove(printed)
        cp.language = self.report.language

    # ------------------------------------------------------------ low-level blocks
    def _p(self, style_id: str | None, keep: bool = False) -> DocxParagraph:
        """A new paragraph at the end of the body; ``keep``: whole, and on the next one's page."""
        p = OxmlElement("w:p")
        if (style_id and style_id != "Normal") or keep:
            ppr = OxmlElement("w:pPr")
            if style_id and style_id != "Normal":
                ps = OxmlElement("w:pStyle")
                ps.set(qn("w:val"), style_id)
                ppr.append(ps)
            if keep:  # in schema order, straight after the style: no search through pPr
                ppr.append(OxmlElement("w:keepNext"))
                ppr.append(OxmlElement("w:keepLines"))
            p.append(ppr)
        self._end.addprevious(p)
        return DocxParagraph(p, self.doc._body)

    @staticmethod
    def _text(par: DocxParagraph, text: str):
        """Append a run holding ``text`` exactly (line breaks and tabs kept)."""
        text = xml_safe(text)
        if _SPECIAL.search(text):
            return par.add_run(text)  # python-docx turns \n into <w:br/>, \t into <w:tab/>
        r = par._p.add_r()
        r.add_t(text)
        return DocxRun(r, par)

    @staticmethod
    def _swatch(par: DocxParagraph, color: str) -> None:
        r = par._p.add_r()
        rpr = r.get_or_add_rPr()
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), _hex(color))
        rpr.append(shd)
        r.add_t(SWATCH)
        par._p.add_r().add_t("\u2002")

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
                run.font.color.rgb = RGBColor.from_string(_hex(item.color))
            elif item.muted:
                run.font.color.rgb = MUTED

    @staticmethod
    def _bidi(par: DocxParagraph) -> None:
        ppr = par._p.get_or_add_pPr()
        ppr.insert_element_before(OxmlElement("w:bidi"), *_AFTER_BIDI)

    @staticmethod
    def _side_bar(par: DocxParagraph, color: str, side: str = "left") -> None:
        """A thick rule in the code's colour beside the paragraph (on its leading side)."""
        ppr = par._p.get_or_add_pPr()
        bdr = OxmlElement("w:pBdr")
        left = OxmlElement(f"w:{side}")
        for k, v in (("w:val", "single"), ("w:sz", "24"), ("w:space", "8"), ("w:color", _hex(color))):
            left.set(qn(k), v)
        bdr.append(left)
        ppr.insert_element_before(bdr, *_AFTER_PBDR)

    # ------------------------------------------------------------ blocks
    def title_page(self) -> None:
        r = self.report
        self._text(self._p(self.doc.styles["Title"].style_id), r.title)
        if r.subtitle:
            self._text(self._p(self.doc.styles["Subtitle"].style_id), r.subtitle)
        for label, value in r.metadata:
            par = self._p(self.style_ids["Title Facts"])
            lab = self._text(par, f"{label}:\t")
            lab.bold = True
            lab.font.color.rgb = MUTED
            par.paragraph_format.tab_stops.add_tab_stop(Cm(4.0))
            self._text(par, value)
        heads = [b for b in r.blocks if isinstance(b, Heading)]
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
            hygiene.complex_field(par._p, f"PAGEREF {hygiene.bookmark(n)} \\h", "–")

    def page_break(self) -> None:
        self._p(None).add_run().add_break(WD_BREAK.PAGE)

    def heading(self, block: Heading) -> None:
        level = min(max(block.level, 1), 9)
        par = self._p(self.style_ids[f"Heading {level}"])  # looked up once: thousands of headings
        if self._toc and block.level <= self._toc_levels:
            self._headings += 1
            hygiene.bookmarked(par._p, self._headings, lambda: self._text(par, block.text))
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
        # a short quote never leaves its source line behind
        par = self._p(self.style_ids["Quote"], keep=len(block.text) <= SHORT_QUOTE)
        rtl = is_rtl(block.text)
        if self.report.quotation_marks:
            language = self.report.language.split("-")[0].lower()
            opening, closing = hygiene.QUOTATION_MARKS.get(language, ("“", "”"))
            self._text(par, opening + block.text + closing)
        else:
            self._text(par, block.text)
        if block.color:
            self._side_bar(par, block.color, "right" if rtl else "left")
        if rtl:
            self._bidi(par)
        src = self._p(self.style_ids["Segment Source"])
        if is_rtl(block.source):
            self._text(src, block.source + " —")
            self._bidi(src)
        else:
            self._text(src, "— " + block.source)
            if rtl:  # a left-to-right source line under a right-to-left quote
                src.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def section(self, block: Section) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._setup_page(section, landscape=block.landscape)
        self._end = self.body.sectPr
        # a linked footer keeps its right tab at the first section's width: give this one its own
        section.footer.is_linked_to_previous = False
        self._copy_footer(section)

    def _copy_footer(self, section) -> None:
        import copy

        src = self._footer
        dst = section.footer._element
        for child in list(dst):
            dst.remove(child)
        for child in src:
            dst.append(copy.deepcopy(child))
        width = section.page_width - section.left_margin - section.right_margin
        for tab in dst.iter(qn("w:tab")):
            if tab.get(qn("w:val")) == "right":
                tab.set(qn("w:pos"), str(int(width / 635)))  # EMU -> twips

    def caption(self, label: str, text: str) -> None:
        """A numbered caption ("Table 3: ...") whose number is a SEQ field, as Word's Insert Caption."""
        par = self._p(self.style_ids["Caption"])
        if label == "Table":
            self._tables += 1
            n = self._tables
        else:
            self._figures += 1
            n = self._figures
        self._text(par, f"{label} ")
        hygiene.complex_field(par._p, f"SEQ {label} \\* ARABIC", str(n))
        self._text(par, f": {text}")

    def table(self, block: Table) -> None:
        if block.caption:
            self.caption("Table", block.caption)
        n = len(block.header)
        total_width = self._text_width()
        weights = block.widths or (1.0,) * n
        # whole twips, rounded down, so the columns never add up to more than the page
        widths = [int(total_width * w / sum(weights)) // 635 * 635 for w in weights]
        numeric = block.numeric or (False,) * n

        table = self.doc.add_table(rows=0, cols=n)
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        self._light_borders(table)
        for col, w in zip(table.columns, widths):
            col.width = w
        style = self.style_ids["Table Text Small" if block.dense else "Table Text"]
        self._row(table, block.header, widths, numeric, style, header=True)
        plain = [docx_grid.row_xml([xml_safe(c) for c in row.cells], widths, numeric, style, header=False,
                                   fill=TOTAL_FILL if row.total else None, indent=row.indent, bold=row.total)
                 if not row.color else None for row in block.rows]
        if all(xml is not None for xml in plain):
            if self.spill is not None and len(plain) * n >= SPILL_CELLS and not self._open_comments:
                # a large grid goes to the spilled body as text and never into the tree
                tbl = table._tbl
                tbl.getparent().remove(tbl)  # the header row only: cheap to move
                self.spill.flush(self.doc)  # everything before it, in order
                self.spill.write_table(tbl, plain)
            else:
                docx_grid.append_rows(table, plain)  # one parse for the whole grid
        else:
            for row in block.rows:
                self._row(table, row.cells, widths, numeric, style, row=row)
        self._end = self.body.sectPr
        self._p(self.style_ids["Normal"])  # breathing room after the grid

    @staticmethod
    def _light_borders(table) -> None:
        """Thin grey rules instead of "Table Grid"'s black ones (tblBorders sits before tblLayout)."""
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = OxmlElement(f"w:{edge}")
            for k, v in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", RULE)):
                el.set(qn(k), v)
            borders.append(el)
        table._tbl.tblPr.insert_element_before(
            borders, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
            "w:tblDescription", "w:tblPrChange")

    def _row(self, table, cells, widths, numeric, style_id: str, *, header: bool = False,
             row: TableRow | None = None):
        total = row is not None and row.total
        if row is None or not row.color:  # plain rows in one piece (large matrices): docx_grid
            xml = docx_grid.row_xml([xml_safe(c) for c in cells], widths, numeric, style_id, header=header,
                                    fill=HEADER_FILL if header else (TOTAL_FILL if total else None),
                                    indent=row.indent if row is not None else 0, bold=header or total)
            if xml is not None:
                docx_grid.append_row(table, xml)
                return
        tr = table.add_row()
        trPr = tr._tr.get_or_add_trPr()
        trPr.append(OxmlElement("w:cantSplit"))
        if header:
            trPr.append(OxmlElement("w:tblHeader"))  # repeat on every page
        fill = HEADER_FILL if header else (TOTAL_FILL if row is not None and row.total else None)
        for i, (cell, text, width) in enumerate(zip(tr.cells, cells, widths)):
            cell.width = width
            if fill:
                tcPr = cell._tc.get_or_add_tcPr()
                shd = OxmlElement("w:shd")
                shd.set(qn("w:val"), "clear")
                shd.set(qn("w:color"), "auto")
                shd.set(qn("w:fill"), fill)
                tcPr.append(shd)
            par = cell.paragraphs[0]
            par._p.get_or_add_pPr().get_or_add_pStyle().set(qn("w:val"), style_id)
            if i == 0 and row is not None:
                if row.indent:
                    par.paragraph_format.left_indent = Cm(0.35 * row.indent)
                if row.color:
                    self._swatch(par, row.color)
            run = self._text(par, text)
            if header or (row is not None and row.total):
                run.bold = True
            if numeric[i]:
                par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif is_rtl(text):
                self._bidi(par)

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
                shd = OxmlElement("w:shd")
                for k, v in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", _hex(mark.fill))):
                    shd.set(qn(k), v)
                run._r.get_or_add_rPr().append(shd)  # rPr children so far: b, color, u (shd follows)
            for comment in mark.opens:
                self._open_comments[comment.key] = (comment, run)
            for key in mark.closes:
                comment, first = self._open_comments.pop(key)
                self._comment(first, run, comment)
        if is_rtl(block.text):
            self._bidi(par)

    def _grid_row(self, block: Annotated) -> DocxParagraph:
        if self._grid is None:
            self._grid = margin.new_grid(self._text_width())
            self._end.addprevious(self._grid[0])
        number, text, side = (DocxParagraph(p, self.doc._body) for p in margin.add_row(*self._grid))
        for par, style in ((number, "Table Text"), (side, "Table Text"), (text, "Normal")):
            if style != "Normal":
                par._p.get_or_add_pPr().get_or_add_pStyle().set(qn("w:val"), self.style_ids[style])
        run = self._text(number, str(block.number))
        run.font.color.rgb = MUTED
        for n, (name, color) in enumerate(block.margin):
            if n:
                side.add_run().add_break()
            self._swatch(side, color)
            self._text(side, name)
        return text

    def _comment(self, first: DocxRun, last: DocxRun, comment) -> None:
        """One Word comment over ``first``..``last``, as ``Document.add_comment`` makes it.

        python-docx finds each new comment's id by scanning all earlier ones, which made a
        transcript report with thousands of codings take minutes; ids here come from a counter.
        """
        if self._comments is None:
            made = self.doc.add_comment([first, last], text=xml_safe(comment.text),
                                        author=xml_safe(comment.author), initials=comment.initials)
            made._comment_elm.date = hygiene.when(comment.date) or self._now
            collection = self.doc.comments
            self._comments = (collection._comments_elm, collection._comments_part)
            self._next_comment = made.comment_id + 1
            return
        element, part = self._comments
        cid = self._next_comment
        self._next_comment += 1
        el = parse_xml(
            f'<w:comment {nsdecls("w")} w:id="{cid}" w:author=""><w:p><w:pPr>'
            '<w:pStyle w:val="CommentText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="CommentReference"/>'
            '</w:rPr><w:annotationRef/></w:r></w:p></w:comment>')
        el.author = xml_safe(comment.author)
        el.initials = comment.initials
        el.date = hygiene.when(comment.date) or self._now
        element.append(el)
        note = DocxComment(el, part)
        lines = xml_safe(comment.text).split("\n")
        note.paragraphs[0].add_run(lines[0])
        for line in lines[1:]:
            note.add_paragraph(text=line)
        first.mark_comment_range(last, cid)

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
        picture._inline.docPr.set("descr", chart_alt_text(block))  # alt text for screen readers
        self.caption("Figure", block.caption or block.title)

    # ------------------------------------------------------------ whole report
    def write(self, progress: Callable[[int, int], None] | None = None) -> docx.document.Document:
        """Fill the document; ``progress(blocks done, blocks)`` about every 1% of the blocks."""
        self.title_page()
        handlers = {Heading: self.heading, Paragraph: self.paragraph, Quote: self.quote,
                    Table: self.table, Section: self.section, Annotated: self.annotated,
                    Chart: self.chart, PageBreak: lambda _b: self.page_break()}
        blocks = self.report.blocks
        step = max(1, len(blocks) // 100)
        since_spill = 0
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
            # a comment still open holds a run in the tree: spill only between whole comments
            big = isinstance(block, Table) and len(block.rows) * len(block.header) >= SPILL_CELLS
            if self.spill is not None and (since_spill >= SPILL_EVERY or big) and not self._open_comments:
                self.spill.flush(self.doc)
                self._grid = None  # spilled: later rows go into a grid of their own
                since_spill = 0
            if progress is not None and i % step == 0:
                progress(i, len(blocks))
        return self.doc


def render(report: Report, dest: str | BinaryIO,
           progress: Callable[[int, int], None] | None = None,
           chart_renderer: ChartRenderer | None = None) -> None:
    """Write ``report`` as .docx to a path or a binary file object.

    Long reports keep memory bounded: see :mod:`docx_stream`.
    """
    cells = sum(len(b.rows) * len(b.header) for b in report.blocks if isinstance(b, Table))
    spill = Spill() if len(report.blocks) > SPILL_EVERY or cells > SPILL_CELLS else None
    try:
        save(_Writer(report, chart_renderer, spill).write(progress), spill, dest)
    finally:
        if spill is not None:
            spill.close()
