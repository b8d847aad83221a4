"""The one module that knows python-docx's internals (issue 14).

The report writer uses python-docx's public API (``docx.Document``, styles, sections,
``add_run``, ``docx.shared`` and ``docx.enum``) everywhere; what that API cannot do fast
enough or at all goes through the few functions here, so a python-docx release that moves
its internals breaks this file only (``tests/core/reports/test_docx_adapter.py`` pins what
it relies on, for the versions in :data:`SUPPORTED`):

* the template and its version: :func:`new_document`, :func:`version`, :func:`supported`;
* raw WordprocessingML: :func:`qn`, :data:`W_DECLARATION`, :func:`element`, :func:`parse`,
  :func:`parse_body` (body XML text), :func:`insert_in_order` (children in the schema's order);
* the XML behind a python-docx object: :func:`xml_of` (paragraph, run, table, row, cell,
  header, footer, core properties) and :func:`wrap_paragraph` (the other way round); the
  properties elements :func:`paragraph_properties`, :func:`run_properties`,
  :func:`row_properties`, :func:`cell_properties`, :func:`table_properties`,
  :func:`style_run_properties`; quick writes :func:`add_text`, :func:`add_plain_run`,
  :func:`set_paragraph_style`, :func:`set_table_style`;
* the body: :func:`body`, :func:`section_end` (the final ``<w:sectPr>`` every block goes
  before), :func:`save_with_body` (a saved package with a spilled body spliced in after
  ``<w:body>``);
* the package: :func:`replace_part` and :func:`extended_properties_type` (the extended
  properties), :func:`drop_core_property`, :func:`set_alt_text` (a picture's description),
  :class:`Comments` (Word comments with ids from a counter).
"""

from __future__ import annotations

import io
import shutil
import zipfile
from importlib import metadata
from typing import BinaryIO

import docx
from docx.comments import Comment as _DocxComment
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls
from docx.oxml.ns import qn as _qn
from docx.text.paragraph import Paragraph as _DocxParagraph
from docx.text.run import Run as _DocxRun

#: python-docx versions whose internals this module was checked against: >= first, < second
SUPPORTED = ((1, 2), (2, 0))
#: the ``w:`` namespace declaration, as raw XML strings carry it
W_DECLARATION = nsdecls("w")
DOCUMENT_PART = "word/document.xml"
BODY_OPEN = b"<w:body>"
COPY_BUFFER = 1 << 20


def version() -> tuple[int, ...]:
    """The installed python-docx version as numbers (``(1, 2, 0)``)."""
    raw = metadata.version("python-docx")
    return tuple(int(part) for part in raw.split(".")[:3] if part.isdigit())


def supported(found: tuple[int, ...] | None = None) -> bool:
    low, high = SUPPORTED
    found = version() if found is None else found
    return low <= found[:2] < high


# ------------------------------------------------------------------ raw XML
def qn(tag: str) -> str:
    """``"w:p"`` as lxml's ``{namespace}p``."""
    return _qn(tag)


def element(tag: str, attrs: dict[str, object] | None = None, *children):
    """A new element ``tag`` (``"w:shd"``) with ``w:``-qualified ``attrs`` and ``children``."""
    el = OxmlElement(tag)
    for key, value in (attrs or {}).items():
        el.set(_qn(key if ":" in key else f"w:{key}"), str(value))
    for child in children:
        el.append(child)
    return el


def parse(xml: str):
    """One element from XML text that declares its own namespaces."""
    return parse_xml(xml)


def insert_in_order(parent, child, *successors: str) -> None:
    """Insert ``child`` into ``parent`` before the first of ``successors`` present (the tags
    the schema puts after it), else at the end."""
    parent.insert_element_before(child, *successors)


# ------------------------------------------------------------------ objects and their XML
def xml_of(obj):
    """The element behind a python-docx paragraph, run, table, row, cell, header, footer or
    core properties."""
    for name in ("_p", "_r", "_tbl", "_tr", "_tc"):
        el = getattr(obj, name, None)
        if el is not None:
            return el
    return obj._element


def wrap_paragraph(document, p) -> _DocxParagraph:
    """A python-docx paragraph over element ``p`` of ``document``'s body."""
    return _DocxParagraph(p, document._body)


def paragraph_properties(p):
    """The ``<w:pPr>`` of paragraph element ``p``, made when missing."""
    return p.get_or_add_pPr()


def run_properties(r):
    """The ``<w:rPr>`` of run element ``r``, made when missing."""
    return r.get_or_add_rPr()


def set_paragraph_style(p, style_id: str) -> None:
    p.get_or_add_pPr().get_or_add_pStyle().set(_qn("w:val"), style_id)


def add_text(paragraph: _DocxParagraph, text: str) -> _DocxRun:
    """A run holding ``text`` (no tabs or line breaks) appended in two element calls, where
    ``add_run`` takes a dozen."""
    r = paragraph._p.add_r()
    r.add_t(text)
    return _DocxRun(r, paragraph)


def add_plain_run(p, text: str):
    """A run element holding ``text`` appended to paragraph element ``p``; returns it."""
    r = p.add_r()
    r.add_t(text)
    return r


def row_properties(row):
    """The ``<w:trPr>`` of a python-docx table row, made when missing."""
    return row._tr.get_or_add_trPr()


def cell_properties(cell):
    """The ``<w:tcPr>`` of a python-docx table cell, made when missing."""
    return cell._tc.get_or_add_tcPr()


def table_properties(table):
    return table._tbl.tblPr


# ------------------------------------------------------------------ the body
def body(document):
    return document.element.body


def section_end(document):
    """The body's final ``<w:sectPr>``: new blocks go just before it."""
    return document.element.body.sectPr


def save_with_body(document, spilled: BinaryIO, dest: str | BinaryIO) -> None:
    """Save ``document`` to ``dest`` with the XML in ``spilled`` (body children, in order)
    streamed in straight after ``<w:body>``, before what the document still holds."""
    small = io.BytesIO()
    document.save(small)
    small.seek(0)
    spilled.flush()
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            if info.filename != DOCUMENT_PART:
                out.writestr(info, src.read(info.filename))
                continue
            xml = src.read(info.filename)
            cut = xml.index(BODY_OPEN) + len(BODY_OPEN)
            target = zipfile.ZipInfo(DOCUMENT_PART, date_time=info.date_time)
            target.compress_type = zipfile.ZIP_DEFLATED
            with out.open(target, "w", force_zip64=True) as fh:
                fh.write(xml[:cut])
                spilled.seek(0)
                shutil.copyfileobj(spilled, fh, COPY_BUFFER)
                fh.write(xml[cut:])


# ------------------------------------------------------------------ the package
def replace_part(document, reltype: str, blob: bytes) -> bool:
    """Replace the content of the package part related as ``reltype`` (the extended
    properties, say); ``False`` if the package has none."""
    for rel in document.part.package.rels.values():
        if rel.reltype == reltype:
            rel.target_part._blob = blob
            return True
    return False


def extended_properties_type() -> str:
    from docx.opc.constants import RELATIONSHIP_TYPE

    return RELATIONSHIP_TYPE.EXTENDED_PROPERTIES


def drop_core_property(core_properties, tag: str) -> None:
    """Remove one element (``"cp:lastPrinted"``) from the core properties, if there."""
    el = core_properties._element.find(_qn(tag))
    if el is not None:
        core_properties._element.remove(el)


def set_alt_text(picture, text: str) -> None:
    """The description screen readers read for an inline picture (``add_picture``'s result)."""
    picture._inline.docPr.set("descr", text)


class Comments:
    """Word comments over runs, as ``Document.add_comment`` makes them, but numbered from a
    counter: python-docx finds each new id by scanning every earlier comment, which made a
    transcript report with thousands of codings take minutes."""

    def __init__(self, document) -> None:
        self.document = document
        self._where: tuple | None = None  # (w:comments element, its part) once the first comment exists
        self._next = 0

    def add(self, first: _DocxRun, last: _DocxRun, text: str, author: str, initials: str, date) -> None:
        if self._where is None:
            made = self.document.add_comment([first, last], text=text, author=author, initials=initials)
            made._comment_elm.date = date
            collection = self.document.comments
            self._where = (collection._comments_elm, collection._comments_part)
            self._next = made.comment_id + 1
            return
        element_, part = self._where
        cid = self._next
        self._next += 1
        el = parse_xml(
            f'<w:comment {W_DECLARATION} w:id="{cid}" w:author=""><w:p><w:pPr>'
            '<w:pStyle w:val="CommentText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="CommentReference"/>'
            '</w:rPr><w:annotationRef/></w:r></w:p></w:comment>')
        el.author = author
        el.initials = initials
        el.date = date
        element_.append(el)
        note = _DocxComment(el, part)
        lines = text.split("\n")
        note.paragraphs[0].add_run(lines[0])
        for line in lines[1:]:
            note.add_paragraph(text=line)
        first.mark_comment_range(last, cid)


def new_document():
    """python-docx's default template, the starting point of every report."""
    return docx.Document()


def set_table_style(table, style_id: str) -> None:
    """``table.style = ...`` without python-docx looking the style up by name each time."""
    table._tbl.tblStyle_val = style_id


def style_run_properties(style):
    """The ``<w:rPr>`` of a python-docx style, made when missing."""
    return style.element.get_or_add_rPr()


def parse_body(xml: str) -> list:
    """The elements of a piece of body XML (``w:`` elements, no declarations), in order."""
    return list(parse_xml(f"<w:body {W_DECLARATION}>{xml}</w:body>"))
