"""Domain operations of a project: documents, codebook, codings, retrieval, actions."""

from __future__ import annotations

import sqlite3

import pytest

from qcdesk.core.errors import OperationError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block, Changes, SpeakerTurn
from qcdesk.core.project import Project
from builders import empty_project

pytestmark = pytest.mark.core

TURNS = [
    ("Interviewer", "How did you find your mentor?", 3.0),
    ("P03 (mentee)", "By accident 🙂, on placement with Dr Núñez in paediatrics.", 7.5),
    ("Interviewer", "And the feedback?", 21.0),
    ("P03 (mentee)", "Concrete 👍🏽 and early, which I needed.", 24.25),
]


def transcript(turns=TURNS) -> ParsedDocument:
    """A parsed document laid out as the importers do: ``Speaker: utterance`` paragraphs."""
    parts, blocks, speaker_turns, pos = [], [], [], 0
    for speaker, utterance, time in turns:
        para = f"{speaker}: {utterance}"
        blocks.append(Block("paragraph", pos, pos + len(para)))
        speaker_turns.append(SpeakerTurn(speaker, pos, pos + len(para), time, time + 2.0))
        parts.append(para)
        pos += len(para) + 2
    return ParsedDocument(text="\n\n".join(parts), source_format="txt",
                          blocks=blocks, turns=speaker_turns)


@pytest.fixture
def project(tmp_path):
    p = empty_project(tmp_path / "study.qcdesk")
    yield p
    p.close()


@pytest.fixture
def doc(project):
    return project.documents.add("P03 interview", transcript(), source_name="p03.txt")


@pytest.fixture
def events(project):
    seen: list[Changes] = []
    project.subscribe(seen.append)
    return seen


def span(project, doc_id, needle):
    text = project.document_text(doc_id)
    start = text.index(needle)
    return start, start + len(needle)


# ----------------------------------------------------------------- documents
def test_add_document_stores_text_blocks_and_turns(project, doc):
    parsed = transcript()
    assert doc.name == "P03 interview" and doc.source_name == "p03.txt"
    assert doc.char_count == len(parsed.text)
    assert project.document_text(doc.id) == parsed.text
    assert project.blocks(doc.id) == parsed.blocks
    assert project.speaker_turns(doc.id) == parsed.turns
    assert [d.id for d in project.documents()] == [doc.id]
    assert project.documents_with_hash(parsed.text) == [doc]


def test_documents_keep_import_order(project):
    names = ["b", "a", "c"]
    for i, name in enumerate(names):
        project.documents.add(name, ParsedDocument(f"text {i}", "txt"))
    assert [d.name for d in project.documents()] == names
    assert [d.position for d in project.documents()] == [0, 1, 2]


def test_blank_document_name_becomes_untitled(project):
    assert project.documents.add("   ", ParsedDocument("x", "txt")).name == "Untitled"


@pytest.mark.parametrize("bad", [
    Block("paragraph", 0, 999),
    Block("paragraph", 5, 2),
    SpeakerTurn("X", -1, 3),
])
def test_structure_outside_the_text_is_refused(project, events, bad):
    parsed = ParsedDocument("short text", "txt")
    (parsed.turns if isinstance(bad, SpeakerTurn) else parsed.blocks).append(bad)
    with pytest.raises(OperationError, match="inconsistent structure"):
        project.documents.add("broken", parsed)
    assert project.documents() == []
    assert events == []


def test_rename_document(project, doc, events):
    project.documents.rename(doc.id, "  Mentee three  ")
    assert project.document(doc.id).name == "Mentee three"
    assert events[-1].documents == {doc.id} and events[-1].document_list
    with pytest.raises(OperationError):
        project.documents.rename(doc.id, "   ")
    with pytest.raises(OperationError):
        project.documents.rename(9999, "x")
    assert project.document(doc.id).name == "Mentee three"


def test_delete_and_restore_document(project, doc):
    code = project.codebook.add("Feedback").value
    coding = project.codings.apply(doc.id, code.id, *span(project, doc.id, "Concrete")).value
    before = (project.document(doc.id), project.document_text(doc.id), project.blocks(doc.id),
              project.speaker_turns(doc.id), project.codings_for_document(doc.id))
    snapshot = project.documents.delete(doc.id).undo
    assert project.documents() == []
    assert project.codings_for_codes([code.id]) == []
    with pytest.raises(OperationError):
        project.document_text(doc.id)
    snapshot.run()
    after = (project.document(doc.id), project.document_text(doc.id), project.blocks(doc.id),
             project.speaker_turns(doc.id), project.codings_for_document(doc.id))
    assert after == before
    assert project.coding(coding.id) == coding


def test_unknown_document_is_an_operation_error(project):
    for call in (project.document, project.document_text, project.documents.delete):
        with pytest.raises(OperationError, match="does not exist"):
            call(42)


# ----------------------------------------------------------------- codebook
def test_add_code_with_defaults_and_children(project):
    theme = project.codebook.add("  Belonging   and identity ", description="Place in medicine.").value
    assert theme.name == "Belonging and identity"
    assert theme.parent_id is None and theme.position == 0
    assert theme.description == "Place in medicine."
    assert theme.color.startswith("#") and len(theme.color) == 7
    child = project.codebook.add("Microaggressions", parent_id=theme.id, color="#F1948A").value
    assert child.parent_id == theme.id and child.color == "#f1948a"
    assert project.code_path(child.id) == ["Belonging and identity", "Microaggressions"]
    second = project.codebook.add("Other theme").value
    assert second.color != theme.color  # palette hands out distinct colours in turn


def test_add_code_at_position(project):
    a, b = project.codebook.add("A").value, project.codebook.add("B").value
    c = project.codebook.add("C", position=0).value
    assert [x.name for x, _ in project.codes_in_tree_order()] == ["C", "A", "B"]
    assert project.code_position(c.id) == (None, 0)
    assert project.code_position(b.id) == (None, 2)
    assert a.id != c.id


@pytest.mark.parametrize("name", ["", "   ", "\n\t", "x" * 201])
def test_invalid_code_names_raise(project, events, name):
    with pytest.raises(OperationError):
        project.codebook.add(name)
    code = project.codebook.add("Good").value
    with pytest.raises(OperationError):
        project.codebook.rename(code.id, name)
    assert project.code(code.id).name == "Good"
    assert [c.name for c in project.codes()] == ["Good"]
    assert len(events) == 1


@pytest.mark.parametrize("color", ["red", "#fff", "#12345g", "1234567", "#1234567", " #123456", ""])
def test_invalid_colours_raise(project, color):
    code = project.codebook.add("Good", color="#123456").value
    with pytest.raises(OperationError):
        project.codebook.set_color(code.id, color)
    if color:  # an empty colour means "pick one" when adding
        with pytest.raises(OperationError):
            project.codebook.add("Other", color=color)
    assert project.code(code.id).color == "#123456"
    assert len(project.codes()) == 1


def test_rename_recolour_describe(project, doc, events):
    code = project.codebook.add("Feedbak").value
    project.codings.apply(doc.id, code.id, 0, 5)
    events.clear()
    assert project.codebook.rename(code.id, "Feedback").value.name == "Feedback"
    assert events[-1].codes == {code.id} and events[-1].codebook
    assert events[-1].coded_documents == set()
    assert project.codebook.set_color(code.id, "#AABBCC").value.color == "#aabbcc"
    # a new colour must re-highlight the documents carrying the code
    assert events[-1].coded_documents == {doc.id}
    assert project.codebook.set_description(code.id, "How feedback lands.").value.description == "How feedback lands."
    assert len(events) == 3
    assert project.code(code.id) == project.codes()[0]
    with pytest.raises(OperationError):
        project.codebook.rename(777, "x")


def _tree(project):
    return [("/".join(project.code_path(c.id)), depth) for c, depth in project.codes_in_tree_order()]


def test_move_code_reorders_and_reparents(project, events):
    a = project.codebook.add("A").value
    b = project.codebook.add("B").value
    c = project.codebook.add("C").value
    a1 = project.codebook.add("A1", parent_id=a.id).value
    events.clear()
    project.codebook.move(c.id, None, 0)
    assert _tree(project) == [("C", 0), ("A", 0), ("A/A1", 1), ("B", 0)]
    project.codebook.move(b.id, a.id, 0)
    assert _tree(project) == [("C", 0), ("A", 0), ("A/B", 1), ("A/A1", 1)]
    assert [project.code_position(i) for i in (c.id, a.id, b.id, a1.id)] == \
        [(None, 0), (None, 1), (a.id, 0), (a.id, 1)]
    project.codebook.move(b.id, None)  # no row: to the end
    assert _tree(project) == [("C", 0), ("A", 0), ("A/A1", 1), ("B", 0)]
    project.codebook.move(a.id, None, 99)  # row clamped
    assert _tree(project) == [("C", 0), ("B", 0), ("A", 0), ("A/A1", 1)]
    assert len(events) == 4
    assert all(e.codebook for e in events)
    # positions stay dense within each parent
    assert sorted(c.position for c in project.codes() if c.parent_id is None) == [0, 1, 2]


def test_moving_into_own_descendant_is_refused(project, events):
    a = project.codebook.add("A").value
    a1 = project.codebook.add("A1", parent_id=a.id).value
    a11 = project.codebook.add("A11", parent_id=a1.id).value
    before = _tree(project)
    events.clear()
    for target in (a.id, a1.id, a11.id):
        with pytest.raises(OperationError, match="into itself"):
            project.codebook.move(a.id, target)
    assert _tree(project) == before
    assert events == []


def test_delete_code_and_restore_gives_back_everything(project, doc):
    keep_before = project.codebook.add("Keep before").value
    theme = project.codebook.add("Theme", color="#abcdef", description="d").value
    keep_after = project.codebook.add("Keep after").value
    cat = project.codebook.add("Category", parent_id=theme.id).value
    leaf = project.codebook.add("Leaf", parent_id=cat.id).value
    sibling = project.codebook.add("Sibling", parent_id=theme.id).value
    c1 = project.codings.apply(doc.id, leaf.id, 0, 10).value
    c2 = project.codings.apply(doc.id, theme.id, 5, 20).value
    c3 = project.codings.apply(doc.id, keep_after.id, 5, 20).value
    now = "2024-01-01T00:00:00+00:00"
    with project.action():
        project.db["memos"].insert_all([
            {"id": 1, "title": "on code", "body": "b", "code_id": cat.id, "created": now, "modified": now},
            {"id": 2, "title": "on coding", "body": "b", "coding_id": c1.id, "created": now, "modified": now},
            {"id": 3, "title": "unrelated", "body": "b", "coding_id": c3.id, "created": now, "modified": now},
        ])
    memos_before = list(project.db["memos"].rows)
    codes_before = sorted(project.codes(), key=lambda c: c.id)
    tree_before = _tree(project)

    snapshot = project.codebook.delete(theme.id).undo
    assert _tree(project) == [("Keep before", 0), ("Keep after", 0)]
    assert project.code_position(keep_after.id) == (None, 1)
    assert [c.id for c in project.codings_for_document(doc.id)] == [c3.id]
    assert [m["id"] for m in project.db["memos"].rows] == [3]
    for gone in (theme.id, cat.id, leaf.id, sibling.id):
        with pytest.raises(OperationError):
            project.code(gone)

    snapshot.run()
    assert sorted(project.codes(), key=lambda c: c.id) == codes_before
    assert _tree(project) == tree_before
    assert project.coding(c1.id) == c1 and project.coding(c2.id) == c2
    assert sorted(project.db["memos"].rows, key=lambda r: r["id"]) == memos_before
    assert keep_before.id != theme.id


def test_delete_code_then_more_changes_then_restore(project):
    a, b, c = (project.codebook.add(n).value for n in "ABC")
    snapshot = project.codebook.delete(b.id).undo
    d = project.codebook.add("D").value
    snapshot.run()
    assert [x.name for x, _ in project.codes_in_tree_order()] == ["A", "B", "C", "D"]
    assert project.code(b.id).name == "B" and d.id != b.id
    assert a.id < c.id


# ----------------------------------------------------------------- codings
def test_apply_code_records_range_and_coder(project, doc, events):
    coder = project.set_coder("Ana")
    code = project.codebook.add("Finding a mentor").value
    events.clear()
    start, end = span(project, doc.id, "By accident")
    coding = project.codings.apply(doc.id, code.id, start, end).value
    assert (coding.document_id, coding.code_id, coding.start, coding.end) == (doc.id, code.id, start, end)
    assert coding.coder_id == coder.id
    assert project.codings_for_document(doc.id) == [coding]
    assert len(events) == 1
    assert events[0].codings == {coding.id}
    assert events[0].codes == {code.id}
    assert events[0].coded_documents == {doc.id}
    assert not events[0].codebook and not events[0].document_list


def test_exact_duplicate_returns_existing_and_changes_nothing(project, doc, events):
    code = project.codebook.add("X").value
    first = project.codings.apply(doc.id, code.id, 3, 9).value
    events.clear()
    again = project.codings.apply(doc.id, code.id, 3, 9).value
    assert again == first
    assert project.codings_for_document(doc.id) == [first]
    assert events == []
    # same range with another code, or another range, is a new coding
    other = project.codebook.add("Y").value
    assert project.codings.apply(doc.id, other.id, 3, 9).value.id != first.id
    assert project.codings.apply(doc.id, code.id, 3, 10).value.id != first.id
    assert len(project.codings_for_document(doc.id)) == 3


def test_another_coders_identical_coding_is_kept_apart(project, doc):
    code = project.codebook.add("X").value
    project.set_coder("AB")
    first = project.codings.apply(doc.id, code.id, 3, 9).value
    project.set_coder("CD")
    second = project.codings.apply(doc.id, code.id, 3, 9).value
    assert second.id != first.id
    names = {c.id: c.name for c in project.coders()}
    assert sorted(names[c.coder_id] for c in project.codings_for_document(doc.id)) == ["AB", "CD"]
    assert project.codings.apply(doc.id, code.id, 3, 9).value == second   # CD's own duplicate


@pytest.mark.parametrize("rng", [(-1, 4), (4, 4), (5, 2), (0, 10_000)])
def test_out_of_range_codings_are_refused(project, doc, events, rng):
    code = project.codebook.add("X").value
    events.clear()
    with pytest.raises(OperationError, match="Cannot code"):
        project.codings.apply(doc.id, code.id, *rng)
    assert project.codings_for_document(doc.id) == []
    assert events == []


def test_coding_at_the_very_end_is_allowed(project, doc):
    code = project.codebook.add("X").value
    n = project.document(doc.id).char_count
    coding = project.codings.apply(doc.id, code.id, n - 1, n).value
    assert project.document_text(doc.id)[coding.start:coding.end] == "."


def test_coding_unknown_document_or_code_is_refused(project, doc):
    code = project.codebook.add("X").value
    with pytest.raises(OperationError):
        project.codings.apply(999, code.id, 0, 1)
    with pytest.raises(OperationError):
        project.codings.apply(doc.id, 999, 0, 1)


def test_remove_and_restore_coding(project, doc, events):
    code = project.codebook.add("X").value
    coding = project.codings.apply(doc.id, code.id, 2, 8).value
    now = "2024-01-01T00:00:00+00:00"
    with project.action():
        project.db["memos"].insert({"id": 7, "title": "why", "body": "because", "coding_id": coding.id,
                                    "created": now, "modified": now})
    events.clear()
    snap = project.codings.remove(coding.id).undo
    assert project.codings_for_document(doc.id) == []
    assert project.db["memos"].count == 0
    with pytest.raises(OperationError):
        project.coding(coding.id)
    snap.run()
    assert project.coding(coding.id) == coding
    assert [m["body"] for m in project.db["memos"].rows] == ["because"]
    assert len(events) == 2
    assert all(e.codings == {coding.id} and e.coded_documents == {doc.id} for e in events)


def test_overlapping_lookup(project, doc):
    code = project.codebook.add("X").value
    a = project.codings.apply(doc.id, code.id, 0, 10).value
    b = project.codings.apply(doc.id, code.id, 10, 20).value
    c = project.codings.apply(doc.id, code.id, 5, 15).value

    def ids(start, end):
        return [x.id for x in project.codings_overlapping(doc.id, start, end)]

    assert ids(0, 5) == [a.id]
    assert ids(9, 11) == [a.id, c.id, b.id]
    assert ids(10, 10) == [c.id, b.id]  # a position: codings containing it
    assert ids(20, 25) == []
    assert ids(15, 16) == [b.id]


def test_non_bmp_offsets_are_exact_code_points(project):
    text = "Zoë said 👍🏽 then 🎉 and 𝒜 at Núñez's clinic"
    doc = project.documents.add("emoji", ParsedDocument(text, "txt", turns=[SpeakerTurn("Zoë", 0, len(text))]))
    assert project.document(doc.id).char_count == len(text)
    code = project.codebook.add("X").value
    needles = ["👍🏽", "🎉 and 𝒜", "Núñez's clinic", "Zoë"]
    for needle in needles:
        start = text.index(needle)
        project.codings.apply(doc.id, code.id, start, start + len(needle))
    segments = project.segments([code.id])
    assert sorted(s.text for s in segments) == sorted(needles)
    for s in segments:
        assert s.text == text[s.coding.start:s.coding.end]
        assert s.speaker == "Zoë"
    # and the same offsets on disk, read by an independent connection
    raw = sqlite3.connect(project.path)
    try:
        stored = raw.execute("SELECT plain_text FROM documents WHERE id = ?", [doc.id]).fetchone()[0]
    finally:
        raw.close()
    assert stored == text


def test_segments_carry_speaker_time_and_paragraph(project, doc):
    other = project.documents.add("Other", transcript(TURNS[:2]))
    code = project.codebook.add("X").value
    s1, e1 = span(project, doc.id, "Concrete 👍🏽 and early")
    s2, e2 = span(project, doc.id, "How did you find")
    s3, e3 = span(project, other.id, "Dr Núñez")
    project.codings.apply(doc.id, code.id, s1, e1)
    project.codings.apply(doc.id, code.id, s2, e2)
    project.codings.apply(other.id, code.id, s3, e3)
    segments = project.segments([code.id])
    got = [(s.document_name, s.text, s.speaker, s.time_start, s.paragraph) for s in segments]
    assert got == [
        ("P03 interview", "How did you find", "Interviewer", 3.0, 1),
        ("P03 interview", "Concrete 👍🏽 and early", "P03 (mentee)", 24.25, 4),
        ("Other", "Dr Núñez", "P03 (mentee)", 7.5, 2),
    ]


def test_segments_without_structure_have_no_speaker(project):
    doc = project.documents.add("plain", ParsedDocument("no structure here", "txt"))
    code = project.codebook.add("X").value
    project.codings.apply(doc.id, code.id, 3, 12)
    (segment,) = project.segments([code.id])
    assert (segment.text, segment.speaker, segment.time_start, segment.paragraph) == \
        ("structure", None, None, None)


def test_segment_cache_follows_document_changes(project, doc):
    code = project.codebook.add("X").value
    project.codings.apply(doc.id, code.id, 0, 5)
    assert project.segments([code.id])[0].speaker == "Interviewer"
    snap = project.documents.delete(doc.id).undo
    assert project.segments([code.id]) == []
    snap.run()
    assert project.segments([code.id])[0].speaker == "Interviewer"


def test_code_counts(project, doc):
    a, b = project.codebook.add("A").value, project.codebook.add("B").value
    other = project.documents.add("Other", ParsedDocument("another text entirely", "txt"))
    project.codings.apply(doc.id, a.id, 0, 3)
    project.codings.apply(doc.id, a.id, 4, 8)
    project.codings.apply(other.id, a.id, 0, 3)
    project.codings.apply(other.id, b.id, 0, 3)
    assert project.code_counts() == {a.id: (3, 2), b.id: (1, 1)}
    assert project.counts_by_code_and_document() == {(a.id, doc.id): 2, (a.id, other.id): 1,
                                                     (b.id, other.id): 1}


# ----------------------------------------------------------------- actions
def test_one_changes_per_action_with_the_right_ids(project, events):
    doc = project.documents.add("D", ParsedDocument("some words here", "txt"))
    code = project.codebook.add("C").value
    child = project.codebook.add("Child", parent_id=code.id).value
    coding = project.codings.apply(doc.id, child.id, 0, 4).value
    snapshot = project.codebook.delete(code.id).undo
    assert len(events) == 5
    assert events[0].documents == {doc.id} and events[0].document_list
    assert events[1].codes == {code.id} and events[1].codebook
    assert events[2].codes == {child.id}
    assert events[3].codings == {coding.id}
    assert events[4].codes == {code.id, child.id}
    assert events[4].codings == {coding.id} and events[4].coded_documents == {doc.id}
    snapshot.run()
    assert len(events) == 6 and events[5].codes == {code.id, child.id}


def test_nested_actions_notify_once(project, events):
    with project.action() as changes:
        a = project.codebook.add("A").value
        b = project.codebook.add("B").value
        changes.memos = True
    assert len(events) == 1
    assert events[0].codes == {a.id, b.id} and events[0].memos


def test_failing_action_rolls_back_everything_and_notifies_nobody(project, doc, events):
    code = project.codebook.add("Keep").value
    events.clear()
    with pytest.raises(RuntimeError):
        with project.action():
            project.codebook.add("Gone")
            project.codebook.rename(code.id, "Renamed")
            project.codings.apply(doc.id, code.id, 0, 4)
            project.documents.rename(doc.id, "Renamed doc")
            raise RuntimeError("boom")
    assert [c.name for c in project.codes()] == ["Keep"]
    assert project.codings_for_document(doc.id) == []
    assert project.document(doc.id).name == "P03 interview"
    assert events == []
    # the project keeps working afterwards and the next action notifies normally
    project.codebook.add("After")
    assert len(events) == 1 and [c.name for c in project.codes()] == ["Keep", "After"]


def test_failing_restore_rolls_back(project, events):
    code = project.codebook.add("A").value
    snapshot = project.codebook.delete(code.id).undo
    snapshot.run()
    events.clear()
    with pytest.raises(Exception):
        snapshot.run()  # the same ids are taken now
    assert [c.name for c in project.codes()] == ["A"]
    assert events == []


def test_read_only_project_refuses_changes(tmp_path):
    path = tmp_path / "ro.qcdesk"
    with empty_project(path) as p:
        doc = p.documents.add("D", ParsedDocument("some words here", "txt"))
        code = p.codebook.add("C").value
    with Project.open(path, read_only=True) as ro:
        seen = []
        ro.subscribe(seen.append)
        attempts = [
            lambda: ro.codebook.add("New").value,
            lambda: ro.codebook.rename(code.id, "X").value,
            lambda: ro.codings.apply(doc.id, code.id, 0, 4).value,
            lambda: ro.documents.add("E", ParsedDocument("x", "txt")),
            lambda: ro.documents.delete(doc.id).value,
            lambda: ro.set_info("k", "v"),
        ]
        for attempt in attempts:
            with pytest.raises(OperationError, match="read-only"):
                attempt()
        assert seen == []
        assert [c.name for c in ro.codes()] == ["C"]
        assert ro.codings_for_document(doc.id) == []
        assert ro.set_coder("Visitor").name == "Visitor"  # remembered, not stored
        assert ro.coders() == []


def test_changes_are_visible_in_a_fresh_open(tmp_path):
    path = tmp_path / "p.qcdesk"
    with empty_project(path) as p:
        p.set_coder("Ana")
        doc = p.documents.add("D", transcript())
        code = p.codebook.add("C", color="#aabbcc").value
        coding = p.codings.apply(doc.id, code.id, 0, 11).value
    with Project.open(path) as again:
        assert again.documents()[0].name == "D"
        assert again.code(code.id).color == "#aabbcc"
        assert again.coding(coding.id) == coding
        assert [c.name for c in again.coders()] == ["Ana"]
        assert again.integrity_ok()
        assert again.stats() == {"documents": 1, "codes": 1, "codings": 1, "memos": 0, "cases": 0,
                                 "coders": 1, "speaker_turns": 4,
                                 "characters": len(transcript().text)}
