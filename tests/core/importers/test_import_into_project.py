"""Integration: files parsed by the importers and stored through qcdesk.core.importing."""

from __future__ import annotations

import shutil

import pytest

from qcdesk.core.importing import import_files
from builders import empty_project

pytestmark = pytest.mark.core


@pytest.fixture
def project(tmp_path):
    p = empty_project(tmp_path / "p.qcdesk")
    yield p
    p.close()


def _row_counts(project):
    return {t: project.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("documents", "blocks", "speaker_turns")}


def test_turns_are_stored(project, write):
    path = write("interview.txt", "[00:00:05] Interviewer: How was the shift?\n"
                                  "[00:00:09] Nurse: Long. 😀\n[00:00:15] Interviewer: Why?\n")
    report = import_files(project, [path])
    assert report.failed == [] and report.skipped == []
    (doc,) = report.imported
    assert doc.name == "interview" and doc.source_format == "txt"
    text = project.document_text(doc.id)
    turns = project.speaker_turns(doc.id)
    assert [(t.speaker, text[t.start:t.end], t.time_start) for t in turns] == [
        ("Interviewer", "Interviewer: How was the shift?", 5.0),
        ("Nurse", "Nurse: Long. 😀", 9.0),
        ("Interviewer", "Interviewer: Why?", 15.0),
    ]
    assert [b.kind for b in project.blocks(doc.id)] == ["paragraph"] * 3


def test_bad_file_among_good_ones_is_reported_and_leaves_no_rows(project, write):
    good1 = write("a.srt", "1\n00:00:01,000 --> 00:00:02,000\nAnn: Hello.\n\n2\n00:00:02,000 --> 00:00:03,000\n"
                           "Bob: Hi.\n\n3\n00:00:03,000 --> 00:00:04,000\nAnn: Bye.\n")
    bad = write("b.docx", b"PK\x03\x04 this is not really a zip")
    empty = write("c.txt", b"")
    good2 = write("d.md", "# Notes\n\nNothing special here.\n")
    report = import_files(project, [good1, bad, empty, good2])
    assert [d.name for d in report.imported] == ["a", "d"]
    assert [name for name, _ in report.failed] == ["b.docx", "c.txt"]
    assert "damaged" in report.failed[0][1]
    assert report.failed[1][1] == "the file is empty"
    counts = _row_counts(project)
    assert counts == {"documents": 2, "blocks": 3 + 2, "speaker_turns": 3}


def test_duplicate_is_skipped(project, write, tmp_path):
    first = write("one.txt", "Interviewer: Hello.\nPatient: Hi.\nInterviewer: Bye.\n")
    copy = tmp_path / "copy.txt"
    shutil.copy(first, copy)
    assert len(import_files(project, [first]).imported) == 1
    report = import_files(project, [copy])
    assert report.imported == []
    assert report.skipped and report.skipped[0][0] == "copy.txt"
    assert "already in the project" in report.skipped[0][1]
    assert _row_counts(project)["documents"] == 1


@pytest.mark.corpus
def test_corpus_files_import(project, corpus):
    names = ["noscribe_interview_de.txt", "noscribe_interview_de.vtt", "qualcoder_ID1.docx",
             "qualcoder_ID2.odt", "pdpilot_P1_maxqda.pdf"]
    report = import_files(project, [corpus / n for n in names])
    assert report.failed == []
    assert len(report.imported) == 5
    by_name = {d.name: d for d in report.imported}
    assert {t.speaker for t in project.speaker_turns(by_name["noscribe_interview_de"].id)} == {"S00", "S01", "S02"}
    assert project.speaker_turns(by_name["qualcoder_ID1"].id) == []


def test_storing_a_file_hashes_its_text_once_and_keeps_the_right_key(project, write, monkeypatch):
    """The duplicate check and the new row need the same key: one SHA-256 over the text, not two;
    a text equal to one hashed before but another object still gets its own (equal) key."""
    import hashlib

    from qcdesk.core.importers import base

    hashed = []
    real = hashlib.sha256
    monkeypatch.setattr(base.hashlib, "sha256", lambda data: hashed.append(len(data)) or real(data))
    path = write("a.txt", "Interviewer: How was it?\nNurse: Long.\nInterviewer: Why?\n")
    (doc,) = import_files(project, [path]).imported
    assert len(hashed) == 1
    text = project.document_text(doc.id)
    assert doc.content_hash == real(text.encode("utf-8")).hexdigest()
    copy = "".join(list(text))
    assert copy is not text and base.content_hash(copy) == doc.content_hash and len(hashed) == 2
    assert base.content_hash(text + "!") == real((text + "!").encode("utf-8")).hexdigest()
