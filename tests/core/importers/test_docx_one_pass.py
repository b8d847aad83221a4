"""Paragraph texts read in one pass over the body equal those read paragraph by paragraph
(:func:`docx_reader.paragraph_text`), including the paragraphs the pass must leave to it."""

from __future__ import annotations

import pytest

from qcdesk.core.importers import docx_reader
from qcdesk.core.importers.docx_reader import W, _plain_texts, _paragraphs_holding, paragraph_text

pytestmark = pytest.mark.core

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
PARAGRAPHS = [
    "<w:p><w:r><w:t>plain</w:t></w:r><w:r><w:tab/><w:t>after a tab</w:t><w:br/><w:cr/>"
    "<w:noBreakHyphen/></w:r></w:p>",
    '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>tab stop</w:t></w:r></w:p>',
    "<w:p><w:t>text right in the paragraph</w:t><w:r><w:t> and a run</w:t></w:r></w:p>",
    '<w:p><w:hyperlink><w:r><w:t>linked</w:t></w:r></w:hyperlink><w:r><w:t> text</w:t></w:r></w:p>',
    "<w:p><w:r><w:t>outer</w:t></w:r><w:p><w:r><w:t>nested</w:t></w:r></w:p><w:r><w:t>after</w:t></w:r></w:p>",
    "<w:p><w:r><w:t>x<w:r><w:t>inside a text element</w:t></w:r></w:t></w:r></w:p>",
    "<w:p><w:r><w:t>box:</w:t><w:txbxContent><w:p><w:r><w:t>in a box</w:t></w:r></w:p></w:txbxContent>"
    "</w:r><w:r><w:delText>gone</w:delText></w:r></w:p>",
    "<w:p/>",
    "<w:p><w:r><w:t>last</w:t></w:r></w:p>",
]


def test_one_pass_equals_paragraph_by_paragraph():
    body = docx_reader._xml(f"<w:body {NS}>{''.join(PARAGRAPHS)}</w:body>".encode())
    special = _paragraphs_holding(body, docx_reader._SKIPPED)
    texts = _plain_texts(body, special)
    every = list(body.iter(f"{W}p"))
    for p in every:
        if p in texts:
            assert texts[p] == paragraph_text(p)
    top = [p for p in body if p.tag == f"{W}p"]
    # the ordinary paragraphs are read by the pass; the odd ones are left to paragraph_text
    assert [p in texts for p in top] == [True, True, True, True, False, False, False, True, True]
    assert texts[top[0]] == "plain\tafter a tab\n\n-"
    assert texts[top[1]] == "tab stop" and texts[top[2]] == "text right in the paragraph and a run"
    units = docx_reader.body_units(body, docx_reader._Styles(None))
    assert [u.text for u in units] == [paragraph_text(p) for p in top]


ODD_PLACES = [
    "<w:p><w:r><w:t>before a stray run</w:t></w:r></w:p>",
    "<w:tbl><w:tr><w:tc><w:r><w:t>a run in a cell, in no paragraph</w:t></w:r><w:p><w:r><w:t>cell</w:t></w:r></w:p>"
    "</w:tc></w:tr></w:tbl>",
    "<w:p><w:r><w:t>a</w:t></w:r><w:p><w:r><w:t>b</w:t></w:r><w:p><w:r><w:t>c</w:t></w:r></w:p>"
    "<w:r><w:t>d</w:t></w:r></w:p><w:r><w:t>e</w:t></w:r></w:p>",
    "<w:sdt><w:sdtContent><w:p><w:r><w:t>in a control</w:t></w:r></w:p></w:sdtContent></w:sdt>",
    "<w:p><w:ins><w:r><w:t>inserted</w:t></w:r></w:ins><w:smartTag><w:r><w:tab/><w:t>tagged</w:t></w:r></w:smartTag></w:p>",
    "<w:p><w:r><w:t>before the end</w:t></w:r></w:p><w:r><w:t>a run in the body</w:t></w:r>",
    "<w:p><w:r><w:t>last</w:t><w:t/></w:r></w:p>",
]


def test_one_pass_equals_paragraph_by_paragraph_in_odd_places():
    body = docx_reader._xml(f"<w:body {NS}>{''.join(ODD_PLACES)}</w:body>".encode())
    texts = _plain_texts(body, _paragraphs_holding(body, docx_reader._SKIPPED))
    every = list(body.iter(f"{W}p"))
    assert [texts.get(p, paragraph_text(p)) for p in every] == [paragraph_text(p) for p in every]
    # the pass reads the ordinary ones, whatever stands around them (a paragraph followed by text
    # that is not its own, or holding another, is left to paragraph_text)
    assert [p in texts for p in every] == [False, True, False, False, False, True, True, False, True]
    units = docx_reader.body_units(body, docx_reader._Styles(None))
    assert [u.text for u in units] == ["before a stray run", "cell", "abcde", "in a control", "inserted\ttagged",
                                       "before the end", "last"]


STYLED = [
    '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>styled</w:t></w:r></w:p>',
    '<w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>outlined</w:t></w:r></w:p>',
    '<w:p><w:r><w:t>outer</w:t></w:r><w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr></w:p></w:p>',
    '<w:tbl><w:tr><w:tc><w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr>'
    "</w:tbl>",
    '<w:p><w:pPr><w:pPrChange><w:pPr><w:pStyle w:val="Heading3"/></w:pPr></w:pPrChange></w:pPr></w:p>',
    '<w:pStyle w:val="stray"/>',
    "<w:p><w:r><w:t>plain</w:t></w:r></w:p>",
]


def test_the_pass_finds_the_paragraphs_holding_a_style_as_the_search_for_them_does():
    body = docx_reader._xml(f"<w:body {NS}>{''.join(STYLED + ODD_PLACES + PARAGRAPHS)}</w:body>".encode())
    special = _paragraphs_holding(body, docx_reader._SKIPPED)
    styled: set = set()
    texts = _plain_texts(body, special, styled)
    assert styled == _paragraphs_holding(body, docx_reader._STYLE_TAGS)
    assert len(styled) == 6  # the stray style is in no paragraph
    assert texts == _plain_texts(body, special)
