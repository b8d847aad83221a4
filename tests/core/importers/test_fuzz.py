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


# -- hostile input (issue 13): long lines, UTF-16 without a byte-order mark, absurd cue times ------

@pytest.mark.parametrize("suffix", sorted(_PREFIXES))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_one_long_line_of_format_like_text(tmp_path, suffix, data):
    """A line of some 20,000 characters repeating a random snippet (unclosed markup, tags,
    spaces): read or refused, never an error. test_long_lines.py checks the time grows linearly."""
    prefix = data.draw(st.sampled_from(_PREFIXES[suffix]))
    snippet = data.draw(st.lists(st.sampled_from(_TOKENS), min_size=1, max_size=6).map("".join))
    line = (snippet.replace("\n", " ").replace("\r", " ") or "a") * 20_000
    check(tmp_path, suffix, prefix + line[:20_000].encode("utf-8"))


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("suffix", [".txt", ".md", ".vtt", ".srt"])
@_SETTINGS
@given(data=st.data())
def test_format_like_text_in_utf16_without_bom(tmp_path, suffix, codec, data):
    """Read exactly as the same text in UTF-8 is (plus a notice), never taken for a binary file."""
    prefix = data.draw(st.sampled_from(_PREFIXES[suffix])).decode("utf-8", "ignore")
    text = prefix + data.draw(_TEXTISH) + " Interviewer: and so on.\n"
    results = []
    for name, encoded in (("u8", text.encode("utf-8")), ("u16", text.encode(codec))):
        path = tmp_path / f"{name}{suffix}"
        path.write_bytes(encoded)
        try:
            results.append(parse_file(path).text)
        except ImportFailed as exc:
            results.append(exc.reason)
    assert results[0] == results[1]


_TIME_CHARS = st.text(alphabet="0123456789:.,x-", min_size=1, max_size=30).filter(
    lambda t: any(c.isdigit() for c in t) and not t.startswith("-"))


@pytest.mark.parametrize("suffix", [".vtt", ".srt"])
@_SETTINGS
@given(times=st.lists(st.tuples(_TIME_CHARS, _TIME_CHARS), min_size=1, max_size=6))
def test_any_cue_times_keep_every_cue_text(tmp_path, suffix, times):
    blocks = [f"{i + 1}\n{a} --> {b}\nSpeaker{i % 2}: words{i}" for i, (a, b) in enumerate(times)]
    path = tmp_path / f"times{suffix}"
    path.write_text(("WEBVTT\n\n" if suffix == ".vtt" else "") + "\n\n".join(blocks) + "\n", encoding="utf-8")
    doc = parse_file(path)
    for i in range(len(times)):
        assert f"words{i}" in doc.text
    for turn in doc.turns:
        for t in (turn.time_start, turn.time_end):
            assert t is None or 0 <= t < 1000 * 3600
