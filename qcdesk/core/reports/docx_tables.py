"""Tables and numbered captions in a Word report (a part of the writer in ``docx_writer``).

Plain rows are written as XML text (:mod:`docx_grid`); a large grid goes straight to the
spilled body and never into the document tree. Rows with a colour swatch, line breaks or
right-to-left text go cell by cell through python-docx.
"""

from __future__ import annotations

from typing import Any, Callable

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from qcdesk.core.reports import docx_adapter as dx
from qcdesk.core.reports import docx_grid
from qcdesk.core.reports import docx_hygiene as hygiene
from qcdesk.core.reports.docx_text import is_rtl, xml_safe
from qcdesk.core.reports.structure import Table, TableRow

#: a table this large (cells) is spilled as soon as it is written (large matrices)
SPILL_CELLS = 2000
RULE = "A6A6A6"
HEADER_FILL = "E7ECF2"
TOTAL_FILL = "F2F2F2"
#: tblPr children that come after tblBorders in the schema
_AFTER_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
                  "w:tblPrChange")


class TableBlocks:
    """The writer's tables and captions; mixed into ``docx_writer._Writer``."""

    # what the writer provides
    doc: Any
    spill: Any
    style_ids: dict[str, str]
    _open_comments: dict
    _end: Any
    _tables: int
    _figures: int
    _p: Callable[..., Any]
    _text: Callable[..., Any]
    _swatch: Callable[..., Any]
    _bidi: Callable[..., Any]
    _text_width: Callable[[], int]

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
        hygiene.complex_field(dx.xml_of(par), f"SEQ {label} \\* ARABIC", str(n))
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
        dx.set_table_style(table, self.style_ids["Table Grid"])
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        table.autofit = False
        _light_borders(table)
        for col, w in zip(table.columns, widths):
            col.width = w
        style = self.style_ids["Table Text Small" if block.dense else "Table Text"]
        maker = docx_grid.RowMaker(widths, numeric, style)
        self._row(table, maker, block.header, widths, numeric, style, header=True)
        plain = [maker.row(row.cells, fill=TOTAL_FILL if row.total else None, indent=row.indent, bold=row.total)
                 if not row.color else None for row in block.rows]
        if all(xml is not None for xml in plain):
            rows_xml = [xml for xml in plain if xml is not None]
            if self.spill is not None and len(rows_xml) * n >= SPILL_CELLS and not self._open_comments:
                # a large grid goes to the spilled body as text and never into the tree
                tbl = dx.xml_of(table)
                tbl.getparent().remove(tbl)  # the header row only: cheap to move
                self.spill.flush(self.doc)  # everything before it, in order
                self.spill.write_table(tbl, rows_xml)
            else:
                docx_grid.append_rows(table, rows_xml)  # one parse for the whole grid
        else:
            for row in block.rows:
                self._row(table, maker, row.cells, widths, numeric, style, row=row)
        self._end = dx.section_end(self.doc)
        self._p(self.style_ids["Normal"])  # breathing room after the grid

    def _row(self, table, maker, cells, widths, numeric, style_id: str, *, header: bool = False,
             row: TableRow | None = None):
        total = row is not None and row.total
        fill = HEADER_FILL if header else (TOTAL_FILL if total else None)
        if row is None or not row.color:  # plain rows in one piece
            xml = maker.row(cells, header=header, fill=fill, indent=row.indent if row is not None else 0,
                            bold=header or total)
            if xml is not None:
                docx_grid.append_rows(table, [xml])
                return
        tr = table.add_row()
        trpr = dx.row_properties(tr)
        trpr.append(dx.element("w:cantSplit"))
        if header:
            trpr.append(dx.element("w:tblHeader"))  # repeat on every page
        for i, (cell, text, width) in enumerate(zip(tr.cells, cells, widths)):
            cell.width = width
            if fill:
                dx.cell_properties(cell).append(dx.element("w:shd", {"val": "clear", "color": "auto", "fill": fill}))
            par = cell.paragraphs[0]
            dx.set_paragraph_style(dx.xml_of(par), style_id)
            if i == 0 and row is not None:
                if row.indent:
                    par.paragraph_format.left_indent = Cm(0.35 * row.indent)
                if row.color:
                    self._swatch(par, row.color)
            run = self._text(par, text)
            if header or total:
                run.bold = True
            if numeric[i]:
                par.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            elif is_rtl(xml_safe(text)):
                self._bidi(par)


def _light_borders(table) -> None:
    """Thin grey rules instead of "Table Grid"'s black ones (tblBorders sits before tblLayout)."""
    edges = [dx.element(f"w:{edge}", {"val": "single", "sz": 4, "space": 0, "color": RULE})
             for edge in ("top", "left", "bottom", "right", "insideH", "insideV")]
    dx.insert_in_order(dx.table_properties(table), dx.element("w:tblBorders", None, *edges), *_AFTER_BORDERS)
