"""Hostile or unusual input (issue 13): BOM-less UTF-16, special files, absurd subtitle times,
zip bombs, and file names with control characters."""

from __future__ import annotations

import codecs

import pytest

from qcdesk.core.errors import ImportFailed
from qcdesk.core.importers import parse_file

pytestmark = pytest.mark.core


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
