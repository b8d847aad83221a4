"""Storing a document's structure (blocks and speaker turns, one statement per table): every row
comes back as it went in, and a failure part-way leaves nothing of the document (issue 19)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block, SpeakerTurn
from qcdesk.core.storage import documents as doc_sql
from builders import empty_project

pytestmark = pytest.mark.core


@st.composite
def parsed_documents(draw):
    text = draw(st.text(min_size=1, max_size=200))
    n = len(text)

    def span():
        a = draw(st.integers(0, n))
        return a, draw(st.integers(a, n))

    blocks = [Block(draw(st.sampled_from(["paragraph", "heading", "table_row"])), *span(),
                    draw(st.integers(0, 6))) for _ in range(draw(st.integers(0, 30)))]
    times = st.one_of(st.none(), st.floats(0, 1e5, allow_nan=False))
    turns = [SpeakerTurn(draw(st.text(min_size=1, max_size=20)), *span(), draw(times), draw(times))
             for _ in range(draw(st.integers(0, 30)))]
    return ParsedDocument(text=text, source_format="txt", blocks=blocks, turns=turns)


def _sorted(items):
    return sorted(items, key=lambda i: (i.start, tuple(vars(i).items()).__repr__()))


@settings(max_examples=40, deadline=None)
@given(parsed_documents())
def test_structure_comes_back_as_stored(tmp_path_factory, parsed):
    with empty_project(tmp_path_factory.mktemp("p") / "p.qcdesk") as project:
        doc = project.documents.add("Doc", parsed)
        assert project.document_text(doc.id) == parsed.text
        assert _sorted(project.blocks(doc.id)) == _sorted(parsed.blocks)
        assert _sorted(project.speaker_turns(doc.id)) == _sorted(parsed.turns)


@pytest.mark.parametrize("times", [(None, None), (1.5, None)])
def test_names_with_any_character_come_back_whole(tmp_path, times):
    turns = [SpeakerTurn(name, i, i + 1, *times)
             for i, name in enumerate(["a\x00b", '😀"\\ \u202e', "\ud7ff\ue000", "x" * 300, "\x00"])]
    parsed = ParsedDocument(text="abcdef", source_format="txt", blocks=[], turns=turns)
    with empty_project(tmp_path / "p.qcdesk") as project:
        doc = project.documents.add("Doc", parsed)
        assert project.speaker_turns(doc.id) == turns


def test_a_failure_storing_turns_leaves_nothing_of_the_document(tmp_path, monkeypatch):
    parsed = ParsedDocument(text="Interviewer: Ready?\n\nP1: Yes.", source_format="txt",
                            blocks=[Block("paragraph", 0, 19, 0), Block("paragraph", 21, 28, 0)],
                            turns=[SpeakerTurn("Interviewer", 0, 19, None, None)])

    def broken(db, document_id, turns):
        raise OSError("disk gone")

    with empty_project(tmp_path / "p.qcdesk") as project:
        monkeypatch.setattr(doc_sql, "insert_turns", broken)
        with pytest.raises(OSError):
            project.documents.add("Doc", parsed)
        counts = [project.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("documents", "blocks", "speaker_turns")]
        assert counts == [0, 0, 0]
