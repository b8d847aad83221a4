"""Idle lock: after some minutes without keyboard or mouse input, every transcript, code and
panel is hidden behind a lock screen until the passphrase is typed again.

An application-wide event filter restarts the timer on input. Locking takes the central
widget out of the window (kept, not destroyed), hides the docks and toolbars, and disables
the menus and every window action, so no shortcut reaches a hidden view. For an encrypted
project the passphrase is checked by opening a new connection with it; a plain project has
no passphrase, so it shows again with a button (the lock then only hides the screen).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QInputEvent
from PySide6.QtWidgets import (QApplication, QDialog, QDockWidget, QLabel, QLineEdit, QPushButton, QToolBar,
                               QVBoxLayout, QWidget)

from qcdesk.core import encryption

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices

DEFAULT_MINUTES = 15
SETTINGS_KEY = "security/idle_minutes"
_INPUT = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
          QEvent.Type.Wheel, QEvent.Type.TouchBegin}


class LockScreen(QWidget):
    def __init__(self, name: str, encrypted: bool):
        super().__init__()
        self.setObjectName("lockScreen")
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        title = QLabel("Locked")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-size: 22px; font-weight: bold")
        layout.addWidget(title)
        text = (f"{name} is hidden because the computer was left idle. Enter the passphrase to go on."
                if encrypted else f"{name} is hidden because the computer was left idle.")
        self.info = QLabel(text)
        self.info.setWordWrap(True)
        self.info.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.info)
        self.field = QLineEdit()
        self.field.setObjectName("unlockPassphrase")
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setPlaceholderText("Passphrase")
        self.field.setMaximumWidth(320)
        self.field.setVisible(encrypted)
        layout.addWidget(self.field, 0, Qt.AlignmentFlag.AlignHCenter)
        self.button = QPushButton("Unlock" if encrypted else "Show")
        self.button.setObjectName("unlockButton")
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.message = QLabel("")
        self.message.setObjectName("unlockMessage")
        self.message.setStyleSheet("color: #b03a2e")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.message)
        layout.addStretch(3)
        self.field.returnPressed.connect(self.button.click)


class IdleLock(QObject):
    def __init__(self, window: "WindowServices"):
        super().__init__(window)
        self.window = window
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.screen: LockScreen | None = None
        self._central: QWidget | None = None
        self._hidden: list[QWidget] = []
        self._disabled: list[QAction] = []
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        window.projectOpened.connect(self.restart)
        window.projectClosed.connect(self._project_closed)
        window.destroyed.connect(self._remove_filter)

    # ------------------------------------------------------------------ settings
    def minutes(self) -> int:
        value = self.window.settings.qs.value(SETTINGS_KEY, DEFAULT_MINUTES)
        try:
            return max(0, int(value))
        except (TypeError, ValueError):
            return DEFAULT_MINUTES

    def set_minutes(self, minutes: float) -> None:
        """Minutes without input before locking; 0 switches the lock off. Fractions for tests."""
        self.window.settings.qs.setValue(SETTINGS_KEY, minutes)
        self.restart()

    def _interval_ms(self) -> int:
        value = self.window.settings.qs.value(SETTINGS_KEY, DEFAULT_MINUTES)
        try:
            return int(float(value) * 60_000)
        except (TypeError, ValueError):
            return DEFAULT_MINUTES * 60_000

    def restart(self, *_args) -> None:
        interval = self._interval_ms()
        if interval > 0 and self.window.project is not None and not self.locked:
            self.timer.start(interval)
        else:
            self.timer.stop()

    def _remove_filter(self, *_args) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        # called for every event of the application, most of them no input (paints, timers, posted
        # calls): the class is tested first, which costs a sixth of reading the event's type
        if isinstance(event, QInputEvent) and event.type() in _INPUT and not self.locked and self.timer.isActive():
            self.timer.start()
        return False

    # ------------------------------------------------------------------ locking
    @property
    def locked(self) -> bool:
        return self.screen is not None

    def lock(self) -> None:
        w = self.window
        if self.locked or w.project is None:
            return
        self.timer.stop()
        encrypted = bool(w.project.passphrase)
        self.screen = LockScreen(w.project.path.name, encrypted)
        self.screen.button.clicked.connect(self._unlock_clicked)
        panels = w.findChildren(QDockWidget) + w.findChildren(QToolBar) + w.findChildren(QDialog)
        self._hidden = [p for p in panels if p.isVisible()]
        for widget in self._hidden:
            widget.hide()
        self._disabled = [a for a in w.findChildren(QAction) if a.isEnabled() and a.objectName() != "actionQuit"]
        for action in self._disabled:
            action.setEnabled(False)
        w.menuBar().setEnabled(False)
        self._central = w.takeCentralWidget()
        w.setCentralWidget(self.screen)
        (self.screen.field if encrypted else self.screen.button).setFocus()

    def _unlock_clicked(self) -> None:
        if self.screen is None:
            return
        project = self.window.project
        if project is not None and project.passphrase:
            typed = self.screen.field.text()
            self.screen.field.clear()
            if not typed or not encryption.passphrase_opens(project.path, typed):
                self.screen.message.setText("That passphrase is wrong. Try again.")
                return
        self.unlock()

    def unlock(self) -> None:
        """Put the window back as it was (call only after the passphrase was checked)."""
        w = self.window
        if self.screen is None:
            return
        w.takeCentralWidget()
        self.screen.deleteLater()
        self.screen = None
        if self._central is not None:
            w.setCentralWidget(self._central)
            self._central = None
        w.menuBar().setEnabled(True)
        for action in self._disabled:
            action.setEnabled(True)
        for widget in self._hidden:
            widget.show()
        self._hidden, self._disabled = [], []
        self.restart()

    def _project_closed(self) -> None:
        self.unlock()
        self.timer.stop()


def install(window: "WindowServices") -> IdleLock:
    return IdleLock(window)
