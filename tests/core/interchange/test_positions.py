"""Mapping selection positions of every counting scheme onto the stored "\\n" text, and detecting the scheme."""

from __future__ import annotations

import pytest

from qcdesk.core.interchange.positions import (CODE_POINTS, CODE_POINTS_CRLF, UTF16, UTF16_CRLF,
                                               PositionMap, Selection, detect_scheme, score)

pytestmark = pytest.mark.core

RAW = "\ufeffFirst line 😀 here\r\nSecond 👍🏽 line\r\n\r\nThird line with café\r\n"


def _u16(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def _positions(scheme: str, words: str) -> tuple[int, int]:
    raw = RAW[1:]
    norm = raw.replace("\r\n", "\n")
    base = raw if scheme in (CODE_POINTS_CRLF, UTF16_CRLF) else norm
    if base is norm:
        words = words.replace("\r\n", "\n")
    s = base.index(words)
    e = s + len(words)
    if scheme in (UTF16, UTF16_CRLF):
        return _u16(base, s), _u16(base, e)
    return s, e


@pytest.mark.parametrize("scheme", [CODE_POINTS, CODE_POINTS_CRLF, UTF16, UTF16_CRLF])
@pytest.mark.parametrize("words", ["First", "here", "Second 👍🏽 line", "line with café", "😀 here\r\nSecond"])
def test_each_scheme_maps_onto_the_normalised_text(scheme, words):
    pm = PositionMap(RAW)
    assert pm.text == "First line 😀 here\nSecond 👍🏽 line\n\nThird line with café\n"
    start, end = _positions(scheme, words)
    s, e = pm.map(scheme, start, end)
    assert pm.text[s:e] == words.replace("\r\n", "\n")


def test_out_of_range_and_reversed_ranges_are_refused():
    pm = PositionMap(RAW)
    assert pm.map(CODE_POINTS, 0, len(pm.text) + 1) is None
    assert pm.map(UTF16_CRLF, 0, pm.raw_u16_length + 1) is None
    assert pm.map(CODE_POINTS, 5, 2) is None
    assert pm.map(CODE_POINTS, -1, 2) is None


def test_positions_inside_a_pair_round_outwards_to_whole_characters():
    pm = PositionMap("a😀b\r\nc")
    # UTF-16: a=0, 😀=1-2, b=3, \r=4, \n=5, c=6; a start inside the surrogate pair keeps the emoji
    assert pm.map(UTF16_CRLF, 2, 3) == (1, 2)
    # a start between \r and \n moves past the line end; an end there stops before it
    assert pm.map(CODE_POINTS_CRLF, 0, 4) == (0, 3)
    assert pm.map(CODE_POINTS_CRLF, 4, 6) == (4, 5)
    assert pm.text[4:5] == "c"
    assert pm.splits_unit(UTF16_CRLF, 2, 3) and not pm.splits_unit(UTF16_CRLF, 1, 3)


def test_score_prefers_word_boundaries_and_matching_names():
    text = "The registrar was kind."
    assert score(text, 4, 13) == 2
    assert score(text, 5, 13) == 1
    assert score(text, 4, 13, name="registrar") == 5


def _selections(pm: PositionMap, scheme: str, phrases: list[str]) -> list[Selection]:
    out = []
    for words in phrases:
        base = pm.raw if scheme in (UTF16_CRLF, CODE_POINTS_CRLF) else pm.text
        s = base.index(words)
        e = s + len(words)
        if scheme in (UTF16, UTF16_CRLF):
            s, e = _u16(base, s), _u16(base, e)
        out.append(Selection(s, e))
    return out


@pytest.mark.parametrize("scheme", [CODE_POINTS, UTF16_CRLF])
def test_detection_finds_the_scheme_the_exporter_used(scheme):
    lines = [f"Participant {i}: 🙂 I felt {'very ' * (i % 3)}tired after shift {i}." for i in range(40)]
    pm = PositionMap("\r\n".join(lines))
    phrases = [f"tired after shift {i}." for i in range(0, 40, 3)] + [f"Participant {i}" for i in range(5, 40, 7)]
    assert detect_scheme([(pm, _selections(pm, scheme, phrases))]) == scheme


def test_unambiguous_text_keeps_the_standard():
    pm = PositionMap("plain ascii\nonly")
    assert not pm.ambiguous
    assert detect_scheme([(pm, [Selection(0, 5)])]) == CODE_POINTS
