"""Word files of one template share their styles part: its heading levels are worked out once per
distinct styles part, and a file whose styles differ still gets its own levels."""

from __future__ import annotations

import docx
import pytest

from qcdesk.core.importers import docx_reader, parse_file

pytestmark = pytest.mark.core


def _headings(doc):
    return [(b.level, doc.text[b.start:b.end]) for b in doc.blocks if b.kind == "heading"]


def test_the_styles_part_is_read_once_per_template_and_each_file_keeps_its_own_levels(tmp_path, monkeypatch):
    built = []
    real = docx_reader._Styles.__init__

    def counting(self, root):
        built.append(root is not None)
        real(self, root)

    monkeypatch.setattr(docx_reader._Styles, "__init__", counting)
    monkeypatch.setattr(docx_reader, "_STYLES_SEEN", {}, raising=False)
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
    assert built == [True]
    odd = parse_file(other_path)
    assert built == [True, True]
    monkeypatch.setattr(docx_reader, "_STYLES_SEEN", {}, raising=False)
    assert _headings(parse_file(other_path)) == _headings(odd)  # the same as read without the cache
    assert _headings(odd)[0] == (1, "Interview 9")


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
