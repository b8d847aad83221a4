"""Project › Audit trail: the table a person reads, its filters, and the CSV export."""

from __future__ import annotations

import csv

import pytest

from qcdesk.core.importers.base import ParsedDocument
from builders import empty_project

pytestmark = pytest.mark.gui


@pytest.fixture
def window(make_window, tmp_path):
    path = tmp_path / "a.qcdesk"
    with empty_project(path) as project:
        project.set_coder("Ana")
        doc = project.documents.add("Interview 1", ParsedDocument(text="P: Night shifts wore me down.\n",
                                                                  source_format="txt"))
        code = project.codebook.add("Fatigue").value
        project.codings.apply(doc.id, code.id, 3, 28)
        project.set_coder("Ben")
        project.codebook.rename(code.id, "Exhaustion")
    return make_window(path, coder="Ben", settings_file="s.ini", teardown="project")


def _rows(dialog):
    t = dialog.table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_menu_opens_the_table_newest_first(window, qtbot):
    assert window.security.audit.action.isEnabled()
    window.security.audit.action.trigger()
    dialog = window.security.audit.dialog
    qtbot.waitExposed(dialog)
    rows = _rows(dialog)
    assert [r[1:4] for r in rows] == [["Ben", "changed", "code"], ["Ana", "added", "coding"],
                                     ["Ana", "added", "code"], ["Ana", "added", "document"]]
    assert rows[0][4] == "Code “Exhaustion”: renamed “Fatigue” → “Exhaustion”"
    assert dialog.count.text() == "4 entries"


def test_filters_narrow_the_table(window, qtbot):
    dialog = window.security.audit.show()
    dialog.coder.setCurrentIndex(dialog.coder.findText("Ana"))
    assert len(_rows(dialog)) == 3
    dialog.kind.setCurrentIndex(dialog.kind.findData("coding"))
    assert [r[4] for r in _rows(dialog)] == ["Code “Fatigue” in “Interview 1”, characters 3–28"]
    dialog.since.setText("2999-01-01")
    dialog.since.editingFinished.emit()
    assert _rows(dialog) == [] and dialog.count.text() == "0 entries"
    dialog.since.setText("last week")
    dialog.since.editingFinished.emit()
    assert "YYYY-MM-DD" in dialog.count.text()


def test_a_change_in_the_window_appears_when_shown_again(window):
    dialog = window.security.audit.show()
    window.project.codebook.add("Sleep")
    assert window.security.audit.show() is dialog
    assert _rows(dialog)[0][1:5] == ["Ben", "added", "code", "Code “Sleep”"]


def test_export_csv(window, tmp_path, monkeypatch, messages):
    from qcdesk.ui import dialogs

    out = tmp_path / "trail"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a, **k: str(out))
    dialog = window.security.audit.show()
    dialog.coder.setCurrentIndex(dialog.coder.findText("Ben"))
    assert dialog.export_csv()
    with open(tmp_path / "trail.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["coder"], r["action"], r["kind"]) for r in rows] == [("Ben", "changed", "code")]
    assert messages[-1][1] == "Audit trail exported"
    # a plain project asks no encryption question
    assert not any(m[0] == "confirm" for m in messages)
