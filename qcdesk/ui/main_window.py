"""The main window: documents on the left, the transcript in the middle, the codebook on the right,
coded segments below. It calls core operations through undo commands and refreshes from the
project's change notifications, whatever caused them (an action, an undo, an import)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QDockWidget, QLabel, QMainWindow, QStackedWidget,
                               QVBoxLayout, QWidget)

from qcdesk import APP_NAME, PROJECT_SUFFIX
from qcdesk.core.errors import ProjectLockedError, QcdeskError
from qcdesk.core.importers import SUPPORTED_SUFFIXES
from qcdesk.core.models import Changes
from qcdesk.core.project import Project
from qcdesk.ui import commands as cmd
from qcdesk.ui import dialogs, features, panel_state, unlock, workbench_layout
from qcdesk.ui.commands import codebook as codebook_cmd
from qcdesk.ui.about import show_about
from qcdesk.ui.codebook_dock import CodebookPanel
from qcdesk.ui.coding_actions import CodingActions
from qcdesk.ui.documents_panel import DocumentsPanel
from qcdesk.ui.import_flow import ExportFlow, ImportFlow
from qcdesk.ui.open_document import OpenDocument
from qcdesk.ui.segments_panel import SegmentsPanel, format_time
from qcdesk.ui.settings import Settings
from qcdesk.ui.status_text import StatusText
from qcdesk.ui.transcript_view import TranscriptView

if TYPE_CHECKING:
    from qcdesk.ui.agreement_panel import AgreementFeature
    from qcdesk.ui.backup_actions import BackupActions
    from qcdesk.ui.cases_panel import CasesFeature
    from qcdesk.ui.code_by_drop import CodeByDrop
    from qcdesk.ui.coding_edits import CodingEdits
    from qcdesk.ui.help_feature import HelpFeature
    from qcdesk.ui.interchange_actions import InterchangeActions
    from qcdesk.ui.matrices_panel import MatricesFeature
    from qcdesk.ui.media_feature import MediaFeature
    from qcdesk.ui.memos_feature import MemosFeature
    from qcdesk.ui.navigation import Navigation
    from qcdesk.ui.quick_codes import QuickCodes
    from qcdesk.ui.retrieval_panel import RetrievalFeature
    from qcdesk.ui.saturation_panel import SaturationFeature
    from qcdesk.ui.search_panel import SearchFeature
    from qcdesk.ui.security_actions import SecurityActions
    from qcdesk.ui.sets_feature import SetsFeature
    from qcdesk.ui.team import TeamFeature
    from qcdesk.ui.text_check import TextCheck
    from qcdesk.ui.textedit_actions import TextEditActions
    from qcdesk.ui.time_range_feature import TimeRangeFeature
    from qcdesk.ui.workbench_layout import Workbench


class MainWindow(QMainWindow):
    projectOpened = Signal(str)
    projectClosed = Signal()
    #: the project is about to close (still open): last chances to read or back it up
    projectClosing = Signal()
    #: (QMenu, codings at the cursor) before the transcript's context menu shows: features add entries
    transcriptMenuAboutToShow = Signal(object, list)
    #: a code was applied to the selected text (code id): the quick code bar follows it
    codeApplied = Signal(int)

    # the features (qcdesk/ui/features.py installs each once; they use qcdesk/ui/window_services.py)
    exchange: InterchangeActions
    retrieval: RetrievalFeature
    matrices: MatricesFeature
    backup_actions: BackupActions
    team: TeamFeature
    agreement: AgreementFeature
    cases: CasesFeature
    saturation: SaturationFeature
    security: SecurityActions
    textedit: TextEditActions
    memos: MemosFeature
    search: SearchFeature
    text_check: TextCheck
    sets: SetsFeature
    quick_codes: QuickCodes
    coding_edits: CodingEdits
    code_by_drop: CodeByDrop
    workbench: Workbench
    navigation: Navigation
    player: MediaFeature
    time_ranges: TimeRangeFeature
    help: HelpFeature
    #: View ▸ Focus on the transcript, made by the workbench feature
    act_focus: QAction

    def __init__(self, settings: Settings | None = None):
        super().__init__()
        self.settings = settings or Settings()
        self.project: Project | None = None
        #: View ▸ Show codings of: the coder ids whose codings show (None: every coder), set by the Team feature
        self.shown_coders: set[int] | None = None
        #: the document open in the transcript, kept in step with the project (qcdesk/ui/open_document.py)
        self.open_document = OpenDocument(self)
        #: coding the selected text, removing codings, the transcript's menu (qcdesk/ui/coding_actions.py)
        self.coding = CodingActions(self)
        self.undo_stack = QUndoStack(self)
        self.undo = cmd.UndoController(self.undo_stack, self._command_failed)
        self.imports = ImportFlow(self)
        self.exports = ExportFlow(self)
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)
        self.resize(1280, 800)
        self._build_central()
        self._build_docks()
        self._build_actions()
        self._build_menus()
        self._status_codes = StatusText()  # changes with every cursor move: no relayout of the window
        self._status_coder = QLabel()
        self.statusBar().addWidget(self._status_codes, 1)
        self.statusBar().addPermanentWidget(self._status_coder)
        self._restore_window()
        self._update_enabled()
        self._update_title()
        features.install_all(self)

    # ================================================================ layout
    def _build_central(self) -> None:
        self.stack = QStackedWidget()
        self.welcome = QLabel()
        self.welcome.setObjectName("welcome")
        self.welcome.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.welcome.setWordWrap(True)
        self.welcome.setTextFormat(Qt.TextFormat.RichText)
        self.transcript = TranscriptView()
        self.doc_header = QLabel()
        self.doc_header.setObjectName("documentHeader")
        self.doc_header.setContentsMargins(8, 6, 8, 2)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.doc_header)
        layout.addWidget(self.transcript, 1)
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(page)
        self.setCentralWidget(self.stack)
        self.transcript.codingsAtCursorChanged.connect(self._show_codings_at_cursor)
        self.transcript.margin.stripeClicked.connect(self.coding.select_coding)
        self.transcript.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.transcript.customContextMenuRequested.connect(self.coding.transcript_menu)
        self._refresh_welcome()

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(workbench_layout.scrollable(widget))  # squeezed, a panel scrolls: the transcript keeps its room
        self.addDockWidget(area, dock)
        return dock

    def add_panel(self, title: str, name: str, widget: QWidget,
                  area: Qt.DockWidgetArea = Qt.DockWidgetArea.BottomDockWidgetArea) -> QDockWidget:
        """A feature's dock: tabbed with the coded-segments panel (bottom) or the codebook
        (right), listed in the View menu, hidden until asked for."""
        dock = self._dock(title, name, widget, area)
        beside = self.segments_dock if area == Qt.DockWidgetArea.BottomDockWidgetArea else self.codebook_dock
        tabbed = area in (Qt.DockWidgetArea.BottomDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea)
        if tabbed:
            self.tabifyDockWidget(beside, dock)
            beside.raise_()
        panel_state.track(dock, widget, shown_now=not tabbed)
        self.view_menu.addAction(dock.toggleViewAction())
        return dock

    def show_panel(self, dock: QDockWidget) -> None:
        dock.show()
        dock.raise_()
        panel_state.catch_up(dock)  # what its panel put off while hidden, loaded now

    def _build_docks(self) -> None:
        self.documents = DocumentsPanel()
        self.codebook = CodebookPanel()
        self.segments = SegmentsPanel()
        self.documents_dock = self._dock("Documents", "documentsDock", self.documents,
                                         Qt.DockWidgetArea.LeftDockWidgetArea)
        self.codebook_dock = self._dock("Codebook", "codebookDock", self.codebook,
                                        Qt.DockWidgetArea.RightDockWidgetArea)
        self.segments_dock = self._dock("Coded segments", "segmentsDock", self.segments,
                                        Qt.DockWidgetArea.BottomDockWidgetArea)
        self.resizeDocks([self.documents_dock, self.codebook_dock], [220, 320], Qt.Orientation.Horizontal)
        self.resizeDocks([self.segments_dock], [200], Qt.Orientation.Vertical)
        self.documents.documentSelected.connect(self.show_document)
        self.segments.segmentActivated.connect(self.jump_to)
        cb = self.codebook
        cb.codeActivated.connect(self.apply_code)
        cb.currentCodeChanged.connect(self._current_code_changed)
        cb.addRequested.connect(lambda parent, name: self.undo.run(
            codebook_cmd.add_code(self.project, name, parent)))
        cb.renameRequested.connect(lambda cid, name: self.undo.run(
            codebook_cmd.update_code(self.project, cid, "name", name)))
        cb.recolourRequested.connect(lambda cid, color: self.undo.run(
            codebook_cmd.update_code(self.project, cid, "color", color)))
        cb.criteriaRequested.connect(lambda cid, values: self.undo.run(
            codebook_cmd.code_criteria(self.project, cid, values)))
        cb.mergeRequested.connect(lambda ids, target: self.undo.run(
            codebook_cmd.merge_codes(self.project, ids, target)))
        cb.moveManyRequested.connect(lambda ids, parent, row: self.undo.run(
            codebook_cmd.move_codes(self.project, ids, parent, row)))
        cb.sortRequested.connect(lambda parent, key: self.undo.run(
            codebook_cmd.sort_codes(self.project, parent, key)))
        cb.deleteRequested.connect(lambda cid: self.undo.run(codebook_cmd.delete_code(self.project, cid)))
        cb.moveRequested.connect(lambda cid, parent, row: self.undo.run(
            codebook_cmd.move_code(self.project, cid, parent, row)))

    def _action(self, text: str, name: str, slot, shortcut: QKeySequence | str | None = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        A, K = self._action, QKeySequence.StandardKey
        self.act_new = A("&New project…", "actionNewProject", self.new_project_dialog, K.New)
        self.act_open = A("&Open project…", "actionOpenProject", self.open_project_dialog, K.Open)
        self.act_close = A("&Close project", "actionCloseProject", self.close_project, K.Close)
        self.act_import = A("&Import documents…", "actionImport", self.imports.ask_and_import, "Ctrl+Shift+O",
                            "Import transcripts (" + ", ".join(SUPPORTED_SUFFIXES) + ")")
        self.act_export = A("&Export report…", "actionExportWord",
                            self.exports.ask_and_export, "Ctrl+Shift+X")
        self.act_coder = A("Set &coder name…", "actionSetCoder", self.set_coder_dialog)
        self.act_quit = A("&Quit", "actionQuit", self.close, K.Quit)
        self.act_undo = self.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setObjectName("actionUndo")
        self.act_undo.setShortcut(QKeySequence(K.Undo))
        self.act_redo = self.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setObjectName("actionRedo")
        # Ctrl+Shift+Z and Ctrl+Y everywhere, then the platform's Redo keys, each once: a key bound
        # twice (X11's Redo is Ctrl+Shift+Z) is ambiguous to Qt, which then runs neither
        redo = [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y"), *QKeySequence.keyBindings(K.Redo)]
        self.act_redo.setShortcuts([key for i, key in enumerate(redo) if key not in redo[:i]])
        self.act_apply = A("&Apply selected code", "actionApplyCode", self.apply_current_code, "Ctrl+E",
                           "Code the selected text with the code selected in the codebook")
        self.act_invivo = A("New code from &selection (in vivo)", "actionInVivo", self.in_vivo, "Ctrl+I",
                            "Create a code named after the selected words and apply it")
        self.act_remove = A("&Remove coding", "actionRemoveCoding", lambda: self.remove_coding(), "Ctrl+Shift+E",
                            "Remove the coding under the cursor")
        self.act_new_code = A("New &code…", "actionNewCode", self.codebook_add, "Ctrl+Shift+N")
        self.act_snap_words = A("Snap selections to whole &words", "actionSnapWords", self._set_snap_words,
                                tip="A selection made with the mouse takes in the whole words it starts and "
                                    "ends in (hold Alt while selecting for an exact one)")
        self.act_snap_words.setCheckable(True)
        self.act_snap_words.setChecked(self.settings.snap_to_words())
        self.transcript.snap_words = self.settings.snap_to_words()
        for act in (self.act_apply, self.act_invivo, self.act_remove, self.act_undo, self.act_redo):
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(act)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = file_menu = bar.addMenu("&File")
        file_menu.addActions([self.act_new, self.act_open])
        self.recent_menu = file_menu.addMenu("Open &recent")
        self.recent_menu.setObjectName("menuRecent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.act_close)
        file_menu.addSeparator()
        file_menu.addActions([self.act_import, self.act_export])
        file_menu.addSeparator()
        file_menu.addAction(self.act_coder)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        self.edit_menu = edit_menu = bar.addMenu("&Edit")
        edit_menu.addActions([self.act_undo, self.act_redo])
        self.code_menu = code_menu = bar.addMenu("&Code")
        code_menu.addActions([self.act_apply, self.act_invivo, self.act_remove])
        code_menu.addSeparator()
        code_menu.addAction(self.act_new_code)
        code_menu.addSeparator()
        code_menu.addAction(self.act_snap_words)
        # menus that feature modules (qcdesk/ui/features.py) fill
        self.analysis_menu = bar.addMenu("&Analysis")
        self.analysis_menu.setObjectName("menuAnalysis")
        self.team_menu = bar.addMenu("&Team")
        self.team_menu.setObjectName("menuTeam")
        self.project_menu = bar.addMenu("&Project")
        self.project_menu.setObjectName("menuProject")
        self.view_menu = view_menu = bar.addMenu("&View")
        view_menu.setObjectName("menuView")
        for dock in (self.documents_dock, self.codebook_dock, self.segments_dock):
            view_menu.addAction(dock.toggleViewAction())
        view_menu.addSeparator()
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addActions([self.act_import, self.act_apply, self.act_invivo, self.act_remove])
        toolbar.addSeparator()
        toolbar.addActions([self.act_undo, self.act_redo])
        toolbar.addSeparator()
        toolbar.addAction(self.act_export)
        self.help_menu = help_menu = bar.addMenu("&Help")
        help_menu.setObjectName("menuHelp")
        self.act_about = help_menu.addAction(f"&About {APP_NAME}")
        self.act_about.setObjectName("actionAbout")
        self.act_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.act_about.triggered.connect(lambda: show_about(self))

    # ================================================================ project lifecycle
    def open_project(self, path: str | Path) -> bool:
        path = Path(path)
        known, passphrase = unlock.passphrase_for(self, path)  # asks when the file is encrypted
        if not known:
            return False
        try:
            # no blocking full check: a file as this machine last closed it cleanly opens after
            # reading its header, any other after SQLite's quick check; the text check runs the
            # full check in the background and the first change waits for it (core.deferred_check)
            project = Project.open(path, passphrase=passphrase, seal=self.settings.clean_close_seal(path),
                                   defer_check=True)
        except ProjectLockedError as exc:
            if not dialogs.confirm(self, "Project already open", f"{exc}\n\nOpen it read-only?"):
                return False
            try:
                project = Project.open(path, passphrase=passphrase, read_only=True)
            except QcdeskError as again:
                dialogs.error(self, "Could not open project", str(again))
                return False
        except QcdeskError as exc:
            dialogs.error(self, "Could not open project", str(exc))
            if not path.exists():
                self.settings.remove_recent_project(path)
            return False
        if project.read_only_notice:
            dialogs.info(self, "Opened read-only", project.read_only_notice)
        if project.backup is not None:
            dialogs.info(self, "Project upgraded",
                         f"{path.name} was upgraded to this version's format. A copy of the file as it "
                         f"was is kept as {project.backup.name}.")
        self._attach(project)
        return True

    def new_project(self, path: str | Path, passphrase: str | None = None) -> bool:
        path = dialogs.forced_suffix(path, PROJECT_SUFFIX, match_case=True)
        try:
            project = Project.create(path, passphrase=passphrase)
        except QcdeskError as exc:
            dialogs.error(self, "Could not create project", str(exc))
            return False
        except OSError as exc:
            dialogs.error(self, "Could not create project", f"{path}: {exc.strerror or exc}")
            return False
        self._attach(project)
        return True

    def _attach(self, project: Project) -> None:
        self.close_project()
        self.project = project
        try:
            project.set_coder(self.team.choose_coder(project))  # asks "Who is coding?" when needed
        except QcdeskError:
            pass
        project.subscribe(self._on_changes)
        project.on_listener_error = self._view_failed
        self.settings.add_recent_project(project.path)
        self.documents.set_project(project)
        self.codebook.set_project(project)
        self.segments.set_project(project)
        self.stack.setCurrentIndex(1)
        docs = project.documents()
        if docs:
            self.documents.select(docs[0].id)
        else:
            self.show_document(None)
        self._update_title()
        self._update_enabled()
        self.projectOpened.emit(str(project.path))

    def attach_project(self, project: Project) -> None:
        """Show an already opened project (closing the one shown), as opening it does."""
        self._attach(project)

    def project_became_read_only(self) -> None:
        """The open project was switched to read-only (damage found after opening): the title
        and the actions follow."""
        self._update_title()
        self._update_enabled()

    def close_project(self) -> None:
        if self.project is None:
            return
        self.projectClosing.emit()
        self.undo_stack.clear()
        project, self.project = self.project, None
        self.open_document.forget_places()
        project.unsubscribe(self._on_changes)
        self.documents.set_project(None)
        self.codebook.clear()
        self.segments.set_project(None)
        self.transcript.show_document(None, "")
        project.close()
        if not project.read_only:  # sealed again only if closed cleanly after a full check
            self.settings.set_clean_close_seal(project.path, project.closed_seal)
        self.stack.setCurrentIndex(0)
        self._refresh_welcome()
        self._update_title()
        self._update_enabled()
        self.projectClosed.emit()

    def new_project_dialog(self) -> None:
        path = dialogs.ask_save_path(self, "New project", self.settings.last_folder(),
                                     f"qcdesk projects (*{PROJECT_SUFFIX})")
        if path:
            self.settings.set_last_folder(Path(path).parent)
            self.new_project(path)

    def open_project_dialog(self) -> None:
        path = dialogs.ask_open_path(self, "Open project", self.settings.last_folder(),
                                     f"qcdesk projects (*{PROJECT_SUFFIX});;All files (*)")
        if path:
            self.settings.set_last_folder(Path(path).parent)
            self.open_project(path)

    def set_coder_dialog(self) -> None:
        name = dialogs.ask_text(self, "Coder", "Your name or initials, recorded with each coding:",
                                self.settings.coder_name())
        if name and name.strip():
            self.settings.set_coder_name(name.strip())
            if self.project is not None:
                try:
                    self.project.set_coder(name)
                except QcdeskError as exc:
                    dialogs.error(self, "Coder", str(exc))
                else:
                    if self.project.coder_pending:  # recorded by the next change: the views follow now
                        self.project.notify(Changes(coders=True))
            self._update_title()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = self.settings.recent_projects()
        for path in recent:
            act = self.recent_menu.addAction(path)
            act.triggered.connect(lambda _=False, p=path: self.open_project(p))
        if not recent:
            self.recent_menu.addAction("(none)").setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear list", self.settings.clear_recent_projects)

    def _refresh_welcome(self) -> None:
        recent = self.settings.recent_projects()[:5]
        items = "".join(f"<li>{Path(p).name} <span style='color:#666'>({Path(p).parent})</span></li>"
                        for p in recent)
        self.welcome.setText(
            "<h2>qcdesk</h2><p>Open a project (<b>File ▸ Open project</b>) or create one "
            "(<b>File ▸ New project</b>), then import transcripts.</p>"
            + (f"<p>Recent projects (File ▸ Open recent):</p><ul>{items}</ul>" if items else ""))

    # ================================================================ reacting to changes
    def _on_changes(self, changes: Changes) -> None:
        if self.project is None:
            return
        if changes.document_list and not self.documents.show_added(changes.documents):
            self.documents.refresh()
        self.codebook.apply_changes(changes)
        self.open_document.follow(changes)
        self.segments.apply_changes(changes)
        self._update_enabled()

    def show_document(self, document_id: int | None) -> None:
        """Open ``document_id`` in the transcript (None: none), where the reader left it."""
        self.open_document.show(document_id)
        self._update_enabled()

    def refresh_codings(self) -> None:
        """Redraw the open document's codings (after the coders shown changed)."""
        self.open_document.load_codings()

    def _current_code_changed(self, code_id: int | None) -> None:
        self.segments.show_code(code_id)
        self._update_enabled()

    def _show_codings_at_cursor(self, codings: list) -> None:
        if self.project is None or self.transcript.document_id is None:
            self._status_codes.setText("")
            return
        known = self.transcript.shown_codes()  # what the codings were drawn with: no read of every code
        if any(c.code_id not in known for c in codings):
            known = {c.id: c for c in self.project.codes()}
        where = ""
        turn = self.project.turn_at(self.transcript.document_id, self.transcript.cursor_position())
        if turn is not None:
            where = turn.speaker + (f" {format_time(turn.time_start)}" if turn.time_start is not None else "")
            where += " · "
        coded = ", ".join(dict.fromkeys(known[c.code_id].name if c.code_id in known else "?" for c in codings))
        self._status_codes.setText(where + (f"Codes here: {coded}" if coded else "Not coded here"))
        self.act_remove.setEnabled(bool(codings) and not self.project.read_only)

    def _update_enabled(self) -> None:
        has_project = self.project is not None
        has_doc = has_project and self.transcript.document_id is not None
        for act in (self.act_close, self.act_import, self.act_export, self.act_new_code):
            act.setEnabled(has_project)
        writable = has_project and not self.project.read_only
        self.act_import.setEnabled(writable)
        self.act_new_code.setEnabled(writable)
        self.act_apply.setEnabled(writable and has_doc and self.codebook.current_code_id() is not None)
        self.act_invivo.setEnabled(writable and has_doc)
        self.act_remove.setEnabled(writable and has_doc and bool(self.transcript.codings_at_cursor()))

    def refresh_title(self) -> None:
        """Retitle the window and the status bar's coder (after the coder changed)."""
        self._update_title()

    def _update_title(self) -> None:
        coder = self.project.coder.name if self.project and self.project.coder else self.settings.coder_name()
        self._status_coder.setText(f"Coder: {coder}")
        if self.project is None:
            self.setWindowTitle(APP_NAME)
        else:
            suffix = (" [read-only]" if self.project.read_only else "") + (
                " 🔒 [encrypted]" if self.project.passphrase else "")
            self.setWindowTitle(f"{self.project.path.name}{suffix} — {coder} — {APP_NAME}")

    # ================================================================ coding
    def _set_snap_words(self, on: bool) -> None:
        self.transcript.snap_words = on
        self.settings.set_snap_to_words(on)

    def apply_code(self, code_id: int) -> bool:
        """Code the selected text with ``code_id`` (double-click in the codebook, Ctrl+E)."""
        return self.coding.apply_code(code_id)

    def apply_current_code(self) -> bool:
        return self.coding.apply_current_code()

    def in_vivo(self) -> bool:
        return self.coding.in_vivo()

    def remove_coding(self, coding_id: int | None = None) -> bool:
        return self.coding.remove_coding(coding_id)

    def codebook_add(self) -> None:
        """Code ▸ New code: the codebook panel asks for the name (its own "New" action)."""
        action = self.codebook.findChild(QAction, "action_add_code")
        if action is not None:
            action.trigger()

    def jump_to(self, document_id: int, start: int, end: int) -> None:
        if self.transcript.document_id != document_id:
            self.documents.select(document_id)
        self.transcript.select_range(start, end)
        self.transcript.setFocus()

    # ================================================================ errors, drops, close
    def _command_failed(self, what: str, exc: Exception) -> None:
        dialogs.error(self, "Not done", f"{what}: {exc}" if what else str(exc))

    def _view_failed(self, exc: Exception) -> None:
        """A view raised while following a committed change: say so once the change is done
        (not from inside the notification: the undo entry is pushed first)."""
        QTimer.singleShot(0, lambda: dialogs.error(
            self, "Display problem",
            f"Part of the window could not show the latest change ({exc}). The change itself is "
            "saved and can be undone; close and reopen the project if the window looks wrong."))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if event.mimeData().hasUrls() and files:
            event.acceptProposedAction()
            self.imports.expect(files)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        projects = [p for p in paths if p.suffix == PROJECT_SUFFIX]
        if projects and len(paths) == 1:
            self.open_project(projects[0])
        elif paths:
            if self.project is None:
                dialogs.error(self, "Import", "Open or create a project before importing documents.")
                return
            self.imports.start(paths)
        event.acceptProposedAction()

    def _restore_window(self) -> None:
        geometry, state = self.settings.window_geometry(), self.settings.window_state()
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.imports.busy() or self.exports.busy():
            if not dialogs.confirm(self, "Quit", "An import or export is still running. Stop it and quit?"):
                event.ignore()
                return
            self.imports.cancel()
            self.exports.wait()
        if not self.security.idle.locked:  # locked: the panels are hidden, not closed
            self.settings.save_window(QByteArray(self.saveGeometry()), QByteArray(self.saveState()))
        self.close_project()
        self.settings.sync()
        super().closeEvent(event)

