"""File › Back up now / Restore from backup… / Automatic backups…, and the backup timer.

A changed project is backed up every few minutes (settings; 0 turns it off) and when it is
closed, into ``<stem> backups/`` beside it (see :mod:`qcdesk.core.backups`). Restoring asks
which backup, copies it into the open project, clears the undo history (its commands refer
to rows of the state being replaced) and says where the state before was kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFormLayout, QLabel, QListWidget,
                               QListWidgetItem, QSpinBox, QVBoxLayout)

from qcdesk.core import backups
from qcdesk.core.errors import QcdeskError
from qcdesk.core.models import Changes
from qcdesk.ui import dialogs

if TYPE_CHECKING:
    from pathlib import Path

    from qcdesk.ui.window_services import WindowServices

#: how often the timer looks whether a backup is due
CHECK_INTERVAL_MS = 60_000


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


class RestoreDialog(QDialog):
    """The project's backups, newest first; the chosen one is :attr:`chosen` after accept."""

    def __init__(self, parent, infos: list[backups.BackupInfo]):
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.setObjectName("restoreDialog")
        self.chosen: Path | None = None
        layout = QVBoxLayout(self)
        note = QLabel("Choose the backup to go back to. The project as it is now is backed up "
                      "first, so you can return to it the same way.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.list = QListWidget()
        for info in infos:
            item = QListWidgetItem(f"{info.label}    {_size(info.size)}")
            item.setData(256, str(info.path))
            item.setToolTip(str(info.path.name))
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        layout.addWidget(self.list)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(460, 320)

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        from pathlib import Path

        self.chosen = Path(item.data(256))
        super().accept()


class PolicyDialog(QDialog):
    def __init__(self, parent, interval: int, keep: int):
        super().__init__(parent)
        self.setWindowTitle("Automatic backups")
        form = QFormLayout(self)
        self.interval = QSpinBox()
        self.interval.setRange(0, 24 * 60)
        self.interval.setSuffix(" minutes")
        self.interval.setSpecialValueText("never")
        self.interval.setValue(interval)
        self.keep = QSpinBox()
        self.keep.setRange(1, 500)
        self.keep.setValue(keep)
        form.addRow("Back up a changed project every", self.interval)
        form.addRow("Backups kept per project", self.keep)
        note = QLabel("Backups are complete project files in a “backups” folder beside the project "
                      "(encrypted when the project is). A changed project is also backed up on closing.")
        note.setWordWrap(True)
        form.addRow(note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class BackupActions:
    def __init__(self, window: "WindowServices"):
        self.window = window
        self.changed = False
        self._since_backup_ms = 0
        self.act_backup = self._action("Back &up now", "actionBackupNow", self.backup_now)
        self.act_restore = self._action("&Restore from backup…", "actionRestoreBackup", self.restore)
        self.act_policy = self._action("Automatic backups…", "actionBackupPolicy", self.edit_policy)
        menu = window.file_menu
        before = window.act_quit
        menu.insertActions(before, [self.act_backup, self.act_restore, self.act_policy])
        menu.insertSeparator(before)
        self.timer = QTimer(window)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self._tick)
        window.projectOpened.connect(self._opened)
        window.projectClosing.connect(self._closing)
        window.projectClosed.connect(self._update_enabled)
        self._update_enabled()

    def _action(self, text: str, name: str, slot) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _update_enabled(self, *_args) -> None:
        project = self.window.project
        writable = project is not None and not project.read_only
        self.act_backup.setEnabled(project is not None)
        self.act_restore.setEnabled(writable)
        if project is None:
            self.timer.stop()

    # ------------------------------------------------------------ automatic
    def _opened(self, *_args) -> None:
        self.changed = False
        self._since_backup_ms = 0
        self.window.project.subscribe(self._on_changes)
        self._update_enabled()
        if not self.window.project.read_only:
            self.timer.start()

    def _on_changes(self, _changes: Changes) -> None:
        self.changed = True

    def _tick(self) -> None:
        self._since_backup_ms += self.timer.interval()
        interval = self.window.settings.backup_interval_minutes()
        if interval and self.changed and self._since_backup_ms >= interval * 60_000:
            self._backup(quiet=True)

    def _closing(self) -> None:
        project = self.window.project
        if project is None:
            return
        project.unsubscribe(self._on_changes)
        if self.changed and not project.read_only and self.window.settings.backup_interval_minutes():
            self._backup(quiet=True)

    # ------------------------------------------------------------ commands
    def _backup(self, quiet: bool) -> Path | None:
        project = self.window.project
        try:
            path = backups.make_backup(project, keep=self.window.settings.backup_keep())
        except QcdeskError as exc:
            # an automatic backup that fails must be seen, but must not stop the work
            dialogs.warning(self.window, "Backup failed", str(exc))
            return None
        self.changed = False
        self._since_backup_ms = 0
        self.window.statusBar().showMessage(f"Backed up to {path.parent.name}/{path.name}", 5000)
        if not quiet:
            dialogs.info(self.window, "Backed up", f"The project was backed up to\n{path}")
        return path

    def backup_now(self) -> Path | None:
        if self.window.project is None:
            return None
        return self._backup(quiet=False)

    def _choose_backup(self, infos: list[backups.BackupInfo]) -> "Path | None":
        dialog = RestoreDialog(self.window, infos)
        return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None

    def restore(self) -> bool:
        window = self.window
        project = window.project
        if project is None:
            return False
        infos = backups.list_backups(project.path)
        if not infos:
            dialogs.info(window, "Restore from backup",
                         f"There are no backups of {project.path.name} yet "
                         f"(they are kept in “{backups.backup_folder(project.path).name}”).")
            return False
        chosen = self._choose_backup(infos)
        if chosen is None:
            return False
        try:
            before = backups.restore_backup(project, chosen, keep=window.settings.backup_keep())
        except QcdeskError as exc:
            dialogs.error(window, "Could not restore", str(exc))
            return False
        window.undo_stack.clear()
        self.changed = False
        ids = [d.id for d in project.documents()]
        current = window.transcript.document_id
        show = current if current in ids else (ids[0] if ids else None)
        if show is not None:
            window.documents.select(show)
        window.show_document(show)
        dialogs.info(window, "Restored",
                     f"The project is back to the backup of {chosen.name}.\n\nThe state before "
                     f"restoring was kept as {before.name}; restore that one to undo this.")
        return True

    def edit_policy(self) -> None:
        settings = self.window.settings
        dialog = PolicyDialog(self.window, settings.backup_interval_minutes(), settings.backup_keep())
        if dialog.exec() == QDialog.DialogCode.Accepted:
            settings.set_backup_policy(dialog.interval.value(), dialog.keep.value())


def install(window: "WindowServices") -> BackupActions:
    return BackupActions(window)
