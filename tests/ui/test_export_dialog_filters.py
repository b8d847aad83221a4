"""Export dialog filters as in the retrieval panel: attribute values and speakers besides cases,
coders and documents; the live preview counts exactly what the written report then holds."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from PySide6.QtCore import Qt

from qcdesk.core.reports import write_report
from qcdesk.ui import dialogs
from qcdesk.ui.main_window import MainWindow
from builders import code_words, turns_document

pytestmark = pytest.mark.gui

MENTEE_QUOTES = ["How was your first rotation?", "My mentor met me every week.",
                 "Night shifts drained me completely.", "Senior residents covered for me.",
                 "I still fell asleep in clinic."]


@pytest.fixture
def window(make_window, tmp_path: Path, messages) -> MainWindow:
    """Two interviews linked to cases as whole documents, a focus group whose cases are speakers."""
    win = make_window(new=tmp_path / "mentoring.qcdesk")

    p = win.project
    mina = p.documents.add("Interview Mina", turns_document([
        ("Interviewer", "How was your first rotation?"), ("Mina", "My mentor met me every week."),
        ("Mina", "Night shifts drained me completely.")])).id
    omar = p.documents.add("Interview Omar", turns_document([
        ("Interviewer", "What do you do as a mentor?"), ("Omar", "I check in with my mentees after nights."),
        ("Omar", "Honestly I am tired too.")])).id
    group = p.documents.add("Focus group", turns_document([
        ("Moderator", "Who supported you?"), ("Sara", "Senior residents covered for me."),
        ("Tom", "We try to protect their sleep."), ("Sara", "I still fell asleep in clinic.")])).id
    support = p.codebook.add("Support", color="#27ae60").value.id
    mentoring = p.codebook.add("Mentoring", parent_id=support, color="#2980b9").value.id
    fatigue = p.codebook.add("Fatigue", color="#f4d03f").value.id
    p.set_coder("Amira")
    code_words(p, mina, mentoring, "My mentor met me every week.")
    code_words(p, mina, fatigue, "Night shifts drained me completely.")
    code_words(p, omar, fatigue, "Honestly I am tired too.")
    code_words(p, group, support, "Who supported you?")
    code_words(p, group, support, "Senior residents covered for me.")
    p.set_coder("Ben")
    code_words(p, mina, support, "How was your first rotation?")
    code_words(p, omar, mentoring, "I check in with my mentees after nights.")
    code_words(p, group, fatigue, "We try to protect their sleep.")
    code_words(p, group, fatigue, "I still fell asleep in clinic.")
    ids = {name: p.cases.add(name).value.id for name in ("Mina", "Omar", "Sara", "Tom")}
    p.cases.link_documents(ids["Mina"], [mina])
    p.cases.link_documents(ids["Omar"], [omar])
    p.cases.link_speaker(ids["Sara"], group, "Sara")
    p.cases.link_speaker(ids["Tom"], group, "Tom")
    role = p.attributes.define("Role", "choice", ["mentee", "mentor"]).id
    year = p.attributes.define("Year", "number").id
    for name, value, y in (("Mina", "mentee", 1), ("Sara", "mentee", 2), ("Omar", "mentor", 5),
                           ("Tom", "mentor", None)):
        p.attributes.set_value(ids[name], role, value)
        if y is not None:
            p.attributes.set_value(ids[name], year, y)
    yield win
    win.exports.wait()


def only(lst, *labels: str) -> None:
    """Tick exactly the items with these labels."""
    for item in lst.items():
        on = item.text().strip() in labels
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def preview_numbers(dialog) -> tuple[int, int]:
    found = re.match(r"(\d+) documents?, (\d+) segments?", dialog.preview_text())
    assert found, dialog.preview_text()
    return int(found.group(1)), int(found.group(2))


def report_numbers(path: Path) -> tuple[int, int, list[str]]:
    """Documents on the title page, and the quotes, of a written segments report."""
    document = docx.Document(str(path))
    facts = dict(p.text.split(":\t", 1) for p in document.paragraphs if p.style.name == "Title Facts")
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    return int(facts["Documents"].split()[0]), len(quotes), quotes


def test_attribute_and_speaker_lists_offer_the_projects_values(window, qtbot, tmp_path):
    dialog = window.exports.make_dialog()
    qtbot.addWidget(dialog)
    dialog.resize(900, 640)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.grab().save(str(tmp_path / "export_dialog_filters.png"))
    assert [i.text() for i in dialog.attribute_values.items()] == [
        "Role = mentee", "Role = mentor", "Year = 1", "Year = 2", "Year = 5"]
    assert [i.text() for i in dialog.speakers.items()] == ["Interviewer", "Mina", "Moderator", "Omar",
                                                           "Sara", "Tom"]
    assert dialog.preview_text() == "3 documents, 9 segments under 3 codes"
    assert dialog.options().attribute_values is None and dialog.options().speakers is None


def test_mentee_report_from_the_worker_holds_what_the_preview_counted(window, qtbot, tmp_path, monkeypatch):
    dialog = window.exports.make_dialog("segments-by-code")
    qtbot.addWidget(dialog)
    only(dialog.attribute_values, "Role = mentee", "Year = 1", "Year = 2", "Year = 5")
    assert dialog.options().attribute_values == [(window.project.attributes.by_name("Role").id,
                                                  "mentee")]
    assert dialog.preview_text() == "2 documents, 5 segments under 3 codes"
    out = tmp_path / "mentees.docx"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: str(out))
    with qtbot.waitSignal(window.exports.finished, timeout=30000) as blocker:
        window.exports.export_from(dialog)
    assert blocker.args == [True, str(out)]
    docs, n_quotes, quotes = report_numbers(out)
    assert (docs, n_quotes) == preview_numbers(dialog) == (2, 5)
    assert sorted(quotes) == sorted(MENTEE_QUOTES)


@pytest.mark.parametrize("ticks, expected", [
    ({"speakers": ("Sara",)}, (3, 2)),  # a speaker narrows the segments, not the documents
    ({"cases": ("Tom",)}, (1, 1)),
    ({"cases": ("Mina", "Sara"), "coders": ("Ben",)}, (2, 2)),
    ({"attribute_values": ("Role = mentor", "Year = 5")}, (1, 2)),    # Omar only: Tom has no Year
    ({"attribute_values": ("Role = mentor", "Year = 1", "Year = 2", "Year = 5"),
      "speakers": ("Interviewer", "Tom")}, (2, 1)),
    # every value ticked: no condition, the moderator's segment stays
    ({"documents": ("Focus group",), "attribute_values": ("Role = mentee", "Role = mentor", "Year = 1",
                                                          "Year = 2", "Year = 5")}, (1, 4)),
])
def test_preview_counts_equal_the_reports_contents(window, qtbot, tmp_path, ticks, expected):
    dialog = window.exports.make_dialog("segments-by-code")
    qtbot.addWidget(dialog)
    for name, labels in ticks.items():
        only(getattr(dialog, name), *labels)
    assert preview_numbers(dialog) == expected
    out = write_report(window.project, dialog.kind(), tmp_path / "r.docx", dialog.options())
    docs, n_quotes, _ = report_numbers(out)
    assert (docs, n_quotes) == expected


def test_no_value_of_an_attribute_ticked_leaves_nothing(window, qtbot):
    dialog = window.exports.make_dialog()
    qtbot.addWidget(dialog)
    only(dialog.attribute_values, "Year = 1", "Year = 2", "Year = 5")
    assert dialog.options().attribute_values == []
    assert "Nothing to export" in dialog.preview_text()
    assert not dialog.export_button.isEnabled()
