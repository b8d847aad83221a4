"""Help: a list of the keyboard shortcuts made from the window's own actions, shortcuts in the
tooltips, and an offline getting-started page."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QKeySequence

from qcdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(make_window, tmp_path: Path, messages) -> MainWindow:
    return make_window(new=tmp_path / "study.qcdesk", size=(1024, 700), exposed=True)


def test_keyboard_shortcuts_lists_every_action_with_a_shortcut(qtbot, window):
    act = window.findChild(QAction, "actionKeyboardShortcuts")
    assert act is not None and act in window.help_menu.actions()
    rows = window.help.shortcut_rows()
    listed = {(what, keys) for what, keys in rows}
    for action in window.findChildren(QAction):
        if action.shortcut().isEmpty() or not action.text():
            continue
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        assert any(k == keys for _w, k in listed), (action.objectName(), keys)
    assert ("Apply selected code", "Ctrl+E") in listed
    assert ("Focus on the transcript", "F11") in listed
    assert all("&" not in what for what, _k in rows)
    act.trigger()
    dialog = window.help.shortcuts_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.table.rowCount() == len(rows)
    dialog.close()


def test_tooltips_name_the_shortcut(window):
    for action in (window.act_apply, window.act_invivo, window.act_remove, window.act_import, window.act_focus):
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        assert keys and f"({keys})" in action.toolTip(), action.objectName()


def test_offline_help_page(qtbot, window):
    act = window.findChild(QAction, "actionHelp")
    assert act is not None and act in window.help_menu.actions()
    assert act.shortcut() == QKeySequence(QKeySequence.StandardKey.HelpContents)
    act.trigger()
    page = window.help.help_dialog
    qtbot.waitUntil(page.isVisible)
    text = page.browser.toPlainText()
    for words in ("Import documents", "Ctrl+E", "Focus on the transcript", "Enter adds", "Undo"):
        assert words in text, words
    assert not page.browser.openExternalLinks()  # offline: nothing is fetched
    page.close()


@pytest.mark.parametrize("entry", ["qcdesk", "window"])
def test_command_line_help_mentions_the_window_options(capsys, entry):
    from qcdesk.cli import main
    from qcdesk.ui.app import parse_args

    with pytest.raises(SystemExit):
        main(["--help"]) if entry == "qcdesk" else parse_args(["--help"])
    out = capsys.readouterr().out
    for words in ("--demo", "--fresh-demo", "--smoke-test", "PROJECT", "qcdesk-cli", "F1)", "F11",
                  "Keyboard shortcuts"):
        assert words in out, words
