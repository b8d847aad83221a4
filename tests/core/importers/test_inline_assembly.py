"""An inline transcript is written out paragraph by paragraph (``layouts.assemble_units``) exactly as
arranging it into pieces and assembling those gives it (issue 19: the pieces cost most of the work).

Hypothesis draws paragraph lists that are mostly ``Name: text`` turns with a few labels, mixed with
paragraphs continuing a turn, bare and leading times, f4 stamps, bracketed times and remarks,
headings, table rows, empty paragraphs, line breaks with blanks before them, and (where the reader
does not promise their absence) control characters; both ways must give the same text, blocks,
turns, sync points and rows.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from qcdesk.core.importers import layouts
from qcdesk.core.importers.assemble import HEADING, PARAGRAPH, TABLE_ROW, Unit, assemble

pytestmark = pytest.mark.core

LABELS = ("Interviewer", "P1", "Anna Berg", "I", "Dr. O'Neil", "علي", "Speaker #2", "Dr (Ann)")
BITS = ("well", "yes.", "the ward", " ", "  ", "\u00a0", "\t", "[laughs]", "(pause)", "[00:01:02]", "(3:16)", "(01:23)", "(00:01:23)",
        "#00:00:05-1#", "#00:01:02#", "00:01:02", ":", "note:", "😀", "naïve", "\n", " \n", "\u3000\n", "–")
CONTROLS = ("\x07", "\ufeff", "\x7f", "\x0b")


def _words(controls: bool) -> st.SearchStrategy[str]:
    bits = BITS + CONTROLS if controls else BITS
    return st.lists(st.sampled_from(bits), min_size=1, max_size=5).map(" ".join)


def _unit(controls: bool, labels: list[str]) -> st.SearchStrategy[Unit]:
    words = _words(controls)
    label = st.sampled_from(labels)
    time = st.sampled_from(("00:01:02", "1:02", "12:03:04.5"))
    turn = st.builds(lambda name, sep, text: Unit(f"{name}{sep}{text}"), label,
                     st.sampled_from((": ", ":  ", ":\t", " : ")), words)
    timed_turn = st.builds(lambda t, name, text: Unit(f"[{t}] {name}: {text}"), time, label, words)
    bracketed_turn = st.builds(lambda name, text: Unit(f"[{name}] {text}"), label, words)  # QualCoder's [id1]
    return st.one_of(
        turn, turn, turn, turn, turn, turn, timed_turn, bracketed_turn,
        st.builds(Unit, words),  # a paragraph of no turn, or continuing one
        st.builds(lambda t: Unit(t), time),  # a bare time
        st.builds(lambda t, text: Unit(f"({t}) {text}"), time, words),  # a leading time
        st.just(Unit("")), st.just(Unit("  ")),
        st.builds(lambda text, level: Unit(text, HEADING, level), words, st.integers(1, 3)),
        st.builds(lambda text, group: Unit(text, TABLE_ROW, group=group), words, st.sampled_from((1, 2, None))),
    )


def _both(units: list[Unit], controls: bool) -> None:
    def digest(doc):
        return doc.text, doc.block_rows(), doc.turn_rows(), doc.sync_points, doc.notices

    expected = assemble(layouts.arrange(units, soft_join="\n"), "docx", ["a note"], controls=controls)
    got = layouts.assemble_units(units, "docx", ["a note"], soft_join="\n", controls=controls)
    assert digest(got) == digest(expected)


def _document(controls: bool) -> st.SearchStrategy[tuple[bool, list[Unit]]]:
    """(controls, units): a few speakers' labels, used by most paragraphs (so that most documents
    are transcripts), and the other kinds of paragraph between them."""
    labels = st.lists(st.sampled_from(LABELS), min_size=1, max_size=3, unique=True)
    return labels.flatmap(lambda names: st.tuples(st.just(controls),
                                                  st.lists(_unit(controls, names), min_size=3, max_size=25)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.booleans().flatmap(_document))
@example((False, [Unit("#00:00:01-2# I: hello"), Unit("I: again"), Unit("R: fine")]))
@example((False, [Unit("00:01"), Unit("I: a"), Unit("I: b"), Unit("R: c"), Unit("R: (3:16)"), Unit("1:02")]))
@example((False, [Unit("x", TABLE_ROW, group=1), Unit("I: a"), Unit("R: b"), Unit("y", TABLE_ROW, group=1),
                  Unit("I: c"), Unit("R: d")]))  # the row after turns is no longer next to the first row
@example((True, [Unit("I: a\x07"), Unit("R: b"), Unit("I: c"), Unit("x", TABLE_ROW, group=1),
                 Unit("y", TABLE_ROW, group=1), Unit("I: d")]))
def test_writing_an_inline_transcript_out_equals_arranging_and_assembling_it(drawn):
    controls, units = drawn
    _both(units, controls)


def test_the_paragraph_by_paragraph_writing_is_what_the_word_reader_takes_for_a_transcript(monkeypatch):
    units = [Unit("Interview 1", HEADING, 1), Unit("Date | 12 March", TABLE_ROW, group=1)]
    units += [Unit(f"{'Interviewer' if i % 2 else 'P1'}: words {i}") for i in range(40)]
    taken = []
    real = layouts._inline_document
    monkeypatch.setattr(layouts, "_inline_document", lambda *args: taken.append(1) or real(*args))
    _both(units, False)
    assert taken == [1]
    assert layouts.detect([Unit("a"), Unit("b: c", PARAGRAPH, soft=True)]) is None  # prose: arranged as before
