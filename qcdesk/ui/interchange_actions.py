"""File › Exchange: REFI-QDA export of the project or its codebook, and import of projects and codebooks.

Imports add to the open project as one action (all or nothing) and the views refresh
from the project's change notification; the report is shown when it is done.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMenu

from qcdesk.core.errors import QcdeskError
from qcdesk.core.interchange import export_file, import_file
from qcdesk.ui import dialogs
from qcdesk.ui.export_safety import confirm_unencrypted_export

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices

PROJECT_FILTER = "REFI-QDA project (*.qdpx)"
CODEBOOK_FILTER = "REFI-QDA codebook (*.qdc)"
IMPORT_FILTER = ("REFI-QDA projects and codebooks (*.qdpx *.qdc *.csv *.tsv *.txt *.md);;"
                 "REFI-QDA project (*.qdpx);;Codebook (*.qdc *.csv *.tsv *.txt *.md);;All files (*)")


class InterchangeActions:
    def __init__(self, window: "WindowServices"):
        self.window = window
        self.menu = QMenu("E&xchange", window)
        self.menu.setObjectName("menuExchange")
        self.act_export_project = self._action("Export project as REFI-QDA (.qdpx)…", "actionExportQdpx",
                                               self.export_project)
        self.act_export_codebook = self._action("Export codebook (.qdc)…", "actionExportQdc",
                                                self.export_codebook)
        self.act_import = self._action("Import REFI-QDA project or codebook…", "actionImportExchange",
                                       self.import_exchange)
        self.menu.addActions([self.act_export_project, self.act_export_codebook])
        self.menu.addSeparator()
        self.menu.addAction(self.act_import)
        window.projectOpened.connect(self.update_enabled)
        window.projectClosed.connect(self.update_enabled)
        self.update_enabled()

    def _action(self, text: str, name: str, slot) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def update_enabled(self, *_args) -> None:
        has = self.window.project is not None
        for act in (self.act_export_project, self.act_export_codebook, self.act_import):
            act.setEnabled(has)

    # ------------------------------------------------------------------ running
    def _run(self, title: str, job):
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            return job()
        except QcdeskError as exc:
            dialogs.error(self.window, title, str(exc))
        except OSError as exc:
            dialogs.error(self.window, title, f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": "))
        finally:
            QApplication.restoreOverrideCursor()
        return None

    def _ask_out(self, title: str, suffix: str, filters: str) -> Path | None:
        project = self.window.project
        folder = Path(self.window.settings.last_folder())
        suggested = folder / f"{project.path.stem if project else 'project'}{suffix}"
        path = dialogs.ask_save_file(self.window, title, suggested, filters, suffix)
        if path is None:
            return None
        self.window.settings.set_last_folder(path.parent)
        return path

    def _export(self, title: str, suffix: str, filters: str) -> None:
        if self.window.project is None or not confirm_unencrypted_export(self.window, f"the {suffix} file"):
            return
        out = self._ask_out(title, suffix, filters)
        if out is None:
            return
        project = self.window.project
        report = self._run(title, lambda: export_file(project, out))
        if report is not None:
            dialogs.info(self.window, title, f"Exported to {out.name}.\n\n{report.text()}")

    def export_project(self) -> None:
        self._export("Export project as REFI-QDA", ".qdpx", PROJECT_FILTER)

    def export_codebook(self) -> None:
        self._export("Export codebook", ".qdc", CODEBOOK_FILTER)

    def import_exchange(self) -> None:
        if self.window.project is None:
            return
        title = "Import REFI-QDA project or codebook"
        chosen = dialogs.ask_open_path(self.window, title, self.window.settings.last_folder(), IMPORT_FILTER)
        if not chosen:
            return
        path = Path(chosen)
        self.window.settings.set_last_folder(path.parent)
        project = self.window.project
        report = self._run(title, lambda: import_file(project, path))
        if report is not None:
            dialogs.info(self.window, title, f"Imported {path.name} into this project.\n\n{report.text()}")


def install(window: "WindowServices") -> InterchangeActions:
    """Add File › Exchange to the window, after the export entries of the File menu."""
    actions = InterchangeActions(window)
    file_menu = next((a.menu() for a in window.menuBar().actions()
                      if a.menu() is not None and a.text().replace("&", "") == "File"), None)
    if file_menu is None:
        file_menu = window.menuBar().addMenu("&File")
    items = file_menu.actions()
    export = window.act_export
    before = None
    if export in items:
        index = items.index(export)
        before = items[index + 1] if index + 1 < len(items) else None
    if before is not None:
        file_menu.insertMenu(before, actions.menu)
    else:
        file_menu.addMenu(actions.menu)
    return actions
