"""Document ▸ Attach recording… as the user meets it: the recording is read and stored in a worker
thread, with a progress bar and Cancel; a cancelled attach stores nothing.

The worker stores through a connection of its own to the project file (SQLite connections belong
to the thread that made them), as one transaction: the core's attach with its progress callback,
which cancels by rolling back. The window's own connection is idle meanwhile (the progress dialog
is modal); when the worker has committed, the window's project tells every view what changed.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog

from qcdesk.core.errors import QcdeskError
from qcdesk.core.media import MediaCancelled
from qcdesk.core.models import Changes
from qcdesk.core.safe_names import shown_name
from qcdesk.ui import dialogs
from qcdesk.ui.workers import end_thread, start_in_thread

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices


class AttachJob(QObject):
    """Attaches one recording to one document through a connection made in its own thread."""

    progress = Signal(int, int)  # bytes done, bytes in all
    done = Signal(object)  # MediaInfo
    failed = Signal(str)  # one line
    cancelled_ = Signal(str)  # the core's line: nothing was stored
    finished = Signal()

    def __init__(self, project_path: Path, passphrase: str | None, document_id: int, path: Path, embed: bool):
        super().__init__()
        self.args = (project_path, passphrase, document_id, path, embed)
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def tick(self, done: int, total: int) -> bool:
        """The core's progress callback: tell the window; False (cancel) once Cancel was pressed."""
        self.progress.emit(done, total)
        return not self._cancel.is_set()

    @Slot()
    def run(self) -> None:
        from qcdesk.core.project import Project
        from qcdesk.core.storage import connection

        project_path, passphrase, document_id, path, embed = self.args
        db = None
        try:
            db = connection.connect(project_path, passphrase=passphrase)
            # a Project over this connection only: never closed as a project (that would purge the
            # chunks the window's undo history may still need), its connection closed below
            worker_project = Project(db, project_path, passphrase=passphrase)
            info = worker_project.media.attach(document_id, path, embed=embed, progress=self.tick)
            self.done.emit(info)
        except MediaCancelled as exc:
            self.cancelled_.emit(str(exc))
        except QcdeskError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(f"Could not attach {shown_name(path.name)}: {exc.strerror or exc}. Nothing was stored.")
        except Exception as exc:  # noqa: BLE001 - report any bug instead of dying silently
            self.failed.emit(f"Could not attach {shown_name(path.name)} ({type(exc).__name__}: {exc}). "
                             "Nothing was stored.")
        finally:
            if db is not None:
                try:
                    db.close()
                except Exception:  # noqa: BLE001 - closing must not hide the result
                    pass
        self.finished.emit()


class AttachFlow(QObject):
    """One attach at a time, with its progress dialog (in whole percent: a recording may pass 2 GB)."""

    #: percent shown in the progress bar
    percent = Signal(int)
    #: the attach ended: True when the recording was stored
    finished = Signal(bool)

    def __init__(self, window: "WindowServices"):
        super().__init__(window)
        self.window = window
        self.job: AttachJob | None = None  # held here until its thread has finished
        self.thread: QThread | None = None
        self.progress: QProgressDialog | None = None
        self._stored = False

    def busy(self) -> bool:
        return self.thread is not None

    def wait(self) -> None:
        end_thread(self.thread, 60000)

    def start(self, document_id: int, path: Path, *, embed: bool = True) -> bool:
        project = self.window.project
        if project is None or self.busy():
            return False
        self._stored = False
        self.job = job = AttachJob(project.path, project.passphrase, document_id, Path(path), embed)
        dialog = QProgressDialog(f"Attaching {shown_name(Path(path).name)}…", "Cancel", 0, 100, self.window)
        dialog.setObjectName("attachProgress")
        dialog.setWindowTitle("Attach recording")
        dialog.setMinimumDuration(400)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(0)
        # through this object, on the main thread: the job lives in its busy thread, whose event
        # loop would deliver a queued call only after the attach
        dialog.canceled.connect(self.cancel)
        self.progress = dialog
        job.progress.connect(self._on_progress)
        job.done.connect(self._done)
        job.failed.connect(lambda text: dialogs.error(self.window, "Attach recording", text))
        job.cancelled_.connect(lambda text: self.window.statusBar().showMessage(text, 8000))
        self.thread = start_in_thread(job, self, self._finished)
        return True

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _on_progress(self, done: int, total: int) -> None:
        value = 100 if total <= 0 or done >= total else int(done * 100 // total)
        if self.progress is not None and not self.progress.wasCanceled():
            self.progress.setValue(value)
        self.percent.emit(value)

    def _done(self, info) -> None:
        self._stored = True
        project = self.window.project
        if project is None:
            return
        changes = Changes(media={info.id})
        if info.document_id is not None:
            changes.documents.add(info.document_id)
        project.notify(changes)  # committed by the worker's connection: the views follow now
        warning = project.media.timing_warning(info.id)
        if warning:
            dialogs.warning(self.window, "Attach recording", warning)
        else:
            self.window.statusBar().showMessage(f"Attached {info.name}.", 5000)

    def _finished(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
        self.thread = self.job = self.progress = None
        self.finished.emit(self._stored)
