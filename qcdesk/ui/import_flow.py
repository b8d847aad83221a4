"""Import and export as the user meets them: file dialog, progress with cancel, a summary at the end."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QProgressDialog

from qcdesk import PROJECT_SUFFIX
from qcdesk.core.errors import DiskFullError, QcdeskError
from qcdesk.core.importers import SUPPORTED_SUFFIXES, parallel
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core import media_import
from qcdesk.core.importing import ImportReport, stopped_by_full_disk, store_parsed
from qcdesk.core.media_formats import EXTENSIONS as MEDIA_EXTENSIONS
from qcdesk.core.safe_names import shown_name
from qcdesk.ui import dialogs
from qcdesk.ui.export_safety import confirm_unencrypted_export
from qcdesk.ui.workers import ExportJob, ImportParser, end_thread, start_in_thread

if TYPE_CHECKING:
    from qcdesk.ui.main_window import MainWindow


def _progress_dialog(window: "MainWindow", title: str, label: str, total: int) -> QProgressDialog:
    dialog = QProgressDialog(label, "Cancel", 0, max(total, 1), window)
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(400)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setValue(0)
    return dialog


class ImportFlow(QObject):
    """Parses in worker processes or threads (several files at once), stores each file on the main thread in order."""

    finished = Signal(object)  # ImportReport

    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.thread: QThread | None = None
        self.parser: ImportParser | None = None
        self.report: ImportReport | None = None
        self.progress: QProgressDialog | None = None

    def busy(self) -> bool:
        return self.thread is not None

    def ask_and_import(self) -> None:
        if self.window.project is None:
            return
        parallel.warm_up()  # the parsing workers start while the researcher chooses the files
        patterns = " ".join(f"*{s}" for s in SUPPORTED_SUFFIXES)
        recordings = " ".join(f"*{s}" for s in MEDIA_EXTENSIONS)
        paths = dialogs.ask_open_paths(self.window, "Import documents", self.window.settings.last_folder(),
                                       f"Transcripts and recordings ({patterns} {recordings});;"
                                       f"Transcripts ({patterns});;Recordings ({recordings});;All files (*)")
        if paths:
            self.window.settings.set_last_folder(Path(paths[0]).parent)
            self.start([Path(p) for p in paths])

    def expect(self, paths: list[Path]) -> None:
        """Files are dragged over the window: if they may be imported, start the parsing workers."""
        if self.window.project is not None and any(p.suffix != PROJECT_SUFFIX for p in paths):
            parallel.warm_up()

    def start(self, paths: list[Path]) -> None:
        if self.busy() or self.window.project is None:
            return
        self.report = ImportReport()
        # a recording goes to the transcript of the same name once the transcripts are in
        self.recordings, paths = media_import.split(paths)
        self.parser = ImportParser(paths)
        self.progress = _progress_dialog(self.window, "Importing", "Reading documents…", len(paths))
        self.progress.canceled.connect(self.cancel)
        self.parser.parsed.connect(self._store)
        self.parser.failed.connect(
            lambda path, reason: self.report.failed.append((shown_name(Path(path).name), reason)))
        self.parser.progress.connect(self._on_progress)
        self.thread = start_in_thread(self.parser, self, self._done)

    def cancel(self) -> None:
        if self.parser is not None:
            self.parser.cancel()

    def _on_progress(self, done: int, total: int, name: str) -> None:
        if self.progress is not None:
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(done)
            if name:
                # handed over for storing: read already (files are read ahead), being imported now
                self.progress.setLabelText(f"Importing {shown_name(name)} ({done + 1} of {total})…")

    def _store(self, path: str, parsed: ParsedDocument) -> None:
        parser = self.parser
        try:
            self._store_one(path, parsed)
        finally:
            if self.progress is not None:  # counted now, not when the next file is handed over
                self.progress.setValue(min(self.progress.value() + 1, self.progress.maximum()))
            if parser is not None:
                parser.stored()  # the worker may parse the next file

    def _store_one(self, path: str, parsed: ParsedDocument) -> None:
        project, report = self.window.project, self.report
        if project is None or report is None or (self.parser is not None and self.parser.cancelled):
            return
        path_obj = Path(path)
        allow_duplicate = False
        same = project.documents_with_hash(parsed.text)
        if same:
            allow_duplicate = dialogs.confirm(
                self.window, "Duplicate document",
                f"The text of {shown_name(path_obj.name)} is already in the project as “{same[0].name}”.\n\n"
                "Import it again as a separate document?")
        try:
            store_parsed(project, path_obj, parsed, report, skip_duplicates=not allow_duplicate)
        except DiskFullError as exc:  # the files after it would not fit either: stop here
            names = [p.name for p in self.parser.paths] if self.parser is not None else [path_obj.name]
            left = names[names.index(path_obj.name):] if path_obj.name in names else [path_obj.name]
            report.disk_full = stopped_by_full_disk(exc, left, len(report.imported))
            self.cancel()
        except QcdeskError as exc:
            report.failed.append((shown_name(path_obj.name), str(exc)))
        except OSError as exc:  # e.g. the disk is full: the transaction was rolled back
            report.failed.append((shown_name(path_obj.name), f"could not be saved: {exc.strerror or exc}"))

    def _done(self) -> None:
        cancelled = self.parser is not None and self.parser.cancelled
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
        self.thread = self.parser = self.progress = None
        report = self.report or ImportReport()
        recordings, self.recordings = getattr(self, "recordings", []), []
        if recordings and not cancelled and report.disk_full is None and self.window.project is not None:
            media = media_import.attach_recordings(self.window.project, recordings, report)
            report.notices += [f"{name} attached to “{doc}”" for name, doc in media.attached]
            report.notices += [f"{name} added as a recording of its own (“{doc}”)" for name, doc in media.recordings]
            report.notices += media.warnings
            report.failed += media.failed
            if media.disk_full is not None:
                report.disk_full = media.disk_full
        if report.imported:
            self.window.documents.select(report.imported[-1].id)
        self._summarise(report, cancelled)
        self.finished.emit(report)

    def _summarise(self, report: ImportReport, cancelled: bool) -> None:
        if report.disk_full is not None:
            dialogs.error(self.window, "Import stopped: the disk is full", str(report.disk_full))
            return
        lines = [f"Imported {len(report.imported)} document{'s' * (len(report.imported) != 1)}."]
        if cancelled:
            lines.append("The import was cancelled; the documents imported before that are kept.")
        if report.skipped:
            lines.append("\nNot imported:")
            lines += [f"• {name}: {why}" for name, why in report.skipped]
        if report.failed:
            lines.append("\nCould not be read (nothing from these files was stored):")
            lines += [f"• {name}: {why}" for name, why in report.failed]
        if report.notices:
            lines.append("\nNotes:")
            lines += [f"• {n}" for n in report.notices]
        text = "\n".join(lines)
        if report.failed:
            dialogs.warning(self.window, "Import finished with problems", text)
        elif report.skipped or report.notices or cancelled:
            dialogs.info(self.window, "Import finished", text)
        else:
            self.window.statusBar().showMessage(text, 8000)


class ExportFlow(QObject):
    """Writes a Word report in a worker thread that reads the project through its own connection."""

    finished = Signal(bool, str)  # ok, output path or error message

    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.thread: QThread | None = None
        self.job: ExportJob | None = None  # held here: a moved QObject without a Python owner is collected
        self.progress: QProgressDialog | None = None

    def busy(self) -> bool:
        return self.thread is not None

    def wait(self) -> None:
        end_thread(self.thread, 30000)

    def make_dialog(self, kind: str | None = None):
        """The export dialog for the open project (built, not shown: tests fill it in)."""
        from qcdesk.ui.export_dialog import ExportDialog

        project = self.window.project
        return ExportDialog(project, kind, self.window,
                            remembered=self.window.settings.export_options(project.path))

    def ask_and_export(self, kind: object = None) -> None:
        """File › Export report…: the dialog, then where to save, then the worker."""
        if self.window.project is None or self.busy():
            return
        dialog = self.make_dialog(kind if isinstance(kind, str) else None)
        try:
            if dialog.exec() == dialog.DialogCode.Accepted:
                self.export_from(dialog)
        finally:
            dialog.deleteLater()

    def export_from(self, dialog) -> None:
        """Ask for the file the dialog's report goes to, then write it in the worker."""
        project = self.window.project
        if project is None or not confirm_unencrypted_export(self.window, "the report"):
            return
        from qcdesk.core.reports import FORMATS, REPORT_KINDS

        kind, suffix = dialog.kind(), dialog.suffix()
        settings = self.window.settings
        folder = Path(settings.export_folder(project.path))  # this project's reports, not the last import
        suggested = folder / f"{project.path.stem} - {REPORT_KINDS[kind].lower()}{suffix}"
        out = dialogs.ask_save_file(self.window, "Export report", suggested, f"{FORMATS[suffix]} (*{suffix})", suffix)
        if out is not None:
            settings.set_export_folder(project.path, out.parent)
            settings.set_export_options(project.path, dialog.remembered_options())
            self.start(kind, out, dialog.options())

    def start(self, kind: str, out: Path, options: object = None) -> None:
        project = self.window.project
        if project is None or self.busy():
            return
        self.job = job = ExportJob(project.path, kind, out, options, passphrase=project.passphrase)
        self.progress = _progress_dialog(self.window, "Exporting", f"Writing {out.name}…", 1)
        self.progress.setCancelButton(None)
        job.progress.connect(self._on_progress)
        job.done.connect(self._ok)
        job.failed.connect(self._failed)
        self.thread = start_in_thread(job, self, self._finished)

    def _on_progress(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(done)

    def _cleanup(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
        self.thread = self.progress = None

    def _finished(self) -> None:
        self._cleanup()
        self.job = None

    def _ok(self, path: str) -> None:
        self._cleanup()
        self.window.statusBar().showMessage(f"Report written to {path}", 10000)
        dialogs.info(self.window, "Report written",
                     f"The report was written to\n{path}\n\nNote: Word files are not encrypted; keep "
                     "them where your ethics approval allows.")
        self.finished.emit(True, path)

    def _failed(self, message: str) -> None:
        self._cleanup()
        dialogs.error(self.window, "Report not written", message)
        self.finished.emit(False, message)
