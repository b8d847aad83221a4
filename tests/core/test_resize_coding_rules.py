"""Resizing a coding (drag its ends in the margin, extend it to the selection): the coding rules'
checks, one action, the same coding (id, code, coder, memo) with new ends, and the audit trail."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcdesk.core import audit
from qcdesk.core.errors import OperationError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block, Changes
from qcdesk.core.project import Project
from builders import empty_project

pytestmark = pytest.mark.core

TEXT = "My mentor helped me settle in. Then the money ran out and I worked nights."


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    p = empty_project(tmp_path_factory.mktemp("resize") / "study.qcdesk")
    p.set_coder("Amira")
    p.documents.add("P01", ParsedDocument(text=TEXT, source_format="txt", blocks=[Block("paragraph", 0, len(TEXT))]))
    p.codebook.add("Mentoring")
    yield p
    p.close()


def state(p: Project) -> list[tuple]:
    return [(c.id, c.code_id, c.start, c.end, c.coder_id, c.created) for c in p.codings_for_document(1)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 20)),
       second=st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 20)),
       start=st.integers(-5, len(TEXT) + 5), end=st.integers(-5, len(TEXT) + 5))
def test_a_resize_keeps_the_coding_or_is_refused_with_nothing_changed(project, first, second, start, end):
    p = project
    for c in p.codings_for_document(1):
        p.codings.remove(c.id)
    a = p.codings.apply(1, 1, first[0], min(len(TEXT), first[0] + first[1])).value
    b = p.codings.apply(1, 1, second[0], min(len(TEXT), second[0] + second[1])).value
    before = state(p)
    seen: list[Changes] = []
    p.subscribe(seen.append)
    try:
        if start >= end or start < 0 or end > len(TEXT) or ((start, end) == (b.start, b.end) and b.id != a.id):
            with pytest.raises(OperationError):
                p.codings.resize(a.id, start, end)
            assert state(p) == before and not seen
            return
        moved = p.codings.resize(a.id, start, end).value
    finally:
        p.unsubscribe(seen.append)
    assert (moved.id, moved.start, moved.end) == (a.id, start, end)
    after = {row[0]: row for row in state(p)}
    assert after[a.id] == (a.id, a.code_id, start, end, a.coder_id, a.created)  # code, coder and date stay
    assert len(after) == len(before)
    if (start, end) != (a.start, a.end):
        assert len(seen) == 1 and a.id in seen[0].codings and 1 in seen[0].coded_documents


def test_the_memo_stays_with_the_resized_coding_and_the_audit_trail_says_so(tmp_path):
    with empty_project(tmp_path / "s.qcdesk") as p:
        p.set_coder("Amira")
        p.documents.add("P01", ParsedDocument(text=TEXT, source_format="txt", blocks=[Block("paragraph", 0, len(TEXT))]))
        code = p.codebook.add("Mentoring").value
        coding = p.codings.apply(1, code.id, 3, 9).value
        p.memos.create("note", "first mention of a mentor", coding_id=coding.id)
        p.codings.resize(coding.id, 3, 30)
        assert p.memos.on(coding_id=coding.id).body == "first mention of a mentor"
        [last] = [e for e in audit.entries(p) if e.action == "resized"]
        assert last.action == "resized" and last.coder == "Amira"
        assert (last.detail["old_start"], last.detail["old_end"], last.detail["start"], last.detail["end"]) == (3, 9, 3, 30)
        assert "characters 3–30" in audit.describe(last)


def test_another_coders_identical_coding_does_not_block_a_resize(tmp_path):
    with empty_project(tmp_path / "s.qcdesk") as p:
        p.documents.add("P01", ParsedDocument(text=TEXT, source_format="txt", blocks=[Block("paragraph", 0, len(TEXT))]))
        code = p.codebook.add("Mentoring").value
        p.set_coder("Ben")
        p.codings.apply(1, code.id, 3, 30)
        p.set_coder("Amira")
        mine = p.codings.apply(1, code.id, 3, 9).value
        assert p.codings.resize(mine.id, 3, 30).value.end == 30
        p.set_coder("Amira")
        other = p.codings.apply(1, code.id, 40, 50).value
        with pytest.raises(OperationError, match="already coded with “Mentoring” by the same coder"):
            p.codings.resize(other.id, 3, 30)
