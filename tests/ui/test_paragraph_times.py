"""The transcript's margin shows the times of paragraphs that have one without a turn: subtitle
cues without voices, paragraphs after a bare time line (issue 18)."""

from __future__ import annotations

from pathlib import Path

from qcdesk.core.importers import parse_file
from builders import empty_project

SRT = ("1\n00:00:01,000 --> 00:00:02,000\nFirst line.\n\n"
       "2\n00:00:09,000 --> 00:00:10,000\nAfter a pause.\n\n"
       "3\n00:00:20,000 --> 00:00:21,000\nAnd another.\n")


def test_subtitle_paragraphs_show_their_cue_times(make_window, qtbot, tmp_path: Path, messages):
    source = tmp_path / "diary.srt"
    source.write_text(SRT, encoding="utf-8")
    path = tmp_path / "diary.qcdesk"
    with empty_project(path) as project:
        project.documents.add("Diary", parse_file(source))
    win = make_window(path, size=(1000, 700), exposed=True)

    view = win.transcript
    qtbot.waitUntil(lambda: len(view.times.visible_times()) == 3)
    shown = view.times.visible_times()
    assert [label for _rect, label in shown] == ["0:01", "0:09", "0:20"]
    text = win.project.document_text(view.document_id)
    for (rect, _label), words in zip(shown, ["First line.", "After a pause.", "And another."]):
        assert rect.top() == view.line_top(view.offsets.to_qt(text.index(words)))
    win.close()
