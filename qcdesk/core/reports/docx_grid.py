"""Table rows for Word written as XML in one piece: large matrices at the speed of lxml.

python-docx builds a cell through a dozen element look-ups and insertions, about a millisecond
each; a 500-code matrix has hundreds of thousands of cells. A plain row (text without line
breaks or tabs, no colour swatch, no right-to-left text) is written here as one XML string and
parsed once, giving exactly what the cell-by-cell path writes: repeated header rows, rows that
do not split across pages, shading, the paragraph style, indentation, bold and alignment.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

#: text a plain row cannot hold as one run: line breaks and tabs
_SPECIAL = re.compile(r"[\n\r\t\x0b\x0c]")
#: one indentation step of a row header (0.35 cm) in twips
INDENT_TWIPS = round(0.35 * 567)
EMU_PER_TWIP = 635


def row_xml(cells, widths, numeric, style_id: str, *, header: bool, fill: str | None, indent: int,
            bold: bool) -> str | None:
    """The ``<w:tr>`` of one row, or ``None`` when the row needs the cell-by-cell path."""
    parts = [f"<w:tr {nsdecls('w')}><w:trPr><w:cantSplit/>", "<w:tblHeader/>" if header else "",
             "</w:trPr>"]
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    run_pr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    for i, (text, width) in enumerate(zip(cells, widths)):
        if not text.isascii() and (_SPECIAL.search(text) or _rtl(text)):
            return None
        if "\t" in text or "\n" in text or "\r" in text:
            return None
        ind = f'<w:ind w:left="{INDENT_TWIPS * indent}"/>' if i == 0 and indent else ""
        jc = '<w:jc w:val="right"/>' if numeric[i] else ""
        run = (f'<w:r>{run_pr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else "")
        parts.append(f'<w:tc><w:tcPr><w:tcW w:w="{width // EMU_PER_TWIP}" w:type="dxa"/>{shade}</w:tcPr>'
                     f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/>{ind}{jc}</w:pPr>{run}</w:p></w:tc>')
    parts.append("</w:tr>")
    return "".join(parts)


def _rtl(text: str) -> bool:
    from qcdesk.core.reports.docx_writer import is_rtl

    return is_rtl(text)


def append_row(table, xml: str) -> None:
    table._tbl.append(parse_xml(xml))


def append_rows(table, rows: list[str]) -> None:
    """Append many rows with one parse (the rows' own namespace declarations dropped)."""
    declared = f" {nsdecls('w')}"
    whole = parse_xml(f"<w:tbl{declared}>" + "".join(r.replace(declared, "", 1) for r in rows) + "</w:tbl>")
    table._tbl.extend(list(whole))
