"""Characters the importers drop (DEL, U+FEFF) are dropped from Word files however the XML
brings them: written as UTF-8, as character references, or in a document part not in UTF-8,
though the reader skips looking for them when the XML cannot hold any (issue 19)."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcdesk.core.importers import docx_reader, parse_file

pytestmark = pytest.mark.core

TEXT = "Anna: so MARK then"
EXPECTED = "Anna: so  then"  # the character goes, the blanks around it stay


def _word_file(tmp_path, mark: str, encoding: str = "utf-8", name: str = "t.docx"):
    d = docx.Document()
    for _ in range(2):
        d.add_paragraph(TEXT)
        d.add_paragraph("Ben: yes")
    buf = io.BytesIO()
    d.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8").replace("MARK", mark)
                if encoding != "utf-8":
                    xml = xml.replace("encoding='UTF-8'", f"encoding='{encoding.upper()}'")
                    xml = xml.replace('encoding="UTF-8"', f'encoding="{encoding.upper()}"')
                data = xml.encode(encoding)
            out.writestr(info, data)
    return path


@pytest.mark.parametrize("mark", ["\x7f", "\ufeff", "&#127;", "&#xFEFF;", "&#x7f;\ufeff"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_dropped_characters_are_dropped_however_written(tmp_path, mark, encoding):
    doc = parse_file(_word_file(tmp_path, mark, encoding))
    assert doc.text.split("\n\n")[0] == EXPECTED
    assert [t.speaker for t in doc.turns] == ["Anna", "Ben", "Anna", "Ben"]


def test_plain_utf8_xml_is_known_to_hold_none(tmp_path):
    path = _word_file(tmp_path, "")
    xml = zipfile.ZipFile(path).read("word/document.xml")
    assert not docx_reader.may_hold_controls(xml, "UTF-8")
    assert docx_reader.may_hold_controls(xml, "UTF-16")
    assert docx_reader.may_hold_controls(xml.replace(b"so  then", b"so &#127; then"), "UTF-8")


@given(st.lists(st.sampled_from([b"&", b"#", b"&#", b"\xef", b"\xbb", b"\xbf", b"\xef\xbb\xbf", b"\x7f", b"a", b"<w:t>",
                                 b"&amp;", "’".encode(), "！".encode()]), max_size=12).map(b"".join))
def test_the_quick_search_for_controls_answers_as_the_plain_one(xml):
    """The one-byte searches in front of the longer ones change no answer."""
    plain = b"\x7f" in xml or b"&#" in xml or b"\xef\xbb\xbf" in xml
    assert docx_reader.may_hold_controls(xml, "UTF-8") == plain
