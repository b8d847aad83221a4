"""Team work in the window: who is coding, whose codings are shown, and merging a coder's copy.

* On opening a project the coder is asked for ("Who is coding?") when the settings hold no
  coder name, or when the project already has coders and nobody has confirmed one since the
  application started; the answer is kept in the settings.
* View ▸ Show codings of: all coders, only mine, or one coder, for the transcript's highlights
  and margin and the coded-segments list (the codebook's counts stay those of all coders).
* Team ▸ Merge another coder's project…: one undoable step; the report is shown afterwards.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (QApplication, QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QMenu, QVBoxLayout, QWidget)

from qcdesk import PROJECT_SUFFIX
from qcdesk.core.errors import QcdeskError
from qcdesk.core.merge import MergeReport, merge_project, preview_merge
from qcdesk.core.models import Changes
from qcdesk.core.project import Project
from qcdesk.ui import dialogs, unlock
from qcdesk.ui.commands import CoreCommand

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices

ALL, MINE = "all", "mine"


class CoderDialog(QDialog):
    """Who is coding? The project's coders to pick from, or a new name."""

    def __init__(self, names: list[str], suggested: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Who is coding?")
        self.setObjectName("coderDialog")
        intro = QLabel("Your codings are recorded under your name, so that the team's work can be "
                       "merged and compared. Choose your name or type a new one.")
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("coderList")
        for name in names:
            self.list.addItem(QListWidgetItem(name))
        self.list.setVisible(bool(names))
        self.new_name = QLineEdit()
        self.new_name.setObjectName("newCoderName")
        self.new_name.setPlaceholderText("New coder: name or initials")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(self.new_name)
        layout.addWidget(self.buttons)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.list.currentItemChanged.connect(lambda item, _prev: item and self.new_name.clear())
        self.new_name.textEdited.connect(lambda _t: self.list.setCurrentRow(-1))
        self.new_name.textChanged.connect(self._update_ok)
        self.list.currentRowChanged.connect(self._update_ok)
        if suggested in names:
            self.list.setCurrentRow(names.index(suggested))
        else:
            self.new_name.setText(suggested)
        self._update_ok()

    def name(self) -> str:
        typed = self.new_name.text().strip()
        if typed:
            return typed
        item = self.list.currentItem()
        return item.text() if item is not None and self.list.currentRow() >= 0 else ""

    def _update_ok(self, *_args) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.name()))


class TeamFeature:
    def __init__(self, window: "WindowServices"):
        self.window = window
        #: a coder was confirmed in the "Who is coding?" dialog since the application started
        self.confirmed = False
        self.shown = ALL
        self.act_merge = QAction("&Merge another coder's project…", window)
        self.act_merge.setObjectName("actionMergeProject")
        self.act_merge.setStatusTip("Add a team member's copy of this project: their codings, codes "
                                    "and documents (undoable)")
        self.act_merge.triggered.connect(lambda _checked=False: self.merge_dialog())
        window.team_menu.addAction(self.act_merge)
        self.filter_menu = QMenu("Show &codings of", window)
        self.filter_menu.setObjectName("menuShowCodingsOf")
        self.filter_menu.aboutToShow.connect(self._fill_filter_menu)
        window.view_menu.addMenu(self.filter_menu)
        self._fill_filter_menu()
        window.projectOpened.connect(self._opened)
        window.projectClosed.connect(self._closed)
        self._project: Project | None = None
        self._update_enabled()

    # ------------------------------------------------------------------ who is coding
    def _ask_coder(self, names: list[str], suggested: str) -> str | None:
        """Show the "Who is coding?" dialog; tests patch this so nothing blocks."""
        dialog = CoderDialog(names, suggested, self.window)
        return dialog.name() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def choose_coder(self, project: Project) -> str:
        """The coder name to record for ``project`` (asking when the rules above say so)."""
        from qcdesk.core.demo import DEMO_CODER

        settings = self.window.settings
        # the demo's own coder is not the user's name: never kept as it, never suggested for another project
        saved = str(settings.qs.value("coder_name", "") or "") not in ("", DEMO_CODER)
        names = [c.name for c in project.coders()]
        if saved and (not names or self.confirmed):
            return settings.coder_name()
        answer = self._ask_coder(names, settings.coder_name() if saved else "")
        if answer and answer.strip():
            if answer.strip() != DEMO_CODER:
                self.confirmed = True
                settings.set_coder_name(answer.strip())
            return answer.strip()
        return settings.coder_name()

    # ------------------------------------------------------------------ show codings of
    def _fill_filter_menu(self) -> None:
        menu = self.filter_menu
        menu.clear()
        group = QActionGroup(menu)
        project = self.window.project
        choices = [(ALL, "All coders"), (MINE, "Only mine")]
        if project is not None:
            choices += [(str(c.id), c.name) for c in project.coders()]
        for key, label in choices:
            act = menu.addAction(label)
            act.setObjectName(f"showCodings_{key}")
            act.setCheckable(True)
            act.setChecked(key == self.shown)
            act.setEnabled(project is not None)
            group.addAction(act)
            act.triggered.connect(lambda _checked=False, k=key: self.show_codings_of(k))
            if key == MINE and len(choices) > 2:
                menu.addSeparator()

    def shown_coders(self) -> set[int] | None:
        project = self.window.project
        if project is None or self.shown == ALL:
            return None
        if self.shown == MINE:
            return {project.coder.id} if project.coder is not None else set()
        return {int(self.shown)}

    def show_codings_of(self, key: str) -> None:
        """``"all"``, ``"mine"`` or a coder id (as text): filter the highlights and the segments."""
        self.shown = key
        shown = self.shown_coders()
        self.window.shown_coders = shown
        self.window.segments.shown_coders = shown
        self.window.refresh_codings()
        self.window.segments.refresh()
        label = "all coders" if shown is None else ", ".join(
            c.name for c in (self.window.project.coders() if self.window.project else []) if c.id in shown)
        self.window.statusBar().showMessage(f"Showing the codings of {label or 'nobody yet'}.", 5000)

    def _on_changes(self, changes: Changes) -> None:
        if changes.coders:
            # after the project has taken the new coder (it does so once the action is over)
            QTimer.singleShot(0, self._coder_changed)

    def _coder_changed(self) -> None:
        if self.window.project is None:
            return
        self.window.refresh_title()  # the title names the coder
        if self.shown == MINE:
            self.show_codings_of(MINE)  # "mine" follows the current coder

    def _opened(self, _path: str) -> None:
        self._project = self.window.project
        self._project.subscribe(self._on_changes)
        self.shown = ALL
        if self.window.shown_coders is not None or self.window.segments.shown_coders is not None:
            self.show_codings_of(ALL)  # another project's filter: every coder again
        # else every coder's codings are shown already: not loaded a second time (issue 19)
        self._update_enabled()

    def _closed(self) -> None:
        if self._project is not None:
            self._project.unsubscribe(self._on_changes)
        self._project = None
        self.shown = ALL
        self.window.shown_coders = None
        self.window.segments.shown_coders = None
        self._update_enabled()

    def _update_enabled(self) -> None:
        has = self.window.project is not None and not self.window.project.read_only
        self.act_merge.setEnabled(has)

    # ------------------------------------------------------------------ merge
    def merge_dialog(self) -> bool:
        if self.window.project is None:
            return False
        path = dialogs.ask_open_path(self.window, "Merge another coder's project",
                                     self.window.settings.last_folder(),
                                     f"qcdesk projects (*{PROJECT_SUFFIX});;All files (*)")
        if not path:
            return False
        return self.merge(Path(path))

    def merge(self, path: Path) -> bool:
        self.window.settings.set_last_folder(path.parent)
        opened, passphrase = unlock.passphrase_for(self.window, path)  # an encrypted copy
        if not opened:
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            preview = preview_merge(self.window.project, path, passphrase=passphrase)
        except QcdeskError as exc:
            QApplication.restoreOverrideCursor()
            dialogs.error(self.window, "Merge another coder's project", str(exc))
            return False
        QApplication.restoreOverrideCursor()
        if not dialogs.confirm(self.window, "Merge another coder's project",
                               f"Merging {path.name} into this project will do this:\n\n{preview.text()}"
                               "\n\nMerge now? (Edit ▸ Undo takes it back.)"):
            return False
        project = self.window.project
        # the passphrase is used once and not kept in the undo history
        command = CoreCommand(f"Merge {path.name}", lambda: merge_project(project, path, passphrase=passphrase))
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            done = self.window.undo.run(command)
        finally:
            QApplication.restoreOverrideCursor()
        if done and isinstance(command.value, MergeReport):
            self._show_report(path, command.value)
        return done

    def _show_report(self, path: Path, report: MergeReport) -> None:
        dialogs.info(self.window, "Merge another coder's project",
                     f"Merged {path.name} into this project (Edit ▸ Undo takes it back).\n\n{report.text()}")


def install(window: "WindowServices") -> TeamFeature:
    return TeamFeature(window)
