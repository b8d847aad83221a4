"""A styles part read only as far as the body's styles need (``docx_reader._Styles`` with ``wanted``)
answers for those styles as a reading of the whole part does, and, where no style id is defined
twice, as the reading before it (the whole part parsed at once, the root's ``w:style`` children
taken in order) did. Hypothesis draws styles parts: styles with and without ids and names, heading
names in several languages, outline levels, ids defined twice, ``w:style`` elements inside a style
or inside another element, comments, blanks and other elements between, damaged parts; and the
cache of styles parts (``docx_reader._styles``) over a run of Word files made by python-docx that
share their template's styles part and name different styles.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from qcdesk.core.importers import docx_reader
from qcdesk.core.importers.docx_reader import _HEADING_STYLE, W, _Styles

pytestmark = pytest.mark.core

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
IDS = ("Normal", "Heading1", "Heading2", "Title", "Sec", "T1", "Über", "a b", "")
NAMES = ("heading 1", "Heading 2", "heading3", " Heading 4 ", "Überschrift 5", "titre 6", "Título 2",
         "titolo 1", "Kop 3", "HEADING 6", "heading 7", "heading 0", "Heading 10", "Title", "TITLE",
         "title ", "Normal", "Table Grid", "", "Sub Section", "Titel")
OUTLINES = ("0", "1", "5", "6", "8", "9", "x", "", "-1", "05", "١")  # ١: an Arabic-Indic one


def _old_levels(xml: bytes) -> dict[str, int]:
    """The heading levels as the reader had them before it read parts partly: the whole part
    parsed, the root's style children in order, a later definition of an id overriding."""
    try:
        root = etree.fromstring(xml, etree.XMLParser(remove_blank_text=True, resolve_entities=False))
    except etree.XMLSyntaxError:
        return {}
    level: dict = {}
    for style in root.iterchildren(f"{W}style"):
        name_el = style.find(f"{W}name")
        name = (name_el.get(f"{W}val") or "").strip() if name_el is not None else ""
        n = 0
        m = _HEADING_STYLE.match(name)
        if m:
            n = int(m.group(1))
        elif name.lower() == "title":
            n = 1
        else:
            outline = style.find(f"{W}pPr/{W}outlineLvl")
            if outline is not None and (outline.get(f"{W}val") or "").isdigit():
                n = int(outline.get(f"{W}val")) + 1
        if 1 <= n <= 6:
            level[style.get(f"{W}styleId")] = n
    level.pop(None, None)  # a style without an id: no paragraph can name it
    return level


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


@st.composite
def _style(draw, depth: int = 0) -> str:
    sid = draw(st.sampled_from(IDS) | st.none())
    inner = []
    name = draw(st.sampled_from(NAMES) | st.none())
    if name is not None:
        inner.append(f'<w:name w:val="{_attr(name)}"/>' if draw(st.booleans()) or name else "<w:name/>")
    outline = draw(st.sampled_from(OUTLINES) | st.none())
    if outline is not None:
        lvl = f'<w:outlineLvl w:val="{outline}"/>'
        # in w:pPr as Word writes it, or somewhere a style's outline level is not
        inner.append(draw(st.sampled_from((f"<w:pPr>{lvl}</w:pPr>", f"<w:pPr><w:x>{lvl}</w:x></w:pPr>", lvl))))
    if depth < 2 and draw(st.integers(0, 5)) == 0:
        inner.insert(draw(st.integers(0, len(inner))), draw(_style(depth + 1)))  # a style inside a style
    if draw(st.booleans()):
        inner.append("<w:rPr><w:b/></w:rPr>")
    ident = "" if sid is None else f' w:styleId="{_attr(sid)}"'
    return f'<w:style w:type="paragraph"{ident}>{"".join(inner)}</w:style>'


_OTHER = st.sampled_from(("<w:docDefaults><w:rPrDefault/></w:docDefaults>", "<!-- a comment -->", "<?pi x?>",
                          "\n  ", '<w:latentStyles><w:lsdException w:name="heading 1"/></w:latentStyles>'))


@st.composite
def _part(draw) -> tuple[bytes, bool]:
    """A styles part and whether it is whole (not cut short)."""
    items = draw(st.lists(st.one_of(_style(), _style(), _style(), _style(), _style(), _OTHER,
                                    _style().map(lambda s: f"<w:latentStyles>{s}</w:latentStyles>"),
                                    _style().map(lambda s: f"<w:x><w:y>{s}</w:y></w:x>")), min_size=2, max_size=14))
    tables = draw(st.integers(0, 2)) * 300  # table styles after them: a part longer than lxml's chunks
    pad = "".join(f'<w:style w:type="table" w:styleId="Tbl{i}"><w:name w:val="Table {i}"/>'
                  f"<w:tblPr><w:tblBorders/></w:tblPr></w:style>" for i in range(tables))
    where = draw(st.integers(0, len(items)))
    items.insert(where, pad)
    text = f"<w:styles {NS}>{''.join(items)}</w:styles>"
    head = draw(st.sampled_from(("", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n')))
    encoding = draw(st.sampled_from(("utf-8", "utf-8-sig", "utf-16")))
    if encoding == "utf-16" and head:
        head = head.replace("UTF-8", "UTF-16")
    xml = (head + text).encode(encoding)
    if draw(st.integers(0, 4)) == 4:  # damaged: cut short, or something not XML put in
        at = draw(st.integers(0, len(xml)))
        return (xml[:at] + draw(st.sampled_from((b"", b"<w:", b"</w:nope>", b"&bad;", b"\x00"))) + xml[at:]
                if draw(st.booleans()) else xml[:at]), False
    return xml, True


_WANTED = st.frozensets(st.sampled_from(IDS + ("Tbl5", "Tbl299", "Nowhere")), max_size=5)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_part(), _WANTED)
@example(part=((f'<w:styles {NS}><w:style w:styleId="H"><w:name w:val="Normal"/></w:style>'
          f'<w:style w:styleId="H"><w:name w:val="heading 2"/></w:style></w:styles>').encode(), True),
         wanted=frozenset({"H"}))
def test_a_partial_reading_answers_for_the_styles_wanted_as_a_full_reading(part, wanted):
    xml, whole = part
    full = _Styles(xml)
    assert full.complete
    partial = _Styles(xml, wanted)
    assert partial.covers(wanted)
    assert {s: partial.level.get(s) for s in wanted} == {s: full.level.get(s) for s in wanted}
    assert partial.seen <= full.seen and set(partial.level) <= set(full.level)
    if partial.complete:
        assert partial.level == full.level and partial.seen == full.seen
    if whole:
        old = _old_levels(xml)
        twice = _defined_twice(xml)
        # every id the full reading has a level for had one before; where none is defined twice,
        # the same one (the old reading let a later definition of an id override the first)
        assert {s: n for s, n in full.level.items() if s not in twice} == {s: n for s, n in old.items() if s not in twice}
        assert set(full.level) <= set(old) | twice
        if not twice:
            assert full.level == old


def _defined_twice(xml: bytes) -> set[str]:
    """The ids more than one of the root's ``w:style`` children has."""
    ids = [s.get(f"{W}styleId") for s in etree.fromstring(xml).iterchildren(f"{W}style")]
    return {sid for sid in ids if sid is not None and ids.count(sid) > 1}


# -- the cache of styles parts, over Word files of one template ------------------------------------

#: the styles each made-up file's paragraphs name (python-docx's template holds all of them)
STYLE_SETS = (
    (), ("Heading 1",), ("Heading 1", "Heading 2"), ("Title", "Heading 3"), ("List Bullet",),
    ("Heading 9", "Heading 6"), ("Quote", "Heading 1"), ("Intense Quote", "Caption", "Heading 4"),
    ("Subtitle", "Heading 5", "No Spacing"),
)


def _made_up(styles: tuple[str, ...], renamed: bool = False) -> bytes:
    d = docx.Document()
    if renamed:  # another styles part: Heading 2 is no longer a heading by its name
        d.styles["Heading 2"].name = "Sub Section"
    for i, style in enumerate(styles):
        d.add_paragraph(f"paragraph {i}", style="Sub Section" if renamed and style == "Heading 2" else style)
    d.add_paragraph("Interviewer: How was it?")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


_MADE_UP: list[bytes] = []


def _files() -> list[bytes]:
    """The made-up files (made once: python-docx takes a while to open its template)."""
    if not _MADE_UP:
        _MADE_UP.extend([_made_up(s) for s in STYLE_SETS] + [_made_up(("Heading 1", "Heading 2"), renamed=True)])
    return _MADE_UP


def _headings(path: Path, data: bytes) -> list[tuple[int, str]]:
    doc = docx_reader.read_docx(path, data)
    return [(b.level, doc.text[b.start:b.end]) for b in doc.blocks if b.kind == "heading"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.differing_executors])
@given(st.lists(st.integers(0, len(STYLE_SETS)), min_size=1, max_size=8))
def test_files_sharing_a_styles_part_get_the_headings_each_gets_alone(monkeypatch, order):
    made_up = _files()
    alone = []
    for data in made_up:
        monkeypatch.setattr(docx_reader, "_STYLES_SEEN", {})
        alone.append(_headings(Path("f.docx"), data))
    assert alone[1] == [(1, "paragraph 0")] and alone[5] == [(6, "paragraph 1")]  # Heading 9: deeper than 6
    assert alone[-1] == [(1, "paragraph 0"), (2, "paragraph 1")]  # "Sub Section": a heading by its outline level
    monkeypatch.setattr(docx_reader, "_STYLES_SEEN", {})
    for k in order:
        assert _headings(Path(f"{k}.docx"), made_up[k]) == alone[k]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.differing_executors])
@given(st.lists(st.tuples(st.integers(0, len(STYLE_SETS)), st.booleans(),
                          st.none() | st.frozensets(st.sampled_from(
                              ("Heading1", "Heading2", "Heading9", "Title", "ListBullet", "Caption",
                               "IntenseQuote", "Normal", "Nowhere", "")), min_size=1, max_size=4)),
                min_size=1, max_size=8))
def test_the_cache_answers_each_call_as_a_full_reading_would(monkeypatch, calls):
    """``_styles(path, zf, data, wanted)`` directly, with the file's bytes (the key of the part as
    stored) or without them (the key of its XML), and any style ids asked for."""
    made_up = _files()
    monkeypatch.setattr(docx_reader, "_STYLES_SEEN", {})
    for k, stored, wanted in calls:
        zf = zipfile.ZipFile(io.BytesIO(made_up[k]))
        full = _Styles(zf.read("word/styles.xml"))
        got = docx_reader._styles(Path("f.docx"), zf, made_up[k] if stored else None, wanted)
        assert got.covers(wanted)
        asked = full.seen | {"Nowhere", ""} if wanted is None else wanted
        assert {s: got.level.get(s) for s in asked} == {s: full.level.get(s) for s in asked}
