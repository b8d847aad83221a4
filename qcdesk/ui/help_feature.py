"""Help ▸ Keyboard shortcuts (a list made from the window's own actions, so it is never out of
date), Help ▸ qcdesk Help (an offline getting-started page) and the shortcut in every tooltip."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QDockWidget, QHeaderView,
                               QTableWidget, QTableWidgetItem, QTextBrowser, QVBoxLayout, QWidget)

from qcdesk import APP_NAME

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices

NATIVE = QKeySequence.SequenceFormat.NativeText


def _label(action: QAction) -> str:
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").strip()


def _where(action: QAction, window: "WindowServices") -> str:
    """The panel an action belongs to (its shortcut works there), or "" for the whole window."""
    widget = action.parent()
    while isinstance(widget, QWidget) and widget is not window:
        if isinstance(widget, QDockWidget):
            return widget.windowTitle()
        widget = widget.parentWidget()
    return ""


class ShortcutsDialog(QDialog):
    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setObjectName("shortcutsDialog")
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(["Action", "Keys"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for r, (what, keys) in enumerate(rows):
            self.table.setItem(r, 0, QTableWidgetItem(what))
            self.table.setItem(r, 1, QTableWidgetItem(keys))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(520, 560)


GETTING_STARTED = """
<h2>Getting started with {app}</h2>
<p>Everything you do is saved at once in one project file; there is no Save. Every coding and
codebook change can be undone (<b>Edit ▸ Undo</b>, {undo}).</p>
<h3>1. A project and transcripts</h3>
<p><b>File ▸ New project</b> (or <b>New encrypted project</b> for sensitive interviews), then
<b>File ▸ Import documents</b> ({import_}) or drop files on the window: Word, OpenDocument, RTF,
PDF, text, subtitles and Zoom, Teams, Otter and noScribe transcripts.</p>
<h3>2. A codebook</h3>
<p>In the Codebook panel press <b>New</b> and type a name in the tree: Enter adds the next code
beside it, Tab indents it under the code above (Shift+Tab moves it back out), Esc stops; F2
renames. Themes, categories and codes are just levels of the same tree.</p>
<h3>3. Coding</h3>
<p>Select words in the transcript, then double-click a code, or press {apply} to apply the code
selected in the codebook, or {invivo} to make a new code from the words themselves (in vivo).
{remove} removes the coding under the cursor (asking which when several overlap). The margin
names the codes; click a stripe to select that coding, or drag its top or bottom end to another line
to resize it (<b>Code ▸ Extend coding to selection</b> stretches it over the selected words). A
selection can also be dragged onto a code in the codebook. A small note in the margin marks a coded
segment with a memo: click it to read the memo.</p>
<h3>4. Room to read</h3>
<p><b>View ▸ Focus on the transcript</b> ({focus}) shows only the text and the codebook; press it
again to bring the panels back. Panels can be dragged, tabbed, floated or closed (View menu).
<b>View ▸ Go to</b> moves the keyboard between the panes (Ctrl+Shift+1 … 5, or F6 and Shift+F6 for
the next and previous pane on any keyboard layout; on French AZERTY the digits need Shift, so there
Ctrl+Shift with the key marked 1 is Ctrl+1) and to the next or previous document (Ctrl+PgDown,
Ctrl+PgUp); the pane holding the keyboard has its title highlighted.</p>
<h3>5. Looking at the data</h3>
<p>The <b>Analysis</b> menu retrieves coded segments, builds matrices, searches the text and
charts saturation; <b>File ▸ Export report</b> writes Word, CSV or Excel reports.</p>
<h3>Keyboard shortcuts</h3>
{shortcuts}
<p>This page is part of {app} and needs no network connection.</p>
"""


class HelpDialog(QDialog):
    def __init__(self, html: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"{APP_NAME} Help")
        self.setObjectName("helpDialog")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)  # offline: nothing is ever fetched
        self.browser.setOpenLinks(False)
        self.browser.setHtml(html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(640, 700)


class HelpFeature:
    def __init__(self, window: "WindowServices"):
        self.window = window
        self.shortcuts_dialog: ShortcutsDialog | None = None
        self.help_dialog: HelpDialog | None = None
        self.act_help = QAction(f"{APP_NAME} &Help", window)
        self.act_help.setObjectName("actionHelp")
        self.act_help.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.act_help.triggered.connect(self.show_help)
        self.act_shortcuts = QAction("&Keyboard shortcuts", window)
        self.act_shortcuts.setObjectName("actionKeyboardShortcuts")
        self.act_shortcuts.triggered.connect(self.show_shortcuts)
        window.addAction(self.act_help)
        first = window.help_menu.actions()[0] if window.help_menu.actions() else None
        window.help_menu.insertActions(first, [self.act_help, self.act_shortcuts])
        if first is not None:
            window.help_menu.insertSeparator(first)
        self.add_shortcuts_to_tooltips()

    def _actions(self) -> list[QAction]:
        return [a for a in self.window.findChildren(QAction) if a.shortcuts() and _label(a)]

    def shortcut_rows(self) -> list[tuple[str, str]]:
        """(what, keys) for every action with a shortcut, one row per key sequence, by name."""
        rows: set[tuple[str, str]] = set()
        for action in self._actions():
            where = _where(action, self.window)
            what = _label(action) + (f" ({where})" if where else "")
            if action in (self.window.act_undo, self.window.act_redo):
                what = "Undo" if action is self.window.act_undo else "Redo"
            for sequence in action.shortcuts():
                rows.add((what, sequence.toString(NATIVE)))
        return sorted(rows, key=lambda r: (r[0].casefold(), r[1]))

    def add_shortcuts_to_tooltips(self) -> None:
        """Each action's tooltip names its shortcut, "Apply selected code (Ctrl+E)"."""
        for action in self._actions():
            if action in (self.window.act_undo, self.window.act_redo):
                continue  # their tooltips follow the command they undo
            keys = action.shortcut().toString(NATIVE)
            tip = action.toolTip() or _label(action)
            if f"({keys})" not in tip:
                action.setToolTip(f"{tip} ({keys})")

    def show_shortcuts(self) -> None:
        if self.shortcuts_dialog is not None:
            self.shortcuts_dialog.close()
            self.shortcuts_dialog.deleteLater()
        self.shortcuts_dialog = ShortcutsDialog(self.shortcut_rows(), self.window)
        self.shortcuts_dialog.show()

    def help_html(self) -> str:
        w = self.window

        def keys(action: QAction) -> str:
            return f"<b>{escape(action.shortcut().toString(NATIVE))}</b>"

        table = "".join(f"<tr><td>{escape(what)}</td><td><b>{escape(k)}</b></td></tr>"
                        for what, k in self.shortcut_rows())
        return GETTING_STARTED.format(
            app=APP_NAME, undo=keys(w.act_undo), import_=keys(w.act_import), apply=keys(w.act_apply),
            invivo=keys(w.act_invivo), remove=keys(w.act_remove),
            focus=keys(w.act_focus),
            shortcuts=f"<table cellspacing='0' cellpadding='3'>{table}</table>")

    def show_help(self) -> None:
        if self.help_dialog is not None:
            self.help_dialog.close()
            self.help_dialog.deleteLater()
        self.help_dialog = HelpDialog(self.help_html(), self.window)
        self.help_dialog.show()


def install(window: "WindowServices") -> HelpFeature:
    return HelpFeature(window)
