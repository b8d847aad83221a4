"""Coding time ranges of the recording in the window (issue 18: a recording without a transcript).

In the player dock and the Document menu: **Mark in** (F7) and **Mark out** (F8) at the player's
position, then **Code time range** (F9) with the code selected in the codebook: one undo step. A
refusal (no recording, past its end, a code that only groups others) shows the core's one line and
changes nothing. Under the player, a list of the open document's time codings (range, code, memo):
a click plays that range and stops at its end; a double-click or **Memo…** in its context menu
edits its memo, and **Remove** removes it (both undoable). Above, the recording's timeline
(:mod:`qcdesk.ui.waveform`): a drag marks in and out at once, a click plays from there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QHeaderView, QLabel, QMenu, QPlainTextEdit, QPushButton,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout)

from qcdesk.core.time_codings import format_range, format_time
from qcdesk.ui.commands import codings as coding_cmd
from qcdesk.ui.waveform import WaveformView

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices


class TimeRangeFeature:
    def __init__(self, window: "WindowServices"):
        self.window = window
        self.player = window.player
        self.project = None
        self.mark_in: int | None = None
        self.mark_out: int | None = None
        self.marks_label = QLabel()
        self.marks_label.setObjectName("timeMarks")
        self.in_button = QPushButton("Mark in")
        self.out_button = QPushButton("Mark out")
        self.code_button = QPushButton("Code time range")
        self.code_button.setObjectName("codeTimeRange")
        self.list = QTreeWidget()
        self.list.setObjectName("timeCodingList")
        self.list.setHeaderLabels(["Range", "Code", "Memo"])
        self.list.setRootIsDecorated(False)
        # at most about four rows: the recording dock must leave the transcript most of the height
        self.list.setMaximumHeight(self.list.fontMetrics().height() * 6 + 12)
        self.list.hide()  # shown once the open document has time codings
        for column in (0, 1):  # the whole range and code; the memo takes the rest
            self.list.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._list_menu)
        self.list.itemClicked.connect(lambda item, _col: self.play(item))
        self.list.itemDoubleClicked.connect(lambda item, _col: self.edit_memo(item.data(0, Qt.ItemDataRole.UserRole)))
        panel = self.player.panel
        # the timeline under the player's controls, the buttons before the recording's name, the
        # list beside them: the dock stays a few lines high
        self.wave = WaveformView()
        panel.column.insertWidget(1, self.wave)
        for i, widget in enumerate((self.in_button, self.out_button, self.code_button, self.marks_label)):
            panel.info_row.insertWidget(i, widget)
        panel.side.addWidget(self.list, 2)
        self.wave.seekRequested.connect(panel.seek)
        self.wave.rangeSelected.connect(self.set_marks)
        panel.positionChanged.connect(self.wave.set_position)
        panel.mediaChanged.connect(self._media_changed)
        # the player's duration, for a recording whose length was not known when it was attached
        panel.slider.rangeChanged.connect(lambda _low, high: high > 0 and self.wave.set_duration(high))
        menu = self.player.menu
        menu.addSeparator()
        self.act_in = self._action("Mark &in", "actionMarkIn", self.set_mark_in, "F7",
                                   "Mark the start of a time range at the player's position")
        self.act_out = self._action("Mark &out", "actionMarkOut", self.set_mark_out, "F8",
                                    "Mark the end of a time range at the player's position")
        self.act_code = self._action("&Code time range", "actionCodeTimeRange", self.code_range, "F9",
                                     "Code the marked time range with the code selected in the codebook")
        self.in_button.clicked.connect(self.act_in.trigger)
        self.out_button.clicked.connect(self.act_out.trigger)
        self.code_button.clicked.connect(self.act_code.trigger)
        window.projectOpened.connect(self._opened)
        window.projectClosing.connect(self._closing)
        window.documents.documentSelected.connect(lambda _doc_id: self.refresh(clear_marks=True))
        self.refresh(clear_marks=True)

    def _action(self, text: str, name: str, slot, shortcut: str, tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        self.player.menu.addAction(action)
        return action

    def _say(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 5000)

    # ------------------------------------------------------------ project
    def _opened(self, _path: str) -> None:
        self.project = self.window.project
        self.project.subscribe(self._changes)
        self.refresh(clear_marks=True)

    def _closing(self) -> None:
        self.wave.stop()
        if self.project is not None:
            self.project.unsubscribe(self._changes)
        self.project = None
        self.refresh(clear_marks=True)

    def _changes(self, changes) -> None:
        if changes.codings and not (changes.codebook or changes.media or changes.documents
                                    or changes.document_list or changes.texts):
            return  # codings of the text only: time codings are changed on their own or with those
        self.refresh()

    def document_id(self) -> int | None:
        return self.window.transcript.document_id if self.project is not None else None

    # ------------------------------------------------------------ marks and coding
    def _position(self) -> int | None:
        panel = self.player.panel
        if not panel.has_media():
            self._say("This document has no recording to mark (Document ▸ Attach recording…).")
            return None
        return max(0, int(panel.player.position()))

    def set_mark_in(self) -> None:
        ms = self._position()
        if ms is not None:
            self.mark_in = ms
            self._show_marks()

    def set_mark_out(self) -> None:
        ms = self._position()
        if ms is not None:
            self.mark_out = ms
            self._show_marks()

    def set_marks(self, start_ms: int, end_ms: int) -> None:
        """Mark in and out at once (a range dragged across the timeline)."""
        self.mark_in, self.mark_out = int(start_ms), int(end_ms)
        self._show_marks()

    def _show_marks(self) -> None:
        start = "–" if self.mark_in is None else format_time(self.mark_in)
        end = "–" if self.mark_out is None else format_time(self.mark_out)
        self.marks_label.setText(f"In {start} · Out {end}")
        marked = None if self.mark_in is None or self.mark_out is None else tuple(sorted((self.mark_in, self.mark_out)))
        self.wave.set_selection(marked)

    def _media_changed(self) -> None:
        panel = self.player.panel
        self.wave.load(panel.project if panel.media is not None else None, panel.media)
        self.wave.setVisible(panel.media is not None)  # no recording, no timeline: the dock stays low
        self._show_marks()
        self._show_bands()

    def _show_bands(self) -> None:
        doc_id = self.document_id()
        if doc_id is None:
            self.wave.set_bands([])
            return
        colours = {c.id: QColor(c.color or "#888888") for c in self.project.codes()}
        self.wave.set_bands([(t.start_ms, t.end_ms, colours.get(t.code_id, QColor("#888888")))
                             for t in self.project.time_codings.for_document(doc_id)])

    def code_range(self) -> bool:
        doc_id = self.document_id()
        if doc_id is None:
            return False
        code_id = self.window.codebook.current_code_id()
        if code_id is None:
            self._say("Select a code in the codebook first.")
            return False
        has_recording = self.project.media.for_document(doc_id) is not None
        if has_recording and (self.mark_in is None or self.mark_out is None):
            self._say("Mark in (F7) and mark out (F8) first.")
            return False
        # without a recording the core refuses with its own line; the marks do not matter then
        command = coding_cmd.add_time_coding(self.project, doc_id, code_id, self.mark_in or 0, self.mark_out or 0,
                                             self.project.code(code_id).name)
        return self.window.undo.run(command)

    def remove(self, time_coding_id: int) -> bool:
        item = self.project.time_codings.get(time_coding_id)
        name = self.project.code(item.code_id).name
        return self.window.undo.run(coding_cmd.remove_time_coding(self.project, time_coding_id, name))

    # ------------------------------------------------------------ the list
    def refresh(self, clear_marks: bool = False) -> None:
        if clear_marks:
            self.mark_in = self.mark_out = None
        self._show_marks()
        doc_id = self.document_id()
        writable = doc_id is not None and not self.project.read_only
        for action in (self.act_in, self.act_out):
            action.setEnabled(doc_id is not None)
        self.act_code.setEnabled(writable)
        was_shown = not self.list.isHidden()
        self.list.clear()
        self.list.hide()
        self._show_bands()
        if doc_id is not None:
            self._list(doc_id)
        if was_shown != (not self.list.isHidden()):
            self.player.fit_dock_later()  # the list beside the player came or went

    def _list(self, doc_id: int) -> None:
        names = {c.id: c.name for c in self.project.codes()}
        for t in self.project.time_codings.for_document(doc_id):
            item = QTreeWidgetItem([format_range(t.start_ms, t.end_ms), names.get(t.code_id, "?"), t.memo])
            item.setData(0, Qt.ItemDataRole.UserRole, t.id)
            item.setData(1, Qt.ItemDataRole.UserRole, (t.start_ms, t.end_ms))
            self.list.addTopLevelItem(item)
        self.list.setVisible(self.list.topLevelItemCount() > 0)

    def rows(self) -> list[tuple[str, str, str]]:
        return [tuple(self.list.topLevelItem(i).text(c) for c in range(3)) for i in range(self.list.topLevelItemCount())]

    def play(self, item: QTreeWidgetItem) -> None:
        start_ms, end_ms = item.data(1, Qt.ItemDataRole.UserRole)
        self.player.panel.play_range(start_ms / 1000, end_ms / 1000)

    def _list_menu(self, pos: QPoint) -> None:
        menu = self.menu_for(self.list.itemAt(pos))
        if menu is not None:
            menu.popup(self.list.viewport().mapToGlobal(pos))

    def menu_for(self, item: QTreeWidgetItem | None) -> QMenu | None:
        """The list's context menu for ``item``: Memo… and Remove (each undoable)."""
        if item is None or self.project is None:
            return None
        menu = QMenu(self.list)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        time_coding_id = item.data(0, Qt.ItemDataRole.UserRole)
        memo = menu.addAction("Memo…")
        memo.setObjectName("actionTimeCodingMemo")
        memo.triggered.connect(lambda _checked=False: self.edit_memo(time_coding_id))
        remove = menu.addAction("Remove")
        remove.setObjectName("actionRemoveTimeCoding")
        remove.setEnabled(not self.project.read_only)
        remove.triggered.connect(lambda _checked=False: self.remove(time_coding_id))
        return menu

    # ------------------------------------------------------------ memos
    def memo_dialog(self, time_coding_id: int) -> QDialog:
        """The memo editor of one time coding (built, not shown; :meth:`edit_memo` runs it)."""
        item = self.project.time_codings.get(time_coding_id)
        name = self.project.code(item.code_id).name
        dialog = QDialog(self.window)
        dialog.setObjectName("timeCodingMemoDialog")
        dialog.setWindowTitle(f"Memo on {format_range(item.start_ms, item.end_ms)} · {name}")
        editor = QPlainTextEdit(item.memo)
        editor.setObjectName("timeCodingMemoEdit")
        editor.setReadOnly(self.project.read_only)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not self.project.read_only)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(editor)
        layout.addWidget(buttons)
        dialog.editor = editor  # type: ignore[attr-defined]
        return dialog

    def edit_memo(self, time_coding_id: int) -> bool:
        """Open the memo editor; OK saves the memo as one undo step."""
        if self.project is None:
            return False
        dialog = self.memo_dialog(time_coding_id)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted or self.project is None:
                return False
            return self.set_memo(time_coding_id, dialog.editor.toPlainText())  # type: ignore[attr-defined]
        finally:
            dialog.deleteLater()

    def set_memo(self, time_coding_id: int, memo: str) -> bool:
        """Change a time coding's memo: one undo step (nothing when it is the same)."""
        project = self.project
        old = project.time_codings.get(time_coding_id).memo
        if memo == old:
            return False
        command = coding_cmd.set_time_coding_memo(project, time_coding_id, memo)
        return self.window.undo.run(command)


def install(window: "WindowServices") -> TimeRangeFeature:
    return TimeRangeFeature(window)
