"""Table rows for Word written as XML text: large matrices at the speed of string joins.

python-docx builds a cell through a dozen element look-ups and insertions, about a millisecond
each; a 500-code matrix has hundreds of thousands of cells. A plain row (text without line
breaks or tabs, no colour swatch, no right-to-left text) is written here as one XML string,
giving exactly what the cell-by-cell path writes: repeated header rows, rows that do not split
across pages, shading, the paragraph style, indentation, bold and alignment. The strings are
parsed once per table (:func:`append_rows`) or written straight to a spilled body.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

from qcdesk.core.reports import docx_adapter as dx
from qcdesk.core.reports.docx_text import is_rtl, xml_safe

#: text a plain row cannot hold as one run: line breaks and tabs
_SPECIAL = re.compile(r"[\n\r\t\x0b\x0c]")
#: one indentation step of a row header (0.35 cm) in twips
INDENT_TWIPS = round(0.35 * 567)
EMU_PER_TWIP = 635


class RowMaker:
    """The ``<w:tr>`` strings of one table: each column's cell opening is made once per
    shading, and the value cells of a row of whole numbers (a matrix row) come from one
    template per shading, so a row costs little more than joining its values."""

    def __init__(self, widths, numeric, style_id: str) -> None:
        self.twips = [w // EMU_PER_TWIP for w in widths]
        self.numeric = list(numeric)
        self.style_id = style_id
        self._openings: dict[str | None, list[tuple[str, str]]] = {}
        self._numbers: dict[tuple[str | None, bool], list[str]] = {}

    def _opening(self, fill: str | None) -> list[tuple[str, str]]:
        """Per column, the cell's XML before and after the paragraph's indentation."""
        if fill not in self._openings:
            shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
            right = '<w:jc w:val="right"/>'
            self._openings[fill] = [
                ((f'<w:tc><w:tcPr><w:tcW w:w="{tw}" w:type="dxa"/>{shade}</w:tcPr>'
                  f'<w:p><w:pPr><w:pStyle w:val="{self.style_id}"/>'), (right if num else "") + "</w:pPr>")
                for tw, num in zip(self.twips, self.numeric)]
        return self._openings[fill]

    def _number_pieces(self, fill: str | None, bold: bool) -> list[str]:
        """The XML around each value of a row of numbers (columns 2..n), as a list of n pieces
        to interleave with the n - 1 values."""
        key = (fill, bold)
        if key not in self._numbers:
            run = _RUN_BOLD if bold else _RUN
            pieces, tail = [], ""
            for before, after in self._opening(fill)[1:]:
                pieces.append(f"{tail}{before}{after}{run}")
                tail = _CELL_END
            self._numbers[key] = [*pieces, f"{tail}</w:tr>"]
        return self._numbers[key]

    def row(self, cells, *, header: bool = False, fill: str | None = None, indent: int = 0,
            bold: bool = False) -> str | None:
        """One row's XML (with its namespace declaration), or ``None`` when a cell needs the
        cell-by-cell path (line breaks, tabs, right-to-left text)."""
        openings = self._opening(fill)
        run = _RUN_BOLD if bold else _RUN
        parts = [f"<w:tr {dx.W_DECLARATION}><w:trPr><w:cantSplit/>",
                 "<w:tblHeader/></w:trPr>" if header else "</w:trPr>"]
        numbers = len(cells) == len(openings) and all(v.isdigit() for v in cells[1:])
        for i, (text, (before, after)) in enumerate(zip(cells, openings)):
            if i and numbers:
                pieces = self._number_pieces(fill, bold)
                parts.extend(piece + value for piece, value in zip(pieces, cells[1:]))
                parts.append(pieces[-1])
                return "".join(parts)
            if not text.isdigit():
                text = xml_safe(text)
                if _SPECIAL.search(text) or (not text.isascii() and is_rtl(text)):
                    return None
                text = escape(text)
            parts.append(before)
            if i == 0 and indent:
                parts.append(f'<w:ind w:left="{INDENT_TWIPS * indent}"/>')
            parts.append(after)
            parts.append(f"{run}{text}{_CELL_END}" if text else "</w:p></w:tc>")
        parts.append("</w:tr>")
        return "".join(parts)


_RUN = '<w:r><w:t xml:space="preserve">'
_RUN_BOLD = '<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">'
_CELL_END = "</w:t></w:r></w:p></w:tc>"


def append_rows(table, rows: list[str]) -> None:
    """Append many rows to a python-docx table with one parse (their own namespace
    declarations dropped inside one that declares it)."""
    declared = f" {dx.W_DECLARATION}"
    whole = dx.parse(f"<w:tbl{declared}>" + "".join(r.replace(declared, "", 1) for r in rows) + "</w:tbl>")
    dx.xml_of(table).extend(list(whole))
