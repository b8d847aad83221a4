"""``docx_reader.body_units`` walks the body and the containers in it (``w:sdt``, ``w:sdtContent``,
``w:customXml``, ``w:ins``) with a stack of iterators; it gives the units, in the order, that the
recursive walk before it gave (kept below as the reference), for bodies of nested containers,
tables inside containers and containers inside table cells, and elements that are no container
between them. Paragraph styles are looked up for the style ids the body names, and only those."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from qcdesk.core.importers import docx_reader
from qcdesk.core.importers.assemble import HEADING, TABLE_ROW, Unit
from qcdesk.core.importers.docx_reader import _CONTAINERS, _P, _SKIPPED, _TBL, W, _Styles

pytestmark = pytest.mark.core

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _recursive_units(body, styles: _Styles) -> list[Unit]:
    """body_units as it was before the stack: a recursive inner walk."""
    units: list[Unit] = []
    table_no = 0
    special = docx_reader._paragraphs_holding(body, _SKIPPED)
    styled: set = set()
    plain = docx_reader._plain_texts(body, special, styled)

    def text_of(p) -> str:
        text = plain.get(p)
        return docx_reader.paragraph_text(p, p not in special) if text is None else text

    def walk(container) -> None:
        nonlocal table_no
        for el in container:
            if el.tag == _P:
                level = styles.heading_level(el) if styled and el in styled else 0
                units.append(Unit(text_of(el), HEADING, level) if level else Unit(text_of(el)))
            elif el.tag == _TBL:
                table_no += 1
                for tr in el.iter(f"{W}tr"):
                    if tr.getparent() is not None and tr.getparent() is not el:
                        continue
                    cells = [" ".join(t for p in tc.iter(_P) if (t := text_of(p).strip())) for tc in tr.findall(f"{W}tc")]
                    if any(cells):
                        units.append(Unit(" | ".join(cells), TABLE_ROW, group=table_no))
            elif el.tag in _CONTAINERS:
                walk(el)

    walk(body)
    return units


@st.composite
def _paragraph(draw) -> str:
    n = draw(st.integers(0, 999))
    style = draw(st.sampled_from(("", "H1", "H2", "Normal", "Nowhere")))
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    extra = draw(st.sampled_from(("", "<w:r><w:del><w:t>gone</w:t></w:del></w:r>", "<w:r><w:br/><w:t>b</w:t></w:r>")))
    return f"<w:p>{ppr}<w:r><w:t>p{n}</w:t></w:r>{extra}</w:p>"


def _block(depth: int) -> st.SearchStrategy[str]:
    if depth >= 4:
        return _paragraph()
    inner = st.lists(st.deferred(lambda: _block(depth + 1)), max_size=4).map("".join)
    cell = st.lists(st.one_of(_paragraph(), inner), min_size=1, max_size=3).map(lambda xs: f"<w:tc>{''.join(xs)}</w:tc>")
    row = st.lists(cell, min_size=1, max_size=3).map(lambda cs: f"<w:tr>{''.join(cs)}</w:tr>")
    return st.one_of(
        _paragraph(), _paragraph(),
        st.lists(row, min_size=1, max_size=3).map(lambda rs: f"<w:tbl><w:tblPr/>{''.join(rs)}</w:tbl>"),
        inner.map(lambda x: f"<w:sdt><w:sdtPr/><w:sdtContent>{x}</w:sdtContent></w:sdt>"),
        inner.map(lambda x: f"<w:sdt>{x}</w:sdt>"),
        inner.map(lambda x: f"<w:sdtContent>{x}</w:sdtContent>"),
        inner.map(lambda x: f'<w:customXml w:element="x">{x}</w:customXml>'),
        inner.map(lambda x: f'<w:ins w:id="1">{x}</w:ins>'),
        inner.map(lambda x: f"<w:del>{x}</w:del>"),  # no container: what it holds is left out
        inner.map(lambda x: f"<w:smartTag>{x}</w:smartTag>"),
        st.just('<w:bookmarkStart w:id="0" w:name="x"/>'), st.just("<w:sectPr/>"),
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_block(0), max_size=8).map("".join))
@example('<w:sdt><w:sdtContent><w:p><w:r><w:t>a</w:t></w:r></w:p><w:sdt><w:sdtContent><w:tbl><w:tr><w:tc><w:p><w:r>'
         '<w:t>b</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:sdtContent></w:sdt><w:p><w:r><w:t>c</w:t></w:r></w:p>'
         '</w:sdtContent></w:sdt><w:p><w:r><w:t>d</w:t></w:r></w:p>')
def test_the_body_is_walked_in_document_order_as_the_recursive_walk_did(body_xml):
    body = etree.fromstring(f"<w:document {NS}><w:body>{body_xml}</w:body></w:document>".encode())[0]
    styles = _Styles()
    styles.level = {"H1": 1, "H2": 2}
    expected = [(u.text, u.kind, u.level, u.group) for u in _recursive_units(body, styles)]
    asked = []

    def levels(wanted: frozenset[str]) -> _Styles:
        asked.append(wanted)
        return styles

    assert [(u.text, u.kind, u.level, u.group) for u in docx_reader.body_units(body, styles)] == expected
    assert [(u.text, u.kind, u.level, u.group) for u in docx_reader.body_units(body, levels)] == expected
    named = {p.get(f"{W}val") for p in body.iter(f"{W}pStyle")}
    assert len(asked) == 1 and asked[0] <= named  # only style ids the body names
    assert {u.text for u in docx_reader.body_units(body, styles) if u.kind == HEADING} <= {
        t for p in body.iter(_P) if p.find(f"{W}pPr/{W}pStyle") is not None
        and p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") in ("H1", "H2") for t in [docx_reader.paragraph_text(p)]}
