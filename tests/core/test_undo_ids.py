"""Undo puts rows back under their old ids: an id once used is never given to another row,
and a deletion's snapshot holds every row the deletion removes (found from the schema)."""

from __future__ import annotations

import sqlite3

import pytest

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block, SpeakerTurn
from qcdesk.core.project import Project
from qcdesk.core.storage import interchange as ext_sql
from builders import empty_project

pytestmark = pytest.mark.core

#: tables that only record history or are rebuilt from other tables
NOT_COMPARED = {"audit_log", "sqlite_sequence", "_sqlite_migrations"}


def parsed(text: str) -> ParsedDocument:
    half = len(text) // 2
    return ParsedDocument(text=text, source_format="txt",
                          blocks=[Block("paragraph", 0, half), Block("paragraph", half, len(text))],
                          turns=[SpeakerTurn("P1", 0, half), SpeakerTurn("I", half, len(text))])


@pytest.fixture
def project(tmp_path):
    with empty_project(tmp_path / "ids.qcdesk") as p:
        p.set_coder("AB")
        yield p


def dump(project: Project) -> dict[str, list[tuple]]:
    """Every row of every table (but the history and bookkeeping ones), in a stable order."""
    names = [r[0] for r in project.db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'documents_fts%'")]
    return {n: sorted(map(tuple, project.db.execute(f"SELECT * FROM [{n}]").fetchall()), key=repr)
            for n in names if n not in NOT_COMPARED}


def rich(project: Project) -> dict:
    """A document and a code with everything that can hang off them."""
    doc = project.documents.add("Interview 1", parsed("I felt at home on the ward with my mentor."))
    other = project.documents.add("Interview 2", parsed("Nobody listened to me there."))
    theme = project.codebook.add("Belonging").value
    sub = project.codebook.add("At home", parent_id=theme.id).value
    coding = project.codings.apply(doc.id, sub.id, 2, 6).value
    project.codings.apply(other.id, theme.id, 0, 6)
    project.memos.create("on the coding", "x", coding_id=coding.id)
    project.memos.create("on the code", "y", code_id=sub.id)
    project.memos.create("on the document", "z", document_id=doc.id)
    case = project.cases.add("P1").value
    project.cases.link_documents(case.id, [doc.id])
    project.cases.link_speaker(case.id, other.id, "P1")
    attr = project.attributes.define("Role")
    project.attributes.set_value(case.id, attr.id, "mentee")
    project.memos.create("on the case", "w", case_id=case.id)
    with project.action():
        ext_sql.remember_guid(project.db, "code", theme.id, "11111111-1111-1111-1111-111111111111")
        ext_sql.remember_guid(project.db, "code", sub.id, "22222222-2222-2222-2222-222222222222")
        ext_sql.remember_guid(project.db, "document", doc.id, "33333333-3333-3333-3333-333333333333")
    return {"doc": doc, "other": other, "theme": theme, "sub": sub, "case": case, "attr": attr}


def test_undo_document_deletion_after_its_id_was_taken_again(project):
    items = rich(project)
    doc = items["doc"]
    before = dump(project)
    # the last document: without AUTOINCREMENT the next import would get its id
    last = project.documents.add("Interview 3", parsed("A third one."))
    snap = project.documents.delete(last.id).undo
    newer = project.documents.add("Interview 4", parsed("Imported after the deletion."))
    assert newer.id != last.id
    snap.run()
    assert project.document(last.id).name == "Interview 3"
    project.documents.delete(newer.id)
    project.documents.delete(last.id)
    assert dump(project) == before
    # and a document with codings, case links, memos and a REFI identifier
    snap = project.documents.delete(doc.id).undo
    project.documents.add("Interview 5", parsed("Yet another import."))
    snap.run()
    after = dump(project)
    for table in ("documents", "blocks", "speaker_turns", "codings", "memos", "case_documents",
                  "external_ids"):
        assert set(before[table]) <= set(after[table]), table


def test_undo_code_deletion_keeps_its_refi_identifier_and_ids(project):
    items = rich(project)
    before = dump(project)
    snap = project.codebook.delete(items["theme"].id).undo
    newer = project.codebook.add("Taken after").value
    assert newer.id not in (items["theme"].id, items["sub"].id)
    project.codebook.delete(newer.id)
    snap.run()
    assert ext_sql.guid_of(project.db, "code", items["theme"].id) == "11111111-1111-1111-1111-111111111111"
    assert dump(project) == before


@pytest.mark.parametrize("what", ["case", "attribute", "memo", "coding"])
def test_undo_of_other_deletions_after_an_id_was_taken_again(project, what):
    items = rich(project)
    before = dump(project)
    # the row just deleted had the highest id: the next one made would have taken it
    if what == "case":
        snap = project.cases.delete(items["case"].id).undo
        taker = project.cases.add("P2").value.id
        snap.run()
        project.cases.delete(taker)
    elif what == "attribute":
        snap = project.attributes.delete(items["attr"].id).undo
        taker = project.attributes.define("Age").id
        snap.run()
        project.attributes.delete(taker)
    elif what == "memo":
        last = max(m.id for m in project.memos.all())
        snap = project.memos.delete(last).undo
        taker = project.memos.create("taken").value.id
        snap.run()
        project.memos.delete(taker)
    else:
        last = max(c.id for c in project.codings_for_codes([items["theme"].id, items["sub"].id]))
        snap = project.codings.remove(last).undo
        taker = project.codings.apply(items["doc"].id, items["theme"].id, 0, 3).value.id
        snap.run()
        project.codings.remove(taker)
    assert dump(project) == before


def test_ids_of_deleted_rows_are_never_given_again(project):
    doc = project.documents.add("D", parsed("Some words here."))
    code = project.codebook.add("C").value
    coding = project.codings.apply(doc.id, code.id, 0, 4).value
    project.codings.remove(coding.id)
    project.codebook.delete(code.id)
    project.documents.delete(doc.id)
    doc2 = project.documents.add("D2", parsed("Other words here."))
    code2 = project.codebook.add("C2").value
    coding2 = project.codings.apply(doc2.id, code2.id, 0, 4).value
    assert (doc2.id, code2.id, coding2.id) != (doc.id, code.id, coding.id)
    assert doc2.id > doc.id and code2.id > code.id and coding2.id > coding.id


def test_restore_refuses_cleanly_if_an_id_is_somehow_taken(project):
    """Belt and braces: a clash is an error that changes nothing, not a half-restored file."""
    doc = project.documents.add("D", parsed("Some words here."))
    snap = project.documents.delete(doc.id).undo
    with project.action():
        project.db.execute(
            "INSERT INTO documents (id, name, plain_text, source_format, imported_at, content_hash, "
            "char_count) VALUES (?, 'intruder', 'x', 'txt', 'now', 'h', 1)", [doc.id])
    before = dump(project)
    with pytest.raises(sqlite3.IntegrityError):
        snap.run()
    assert dump(project) == before


def test_a_table_added_later_is_in_the_snapshot_without_being_listed(project):
    """Snapshots follow the schema: a new table whose rows cascade from a document, and one
    kept by an AFTER DELETE trigger, come back with the document."""
    with project.action():
        project.db.executescript("""
            CREATE TABLE document_notes (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                note TEXT NOT NULL);
            CREATE TABLE note_tags (note_id INTEGER NOT NULL REFERENCES document_notes(id)
                ON DELETE CASCADE, tag TEXT NOT NULL, PRIMARY KEY (note_id, tag));
            CREATE TABLE document_flags (document_ref INTEGER NOT NULL, flag TEXT NOT NULL);
            CREATE TRIGGER document_flags_gone AFTER DELETE ON documents BEGIN
                DELETE FROM document_flags WHERE document_ref = old.id;
            END;
        """)
    doc = project.documents.add("D", parsed("Some words here."))
    with project.action():
        project.db.execute("INSERT INTO document_notes (document_id, note) VALUES (?, 'n')", [doc.id])
        project.db.execute("INSERT INTO note_tags VALUES (1, 't')")
        project.db.execute("INSERT INTO document_flags VALUES (?, 'f')", [doc.id])
    before = dump(project)
    done = project.documents.delete(doc.id)
    snap = done.value
    assert {t for t in ("document_notes", "note_tags", "document_flags") if snap.get(t)} == {
        "document_notes", "note_tags", "document_flags"}
    assert project.db.execute("SELECT count(*) FROM document_flags").fetchone()[0] == 0
    done.undo.run()
    assert dump(project) == before


def test_set_null_columns_are_put_back(project):
    """Deleting a coder clears the coder of their codings (ON DELETE SET NULL); the snapshot
    of the deletion puts it back."""
    from qcdesk.core.storage import snapshots

    doc = project.documents.add("D", parsed("Some words here."))
    code = project.codebook.add("C").value
    project.set_coder("Ben")
    project.codings.apply(doc.id, code.id, 0, 4)
    project.set_coder("AB")
    ben = next(c for c in project.coders() if c.name == "Ben")
    before = dump(project)
    with project.action():
        snap = snapshots.capture(project.db, "coders", [ben.id])
        project.db.execute("DELETE FROM coders WHERE id = ?", [ben.id])
    assert project.db.execute("SELECT coder_id FROM codings").fetchone()[0] is None
    with project.action():
        snapshots.restore(project.db, snap)
    assert dump(project) == before


@pytest.mark.parametrize("what", ["case", "attribute"])
def test_undo_after_the_name_was_taken_refuses_cleanly(project, what):
    """Cases and attributes made outside the undo history (cases from documents, an
    attribute defined or imported) can take a deleted one's name: undoing the deletion then
    says so and changes nothing, and works once the newer one is renamed."""
    from qcdesk.core.errors import OperationError

    items = rich(project)
    before = dump(project)
    if what == "case":
        snap = project.cases.delete(items["case"].id).undo
        newer = project.cases.add("P1").value.id
        put_back = lambda: snap.run()  # noqa: E731
        rename = lambda: project.cases.rename(newer, "P1 (new)").value  # noqa: E731
    else:
        snap = project.attributes.delete(items["attr"].id).undo
        newer = project.attributes.define("Role").id
        put_back = lambda: snap.run()  # noqa: E731
        rename = lambda: project.attributes.rename(newer, "Role (new)")  # noqa: E731
    unchanged = dump(project)
    with pytest.raises(OperationError, match="cannot be put back: another .* was made since"):
        put_back()
    assert dump(project) == unchanged
    rename()
    put_back()
    after = dump(project)
    for table, rows in before.items():
        assert set(rows) <= set(after[table]), table


def test_unmerge_puts_back_what_hung_on_the_merged_codes(project):
    """Merging deletes the sources: their REFI-QDA identifiers and rows of any table that
    refers to codes come back with them on undo."""

    items = rich(project)
    with project.action():
        project.db.execute("CREATE TABLE code_notes (code_id INTEGER NOT NULL REFERENCES codes(id) "
                           "ON DELETE CASCADE, note TEXT NOT NULL)")
        project.db.execute("INSERT INTO code_notes VALUES (?, 'a note on the source')", [items["sub"].id])
    target = project.codebook.add("Home").value
    before = dump(project)
    snap = project.codebook.merge([items["sub"].id], target.id).undo
    assert ext_sql.guid_of(project.db, "code", items["sub"].id) is None
    assert project.db.execute("SELECT count(*) FROM code_notes").fetchone()[0] == 0
    snap.run()
    assert dump(project) == before
