"""Merging, moving many, sorting and criteria of codes, each undone exactly."""

from __future__ import annotations

import pytest

from qcdesk.core.errors import OperationError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block, Changes
from qcdesk.core.project import Project
from builders import empty_project

pytestmark = pytest.mark.core

TEXT = "I felt lost on the ward. Nobody told me where to go. Then a nurse took me under her wing."


def _doc(text: str = TEXT) -> ParsedDocument:
    return ParsedDocument(text=text, source_format="txt", blocks=[Block("paragraph", 0, len(text))], turns=[])


def rng(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


@pytest.fixture
def project(tmp_path):
    p = empty_project(tmp_path / "study.qcdesk")
    yield p
    p.close()


def dump(project: Project) -> dict:
    """Everything a merge may touch, as plain rows: equal dumps mean an exact restore."""
    db = project.db
    return {table: [dict(r) for r in db[table].rows_where(order_by="rowid")]
            for table in ("codes", "codings", "memos", "external_ids")}


def tree(project: Project) -> list[tuple[str, int]]:
    return [(c.name, depth) for c, depth in project.codes_in_tree_order()]


@pytest.fixture
def coded(project):
    """Two documents; "Lost" and "Disoriented" overlap exactly once; both have sub-codes and memos."""
    d1 = project.documents.add("P01", _doc())
    d2 = project.documents.add("P02", _doc(TEXT.upper()))
    theme = project.codebook.add("Transition").value
    lost = project.codebook.add("Lost", parent_id=theme.id).value
    dis = project.codebook.add("Disoriented", parent_id=theme.id).value
    ward = project.codebook.add("On the ward", parent_id=dis.id).value
    support = project.codebook.add("Support").value
    project.codings.apply(d1.id, lost.id, *rng(TEXT, "I felt lost"))
    project.codings.apply(d1.id, dis.id, *rng(TEXT, "I felt lost"))          # exact duplicate after merge
    project.codings.apply(d1.id, dis.id, *rng(TEXT, "Nobody told me"))
    project.codings.apply(d2.id, dis.id, *rng(TEXT, "Nobody told me"))
    project.codings.apply(d1.id, ward.id, *rng(TEXT, "on the ward"))
    dup = project.codings_for_codes([dis.id])[0]
    db = project.db
    with project.action():
        db["memos"].insert({"title": "on code", "body": "b", "code_id": dis.id, "created": "t", "modified": "t"})
        db["memos"].insert({"title": "on coding", "body": "b", "coding_id": dup.id, "created": "t", "modified": "t"})
        db["external_ids"].insert({"kind": "code", "local_id": dis.id, "guid": "AAAA"})
    return {"d1": d1.id, "d2": d2.id, "theme": theme.id, "lost": lost.id, "dis": dis.id, "ward": ward.id,
            "support": support.id, "dup": dup.id}


def test_merge_moves_codings_collapses_duplicates_and_moves_memos(project, coded):
    events: list[Changes] = []
    project.subscribe(events.append)
    project.codebook.merge([coded["dis"]], coded["lost"])
    assert len(events) == 1 and events[0].codebook and events[0].memos
    assert tree(project) == [("Transition", 0), ("Lost", 1), ("On the ward", 2), ("Support", 0)]
    codings = project.codings_for_codes([coded["lost"]])
    keys = [(c.document_id, project.document_text(c.document_id)[c.start:c.end].lower()) for c in codings]
    # 4 codings of the two codes, one exact duplicate collapsed into one
    assert sorted(keys) == sorted([(coded["d1"], "i felt lost"), (coded["d1"], "nobody told me"),
                                   (coded["d2"], "nobody told me")])
    assert project.code_counts()[coded["lost"]] == (3, 2)
    memos = {r["title"]: r for r in project.db["memos"].rows}
    assert memos["on code"]["code_id"] == coded["lost"]
    survivor = next(c.id for c in codings if c.start == 0 and c.document_id == coded["d1"])
    assert memos["on coding"]["coding_id"] == survivor
    assert project.db["external_ids"].count == 0


def test_unmerge_restores_everything_exactly(project, coded):
    before = dump(project)
    snap = project.codebook.merge([coded["dis"], coded["support"]], coded["lost"]).undo
    assert dump(project) != before
    snap.run()
    assert dump(project) == before


def test_merge_into_a_subcode_of_the_source(project, coded):
    """The target leaves the source's subtree and takes the source's place."""
    before = dump(project)
    snap = project.codebook.merge([coded["dis"]], coded["ward"]).undo
    assert tree(project) == [("Transition", 0), ("Lost", 1), ("On the ward", 1), ("Support", 0)]
    assert project.code_counts()[coded["ward"]] == (4, 2)
    snap.run()
    assert dump(project) == before


def test_merge_nested_sources(project, coded):
    before = dump(project)
    snap = project.codebook.merge([coded["theme"], coded["dis"]], coded["support"]).undo
    assert tree(project) == [("Support", 0), ("Lost", 1), ("On the ward", 1)]
    snap.run()
    assert dump(project) == before


def test_merge_refuses_itself_and_unknown(project, coded):
    with pytest.raises(OperationError, match="itself"):
        project.codebook.merge([coded["lost"]], coded["lost"])
    with pytest.raises(OperationError):
        project.codebook.merge([9999], coded["lost"])
    with pytest.raises(OperationError):
        project.codebook.merge([], coded["lost"])


def test_move_many_keeps_tree_order_and_restores(project, coded):
    before = dump(project)
    snap = project.codebook.move_many([coded["support"], coded["lost"]], coded["dis"], 0).undo
    assert tree(project) == [("Transition", 0), ("Disoriented", 1), ("Lost", 2), ("Support", 2),
                             ("On the ward", 2)]
    snap.run()
    assert dump(project) == before


def test_move_refuses_descendant(project, coded):
    with pytest.raises(OperationError, match="sub-codes"):
        project.codebook.move_many([coded["lost"], coded["theme"]], coded["ward"])
    assert tree(project)[0] == ("Transition", 0)


def test_sort_by_name_and_by_count(project, coded):
    project.codebook.add("alpha")
    before = dump(project)
    snap = project.codebook.sort(None, "name").undo
    assert [n for n, d in tree(project) if d == 0] == ["alpha", "Support", "Transition"]
    snap.run()
    assert dump(project) == before
    project.codebook.sort(coded["theme"], "count")
    # Disoriented has 3 codings plus 1 in its sub-code, Lost 1
    assert [n for n, d in tree(project) if d == 1] == ["Disoriented", "Lost"]
    snap = project.codebook.sort(None, "count", recursive=True).undo
    assert tree(project)[0] == ("Transition", 0)
    with pytest.raises(OperationError):
        project.codebook.sort(None, "colour")


def test_criteria_set_and_kept(project, coded, tmp_path):
    code = project.codebook.set_criteria(coded["lost"], description="Feeling lost",
                                         inclusion="Says lost\r\nor confused", exclusion="Physical getting lost",
                                         example="“I felt lost”").value
    assert code.inclusion == "Says lost\nor confused"
    project.codebook.set_criteria(coded["lost"], example="")
    project.close()
    again = Project.open(tmp_path / "study.qcdesk")
    code = again.code(coded["lost"])
    assert (code.description, code.exclusion, code.example) == ("Feeling lost", "Physical getting lost", "")
    again.close()


def test_a_description_is_one_criterion_whichever_way_it_is_set(project, coded):
    """set_description is set_criteria(description=...): the same line endings kept, one undo step
    putting the old text back (they used to be two writers, and only one mended Windows line ends)."""
    before = project.code(coded["lost"])
    done = project.codebook.set_description(coded["lost"], "Feeling lost\r\nor adrift")
    assert done.value.description == "Feeling lost\nor adrift" == project.code(coded["lost"]).description
    assert project.codebook.set_criteria(coded["lost"], description="Feeling lost\nor adrift").undo is None
    done.undo.run()
    assert project.code(coded["lost"]) == before


def test_merge_keeps_each_coders_identical_coding(project, coded):
    """Team projects: the same range coded by two coders is two judgements, not a duplicate."""
    d1 = coded["d1"]
    project.set_coder("Rosa")
    project.codings.apply(d1, coded["support"], *rng(TEXT, "a nurse took me"))
    project.set_coder("Sam")
    project.codings.apply(d1, coded["lost"], *rng(TEXT, "a nurse took me"))
    before = dump(project)
    snap = project.codebook.merge([coded["support"]], coded["lost"]).undo
    nurse = [c for c in project.codings_for_codes([coded["lost"]]) if c.start == TEXT.index("a nurse")]
    assert len(nurse) == 2 and len({c.coder_id for c in nurse}) == 2
    snap.run()
    assert dump(project) == before
