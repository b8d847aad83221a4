"""Saturation on a small known project: new and cumulative codes per interview, in interview order."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcdesk.core.errors import OperationError
from qcdesk.core.saturation import saturation
from builders import empty_project, paragraph_document

pytestmark = pytest.mark.core


@pytest.fixture
def study(tmp_path: Path):
    """Codebook: Support > {Mentor, Peers}, Barriers > {Time}; Identity (no children).

    Interview A: Mentor, Time        B: Mentor, Peers (coded by Sam)
    Interview C: Identity, Time      D: nothing new (Peers)
    """
    with empty_project(tmp_path / "s.qcdesk") as p:
        support = p.codebook.add("Support").value
        mentor = p.codebook.add("Mentor", parent_id=support.id).value
        peers = p.codebook.add("Peers", parent_id=support.id).value
        barriers = p.codebook.add("Barriers").value
        time = p.codebook.add("Time", parent_id=barriers.id).value
        identity = p.codebook.add("Identity").value
        ids = {}
        for name in "ABCD":
            ids[name] = p.documents.add(f"Interview {name}", paragraph_document("some words of the interview")).id
        p.set_coder("Alex")
        p.codings.apply(ids["A"], mentor.id, 0, 4)
        p.codings.apply(ids["A"], time.id, 5, 10)
        p.codings.apply(ids["B"], mentor.id, 0, 4)
        p.set_coder("Sam")
        p.codings.apply(ids["B"], peers.id, 5, 10)
        p.set_coder("Alex")
        p.codings.apply(ids["C"], identity.id, 0, 4)
        p.codings.apply(ids["C"], time.id, 0, 4)
        p.codings.apply(ids["D"], peers.id, 0, 4)
        yield p, ids


def summary(rows):
    return [(r.document_name[-1], list(r.new_code_names), r.cumulative) for r in rows]


def test_new_and_cumulative_codes_per_document(study):
    project, _ids = study
    rows = saturation(project)
    assert summary(rows) == [("A", ["Mentor", "Time"], 2), ("B", ["Peers"], 3),
                             ("C", ["Identity"], 4), ("D", [], 4)]
    assert [r.new_count for r in rows] == [2, 1, 1, 0]
    assert [r.codes_in_document for r in rows] == [2, 2, 2, 1]


def test_order_changes_what_is_new(study):
    project, ids = study
    seen = []
    project.subscribe(seen.append)
    project.documents.reorder([ids["D"], ids["C"]])
    assert len(seen) == 1 and seen[0].document_list
    assert [d.name[-1] for d in project.documents()] == ["D", "C", "A", "B"]
    assert summary(saturation(project)) == [("D", ["Peers"], 1), ("C", ["Time", "Identity"], 3),
                                            ("A", ["Mentor"], 4), ("B", [], 4)]
    with pytest.raises(OperationError, match="does not exist"):
        project.documents.reorder([999])


def test_top_level_themes_count_their_sub_codes(study):
    project, _ids = study
    assert summary(saturation(project, level=0)) == [("A", ["Support", "Barriers"], 2), ("B", [], 2),
                                                     ("C", ["Identity"], 3), ("D", [], 3)]
    # level 1: Identity (level 0) is not counted
    assert summary(saturation(project, level=1)) == [("A", ["Mentor", "Time"], 2), ("B", ["Peers"], 3),
                                                     ("C", [], 3), ("D", [], 3)]


def test_leaf_codes_only_and_one_coder(study):
    project, _ids = study
    project.codings.apply(project.documents()[0].id, project.codes()[0].id, 0, 3)  # "Support" itself, in A
    assert summary(saturation(project, leaves_only=True))[0] == ("A", ["Mentor", "Time"], 2)
    assert summary(saturation(project))[0] == ("A", ["Support", "Mentor", "Time"], 3)
    sam = next(c for c in project.coders() if c.name == "Sam")
    assert summary(saturation(project, coder_id=sam.id)) == [("A", [], 0), ("B", ["Peers"], 1),
                                                             ("C", [], 1), ("D", [], 1)]
    with pytest.raises(OperationError, match="counts from 0"):
        saturation(project, level=-1)


def test_a_document_nobody_has_coded_is_marked_not_coded(study):
    """An interview not coded yet adds "0 new codes" only in appearance: it is marked, not counted."""
    project, ids = study
    e = project.documents.add("Interview E", paragraph_document("not coded yet"))
    rows = saturation(project)
    assert [(r.document_name[-1], r.coded) for r in rows] == [("A", True), ("B", True), ("C", True),
                                                              ("D", True), ("E", False)]
    assert rows[-1].new_count == 0 and rows[-1].cumulative == 4
    # coded by someone else only: not coded as this coder saw it
    sam = next(c for c in project.coders() if c.name == "Sam")
    assert [r.coded for r in saturation(project, coder_id=sam.id)] == [False, True, False, False, False]
    # coded, but only with codes the count leaves out: coded, nothing new
    project.codings.apply(e.id, project.codes()[0].id, 0, 3)  # "Support" itself, not a leaf
    assert saturation(project, leaves_only=True)[-1].coded


def test_empty_project(tmp_path):
    with empty_project(tmp_path / "e.qcdesk") as p:
        assert saturation(p) == []
