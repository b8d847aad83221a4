"""Inter-coder agreement: figures computed by hand on tiny texts, Krippendorff's worked examples,
disagreements and settling them (with undo)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcdesk.core import agreement as ag
from qcdesk.core.errors import OperationError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from builders import empty_project

pytestmark = pytest.mark.core

TEXT = "abcdefghijklmnopqrst"  # 20 characters: one unit each


# ----------------------------------------------------------------- pure figures
def test_kappa_and_percent_by_hand():
    # A codes 0-10, B codes 0-8 of 20 characters: 8 both, 2 A only, 10 neither
    t = ag.table([(0, 10)], [(0, 8)], 20)
    assert t == ag.Table(both=8, first=2, second=0, neither=10)
    assert t.percent() == pytest.approx(90.0)
    # p_o = .9; p_e = (10*8 + 10*12) / 400 = .5; kappa = (.9 - .5) / .5
    assert t.kappa() == pytest.approx(0.8)
    # half overlapping halves: p_o = .5 = p_e
    assert ag.table([(0, 10)], [(5, 15)], 20).kappa() == pytest.approx(0.0)


def test_edge_cases_perfect_and_nothing():
    perfect = ag.table([(2, 7)], [(2, 7)], 20)
    assert (perfect.percent(), perfect.kappa()) == (100.0, 1.0)
    assert ag.alpha_parts([(20, [[(2, 7)], [(2, 7)]])]).alpha() == 1.0
    nothing = ag.table([], [], 20)
    assert nothing.percent() == 100.0 and nothing.kappa() is None
    assert ag.alpha_parts([(20, [[], []])]).alpha() is None
    everything = ag.table([(0, 20)], [(0, 20)], 20)
    assert everything.kappa() is None  # chance agreement is certain


def test_union_joins_overlapping_and_touching_codings():
    assert ag.union([(5, 9), (0, 3), (2, 4), (9, 12)]) == [(0, 4), (5, 12)]


def test_agreement_uses_the_one_copy_of_interval_union_and_intersection():
    from qcdesk.core import intervals

    assert ag.union is intervals.union and ag.intersect is intervals.intersect


ranges = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)).map(sorted).map(tuple), max_size=8)


@given(ranges, ranges)
def test_intersection_counts_the_characters_both_cover(a, b):
    chars = [{i for s, e in r for i in range(s, e)} for r in (a, b)]
    assert ag.intersection(ag.union(a), ag.union(b)) == len(chars[0] & chars[1])


def test_u_alpha_krippendorff_1995_observed_disagreement_by_hand():
    # Krippendorff (1995, p. 57), category A, continuum 0-24:
    # Bertha units [2,10) [14,20); Bill units [4,8) [15,17).
    # δ²(unit 2+8, unit 4+4) = (2-4)² + (10-8)² = 8; δ²(unit 14+6, unit 15+2) = 1 + 9 = 10;
    # no unit lies wholly in a gap of the other. D_o = 2 * 18 / (2 * 1 * 24²) = 0.03125
    parts = ag.alpha_parts([(24, [[(2, 10), (14, 20)], [(4, 8), (15, 17)]])])
    assert parts.observed == pytest.approx(0.03125)


def test_u_alpha_krippendorff_2004_worked_example():
    # Content Analysis (2004), p. 254: continuum 150-450 (shifted to 0-300), two observers.
    c = [[(75, 145), (220, 250)], [(70, 150), (205, 225), (250, 270)]]
    k = [[(30, 90), (150, 200)], [(30, 90), (150, 200)]]
    parts_c = ag.alpha_parts([(300, c)])
    # δ² = 50 (225+70 vs 220+80) + 850 (370+30 vs 355+20) + 400 (unit 400+20 in a gap): 1300
    assert parts_c.observed == pytest.approx(2 * 1300 / (2 * 300 ** 2))
    assert parts_c.observed == pytest.approx(0.0144, abs=1e-4)
    assert parts_c.expected == pytest.approx(0.0532, abs=1e-4)
    assert parts_c.alpha() == pytest.approx(0.7286, abs=1e-4)
    parts_k = ag.alpha_parts([(300, k)])
    assert parts_k.expected == pytest.approx(0.0490, abs=1e-4)
    assert parts_k.alpha() == 1.0
    assert (parts_c + parts_k).alpha() == pytest.approx(0.8591, abs=1e-3)


def test_u_alpha_three_coders():
    same = [[(3, 9)], [(3, 9)], [(3, 9)]]
    assert ag.alpha_parts([(30, same)]).alpha() == 1.0
    worse = ag.alpha_parts([(30, [[(3, 9)], [(3, 9)], [(20, 26)]])]).alpha()
    better = ag.alpha_parts([(30, [[(3, 9)], [(3, 9)], [(4, 9)]])]).alpha()
    assert worse < 0.5 < better < 1.0


# ----------------------------------------------------------------- on a project
def _code_as(project: Project, coder: str, doc_id: int, code_id: int, start: int, end: int) -> None:
    """A coding by ``coder`` even where another coder has the same range (as after a merge)."""
    coder_id = next((c.id for c in project.coders() if c.name == coder), None) or project.set_coder(coder).id
    with project.action() as changes:
        project.db["codings"].insert({"document_id": doc_id, "code_id": code_id, "start": start, "end": end,
                                      "coder_id": coder_id, "created": "2024-01-01"})
        changes.coded_documents.add(doc_id)


@pytest.fixture
def project(tmp_path: Path):
    with empty_project(tmp_path / "team.qcdesk") as p:
        doc = p.documents.add("Interview 1", ParsedDocument(text=TEXT, source_format="txt"))
        p.documents.add("Not coded", ParsedDocument(text="nobody coded this yet", source_format="txt"))
        x, y = p.codebook.add("X").value, p.codebook.add("Y").value
        _code_as(p, "Ana", doc.id, x.id, 0, 10)
        _code_as(p, "Ben", doc.id, x.id, 0, 8)
        _code_as(p, "Ana", doc.id, y.id, 12, 16)
        _code_as(p, "Ben", doc.id, y.id, 12, 16)
        yield p


def ids(p: Project, *names: str) -> list[int]:
    by_name = {c.name: c.id for c in p.coders()}
    return [by_name[n] for n in names]


def test_agreement_per_code_and_overall(project):
    result = ag.agreement(project, ids(project, "Ana", "Ben"))
    assert result.document_ids == (project.documents()[0].id,)  # the uncoded one is left out
    x, y = result.codes
    assert x.figures.percent == pytest.approx(90.0) and x.figures.kappa == pytest.approx(0.8)
    assert y.figures.percent == 100.0 and y.figures.kappa == 1.0 and y.figures.alpha == 1.0
    assert 0 < x.figures.alpha < 1
    # overall: 40 units (20 characters x 2 codes): 8+4 both, 2 Ana only, 26 neither
    # p_o = 38/40; p_e = (14*12 + 26*28) / 1600 = 0.56; kappa = (0.95 - 0.56) / 0.44
    assert result.overall.percent == pytest.approx(95.0)
    assert result.overall.kappa == pytest.approx(0.39 / 0.44)
    assert result.mean_kappa == pytest.approx(0.9)
    assert x.by_document[project.documents()[0].id] == x.figures


def test_three_coders_average_the_pairs(project):
    doc = project.documents()[0].id
    x = project.codes()[0].id
    _code_as(project, "Cy", doc, x, 0, 10)
    result = ag.agreement(project, ids(project, "Ana", "Ben", "Cy"), code_ids=[x],
                          document_ids=[doc])
    [fig] = [c.figures for c in result.codes]
    # pairs: Ana-Cy identical (100 %, 1), Ana-Ben and Ben-Cy as above (90 %, 0.8)
    assert fig.percent == pytest.approx((100 + 90 + 90) / 3)
    assert fig.kappa == pytest.approx((1 + 0.8 + 0.8) / 3)


def test_refuses_fewer_than_two_coders(project):
    with pytest.raises(OperationError, match="at least two coders"):
        ag.agreement(project, ids(project, "Ana"))


def test_no_codings_gives_undefined_figures(tmp_path):
    with empty_project(tmp_path / "empty.qcdesk") as p:
        p.documents.add("D", ParsedDocument(text=TEXT, source_format="txt"))
        a, b = p.set_coder("A").id, p.set_coder("B").id
        result = ag.agreement(p, [a, b])
        assert result.codes == [] and result.overall == ag.Figures(None, None, None)


def test_disagreements_name_who_coded(project):
    ana, ben = ids(project, "Ana", "Ben")
    [d] = ag.disagreements(project, [ana, ben])
    assert (d.start, d.end, d.coded_by, d.not_coded_by) == (8, 10, (ana,), (ben,))
    assert d.code_id == project.codes()[0].id


def test_disagreements_split_where_the_coders_change(project):
    ana, ben = ids(project, "Ana", "Ben")
    doc, z = project.documents()[0].id, project.codebook.add("Z").value.id
    _code_as(project, "Ana", doc, z, 0, 10)
    _code_as(project, "Ben", doc, z, 5, 15)
    found = [(d.start, d.end, d.coded_by, d.not_coded_by)
             for d in ag.disagreements(project, [ana, ben], code_ids=[z])]
    assert found == [(0, 5, (ana,), (ben,)), (10, 15, (ben,), (ana,))]


def test_accept_extends_the_other_coders_coding_and_undo_restores(project):
    ana, ben = ids(project, "Ana", "Ben")
    [d] = ag.disagreements(project, [ana, ben])
    seen = []
    project.subscribe(seen.append)
    snap = ag.settle(project, d, "accept").undo
    ben_x = [c for c in project.codings_for_document(d.document_id) if c.coder_id == ben and c.code_id == d.code_id]
    assert [(c.start, c.end) for c in ben_x] == [(0, 10)]  # extended, not doubled
    assert ag.disagreements(project, [ana, ben]) == []
    assert ag.agreement(project, [ana, ben]).overall.kappa == 1.0
    assert len(seen) == 1 and d.document_id in seen[0].coded_documents
    snap.run()
    assert ag.disagreements(project, [ana, ben]) == [d]


def test_reject_trims_and_splits_and_undo_restores(project):
    ana, ben = ids(project, "Ana", "Ben")
    doc, x = project.documents()[0].id, project.codes()[0].id
    [d] = ag.disagreements(project, [ana, ben])
    snap = ag.settle(project, d, "reject").undo
    ana_x = [(c.start, c.end) for c in project.codings_for_document(doc) if c.coder_id == ana and c.code_id == x]
    assert ana_x == [(0, 8)]
    snap.run()
    # a range in the middle of a coding splits it in two
    middle = ag.Disagreement(doc, x, 3, 5, (ana, ben), ())
    before = sorted((c.id, c.start, c.end) for c in project.codings_for_document(doc))
    snap = ag.settle(project, middle, "reject").undo
    ana_x = sorted((c.start, c.end) for c in project.codings_for_document(doc) if c.coder_id == ana and c.code_id == x)
    assert ana_x == [(0, 3), (5, 10)]
    after = sorted((c.id, c.start, c.end) for c in project.codings_for_document(doc))
    redo = snap.run()
    assert sorted((c.id, c.start, c.end) for c in project.codings_for_document(doc)) == before
    # redo settles again under the same ids (the split-off piece included), and undoes again
    undo = redo.run()
    assert sorted((c.id, c.start, c.end) for c in project.codings_for_document(doc)) == after
    undo.run().run()
    assert sorted((c.id, c.start, c.end) for c in project.codings_for_document(doc)) == after


def test_reject_removes_a_coding_inside_the_range_with_its_memo(project):
    ana, ben = ids(project, "Ana", "Ben")
    doc, y = project.documents()[0].id, project.codes()[1].id
    _code_as(project, "Ben", doc, y, 17, 19)
    coding = [c for c in project.codings_for_document(doc) if c.start == 17][0]
    with project.action():
        project.db.execute("INSERT INTO memos (title, body, coding_id, created, modified) "
                           "VALUES ('why', 'because', ?, 'x', 'x')", [coding.id])
    [d] = [d for d in ag.disagreements(project, [ana, ben]) if d.code_id == y]
    assert (d.start, d.end, d.coded_by) == (17, 19, (ben,))
    snap = ag.settle(project, d, "reject").undo
    assert all(c.id != coding.id for c in project.codings_for_document(doc))
    snap.run()
    assert project.coding(coding.id).start == 17
    assert project.db.execute("SELECT body FROM memos WHERE coding_id = ?", [coding.id]).fetchone()[0] == "because"


def test_accept_under_an_agreed_coder(project):
    ana, ben = ids(project, "Ana", "Ben")
    agreed = project.set_coder("Agreed").id
    [d] = ag.disagreements(project, [ana, ben])
    ag.settle(project, d, "accept", as_coder=agreed)
    mine = [(c.start, c.end) for c in project.codings_for_document(d.document_id) if c.coder_id == agreed]
    assert mine == [(8, 10)]
    with pytest.raises(OperationError, match="not a decision"):
        ag.settle(project, d, "maybe")
