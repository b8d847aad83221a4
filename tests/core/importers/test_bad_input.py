"""Files that cannot be imported end as ImportFailed with a reason a researcher understands."""

from __future__ import annotations

import io
import os
import zipfile

import docx
import pytest

from qcdesk.core.errors import ImportFailed
from qcdesk.core.importers import SUPPORTED_SUFFIXES, parse_file, safety

pytestmark = pytest.mark.core


def reason(path) -> str:
    with pytest.raises(ImportFailed) as info:
        parse_file(path)
    assert info.value.path == str(path)
    return info.value.reason


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".markdown", ".docx", ".odt", ".rtf", ".pdf", ".vtt", ".srt")


@pytest.mark.parametrize("suffix", [".txt", ".md", ".vtt", ".srt", ".rtf", ".docx", ".odt", ".pdf"])
def test_empty_file(write, suffix):
    assert reason(write("empty" + suffix, b"")) == "the file is empty"


def test_whitespace_only_is_empty(write):
    assert reason(write("blank.txt", "\ufeff \r\n\t\n")) == "the file is empty"


def test_missing_file_and_folder(tmp_path):
    assert "does not exist" in reason(tmp_path / "gone.txt")
    (tmp_path / "dir.txt").mkdir()
    assert reason(tmp_path / "dir.txt") == "this is a folder, not a file"


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="permissions are not enforced here")
def test_unreadable_file(write):
    path = write("locked.txt", "secret")
    path.chmod(0)
    try:
        assert reason(path) == "the file cannot be read: permission denied"
    finally:
        path.chmod(0o600)


def test_unknown_suffix_names_the_supported_ones(write):
    text = reason(write("data.xlsx", b"PK\x03\x04"))
    assert text.startswith("“.xlsx” files are not supported; qcdesk reads .txt, .md")
    assert ".docx" in text and ".srt" in text
    assert "files without an extension" in reason(write("README", "x"))


def test_binary_renamed_txt(write):
    data = bytes(range(256)) * 40
    assert "binary data" in reason(write("image.txt", data))
    assert "binary data" in reason(write("image.srt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 50))


def test_known_formats_renamed(write):
    assert "is a PDF" in reason(write("paper.txt", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj"))
    d = docx.Document()
    d.add_paragraph("x")
    buf = io.BytesIO()
    d.save(buf)
    assert "zip archive" in reason(write("doc.txt", buf.getvalue()))


@pytest.mark.parametrize("suffix, what", [(".docx", "Word document"), (".odt", "OpenDocument")])
def test_corrupt_zip(write, suffix, what):
    text = reason(write("broken" + suffix, b"PK\x03\x04" + b"garbage" * 50))
    assert "damaged" in text and what in text
    d = docx.Document()
    d.add_paragraph("x")
    buf = io.BytesIO()
    d.save(buf)
    truncated = buf.getvalue()[: len(buf.getvalue()) // 2]
    assert "damaged" in reason(write("half" + suffix, truncated))


def test_zip_without_document_part(write):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    assert "no document body" in reason(write("x.docx", buf.getvalue()))
    assert "no content.xml" in reason(write("x.odt", buf.getvalue()))


def _bomb(member: str, size: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open(member, "w") as fh:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                fh.write(chunk)
    return buf.getvalue()


@pytest.mark.parametrize("suffix, member", [(".docx", "word/document.xml"), (".odt", "content.xml")])
def test_zip_bomb_by_ratio(write, suffix, member):
    data = _bomb(member, 20 * 1024 * 1024)
    assert len(data) < 100_000
    assert "zip bomb" in reason(write("bomb" + suffix, data))


def test_zip_bomb_by_declared_size(write, monkeypatch):
    monkeypatch.setattr(safety, "MAX_UNCOMPRESSED_BYTES", 2 * 1024 * 1024)
    monkeypatch.setattr(safety, "MAX_COMPRESSION_RATIO", 10**9)
    data = _bomb("content.xml", 3 * 1024 * 1024)
    assert "zip bomb" in reason(write("big.odt", data))


def test_xml_entity_declarations_are_refused(write):
    content = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
               b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">'
               b'<office:body><office:text>&b;</office:text></office:body></office:document-content>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("content.xml", content)
    assert "entity declarations" in reason(write("ent.odt", buf.getvalue()))


def test_file_over_the_size_limit(write, monkeypatch):
    from qcdesk.core.importers import dispatch

    monkeypatch.setitem(dispatch.READERS, ".txt", ("text:read_txt", 1000))
    text = reason(write("huge.txt", "word " * 300))
    assert text.startswith("the file is too large")
    assert safety.MAX_TEXT_BYTES == 100 * 1024 * 1024


def test_scanned_pdf_without_text_layer(write):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    assert reason(write("scan.pdf", buf.getvalue())) == (
        "this PDF has no text layer (it may be a scan); run OCR first")


def test_encrypted_pdf(write):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    assert "password-protected" in reason(write("locked.pdf", buf.getvalue()))


def test_damaged_pdf(write):
    text = reason(write("bad.pdf", b"%PDF-1.4\n" + b"\x00garbage" * 100))
    assert text  # any plain reason; never another exception type
    assert "not a PDF" in reason(write("fake.pdf", b"hello world, not a pdf"))


def test_vtt_and_srt_without_cues(write):
    assert "no cues" in reason(write("x.srt", "just some words\nand more"))
    assert "not a WebVTT file" in reason(write("x.vtt", "just some words"))
    assert "no cues" in reason(write("y.vtt", "WEBVTT\n\nNOTE only a note\n"))


def test_rtf_nested_too_deeply(write):
    assert "nested too deeply" in reason(write("deep.rtf", b"{\\rtf1 " + b"{" * 5000 + b"x"))


def test_long_hard_wrapped_text_reads_as_one_paragraph(write):
    # its speed is measured in benchmarks/hostile_input.py ("txt hard-wrapped lines"), not here
    path = write("long.txt", "a short wrapped line of some text\n" * 100_000 + "\nend\n")
    doc = parse_file(path)
    assert len(doc.blocks) == 2
