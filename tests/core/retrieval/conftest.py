"""The small study the retrieval and matrix tests share: two interviews with hand-made overlaps."""

from __future__ import annotations

import pytest
from retrieval_study import LINES_1, LINES_2, parsed, span

from builders import empty_project


@pytest.fixture
def study(tmp_path):
    """Two interviews; codes Mentoring > Assigned, Belonging, Worry; known overlaps."""
    project = empty_project(tmp_path / "study.qcdesk")
    d1 = project.documents.add("Interview 3", parsed(LINES_1))
    d2 = project.documents.add("Interview 7", parsed(LINES_2))
    t1, t2 = project.document_text(d1.id), project.document_text(d2.id)
    mentoring = project.codebook.add("Mentoring").value
    assigned = project.codebook.add("Assigned", parent_id=mentoring.id).value
    belonging = project.codebook.add("Belonging").value
    worry = project.codebook.add("Worry").value
    project.set_coder("Ana")
    c = {}
    # doc 1: "mentor 😀 was assigned" (Assigned) overlaps "was assigned by the school" (Belonging)
    c["a1"] = project.codings.apply(d1.id, assigned.id, *span(t1, "My mentor 😀 was assigned")).value
    c["b1"] = project.codings.apply(d1.id, belonging.id, *span(t1, "was assigned by the school")).value
    c["b2"] = project.codings.apply(d1.id, belonging.id, *span(t1, "I felt I belonged")).value
    project.set_coder("Ben")
    c["m1"] = project.codings.apply(d1.id, mentoring.id, *span(t1, "we met every month")).value
    # doc 2: Worry and Mentoring overlap; Belonging alone
    c["w1"] = project.codings.apply(d2.id, worry.id, *span(t2, "I worry that I have no time")).value
    c["m2"] = project.codings.apply(d2.id, mentoring.id, *span(t2, "three mentees and I worry")).value
    c["b3"] = project.codings.apply(d2.id, belonging.id, *span(t2, "I belong here")).value
    ids = dict(d1=d1.id, d2=d2.id, mentoring=mentoring.id, assigned=assigned.id,
               belonging=belonging.id, worry=worry.id)
    yield project, ids, c, (t1, t2)
    project.close()
