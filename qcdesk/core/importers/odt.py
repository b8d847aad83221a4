"""OpenDocument text (.odt): content.xml read with the standard library.

``text:p`` and ``text:h`` become paragraphs and headings (``text:outline-level``),
lists give one paragraph per item, tables one ``table_row`` per row. Inside a
paragraph ``text:s`` (``text:c`` spaces), ``text:tab`` and ``text:line-break``
are honoured and ordinary white space collapses as ODF requires. Notes and
annotations are left out with a notice.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree import ElementTree

from qcdesk.core.importers.assemble import HEADING, TABLE_ROW, Unit
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.importers.layouts import assemble_units
from qcdesk.core.importers.safety import fail, open_zip, read_member, reject_xml_entities

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"

#: elements whose content is not body text
_SKIP = {f"{TEXT}note", f"{OFFICE}annotation", f"{OFFICE}annotation-end", f"{TEXT}tracked-changes",
         f"{TEXT}sequence-decls", f"{TEXT}variable-decls", f"{TEXT}user-field-decls",
         f"{TEXT}table-of-content", f"{TEXT}bibliography", f"{TEXT}alphabetical-index", f"{DRAW}frame",
         f"{TEXT}deletion"}
_WS = re.compile(r"[ \t\r\n]+")


class _Reader:
    def __init__(self) -> None:
        self.units: list[Unit] = []
        self.notes = 0
        self.annotations = 0
        self.tables = 0

    def inline(self, el, out: list[str]) -> None:
        """Collect the text of a paragraph's content (white space collapsed)."""
        if el.text:
            out.append(_WS.sub(" ", el.text))
        for child in el:
            tag = child.tag
            if tag == f"{TEXT}note":
                self.notes += 1
            elif tag == f"{OFFICE}annotation":
                self.annotations += 1
            elif tag == f"{TEXT}s":
                count = child.get(f"{TEXT}c", "1")
                out.append("\x01" * min(int(count) if count.isdecimal() else 1, 1000))
            elif tag == f"{TEXT}tab":
                out.append("\x02")
            elif tag == f"{TEXT}line-break":
                out.append("\x03")
            elif tag not in _SKIP:
                self.inline(child, out)
            if child.tail:
                out.append(_WS.sub(" ", child.tail))

    def paragraph_text(self, el) -> str:
        out: list[str] = []
        self.inline(el, out)
        text = re.sub(r" {2,}", " ", "".join(out))
        return text.replace("\x01", " ").replace("\x02", "\t").replace("\x03", "\n")

    def block(self, el) -> None:
        for child in el:
            tag = child.tag
            if tag == f"{TEXT}p":
                self.units.append(Unit(self.paragraph_text(child)))
            elif tag == f"{TEXT}h":
                level = child.get(f"{TEXT}outline-level", "1")
                level = min(6, max(1, int(level))) if level.isdecimal() else 1
                self.units.append(Unit(self.paragraph_text(child), HEADING, level))
            elif tag == f"{TABLE}table":
                self.table(child)
            elif tag == f"{TEXT}note":
                self.notes += 1
            elif tag == f"{OFFICE}annotation":
                self.annotations += 1
            elif tag not in _SKIP:
                # text:list, text:list-item, text:section, table:table-rows ...
                self.block(child)

    def table(self, el) -> None:
        self.tables += 1
        group = self.tables
        for row in el.iter(f"{TABLE}table-row"):
            cells = []
            for cell in row:
                if cell.tag not in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
                    continue
                parts = [self.paragraph_text(p).strip() for p in cell.iter() if p.tag in (f"{TEXT}p", f"{TEXT}h")]
                cells.append(" ".join(p for p in parts if p))
            while cells and not cells[-1]:
                cells.pop()
            if any(cells):
                self.units.append(Unit(" | ".join(cells), TABLE_ROW, group=group))


def read_odt(path: Path, data: bytes) -> ParsedDocument:
    zf = open_zip(path, data, "OpenDocument text (.odt)")
    names = set(zf.namelist())
    if "content.xml" not in names:
        raise fail(path, "the file is not a valid OpenDocument text (it has no content.xml)")
    mimetype = zf.read("mimetype").decode("ascii", "replace").strip() if "mimetype" in names else ""
    if mimetype and "opendocument.text" not in mimetype:
        kind = mimetype.rsplit(".", 1)[-1]
        raise fail(path, f"this is an OpenDocument {kind} file, not a text document")
    content = read_member(path, zf, "content.xml", "OpenDocument text")
    reject_xml_entities(path, content)
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as exc:
        raise fail(path, f"the document's content is damaged (XML error: {exc})") from None
    body = root.find(f"{OFFICE}body/{OFFICE}text")
    if body is None:
        raise fail(path, "the file is not an OpenDocument text document (no text body)")
    reader = _Reader()
    reader.block(body)
    notices = []
    left = [f"{n} {w}{'' if n == 1 else 's'}" for n, w in ((reader.notes, "footnote"),
                                                           (reader.annotations, "comment")) if n]
    if left:
        notices.append(f"{' and '.join(left)} {'was' if sum((reader.notes, reader.annotations)) == 1 else 'were'} not imported")
    return assemble_units(reader.units, "odt", notices, soft_join="\n")
