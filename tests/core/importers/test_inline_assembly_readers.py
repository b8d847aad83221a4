"""``layouts.assemble_units`` gives exactly ``assemble(arrange(units))`` for the units the readers
really make of a transcript: plain text (``lines_to_units``, wrapped lines among them), Markdown
(``attach=False`` lists and quotes), RTF, OpenDocument and Word bodies; with labels holding
brackets, parentheses or "#", f4 stamps first (``#00:00:01-2# I: ...``), Unicode blanks and line
separators (U+2028, U+2029, U+0085, a lone CR), and long documents. ``controls=False`` only where
no text holds a control character (the reader's promise).
"""

from __future__ import annotations

import random
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from qcdesk.core.importers import layouts
from qcdesk.core.importers.assemble import _CONTROL, Unit, assemble
from qcdesk.core.importers.docx_reader import _Styles, body_units
from qcdesk.core.importers.markdown import markdown_units
from qcdesk.core.importers.odt import _Reader
from qcdesk.core.importers.rtf import convert
from qcdesk.core.importers.text import lines_to_units

pytestmark = pytest.mark.core

LABELS = ("I", "R", "P1", "Anna Berg", "Ärztin", "Speaker #2", "Dr (Ann)", "Dr. O'Neil", "A [x]", "علي")
BRACKET_LABELS = ("[Anna]", "[Speaker #1]", "[id1]", "[A (b)]", "[Anna\u2028Lee]", "[Anna  Lee ]")
BITS = ("well", "yes.", "the ward", " ", "\u00a0", "\u3000", "\t", "\u2028", "\u2029", "\x85", "\r", "\u200b",
        "[laughs]", "(pause)", "[00:01:02]", "(01:23)", "(3:16)", "#00:00:05-1#", "#00:01:02#", "00:01:02",
        ":", "note:", "#", "[", "(", "😀", "naïve", "–", "\n")
CONTROLS = ("\x07", "\ufeff", "\x7f", "\x0b", "\x1c")
TIMES = ("00:01:02", "1:02", "12:03:04.5")


def _words(controls: bool) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(BITS + CONTROLS if controls else BITS), min_size=1, max_size=6).map(" ".join)


def _paragraph(controls: bool, labels: list[str]) -> st.SearchStrategy[str]:
    words = _words(controls)
    label = st.sampled_from([n for n in labels if not n.startswith("[")] or ["I"])
    bracketed = st.sampled_from([n for n in labels if n.startswith("[")] or ["[I]"])
    time = st.sampled_from(TIMES)
    sep = st.sampled_from((": ", ":  ", ":\t", " : ", ":\u00a0", ": \u2028"))
    turn = st.builds(lambda n, s, t: f"{n}{s}{t}", label, sep, words)
    return st.one_of(
        turn, turn, turn, turn, turn, turn, turn,
        st.builds(lambda stamp, n, t: f"{stamp}{n}: {t}", st.sampled_from(("#00:00:01-2# ", "#00:01:02#", "#01:02-3#\t")),
                  label, words),  # an f4 stamp first
        st.builds(lambda t, n, w: f"[{t}] {n}: {w}", time, label, words),
        st.builds(lambda n, t, w: f"{n} ({t}): {w}", label, time, words),
        st.builds(lambda n, w: f"{n} {w}", bracketed, words), st.builds(lambda n, w: f"{n} {w}", bracketed, words),
        words, time, st.builds(lambda t, w: f"({t}) {w}", time, words), st.just(""), st.just("  "),
    )


def _transcript(controls: bool) -> st.SearchStrategy[list[str]]:
    """Paragraphs most of which are turns of a few speakers (so that most documents are transcripts)."""
    labels = st.lists(st.sampled_from(LABELS + BRACKET_LABELS), min_size=2, max_size=3, unique=True)
    return labels.flatmap(lambda names: st.lists(_paragraph(controls, names), min_size=3, max_size=20))


def _digest(doc):
    return doc.text, doc.block_rows(), doc.turn_rows(), doc.sync_points, doc.notices


def _both(units: list[Unit], soft_join: str) -> None:
    clean = not any(_CONTROL.search(u.text) for u in units)
    for controls in (True, False) if clean else (True,):
        expected = assemble(layouts.arrange(units, soft_join=soft_join), "x", ["n"], controls=controls)
        got = layouts.assemble_units(units, "x", ["n"], soft_join=soft_join, controls=controls)
        assert _digest(got) == _digest(expected), (controls, units)


# -- the readers' units --------------------------------------------------------------------------

def _rtf(paragraphs: list[str]) -> bytes:
    def escape(text: str) -> str:
        out = []
        for ch in text:
            if ch in "\\{}":
                out.append("\\" + ch)
            elif ch == "\n":
                out.append("\\line ")
            elif ch == "\t":
                out.append("\\tab ")
            elif ord(ch) < 0x80:
                out.append(ch)
            else:
                for unit in (ch.encode("utf-16-le")[i:i + 2] for i in range(0, len(ch.encode("utf-16-le")), 2)):
                    n = int.from_bytes(unit, "little")
                    out.append(f"\\u{n - 65536 if n > 32767 else n}?")
        return "".join(out)
    return ("{\\rtf1\\ansi\\ansicpg1252\\deff0 " + "".join(f"{escape(p)}\\par\n" for p in paragraphs) + "}").encode("ascii")


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _odt_units(paragraphs: list[str]) -> list[Unit]:
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    body = "".join("<text:p>" + "<text:line-break/>".join(_xml_text(line).replace("\t", "<text:tab/>")
                                                          for line in p.split("\n")) + "</text:p>" for p in paragraphs)
    root = ElementTree.fromstring(f"<office:document-content {ns}><office:body><office:text>{body}"
                                  "</office:text></office:body></office:document-content>")
    reader = _Reader()
    reader.block(root.find("{urn:oasis:names:tc:opendocument:xmlns:office:1.0}body/"
                           "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}text"))
    return reader.units


def _docx_units(paragraphs: list[str]) -> list[Unit]:
    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

    def runs(text: str) -> str:
        return "<w:br/>".join(f'<w:t xml:space="preserve">{_xml_text(line)}</w:t>'.replace("\t", "</w:t><w:tab/><w:t>")
                              for line in text.split("\n"))
    body = "".join(f"<w:p><w:r>{runs(p)}</w:r></w:p>" for p in paragraphs)
    root = etree.fromstring(f"<w:document {ns}><w:body>{body}</w:body></w:document>".encode())
    return body_units(root[0], _Styles())


def _xml_safe(paragraphs: list[str]) -> list[str]:
    """The paragraphs without what XML 1.0 cannot hold (C0 controls but tab and line ends)."""
    return ["".join(ch for ch in p if ch >= " " or ch in "\t\n\r") for p in paragraphs]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.booleans().flatmap(lambda c: st.tuples(st.just(c), _transcript(c))), st.sampled_from(("\n", "\r\n", "\n\n")))
@example((False, ["#00:00:01-2# I: hello", "I: again", "R: fine"]), "\n")
@example((False, ["Speaker #2: a", "Speaker #2: b", "R: c", "R: d"]), "\n")
@example((False, ["[Speaker #1] a", "[Speaker #1] b (01:02) c", "[R] d", "[R] e"]), "\n")
@example((False, ["I: a\u2028b", "R:\u00a0c\x85", "I: d\re", "R: f"]), "\n")
def test_text_and_markdown_units(drawn, joint):
    controls, paragraphs = drawn
    text = joint.join(paragraphs)
    _both(lines_to_units(text), "\n")
    _both(markdown_units(text), " ")
    _both(markdown_units(text.replace("\n", "\n- ", 2)), " ")  # a list: paragraphs that may not attach


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.booleans().flatmap(_transcript))
@example(["#00:00:01-2# I: hello", "I: again", "R: fine", "Dr (Ann): (01:02) yes", "Dr (Ann): no"])
def test_rtf_units(paragraphs):
    units, _ = convert(_rtf(paragraphs))
    _both(units, "\n")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.booleans().flatmap(_transcript).map(_xml_safe))
@example(["I: a\u2028b", "R: c\x85d", "I: e", "R:\tf"])
def test_odt_and_word_units(paragraphs):
    _both(_odt_units(paragraphs), "\n")
    _both(_docx_units(paragraphs), "\n")


def test_a_long_transcript_with_every_kind_of_paragraph():
    rng = random.Random(19)
    kinds = [
        lambda: f"{rng.choice(LABELS)}: {rng.choice(BITS)} words {rng.choice(BITS)} more",
        lambda: f"#00:{rng.randrange(60):02d}:{rng.randrange(60):02d}-1# {rng.choice(LABELS)}: said {rng.choice(BITS)}",
        lambda: f"{rng.choice(BRACKET_LABELS)} text {rng.choice(BITS)}",
        lambda: f"({rng.choice(TIMES)}) and then",
        lambda: rng.choice(TIMES),
        lambda: "",
        lambda: "a paragraph of the turn" + rng.choice(BITS) * rng.randrange(3),
    ]
    paragraphs = [rng.choices(kinds, weights=(30, 3, 2, 2, 2, 1, 5))[0]() for _ in range(6000)]
    _both(_docx_units(_xml_safe(paragraphs)), "\n")
    _both(lines_to_units("\n".join(paragraphs)), "\n")
    units, _ = convert(_rtf(paragraphs))
    _both(units, "\n")
