"""New codes' colours stay distinct as the codebook grows; in-vivo names lose the punctuation
that ends or wraps the participant's phrase."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from qcdesk.core.code_names import (IN_VIVO_MAX, PALETTE, code_color, color_distance, in_vivo_name,
                                    next_code_color)
from qcdesk.core.importers.base import ParsedDocument
from builders import empty_project


def test_the_first_colours_are_the_palette_and_later_ones_never_repeat_it():
    assert [code_color(i) for i in range(len(PALETTE))] == list(PALETTE)
    colours = [code_color(i) for i in range(100)]
    assert len(set(colours)) == 100


def test_colours_stay_far_apart_as_the_codebook_grows():
    colours = [code_color(i) for i in range(60)]
    # the palette's own closest pair is about 64 apart; cycling it gave 0 from the 13th code on
    assert min(color_distance(a, b) for a, b in itertools.combinations(colours[:48], 2)) >= 40
    assert min(color_distance(a, b) for a, b in itertools.combinations(colours, 2)) >= 30


def test_colours_are_pale_enough_to_read_text_on():
    for colour in (code_color(i) for i in range(100)):
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        assert 0.2126 * r + 0.7152 * g + 0.0722 * b >= 100, colour


def test_a_new_code_takes_a_colour_no_code_has(tmp_path):
    with empty_project(tmp_path / "p.qcdesk") as project:
        codes = [project.codebook.add(f"Code {i}").value for i in range(40)]
        assert len({c.color for c in codes}) == 40
        project.codebook.delete(codes[3].id)
        again = project.codebook.add("Another").value
        assert again.color == codes[3].color  # the freed colour, not a repeat of a used one
        assert next_code_color(c.color for c in project.codes()) not in {c.color for c in project.codes()}


def test_in_vivo_names_lose_end_punctuation_and_wrapping_quotes():
    assert in_vivo_name("I felt I belonged.") == "I felt I belonged"
    assert in_vivo_name("  “it was random,  at first…”  ") == "it was random, at first"
    assert in_vivo_name("'nobody asked me!'") == "nobody asked me"
    assert in_vivo_name("a 100%") == "a 100%"
    assert in_vivo_name("...") == "..."  # only punctuation: kept as it is rather than an empty name


@given(st.text(min_size=1, max_size=120))
def test_in_vivo_names_are_short_trimmed_and_never_empty_for_real_words(words):
    name = in_vivo_name(words)
    assert len(name) <= IN_VIVO_MAX
    assert name == name.strip()
    if words.strip():
        assert name
        assert "  " not in name


def test_an_in_vivo_code_is_named_without_the_full_stop(tmp_path):
    with empty_project(tmp_path / "p.qcdesk") as project:
        text = "P1: I felt I belonged. Then it changed."
        doc = project.documents.add("I1", ParsedDocument(text=text, source_format="txt"))
        start = text.index("I felt")
        code, coding = project.codings.from_selection(doc.id, start, start + len("I felt I belonged.")).value
        assert code.name == "I felt I belonged"
        assert (coding.start, coding.end) == (start, start + len("I felt I belonged."))
