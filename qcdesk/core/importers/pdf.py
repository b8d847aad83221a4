"""PDF (.pdf): the text layer through pypdf, cleaned of export artefacts.

Exported PDFs often put tabs or runs of spaces between every word and print
page numbers ("1/5") and line numbers down the margin; these are removed. A
line repeated across a page break is kept once. Wrapped lines are joined into
paragraphs (a short line that ends a sentence ends its paragraph), and
:mod:`layouts` finds speakers (e.g. ``Name:`` alone on a line, as MAXQDA
exports). No text layer means a scan: the user is told to run OCR.
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

from qcdesk.core.importers.assemble import Unit
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.importers.layouts import assemble_units
from qcdesk.core.importers.safety import fail

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u3000]+")
_PAGE_NUMBER = re.compile(r"^(?:(?:page|seite|p\.)\s*)?\d{1,5}(?:\s*(?:/|of|von)\s*\d{1,5})?$", re.I)
_ENDS_SENTENCE = re.compile(r"[.!?:;\"”’)\]…]$")
#: pages read at most (a longer PDF is not an interview transcript)
MAX_PAGES = 5000


def clean_page(text: str) -> list[str]:
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    # page numbers at the top or bottom of the page
    if lines and _PAGE_NUMBER.match(lines[0]):
        lines.pop(0)
    if lines and _PAGE_NUMBER.match(lines[-1]) and not _line_numbers_at_end(lines):
        lines.pop()
    # line numbers printed down the margin come out as a run of consecutive integers
    for at_end in (True, False):
        run = _number_run(lines if at_end else lines[::-1])
        if run >= 3:
            lines = lines[:-run] if at_end else lines[run:]
    return lines


def _line_numbers_at_end(lines: list[str]) -> bool:
    return _number_run(lines) >= 3


def _number_run(lines: list[str]) -> int:
    """How many lines at the end are consecutive integers counting up (or down, read reversed)."""
    count = 0
    prev: int | None = None
    for line in reversed(lines):
        if not line.isdecimal():
            break
        value = int(line)
        if prev is not None and abs(prev - value) != 1:
            break
        prev = value
        count += 1
    return count


def lines_to_units(pages: list[list[str]]) -> list[Unit]:
    all_lines: list[str] = []
    for lines in pages:
        if all_lines and lines and lines[0] == all_lines[-1]:
            lines = lines[1:]  # the last line printed again at the top of the next page
        all_lines.extend(lines)
    if not all_lines:
        return []
    lengths = sorted(len(line) for line in all_lines if len(line) > 20) or [80]
    typical = lengths[int(len(lengths) * 0.8)] if len(lengths) > 1 else lengths[0]
    units: list[Unit] = []
    prev = ""
    for line in all_lines:
        ends_para = (not prev or len(prev) < 0.75 * typical and _ENDS_SENTENCE.search(prev) is not None
                     or prev.endswith(":") and len(prev) < 40)
        units.append(Unit(line, soft=not ends_para))
        prev = line
    return units


def read_pdf(path: Path, data: bytes) -> ParsedDocument:
    if not data.lstrip()[:1024].startswith(b"%PDF") and b"%PDF" not in data[:1024]:
        raise fail(path, "this is not a PDF file (it does not start with %PDF)")
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = bool(reader.decrypt(""))  # PasswordType.NOT_DECRYPTED is 0
            except (DependencyError, NotImplementedError):
                ok = False
            if not ok:
                raise fail(path, "the PDF is password-protected; open it, save a copy without the "
                                 "password, and import that")
        pages = reader.pages
        count = len(pages)
    except FileNotDecryptedError:
        raise fail(path, "the PDF is password-protected; save a copy without the password and "
                         "import that") from None
    except PdfReadError as exc:
        raise fail(path, f"the PDF is damaged and cannot be read ({exc})") from None
    if count > MAX_PAGES:
        raise fail(path, f"the PDF has {count} pages; the limit is {MAX_PAGES}")
    page_lines: list[list[str]] = []
    notices: list[str] = []
    failed_pages = 0
    for page in pages:
        try:
            text = page.extract_text() or ""
        except Exception:  # one bad page should not lose the others
            failed_pages += 1
            text = ""
        page_lines.append(clean_page(text))
    if failed_pages:
        notices.append(f"{failed_pages} page{'s' if failed_pages > 1 else ''} could not be read")
    units = lines_to_units(page_lines)
    if not any(u.text.strip() for u in units):
        raise fail(path, "this PDF has no text layer (it may be a scan); run OCR first")
    return assemble_units(units, "pdf", notices, soft_join=" ")
