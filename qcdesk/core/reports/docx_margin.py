"""The coded transcript's grid in Word: paragraph number | text | codes in the margin.

Word comments are not printed by default (and LibreOffice leaves them out of a PDF), so
the codes over each paragraph are also written in a narrow right-hand column, with a
swatch of each code's colour. The grid has no borders and rows may break across pages,
so it reads as numbered text with a margin, in Word and LibreOffice alike.
"""

from __future__ import annotations

from docx.shared import Cm

from qcdesk.core.reports import docx_adapter as dx

NUMBER_WIDTH = Cm(1.0)
MARGIN_WIDTH = Cm(4.2)


def _set(el, **attrs):
    for k, v in attrs.items():
        el.set(dx.qn(f"w:{k}"), str(v))
    return el


def new_grid(text_width: int):
    """An empty borderless three-column table (widths in EMU); returns it and its column widths."""
    widths = [int(NUMBER_WIDTH), int(text_width - NUMBER_WIDTH - MARGIN_WIDTH), int(MARGIN_WIDTH)]
    twips = [w // 635 for w in widths]
    tbl = dx.element("w:tbl")
    pr = dx.element("w:tblPr")
    pr.append(_set(dx.element("w:tblW"), w=sum(twips), type="dxa"))
    borders = dx.element("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH"):
        borders.append(_set(dx.element(f"w:{edge}"), val="nil"))
    borders.append(_set(dx.element("w:insideV"), val="single", sz=4, space=0, color="D0D0D0"))
    pr.append(borders)
    pr.append(_set(dx.element("w:tblLayout"), type="fixed"))
    mar = dx.element("w:tblCellMar")
    for edge, w in (("left", 60), ("right", 100)):
        mar.append(_set(dx.element(f"w:{edge}"), w=w, type="dxa"))
    pr.append(mar)
    pr.append(_set(dx.element("w:tblLook"), val="0000", firstRow=0, lastRow=0, firstColumn=0,
                   lastColumn=0, noHBand=1, noVBand=1))
    tbl.append(pr)
    grid = dx.element("w:tblGrid")
    for w in twips:
        grid.append(_set(dx.element("w:gridCol"), w=w))
    tbl.append(grid)
    return tbl, twips


def add_row(tbl, twips: list[int]):
    """A new row of three cells; returns the paragraph element of each cell."""
    tr = dx.element("w:tr")
    paras = []
    for w in twips:
        tc = dx.element("w:tc")
        tcpr = dx.element("w:tcPr")
        tcpr.append(_set(dx.element("w:tcW"), w=w, type="dxa"))
        tc.append(tcpr)
        p = dx.element("w:p")
        tc.append(p)
        tr.append(tc)
        paras.append(p)
    tbl.append(tr)
    return paras
