"""``qcdesk search``: hits printed for a script, and coded with --code."""

from __future__ import annotations

import pytest

from qcdesk.cli import main
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block, SpeakerTurn
from qcdesk.core.project import Project
from builders import empty_project

pytestmark = pytest.mark.core

LINES = ["Interviewer: Who helped?", "P1: My mentor helped. The café was where we met.", "Interviewer: Often?",
         "P1: Weekly. My mentor was kind."]


@pytest.fixture
def project_path(tmp_path):
    path = tmp_path / "cli.qcdesk"
    text = "\n".join(LINES)
    blocks, turns, pos = [], [], 0
    for line in LINES:
        blocks.append(Block("paragraph", pos, pos + len(line)))
        turns.append(SpeakerTurn(line.split(":")[0], pos, pos + len(line)))
        pos += len(line) + 1
    with empty_project(path) as project:
        project.documents.add("Interview 1", ParsedDocument(text, "txt", blocks, turns))
        project.codebook.add("Mentoring")
    return path


def test_search_prints_each_hit_with_where_it_is(project_path, capsys):
    assert main(["search", str(project_path), "mentor"]) == 0
    out, err = capsys.readouterr()
    first, second = out.splitlines()
    assert first.startswith("Interview 1 ¶2 P1: ") and "P1: My [mentor] helped." in first
    assert second.startswith("Interview 1 ¶4 P1: ") and second.endswith("Weekly. My [mentor] was kind.")
    assert err.strip() == "2 hits in 1 document"


def test_search_codes_the_sentences_of_the_hits(project_path, capsys):
    assert main(["search", str(project_path), "mentor", "--code", "Mentoring", "--unit", "sentence"]) == 0
    assert "coded 2 passages (sentence)" in capsys.readouterr().out
    with Project.open(project_path) as project:
        text = project.document_text(1)
        assert [text[c.start:c.end] for c in project.codings_for_document(1)] == ["My mentor helped.",
                                                                                 "My mentor was kind."]


def test_bad_query_is_one_sentence_and_exit_1(project_path, capsys):
    assert main(["search", str(project_path), '"']) == 1
    assert capsys.readouterr().err.startswith("qcdesk: Type a word")


def test_search_codings_record_who_coded(project_path, capsys):
    with Project.open(project_path) as project:
        project.set_coder("Amira")
    assert main(["search", str(project_path), "mentor", "--code", "Mentoring"]) == 0
    assert main(["search", str(project_path), "kind", "--code", "Mentoring", "--coder", "Ben"]) == 0
    # Ben's coding of the same words as Amira's is his own judgement, kept beside hers
    assert main(["search", str(project_path), "mentor", "--code", "Mentoring", "--coder", "Ben"]) == 0
    with Project.open(project_path) as project:
        names = {c.id: c.name for c in project.coders()}
        text = project.document_text(1)
        made = sorted((text[c.start:c.end], names.get(c.coder_id)) for c in project.codings_for_document(1))
        audit = project.db.execute("SELECT coder FROM audit_log WHERE kind = 'coding' ORDER BY id").fetchall()
    assert made == [("kind", "Ben"), ("mentor", "Amira"), ("mentor", "Amira"), ("mentor", "Ben"), ("mentor", "Ben")]
    assert [a[0] for a in audit] == ["Amira", "Amira", "Ben", "Ben", "Ben"]


def test_search_speaker_keeps_the_hits_in_that_speakers_turns(project_path, capsys):
    assert main(["search", str(project_path), "helped", "--speaker", "Interviewer"]) == 0
    out, err = capsys.readouterr()
    [line] = out.splitlines()
    assert line.startswith("Interview 1 ¶1 Interviewer: ") and "Who [helped]?" in line
    assert err.strip() == "1 hit in 1 document"
    assert main(["search", str(project_path), "helped", "--speaker", "P1", "--speaker", "Interviewer"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_search_unknown_speaker_is_one_line_and_exit_1(project_path, capsys):
    assert main(["search", str(project_path), "mentor", "--speaker", "P9"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "P9" in err
