"""``Project.turn_at`` answers the first question about a document from one indexed row and the
next ones from all its turns read once (issue 19: opening a transcript asked where its cursor is
and read its 4,000 turns for it): both ways give the same turn for every position, whatever the
turns (touching, with gaps, empty, several starting together)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcdesk.core.project import FEW_TURN_QUESTIONS
from qcdesk.core.storage import documents as doc_sql
from builders import empty_project

pytestmark = pytest.mark.core

TEXT = "x" * 60

turn = st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from([0, 3, 7, 20, 41, 59]), st.integers(0, 12),
                 st.one_of(st.none(), st.floats(0, 100, allow_nan=False)))


@given(turns=st.lists(turn, max_size=12), positions=st.lists(st.integers(-1, 62), min_size=1, max_size=8))
def test_the_first_question_and_the_next_give_the_same_turn(tmp_path_factory, turns, positions):
    from qcdesk.core.importers.base import ParsedDocument

    with empty_project(tmp_path_factory.mktemp("t") / "p.qcdesk") as project:
        doc = project.documents.add("Interview", ParsedDocument(text=TEXT, source_format="txt"))
        rows = [(speaker, start, min(start + length, len(TEXT)), time, None) for speaker, start, length, time in turns]
        with project.db.conn:
            doc_sql.insert_turns(project.db, doc.id, rows)
        stored = project.speaker_turns(doc.id)

        def expected(position):
            before = [t for t in stored if t.start <= position]
            t = before[-1] if before else None
            return t if t is not None and t.start <= position < max(t.end, t.start + 1) else None

        for position in positions:
            project.forget_caches()
            for _ in range(FEW_TURN_QUESTIONS):
                assert project.turn_at(doc.id, position) == expected(position)  # one row
            assert doc.id not in project._turn_cache
            assert project.turn_at(doc.id, position) == expected(position)  # every turn, read once
            assert doc.id in project._turn_cache
