"""File › Export report…: the dialog's options, its live preview, and the export in the worker."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from PySide6.QtCore import Qt

from qcdesk.ui import dialogs
from qcdesk.ui.main_window import MainWindow
from builders import turns_document

pytestmark = pytest.mark.gui


@pytest.fixture
def window(make_window, tmp_path: Path, messages) -> MainWindow:
    win = make_window(new=tmp_path / "study.qcdesk")
    p = win.project
    p.set_coder("Amira")
    a = p.documents.add("Interview A", turns_document([("Interviewer", "How was it?"), ("P1", "Nights were exhausting.")],
                                                 sep="\n\n")).id
    b = p.documents.add("Interview B", turns_document([("P2", "My mentor helped a lot.")], sep="\n\n")).id
    fatigue = p.codebook.add("Fatigue", color="#f4d03f").value.id
    support = p.codebook.add("Support", color="#27ae60").value.id
    text_a, text_b = p.document_text(a), p.document_text(b)
    p.codings.apply(a, fatigue, text_a.index("Nights"), text_a.index(" exhausting"))
    p.codings.apply(a, fatigue, text_a.index("exhausting"), len(text_a) - 1)
    p.codings.apply(b, support, text_b.index("mentor"), len(text_b) - 1)
    yield win
    win.exports.wait()


def uncheck(lst, label: str) -> None:
    item = next(i for i in lst.items() if i.text().strip() == label)
    item.setCheckState(Qt.CheckState.Unchecked)


def test_preview_follows_the_options(window, qtbot, tmp_path):
    dialog = window.exports.make_dialog()
    qtbot.addWidget(dialog)
    assert dialog.preview_text() == "2 documents, 3 segments under 2 codes"
    uncheck(dialog.documents, "Interview B")
    assert dialog.preview_text() == "1 document, 2 segments under 1 code"
    uncheck(dialog.codes, "Fatigue")
    assert "Nothing to export" in dialog.preview_text()
    assert not dialog.export_button.isEnabled()


def test_formats_follow_the_kind(window, qtbot):
    dialog = window.exports.make_dialog()
    qtbot.addWidget(dialog)
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("matrices"))
    assert [dialog.format_box.itemData(i) for i in range(dialog.format_box.count())] == [".docx", ".csv", ".xlsx"]
    # matrices count what the filters keep, so every filter is offered
    assert dialog.filters.isEnabled() and dialog.codes.isEnabled() and dialog.charts.isEnabled()
    assert dialog.levels.isEnabled() and not dialog.bins.isEnabled()
    dialog.levels.setValue(1)
    assert dialog.options().max_level == 1
    dialog.format_box.setCurrentIndex(1)
    assert "one matrix" in dialog.preview_text() and not dialog.export_button.isEnabled()
    dialog.format_box.setCurrentIndex(2)
    assert dialog.export_button.isEnabled()  # a workbook holds every matrix, one sheet each
    dialog.format_box.setCurrentIndex(1)
    dialog.matrix_box.setCurrentIndex(dialog.matrix_box.findData("cooccurrence"))
    assert dialog.export_button.isEnabled()
    assert dialog.options().matrices == ["cooccurrence"]
    # participants: cases, attribute values and documents choose them; codings' filters do not apply
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("attributes"))
    assert dialog.cases.isEnabled() and not dialog.coders.isEnabled() and not dialog.codes.isEnabled()
    assert dialog.bins.isEnabled() and not dialog.levels.isEnabled()
    dialog.bins.setText("20,30")
    assert dialog.options().bins == [20.0, 30.0] and dialog.options().coder_ids is None
    dialog.bins.setText("many")
    assert "Bins" in dialog.preview_text() and not dialog.export_button.isEnabled()
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("coded-transcript"))
    assert dialog.format_box.count() == 1 and dialog.filters.isEnabled()


def test_export_runs_in_the_worker_and_writes_the_file(window, qtbot, tmp_path, monkeypatch, messages,
                                                       click_check_box):
    dialog = window.exports.make_dialog("coded-transcript")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    uncheck(dialog.documents, "Interview B")
    click_check_box(dialog.memos)
    assert dialog.options().include_memos and dialog.options().document_ids == [1]
    out = tmp_path / "transcripts"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: str(out))
    with qtbot.waitSignal(window.exports.finished, timeout=30000) as blocker:
        window.exports.export_from(dialog)
    assert blocker.args == [True, str(out) + ".docx"]
    document = docx.Document(str(out) + ".docx")
    assert [h.text for h in document.paragraphs if h.style.name == "Heading 1"][-1] == "Interview A"
    assert "Interview B" not in [p.text for p in document.paragraphs]
    assert sorted(c.text.split("\n")[0] for c in document.comments) == ["Fatigue", "Fatigue"]
    kind, title, text = messages[-1]
    assert kind == "info" and str(out) + ".docx" in text


def test_matrix_to_xlsx_from_the_dialog(window, qtbot, tmp_path, monkeypatch):
    import openpyxl

    dialog = window.exports.make_dialog("matrices")
    qtbot.addWidget(dialog)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData(".xlsx"))
    dialog.matrix_box.setCurrentIndex(dialog.matrix_box.findData("cooccurrence"))
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: str(tmp_path / "co.xlsx"))
    with qtbot.waitSignal(window.exports.finished, timeout=30000) as blocker:
        window.exports.export_from(dialog)
    assert blocker.args[0] is True
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(tmp_path / "co.xlsx").active.iter_rows()]
    # Fatigue and Support never overlap here: left out of the grid, and the note says so
    assert rows[0] == ["Code"]
    assert ["2 code(s) that overlap no other code here are left out (their rows and columns would hold "
            "only zeros)."] in rows


def test_menu_opens_the_dialog(window, qtbot, monkeypatch):
    seen = []
    monkeypatch.setattr("qcdesk.ui.export_dialog.ExportDialog.exec", lambda self: seen.append(self.kind()) or 0)
    window.act_export.trigger()
    assert seen == ["segments-by-code"]


def test_language_texts_and_citation_reach_the_options(window, qtbot):
    dialog = window.exports.make_dialog()
    qtbot.addWidget(dialog)
    dialog.language.setCurrentText("")
    qtbot.keyClicks(dialog.language, "de-DE")
    qtbot.keyClicks(dialog.title_edit, "Night shifts")
    qtbot.keyClicks(dialog.header_edit, "CONFIDENTIAL")
    dialog.quotation_marks.setChecked(True)
    dialog.cite_box.setCurrentIndex(dialog.cite_box.findData("case"))
    options = dialog.options()
    assert (options.language, options.title, options.header_text) == ("de-DE", "Night shifts", "CONFIDENTIAL")
    assert options.quotation_marks and options.cite_by == "case" and options.cite_attribute_ids == []
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("memos"))
    assert not dialog.quotation_marks.isEnabled() and dialog.options().cite_by == "document"
    assert dialog.kind_box.findData("framework") >= 0
