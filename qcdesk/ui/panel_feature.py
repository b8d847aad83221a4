"""A feature that is one panel behind one Analysis menu entry: the scaffolding they share.

The panel gets a dock (hidden until asked for), a menu action enabled only with a project,
the project's change notifications while one is open (``panel.on_changes``), and
``panel.set_project(project | None)`` on opening and closing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from qcdesk.ui.main_window import MainWindow


class PanelFeature:
    def __init__(self, window: "MainWindow", panel: QWidget, *, title: str, dock_name: str,
                 action_text: str, action_name: str, tip: str, shortcut: str | None = None):
        self.window = window
        self.panel = panel
        self.dock = window.add_panel(title, dock_name, panel)
        self.dock.hide()
        self.action = QAction(action_text, window)
        self.action.setObjectName(action_name)
        if shortcut:
            self.action.setShortcut(QKeySequence(shortcut))
            window.addAction(self.action)
        self.action.setStatusTip(tip)
        self.action.triggered.connect(self.show)
        window.analysis_menu.addAction(self.action)
        window.projectOpened.connect(self._opened)
        window.projectClosing.connect(self._closing)
        window.projectClosed.connect(self._closed)
        self.action.setEnabled(window.project is not None)

    def show(self) -> None:
        self.window.show_panel(self.dock)

    def _opened(self, _path: str) -> None:
        self.window.project.subscribe(self.panel.on_changes)
        self.panel.set_project(self.window.project)
        self.action.setEnabled(True)

    def _closing(self) -> None:
        if self.window.project is not None:
            self.window.project.unsubscribe(self.panel.on_changes)

    def _closed(self) -> None:
        self.panel.set_project(None)
        self.action.setEnabled(False)
