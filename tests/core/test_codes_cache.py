"""The code list is read once and kept until the next action: the window asks for it after
every coding (highlight, margin, codebook, quick codes), 20 ms a time for 1,000 codes."""

from __future__ import annotations

import pytest

from qcdesk.core.project import Project
from builders import empty_project

pytestmark = pytest.mark.core


def statements(project: Project) -> list[str]:
    seen: list[str] = []
    project.db.conn.set_trace_callback(seen.append)
    return seen


def test_codes_are_read_once_until_something_changes(tmp_path):
    with empty_project(tmp_path / "p.qcdesk") as project:
        a = project.codebook.add("Belonging").value
        first = project.codes()
        seen = statements(project)
        again = project.codes()
        assert again == first and not any("FROM codes" in s for s in seen)
        again.append("not a code")  # the caller's list is its own
        assert project.codes() == first
        b = project.codebook.add("Trust", parent_id=a.id).value
        assert [c.name for c in project.codes()] == ["Belonging", "Trust"]
        project.codebook.rename(b.id, "Trust in mentors")
        assert [c.name for c in project.codes()] == ["Belonging", "Trust in mentors"]
        snap = project.codebook.delete(a.id).undo
        assert project.codes() == []
        snap.run()
        assert len(project.codes()) == 2
        with project.action():  # inside an action the list is always read afresh
            project.codebook.add("Hope")
            assert len(project.codes()) == 3
        with pytest.raises(RuntimeError):
            with project.action():
                project.codebook.add("Rolled back")
                raise RuntimeError
        assert [c.name for c in project.codes()] == ["Belonging", "Trust in mentors", "Hope"]


def test_a_change_made_outside_an_action_is_seen_after_forget_caches(tmp_path):
    with empty_project(tmp_path / "p.qcdesk") as project:
        project.codebook.add("Belonging")
        assert len(project.codes()) == 1
        project.db.execute("UPDATE codes SET name = 'Changed'")  # as restoring a backup does
        project.forget_caches()
        assert [c.name for c in project.codes()] == ["Changed"]


def test_a_coding_keeps_the_code_list(tmp_path):
    """Codings, memos and cases leave the codebook alone: after them the window's many asks for the
    code list read nothing (1,000 codes take about 20 ms to read)."""
    from qcdesk.core.importers.base import ParsedDocument

    with Project.create(tmp_path / "p.qcdesk") as project:
        doc = project.documents.add("Interview", ParsedDocument(text="I felt welcome here.", source_format="txt"))
        code = project.codebook.add("Belonging").value
        first = project.codes()
        seen = statements(project)
        done = project.codings.apply(doc.id, code.id, 2, 6)
        project.cases.add("P1")
        done.undo.run()
        assert project.codes() == first
        assert not any("FROM codes" in s and "SELECT" in s and "WHERE" not in s for s in seen), seen
