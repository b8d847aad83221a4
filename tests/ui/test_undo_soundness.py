"""Undo in the window stays sound: a freed id taken by an import, a view that raises."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.ui.commands import CoreCommand
from qcdesk.ui.commands import codebook as codebook_cmd
from qcdesk.ui.main_window import MainWindow
from builders import empty_project

pytestmark = pytest.mark.gui


def delete_document(project: Project, document_id: int) -> CoreCommand:
    """Deleting a document as an undoable command (the window has no such menu command; the
    core operation and its undo must still keep ids sound on the window's undo stack)."""
    return CoreCommand("Delete document", lambda: project.documents.delete(document_id))


def rename_document(project: Project, document_id: int, name: str) -> CoreCommand:
    return CoreCommand("Rename document", lambda: project.documents.rename(document_id, name))


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "study.qcdesk"
    with empty_project(path) as project:
        first = project.documents.add("Interview 1", ParsedDocument(text="My mentor listened.", source_format="txt"))
        last = project.documents.add("Interview 2", ParsedDocument(text="Nobody listened to me.", source_format="txt"))
        code = project.codebook.add("Heard").value
        project.codings.apply(first.id, code.id, 3, 9)
        project.codings.apply(last.id, code.id, 0, 6)
    return path


@pytest.fixture
def window(make_window, project_path: Path, messages) -> MainWindow:
    return make_window(project_path, size=(1000, 700), exposed=True)


def run_import(qtbot, win: MainWindow, paths: list[Path]):
    with qtbot.waitSignal(win.imports.finished, timeout=20000) as blocker:
        win.imports.start(paths)
    return blocker.args[0]


def test_delete_document_import_another_then_undo(qtbot, tmp_path, window, messages):
    project = window.project
    code = project.codes()[0]
    assert window.undo.run(rename_document(project, project.documents()[0].id, "Interview A"))
    last = project.documents()[-1]
    assert window.undo.run(delete_document(project, last.id))
    assert window.undo_stack.count() == 2
    new_file = tmp_path / "Interview 3.txt"
    new_file.write_text("P3: I found my own way.\n", encoding="utf-8")
    report = run_import(qtbot, window, [new_file])
    assert [d.name for d in report.imported] == ["Interview 3"]

    window.act_undo.trigger()                  # undo the deletion
    assert not [m for m in messages if m[0] == "error"], messages
    assert [d.name for d in project.documents()] == ["Interview A", "Interview 2", "Interview 3"]
    assert project.document(last.id).name == "Interview 2"
    assert [(c.start, c.end) for c in project.codings_for_document(last.id)] == [(0, 6)]
    assert project.code_counts()[code.id] == (2, 2)
    assert report.imported[0].id != last.id   # the deleted document's id stayed free
    # the history is kept: the rename before it is still undoable, and both redo
    assert window.undo_stack.count() == 2 and window.undo_stack.canUndo()
    window.act_undo.trigger()
    assert project.documents()[0].name == "Interview 1"
    window.act_redo.trigger()
    window.act_redo.trigger()
    assert [d.name for d in project.documents()] == ["Interview A", "Interview 3"]
    assert not [m for m in messages if m[0] == "error"], messages


def test_a_view_that_raises_does_not_lose_the_undo_entry(qtbot, window, messages):
    project = window.project
    heard = []

    def broken_view(changes):
        raise RuntimeError("a view fell over")

    project.subscribe(broken_view)
    project.subscribe(lambda changes: heard.append(changes.codebook))
    assert window.undo.run(codebook_cmd.add_code(project, "Belonging"))
    code = next(c for c in project.codes() if c.name == "Belonging")
    assert window.undo_stack.count() == 1
    assert heard == [True]                         # the listeners after the broken one heard of it
    assert window.codebook.proxy_index(code.id).isValid()  # and so did the window's own views
    qtbot.waitUntil(lambda: any("a view fell over" in m[2] for m in messages))
    kind, _title, text = next(m for m in messages if "a view fell over" in m[2])
    assert kind == "error" and "saved" in text

    window.act_undo.trigger()
    assert "Belonging" not in [c.name for c in project.codes()]
    assert window.undo_stack.count() == 1 and window.undo_stack.canRedo()  # not cleared
    assert not any(m[2].startswith("Undo of") for m in messages)
    window.act_redo.trigger()
    assert project.code(code.id).name == "Belonging"


def test_a_refused_undo_keeps_the_history(qtbot, window, messages):
    """Undoing a deletion whose name was taken since is refused with a message; the file is
    unchanged, so the history stays as it was and the undo works once the name is free."""
    from qcdesk.ui.commands import cases as ccmd

    project = window.project
    role = project.attributes.define("Role")
    assert window.undo.run(codebook_cmd.add_code(project, "Belonging"))
    assert window.undo.run(ccmd.delete_attribute(project, role.id))
    newer = project.attributes.define("Role")   # as the attribute dialog does: not undoable
    window.act_undo.trigger()
    qtbot.waitUntil(lambda: any("cannot be put back" in m[2] for m in messages))
    qtbot.waitUntil(lambda: window.undo_stack.index() == 2)
    assert window.undo_stack.count() == 2 and not window.undo_stack.canRedo()
    assert [a.name for a in project.attributes.all()] == ["Role"]
    project.attributes.rename(newer.id, "Role 2")
    window.act_undo.trigger()
    assert sorted(a.name for a in project.attributes.all()) == ["Role", "Role 2"]
    assert project.attributes.get(role.id).name == "Role"
    window.act_undo.trigger()                      # the step before is still there
    assert "Belonging" not in [c.name for c in project.codes()]


def test_a_refused_redo_keeps_the_history(qtbot, window, messages):
    from qcdesk.ui.commands import cases as ccmd

    project = window.project
    assert window.undo.run(ccmd.add_case(project, "P1"))
    window.act_undo.trigger()
    newer = project.cases.add("P1").value           # as "Cases from documents" does: not undoable
    window.act_redo.trigger()
    qtbot.waitUntil(lambda: any("cannot be put back" in m[2] for m in messages))
    qtbot.waitUntil(lambda: window.undo_stack.index() == 0)
    assert window.undo_stack.count() == 1 and window.undo_stack.canRedo()
    assert [c.id for c in project.cases.all()] == [newer.id]
    project.cases.rename(newer.id, "P1 (new)")
    window.act_redo.trigger()
    assert sorted(c.name for c in project.cases.all()) == ["P1", "P1 (new)"]
    assert window.undo_stack.index() == 1
