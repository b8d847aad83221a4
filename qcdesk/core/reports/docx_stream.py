"""Bounded memory for long Word reports: the body goes to a temporary file in chunks.

python-docx keeps the whole document as an XML tree, about 3 KB per quote, so a
report of 50,000 segments held several hundred megabytes. The writer still builds
each paragraph with python-docx against the real document (styles, numbering,
comments and pictures stay in their parts), but every few thousand blocks the
finished body elements are serialised to a temporary file and dropped from the
tree. At the end the small remaining package is saved, and its ``word/document.xml``
is re-written into the final zip with the spilled body streamed in after ``<w:body>``.
"""

from __future__ import annotations

import tempfile
from typing import BinaryIO

from lxml import etree

from qcdesk.core.reports import docx_adapter as dx

qn = dx.qn
TABLE = qn("w:tbl")
#: tables with more rows than this are spilled in place rather than moved (see ``Spill.flush``)
BIG_TABLE_ROWS = 50


class Spill:
    """Finished body elements, serialised in document order to a temporary file."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile(prefix="qcdesk-report-")
        self.chunks = 0

    def flush(self, document) -> None:
        """Move every body element but the final section properties out of the tree."""
        body = dx.body(document)
        children = [el for el in body if el.tag != qn("w:sectPr")]
        if not children:
            return
        # one container declaring the document's namespaces, so children do not repeat them
        holder = etree.Element(qn("w:body"), nsmap=body.nsmap)
        for el in children:
            if el.tag == TABLE and len(el) > BIG_TABLE_ROWS:
                # moving a large subtree between lxml documents costs ~0.1 ms per node (seconds
                # for a matrix): write it in place (with its namespace declarations) and drop it
                self._write_holder(holder)
                holder = etree.Element(qn("w:body"), nsmap=body.nsmap)
                self.file.write(etree.tostring(el, encoding="utf-8"))
                el.clear()
                el.getparent().remove(el)
            else:
                holder.append(el)  # moves it out of the document
        self._write_holder(holder)
        self.chunks += 1

    def write_table(self, tbl, rows: list[str]) -> None:
        """A table (already out of the document) followed in the body by ``rows``: ``<w:tr>``
        XML strings, written inside it as they are (their own namespace declarations dropped)."""
        xml = etree.tostring(tbl, encoding="utf-8")
        cut = xml.rindex(b"</w:tbl>")
        self.file.write(xml[:cut])
        declared = f" {dx.W_DECLARATION}"
        for row in rows:
            self.file.write(row.replace(declared, "", 1).encode("utf-8"))
        self.file.write(xml[cut:])
        self.chunks += 1

    def write_xml(self, xml: str) -> None:
        """Body elements as XML text using the document's ``w:`` prefix, written as they are."""
        self.file.write(xml.encode("utf-8"))
        self.chunks += 1

    def _write_holder(self, holder) -> None:
        if len(holder):
            xml = etree.tostring(holder, encoding="utf-8")
            self.file.write(xml[xml.index(b">") + 1:xml.rindex(b"</")])

    def close(self) -> None:
        self.file.close()


def save(document, spill: Spill | None, dest: str | BinaryIO) -> None:
    """Save ``document`` to ``dest``, with the spilled body (if any) before what remains."""
    if spill is None or spill.chunks == 0:
        document.save(dest)
        return
    dx.save_with_body(document, spill.file, dest)
