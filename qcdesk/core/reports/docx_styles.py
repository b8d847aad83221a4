"""A report's page, styles, header, footer and file properties in Word.

Word's built-in styles carry the structure ("Title", "Heading 1".."Heading 9", "Quote",
"Caption", "Table Grid"), so the navigation pane, tables of contents and a co-author's own
restyling all work. A few small paragraph styles of our own ("Code Facts", "Segment Source",
"Report Note", "Table Text") are defined once.
"""

from __future__ import annotations

import copy
import datetime as _dt

from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Cm, Pt, RGBColor

from qcdesk.core.reports import docx_adapter as dx
from qcdesk.core.reports import docx_hygiene as hygiene
from qcdesk.core.reports.docx_text import xml_safe
from qcdesk.core.reports.structure import Report

A4 = (Cm(21.0), Cm(29.7))
MARGIN = Cm(2.0)
MUTED = RGBColor(0x59, 0x59, 0x59)
INK = RGBColor(0x1F, 0x2A, 0x37)
HEADING_INK = RGBColor(0x1F, 0x3A, 0x5F)
#: the styles the writer refers to by id (looked up once: thousands of paragraphs)
STYLE_NAMES = ["Quote", "Code Facts", "Segment Source", "Report Note", "Table Text", "Table Text Small",
               "Normal", "Caption", "Title Facts", "Title", "Subtitle", "TOC Heading", "Table Grid",
               *(f"Heading {n}" for n in range(1, 10))]


def setup_page(section, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    section.left_margin = section.right_margin = MARGIN
    section.top_margin = section.bottom_margin = MARGIN
    section.header_distance = section.footer_distance = Cm(1.0)


def text_width(section) -> int:
    return section.page_width - section.left_margin - section.right_margin


def setup_styles(document) -> dict[str, str]:
    """Restyle the template's built-in styles, add ours; return the id of each in
    :data:`STYLE_NAMES`."""
    styles = document.styles
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

    facts = _para_style(document, "Code Facts", size=9.5, after=4, color=MUTED)
    facts.paragraph_format.keep_with_next = True  # a heading's facts lead to its text
    _para_style(document, "Segment Source", size=9, after=6, color=MUTED, indent=Cm(0.8))
    _para_style(document, "Report Note", size=10, after=6, italic=True)
    _para_style(document, "Table Text", size=9, after=0, line=1.0)
    _para_style(document, "Table Text Small", size=7.5, after=0, line=1.0)
    _para_style(document, "Title Facts", size=11, after=2)
    caption = styles["Caption"]
    caption.paragraph_format.keep_with_next = True
    caption.paragraph_format.space_before = Pt(6)
    return {name: styles[name].style_id for name in STYLE_NAMES}


def _para_style(document, name: str, *, size: float, after: float, color: RGBColor | None = None,
                italic: bool = False, indent=None, line: float = 1.1):
    st = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    st.base_style = document.styles["Normal"]
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


def field(par, instr: str) -> None:
    """A simple field (``PAGE``, ``NUMPAGES``) at the end of python-docx paragraph ``par``."""
    result = dx.element("w:r", None, _text("1"))
    dx.xml_of(par).append(dx.element("w:fldSimple", {"instr": f" {instr} "}, result))


def _text(text: str):
    t = dx.element("w:t")
    t.text = text
    return t


def setup_footer(document, report: Report, add_text):
    """The report's footer (its text, then "Page N of M") on the first section; returns the
    footer's element, kept to copy into later sections once the body may have been spilled."""
    # style-level tab stops would catch the page number halfway: the paragraph sets its own
    footer_style = document.styles["Footer"]
    footer_style.paragraph_format.tab_stops.clear_all()
    footer_style.font.size = Pt(8)
    footer_style.font.color.rgb = MUTED
    section = document.sections[0]
    p = section.footer.paragraphs[0]
    p.style = footer_style
    p.paragraph_format.tab_stops.add_tab_stop(text_width(section), WD_TAB_ALIGNMENT.RIGHT)
    label = report.footer or (report.title + (f" — {report.subtitle}" if report.subtitle else ""))
    add_text(p, label + "\tPage ")
    field(p, "PAGE")
    add_text(p, " of ")
    field(p, "NUMPAGES")
    return dx.xml_of(section.footer)


def setup_header(document, report: Report, add_text) -> None:
    if not report.header:
        return
    header = document.sections[0].header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.style = document.styles["Header"]
    p.style.font.size = Pt(8)
    p.style.font.color.rgb = MUTED
    add_text(p, report.header)


def copy_footer(source, section) -> None:
    """Give ``section`` a copy of footer element ``source``, its right tab at this section's
    text width (a linked footer would keep the first section's)."""
    section.footer.is_linked_to_previous = False
    dst = dx.xml_of(section.footer)
    for child in list(dst):
        dst.remove(child)
    for child in source:
        dst.append(copy.deepcopy(child))
    for tab in dst.iter(dx.qn("w:tab")):
        if tab.get(dx.qn("w:val")) == "right":
            tab.set(dx.qn("w:pos"), str(int(text_width(section) / 635)))  # EMU -> twips


def set_properties(document, report: Report, now: _dt.datetime) -> None:
    """Title and author only: nothing that names the user's folders or the generator."""
    cp = document.core_properties
    cp.title = xml_safe(report.title)
    cp.subject = xml_safe(report.subtitle)
    cp.author = xml_safe(report.author)
    cp.last_modified_by = xml_safe(report.coder)
    cp.comments = ""
    cp.keywords = ""
    cp.category = ""
    cp.revision = 1
    cp.created = cp.modified = now.replace(tzinfo=None)
    dx.drop_core_property(cp, "cp:lastPrinted")  # the template's 2013 print date
    cp.language = report.language
