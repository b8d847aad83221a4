"""Offset-preserving text edits: the text changes, every coding still covers the same words."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcdesk.core.errors import OperationError
from qcdesk.core.importers.base import ParsedDocument, content_hash
from qcdesk.core.models import Block, SpeakerTurn
from qcdesk.core.storage import timing as timing_sql
from qcdesk.core.textedit import Remap, apply_edits, normalise_edits, replace_spans, restore_text
from builders import empty_project

pytestmark = pytest.mark.core

TEXT = ("S01: I met Dr Smith 🙂 in Leeds.\n\n"
        "Interviewer: And then?\n\n"
        "S01: Dr Smith said the ward in Leeds was busy.")


def parsed(text: str = TEXT) -> ParsedDocument:
    blocks, turns, pos = [], [], 0
    for para in text.split("\n\n"):
        end = pos + len(para)
        blocks.append(Block("paragraph", pos, end))
        turns.append(SpeakerTurn(para.split(":")[0], pos, end, None, None))
        pos = end + 2
    return ParsedDocument(text=text, source_format="txt", blocks=blocks, turns=turns)


@pytest.fixture
def project(tmp_path):
    p = empty_project(tmp_path / "edit.qcdesk")
    yield p
    p.close()


def covered(project, coding_id: int) -> str:
    c = project.coding(coding_id)
    return project.document_text(c.document_id)[c.start:c.end]


def test_replacing_a_name_keeps_codings_on_their_words_and_undo_restores_them(project):
    doc = project.documents.add("P1", parsed())
    code = project.codebook.add("Place").value
    leeds2 = TEXT.rindex("Leeds")
    ward = project.codings.apply(doc.id, code.id, TEXT.index("the ward"), leeds2 + len("Leeds")).value
    busy = project.codings.apply(doc.id, code.id, TEXT.index("busy"), TEXT.index("busy") + 4).value
    name = project.codings.apply(doc.id, code.id, TEXT.index("Smith"), TEXT.index("Smith") + 5).value
    events = []
    project.subscribe(events.append)

    edits = [(m, m + len("Dr Smith"), "[Supervisor 1]") for m in _find_all(TEXT, "Dr Smith")]
    snapshot = replace_spans(project, doc.id, edits)

    new = project.document_text(doc.id)
    assert "Smith" not in new and new.count("[Supervisor 1]") == 2
    assert covered(project, ward.id) == "the ward in Leeds"
    assert covered(project, busy.id) == "busy"
    assert covered(project, name.id) == "[Supervisor 1]"  # inside the replaced span: snapped to it
    stored = project.document(doc.id)
    assert stored.char_count == len(new) and stored.content_hash == content_hash(new)
    assert [d.id for d in project.documents_with_hash(new)] == [doc.id]
    turns = project.speaker_turns(doc.id)
    assert [new[t.start:t.end] for t in turns] == new.split("\n\n")
    assert [new[b.start:b.end] for b in project.blocks(doc.id)] == new.split("\n\n")
    assert project.db.execute("SELECT rowid FROM documents_fts WHERE documents_fts MATCH 'supervisor'"
                              ).fetchall() == [(doc.id,)]
    assert len(events) == 1 and events[0].texts == {doc.id} and doc.id in events[0].coded_documents
    assert project.turn_at(doc.id, len(new) - 1).speaker == "S01"

    restore_text(project, snapshot)
    assert project.document_text(doc.id) == TEXT
    assert covered(project, ward.id) == "the ward in Leeds" and covered(project, name.id) == "Smith"
    assert project.document(doc.id).content_hash == content_hash(TEXT)
    assert project.speaker_turns(doc.id) == parsed().turns


def test_a_coding_created_after_the_edit_is_mapped_back_on_restore(project):
    doc = project.documents.add("P1", parsed())
    code = project.codebook.add("Place").value
    snapshot = replace_spans(project, doc.id, [(TEXT.index("Dr Smith"), TEXT.index("Dr Smith") + 8, "X")])
    new = project.document_text(doc.id)
    later = project.codings.apply(doc.id, code.id, new.index("in Leeds"), new.index("in Leeds") + 8).value
    restore_text(project, snapshot)
    assert covered(project, later.id) == "in Leeds"


def test_an_edit_that_would_empty_a_coding_is_refused_and_changes_nothing(project):
    doc = project.documents.add("P1", parsed())
    code = project.codebook.add("Name").value
    start = TEXT.index("Smith")
    project.codings.apply(doc.id, code.id, start, start + 5)
    with pytest.raises(OperationError, match="remove all of the text"):
        replace_spans(project, doc.id, [(start - 3, start + 5, "")])
    assert project.document_text(doc.id) == TEXT


@pytest.mark.parametrize("edits", [[(5, 3, "x")], [(0, 10_000, "x")], [(0, 5, "a"), (4, 8, "b")],
                                   [(3, 3, "a"), (3, 3, "b")]])
def test_invalid_edits_are_refused(project, edits):
    doc = project.documents.add("P1", parsed())
    with pytest.raises(OperationError):
        replace_spans(project, doc.id, edits)
    assert project.document_text(doc.id) == TEXT


def test_boundaries_of_inserted_text_stay_outside_the_range():
    remap = Remap([(4, 4, "XY")])
    assert remap.range(4, 8) == (6, 10)  # insertion at the start: not covered
    assert remap.range(0, 4) == (0, 4)  # insertion at the end: not covered
    assert remap.range(2, 6) == (2, 8)  # insertion inside: covered


def _find_all(text: str, word: str) -> list[int]:
    out, i = [], text.find(word)
    while i >= 0:
        out.append(i)
        i = text.find(word, i + 1)
    return out


# ----------------------------------------------------------------- property: the same words
ALPHABET = st.sampled_from(list("ab c\n😀é"))


@st.composite
def case(draw):
    text = draw(st.text(ALPHABET, min_size=1, max_size=60))
    n = len(text)
    points = sorted(draw(st.lists(st.integers(0, n), max_size=8)))
    edits, last = [], -1
    for a, b in zip(points[::2], points[1::2]):
        if a == b and a == last:
            continue
        edits.append((a, b, draw(st.text(ALPHABET, max_size=5))))
        last = b
    codings = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(1, n)).filter(lambda t: t[0] < t[1]),
                            max_size=6))
    syncs = draw(st.lists(st.integers(0, n), max_size=5))
    return text, edits, codings, syncs


def expected_point(text: str, edits: list, p: int) -> int:
    """Independent statement of where a sync point goes: inside a replaced span to its start;
    what comes before it is the old text before it with the edits there applied (text inserted
    exactly at the point included: the point stays with the word that followed it)."""
    for a, b, _ in edits:
        if a < p < b:
            p = a
    return len(apply_edits(text[:p], [e for e in edits if e[1] <= p]))


def expected_cover(text: str, edits: list, start: int, end: int) -> str:
    """Independent statement of what a coding covers after the edits: its words, with each
    edit it touches applied in full, and text inserted at its very boundaries left out."""
    for a, b, _ in edits:
        if a < start < b:
            start = a
        if a < end < b:
            end = b
    inside = [(a - start, b - start, r) for a, b, r in edits
              if start <= a and b <= end and not (a == b and a in (start, end))]
    return apply_edits(text[start:end], inside)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=case())
def test_every_coding_keeps_its_words_outside_the_edited_spans(tmp_path_factory, data):
    text, edits, codings, syncs = data
    path = tmp_path_factory.mktemp("prop") / "p.qcdesk"
    with empty_project(path) as project:
        doc = project.documents.add("D", ParsedDocument(text=text, source_format="txt",
                                                       blocks=[Block("paragraph", 0, len(text))],
                                                       sync_points=[(p, float(k)) for k, p in enumerate(syncs)]))
        code = project.codebook.add("C").value
        ids = [project.codings.apply(doc.id, code.id, s, e).value.id for s, e in dict.fromkeys(codings)]
        before = {i: (project.coding(i).start, project.coding(i).end) for i in ids}
        normal = normalise_edits(text, edits)
        try:
            snapshot = replace_spans(project, doc.id, edits)
        except OperationError:
            # refused only when some coding lies wholly inside a deletion
            assert any(expected_cover(text, normal, *before[i]) == "" for i in ids)
            assert project.document_text(doc.id) == text
            return
        new = project.document_text(doc.id)
        assert new == apply_edits(text, normal)
        for i in ids:
            c = project.coding(i)
            assert 0 <= c.start < c.end <= len(new)
            assert new[c.start:c.end] == expected_cover(text, normal, *before[i])
        # sync points move with the words that follow them, and each keeps its time
        assert sorted(timing_sql.sync_points(project.db, doc.id), key=lambda r: r[1]) == \
            [(expected_point(text, normal, p), float(k)) for k, p in enumerate(syncs)]
        restore_text(project, snapshot)
        assert project.document_text(doc.id) == text
        assert {i: (project.coding(i).start, project.coding(i).end) for i in ids} == before
        assert sorted(timing_sql.sync_points(project.db, doc.id), key=lambda r: r[1]) == \
            [(p, float(k)) for k, p in enumerate(syncs)]
