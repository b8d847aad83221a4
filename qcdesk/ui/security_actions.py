"""File › New encrypted project, Project › Security (encrypt, change passphrase, decrypted copy,
lock), Project › Audit trail, and the lock shown in the status bar for encrypted projects."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QProgressDialog

from qcdesk import PROJECT_SUFFIX
from qcdesk.core import earlier_copies, encryption
from qcdesk.core.errors import QcdeskError
from qcdesk.core.project import Project
from qcdesk.ui import audit_dialog, dialogs, idle_lock, passphrase_dialog, workers

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices


class _CopiesJob(QObject):
    """Runs :func:`earlier_copies.encrypt_copies` (which uses no connection of the open project)."""

    progress = Signal(int)  # copies done
    finished = Signal()

    def __init__(self, path: Path, passphrase: str):
        super().__init__()
        self.path, self.passphrase = path, passphrase
        self.result: list[earlier_copies.CopiesReport] = []  # read once the thread has finished

    @Slot()
    def run(self) -> None:
        try:
            report = earlier_copies.encrypt_copies(self.path, self.passphrase,
                                                   progress=lambda done, _total: self.progress.emit(done))
        except Exception as exc:  # noqa: BLE001 - say so instead of leaving the window waiting
            report = earlier_copies.CopiesReport(failed=[(self.path, f"The backups of {self.path.name} "
                                                          f"could not be encrypted: {exc}")])
        self.passphrase = ""
        self.result.append(report)
        self.finished.emit()


ENCRYPT_COPIES = "Encrypt them with the same passphrase (recommended)"
REMOVE_COPIES = "Remove them: overwrite, then delete (they can no longer be restored)"


class SecurityActions:
    def __init__(self, window: "WindowServices"):
        self.window = window
        self.act_new_encrypted = self._action("New &encrypted project…", "actionNewEncryptedProject",
                                              self.new_encrypted_project)
        self.act_encrypt = self._action("&Encrypt this project…", "actionEncryptProject", self.encrypt)
        self.act_rekey = self._action("&Change passphrase…", "actionChangePassphrase", self.change_passphrase)
        self.act_decrypted_copy = self._action("Save &decrypted copy…", "actionDecryptedCopy",
                                               self.save_decrypted_copy)
        self.idle = idle_lock.install(window)
        self.act_lock = self._action("&Lock now", "actionLockNow", self.idle.lock, "Ctrl+L")
        self.act_lock.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        window.addAction(self.act_lock)
        self.act_idle = self._action("Lock after &idle…", "actionIdleMinutes", self.ask_idle_minutes)
        self.audit = audit_dialog.AuditTrail(window)

        items = window.file_menu.actions()
        after = items.index(window.act_new) + 1 if window.act_new in items else 0
        window.file_menu.insertAction(items[after] if after < len(items) else None, self.act_new_encrypted)
        self.menu = window.project_menu.addMenu("&Security")
        self.menu.setObjectName("menuSecurity")
        self.menu.addActions([self.act_encrypt, self.act_rekey, self.act_decrypted_copy])
        self.menu.addSeparator()
        self.menu.addActions([self.act_lock, self.act_idle])
        window.project_menu.addAction(self.audit.action)

        self.status = QLabel()
        self.status.setObjectName("encryptionStatus")
        window.statusBar().addPermanentWidget(self.status)
        window.projectOpened.connect(self.update)
        window.projectClosed.connect(self.update)
        self.update()

    def _action(self, text: str, name: str, slot, shortcut: str | None = None) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def update(self, *_args) -> None:
        project = self.window.project
        encrypted = bool(project is not None and project.passphrase)
        writable = project is not None and not project.read_only
        self.act_encrypt.setEnabled(writable and not encrypted)
        self.act_rekey.setEnabled(writable and encrypted)
        self.act_decrypted_copy.setEnabled(encrypted)
        self.act_lock.setEnabled(project is not None)
        self.status.setText("Encrypted" if encrypted else "")
        self.status.setToolTip("This project file is encrypted; exports and copies are not." if encrypted else "")
        self.status.setVisible(encrypted)

    # ------------------------------------------------------------------ the questions
    def _ask_new_passphrase(self, title: str, prompt: str) -> str | None:
        """A new passphrase typed twice (tests replace this)."""
        return passphrase_dialog.ask(self.window, title, prompt, new=True)

    def _ask_earlier_copies(self, path: Path, copies: list[Path]) -> str | None:
        """What to do with the plain copies made before: "encrypt", "remove", or None to cancel."""
        folders = sorted({str(c.parent) for c in copies})
        answer = dialogs.choose(
            self.window, "Encrypt this project",
            f"{len(copies)} earlier cop{'y' if len(copies) == 1 else 'ies'} of {path.name} (backups made "
            f"before, in {' and '.join(folders)}) {'is' if len(copies) == 1 else 'are'} not encrypted: "
            "anyone who gets them can read every transcript. What should happen to them?",
            [ENCRYPT_COPIES, REMOVE_COPIES])
        return None if answer is None else ("encrypt", "remove")[answer]

    def _ask_current_passphrase(self) -> str | None:
        return passphrase_dialog.ask(self.window, "Change passphrase", "Enter the current passphrase.")

    # ------------------------------------------------------------------ actions
    def new_encrypted_project(self) -> bool:
        path = dialogs.ask_save_path(self.window, "New encrypted project", self.window.settings.last_folder(),
                                     f"qcdesk projects (*{PROJECT_SUFFIX})")
        if not path:
            return False
        passphrase = self._ask_new_passphrase(
            "New encrypted project",
            f"Choose the passphrase that will unlock {Path(path).name}. Everything in the project "
            "file is encrypted with it.")
        if passphrase is None:
            return False
        self.window.settings.set_last_folder(Path(path).parent)
        done = self.window.new_project(path, passphrase=passphrase)
        self.update()
        return done

    def encrypt(self) -> bool:
        project = self.window.project
        if project is None or project.passphrase:
            return False
        path = project.path
        passphrase = self._ask_new_passphrase(
            "Encrypt this project",
            f"Choose the passphrase that will unlock {path.name}. The project is closed, encrypted, "
            "checked and opened again; the unencrypted file is overwritten. Backups made before are "
            "encrypted with the same passphrase (or removed, if you choose). Exports made before "
            "stay unencrypted: delete them if they should not be kept.")
        if passphrase is None:
            return False
        choice = "encrypt"
        copies = earlier_copies.find(path, plain_only=True)
        if copies:
            choice = self._ask_earlier_copies(path, copies)
            if choice is None:
                return False
        self.window.close_project()  # may make one more (plain) backup: handled below with the others
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            encryption.encrypt_project(path, passphrase)
            reopened = Project.open(path, passphrase=passphrase)
        except (QcdeskError, OSError) as exc:
            QApplication.restoreOverrideCursor()
            dialogs.error(self.window, "Not encrypted", str(exc))
            self.window.open_project(path)
            return False
        self.window.attach_project(reopened)  # reopen without asking for the key just chosen
        self.update()
        try:
            if choice == "remove":
                report = earlier_copies.remove_copies(earlier_copies.find(path, plain_only=True))
            else:
                report = self._encrypt_copies(path, passphrase)
        finally:
            QApplication.restoreOverrideCursor()
        text = (f"{path.name} is now encrypted. You will be asked for the passphrase each time "
                "you open it. Without it the project cannot be recovered.")
        done = report.lines(failures=False)
        if done:
            text += "\n\n" + "\n".join(done)
        dialogs.info(self.window, "Project encrypted", text)
        if report.failed:
            dialogs.warning(self.window, "Backups not encrypted",
                            "\n".join(report.failures()) + "\n\nThese files are not encrypted: delete "
                            "them if they are not needed.")
        return True

    def _encrypt_copies(self, path: Path, passphrase: str) -> earlier_copies.CopiesReport:
        """Encrypt the earlier copies in a worker thread (each takes a second or more) while a
        progress dialog keeps the window painted; returns when all are done."""
        job = _CopiesJob(path, passphrase)
        total = len(earlier_copies.find(path, plain_only=True))
        dialog = QProgressDialog(f"Encrypting the backups of {path.name} made before…", None, 0,
                                 max(total, 1), self.window)
        dialog.setObjectName("encryptCopiesProgress")
        dialog.setWindowTitle("Encrypt this project")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(500)
        job.progress.connect(dialog.setValue)  # queued: the dialog lives in this thread
        loop = QEventLoop()
        workers.start_in_thread(job, self.window, on_finished=loop.quit)
        loop.exec()
        dialog.close()
        dialog.deleteLater()
        return job.result[0]

    def change_passphrase(self) -> bool:
        project = self.window.project
        if project is None or not project.passphrase:
            return False
        old = self._ask_current_passphrase()
        if old is None:
            return False
        new = self._ask_new_passphrase("Change passphrase", "Choose the new passphrase.")
        if new is None:
            return False
        try:
            encryption.change_passphrase(project, old, new)
        except QcdeskError as exc:
            dialogs.error(self.window, "Passphrase not changed", str(exc))
            return False
        dialogs.info(self.window, "Passphrase changed",
                     "The project now opens with the new passphrase. Backups made before keep the "
                     "passphrase they were made with.")
        return True

    def save_decrypted_copy(self) -> bool:
        project = self.window.project
        if project is None or not project.passphrase:
            return False
        if not dialogs.confirm(
                self.window, "Save decrypted copy",
                "The copy will NOT be encrypted: anyone who gets the file can read every transcript "
                "in it. Make one only when you must (for example to hand over to an archive), keep "
                "it where your ethics approval allows, and delete it afterwards.\n\nContinue?"):
            return False
        folder = Path(self.window.settings.last_folder())
        target = dialogs.ask_save_file(self.window, "Save decrypted copy",
                                       folder / f"{project.path.stem} (decrypted){PROJECT_SUFFIX}",
                                       f"qcdesk projects (*{PROJECT_SUFFIX})", PROJECT_SUFFIX, match_case=True)
        if target is None:
            return False
        try:
            encryption.decrypt_copy(project, target)
        except (QcdeskError, OSError) as exc:
            dialogs.error(self.window, "No copy written", str(exc))
            return False
        dialogs.info(self.window, "Decrypted copy saved", f"An unencrypted copy was written to\n{target}")
        return True

    def ask_idle_minutes(self) -> None:
        answer = dialogs.ask_text(self.window, "Lock after idle",
                                  "Hide the project after this many minutes without input (0: never):",
                                  str(self.idle.minutes()))
        if answer is None:
            return
        try:
            minutes = int(answer.strip())
            if minutes < 0:
                raise ValueError
        except ValueError:
            dialogs.error(self.window, "Lock after idle", f"{answer!r} is not a number of minutes.")
            return
        self.idle.set_minutes(minutes)


def install(window: "WindowServices") -> SecurityActions:
    return SecurityActions(window)
