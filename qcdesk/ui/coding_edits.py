"""Changing a coding's extent in the transcript: drag a stripe's end in the margin, or **Code ▸
Extend coding to selection** (also in the transcript's context menu). Each is one undoable action
through :meth:`Project.resize_coding`, whose rules refuse an empty range, a range outside the text
and a range that another coding of the same code by the same coder already has."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from qcdesk.core.models import Coding
from qcdesk.ui.commands import codings as coding_cmd
from qcdesk.ui import dialogs

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices


class CodingEdits:
    def __init__(self, window: "WindowServices"):
        self.window = window
        self.act_extend = QAction("E&xtend coding to selection", window)
        self.act_extend.setObjectName("actionExtendCoding")
        self.act_extend.setShortcut(QKeySequence("Ctrl+Alt+E"))
        self.act_extend.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        tip = ("Stretch a coding next to or overlapping the selection so that it also covers the "
               "selected words")
        self.act_extend.setStatusTip(tip)
        self.act_extend.setToolTip(tip)
        self.act_extend.triggered.connect(lambda _checked=False: self.extend_to_selection())
        window.addAction(self.act_extend)
        menu = window.code_menu
        remove = window.act_remove
        following = menu.actions()[menu.actions().index(remove) + 1:]
        menu.insertAction(following[0] if following else None, self.act_extend)
        window.transcript.margin.resizeRequested.connect(self.resize_dragged)
        window.transcriptMenuAboutToShow.connect(self._context_menu)

    # ------------------------------------------------------------------ what to extend
    def candidates(self) -> list[Coding]:
        """The codings the selection could extend: those overlapping it or separated from it by
        white space only, the code selected in the codebook first."""
        view = self.window.transcript
        selected = view.selected_range()
        if self.window.project is None or selected is None:
            return []
        start, end = selected
        text = view.text()
        near = []
        for coding in view.codings():
            gap = text[coding.end:start] if coding.end <= start else text[end:coding.start]
            if gap.strip() == "" and (min(coding.start, start), max(coding.end, end)) != (coding.start, coding.end):
                near.append(coding)
        current = self.window.codebook.current_code_id()
        return sorted(near, key=lambda c: c.code_id != current)

    def _name(self, coding: Coding) -> str:
        return self.window.project.code(coding.code_id).name

    # ------------------------------------------------------------------ actions
    def extend_to_selection(self, coding_id: int | None = None) -> bool:
        win = self.window
        if win.project is None or win.transcript.document_id is None:
            return False
        selected = win.transcript.selected_range()
        if selected is None:
            win.statusBar().showMessage("Select the words the coding should also cover first.", 5000)
            return False
        if coding_id is None:
            found = self.candidates()
            if not found:
                win.statusBar().showMessage("No coding next to or overlapping the selection to extend.", 5000)
                return False
            if len(found) > 1:
                picked = dialogs.choose(win, "Extend coding", "Extend which coding to the selection?",
                                        [self._name(c) for c in found])
                if picked is None:
                    return False
                found = [found[picked]]
            coding_id = found[0].id
        coding = win.project.coding(coding_id)
        start, end = min(coding.start, selected[0]), max(coding.end, selected[1])
        return win.undo.run(coding_cmd.resize_coding(win.project, coding_id, start, end, self._name(coding),
                                                     verb="Extend"))

    def resize_dragged(self, coding_id: int, qt_start: int, qt_end: int) -> bool:
        """A stripe's end dropped on another line: the coding gets that range (white space at
        its edges left out)."""
        win = self.window
        if win.project is None:
            return False
        view = win.transcript
        trimmed = view.trimmed_range(qt_start, qt_end)
        start, end = trimmed if trimmed is not None else (view.offsets.from_qt(qt_start),) * 2
        name = self._name(win.project.coding(coding_id))
        return win.undo.run(coding_cmd.resize_coding(win.project, coding_id, start, end, name))

    def _context_menu(self, menu: QMenu, _codings: list) -> None:
        found = self.candidates()
        if not found or self.window.project.read_only:
            return
        sub = menu.addMenu("Extend coding to selection")
        sub.setObjectName("menuExtendCoding")
        for coding in found:
            act = sub.addAction(self._name(coding))
            act.setObjectName(f"extendCoding:{coding.id}")
            act.triggered.connect(lambda _c=False, cid=coding.id: self.extend_to_selection(cid))


def install(window: "WindowServices") -> CodingEdits:
    return CodingEdits(window)
