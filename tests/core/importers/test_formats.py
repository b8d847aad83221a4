"""Generated .docx, .odt, .rtf, .vtt, .srt and .md files: structure and text."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from qcdesk.core.importers import parse_file

pytestmark = pytest.mark.core


def texts(doc):
    doc.validate()
    return [(b.kind, doc.text[b.start:b.end], b.level) for b in doc.blocks]


def turns(doc):
    return [(t.speaker, doc.text[t.start:t.end], t.time_start, t.time_end) for t in doc.turns]


# -- docx ------------------------------------------------------------------------------------------

def test_docx_body_order_heading_and_table(tmp_path):
    d = docx.Document()
    d.add_heading("Interview 3", level=1)
    d.add_paragraph("Before the table.")
    table = d.add_table(rows=2, cols=3)
    for r, row in enumerate([("Code", "Count", "Note"), ("Burnout", "12", "night shifts")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_heading("Findings", level=2)
    p = d.add_paragraph("After ")
    p.add_run("the").bold = True
    p.add_run(" table.")
    d.add_paragraph("")
    path = tmp_path / "t.docx"
    d.save(path)
    doc = parse_file(path)
    assert doc.source_format == "docx"
    assert texts(doc) == [
        ("heading", "Interview 3", 1),
        ("paragraph", "Before the table.", 0),
        ("table_row", "Code | Count | Note", 0),
        ("table_row", "Burnout | 12 | night shifts", 0),
        ("heading", "Findings", 2),
        ("paragraph", "After the table.", 0),
    ]
    assert doc.text == ("Interview 3\n\nBefore the table.\n\nCode | Count | Note\nBurnout | 12 | night shifts"
                        "\n\nFindings\n\nAfter the table.")
    assert doc.notices == []


def test_docx_otter_headers_and_name_turns(tmp_path):
    d = docx.Document()
    d.add_paragraph("Ward study – interview 7")
    for name, time, said in [("Speaker 1", "0:00", "Thanks for joining."), ("Kofi Mensah", "0:04", "Happy to."),
                             ("Speaker 1", "1:15", "What changed after COVID?")]:
        d.add_paragraph(f"{name}  {time}")
        d.add_paragraph(said)
    path = tmp_path / "otter.docx"
    d.save(path)
    doc = parse_file(path)
    assert turns(doc) == [
        ("Speaker 1", "Speaker 1: Thanks for joining.", 0.0, None),
        ("Kofi Mensah", "Kofi Mensah: Happy to.", 4.0, None),
        ("Speaker 1", "Speaker 1: What changed after COVID?", 75.0, None),
    ]
    assert doc.text.startswith("Ward study – interview 7\n\nSpeaker 1: Thanks")

    d = docx.Document()
    for name, said in [("Interviewer", "Hello."), ("Midwife", "Hi."), ("Interviewer", "Shall we start?")]:
        d.add_paragraph(f"{name}: {said}")
    path = tmp_path / "named.docx"
    d.save(path)
    assert [t[1] for t in turns(parse_file(path))] == ["Interviewer: Hello.", "Midwife: Hi.",
                                                        "Interviewer: Shall we start?"]


def test_docx_comments_and_footnotes_are_left_out_with_a_notice(tmp_path):
    d = docx.Document()
    p = d.add_paragraph("Body text.")
    d.add_comment(p.runs, text="check this", author="A")
    src = tmp_path / "c.docx"
    d.save(src)
    footnotes = (
        b'<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b'<w:footnote w:type="separator" w:id="-1"/><w:footnote w:type="continuationSeparator" w:id="0"/>'
        b'<w:footnote w:id="1"><w:p><w:r><w:t>one</w:t></w:r></w:p></w:footnote>'
        b'<w:footnote w:id="2"><w:p><w:r><w:t>two</w:t></w:r></w:p></w:footnote></w:footnotes>')
    out = tmp_path / "cf.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        zout.writestr("word/footnotes.xml", footnotes)
    doc = parse_file(out)
    assert doc.text == "Body text."
    assert doc.notices == ["2 footnotes and 1 comment were not imported"]


def test_encrypted_office_file_gets_a_clear_message(write):
    from qcdesk.core.errors import ImportFailed

    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500 + "EncryptionInfo".encode("utf-16-le") + b"\0" * 100
    with pytest.raises(ImportFailed, match="password-protected"):
        parse_file(write("secret.docx", data))
    with pytest.raises(ImportFailed, match="old-style Office file"):
        parse_file(write("old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600))


# -- odt -------------------------------------------------------------------------------------------

def make_odt(body: str) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.3">'
        f'<office:body><office:text>{body}</office:text></office:body></office:document-content>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def test_odt_structure(write):
    body = (
        '<text:h text:outline-level="2">Focus  group</text:h>'
        '<text:p>Two<text:s text:c="3"/>spaces<text:tab/>tab<text:line-break/>next line '
        'with   collapsed\n  white space<text:note><text:note-body><text:p>a footnote</text:p>'
        '</text:note-body></text:note>.</text:p>'
        '<text:list><text:list-item><text:p>first item</text:p></text:list-item>'
        '<text:list-item><text:p>second <text:span>item</text:span></text:p></text:list-item></text:list>'
        '<table:table><table:table-row><table:table-cell><text:p>A1</text:p></table:table-cell>'
        '<table:table-cell><text:p>B1</text:p><text:p>more</text:p></table:table-cell></table:table-row>'
        '<table:table-row><table:table-cell><text:p>A2</text:p></table:table-cell>'
        '<table:table-cell><text:p>B2</text:p></table:table-cell></table:table-row></table:table>'
        '<office:annotation><text:p>a comment</text:p></office:annotation>'
        '<text:section><text:p>In a section.</text:p></text:section>')
    doc = parse_file(write("s.odt", make_odt(body)))
    assert texts(doc) == [
        ("heading", "Focus group", 2),
        ("paragraph", "Two   spaces\ttab\nnext line with collapsed white space.", 0),
        ("paragraph", "first item", 0),
        ("paragraph", "second item", 0),
        ("table_row", "A1 | B1 more", 0),
        ("table_row", "A2 | B2", 0),
        ("paragraph", "In a section.", 0),
    ]
    assert doc.notices == ["1 footnote and 1 comment were not imported"]


def test_odt_transcript(write):
    body = "".join(f"<text:p>{s}: {t}</text:p>" for s, t in
                   [("Interviewer", "Welcome."), ("GP", "Thank you."), ("Interviewer", "Let us start.")])
    doc = parse_file(write("t.odt", make_odt(body)))
    assert [t[0] for t in turns(doc)] == ["Interviewer", "GP", "Interviewer"]


# -- rtf -------------------------------------------------------------------------------------------

RTF = (
    rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0\froman Times;}{\f1\fswiss\fcharset204 Arial;}}"
    rb"{\colortbl;\red255\green0\blue0;}{\stylesheet{\s1 heading 1;}}{\info{\title Secret}{\author X}}"
    rb"{\*\generator Writer;}"
    rb"\pard\outlinelevel0\b Interview notes\b0\par"
    rb"\pard Caf\'e9 au lait, na\u239?ve, \u-10179?\u-8704?, {\f1 \'cf\'f0\'e8\'e2\'e5\'f2}, "
    + "raw ünïcödé 😀".encode() +
    rb"\par\pard Tab\tab here\line new line{\footnote\pard footnote text}\par"
    rb"{\pict\pngblip 89504e470d0a}"
    rb"\trowd\cellx1000\cellx2000\pard\intbl A1\cell B1\cell\row"
    rb"\trowd\cellx1000\cellx2000\pard\intbl A2\cell B2\cell\row"
    rb"\pard \{braces\} and back\\slash\par}"
)


def test_rtf_conversion(write):
    doc = parse_file(write("n.rtf", RTF))
    assert doc.source_format == "rtf"
    assert texts(doc) == [
        ("heading", "Interview notes", 1),
        ("paragraph", "Café au lait, naïve, 😀, Привет, raw ünïcödé 😀", 0),
        ("paragraph", "Tab\there\nnew line", 0),
        ("table_row", "A1 | B1", 0),
        ("table_row", "A2 | B2", 0),
        ("paragraph", "{braces} and back\\slash", 0),
    ]
    assert "Secret" not in doc.text and "Times" not in doc.text and "footnote text" not in doc.text
    assert doc.notices == ["1 footnote was not imported"]


def test_rtf_transcript_and_unicode_skip_count(write):
    body = (rb"{\rtf1\ansi\uc2 Interviewer: Gr\u252\'fc\'fc\u223\'3f\'3f!\par "
            rb"Nurse: \u1588\'3f\'3f\u1603\'3f\'3f\u1585\'3f\'3f\par Interviewer: ok\par}")
    doc = parse_file(write("t.rtf", body))
    assert turns(doc) == [("Interviewer", "Interviewer: Grüß!", None, None),
                          ("Nurse", "Nurse: شكر", None, None),
                          ("Interviewer", "Interviewer: ok", None, None)]


def test_not_rtf_is_refused(write):
    from qcdesk.core.errors import ImportFailed

    with pytest.raises(ImportFailed, match="not an RTF file"):
        parse_file(write("x.rtf", "just text"))


# -- subtitles -------------------------------------------------------------------------------------

def test_vtt_features(write):
    vtt = (
        "WEBVTT - Ward round\r\nKind: captions\r\n\r\n"
        "STYLE\r\n::cue { color: red }\r\n\r\n"
        "NOTE this is\r\na comment\r\n\r\n"
        "REGION\r\nid:fred width:40%\r\n\r\n"
        "intro\r\n00:01.000 --> 00:03.500 align:start\r\n<v.loud Dr Ng>Good <i>morning</i> &amp; welcome</v>\r\n\r\n"
        "00:00:03.500 --> 00:00:05.000\r\n<v Dr Ng>to the &lt;ward&gt;&nbsp;round.\r\n\r\n"
        "00:00:05.000 --> 00:00:05.000\r\n<v Sam><b>Thanks</b> <c.yellow>doctor</c>&lrm;.\r\n\r\n"
        "00:00:09.000 --> 00:00:07.000\r\n<v Dr Ng>Backwards cue.\r\n")
    doc = parse_file(write("w.vtt", vtt))
    assert texts(doc)[0] == ("heading", "Ward round", 1)
    assert turns(doc) == [
        ("Dr Ng", "Dr Ng: Good morning & welcome to the <ward> round.", 1.0, 5.0),
        ("Sam", "Sam: Thanks doctor\u200e.", 5.0, 5.0),
        ("Dr Ng", "Dr Ng: Backwards cue.", 9.0, 9.0),
    ]
    assert "color" not in doc.text and "comment" not in doc.text and "intro" not in doc.text


def test_vtt_voice_names_are_cleaned_like_the_text(write):
    long = "we talked about the placement and the ward for a long while " * 4
    vtt = (f"WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ma\x01ria\t  Silva>Hello, {long}\n\n"
           f"00:03.000 --> 00:04.000\n<v Tom>{long}\n\n00:05.000 --> 00:06.000\n<v \x01>Hi\n")
    doc = parse_file(write("c.vtt", vtt.encode("utf-8")))
    assert [t.speaker for t in doc.turns][:2] == ["Maria Silva", "Tom"]
    assert doc.text.startswith("Maria Silva: Hello")
    for turn in doc.turns:
        assert doc.text[turn.start:turn.end].startswith(turn.speaker + ":")


def test_vtt_without_speakers_groups_cues_at_pauses(write):
    vtt = ("WEBVTT\n\n00:00.000 --> 00:01.000\nHello\nthere.\n\n00:01.200 --> 00:02.000\nHow are you?\n\n"
           "00:10.000 --> 00:11.000\nLater.\n")
    doc = parse_file(write("n.vtt", vtt))
    assert doc.turns == []
    assert doc.text == "Hello there. How are you?\n\nLater."


def test_srt_names_continue_over_cues(write):
    srt = ("1\n00:00:01,000 --> 00:00:02,000\nInterviewer: How long\nhave you worked here?\n\n"
           "2\n00:00:02,000 --> 00:00:03,500\nin this unit?\n\n"
           "3\n00:00:04,000 --> 00:00:06,000\nCarer: Six years.\n\n"
           "4\n00:00:06,000 --> 00:00:07,000\nInterviewer: Thanks.\n")
    doc = parse_file(write("s.srt", srt))
    assert turns(doc) == [
        ("Interviewer", "Interviewer: How long have you worked here? in this unit?", 1.0, 3.5),
        ("Carer", "Carer: Six years.", 4.0, 6.0),
        ("Interviewer", "Interviewer: Thanks.", 6.0, 7.0),
    ]


# -- markdown --------------------------------------------------------------------------------------

def test_markdown_structure(write):
    md = ("---\ntitle: x\n---\n# Focus group 2\n\nSome *emphasis*, **bold**, snake_case_name, 2*3*4 and a "
          "[link](http://example.org) with `co*de*`.\nWrapped line.\n\n## Table\n\n| a | b |\n|---|---|\n"
          "| 1 | **2** |\n\n- item one\n- item two\n\n```\nkeep   *this*\n```\n")
    doc = parse_file(write("m.md", md))
    assert texts(doc) == [
        ("heading", "Focus group 2", 1),
        ("paragraph", "Some emphasis, bold, snake_case_name, 2*3*4 and a link with co*de*. Wrapped line.", 0),
        ("heading", "Table", 2),
        ("table_row", "a | b", 0),
        ("table_row", "1 | 2", 0),
        ("paragraph", "• item one", 0),
        ("paragraph", "• item two", 0),
        ("paragraph", "keep   *this*", 0),
    ]


def test_markdown_bold_name_turns(write):
    md = ("# Episode 12\n\n**Host:** Welcome \\[laughs\\].\n\n**Guest:** \\[00:01:05\\] Thanks.\n\n"
          "More from the guest.\n\n**Host:** Great.\n")
    doc = parse_file(write("e.md", md))
    assert turns(doc) == [
        ("Host", "Host: Welcome [laughs].", None, None),
        ("Guest", "Guest: Thanks.\n\nMore from the guest.", 65.0, None),
        ("Host", "Host: Great.", None, None),
    ]
