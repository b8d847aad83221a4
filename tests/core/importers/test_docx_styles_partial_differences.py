"""Where reading a styles part as far as needed (``docx_reader._Styles`` on ``etree.iterparse``)
may answer otherwise than the whole-part reading before it did: damage, encodings, and an outline
level that crashed both readings (fixed). A test marked xfail (strict) states the answer the reader
does not give."""

from __future__ import annotations

import pytest

from qcdesk.core.importers.docx_reader import _Styles

pytestmark = pytest.mark.core

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
HEADING = '<w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/></w:style>'


@pytest.mark.parametrize("damage", ["<w:bad></w:styles>", "</w:nope></w:styles>", "</w:styles>junk"])
def test_damage_in_the_block_read_with_a_style_loses_that_style_as_the_whole_part_reading_did(damage):
    """The parser reads the part in blocks (some 32 KB) and gives nothing of a block in which it
    meets damage: a style in that block is lost with it, whichever styles were asked for (as every
    style was when the whole part was read at once), so each file of a template gets the same levels."""
    damaged = f"<w:styles {NS}>{HEADING}{damage}".encode()
    for wanted in (None, frozenset({"H1"})):
        assert _Styles(damaged, wanted).level == {}


def test_a_part_cut_short_keeps_the_styles_before_the_cut():
    cut = f'<w:styles {NS}>{HEADING}<w:style w:type="paragraph" w:styleId="Late"'.encode()
    assert _Styles(cut).level == {"H1": 1}


@pytest.mark.xfail(strict=True, reason="lxml's iterparse refuses a UTF-32 part that etree.fromstring reads")
def test_a_utf32_styles_part_gives_its_levels_as_the_whole_part_reading_did():
    xml = f'<?xml version="1.0" encoding="UTF-32"?><w:styles {NS}>{HEADING}</w:styles>'.encode("utf-32")
    assert _Styles(xml).level == {"H1": 1}  # what etree.fromstring and the root's children gave; {} is given


@pytest.mark.parametrize("where", ["style", "paragraph"])
def test_an_outline_level_in_superscript_digits_is_no_heading_and_no_crash(where):
    from lxml import etree

    outline = '<w:pPr><w:outlineLvl w:val="²"/></w:pPr>'
    part = f'<w:styles {NS}>{HEADING}<w:style w:styleId="S"><w:name w:val="Odd"/>{outline}</w:style></w:styles>'
    styles = _Styles(part.encode() if where == "style" else f"<w:styles {NS}>{HEADING}</w:styles>".encode())
    p = etree.fromstring(f"<w:p {NS}>{outline if where == 'paragraph' else ''}<w:r><w:t>a</w:t></w:r></w:p>")
    assert styles.level == {"H1": 1} and styles.heading_level(p) == 0
