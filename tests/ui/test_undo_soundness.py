"""Undo in the window stays sound: a freed id taken by an import, a view that raises."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.ui import commands as cmd
from qcdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


class DeleteDocument(cmd.ProjectCommand):
    """Deleting a document as an undoable command (the window has no such menu command; the
    core operation and its undo must still keep ids sound on the window's undo stack)."""

    def __init__(self, project: Project, document_id: int):
        super().__init__(project, "Delete document")
        self.document_id, self.snapshot = document_id, None

    def do_first(self) -> None:
        self.snapshot = self.project.delete_document(self.document_id)

    do_redo = do_first

    def do_undo(self) -> None:
        self.project.restore_document(self.snapshot)


class RenameDocument(cmd.ProjectCommand):
    def __init__(self, project: Project, document_id: int, name: str):
        super().__init__(project, "Rename document")
        self.document_id, self.new, self.old = document_id, name, project.document(document_id).name

    def do_first(self) -> None:
        self.project.rename_document(self.document_id, self.new)

    do_redo = do_first

    def do_undo(self) -> None:
        self.project.rename_document(self.document_id, self.old)


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "study.qcdesk"
    with Project.create(path) as project:
        first = project.add_document("Interview 1", ParsedDocument(text="My mentor listened.", source_format="txt"))
        last = project.add_document("Interview 2", ParsedDocument(text="Nobody listened to me.", source_format="txt"))
        code = project.add_code("Heard")
        project.apply_code(first.id, code.id, 3, 9)
        project.apply_code(last.id, code.id, 0, 6)
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
    assert window.undo.run(RenameDocument(project, project.documents()[0].id, "Interview A"))
    last = project.documents()[-1]
    assert window.undo.run(DeleteDocument(project, last.id))
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
    assert window.undo.run(cmd.AddCodeCommand(project, "Belonging"))
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
    from qcdesk.core import attributes as attrs
    from qcdesk.ui import case_commands as ccmd

    project = window.project
    role = attrs.define_attribute(project, "Role")
    assert window.undo.run(cmd.AddCodeCommand(project, "Belonging"))
    assert window.undo.run(ccmd.DeleteAttributeCommand(project, role.id))
    newer = attrs.define_attribute(project, "Role")   # as the attribute dialog does: not undoable
    window.act_undo.trigger()
    qtbot.waitUntil(lambda: any("cannot be put back" in m[2] for m in messages))
    qtbot.waitUntil(lambda: window.undo_stack.index() == 2)
    assert window.undo_stack.count() == 2 and not window.undo_stack.canRedo()
    assert [a.name for a in attrs.attributes(project)] == ["Role"]
    attrs.rename_attribute(project, newer.id, "Role 2")
    window.act_undo.trigger()
    assert sorted(a.name for a in attrs.attributes(project)) == ["Role", "Role 2"]
    assert attrs.attribute(project, role.id).name == "Role"
    window.act_undo.trigger()                      # the step before is still there
    assert "Belonging" not in [c.name for c in project.codes()]


def test_a_refused_redo_keeps_the_history(qtbot, window, messages):
    from qcdesk.core import cases
    from qcdesk.ui import case_commands as ccmd

    project = window.project
    assert window.undo.run(ccmd.AddCaseCommand(project, "P1"))
    window.act_undo.trigger()
    newer = cases.add_case(project, "P1")           # as "Cases from documents" does: not undoable
    window.act_redo.trigger()
    qtbot.waitUntil(lambda: any("cannot be put back" in m[2] for m in messages))
    qtbot.waitUntil(lambda: window.undo_stack.index() == 0)
    assert window.undo_stack.count() == 1 and window.undo_stack.canRedo()
    assert [c.id for c in cases.cases(project)] == [newer.id]
    cases.rename_case(project, newer.id, "P1 (new)")
    window.act_redo.trigger()
    assert sorted(c.name for c in cases.cases(project)) == ["P1", "P1 (new)"]
    assert window.undo_stack.index() == 1
