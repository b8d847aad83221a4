"""Analysis ▸ Retrieve coded segments, driven as a researcher drives it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QTreeWidget

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.ui.main_window import MainWindow
from builders import code_words, lines_document, empty_project

pytestmark = pytest.mark.gui

INTERVIEW = ["Interviewer: How did you meet your mentor?",
             "P03: My mentor 😀 was assigned by the school, which felt random at first.",
             "Interviewer: And later on?",
             "P03: Later we met every month and I felt I belonged to the department."]
FOCUS = ["Moderator: What keeps you going?",
         "M01: I supervise 𝒳 three mentees and I worry that I have no time for them.",
         "M02: It keeps me connected, I belong here because of them."]


def parsed(lines: list[str]) -> ParsedDocument:
    """The turns start at 12:05 and every 30 s after (the segments show their times)."""
    return lines_document(lines, times=[float(i * 30 + 725) for i in range(len(lines))])


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "study.qcdesk"
    with empty_project(path) as project:
        d1 = project.documents.add("Interview 3", parsed(INTERVIEW)).id
        d2 = project.documents.add("Focus group", parsed(FOCUS)).id
        mentoring = project.codebook.add("Mentoring").value.id
        assigned = project.codebook.add("Assigned", parent_id=mentoring).value.id
        belonging = project.codebook.add("Belonging").value.id
        worry = project.codebook.add("Worry").value.id
        code_words(project, d1, assigned, "My mentor 😀 was assigned")
        code_words(project, d1, belonging, "was assigned by the school")
        code_words(project, d1, belonging, "I felt I belonged")
        code_words(project, d2, worry, "I worry that I have no time")
        code_words(project, d2, mentoring, "three mentees and I worry")
        code_words(project, d2, belonging, "I belong here")
        with project.action() as changes:  # cases as the schema holds them
            db = project.db
            role = db["attributes"].insert({"name": "Role", "value_type": "choice",
                                            "choices": json.dumps(["mentor", "mentee"])}).last_pk
            for name, link, value in (("P03", ("doc", d1), "mentee"), ("M01", ("speaker", d2, "M01"), "mentor"),
                                      ("M02", ("speaker", d2, "M02"), "mentor")):
                case = db["cases"].insert({"name": name, "description": ""}).last_pk
                if link[0] == "doc":
                    db["case_documents"].insert({"case_id": case, "document_id": link[1]})
                else:
                    db["case_speakers"].insert({"case_id": case, "document_id": link[1], "speaker": link[2]})
                db["case_attributes"].insert({"case_id": case, "attribute_id": role, "value": value})
            changes.cases = changes.attributes = True
    return path


@pytest.fixture
def window(make_window, project_path: Path, messages) -> MainWindow:
    return make_window(project_path, size=(1280, 860), exposed=True)


@pytest.fixture
def panel(window, qtbot):
    window.findChild(type(window.act_undo), "actionRetrieve").trigger()
    panel = window.retrieval.panel
    qtbot.waitUntil(panel.isVisible)
    return panel


def tick(qtbot, tree: QTreeWidget, name: str, column: int = 0) -> None:
    """Select the code's row and press Space, as a keyboard user ticks a box."""
    item = tree.findItems(name, Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)[0]
    tree.setCurrentItem(item, column)
    before = item.checkState(column)
    qtbot.keyClick(tree, Qt.Key.Key_Space)
    assert item.checkState(column) != before


def choose(qtbot, combo: QComboBox, text: str) -> None:
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText() == text:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == text


def passages(panel) -> list[tuple[str, str, str, str]]:
    out = []
    for i in range(panel.list.topLevelItemCount()):
        item = panel.list.topLevelItem(i)
        result = panel.results[item.data(0, Qt.ItemDataRole.UserRole + 1)]
        out.append((item.text(0), item.text(1), item.text(2), result.text))
    return out


def wait_summary(qtbot, panel, text: str) -> None:
    qtbot.waitUntil(lambda: panel.summary.text() == text, timeout=30000)


def test_any_of_two_codes_lists_passages_with_where(qtbot, panel):
    tick(qtbot, panel.codes, "Worry")
    tick(qtbot, panel.codes, "Belonging")
    wait_summary(qtbot, panel, "4 passages in 2 documents")
    assert passages(panel) == [
        ("Interview 3", "P03", "¶2 · 00:12:35", "was assigned by the school"),
        ("Interview 3", "P03", "¶4 · 00:13:35", "I felt I belonged"),
        ("Focus group", "M01", "¶2 · 00:12:35", "I worry that I have no time"),
        ("Focus group", "M02", "¶3 · 00:13:05", "I belong here"),
    ]
    html = panel.list.topLevelItem(0).data(4, Qt.ItemDataRole.UserRole + 2)
    assert "<b>was assigned by the school</b>" in html and "My mentor 😀" in html
    # a column names the codes each passage was retrieved with
    header = panel.list.headerItem()
    assert [header.text(c) for c in range(panel.list.columnCount())] == [
        "Document", "Speaker", "¶ / time", "Codes", "Passage"]
    codes = [panel.list.topLevelItem(i).text(3) for i in range(4)]
    assert codes[2] == "Worry" and codes[3] == "Belonging"
    assert all(codes)


def test_overlap_mode_and_without_mode(qtbot, panel):
    tick(qtbot, panel.codes, "Mentoring")
    tick(qtbot, panel.codes, "Belonging")
    choose(qtbot, panel.mode, "All of them (overlap)")
    wait_summary(qtbot, panel, "1 passage in 1 document")
    assert [p[3] for p in passages(panel)] == ["was assigned"]
    tick(qtbot, panel.codes, "Mentoring")  # untick: Belonging without Mentoring
    choose(qtbot, panel.mode, "Without…")
    assert not panel.codes.isColumnHidden(1)
    wait_summary(qtbot, panel, "Tick the codes to leave out in the “Without” column.")
    tick(qtbot, panel.codes, "Mentoring", column=1)
    wait_summary(qtbot, panel, "2 passages in 2 documents")
    assert [p[3] for p in passages(panel)] == ["I felt I belonged", "I belong here"]


def test_filters_by_case_attribute_speaker_and_document(qtbot, panel):
    tick(qtbot, panel.codes, "Belonging")
    wait_summary(qtbot, panel, "3 passages in 2 documents")
    choose(qtbot, panel.attribute, "Role")
    choose(qtbot, panel.value, "mentor")
    wait_summary(qtbot, panel, "1 passage in 1 document")
    assert [p[3] for p in passages(panel)] == ["I belong here"]
    choose(qtbot, panel.attribute, "Any attribute")
    choose(qtbot, panel.case, "P03")
    wait_summary(qtbot, panel, "2 passages in 1 document")
    choose(qtbot, panel.case, "All cases")
    choose(qtbot, panel.speaker, "M02")
    wait_summary(qtbot, panel, "1 passage in 1 document")
    choose(qtbot, panel.speaker, "All speakers")
    choose(qtbot, panel.document, "Interview 3")
    wait_summary(qtbot, panel, "2 passages in 1 document")


def test_double_click_selects_the_segment_in_the_transcript(qtbot, window, panel):
    tick(qtbot, panel.codes, "Worry")
    wait_summary(qtbot, panel, "1 passage in 1 document")
    item = panel.list.topLevelItem(0)
    rect = panel.list.visualItemRect(item)
    # a real double-click: press and release, then the second press Qt reports as a double-click
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(panel.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    result = panel.results[0]
    assert window.transcript.document_id == result.document_id
    assert window.transcript.selected_range() == (result.start, result.end)
    assert window.transcript.textCursor().selectedText() == "I worry that I have no time"


def test_copy_as_quotes_puts_the_selected_passages_on_the_clipboard(qtbot, panel):
    tick(qtbot, panel.codes, "Belonging")
    wait_summary(qtbot, panel, "3 passages in 2 documents")
    panel.list.setFocus()
    qtbot.mouseClick(panel.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.list.visualItemRect(panel.list.topLevelItem(2)).center())
    qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == "“I belong here” (M02, Focus group, ¶3, 00:13:05)"
    panel.list.clearSelection()
    qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text().count("\n\n") == 2


def test_refreshes_after_a_coding_is_added(qtbot, window, panel):
    tick(qtbot, panel.codes, "Worry")
    wait_summary(qtbot, panel, "1 passage in 1 document")
    doc = window.project.documents()[0].id
    worry = next(c.id for c in window.project.codes() if c.name == "Worry")
    window.project.codings.apply(doc, worry, 0, 11)
    wait_summary(qtbot, panel, "2 passages in 2 documents")


def test_code_filter_hides_other_codes(qtbot, panel):
    qtbot.keyClicks(panel.code_filter, "assig")
    top = panel.codes.topLevelItem(0)
    assert top.text(0) == "Mentoring" and not top.isHidden() and not top.child(0).isHidden()
    assert all(panel.codes.topLevelItem(i).isHidden() for i in (1, 2))

