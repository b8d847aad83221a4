"""The coded-transcript report: shading, speaker labels and Word comments on the exact coded words."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from .conftest import EMOJI, code_words
from qcdesk.core.reports import REPORT_KINDS, ReportOptions, build_report, write_report
from qcdesk.core.reports.structure import Annotated, PageBreak
from qcdesk.core.reports.transcript import lighten

pytestmark = pytest.mark.core


def anchored_text(document) -> dict[int, str]:
    """comment id -> the text between its range start and end, in document order."""
    open_ids: set[int] = set()
    out: dict[int, str] = {}
    in_margin = False
    for el in document.element.body.iter():
        if el.tag == qn("w:commentRangeStart"):
            cid = int(el.get(qn("w:id")))
            open_ids.add(cid)
            out[cid] = ""
        elif el.tag == qn("w:commentRangeEnd"):
            open_ids.discard(int(el.get(qn("w:id"))))
        elif el.tag == qn("w:t") and not in_margin:
            for cid in open_ids:
                out[cid] += el.text or ""
        elif el.tag == qn("w:p"):
            style = el.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
            in_margin = style is not None and style.get(qn("w:val")) == "TableText"  # number, codes
            if in_margin:
                continue
            for cid in open_ids:  # a range running on into the next paragraph
                if out[cid]:
                    out[cid] += "\n"
    return out


def paragraphs(document):
    """Every paragraph, also those in the transcript's number | text | codes grid."""
    from docx.text.paragraph import Paragraph

    return [Paragraph(p, document._body) for p in document.element.body.iter(qn("w:p"))]


def comments_by_code(document) -> dict[int, str]:
    return {c.comment_id: c.text for c in document.comments}


@pytest.fixture
def overlapping(sample):
    """The sample plus a Support coding inside the Workload coding, with a memo on it."""
    p = sample.project
    coding = code_words(p, sample.docs["i1"], sample.codes["Support"], "relentless on surgical")
    with p.action():
        p.db.execute("INSERT INTO memos(title, body, coding_id, created, modified) "
                     "VALUES ('Tone', 'Said with a laugh.', ?, '2024-01-01', '2024-01-01')", [coding.id])
    return sample


def test_kind_is_offered():
    assert REPORT_KINDS["coded-transcript"] == "Coded transcripts"


def test_comments_anchor_exactly_the_coded_words(overlapping, tmp_path: Path):
    out = write_report(overlapping.project, "coded-transcript", tmp_path / "t.docx",
                       ReportOptions(include_memos=True))
    document = docx.Document(out)
    texts = comments_by_code(document)
    anchors = anchored_text(document)
    assert len(texts) == len(overlapping.project.codings_for_codes(list(overlapping.codes.values())))
    pairs = sorted((texts[cid].split("\n")[0], anchors[cid]) for cid in texts)
    assert ("Barriers", "workload") in pairs
    assert ("Barriers › Workload", "The workload is relentless on surgical rotations.") in pairs
    assert ("Support", "relentless on surgical") in pairs
    assert ("Barriers › Fatigue", EMOJI) in pairs
    assert ("Barriers › Fatigue", "Residents looked exhausted at handover.") in pairs
    memo = [t for t in texts.values() if t.startswith("Support") and "Memo" in t]
    assert memo == ["Support\nCoder: Ben Okafor\nMemo: Tone: Said with a laugh."]
    assert {c.author for c in document.comments} == {"Ben Okafor"}
    assert {c.initials for c in document.comments} == {"BO"}


def test_memos_left_out_unless_asked(overlapping, tmp_path: Path):
    document = docx.Document(write_report(overlapping.project, "coded-transcript", tmp_path / "t.docx"))
    assert not any("Memo" in c.text for c in document.comments)


def test_overlaps_split_runs_and_shade_in_the_codes_colour(overlapping, tmp_path: Path):
    document = docx.Document(write_report(overlapping.project, "coded-transcript", tmp_path / "t.docx"))
    para = next(p for p in paragraphs(document) if "relentless" in p.text)
    fills = {}
    for run in para.runs:
        shd = run._r.find(qn("w:rPr") + "/" + qn("w:shd")) if run._r.rPr is not None else None
        fills[run.text] = shd.get(qn("w:fill")) if shd is not None else None
    workload = lighten("#2980b9").lstrip("#").upper()
    assert fills["The "] == workload and fills[" rotations."] == workload
    assert fills["workload"] == lighten("#c0392b").lstrip("#").upper()  # the shorter coding on top
    assert fills["relentless on surgical"] == lighten("#27ae60").lstrip("#").upper()
    underlined = [r.text for r in para.runs if r.underline]
    assert underlined == ["workload", "relentless on surgical"]  # text under two codings


def test_speaker_labels_bold_and_times_shown(sample, tmp_path: Path):
    document = docx.Document(write_report(sample.project, "coded-transcript", tmp_path / "t.docx"))
    para = next(p for p in paragraphs(document) if "How are rotations going?" in p.text)
    assert para.text == "[0:05] Interviewer: How are rotations going?"
    bold = [r.text for r in para.runs if r.bold]
    assert bold == ["Interviewer:"]


def test_each_document_starts_on_a_new_page(sample):
    report = build_report(sample.project, "coded-transcript")
    names = [h.text for h in report.headings()]
    assert names[-3:] == ["Interview 01", "Interview 02", "Field notes"]
    for name in ("Interview 02", "Field notes"):
        i = next(i for i, b in enumerate(report.blocks) if getattr(b, "text", None) == name)
        assert isinstance(report.blocks[i - 1], PageBreak)


def test_document_and_coder_filters(sample, tmp_path: Path):
    p = sample.project
    amira = next(c.id for c in p.coders() if c.name == "Amira Haddad")
    report = build_report(p, "coded-transcript",
                          ReportOptions(document_ids=[sample.docs["i2"]], coder_ids=[amira]))
    assert [h.text for h in report.headings()][-1] == "Interview 02"
    marks = [m for b in report.blocks if isinstance(b, Annotated) for m in b.marks]
    assert not any(m.opens for m in marks)  # every coding was made by Ben Okafor
    assert any("Tell me about support." in m.text for m in marks)


def test_coding_across_paragraphs_is_one_comment(sample, tmp_path: Path):
    p = sample.project
    text = p.document_text(sample.docs["notes"])
    p.codings.apply(sample.docs["notes"], sample.codes["Support"], text.index("busy"), text.index(" at handover"))
    document = docx.Document(write_report(p, "coded-transcript", tmp_path / "t.docx"))
    texts, anchors = comments_by_code(document), anchored_text(document)
    spanning = [anchors[c] for c in texts if texts[c].startswith("Support") and "busy" in anchors[c]]
    assert spanning == ["busy.\nResidents looked exhausted"]
