"""Numbers written with characters that ``str.isdigit`` accepts but ``int`` refuses (superscripts,
circled digits) are no numbers to the readers: the file imports as if they were absent, instead of
failing with a generic "could not be read" (found by fuzzing the Word styles reading)."""

from __future__ import annotations

import pytest
from test_formats import make_odt

from qcdesk.core.importers import parse_file
from qcdesk.core.importers.pdf import _number_run

pytestmark = pytest.mark.core


@pytest.mark.parametrize("odd", ["²", "③", "¹²"])
def test_an_opendocument_space_count_or_heading_level_in_odd_digits_imports(write, odd):
    body = (f'<text:h text:outline-level="{odd}">Interview</text:h>'
            f'<text:p>two<text:s text:c="{odd}"/>words</text:p>')
    doc = parse_file(write("odd.odt", make_odt(body)))
    assert doc.text == "Interview\n\ntwo words"
    assert [(b.kind, b.level) for b in doc.blocks] == [("heading", 1), ("paragraph", 0)]


def test_decimal_digits_of_other_scripts_still_count():
    assert _number_run(["text", "١", "٢"]) == 2  # Arabic-Indic 1, 2: page numbers


@pytest.mark.parametrize("odd", ["²", "③"])
def test_a_pdf_line_of_odd_digits_is_no_page_number(odd):
    assert _number_run(["text", "1", odd]) == 0
