"""What a feature module may use of the main window: the whole interface, in one place.

A feature (registered in :mod:`qcdesk.ui.features`) gets the window in ``install(window)`` and
reaches it only through the members listed here; ``tests/ui/test_feature_registration.py``
checks every feature module against this list and refuses private members (``window._x``).
:class:`~qcdesk.ui.main_window.MainWindow` provides all of it (it is also the parent widget of a
feature's dialogs). To give features something new, add it to the window and list it here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import QByteArray, QObject, Qt, SignalInstance
    from PySide6.QtGui import QAction, QUndoStack
    from PySide6.QtWidgets import QDockWidget, QLabel, QMenu, QMenuBar, QStatusBar, QToolBar, QWidget

    from qcdesk.core.project import Project
    from qcdesk.ui.backup_actions import BackupActions
    from qcdesk.ui.codebook_dock import CodebookPanel
    from qcdesk.ui.commands import UndoController
    from qcdesk.ui.documents_panel import DocumentsPanel
    from qcdesk.ui.media_feature import MediaFeature
    from qcdesk.ui.memos_feature import MemosFeature
    from qcdesk.ui.quick_codes import QuickCodes
    from qcdesk.ui.retrieval_panel import RetrievalFeature
    from qcdesk.ui.search_panel import SearchFeature
    from qcdesk.ui.segments_panel import SegmentsPanel
    from qcdesk.ui.settings import Settings
    from qcdesk.ui.transcript_view import TranscriptView


class WindowServices(Protocol):
    # ---- the open project, settings and undo
    project: Project | None
    settings: Settings
    #: run an undo command: ``window.undo.run(command)``
    undo: UndoController
    undo_stack: QUndoStack

    # ---- signals
    projectOpened: SignalInstance  # noqa: N815 - Qt signal names
    projectClosing: SignalInstance  # noqa: N815
    projectClosed: SignalInstance  # noqa: N815
    #: (QMenu, codings at the cursor) before the transcript's context menu shows
    transcriptMenuAboutToShow: SignalInstance  # noqa: N815
    codeApplied: SignalInstance  # noqa: N815
    destroyed: SignalInstance

    # ---- menus and actions a feature adds to or next to
    file_menu: QMenu
    edit_menu: QMenu
    code_menu: QMenu
    analysis_menu: QMenu
    team_menu: QMenu
    project_menu: QMenu
    view_menu: QMenu
    help_menu: QMenu
    act_new: QAction
    act_quit: QAction
    act_undo: QAction
    act_redo: QAction
    act_remove: QAction
    act_import: QAction
    act_export: QAction
    act_apply: QAction
    act_invivo: QAction
    #: View ▸ Focus on the transcript (the workbench feature sets it)
    act_focus: QAction

    # ---- the workbench's own panels and docks
    documents: DocumentsPanel
    codebook: CodebookPanel
    segments: SegmentsPanel
    transcript: TranscriptView
    #: the open document's name above the transcript
    doc_header: QLabel
    documents_dock: QDockWidget
    codebook_dock: QDockWidget
    segments_dock: QDockWidget
    #: View ▸ Show codings of: the coder ids whose codings show (None: every coder); the Team feature sets it
    shown_coders: set[int] | None

    # ---- features other features build on
    retrieval: RetrievalFeature
    backup_actions: BackupActions
    search: SearchFeature
    quick_codes: QuickCodes
    memos: MemosFeature
    player: MediaFeature

    # ---- panels, navigation, the project file
    def add_panel(self, title: str, name: str, widget: QWidget,
                  area: Qt.DockWidgetArea = ...) -> QDockWidget: ...
    def show_panel(self, dock: QDockWidget) -> None: ...
    def jump_to(self, document_id: int, start: int, end: int) -> None: ...
    def show_document(self, document_id: int | None) -> None: ...
    def apply_code(self, code_id: int) -> bool: ...
    def open_project(self, path: Any) -> bool: ...
    def new_project(self, path: Any, passphrase: str | None = None) -> bool: ...
    def close_project(self) -> None: ...
    def attach_project(self, project: Project) -> None: ...
    def refresh_codings(self) -> None: ...
    def refresh_title(self) -> None: ...
    def project_became_read_only(self) -> None: ...

    # ---- the parts of QMainWindow features use (status messages, toolbars, shortcuts, layout)
    def statusBar(self) -> QStatusBar: ...  # noqa: N802
    def menuBar(self) -> QMenuBar: ...  # noqa: N802
    def addAction(self, action: QAction) -> None: ...  # noqa: N802
    def addToolBar(self, toolbar: QToolBar) -> None: ...  # noqa: N802
    def findChildren(self, kind: type, name: str = ...) -> list[Any]: ...  # noqa: N802
    def saveState(self, version: int = ...) -> QByteArray: ...  # noqa: N802
    def restoreState(self, state: QByteArray, version: int = ...) -> bool: ...  # noqa: N802
    def resizeDocks(self, _docks: list[QDockWidget], sizes: list[int],  # noqa: N802
                    orientation: Qt.Orientation) -> None: ...
    def takeCentralWidget(self) -> QWidget: ...  # noqa: N802
    def setCentralWidget(self, widget: QWidget) -> None: ...  # noqa: N802
    def installEventFilter(self, watcher: QObject) -> None: ...  # noqa: N802
    def width(self) -> int: ...
    def height(self) -> int: ...


#: the members a feature may use (the AST test checks feature modules against it)
MEMBERS: frozenset[str] = frozenset(
    name for name in {*WindowServices.__annotations__, *vars(WindowServices)}
    if not name.startswith("_"))
