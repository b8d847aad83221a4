"""Reading a file leaves no reference cycles behind: what a reader built (for a Word file, the whole
parsed XML tree, several megabytes for a long transcript) is freed as soon as the file is read, not
when Python's cycle collector next runs. The parsing workers run that collector rarely (it cost
more than it found), so a cycle kept every file's tree alive between runs, and the workers' memory
and time per file grew with it (issue 19).

Not PDF: pypdf's objects refer to their reader and back, so a PDF's are freed by the collector."""

from __future__ import annotations

import gc

import docx
import pytest
from docx.oxml import parse_xml
from test_formats import RTF, make_odt

from qcdesk.core.importers import parse_file
from qcdesk.core.importers.parallel import parse_packed

pytestmark = pytest.mark.core

TURNS = "".join(f"{'Interviewer' if i % 2 else 'P1'}: [00:00:{i:02d}] words (laughs) #00:00:{i:02d}-1#\n\n"
                for i in range(30))


def _docx(path) -> None:
    d = docx.Document()
    d.add_heading("Interview 1", level=1)
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(1, 1).text = "Date", "12 March"
    for i in range(30):
        d.add_paragraph(f"{'Interviewer' if i % 2 else 'P1'}: words {i}\tand (laughs)")
    # a content control around a paragraph: the body's containers are walked into
    sdt = parse_xml('<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                    "<w:sdtContent><w:p><w:r><w:t>P1: in a control</w:t></w:r></w:p></w:sdtContent></w:sdt>")
    d.element.body.insert(len(d.element.body) - 1, sdt)
    d.save(path)


FILES = {
    "interview.docx": _docx,
    "interview.txt": lambda path: path.write_text(TURNS, encoding="utf-8"),
    "interview.md": lambda path: path.write_text("# Interview\n\n" + TURNS, encoding="utf-8"),
    "interview.odt": lambda path: path.write_bytes(make_odt("".join(
        f"<text:p>{'Interviewer' if i % 2 else 'GP'}: words {i}</text:p>" for i in range(30)))),
    "interview.rtf": lambda path: path.write_bytes(RTF),
    "interview.vtt": lambda path: path.write_text("WEBVTT\n\n" + "".join(
        f"00:00:{i:02d}.000 --> 00:00:{i:02d}.900\n<v Anna>words {i}\n\n" for i in range(30)), encoding="utf-8"),
    "interview.srt": lambda path: path.write_text("".join(
        f"{i + 1}\n00:00:{i:02d},000 --> 00:00:{i:02d},900\nAnna: words {i}\n\n" for i in range(30)),
        encoding="utf-8"),
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_reading_a_file_leaves_no_reference_cycles(tmp_path, name):
    path = tmp_path / name
    FILES[name](path)
    _no_cycles(path)


def _no_cycles(path) -> None:
    name = path.name
    parse_file(path)  # modules, patterns and caches made on first use are not the file's
    parse_packed(path)
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        doc = parse_file(path)
        packed, why = parse_packed(path)
        found = gc.collect()
    finally:
        if enabled:
            gc.enable()
    assert doc.text and packed is not None and why is None
    assert found == 0, f"reading {name} left {found} objects in reference cycles"
