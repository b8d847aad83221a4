"""The Word file itself: today's dates, qcdesk as its application, current compatibility,
the researcher's language, numbered captions, contents, header and footer, quote styling."""

from __future__ import annotations

import datetime as dt
import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from qcdesk.core.errors import ExportFailed
from qcdesk.core.reports import ReportOptions, write_report

from .conftest import ARABIC
from builders import empty_project

pytestmark = pytest.mark.core
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def write(sample, tmp_path, kind="segments-by-code", **options):
    out = tmp_path / f"{kind}.docx"
    write_report(sample.project, kind, out, ReportOptions(**options))
    return out, docx.Document(str(out))


def part(out, name) -> str:
    with zipfile.ZipFile(out) as z:
        return z.read(name).decode()


def test_properties_are_today_and_name_qcdesk_not_a_2013_mac_word(sample, tmp_path):
    out, document = write(sample, tmp_path)
    props = document.core_properties
    today = dt.datetime.now(dt.timezone.utc).date()
    assert props.created.date() == today and props.modified.date() == today
    assert props.last_modified_by == "Ben Okafor"
    app = part(out, "docProps/app.xml")
    assert "<Application>qcdesk" in app and "Macintosh" not in app and "<Pages>" not in app
    settings = part(out, "word/settings.xml")
    assert 'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"' in settings
    assert '<w:updateFields w:val="true"/>' in settings


@pytest.mark.parametrize("language", ["de-DE", "ar", "en-GB"])
def test_the_chosen_language_is_on_every_style(sample, tmp_path, language):
    out, document = write(sample, tmp_path, language=language)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    langs = list(defaults.iter(qn("w:lang")))
    assert len(langs) == 1 and langs[0].get(qn("w:val")) == language
    assert (langs[0].get(qn("w:bidi")) == language) == (language == "ar")
    assert document.core_properties.language == language


def test_a_made_up_language_is_refused_in_one_sentence(sample, tmp_path):
    with pytest.raises(ExportFailed, match="not a language tag"):
        write(sample, tmp_path, language="english please")
    assert not (tmp_path / "segments-by-code.docx").exists()


def test_quote_style_does_not_keep_with_next_and_rtl_quotes_are_upright(sample, tmp_path):
    _, document = write(sample, tmp_path)
    quote = document.styles["Quote"]
    assert not quote.paragraph_format.keep_with_next
    rpr = quote.element.rPr
    assert rpr.find(qn("w:iCs")).get(qn("w:val")) == "0" and quote.font.italic is False
    for level in (1, 2):
        assert document.styles[f"Heading {level}"].paragraph_format.keep_with_next
    arabic = [p for p in document.paragraphs if p.text == ARABIC][0]
    assert all(not r.italic for r in arabic.runs)


def test_long_quotes_may_flow_over_a_page_short_ones_keep_with_their_source(tmp_path):

    from .conftest import plain

    p = empty_project(tmp_path / "long.qcd")
    long_text = "word " * 400
    doc = p.documents.add("Long", plain([long_text.strip(), "short one"])).id
    code = p.codebook.add("C").value.id
    p.codings.apply(doc, code, 0, len(long_text.strip()))
    p.codings.apply(doc, code, len(long_text), len(long_text) + 9)
    out = tmp_path / "long.docx"
    write_report(p, "segments-by-code", out)
    p.close()
    quotes = [q for q in docx.Document(str(out)).paragraphs if q.style.name == "Quote"]
    assert [bool(q.paragraph_format.keep_with_next) for q in quotes] == [False, True]


def test_quotation_marks_follow_the_language(sample, tmp_path):
    _, document = write(sample, tmp_path, quotation_marks=True, language="de-DE")
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert "„The workload is relentless on surgical rotations.“" in quotes
    _, document = write(sample, tmp_path, quotation_marks=False)
    assert "workload" in [p.text for p in document.paragraphs if p.style.name == "Quote"]


def test_tables_get_numbered_captions_with_seq_fields(sample, tmp_path):
    out, document = write(sample, tmp_path)
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert captions == ["Table 1: Segments per code and document"]
    body = part(out, "word/document.xml")
    assert "SEQ Table" in body


def test_contents_list_the_headings_with_page_references(sample, tmp_path):
    out, document = write(sample, tmp_path)
    toc = [p.text for p in document.paragraphs if p.style.name.startswith("toc")]
    assert [t.split("\t")[0] for t in toc] == ["Barriers", "Workload", "Fatigue", "Support",
                                               "Summary: segments per code and document"]
    body = part(out, "word/document.xml")
    assert body.count("PAGEREF _Toc") == 5 and body.count('w:name="_Toc') == 5
    _, document = write(sample, tmp_path, include_contents=False)
    assert not [p for p in document.paragraphs if p.style.name.startswith("toc")]


def test_custom_title_subtitle_header_and_footer(sample, tmp_path):
    _, document = write(sample, tmp_path, title="Night shifts", subtitle="Draft for the team",
                        header_text="CONFIDENTIAL", footer_text="Study 7")
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Night shifts" and texts[1] == "Draft for the team"
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "CONFIDENTIAL"
    assert section.footer.paragraphs[0].text.startswith("Study 7\tPage ")
