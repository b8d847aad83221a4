"""Every report kind, with and without a filter, printed to PDF by LibreOffice and read page
by page: header and footer on every page, no page (or page end) with a heading and nothing
under it, captions numbered in order, contents pointing at the right pages."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from qcdesk.core.reports import REPORT_KINDS, ReportOptions, build_report, write_report

from .conftest import code_words, make_sample, plain

pytestmark = [pytest.mark.core, pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) and pdftotext are needed to print reports to PDF "
           "(packaging/dev.py installs libreoffice-writer-nogui and poppler-utils)")]

HEADER = "CONFIDENTIAL draft"
FOOTER = "Night shift study"
LONG = ("Night shifts went on and the ward kept changing, and every hour someone needed "
        "something from me while the phone kept ringing at the desk. ")


def build_project(folder: Path):
    s = make_sample(folder)
    p = s.project
    gender = p.attributes.define("gender").id
    for n, speaker, doc in ((1, "Participant 1", "i1"), (2, "Participant 2", "i2")):
        case = p.cases.add(f"Participant {n}").value.id
        p.cases.link_speaker(case, s.docs[doc], speaker)
        p.attributes.set_value(case, gender, "woman" if n == 1 else "man")
    p.memos.create("Fatigue", "Tired after nights, in every interview.", case_id=p.cases.by_name("Participant 1").id)
    p.memos.create("Definition", "Hours and tasks. " * 30, code_id=s.codes["Workload"])
    # a long field diary: quotes and transcript pages that run over several pages
    paras = [f"Day {i}: {LONG * (1 + i % 4)}" for i in range(1, 60)]
    diary = p.documents.add("Diary", plain(paras)).id
    ward = p.cases.add("Ward diary").value.id
    p.cases.link_documents(ward, [diary])
    for i in range(1, 60, 2):
        code = s.codes["Fatigue"] if i % 3 else s.codes["Workload"]
        code_words(p, diary, code, f"Day {i}: {LONG}".strip())
    # many small codes of uneven length, so that headings fall at every height of a page
    text = p.document_text(diary)
    for c in range(24):
        code = p.codebook.add(f"Theme {c + 1}", parent_id=s.codes["Support"] if c % 2 else None).value.id
        for k in range(1 + (c * 7) % 5):
            start = text.index(f"Day {2 + c + k}:")
            p.codings.apply(diary, code, start, start + 40 + 50 * ((c + k) % 4))
    return s


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """(kind, filtered) -> (report structure, [page texts]) for every kind."""
    folder = tmp_path_factory.mktemp("pdf")
    s = build_project(folder)
    p = s.project
    docs = []
    reports = {}
    for kind in REPORT_KINDS:
        for filtered in (False, True):
            options = ReportOptions(header_text=HEADER, footer_text=FOOTER, language="en-GB",
                                    quotation_marks=filtered, cite_by="case" if filtered else "document")
            if filtered:
                options.document_ids = [s.docs["i1"], s.docs["i2"]]
            out = folder / f"{kind}{'-filtered' if filtered else ''}.docx"
            write_report(p, kind, out, options)
            reports[kind, filtered] = (build_report(p, kind, options), out)
            docs.append(str(out))
    p.close()
    try:
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{folder}/lo",
                        "--convert-to", "pdf", "--outdir", str(folder), *docs],
                       capture_output=True, timeout=600, check=True)
    except (subprocess.SubprocessError, OSError) as exc:
        pytest.skip(f"LibreOffice could not convert the reports: {exc}")
    pages = {}
    for key, (report, out) in reports.items():
        pdf = out.with_suffix(".pdf")
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        pages[key] = (report, [pg for pg in text.split("\f") if pg.strip()])
    return pages


CASES = [(kind, filtered) for kind in REPORT_KINDS for filtered in (False, True)]


def content_lines(page: str) -> list[str]:
    """The page's lines without header, footer and blank lines."""
    return [ln.strip() for ln in page.splitlines()
            if ln.strip() and HEADER not in ln and not re.search(r"Page \d+ of \d+", ln)]


@pytest.mark.parametrize("kind,filtered", CASES)
def test_header_and_footer_on_every_page(printed, kind, filtered):
    _, pages = printed[kind, filtered]
    assert pages
    for n, page in enumerate(pages, 1):
        assert HEADER in page, f"page {n} has no header"
        assert re.search(rf"{FOOTER}\s+Page {n} of {len(pages)}", page), f"page {n} footer"


@pytest.mark.parametrize("kind,filtered", CASES)
def test_no_heading_left_alone_at_a_page_end(printed, kind, filtered):
    report, pages = printed[kind, filtered]
    headings = {h.text.strip() for h in report.headings()}
    for n, page in enumerate(pages, 1):
        lines = content_lines(page)
        assert lines, f"page {n} is empty"
        if n == 1:
            continue  # the title page
        assert not all(ln in headings for ln in lines), f"page {n} holds only headings: {lines}"
        if n < len(pages):
            assert lines[-1] not in headings, f"page {n} ends with the heading {lines[-1]!r}"


@pytest.mark.parametrize("kind,filtered", CASES)
def test_captions_are_numbered_in_order(printed, kind, filtered):
    report, pages = printed[kind, filtered]
    text = "\n".join(pages)
    for label in ("Table", "Figure"):
        numbers = [int(m) for m in re.findall(rf"^\s*{label} (\d+): ", text, re.M)]
        assert numbers == list(range(1, len(numbers) + 1)), (label, numbers)
    # without a chart renderer each chart prints as a captioned table
    expected = sum(1 for t in report.tables() if t.caption) + len(report.charts())
    assert len(re.findall(r"^\s*Table \d+: ", text, re.M)) == expected


@pytest.mark.parametrize("kind,filtered", CASES)
def test_contents_point_at_the_pages_of_the_headings(printed, kind, filtered):
    report, pages = printed[kind, filtered]
    if len(pages) < 2 or not re.search(r"^\s*Contents\s*$", pages[1], re.M):
        assert sum(h.level <= 3 for h in report.headings()) < 4  # no contents: too few headings
        return
    entries = re.findall(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", pages[1], re.M)
    assert entries
    for title, number in entries:
        page = pages[int(number) - 1]
        assert title in [ln for ln in content_lines(page)] or title in page, (title, number)


def test_quotes_in_the_filtered_segments_report_cite_cases_in_quotation_marks(printed):
    _, pages = printed["segments-by-code", True]
    text = "\n".join(pages)
    assert "“The workload is relentless on surgical rotations.”" in text
    assert "Participant 1 · 1:05" in text
    assert "Diary" not in text  # left out by the document filter
