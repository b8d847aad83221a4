"""Asking where to save: the suffix the user left off is added, one rule for every export."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcdesk.ui import dialogs
from qcdesk.ui.dialogs import forced_suffix

SUFFIXES = [".csv", ".xlsx", ".docx", ".png", ".qckey", ".qcdesk"]
names = st.text(st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="/\\\0"),
                min_size=1, max_size=20).filter(lambda n: n.strip(".") and n not in {".", ".."})


@given(names, st.lists(st.sampled_from(SUFFIXES), min_size=1, max_size=3, unique=True), st.booleans())
def test_the_result_ends_in_an_allowed_suffix_and_keeps_what_was_typed(name, suffixes, match_case):
    typed = Path("/tmp/out") / name
    out = forced_suffix(typed, suffixes, match_case=match_case)
    ending = out.suffix if match_case else out.suffix.lower()
    assert ending in suffixes
    assert out.parent == typed.parent and out.name.startswith(typed.name)
    if out != typed:
        assert out.name == typed.name + suffixes[0]  # added, never replacing what was typed
    assert forced_suffix(out, suffixes, match_case=match_case) == out


@pytest.mark.parametrize("typed, suffixes, match_case, expected", [
    ("report", ".docx", False, "report.docx"),
    ("report.DOCX", ".docx", False, "report.DOCX"),
    ("report.v2", ".docx", False, "report.v2.docx"),
    ("table.xlsx", (".csv", ".xlsx"), False, "table.xlsx"),
    ("table", (".csv", ".xlsx"), False, "table.csv"),
    ("study.QCDESK", ".qcdesk", True, "study.QCDESK.qcdesk"),
])
def test_examples(typed, suffixes, match_case, expected):
    assert forced_suffix(Path(typed), suffixes, match_case=match_case) == Path(expected)


def test_ask_save_file_adds_the_suffix_and_passes_a_cancel_through(monkeypatch):
    answers = iter(["/tmp/chart", None])
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a: next(answers))
    ask = lambda: dialogs.ask_save_file(None, "Save", "/tmp/saturation.png", "PNG image (*.png)", ".png")
    assert ask() == Path("/tmp/chart.png")
    assert ask() is None
