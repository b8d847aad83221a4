"""The cheap tests in front of the layout patterns change no answer: a header line is recognised
exactly when one of the patterns matches it, and a speaker label's validity is the same whether it
was asked before or not."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcdesk.core.importers import layouts
from qcdesk.core.importers.assemble import Unit

pytestmark = pytest.mark.core

pieces = st.sampled_from(["Anna", "Dr. Lee", "S01", "[Anna]", "(", ")", "[", "]", ":", " ", "  ", "|", "–", "-",
                          "00:13", "1:02:03.5", "10:15:01", "٣:٤٥", "-->", "0:00:07.456", "note", "x", ".", "\n",
                          "Ünïcödé", "مرحبا", "12"])
lines = st.lists(pieces, max_size=8).map("".join)


def patterns_only(index: int, units: list[Unit]):
    """:func:`layouts._header_match` as it was before its first- and last-character test."""
    text = units[index].text.strip()
    if "\n" in text or len(text) > 80:
        return None
    for pattern in layouts._HEADERS:
        m = pattern.match(text)
        if m:
            name = " ".join(m.group("name").split())
            if layouts.valid_name(name):
                raw = m.groupdict().get("time")
                return layouts._Match(index, name, layouts.parse_time(raw) if raw else None)
    arrow = layouts._ARROW.match(text)
    if arrow and index + 1 < len(units):
        nxt = layouts._NAME_ONLY.match(units[index + 1].text.strip())
        if nxt and layouts.valid_name(nxt.group("name")):
            return layouts._Match(index, " ".join(nxt.group("name").split()), layouts.parse_time(arrow.group("time")),
                                  end_time=layouts.parse_time(arrow.group("end")), consumes=1)
    return None


@given(lines, lines)
def test_header_lines_are_recognised_as_by_the_patterns_alone(line, following):
    units = [Unit(line), Unit(following)]
    assert layouts._header_match(0, units) == patterns_only(0, units)


def test_the_prefilter_lets_every_header_layout_through():
    for line in ("Anna  00:13", "Anna | 1:02", "[Anna] 10:15:01", "00:13 Anna", "(00:13) Anna", "Anna:",
                 "Anna (00:13)", "Anna ٣:٤٥"):
        assert layouts._header_match(0, [Unit(line)]) is not None, line
    assert layouts._header_match(0, [Unit("0:00:03.123 --> 0:00:07.456"), Unit("Anna")]).consumes == 1


@given(st.lists(st.sampled_from(["Anna", "note", "Dr. Lee", "and then he", "http://x", "A" * 41, "Note",
                                 "a b c d e f", "Ünïcödé"]), max_size=12))
def test_valid_name_answers_the_same_when_asked_again(names):
    layouts._VALID_NAMES.clear()
    first = [layouts.valid_name(n) for n in names]
    assert first == [layouts._valid_name(n) for n in names]
    assert [layouts.valid_name(n) for n in names] == first


def inline_patterns_only(index: int, unit: Unit):
    """:func:`layouts._inline_match` without its tests in front of the patterns: every inline
    pattern in its order, the first valid match deciding."""
    text = unit.text.strip()
    stamp = layouts.LEADING_F4.match(text)
    if stamp:
        text = text[stamp.end():]
    for pattern in layouts._INLINE:
        m = pattern.match(text)
        if not m:
            continue
        name = " ".join(m.group("name").split())
        rest = m.group("rest").strip()
        if not rest or not layouts.valid_name(name) or layouts._ONLY_TIME.match(rest):
            continue
        raw = m.groupdict().get("time")
        time = layouts.parse_time(raw) if raw else None
        if time is None and stamp:
            time = layouts.stamp_seconds(stamp.group("f4"))
        return layouts._Match(index, name, time, rest)
    return None


inline_pieces = st.sampled_from(["Anna", "Dr. Lee", "S01", "I", "[Anna]", "(", ")", "[", "]", ":", ": ", " ", "|",
                                 "–", "-", "00:13", "[00:13]", "(1:02:03.5)", "٣:٤٥", "#00:00:01-2#", "#01:02#",
                                 "note", "x", ".", "\n", "Ünïcödé", "مرحبا", "12", "said", "\t"])


@given(st.lists(inline_pieces, max_size=9).map("".join))
def test_inline_labels_are_recognised_as_by_the_patterns_alone(line):
    assert layouts._inline_match(3, Unit(line)) == inline_patterns_only(3, Unit(line))


def test_the_inline_prefilters_let_every_inline_layout_through():
    for line in ("Anna: so then", "S01: [00:00:12] so", "[00:01:02] Anna: so", "00:01:02 Anna: so",
                 "Anna [00:01]: so", "Anna (00:01): so", "[id1] so", "#00:00:01-2# I: so"):
        assert layouts._inline_match(0, Unit(line)) == inline_patterns_only(0, Unit(line)) is not None, line


def detect_one_by_one(units: list[Unit]):
    """:func:`layouts.detect` as it was before the inline patterns were tried as one: each paragraph
    through ``_inline_match`` and ``_header_match``."""
    inline, headers, skip_until = [], [], -1
    for i, u in enumerate(units):
        if u.kind != "paragraph":
            continue
        m = layouts._inline_match(i, u)
        if m:
            inline.append(m)
        if i <= skip_until or len(u.text) > 80 and len(u.text.strip()) > 80:
            continue
        m = layouts._header_match(i, units)
        if m:
            headers.append(m)
            skip_until = i + m.consumes
    candidates = []
    if inline and layouts._plausible(inline, any(m.time is not None for m in inline)):
        first = inline[0].index
        strays = layouts._starts(units, first) - sum(1 for m in inline if not units[m.index].soft)
        if len(inline) >= 0.5 * (len(inline) + strays):
            candidates.append(("inline", inline))
    if headers and layouts._plausible(headers, all(m.time is not None for m in headers)):
        first = headers[0].index
        taken: set[int] = set()
        for m in headers:
            taken.update(range(m.index, m.index + m.consumes + 2))
        strays = sum(1 for i in range(first, len(units)) if i not in taken and units[i].kind == "paragraph"
                     and not units[i].soft and units[i].text.strip())
        if strays <= 2 * len(headers):
            candidates.append(("header", headers))
    return max(candidates, key=lambda c: len(c[1])) if candidates else None


labels = st.sampled_from(["Anna: ", "Ben: ", "I: ", "[00:13] Anna: ", "Anna [00:13]: ", "00:13 Ben: ", "[Anna] ",
                          "#00:00:01-2# I: ", "Anna (1:02): ", "note: ", "Anna:", "Anna  00:13", "", " ", "(3:16) ",
                          # labels remembered by _inline_matches, and near misses of them
                          "Anna:\t", "Anna:\n", "Anna :  ", "Dr (10: ", "Dr (10:", "S01:  ", "Anna Lee: ",
                          "[Anna  Lee] ", "Anna  Lee: ", "[00:13] Ben: "])
texts = st.lists(inline_pieces, max_size=5).map("".join)
units_lists = st.lists(st.tuples(labels, texts, st.sampled_from(["paragraph", "paragraph", "heading"]),
                                 st.booleans()), max_size=14).map(
    lambda rows: [Unit(label + text, kind, soft=soft and kind == "paragraph") for label, text, kind, soft in rows])


@settings(max_examples=300)  # many: most documents drawn are too short to be a transcript
@given(units_lists)
def test_layouts_are_detected_as_paragraph_by_paragraph(units):
    assert layouts.detect(units) == detect_one_by_one(units)


@settings(max_examples=300)
@given(units_lists)
def test_inline_labels_are_found_as_paragraph_by_paragraph(units):
    indices = [i for i, u in enumerate(units) if u.kind == "paragraph"]
    texts = [units[i].text.strip() for i in indices]
    one_by_one = [m for i in indices if (m := layouts._inline_match(i, units[i]))]
    assert layouts._inline_matches(units, indices, texts) == one_by_one
