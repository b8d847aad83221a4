"""A parsed document sent from a worker process (pickled) is the same document: equal, checked,
stored with the same rows, and its rows travel as a few strings rather than an object each
(issue 19: unpickling 2,600 frozen dataclasses cost more than storing them)."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcdesk.core.importers.base import ParsedDocument, content_hash
from qcdesk.core.models import Block, SpeakerTurn
from qcdesk.core.project import Project
from builders import empty_project

pytestmark = pytest.mark.core


@st.composite
def documents(draw) -> ParsedDocument:
    text = draw(st.text(min_size=1, max_size=60))
    n = len(text)

    def span():
        a = draw(st.integers(0, n))
        return a, draw(st.integers(a, n))

    blocks = [Block(draw(st.sampled_from(["paragraph", "heading", "table_row"])), *span(),
                    draw(st.integers(0, 6))) for _ in range(draw(st.integers(0, 6)))]
    timed = draw(st.booleans())
    speaker = st.text(min_size=1, max_size=8) | st.just("P\x001")
    times = st.none() | st.floats(0, 1e6, allow_nan=False) if timed else st.none()
    turns = [SpeakerTurn(draw(speaker), *span(), draw(times), draw(times)) for _ in range(draw(st.integers(0, 6)))]
    return ParsedDocument(text, "txt", blocks=blocks, turns=turns,
                          notices=draw(st.lists(st.text(max_size=5), max_size=2)))


def rows(project: Project, doc_id: int) -> tuple[list, list]:
    blocks = project.db.execute('SELECT kind, start, "end", level FROM blocks WHERE document_id = ? '
                                "ORDER BY id", [doc_id]).fetchall()
    turns = project.db.execute('SELECT speaker, start, "end", time_start, time_end FROM speaker_turns '
                               "WHERE document_id = ? ORDER BY id", [doc_id]).fetchall()
    return blocks, turns


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=documents())
def test_a_sent_document_is_the_same_and_stores_the_same_rows(tmp_path_factory, doc):
    sent = pickle.loads(pickle.dumps(doc))
    with empty_project(tmp_path_factory.mktemp("p") / "p.qcdesk") as project:
        here = project.documents.add("Here", doc)
        there = project.documents.add("There", sent)  # stored from the packed rows, never read as objects
        assert rows(project, here.id) == rows(project, there.id)
        assert there.content_hash == here.content_hash == content_hash(doc.text)
    assert sent == doc and sent.blocks == doc.blocks and sent.turns == doc.turns
    assert sent.notices == doc.notices and sent.text == doc.text


def test_the_rows_travel_as_text_not_an_object_each():
    blocks = [Block("paragraph", i, i + 1) for i in range(500)]
    turns = [SpeakerTurn("P1", i, i + 1) for i in range(500)]
    data = pickle.dumps(ParsedDocument("x" * 600, "txt", blocks=blocks, turns=turns))
    assert b"Block" not in data and b"SpeakerTurn" not in data
    assert len(data) < 40 * 1000


def test_a_document_with_a_range_outside_its_text_is_not_sent():
    bad = ParsedDocument("short", "txt", blocks=[Block("paragraph", 0, 99)])
    with pytest.raises(ValueError, match="outside text"):
        pickle.dumps(bad)


def test_rows_read_after_sending_are_checked_again_before_storing(tmp_path):
    sent = pickle.loads(pickle.dumps(ParsedDocument("Hello there", "txt", blocks=[Block("paragraph", 0, 5)])))
    sent.blocks.append(Block("paragraph", 3, 50))  # read as objects, then changed
    with empty_project(tmp_path / "p.qcdesk") as project:
        with pytest.raises(Exception, match="outside text"):
            project.documents.add("Bad", sent)
        assert project.documents() == []
