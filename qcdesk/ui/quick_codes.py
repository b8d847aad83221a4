"""The quick code bar: the codes applied most recently, one keystroke away (Ctrl+1 … Ctrl+9).

A toolbar lists them, most recent first, numbered; Ctrl+N applies the N-th to the selected
text, as Ctrl+E applies the code selected in the codebook. The list belongs to the open
project (it starts empty) and forgets codes that are deleted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar

from qcdesk.core.models import Changes

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices

SLOTS = 9


class QuickCodes:
    def __init__(self, window: "WindowServices"):
        self.window = window
        self.recent: list[int] = []
        self.bar = QToolBar("Recent codes", window)
        self.bar.setObjectName("quickCodesToolbar")
        self.bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.bar)
        self.actions: list[QAction] = []
        for n in range(SLOTS):
            action = QAction(window)
            action.setObjectName(f"actionQuickCode{n + 1}")
            action.setShortcut(QKeySequence(f"Ctrl+{n + 1}"))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, i=n: self.apply(i))
            window.addAction(action)
            self.bar.addAction(action)
            self.actions.append(action)
        window.view_menu.addAction(self.bar.toggleViewAction())
        window.codeApplied.connect(self._applied)
        window.projectOpened.connect(self._opened)
        window.projectClosing.connect(self._closing)
        window.projectClosed.connect(self._reset)
        self._reset()

    def apply(self, slot: int) -> bool:
        if slot >= len(self.recent) or self.window.project is None:
            return False
        return self.window.apply_code(self.recent[slot])

    def _applied(self, code_id: int) -> None:
        recent = [code_id] + [c for c in self.recent if c != code_id][:SLOTS - 1]
        if recent != self.recent:
            self.recent = recent
            self._show()

    def _show(self) -> None:
        project = self.window.project
        names = {c.id: c.name for c in project.codes()} if project is not None else {}
        self.recent = [c for c in self.recent if c in names]
        writable = project is not None and not project.read_only
        for n, action in enumerate(self.actions):
            code_id = self.recent[n] if n < len(self.recent) else None
            action.setVisible(code_id is not None)
            action.setEnabled(code_id is not None and writable)
            if code_id is not None:
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                action.setText(f"{n + 1} {names[code_id]}".replace("&", "&&"))
                action.setToolTip(f"Apply “{names[code_id]}” to the selected text ({keys})")

    def _on_changes(self, changes: Changes) -> None:
        if changes.codebook:  # a coding changes no code's name (issue 19: no read of every code)
            self._show()

    def _opened(self, _path: str) -> None:
        self.recent = []
        self.window.project.subscribe(self._on_changes)
        self._show()

    def _closing(self) -> None:
        if self.window.project is not None:
            self.window.project.unsubscribe(self._on_changes)

    def _reset(self) -> None:
        self.recent = []
        self._show()


def install(window: "WindowServices") -> QuickCodes:
    return QuickCodes(window)
