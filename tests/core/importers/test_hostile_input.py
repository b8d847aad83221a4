"""Hostile or unusual input (issue 13): BOM-less UTF-16, special files, absurd subtitle times,
zip bombs, and file names with control characters."""

from __future__ import annotations

import codecs
import os
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from fifo_guard import without_hanging

from qcdesk.core.errors import ImportFailed
from qcdesk.core.importers import parse_file, safety
from builders import empty_project

pytestmark = pytest.mark.core

REPO = Path(__file__).resolve().parents[3]


def reason(path) -> str:
    with pytest.raises(ImportFailed) as info:
        parse_file(path)
    return info.value.reason


# -- UTF-16 with and without a byte-order mark --------------------------------------------------

_TEXTS = {
    "latin": "Interviewer: Grüße, how was it?\nNurse: Fine 😀, really.\nInterviewer: ok\n",
    "hebrew": "Interviewer: שלום, מה שלומך היום?\nNurse: טוב מאוד, תודה רבה.\nInterviewer: ok\n",
    "japanese": "Interviewer: 今日は一日どうでしたか。\nNurse: 一番大変でした、本当に。\nInterviewer: ok\n",
}
_BOM = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}


@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
@pytest.mark.parametrize("codec", sorted(_BOM))
@pytest.mark.parametrize("script", sorted(_TEXTS))
def test_utf16_text_in_both_byte_orders(write, codec, bom, script):
    data = (_BOM[codec] if bom else b"") + _TEXTS[script].replace("\n", "\r\n").encode(codec)
    doc = parse_file(write("u16.txt", data))
    assert doc.text == _TEXTS[script].strip().replace("\n", "\n\n")
    assert [t.speaker for t in doc.turns] == ["Interviewer", "Nurse", "Interviewer"]
    if not bom:
        assert doc.notices == [f"Read as UTF-16 {codec[-2:].upper()} (the file has no byte-order mark)"]


@pytest.mark.parametrize("codec", sorted(_BOM))
@pytest.mark.parametrize("suffix, content", [
    (".vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna>Grüße, hello\n"),
    (".srt", "1\n00:00:01,000 --> 00:00:02,000\nAnna: Grüße, hello\n"),
    (".md", "# Interview\n\n**Anna:** Grüße, hello\n"),
])
def test_bomless_utf16_in_other_text_formats(write, codec, suffix, content):
    doc = parse_file(write("u16" + suffix, content.encode(codec)))
    assert "Grüße, hello" in doc.text
    assert any("UTF-16" in n for n in doc.notices)


def test_binary_with_nul_bytes_is_still_refused(write):
    import random

    rnd = random.Random(4)
    blob = bytes(rnd.randrange(256) for _ in range(4000))
    assert "binary data" in reason(write("blob.txt", blob))
    # alternating NULs, but the other bytes are control codes: not text in any encoding
    assert "not a text file" in reason(write("ctl.txt", bytes([1, 0, 2, 0, 3, 0, 4, 0] * 200)))


# -- special files: a FIFO, a device, a socket, a folder ----------------------------------------

FIFO_REASON = "this is a named pipe (FIFO), not an ordinary file; only ordinary files can be imported"




def test_fifo_is_refused_without_opening_it(tmp_path):
    fifo = tmp_path / "interview.txt"
    os.mkfifo(fifo)
    result = without_hanging(lambda: parse_file(fifo), fifo)
    assert isinstance(result, ImportFailed)
    assert result.reason == FIFO_REASON


def test_fifo_in_a_list_of_files_does_not_stop_the_others(tmp_path):
    from qcdesk.core.importing import import_files

    fifo = tmp_path / "pipe.vtt"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_text("Anna: hello\nBen: hi\nAnna: bye\n", encoding="utf-8")
    def run():  # the project is used in the thread that opens it
        with empty_project(tmp_path / "p.qcdesk") as project:
            return import_files(project, [fifo, good])

    report = without_hanging(run, fifo)
    assert [d.name for d in report.imported] == ["good"]
    assert report.failed == [("pipe.vtt", "this is a named pipe (FIFO), not an ordinary file; "
                                              "only ordinary files can be imported")]


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
def test_device_is_refused(tmp_path, device):
    if not os.path.exists(device):
        pytest.skip(f"{device} is missing")
    link = tmp_path / "notes.md"
    link.symlink_to(device)
    assert reason(link) == "this is a device, not an ordinary file; only ordinary files can be imported"


def test_socket_is_refused(tmp_path):
    path = tmp_path / "s.srt"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        assert reason(path) == "this is a socket, not an ordinary file; only ordinary files can be imported"
    finally:
        server.close()


def test_folder_named_like_a_document_is_refused(tmp_path):
    (tmp_path / "folder.docx").mkdir()
    assert reason(tmp_path / "folder.docx") == "this is a folder, not a file"


def test_qdpx_fifo_is_refused(tmp_path):
    from qcdesk.core.interchange.package import Package

    fifo = tmp_path / "project.qdpx"
    os.mkfifo(fifo)
    result = without_hanging(lambda: Package(fifo), fifo)
    assert isinstance(result, ImportFailed)
    assert result.reason == FIFO_REASON


def test_cli_import_of_a_fifo_exits_1_with_one_line(tmp_path):
    fifo = tmp_path / "interview.txt"
    os.mkfifo(fifo)
    project = tmp_path / "study.qcdesk"
    try:
        run = subprocess.run([sys.executable, "-m", "qcdesk", "import", "--create", str(project), str(fifo)],
                             capture_output=True, text=True, timeout=120, cwd=REPO)
    except subprocess.TimeoutExpired:  # the child was killed, so nothing waits on the FIFO any more
        pytest.fail("qcdesk-cli import hung on a FIFO")
    assert run.returncode == 1
    assert run.stderr.strip().splitlines() == [f"error: interview.txt: {FIFO_REASON}"]


# -- subtitle cues with a time that cannot be right ---------------------------------------------

_BAD_TIMES = ["99999999:00:00.000", "9" * 400 + ":00:00.000", "00:0x:00.000", "00:99:99.000", "1:2:3:4.000",
              "00:00:00.0000000000000000001"]


@pytest.mark.parametrize("bad", _BAD_TIMES)
@pytest.mark.parametrize("suffix", [".vtt", ".srt"])
def test_one_bad_cue_time_keeps_the_text_and_warns(write, suffix, bad):
    sep = "." if suffix == ".vtt" else ","
    bad = bad.replace(".", sep)
    cues = [("00:00:01.000", "00:00:02.000", "Anna: one"), (bad, "00:00:05.000", "Ben: two"),
            ("00:00:03.000", "00:00:04.000", "Anna: three")]
    body = "\n\n".join(f"{i + 1}\n{a.replace('.', sep)} --> {b.replace('.', sep)}\n{t}"
                         for i, (a, b, t) in enumerate(cues))
    doc = parse_file(write("bad" + suffix, ("WEBVTT\n\n" if suffix == ".vtt" else "") + body + "\n"))
    assert doc.text == "Anna: one\n\nBen: two\n\nAnna: three"
    assert [(t.speaker, t.time_start, t.time_end) for t in doc.turns] == [
        ("Anna", 1.0, 2.0), ("Ben", None, None), ("Anna", 3.0, 4.0)]
    (notice,) = doc.notices
    assert notice.startswith("1 cue had a time that cannot be right (") and "cue 2" in notice
    assert notice.endswith("its text was kept without that time")


def test_bad_end_time_keeps_the_start(write):
    doc = parse_file(write("end.vtt", "WEBVTT\n\n00:01.000 --> 99999999:00:00.000\n<v Anna>one\n\n"
                                      "00:03.000 --> 00:04.000\n<v Ben>two\n\n00:05.000 --> 00:x6.000\nmore\n"))
    assert doc.text == "Anna: one\n\nBen: two more"
    assert [(t.speaker, t.time_start, t.time_end) for t in doc.turns] == [("Anna", 1.0, 1.0), ("Ben", 3.0, 5.0)]
    assert doc.notices[0].startswith("2 cues had a time that cannot be right (")


def test_bad_times_in_a_project_import_are_a_notice_not_a_failure(tmp_path):
    from qcdesk.core.importing import import_files

    path = tmp_path / "talk.srt"
    path.write_text("1\n00:00:01,000 --> 00:00:02,000\nAnna: one\n\n"
                    "2\n99999999:00:00,000 --> 99999999:00:01,000\nBen: two\n", encoding="utf-8")
    with empty_project(tmp_path / "p.qcdesk") as project:
        report = import_files(project, [path])
        assert report.failed == [] and len(report.imported) == 1
        assert len(report.notices) == 1 and report.notices[0].startswith("talk.srt: 1 cue had a time")
        assert "Ben: two" in project.document_text(report.imported[0].id)


# -- zip bombs: members refused by their declared size and compression ratio before reading ------

def _xml_chunk(seed: int = 5) -> bytes:
    """256 KB of Word-like runs of random words: compresses about as well as real documents."""
    import random

    rnd = random.Random(seed)
    words = ["interview", "mentor", "family", "school", "said", "the", "and", "really", "work", "because"]
    run = '<w:r><w:rPr><w:b/><w:lang w:val="en-GB"/></w:rPr><w:t xml:space="preserve">{} </w:t></w:r>'
    out = []
    while sum(map(len, out)) < 256 * 1024:
        out.append("<w:p>" + "".join(run.format(rnd.choice(words)) for _ in range(30)) + "</w:p>")
    return "".join(out).encode()


def _zip_with_big_member(path, member: str, head: bytes, tail: bytes, megabytes: int, extra: dict) -> None:
    """A zip whose ``member`` expands to ``megabytes`` MB, written without holding it in memory."""
    chunk = _xml_chunk()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, data in extra.items():
            z.writestr(name, data)
        with z.open(member, "w", force_zip64=True) as fh:
            fh.write(head)
            for _ in range(megabytes * 4):
                fh.write(chunk)
            fh.write(tail)


_W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


@pytest.fixture(scope="module")
def big_docx(tmp_path_factory):
    """A 2 MB .docx whose document.xml expands to 100 MB at an ordinary compression ratio."""
    import io

    buf = io.BytesIO()
    docx.Document().save(buf)
    blank = zipfile.ZipFile(buf)
    parts = {n: blank.read(n) for n in blank.namelist() if n != "word/document.xml"}
    path = tmp_path_factory.mktemp("bomb") / "huge.docx"
    _zip_with_big_member(path, "word/document.xml", b'<?xml version="1.0"?><w:document ' + _W + b"><w:body>",
                         b"</w:body></w:document>", 100, parts)
    return path


def test_docx_expanding_to_100_mb_of_xml_is_refused_before_reading(big_docx):
    info = zipfile.ZipFile(big_docx).getinfo("word/document.xml")
    assert big_docx.stat().st_size < 20 * 1024 * 1024
    assert info.file_size < safety.MAX_UNCOMPRESSED_BYTES  # not caught by the total size
    assert info.file_size < safety.MAX_COMPRESSION_RATIO * info.compress_size  # nor by the ratio
    text = reason(big_docx)
    megabytes = round(sum(i.file_size for i in zipfile.ZipFile(big_docx).infolist()) / 1024 / 1024)
    assert text == (f"the file would expand to {megabytes} MB of XML when unpacked (the limit is "
                    f"{safety.MAX_XML_BYTES // (1024 * 1024)} MB); it may be a zip bomb, or a document too "
                    "large to read safely")


def test_odt_expanding_to_100_mb_of_xml_is_refused(tmp_path):
    path = tmp_path / "huge.odt"
    _zip_with_big_member(path, "content.xml", b'<?xml version="1.0"?><office:document-content>',
                         b"</office:document-content>", 100,
                         {"mimetype": b"application/vnd.oasis.opendocument.text"})
    assert "MB of XML when unpacked" in reason(path)


def test_qdpx_expanding_to_100_mb_of_xml_is_refused(tmp_path):
    from qcdesk.core.interchange.package import Package

    path = tmp_path / "huge.qdpx"
    _zip_with_big_member(path, "project.qde", b'<?xml version="1.0"?><Project>', b"</Project>", 100, {})
    with pytest.raises(ImportFailed) as info:
        Package(path)
    assert "MB of XML when unpacked" in info.value.reason


def test_qdpx_highly_compressible_source_is_refused_before_reading(tmp_path):
    from qcdesk.core.interchange.package import Package

    path = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", b"<Project/>")
        with z.open("sources/a.txt", "w") as fh:
            for _ in range(20):
                fh.write(b"a" * (1024 * 1024))
        z.writestr("sources/video.mp4", b"\x00" * 1000)
    assert path.stat().st_size < 200_000
    package = Package(path)  # a package may hold media that is never read: opening it reads nothing
    try:
        with pytest.raises(ImportFailed) as info:
            package.read(package.find_source("a.txt"))
        assert "zip bomb" in info.value.reason
    finally:
        package.close()


# -- file names with control characters and bidi overrides ---------------------------------------

_NASTY = "\x1b[31mP03\u202eevil\tname\x07"
_FORBIDDEN = set(map(chr, [*range(32), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]))


def _clean(text: str) -> bool:
    return not (set(text) & _FORBIDDEN)


def test_shown_name_removes_controls_and_overrides_but_keeps_rtl_marks():
    from qcdesk.core.safe_names import shown_name

    assert shown_name(_NASTY) == "[31mP03evil name"
    assert shown_name("שלום\u200f 01") == "שלום\u200f 01"


def test_document_name_and_report_are_clean(tmp_path):
    from qcdesk.core.importing import import_files

    good = tmp_path / f"{_NASTY}.vtt"
    good.write_text("WEBVTT\n\n00:01.000 --> 00:02.000\nhello\n\n00:0x.000 --> 9:99\nbye\n", encoding="utf-8")
    bad = tmp_path / f"{_NASTY}.txt"
    bad.write_bytes(b"")
    names: list[str] = []
    with empty_project(tmp_path / "p.qcdesk") as project:
        report = import_files(project, [good, bad], progress=lambda i, n, name: names.append(name))
        (doc,) = project.documents()
        assert doc.name == "[31mP03evil name" and doc.source_name == "[31mP03evil name.vtt"
    assert report.failed == [("[31mP03evil name.txt", "the file is empty")]
    assert report.notices and all(_clean(n) for n in report.notices)
    assert all(_clean(n) for n in names if n)
    with pytest.raises(ImportFailed) as info:
        parse_file(bad)
    assert info.value.path == str(bad)  # the program still has the real name
    assert _clean(str(info.value)) and "[31mP03evil name.txt" in str(info.value)


def test_cli_import_messages_are_clean(tmp_path, capsys):
    from qcdesk.cli import main

    good = tmp_path / f"{_NASTY}.txt"
    good.write_text("Anna: hello\nBen: hi\nAnna: bye\n", encoding="utf-8")
    bad = tmp_path / f"{_NASTY}.srt"
    bad.write_text("no cues here\n", encoding="utf-8")
    project = tmp_path / "study.qcdesk"
    assert main(["import", "--create", str(project), str(good), str(bad)]) == 1
    out, err = capsys.readouterr()
    assert "imported [31mP03evil name (" in out and _clean(out.replace("\n", ""))
    assert err.startswith("error: [31mP03evil name.srt: ") and _clean(err.rstrip("\n"))
