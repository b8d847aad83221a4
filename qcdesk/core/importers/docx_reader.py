"""Word documents (.docx): word/document.xml parsed with lxml, walked in body order.

Paragraphs and tables come in the order they stand in the body (tables row by
row, cells joined by " | "); headings are recognised by style (Heading 1-6,
Title) or outline level. Footnotes, endnotes, comments, headers and footers
are left out with a notice. Transcript layouts are found by :mod:`layouts`.
"""

from __future__ import annotations

import hashlib
import io
import posixpath
import re
from pathlib import Path
from typing import Callable
from xml.etree import ElementTree

from lxml import etree

from qcdesk.core.importers.assemble import HEADING, TABLE_ROW, Unit
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.importers.layouts import assemble_units
from qcdesk.core.importers.safety import fail, open_zip, read_member, reject_xml_entities, stored_member

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre|título|titolo|kop)\s*([1-9])$", re.I)


#: elements whose text is not body text: text boxes, deleted revisions, note and comment marks, field codes
_SKIPPED = (f"{W}txbxContent", f"{W}del", f"{W}footnoteReference", f"{W}endnoteReference",
            f"{W}commentReference", f"{W}instrText")
_P, _T, _TAB, _BR, _CR, _NB_HYPHEN, _R = (f"{W}{t}" for t in ("p", "t", "tab", "br", "cr", "noBreakHyphen", "r"))
_TEXT_TAGS = (_T, _TAB, _BR, _CR, _NB_HYPHEN)
#: what a paragraph that may be a heading holds (see :meth:`_Styles.heading_level`)
_STYLE_TAGS = (f"{W}pStyle", f"{W}outlineLvl")


def _walk_text(el, parts: list[str]) -> None:
    """The text below ``el`` in document order, skipping what :data:`_SKIPPED` names."""
    for child in el:
        tag = child.tag
        if tag in _SKIPPED:
            continue
        if tag == _T:
            parts.append(child.text or "")
        elif tag == _TAB and el.tag == _R:  # a tab character (w:tab in w:pPr/w:tabs is a tab stop)
            parts.append("\t")
        elif tag in (_BR, _CR):
            parts.append("\n")
        elif tag == _NB_HYPHEN:
            parts.append("-")
        else:
            _walk_text(child, parts)


def paragraph_text(p, plain: bool | None = None) -> str:
    """A paragraph's text: runs, hyperlinks, smart tags, fields' results and inserted revisions,
    tabs and line breaks; not text boxes, deletions or field codes.

    Most paragraphs have nothing to skip (``plain``; looked up when not given) and no text
    element inside another, so one pass over the text elements (lxml's C iterator) gives what
    the element-by-element walk gives.
    """
    if plain is None:
        plain = next(p.iter(*_SKIPPED), None) is None
    if plain:
        parts = []
        for el in p.iter(*_TEXT_TAGS):
            if len(el):  # something inside a text element: the walk decides what counts
                break
            tag = el.tag
            if tag == _T:
                parts.append(el.text or "")
            elif tag == _TAB:
                if el.getparent().tag == _R:
                    parts.append("\t")
            elif tag == _NB_HYPHEN:
                parts.append("-")
            else:
                parts.append("\n")
        else:
            return "".join(parts)
    parts = []
    _walk_text(p, parts)
    return "".join(parts)


_PARSE = {"remove_blank_text": True, "resolve_entities": False}  # python-docx's parser options
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_STYLES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"


def _xml(xml: bytes):
    """Parse one part as python-docx did (blank text between elements dropped, entities left
    unresolved), with a parser of its own: readers run in several threads at once."""
    return etree.fromstring(xml, etree.XMLParser(**_PARSE))


class _Styles:
    """Heading levels by style id, from the styles part the document's relationships name.

    Read as far as needed: a styles part is mostly table and character styles (a few hundred
    kilobytes whose parse cost more than a page of the transcript), and the paragraph styles a
    transcript uses (Normal, the headings) stand near its start. ``wanted``: the style ids the
    body names; reading stops once each has been met (None: read it all). A style id defined
    twice counts by its first definition. A damaged part gives the levels of the styles read
    before the damage: the parser reads in blocks of some 32 KB and gives nothing of the block
    holding the damage, so the same styles are lost whichever were asked for."""

    def __init__(self, xml: bytes | None = None, wanted: frozenset[str] | None = None) -> None:
        self.level: dict[str, int] = {}
        self.seen: set[str] = set()  # the style ids met (headings or not)
        #: the whole part was read: a style id not in ``seen`` is defined nowhere in it
        self.complete = True
        if xml is not None:
            self.complete = False
            self._read(xml, wanted)

    def covers(self, wanted: frozenset[str] | None) -> bool:
        """Whether this reading answers for every style id of ``wanted`` (None: for any)."""
        return self.complete or wanted is not None and wanted <= self.seen

    def _read(self, xml: bytes, wanted: frozenset[str] | None) -> None:
        events = etree.iterparse(io.BytesIO(xml), events=("end",), tag=f"{W}style", **_PARSE)
        try:
            for _event, style in events:
                sid = style.get(f"{W}styleId")
                if sid is not None and sid not in self.seen and style.getparent() is not None \
                        and style.getparent().getparent() is None:  # a style of the part, not one inside one
                    self.seen.add(sid)
                    level = _style_level(style)
                    if 1 <= level <= 6:
                        self.level[sid] = level
                    if wanted is not None and wanted <= self.seen:
                        return
                style.clear()
        except etree.XMLSyntaxError:
            pass  # what stood before the damage is kept
        self.complete = True

    def heading_level(self, p) -> int:
        """Paragraph ``p``'s heading level (0: no heading)."""
        return self.level_of(_paragraph_style(p))

    def level_of(self, decided: int | str) -> int:
        """The heading level of a paragraph whose :func:`_paragraph_style` is ``decided``."""
        return decided if isinstance(decided, int) else self.level.get(decided, 0)


def _paragraph_style(p) -> int | str:
    """What makes paragraph ``p`` a heading or not: its own outline level, as a heading level (an
    int; 0 for none, or deeper than six), or else the id of its paragraph style (a str)."""
    ppr = p.find(f"{W}pPr")
    if ppr is None:
        return 0
    outline = ppr.find(f"{W}outlineLvl")
    if outline is not None and (outline.get(f"{W}val") or "").isdecimal():
        level = int(outline.get(f"{W}val")) + 1
        return level if level <= 6 else 0
    style = ppr.find(f"{W}pStyle")
    return 0 if style is None else style.get(f"{W}val") or ""


def _style_level(style) -> int:
    """A style's heading level by its name (Heading 1-6 in several languages, Title) or its outline
    level; 0 for none."""
    name_el = style.find(f"{W}name")
    name = (name_el.get(f"{W}val") or "").strip() if name_el is not None else ""
    m = _HEADING_STYLE.match(name)
    if m:
        return int(m.group(1))
    if name.lower() == "title":
        return 1
    outline = style.find(f"{W}pPr/{W}outlineLvl")
    if outline is not None and (outline.get(f"{W}val") or "").isdecimal():
        return int(outline.get(f"{W}val")) + 1
    return 0


def _styles_target(path: Path, zf) -> str | None:
    """The styles part of word/document.xml (by its relationship, else none: no heading styles)."""
    names = set(zf.namelist())
    target = None
    if "word/_rels/document.xml.rels" in names:
        try:
            rels = _xml(read_member(path, zf, "word/_rels/document.xml.rels", "Word document"))
        except etree.XMLSyntaxError:
            rels = None
        for rel in rels.iterchildren(f"{_RELS}Relationship") if rels is not None else ():
            if rel.get("Type") == _STYLES_REL and rel.get("TargetMode") != "External":
                ref = rel.get("Target") or ""
                target = posixpath.normpath(ref.lstrip("/") if ref.startswith("/") else posixpath.join("word", ref))
                break
    return target if target is not None and target in names else None


#: heading levels by the styles part: the files of one import mostly come from one template, whose
#: styles part (often a few hundred kilobytes) costs more to parse than a page of the transcript,
#: and more to unpack and digest than its compressed bytes (a few kilobytes) cost to digest; the
#: levels (a small read-only dict) are all that is kept. Keyed by the part as stored (method, size,
#: CRC and a SHA-256 of the compressed bytes), else by a SHA-256 of the unpacked XML.
_STYLES_SEEN: dict[tuple, _Styles] = {}
_STYLES_SEEN_MAX = 16


def _styles(path: Path, zf, data: bytes | None = None, wanted: frozenset[str] | None = None) -> _Styles:
    """The heading levels of the styles ``wanted`` (the style ids the body names; None: all), from
    the document's styles part, read as far as needed (see :class:`_Styles`); a body naming no
    style needs nothing from it."""
    if wanted is not None and not wanted:
        return _Styles()
    target = _styles_target(path, zf)
    if target is None:
        return _Styles()
    info = zf.getinfo(target)
    stored = stored_member(data, info) if data is not None else None
    if stored is not None:
        key: tuple = ("stored", info.compress_type, info.file_size, info.CRC, hashlib.sha256(stored).digest())
        styles = _STYLES_SEEN.get(key)
        if styles is not None and styles.covers(wanted):
            return styles  # the same bytes passed the checks below when they were first read
    xml = read_member(path, zf, target, "Word document")
    reject_xml_entities(path, xml)
    if stored is None:
        key = ("xml", hashlib.sha256(xml).digest())
    styles = _STYLES_SEEN.get(key)
    if styles is None or not styles.covers(wanted):
        # read as far as this file needs; a later file of the template needing more reads it all
        styles = _Styles(xml, wanted if styles is None else None)
        if len(_STYLES_SEEN) >= _STYLES_SEEN_MAX:
            _STYLES_SEEN.clear()
        _STYLES_SEEN[key] = styles
    return styles


def _paragraphs_holding(body, tags: tuple[str, ...]) -> set:
    """Every paragraph (at any depth below ``body``) with one of ``tags`` somewhere inside.

    One pass of lxml's C iterator over the body instead of one search per paragraph; the set
    keeps the paragraphs' Python proxies alive, so the walk meets the same objects.
    """
    found = set()
    for el in body.iter(*tags):
        parent = el.getparent()
        while parent is not None and parent is not body:
            if parent.tag == _P:
                found.add(parent)
            parent = parent.getparent()
    return found


def _plain_texts(body, special: set, styled: set | None = None) -> dict:
    """The text of most paragraphs below ``body``, by paragraph, from one pass of lxml's C iterator
    (setting up an iterator for each paragraph cost more than reading its text); and, when
    ``styled`` is given, the paragraphs holding a style or an outline level added to it (what
    ``_paragraphs_holding(body, _STYLE_TAGS)`` finds: the pass walks the whole tree anyway).

    A paragraph is left out, and read by :func:`paragraph_text`, unless the pass can be sure of it:
    it holds nothing :data:`_SKIPPED`, no other paragraph (the text elements after a paragraph
    nested inside it would be met while the inner one is current), and every text element met
    while it is current has it as nearest paragraph and nothing inside.
    """
    texts: dict = {}
    unsure: set = set(special)
    cur = None
    skip = True  # whether the current paragraph is unsure (``cur is None or cur in unsure``)
    parts: list[str] = []
    append = parts.append
    p_tag, t_tag = _P, _T
    for el in body.iter(_P, *_TEXT_TAGS, *(_STYLE_TAGS if styled is not None else ())):
        tag = el.tag
        if tag == t_tag:  # most elements: what the branch for every text element below does for it
            if skip:
                continue
            parent = el.getparent()
            # most text elements are in a run right in the paragraph
            if parent.getparent() is not cur and _nearest_paragraph(parent) is not cur or len(el):
                unsure.add(cur)
                skip = True
            else:
                append(el.text or "")
            continue
        if tag == p_tag:
            if not skip:
                texts[cur] = "".join(parts)
            parts.clear()
            # a paragraph holding this one is unsure (found here, not in a pass of its own: it
            # started earlier, so its text, if kept, is dropped at the end)
            _paragraphs_above(el, body, unsure)
            cur = el
            skip = el in unsure
            continue
        if tag in _STYLE_TAGS:  # every paragraph holding it, as _paragraphs_holding finds them
            _paragraphs_above(el, body, styled)  # type: ignore[arg-type]
            continue
        if skip:
            continue
        parent = el.getparent()
        if parent.getparent() is not cur and _nearest_paragraph(parent) is not cur or len(el):
            unsure.add(cur)
            skip = True
        elif tag == _TAB:
            if parent.tag == _R:  # a tab character (w:tab in w:pPr/w:tabs is a tab stop)
                append("\t")
        elif tag == _NB_HYPHEN:
            append("-")
        else:
            append("\n")
    if not skip:
        texts[cur] = "".join(parts)
    for p in unsure:
        texts.pop(p, None)
    return texts


def _paragraphs_above(el, body, into: set) -> None:
    """Add the paragraphs holding ``el`` (below ``body``) to ``into``."""
    up = el.getparent()
    while up is not None and up is not body:
        if up.tag == _P:
            into.add(up)
        up = up.getparent()


def _nearest_paragraph(el):
    """``el`` itself or its nearest ancestor that is a paragraph (None: in no paragraph)."""
    while el is not None and el.tag != _P:
        el = el.getparent()
    return el


_TBL = f"{W}tbl"
#: block-level elements whose paragraphs and tables are read as the body's
_CONTAINERS = frozenset(f"{W}{t}" for t in ("sdt", "sdtContent", "customXml", "ins"))


def body_units(body, styles: _Styles | Callable[[frozenset[str]], _Styles]) -> list[Unit]:
    """The body's paragraphs and table rows in order; ``styles``: the heading levels, or what gives
    them for the style ids the body's paragraphs name."""
    units: list[Unit] = []
    table_no = 0
    special = _paragraphs_holding(body, _SKIPPED)
    styled: set = set()
    plain = _plain_texts(body, special, styled)
    # what makes each paragraph holding a style or an outline level a heading or not, looked up once:
    # the styles part is read for the style ids among it
    decided = {p: _paragraph_style(p) for p in styled}
    if isinstance(styles, _Styles):
        levels = styles
    else:
        levels = styles(frozenset(d for d in decided.values() if isinstance(d, str)))

    def text_of(p) -> str:
        text = plain.get(p)
        return paragraph_text(p, p not in special) if text is None else text

    plain_text, append = plain.get, units.append
    # the body, and the containers in it, in document order: a stack of their children's iterators
    # (a recursive inner function would refer to itself, a cycle that kept the paragraphs' texts and
    # the whole parsed tree alive until the garbage collector ran)
    stack = [iter(body)]
    while stack:
        for el in stack[-1]:
            tag = el.tag
            if tag == _P:
                text = plain_text(el)
                if text is None:
                    text = paragraph_text(el, el not in special)
                level = levels.level_of(decided[el]) if el in decided else 0
                append(Unit(text, HEADING, level) if level else Unit(text))
            elif tag == _TBL:
                table_no += 1
                for tr in el.iter(f"{W}tr"):
                    if tr.getparent() is not None and tr.getparent() is not el:
                        continue  # a nested table's rows are read as part of their cell
                    cells = []
                    for tc in tr.findall(f"{W}tc"):
                        text = " ".join(t for p in tc.iter(_P) if (t := text_of(p).strip()))
                        cells.append(text)
                    if any(cells):
                        append(Unit(" | ".join(cells), TABLE_ROW, group=table_no))
            elif tag in _CONTAINERS:
                stack.append(iter(el))  # its children next, then the rest of this one's
                break
        else:
            stack.pop()
    return units


def _count(zf, name: str, tag: str, skip_special: bool = False) -> int:
    if name not in zf.namelist():
        return 0
    try:
        root = ElementTree.fromstring(zf.read(name))
    except ElementTree.ParseError:
        return 0
    items = root.findall(f"{W}{tag}")
    if skip_special:
        items = [i for i in items if i.get(f"{W}type") in (None, "normal")]
    return len(items)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def left_out_notice(path: Path, zf) -> str | None:
    footnotes = _count(zf, "word/footnotes.xml", "footnote", skip_special=True)
    endnotes = _count(zf, "word/endnotes.xml", "endnote", skip_special=True)
    comments = _count(zf, "word/comments.xml", "comment")
    headers = any(n.startswith(("word/header", "word/footer")) and n.endswith(".xml")
                  and b"<w:t" in read_member(path, zf, n, "Word document") for n in zf.namelist())
    parts = [_plural(n, w) for n, w in ((footnotes, "footnote"), (endnotes, "endnote"), (comments, "comment")) if n]
    if headers:
        parts.append("page headers/footers")
    if not parts:
        return None
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"{listed} {'was' if len(parts) == 1 and listed.startswith('1 ') else 'were'} not imported"


def may_hold_controls(xml: bytes, encoding: str | None) -> bool:
    """Whether the text of this XML may hold a character ``assemble.clean`` drops (C0 controls but
    tab and line ends, DEL, U+FEFF). XML 1.0 allows no C0 control but tab, line feed and carriage
    return as characters, so in UTF-8 only a DEL byte, a byte-order mark or a character reference
    (``&#...;``) can bring one; in another encoding the bytes say nothing."""
    if (encoding or "UTF-8").upper().replace("-", "") not in ("UTF8", "USASCII", "ASCII"):
        return True
    # a needle of one byte is found by memchr, many times faster than a longer one: most documents
    # have no "&" and no 0xEF byte at all, and then cannot hold "&#" or a byte-order mark either
    return (b"\x7f" in xml or b"&" in xml and b"&#" in xml
            or b"\xef" in xml and b"\xef\xbb\xbf" in xml)


def read_docx(path: Path, data: bytes) -> ParsedDocument:
    zf = open_zip(path, data, "Word document (.docx)")
    names = set(zf.namelist())
    if "word/document.xml" not in names:
        if any(n.startswith(("xl/", "ppt/")) for n in names):
            raise fail(path, "this is an Excel or PowerPoint file, not a Word document")
        raise fail(path, "the file is not a valid Word document (it has no document body)")
    xml = read_member(path, zf, "word/document.xml", "Word document")
    reject_xml_entities(path, xml)
    notice = left_out_notice(path, zf)
    try:
        root = _xml(xml)
    except etree.XMLSyntaxError:
        raise fail(path, "the file is damaged: its text (word/document.xml) is not valid XML") from None
    controls = may_hold_controls(xml, root.getroottree().docinfo.encoding)
    del xml
    body = root.find(f"{W}body")
    if body is None:
        raise fail(path, "the file is not a valid Word document (it has no document body)")
    units = body_units(body, lambda wanted: _styles(path, zf, data, wanted))
    notices = [notice] if notice else []
    return assemble_units(units, "docx", notices, soft_join="\n", controls=controls)
