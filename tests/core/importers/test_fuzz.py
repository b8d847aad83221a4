"""Arbitrary bytes never raise anything but ImportFailed, and never hang."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcdesk.core.errors import ImportFailed
from qcdesk.core.importers import parse_file

pytestmark = pytest.mark.core

_SETTINGS = settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])

# bytes that look a little like each format, so the readers get past their first checks
_PREFIXES = {
    ".txt": [b"", b"Interviewer: ", b"\xef\xbb\xbf", b"\xff\xfe"],
    ".vtt": [b"WEBVTT\n\n", b"WEBVTT\n\n00:01.000 --> 00:02.000\n<v ", b""],
    ".srt": [b"1\n00:00:01,000 --> 00:00:02,000\n", b""],
    ".rtf": [b"{\\rtf1\\ansi ", b"{\\rtf1{\\fonttbl{\\f0\\fcharset204 ", b"{\\rtf1\\uc3\\u-10179"],
    ".md": [b"# ", b"**A:** ", b""],
}


def check(tmp_path, suffix: str, data: bytes) -> None:
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        doc = parse_file(path)
    except ImportFailed as exc:
        assert exc.reason
        return
    doc.validate()
    assert doc.text == doc.text.strip()
    for turn in doc.turns:
        assert doc.text[turn.start:turn.end].startswith(turn.speaker + ":")


@pytest.mark.parametrize("suffix", sorted(_PREFIXES))
@_SETTINGS
@given(data=st.data())
def test_random_bytes(tmp_path, suffix, data):
    prefix = data.draw(st.sampled_from(_PREFIXES[suffix]))
    body = data.draw(st.binary(max_size=400))
    check(tmp_path, suffix, prefix + body)


_TOKENS = list("ab :[]<>{}\\/-0123456789.,\n\r\t'*_#|&;é😀ש") + [
    "-->", "\\par ", "\\'e9", "\\u-10179?", "<v S1>", "</v>", "00:00:01.000", "**", "Name: ", "\n\n"]
_TEXTISH = st.lists(st.sampled_from(_TOKENS), max_size=80).map("".join)


@pytest.mark.parametrize("suffix", sorted(_PREFIXES))
@_SETTINGS
@given(data=st.data())
def test_random_format_like_text(tmp_path, suffix, data):
    prefix = data.draw(st.sampled_from(_PREFIXES[suffix]))
    check(tmp_path, suffix, prefix + data.draw(_TEXTISH).encode("utf-8"))
