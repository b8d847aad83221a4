"""The python-docx reader qcdesk used before issue 19, kept for tests only.

:mod:`qcdesk.core.importers.docx_reader` now parses the XML with lxml directly; the equivalence
test (test_docx_lxml_equivalence.py) checks that it gives exactly what this reader gave.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from qcdesk.core.importers.assemble import HEADING, PARAGRAPH, TABLE_ROW, Unit, assemble
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.importers.docx_reader import left_out_notice
from qcdesk.core.importers.layouts import arrange
from qcdesk.core.importers.safety import fail, open_zip, read_member, reject_xml_entities

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre|título|titolo|kop)\s*([1-9])$", re.I)


def _skip_nested(el) -> bool:
    """Text inside text boxes and deleted revisions is not part of the body text."""
    return el.tag in (f"{W}txbxContent", f"{W}del")


def _paragraph_text_safe(p) -> str:
    # drop text boxes / deletions below this paragraph before reading it
    parts: list[str] = []

    def walk(el) -> None:
        for child in el:
            if _skip_nested(child) or child.tag in (f"{W}footnoteReference", f"{W}endnoteReference",
                                                     f"{W}commentReference", f"{W}instrText"):
                continue
            tag = child.tag
            if tag == f"{W}t":
                parts.append(child.text or "")
            elif tag == f"{W}tab" and el.tag == f"{W}r":
                parts.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                parts.append("\n")
            elif tag == f"{W}noBreakHyphen":
                parts.append("-")
            else:
                walk(child)

    walk(p)
    return "".join(parts)


class _Styles:
    def __init__(self, document) -> None:
        self.level: dict[str, int] = {}
        try:
            styles = list(document.styles)
        except Exception:
            styles = []
        for style in styles:
            try:
                name = (style.name or "").strip()
                sid = style.style_id
            except Exception:
                continue
            level = 0
            m = _HEADING_STYLE.match(name)
            if m:
                level = int(m.group(1))
            elif name.lower() == "title":
                level = 1
            else:
                outline = style.element.find(f"{W}pPr/{W}outlineLvl")
                if outline is not None and (outline.get(f"{W}val") or "").isdigit():
                    level = int(outline.get(f"{W}val")) + 1
            if 1 <= level <= 6:
                self.level[sid] = level

    def heading_level(self, p) -> int:
        ppr = p.find(f"{W}pPr")
        if ppr is None:
            return 0
        outline = ppr.find(f"{W}outlineLvl")
        if outline is not None and (outline.get(f"{W}val") or "").isdigit():
            level = int(outline.get(f"{W}val")) + 1
            return level if level <= 6 else 0
        style = ppr.find(f"{W}pStyle")
        if style is None:
            return 0
        return self.level.get(style.get(f"{W}val") or "", 0)


def body_units(document) -> list[Unit]:
    styles = _Styles(document)
    units: list[Unit] = []
    table_no = 0

    def walk(container) -> None:
        nonlocal table_no
        for el in container:
            if el.tag == f"{W}p":
                level = styles.heading_level(el)
                units.append(Unit(_paragraph_text_safe(el), HEADING if level else PARAGRAPH, level))
            elif el.tag == f"{W}tbl":
                table_no += 1
                for tr in el.iter(f"{W}tr"):
                    if tr.getparent() is not None and tr.getparent() is not el:
                        continue  # a nested table's rows are read as part of their cell
                    cells = []
                    for tc in tr.findall(f"{W}tc"):
                        text = " ".join(t for p in tc.iter(f"{W}p") if (t := _paragraph_text_safe(p).strip()))
                        cells.append(text)
                    if any(cells):
                        units.append(Unit(" | ".join(cells), TABLE_ROW, group=table_no))
            elif el.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins"):
                walk(el)
            elif el.tag == f"{W}sdtPr":
                continue

    walk(document.element.body)
    return units


def read_docx_python_docx(path: Path, data: bytes) -> ParsedDocument:
    zf = open_zip(path, data, "Word document (.docx)")
    names = set(zf.namelist())
    if "word/document.xml" not in names:
        if any(n.startswith(("xl/", "ppt/")) for n in names):
            raise fail(path, "this is an Excel or PowerPoint file, not a Word document")
        raise fail(path, "the file is not a valid Word document (it has no document body)")
    reject_xml_entities(path, read_member(path, zf, "word/document.xml", "Word document"))
    notice = left_out_notice(path, zf)
    import docx  # python-docx; imported here so the other readers do not pay for it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise fail(path, f"the file is not a valid Word document ({exc})") from None
    units = body_units(document)
    notices = [notice] if notice else []
    return assemble(arrange(units, soft_join="\n"), "docx", notices)
