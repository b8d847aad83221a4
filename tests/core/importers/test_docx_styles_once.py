"""Word files of one template share their styles part: its heading levels are worked out once per
distinct styles part (read only as far as the files need), and a file whose styles differ still gets
its own levels."""

from __future__ import annotations

import docx
import pytest

from qcdesk.core.importers import docx_reader, parse_file

pytestmark = pytest.mark.core


def _headings(doc):
    return [(b.level, doc.text[b.start:b.end]) for b in doc.blocks if b.kind == "heading"]


def _counting_reads(monkeypatch) -> list:
    """The readings of a styles part from now on, as the style ids each was asked for (None: all)."""
    reads: list = []
    real = docx_reader._Styles._read

    def counting(self, xml, wanted):
        reads.append(wanted)
        real(self, xml, wanted)

    monkeypatch.setattr(docx_reader._Styles, "_read", counting)
    monkeypatch.setattr(docx_reader, "_STYLES_SEEN", {}, raising=False)
    return reads


def test_the_styles_part_is_read_once_per_template_and_each_file_keeps_its_own_levels(tmp_path, monkeypatch):
    reads = _counting_reads(monkeypatch)
    paths = []
    for i in range(3):
        d = docx.Document()
        d.add_heading(f"Interview {i}", level=1)
        d.add_heading("Part one", level=2)
        d.add_paragraph("Interviewer: How was it?")
        paths.append(tmp_path / f"same-{i}.docx")
        d.save(paths[-1])
    other = docx.Document()
    other.styles["Heading 2"].name = "Sub Section"  # no longer a heading by name ...
    other.add_paragraph("Interview 9", style="Heading 1")
    other.add_paragraph("Part nine", style="Sub Section")  # ... but by its outline level, if any
    other_path = tmp_path / "other.docx"
    other.save(other_path)

    docs = [parse_file(p) for p in paths]
    assert [_headings(d) for d in docs] == [[(1, f"Interview {i}"), (2, "Part one")] for i in range(3)]
    assert reads == [frozenset({"Heading1", "Heading2"})]
    odd = parse_file(other_path)
    assert len(reads) == 2
    monkeypatch.setattr(docx_reader, "_STYLES_SEEN", {}, raising=False)
    assert _headings(parse_file(other_path)) == _headings(odd)  # the same as read without the cache
    assert _headings(odd)[0] == (1, "Interview 9")


def test_a_file_of_the_template_naming_a_style_not_read_yet_has_the_part_read_to_its_end(tmp_path, monkeypatch):
    reads = _counting_reads(monkeypatch)
    first = docx.Document()
    first.add_heading("Interview 1", level=1)
    first.add_paragraph("Interviewer: How was it?")
    first.save(tmp_path / "first.docx")
    later = docx.Document()  # the same template: the same styles part
    later.add_heading("Interview 2", level=1)
    later.add_paragraph("a quoted list", style="List Bullet")  # defined after the headings
    later.add_paragraph("the end", style="Heading 9")  # a heading style, but deeper than 6 levels
    later.add_heading("Part two", level=2)
    later.save(tmp_path / "later.docx")

    assert _headings(parse_file(tmp_path / "first.docx")) == [(1, "Interview 1")]
    assert reads == [frozenset({"Heading1"})]
    assert _headings(parse_file(tmp_path / "later.docx")) == [(1, "Interview 2"), (2, "Part two")]
    assert reads == [frozenset({"Heading1"}), None]  # read again, to its end, once
    assert _headings(parse_file(tmp_path / "first.docx")) == [(1, "Interview 1")]
    assert _headings(parse_file(tmp_path / "later.docx")) == [(1, "Interview 2"), (2, "Part two")]
    assert len(reads) == 2


def test_a_body_naming_no_style_leaves_the_styles_part_unread(tmp_path, monkeypatch):
    reads = _counting_reads(monkeypatch)
    d = docx.Document()
    for line in ("Interviewer: How was it?", "P1: Fine.", "Interviewer: And then?"):
        d.add_paragraph(line)
    d.save(tmp_path / "plain.docx")
    doc = parse_file(tmp_path / "plain.docx")
    assert [t.speaker for t in doc.turns] == ["Interviewer", "P1", "Interviewer"]
    assert reads == []


NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _style(sid: str, name: str, outline: int | None = None) -> str:
    ppr = f'<w:pPr><w:outlineLvl w:val="{outline}"/></w:pPr>' if outline is not None else ""
    return f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/>{ppr}</w:style>'


#: a styles part with two headings first, then many table styles (most of a real part's bytes)
PART = (f"<w:styles {NS}>" + _style("H1", "heading 1") + _style("Sec", "Section", outline=1)
        + "".join(f'<w:style w:type="table" w:styleId="T{i}"><w:name w:val="Table {i}"/>'
                  f'<w:tblPr>{"<w:tblBorders/>" * 20}</w:tblPr></w:style>' for i in range(400))
        + _style("Late", "heading 3") + _style("H1", "Normal") + "</w:styles>")


def test_reading_stops_once_the_styles_asked_for_are_met_and_answers_as_a_full_reading():
    full = docx_reader._Styles(PART.encode())
    assert full.complete and full.level == {"H1": 1, "Sec": 2, "Late": 3}  # H1 by its first definition
    early = docx_reader._Styles(PART.encode(), frozenset({"H1", "Sec"}))
    assert not early.complete and early.seen == {"H1", "Sec"}
    assert early.level == {"H1": 1, "Sec": 2}
    assert early.covers(frozenset({"Sec"})) and not early.covers(frozenset({"Late"})) and not early.covers(None)
    missing = docx_reader._Styles(PART.encode(), frozenset({"H1", "Nowhere"}))  # defined nowhere: read to the end
    assert missing.complete and missing.level == full.level


def test_a_damaged_styles_part_gives_the_levels_of_the_styles_before_the_damage():
    cut = PART.encode()[: PART.index('w:styleId="Late"') + 30]  # cut inside the last heading style
    for wanted in (None, frozenset({"Late"}), frozenset({"Late", "Sec"})):
        styles = docx_reader._Styles(cut, wanted)
        assert styles.level == {"H1": 1, "Sec": 2} and styles.complete  # nothing more can be read
    assert docx_reader._Styles(b"\x00 not XML at all").level == {}


def test_a_member_as_stored_is_its_compressed_bytes_found_through_its_local_header(tmp_path):
    import io
    import zipfile
    import zlib

    from qcdesk.core.importers.safety import stored_member

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", "first " * 50)
        member = zipfile.ZipInfo("word/styles.xml")
        member.extra = (0xCAFE).to_bytes(2, "little") + (4).to_bytes(2, "little") + b"abcd"  # an extra field
        zf.writestr(member, b"<w:styles>" + b"<w:style/>" * 300 + b"</w:styles>", zipfile.ZIP_DEFLATED)
    data = b"prefix of a self-extracting archive " + buf.getvalue()  # zipfile finds the members after it
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("word/styles.xml")
    stored = stored_member(data, info)
    assert stored is not None and len(stored) == info.compress_size
    assert zlib.decompressobj(-15).decompress(stored) == zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml")
    info.header_offset += 1  # the directory points elsewhere than a local header: no answer
    assert stored_member(data, info) is None
