"""The lxml .docx reader gives exactly what the python-docx reader gave (issue 19).

Documents are generated from the XML Word writes: runs split anywhere, hyperlinks, smart tags,
simple and complex fields, tabs (and tab stops), line breaks, no-break hyphens, inserted and
deleted revisions, text boxes, note and comment marks, content controls, nested tables, RTL
paragraphs, heading styles by name and by outline level, blank text between elements and XML
comments. Each one is read by both readers; text, blocks, turns and notices must be equal.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import pytest
from docx_reference import read_docx_python_docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcdesk.core.importers import parse_file
from qcdesk.core.importers.docx_reader import read_docx

pytestmark = pytest.mark.core

_BASE = io.BytesIO()
docx.Document().save(_BASE)
_BASE_BYTES = _BASE.getvalue()
_DOC_XML = zipfile.ZipFile(io.BytesIO(_BASE_BYTES)).read("word/document.xml").decode()
_ROOT_OPEN = _DOC_XML[: _DOC_XML.index("<w:body>")]
_EXTRA_STYLES = ('<w:style w:type="paragraph" w:styleId="Ueb2"><w:name w:val="Überschrift 2"/></w:style>'
                 '<w:style w:type="paragraph" w:styleId="Spk"><w:name w:val="Sprecher"/>'
                 '<w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>'
                 '<w:style w:type="paragraph" w:styleId="Deep"><w:name w:val="Deep"/>'
                 '<w:pPr><w:outlineLvl w:val="8"/></w:pPr></w:style>'
                 '<w:style w:type="paragraph" w:styleId="Kop3"><w:name w:val="kop 3"/></w:style>')

# -- pieces of document.xml ------------------------------------------------------------------------
words = st.lists(st.sampled_from(list("abc xyz,.:?-’") + ["Interviewer: ", "P1: ", "[00:01:02] ", "مرحبا",
                                                          "שלום", "Ünïcödé", "  ", "\u00a0", "😀"]),
                 max_size=6).map("".join)


def _t(text: str, preserve: bool) -> str:
    space = ' xml:space="preserve"' if preserve else ""
    return f"<w:t{space}>{escape(text)}</w:t>"


run = st.one_of(
    st.builds(lambda t, p, b: f"<w:r>{'<w:rPr><w:b/><w:rtl/></w:rPr>' if b else ''}{_t(t, p)}</w:r>",
              words, st.booleans(), st.booleans()),
    st.just("<w:r><w:tab/></w:r>"),
    st.just("<w:r><w:t>a</w:t><w:tab/><w:t>b</w:t></w:r>"),
    st.just("<w:r><w:br/></w:r>"),
    st.just('<w:r><w:br w:type="page"/></w:r>'),
    st.just("<w:r><w:cr/></w:r>"),
    st.just("<w:r><w:noBreakHyphen/></w:r>"),
    st.just('<w:r><w:footnoteReference w:id="1"/></w:r>'),
    st.just('<w:r><w:commentReference w:id="0"/></w:r>'),
    st.just("<w:r><w:t> </w:t></w:r>"),
    st.just("<w:r><!-- a comment --><w:t>c</w:t></w:r>"),
    st.just("<w:r>\n   <w:t>spaced</w:t>\n </w:r>"),
)
inline = st.deferred(lambda: st.one_of(
    run,
    run.map(lambda r: f'<w:hyperlink w:anchor="x" w:history="1">{r}</w:hyperlink>'),
    run.map(lambda r: f'<w:smartTag w:uri="urn:x" w:element="place">{r}</w:smartTag>'),
    run.map(lambda r: f'<w:fldSimple w:instr=" DATE ">{r}</w:fldSimple>'),
    run.map(lambda r: ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE '
                       '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                       f'{r}<w:r><w:fldChar w:fldCharType="end"/></w:r>')),
    run.map(lambda r: f'<w:ins w:id="1" w:author="A" w:date="2024-01-01T00:00:00Z">{r}</w:ins>'),
    words.map(lambda t: f'<w:del w:id="2" w:author="A" w:date="2024-01-01T00:00:00Z"><w:r><w:delText>'
                        f'{escape(t)}</w:delText></w:r></w:del>'),
    words.map(lambda t: f'<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r>{_t(t, True)}</w:r></w:p>'
                        '</w:txbxContent></v:textbox></v:shape></w:pict></w:r>'),
    st.just('<w:bookmarkStart w:id="0" w:name="b"/><w:bookmarkEnd w:id="0"/>'),
    st.just('<w:proofErr w:type="spellStart"/>'),
    st.just("<w:tab/>"),
))
ppr = st.one_of(
    st.just(""),
    st.sampled_from(["Heading1", "Heading2", "Heading7", "Title", "Subtitle", "Ueb2", "Spk", "Deep", "Kop3",
                     "Missing", "ListParagraph"]).map(lambda s: f'<w:pPr><w:pStyle w:val="{s}"/></w:pPr>'),
    st.sampled_from(["0", "3", "5", "6", "9", "x"]).map(lambda v: f'<w:pPr><w:outlineLvl w:val="{v}"/></w:pPr>'),
    st.just('<w:pPr><w:pStyle w:val="Heading2"/><w:outlineLvl w:val="9"/></w:pPr>'),
    st.just('<w:pPr><w:bidi/><w:jc w:val="right"/></w:pPr>'),
    st.just('<w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'),
)
paragraph = st.builds(lambda pr, parts, sep: f"<w:p>{pr}{sep.join(parts)}</w:p>",
                      ppr, st.lists(inline, max_size=5), st.sampled_from(["", "\n  "]))


def _table(rows: list[list[str]]) -> str:
    return "<w:tbl><w:tblPr/>" + "".join(
        "<w:tr>" + "".join(f"<w:tc><w:tcPr/>{cell}</w:tc>" for cell in row) + "</w:tr>" for row in rows) + "</w:tbl>"


cell = st.lists(paragraph, min_size=1, max_size=2).map("".join)
table = st.lists(st.lists(cell, min_size=1, max_size=3), min_size=1, max_size=3).map(_table)
nested_table = st.builds(lambda inner, p: _table([[inner + p, "<w:p/>"]]), table, paragraph)
block = st.one_of(
    paragraph, paragraph, paragraph, table, nested_table,
    st.lists(paragraph, max_size=2).map(lambda ps: f"<w:sdt><w:sdtPr/><w:sdtContent>{''.join(ps)}</w:sdtContent></w:sdt>"),
    paragraph.map(lambda p: f'<w:customXml w:element="x">{p}</w:customXml>'),
    paragraph.map(lambda p: f'<w:ins w:id="3" w:author="A">{p}</w:ins>'),
    paragraph.map(lambda p: f'<w:del w:id="4" w:author="A">{p}</w:del>'),
    st.just("<!-- body comment -->"),
)
speaker_turn = st.builds(lambda who, t: f'<w:p><w:r><w:t xml:space="preserve">{who}: {escape(t)}</w:t></w:r></w:p>',
                         st.sampled_from(["Interviewer", "P1", "Dr Smith"]), words.filter(str.strip))


def build(body: list[str], *, styles: str = "default") -> bytes:
    """A .docx: python-docx's own package with ``body`` as the document body."""
    xml = f"{_ROOT_OPEN}<w:body>{''.join(body)}<w:sectPr/></w:body></w:document>"
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_BASE_BYTES)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = xml.encode()
            elif info.filename == "word/styles.xml" and styles == "extra":
                data = data.replace(b"</w:styles>", _EXTRA_STYLES.encode() + b"</w:styles>")
            elif info.filename == "word/_rels/document.xml.rels" and styles == "none":
                data = data.replace(b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"',
                                    b'Type="urn:none"')
            dst.writestr(info, data)
    return out.getvalue()


def same(path: Path, data: bytes) -> None:
    old = read_docx_python_docx(path, data)
    new = read_docx(path, data)
    assert new.text == old.text
    assert new.blocks == old.blocks
    assert new.turns == old.turns
    assert new.notices == old.notices


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(block, speaker_turn, speaker_turn), min_size=1, max_size=12),
       st.sampled_from(["default", "extra", "none"]))
def test_generated_documents_read_the_same(body, styles):
    same(Path("generated.docx"), build(body, styles=styles))


@pytest.mark.parametrize("body", [
    ['<w:p><w:r><w:t xml:space="preserve">  lead and trail  </w:t></w:r></w:p>'],
    ["<w:p><w:r><w:t>a</w:t></w:r>\n\n<w:r><w:t>b</w:t></w:r></w:p>"],
    ["<w:p><w:r><w:t><w:t>nested</w:t>tail</w:t></w:r></w:p>"],  # a text element inside another
    ["<w:p><w:pPr><w:tabs><w:tab/></w:tabs></w:pPr><w:r><w:tab/><w:t>x</w:t></w:r><w:tab/></w:p>"],
    ["<w:p><w:r><w:t>a</w:t></w:r><w:tab/><w:r><w:t>b</w:t></w:r></w:p>"],  # a tab outside a run is no tab
    [('<w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:tbl><w:tr><w:tc><w:p><w:r><w:t>box</w:t></w:r>'
     '</w:p></w:tc></w:tr></w:tbl></w:txbxContent></v:textbox></v:shape></w:pict></w:r><w:r><w:t>after</w:t>'
     '</w:r></w:p>')],
    [('<w:tbl><w:tr><w:tc><w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>in box</w:t></w:r>'
     '</w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr>'
     '</w:tbl>')],
])
def test_edge_cases_read_the_same(body):
    for styles in ("default", "extra", "none"):
        same(Path("edge.docx"), build(body, styles=styles))


def test_corpus_and_test_documents_read_the_same(corpus, tmp_path):
    paths = sorted(corpus.glob("*.docx"))
    d = docx.Document()
    d.add_heading("Interview 3", level=1)
    d.add_paragraph("Interviewer: How was it?")
    d.add_paragraph("P1: Fine.\tReally.")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text, t.cell(1, 1).text = "Date", "12 March"
    d.add_paragraph("Interviewer: And then?").add_run().add_break()
    d.add_paragraph("P1: Nothing.")
    d.add_comment(d.paragraphs[1].runs, text="note", author="A")
    paths.append(tmp_path / "made.docx")
    d.save(paths[-1])
    assert len(paths) >= 2
    for path in paths:
        same(path, path.read_bytes())


def test_reading_a_docx_does_not_load_python_docx(tmp_path):
    d = docx.Document()
    d.add_paragraph("Interviewer: hello")
    path = tmp_path / "x.docx"
    d.save(path)
    code = ("import sys; from qcdesk.core.importers import parse_file; "
            f"assert parse_file({str(path)!r}).text == 'Interviewer: hello'; "
            "print('docx' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_styles_part_found_through_the_relationship(tmp_path):
    """A styles part under another name is found as python-docx found it (by relationship)."""
    data = build(['<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>Title</w:t></w:r></w:p>'])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            name = info.filename
            if name == "word/styles.xml":
                name = "word/other-styles.xml"
            body = body.replace(b'Target="styles.xml"', b'Target="other-styles.xml"')
            body = body.replace(b'PartName="/word/styles.xml"', b'PartName="/word/other-styles.xml"')
            dst.writestr(name, body)
    path = tmp_path / "renamed.docx"
    path.write_bytes(out.getvalue())
    same(path, path.read_bytes())
    assert [(b.kind, b.level) for b in parse_file(path).blocks] == [("heading", 1)]
