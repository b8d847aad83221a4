"""Document sets: create, rename, delete and restore, members, undo of every action, audit."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcdesk.core import audit
from qcdesk.core import document_sets as ds
from qcdesk.core.errors import OperationError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.core.storage import schema
from builders import empty_project

pytestmark = pytest.mark.core


def doc(text: str) -> ParsedDocument:
    return ParsedDocument(text=text, source_format="txt")


@pytest.fixture
def project(tmp_path: Path):
    with empty_project(tmp_path / "p.qcdesk") as p:
        for name in ("P01", "P02", "P03", "Focus group"):
            p.documents.add(name, doc(f"Text of {name}."))
        yield p


def ids(project) -> dict[str, int]:
    return {d.name: d.id for d in project.documents()}


def state(project) -> list:
    """What a researcher sees of the sets: names, GUIDs, ids and members by name."""
    names = {d.id: d.name for d in project.documents()}
    return [(s.set.id, s.set.name, s.set.guid, tuple(names[i] for i in s.document_ids))
            for s in project.sets.with_documents()]


def test_create_list_rename_and_sets_of_a_document(project):
    d = ids(project)
    seen = []
    project.subscribe(seen.append)
    wave1 = project.sets.create("  Wave   1 ", [d["P02"], d["P01"], d["P01"]]).value
    assert wave1.name == "Wave 1" and len(wave1.guid) == 36
    assert seen[-1].sets and not seen[-1].document_list
    site = project.sets.create("Site B").value
    project.sets.add_documents(site.id, [d["P02"], d["Focus group"]])
    assert state(project) == [(site.id, "Site B", site.guid, ("P02", "Focus group")),
                              (wave1.id, "Wave 1", wave1.guid, ("P01", "P02"))]
    assert [s.name for s in project.sets.of_document(d["P02"])] == ["Site B", "Wave 1"]
    assert ds.documents_in_sets(project, [wave1.id, site.id]) == {d["P01"], d["P02"], d["Focus group"]}
    assert project.sets.rename(wave1.id, "First wave").value.name == "First wave"
    assert project.sets.id_of("first  WAVE") == wave1.id
    assert project.sets.remove_documents(site.id, [d["P02"], d["P03"]]).value == [d["P02"]]
    assert project.sets.documents_of(site.id) == [d["Focus group"]]


@pytest.mark.parametrize("name, message", [("", "needs a name"), ("   ", "needs a name"),
                                           ("x" * 201, "limited to 200"), ("wave 1", "already a set"),
                                           ("ÉQUIPE", "already a set")])
def test_bad_names_are_refused_and_change_nothing(project, name, message):
    project.sets.create("Wave 1")
    project.sets.create("équipe")
    before = state(project)
    with pytest.raises(OperationError, match=message):
        project.sets.create(name)
    other = project.sets.create("Other").value
    before = state(project)
    with pytest.raises(OperationError, match=message):
        project.sets.rename(other.id, name)
    assert state(project) == before


def test_unknown_set_or_document_is_an_error_and_changes_nothing(project):
    s = project.sets.create("Wave 1").value
    before = state(project)
    with pytest.raises(OperationError, match="Set 999 does not exist"):
        project.sets.add_documents(999, [ids(project)["P01"]])
    with pytest.raises(OperationError):
        project.sets.add_documents(s.id, [ids(project)["P01"], 999])
    with pytest.raises(OperationError, match="no set named “Nope”"):
        project.sets.id_of("Nope")
    with pytest.raises(OperationError):
        ds.documents_in_sets(project, [999])
    assert state(project) == before


def test_delete_and_restore_keep_id_guid_and_members_and_ids_are_never_reused(project):
    d = ids(project)
    s = project.sets.create("Wave 1", [d["P01"], d["P03"]]).value
    before = state(project)
    snap = project.sets.delete(s.id).undo
    assert state(project) == [] and len(project.documents()) == 4
    newer = project.sets.create("Wave 2").value
    assert newer.id > s.id  # AUTOINCREMENT: the deleted id stays free for undo
    project.sets.delete(newer.id)
    snap.run()
    assert state(project) == before


def test_deleting_a_document_leaves_its_sets_and_undo_puts_it_back_in_them(project):
    d = ids(project)
    a = project.sets.create("A", [d["P01"], d["P02"]]).value
    project.sets.create("B", [d["P02"]])
    before = state(project)
    seen = []
    project.subscribe(seen.append)
    snap = project.documents.delete(d["P02"]).undo
    assert seen[-1].sets
    assert project.sets.documents_of(a.id) == [d["P01"]]
    snap.run()
    assert state(project) == before


def test_read_only_project_refuses_set_edits(tmp_path):
    path = tmp_path / "p.qcdesk"
    with empty_project(path) as p:
        p.sets.create("A")
    with Project.open(path, read_only=True) as p:
        assert [s.name for s in p.sets.all()] == ["A"]
        with pytest.raises(OperationError, match="read-only"):
            p.sets.create("B")


def test_audit_trail_names_sets_and_documents(project):
    project.set_coder("Ana")
    d = ids(project)
    s = project.sets.create("Wave 1", [d["P01"]]).value
    project.sets.rename(s.id, "First wave")
    project.sets.remove_documents(s.id, [d["P01"]])
    project.sets.add_documents(s.id, [d["P02"]])
    project.sets.delete(s.id)
    lines = [(e.coder, e.action, audit.describe(e)) for e in audit.entries(project, audit.AuditFilter(kind="set"))]
    assert lines == [
        ("Ana", "added", "Set “Wave 1”"),
        ("Ana", "document added", "Set “Wave 1”: “P01”"),
        ("Ana", "renamed", "Set “Wave 1” renamed “First wave”"),
        ("Ana", "document removed", "Set “First wave”: “P01”"),
        ("Ana", "document added", "Set “First wave”: “P02”"),
        ("Ana", "removed", "Set “First wave”"),  # its members leave with it, not logged one by one
    ]


def test_schema_foreign_keys_cascade_from_documents_and_sets(project):
    d = ids(project)
    s = project.sets.create("A", [d["P01"]]).value
    with pytest.raises(sqlite3.IntegrityError):
        with project.db.atomic():
            project.db.execute("INSERT INTO document_set_members (set_id, document_id) VALUES (?, 999)", [s.id])
    assert "0006_document_sets" in schema.MIGRATION_NAMES
    cols = {r[1]: r for r in project.db.execute("PRAGMA table_info(document_sets)").fetchall()}
    assert {"id", "name", "guid"} <= set(cols)
    sql = project.db.execute("SELECT sql FROM sqlite_master WHERE name = 'document_sets'").fetchone()[0]
    assert "AUTOINCREMENT" in sql


# --------------------------------------------------------------------------- undo, explored
ACTIONS = st.lists(st.tuples(st.sampled_from(["create", "rename", "delete", "add", "remove", "drop-doc"]),
                             st.integers(0, 5), st.lists(st.integers(0, 3), max_size=3)),
                   min_size=1, max_size=12)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_every_action_undoes_to_the_state_before_it_and_redoes(tmp_path_factory, actions):
    """Any sequence of set actions (and document deletions), undone in reverse order, gives back
    every earlier state exactly; redone in order, every later one."""
    path = tmp_path_factory.mktemp("undo") / "p.qcdesk"
    with empty_project(path) as project:
        for name in ("P01", "P02", "P03", "P04"):
            project.documents.add(name, doc(f"Text of {name}."))
        history = []  # (state before, undo, redo)
        for n, (kind, which, docs) in enumerate(actions):
            sets = project.sets.all()
            alive = [d.id for d in project.documents()]
            chosen = [alive[i % len(alive)] for i in docs] if alive else []
            target = sets[which % len(sets)] if sets else None
            before = state(project)
            if kind == "create":
                made = project.sets.create(f"Set {n}", chosen).value
                cell = {}

                def undo(made=made, cell=cell):
                    cell["snap"] = project.sets.delete(made.id).undo

                def redo(cell=cell):
                    cell["snap"].run()
            elif kind == "rename" and target:
                project.sets.rename(target.id, f"Renamed {n}")
                undo = (lambda t=target: project.sets.rename(t.id, t.name).value)
                redo = (lambda t=target, n=n: project.sets.rename(t.id, f"Renamed {n}").value)
            elif kind == "delete" and target:
                snap = project.sets.delete(target.id).undo
                undo = (lambda s=snap: s.run())
                redo = (lambda t=target: project.sets.delete(t.id).value)
            elif kind == "add" and target:
                added = project.sets.add_documents(target.id, chosen).value
                undo = (lambda t=target, a=added: project.sets.remove_documents(t.id, a).value)
                redo = (lambda t=target, a=added: project.sets.add_documents(t.id, a).value)
            elif kind == "remove" and target:
                removed = project.sets.remove_documents(target.id, chosen).value
                undo = (lambda t=target, r=removed: project.sets.add_documents(t.id, r).value)
                redo = (lambda t=target, r=removed: project.sets.remove_documents(t.id, r).value)
            elif kind == "drop-doc" and chosen:
                cell = {"undo": project.documents.delete(chosen[0]).undo}

                def undo(cell=cell):
                    cell["redo"] = cell["undo"].run()

                def redo(cell=cell):
                    cell["undo"] = cell["redo"].run()
            else:
                continue
            history.append((before, state(project), undo, redo))
        for before, _after, undo, _redo in reversed(history):
            undo()
            assert state(project) == before
        for _before, after, _undo, redo in history:
            redo()
            assert state(project) == after


def test_a_project_from_before_document_sets_is_backed_up_and_gains_them(tmp_path, monkeypatch):
    from sqlite_utils import Migrations

    older = Migrations("qcdesk")
    for m in schema.migrations._migrations:  # noqa: SLF001 - the steps before this one
        if m.name != "0006_document_sets":
            older(name=m.name, transactional=m.transactional)(m.fn)
    monkeypatch.setattr(schema, "migrations", older)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(older._migrations))  # noqa: SLF001
    path = tmp_path / "old.qcdesk"
    with Project.create(path) as p:  # the older schema, made by the patched steps
        doc_id = p.documents.add("P01", doc("Text.")).id
        assert not p.db["document_sets"].exists()
    monkeypatch.undo()
    with Project.open(path) as p:
        assert p.backup is not None and p.backup.exists()
        made = p.sets.create("Wave 1", [doc_id]).value
        snap = p.documents.delete(doc_id).undo
        snap.run()
        assert p.sets.documents_of(made.id) == [doc_id]


def test_team_merge_brings_the_other_copys_sets_and_undoes_exactly(tmp_path):
    import shutil

    from qcdesk.core.merge import merge_project

    ana, ben = tmp_path / "ana.qcdesk", tmp_path / "ben.qcdesk"
    with empty_project(ana) as p:
        for name in ("P01", "P02"):
            p.documents.add(name, doc(f"Text of {name}."))
        p.sets.create("Wave 1", [ids(p)["P01"]])
    shutil.copy(ana, ben)
    with Project.open(ben) as p:
        p.documents.add("P03", doc("Text of P03."))
        d = ids(p)
        p.sets.add_documents(p.sets.id_of("Wave 1"), [d["P02"]])
        p.sets.create("Site B", [d["P03"]])
        p.sets.create("Mentors", [d["P01"], d["P03"]])
    with Project.open(ana) as p:
        p.sets.create("site b", [ids(p)["P02"]])
        before = state(p)
        merged = merge_project(p, ben)
        report = merged.value
        assert report.added["sets"] == 1 and report.matched["sets"] == 2
        assert "Set “Site B” is called “site b” here." in report.conflicts
        after = [(name, members) for _id, name, _guid, members in state(p)]
        assert after == [("Mentors", ("P01", "P03")), ("site b", ("P02", "P03")), ("Wave 1", ("P01", "P02"))]
        full = state(p)
        rows = merged.undo.run()
        assert state(p) == before
        rows.run()
        assert state(p) == full and p.integrity_ok()
