"""python-docx behind one adapter (issue 14): no other report module touches its internals,
and the internals the adapter relies on are there in the installed python-docx."""

from __future__ import annotations

import ast
import io
import re
import tomllib
import zipfile
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcdesk.core.reports import docx_adapter as dx

pytestmark = pytest.mark.core

ROOT = Path(__file__).resolve().parents[3]
REPORTS = ROOT / "qcdesk" / "core" / "reports"
#: python-docx packages whose classes are internals (XML element classes, the package, parts)
PRIVATE_PACKAGES = ("docx.oxml", "docx.opc", "docx.parts", "docx.comments")
#: methods of python-docx's XML element classes (``CT_P.add_r``, ``get_or_add_pPr``...)
ELEMENT_METHODS = re.compile(r"^(get_or_add_|insert_element_before$|add_r$|add_t$|_add_|_insert_|_remove_)")


#: public names inside those packages (the error ``docx.Document`` raises for a non-Word file)
PUBLIC_MODULES = ("docx.opc.exceptions",)


def _private(module: str) -> bool:
    return module.startswith(PRIVATE_PACKAGES) and module not in PUBLIC_MODULES


def _offences(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and _private(node.module):
            found.append(f"{path.name}:{node.lineno} imports from {node.module}")
        elif isinstance(node, ast.Import):
            found += [f"{path.name}:{node.lineno} imports {a.name}" for a in node.names if _private(a.name)]
        elif isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else None
            private = node.attr.startswith("_") and not node.attr.startswith("__")
            if private and owner not in ("self", "cls"):
                found.append(f"{path.name}:{node.lineno} reaches .{node.attr}")
            elif ELEMENT_METHODS.match(node.attr):
                found.append(f"{path.name}:{node.lineno} calls the XML element method .{node.attr}")
        elif isinstance(node, ast.Name) and node.id in ("OxmlElement", "parse_xml", "nsdecls"):
            found.append(f"{path.name}:{node.lineno} uses {node.id}")
    return found


def test_only_the_adapter_touches_python_docx_internals():
    """Every report module, and every other module of qcdesk that imports python-docx."""
    uses_docx = re.compile(r"^\s*(import docx|from docx)", re.MULTILINE)
    others = [p for p in sorted((ROOT / "qcdesk").rglob("*.py"))
              if p.parent != REPORTS and uses_docx.search(p.read_text(encoding="utf-8"))]
    modules = [p for p in sorted(REPORTS.glob("*.py")) if p.name != "docx_adapter.py"] + others
    assert len(modules) > 10  # the scan sees the report modules (the Word importer reads its XML with lxml)
    offences = [o for p in modules for o in _offences(p)]
    assert offences == []


def test_the_fence_finds_what_it_looks_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from docx.oxml import OxmlElement\nimport docx.opc.constants\n"
                      "def f(par, doc):\n    par._p.get_or_add_pPr()\n    doc._body\n    self._ok\n")
    found = _offences(sample)
    assert any("imports from docx.oxml" in o for o in found)
    assert any("imports docx.opc" in o for o in found)
    assert any(".get_or_add_pPr" in o for o in found)
    assert any("._p" in o for o in found) and any("._body" in o for o in found)
    assert not any("_ok" in o for o in found)


def test_the_installed_python_docx_is_a_version_the_adapter_supports():
    requirement = next(r for r in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
                       if r.startswith("python-docx"))
    low, high = re.fullmatch(r"python-docx>=([\d.]+),<([\d.]+)", requirement.split(";")[0].strip()).groups()
    as_tuple = lambda v: tuple(int(x) for x in v.split("."))
    assert dx.SUPPORTED == (as_tuple(low)[:2], (as_tuple(high) + (0,))[:2])  # pyproject and adapter agree
    assert dx.supported(), f"python-docx {dx.version()} is outside {dx.SUPPORTED}"
    assert dx.supported((1, 2, 0)) and not dx.supported((1, 1, 9)) and not dx.supported((2, 0, 0))


def test_the_template_has_what_reports_are_built_on():
    document = dx.new_document()
    names = {s.name for s in document.styles}
    for name in ("Normal", "Title", "Subtitle", "Quote", "Caption", "Table Grid", "TOC Heading", "Header",
                 "Footer", *(f"Heading {n}" for n in range(1, 10))):
        assert name in names, name
    quote = document.styles["Quote"]
    assert quote.font.italic  # the template's Quote is italic: docx_styles turns it off
    # every block goes before the body's final section properties
    body, end = dx.body(document), dx.section_end(document)
    assert end is not None and end.tag == dx.qn("w:sectPr") and body[-1] is end
    # a new section puts a copy of the properties into the last paragraph; the body keeps its own
    document.add_paragraph("first")
    document.add_section()
    new_end = dx.section_end(document)
    assert body[-1] is new_end
    assert body[-2].tag == dx.qn("w:p") and body[-2].find(f"{dx.qn('w:pPr')}/{dx.qn('w:sectPr')}") is not None
    # a print date can be dropped; the template has an extended properties part (replaced)
    import datetime as dt

    cp = document.core_properties
    cp.last_printed = dt.datetime(2013, 12, 23, 23, 15)
    assert dx.xml_of(cp).find(dx.qn("cp:lastPrinted")) is not None
    dx.drop_core_property(cp, "cp:lastPrinted")
    assert dx.xml_of(cp).find(dx.qn("cp:lastPrinted")) is None
    assert dx.replace_part(document, dx.extended_properties_type(), b"<Properties/>")


def test_objects_and_their_xml():
    document = dx.new_document()
    par = document.add_paragraph()
    p = dx.xml_of(par)
    assert p.tag == dx.qn("w:p") and dx.wrap_paragraph(document, p).text == ""
    run = dx.add_text(par, "plain words")
    assert dx.xml_of(run).tag == dx.qn("w:r") and par.text == "plain words"
    dx.set_paragraph_style(p, "Quote")
    assert par.style.name == "Quote"
    dx.insert_in_order(dx.paragraph_properties(p), dx.element("w:bidi"), "w:jc")
    dx.insert_in_order(dx.paragraph_properties(p), dx.element("w:keepNext"), "w:bidi")
    assert [c.tag for c in dx.paragraph_properties(p)] == [dx.qn(t) for t in ("w:pStyle", "w:keepNext", "w:bidi")]
    table = document.add_table(rows=1, cols=1)
    dx.set_table_style(table, document.styles["Table Grid"].style_id)
    assert table.style.name == "Table Grid"
    assert dx.xml_of(table).tag == dx.qn("w:tbl") and dx.table_properties(table).tag == dx.qn("w:tblPr")
    assert dx.row_properties(table.rows[0]).tag == dx.qn("w:trPr")
    assert dx.cell_properties(table.cell(0, 0)).tag == dx.qn("w:tcPr")
    assert dx.xml_of(document.sections[0].footer).tag == dx.qn("w:ftr")
    shd = dx.element("w:shd", {"val": "clear", "fill": "ABCDEF"})
    assert shd.get(dx.qn("w:fill")) == "ABCDEF"
    assert dx.parse(f"<w:p {dx.W_DECLARATION}/>").tag == dx.qn("w:p")


def test_comments_numbered_from_a_counter_read_back_by_python_docx():
    import datetime as dt

    document = dx.new_document()
    comments = dx.Comments(document)
    when = dt.datetime(2026, 5, 1, 9, 30, tzinfo=dt.UTC)
    for n in range(3):
        par = document.add_paragraph()
        first, last = dx.add_text(par, f"coded {n} "), dx.add_text(par, "words")
        comments.add(first, last, f"Code {n}\nsecond line", "Amira", "A", when)
    buf = io.BytesIO()
    document.save(buf)
    back = docx.Document(io.BytesIO(buf.getvalue()))
    made = list(back.comments)
    assert [c.comment_id for c in made] == [0, 1, 2]
    assert [c.author for c in made] == ["Amira"] * 3 and made[2].initials == "A"
    assert made[1].text.split("\n") == ["Code 1", "second line"] and made[0].timestamp == when
    xml = zipfile.ZipFile(buf).read("word/document.xml").decode()
    assert xml.count("<w:commentRangeStart") == xml.count("<w:commentRangeEnd") == 3


def _png() -> bytes:
    """A 1 x 1 white PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def test_a_picture_gets_its_alt_text():
    document = dx.new_document()
    picture = document.add_paragraph().add_run().add_picture(io.BytesIO(_png()))
    dx.set_alt_text(picture, "Bars: Feedback 12, Belonging 7")
    buf = io.BytesIO()
    document.save(buf)
    assert 'descr="Bars: Feedback 12, Belonging 7"' in zipfile.ZipFile(buf).read("word/document.xml").decode()


def test_a_spilled_body_is_spliced_in_before_what_the_document_holds():
    document = dx.new_document()
    document.add_paragraph("last")
    spilled = io.BytesIO(b'<w:p><w:r><w:t>first</w:t></w:r></w:p>')
    out = io.BytesIO()
    dx.save_with_body(document, spilled, out)
    back = docx.Document(io.BytesIO(out.getvalue()))
    assert [p.text for p in back.paragraphs] == ["first", "last"]


_ONE_DOCUMENT = dx.new_document()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab \t\n\r<&>\"'é")) | st.characters(), max_size=40))
def test_run_xml_writes_what_python_docx_add_run_writes(text):
    """Quotes are written as XML text (docx_text.run_xml), the same run the writer makes for
    other text through python-docx: tabs, line breaks, spaces kept where they must be."""
    from lxml import etree

    from qcdesk.core.reports.docx_text import run_xml, xml_safe
    from qcdesk.core.reports.docx_writer import _Writer

    def bare(el) -> bytes:
        return re.sub(rb' xmlns(:\w+)?="[^"]*"', b"", etree.tostring(el, method="c14n"))

    text = xml_safe(text)
    made = _Writer._text(_ONE_DOCUMENT.add_paragraph(), text)
    assert bare(dx.parse_body(run_xml(text))[0]) == bare(dx.xml_of(made))
