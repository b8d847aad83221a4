"""Persian, Arabic and Hebrew transcripts (English speaker labels, Latin and Persian digits):
stored exactly, laid out right to left, and coded exactly from a keyboard selection."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QTextCursor

from qcdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

PERSIAN = ["Interviewer: لطفاً از تجربهٔ خود در بیمارستان بگویید.",
           "P1: من در سال ۱۴۰۲ (2023) در بخش اورژانس کار می‌کردم و شیفت‌های شب سخت بود.",
           "Interviewer: سرپرست شما چه کمکی کرد؟",
           "P1: او هر هفته 2 بار با من صحبت می‌کرد."]
ARABIC = ["Interviewer: حدثني عن المشرف في عام 2022.",
          "P2: كان المشرف لطيفاً جداً، وساعدني 3 مرات في الأسبوع.",
          "Interviewer: وماذا عن الزملاء؟",
          "P2: الزملاء ساعدوني كثيراً في المناوبة الليلية."]
HEBREW = ["Interviewer: ספרי לי על המשמרת הראשונה.",
          "P3: הרופאה אמרה לי שהמשמרת הראשונה היא הקשה ביותר, 12 שעות.",
          "Interviewer: ומה עזר לך?",
          "P3: השיחות עם האחיות בלילה עזרו לי מאוד."]
ENGLISH = ["Interviewer: And in English?", "P4: Left to right, as usual.", "Interviewer: Thanks.", "P4: Bye."]


def write_txt(path: Path, lines: list[str]) -> Path:
    path.write_text("\n\n".join(lines), encoding="utf-8")
    return path


def write_docx(path: Path, lines: list[str]) -> Path:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(path)
    return path


@pytest.fixture
def window(make_window, qtbot, tmp_path: Path, messages) -> MainWindow:
    win = make_window(new=tmp_path / "rtl.qcdesk", size=(1200, 800), exposed=True)
    paths = [write_txt(tmp_path / "persian.txt", PERSIAN), write_docx(tmp_path / "arabic.docx", ARABIC),
             write_txt(tmp_path / "hebrew.txt", HEBREW), write_docx(tmp_path / "hebrew-word.docx", HEBREW),
             write_docx(tmp_path / "persian-word.docx", PERSIAN), write_txt(tmp_path / "english.txt", ENGLISH)]
    with qtbot.waitSignal(win.imports.finished, timeout=30000):
        win.imports.start(paths)
    return win


def doc_id(win: MainWindow, name: str) -> int:
    return next(d.id for d in win.project.documents() if d.name == name)


@pytest.mark.parametrize("name, lines", [("persian", PERSIAN), ("arabic", ARABIC), ("hebrew", HEBREW),
                                         ("hebrew-word", HEBREW), ("persian-word", PERSIAN)])
def test_text_and_turns_are_stored_exactly(window, name, lines):
    project = window.project
    did = doc_id(window, name)
    text = project.document_text(did)
    assert text == "\n\n".join(lines)
    turns = project.speaker_turns(did)
    assert [t.speaker for t in turns] == [line.split(":")[0] for line in lines]
    assert [text[t.start:t.end] for t in turns] == lines


def blocks(win: MainWindow) -> list[tuple[str, Qt.LayoutDirection]]:
    out, block = [], win.transcript.document().begin()
    while block.isValid():
        if block.text():
            out.append((block.text(), block.textDirection()))
        block = block.next()
    return out


@pytest.mark.parametrize("name", ["persian", "arabic", "hebrew-word"])
def test_right_to_left_paragraphs_are_laid_out_right_to_left(qtbot, window, name):
    window.documents.select(doc_id(window, name))
    shown = blocks(window)
    assert len(shown) == 4
    for text, direction in shown:
        assert direction == Qt.LayoutDirection.RightToLeft, text
    # laid out from the right edge: the label "Interviewer:" is drawn right of the speech
    view = window.transcript
    view.viewport().grab()
    block = view.document().begin()
    layout = block.layout()
    assert layout.textOption().textDirection() == Qt.LayoutDirection.RightToLeft
    line = layout.lineAt(0)
    assert line.naturalTextRect().right() > view.viewport().width() * 0.8
    label = view.cursorRect(QTextCursor(block)).x()  # position 0: the start of "Interviewer"
    speech = QTextCursor(block)
    speech.setPosition(block.position() + len("Interviewer: ") + 1)
    assert label > view.cursorRect(speech).x()
    window.documents.select(doc_id(window, "english"))
    assert all(direction == Qt.LayoutDirection.LeftToRight for _, direction in blocks(window))


def first_line_ink(window, ink) -> tuple[int, int, int]:
    """Ink drawn in the first line of the transcript shown: its left third, the part left of the
    text's layout, and its right third."""
    view = window.transcript
    block = view.document().begin()
    row = view.cursorRect(QTextCursor(block))
    width, top, height = view.viewport().width(), row.top(), row.height()
    text_left = int(block.layout().lineAt(0).naturalTextRect().left())
    third = width // 3
    return (ink(view.viewport(), QRect(0, top, third, height)),
            ink(view.viewport(), QRect(0, top, max(1, text_left - 2), height)),
            ink(view.viewport(), QRect(width - third, top, third, height)))


def test_screenshot_of_a_persian_transcript(qtbot, window, ink):
    window.documents.select(doc_id(window, "persian"))
    assert window.transcript.document().toPlainText().startswith("Interviewer: لطفاً")
    # drawn from the right edge: ink in the right third, none left of where the layout starts
    _, before_text, right = first_line_ink(window, ink)
    assert right > 0 and before_text == 0
    window.documents.select(doc_id(window, "english"))
    left, _, right = first_line_ink(window, ink)
    assert left > 0 and right == 0


@pytest.mark.parametrize("name, words", [("persian", "بخش اورژانس"), ("arabic", "المناوبة الليلية"),
                                         ("hebrew", "השיחות עם האחיות")])
def test_keyboard_selection_in_rtl_text_codes_exactly_those_words(qtbot, window, activate, name, words):
    activate(window)  # Ctrl+E is a window shortcut
    project = window.project
    did = doc_id(window, name)
    code = project.codebook.add("Night shifts").value
    window.documents.select(did)
    window.codebook.select_code(code.id)
    text = project.document_text(did)
    start = text.index(words)
    view = window.transcript
    view.setFocus()
    cursor = view.textCursor()
    cursor.setPosition(view.offsets.to_qt(start))
    view.setTextCursor(cursor)
    # in a right-to-left paragraph the next character (logically) is to the left
    for _ in range(len(words)):
        qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)
    assert view.selected_range() == (start, start + len(words))
    qtbot.keyClick(view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    codings = project.codings_for_document(did)
    assert [(c.code_id, text[c.start:c.end]) for c in codings] == [(code.id, words)]
    assert view.textCursor().movePosition(QTextCursor.MoveOperation.NoMove)
