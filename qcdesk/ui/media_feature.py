"""Recordings in the window: the player dock, the Document menu (attach, relink, playback keys)
and the ties between the recording and the transcript.

Opening a document that has a recording loads it in the player. Clicking a turn's time in the
margin, "Play from here" in the transcript's menu, or a coded segment in the coded-segments panel
plays from that passage's time; **Play segment** plays the selected passage (or the coding at the
cursor) from its start to its end. While playing, the turn being said is highlighted and, unless
**Follow the recording** is off, scrolled into view. Keys while reading: F4 play/pause, F3 back
5 s, F5 forward 5 s.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QColor, QKeySequence, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMenu, QTextEdit

from qcdesk.core import timing
from qcdesk.core.errors import QcdeskError
from qcdesk.core.media_formats import EXTENSIONS
from qcdesk.core.models import Changes
from qcdesk.core.playback_times import Timeline
from qcdesk.ui import dialogs
from qcdesk.ui.media_attach import AttachFlow
from qcdesk.ui.media_player import SKIP_MS, PlayerPanel

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices

#: the file dialogs' filter for recordings (by name only: the dialog opens no file)
RECORDINGS_FILTER = "Recordings (" + " ".join(f"*{e}" for e in EXTENSIONS) + ");;All files (*)"
CURRENT_TURN_COLOUR = QColor("#fff3b0")


class MediaFeature:
    def __init__(self, window: "WindowServices"):
        self.window = window
        self.project = None
        #: the open document's times, read when first needed (see :attr:`timeline`)
        self._timeline: Timeline | None = Timeline([])
        self._current_turn: int | None = None
        self.panel = PlayerPanel()
        self.attacher = AttachFlow(window)
        self.attacher.finished.connect(lambda _stored: self._update_enabled())
        self.dock = window.add_panel("Recording", "mediaDock", self.panel, Qt.DockWidgetArea.TopDockWidgetArea)
        self.dock.hide()
        self.menu = QMenu("&Document", window)
        self.menu.setObjectName("menuDocument")
        window.menuBar().insertMenu(window.analysis_menu.menuAction(), self.menu)
        A = self._action
        self.act_attach = A("&Attach recording…", "actionAttachRecording", self.attach_dialog,
                            tip="Attach an audio or video recording to the open document")
        self.act_relink = A("Re&link recording…", "actionRelinkRecording", self.relink_dialog,
                            tip="Point the open document's linked recording at where it is now")
        self.act_detach = A("&Detach recording…", "actionDetachRecording", self.detach_dialog,
                            tip="Remove the open document's recording (the transcript stays)")
        self.menu.addSeparator()
        self.act_play = A("&Play / pause", "actionPlayPause", self.panel.toggle, "F4",
                          "Play or pause the recording")
        self.act_back = A("&Back 5 seconds", "actionPlayBack", lambda: self.panel.skip(-SKIP_MS), "F3")
        self.act_forward = A("&Forward 5 seconds", "actionPlayForward", lambda: self.panel.skip(SKIP_MS), "F5")
        self.act_segment = A("Play &segment", "actionPlaySegment", self.play_segment,
                             tip="Play the selected passage (or the coding at the cursor) from its start to its end")
        self.act_here = A("Play from &here", "actionPlayFromHere", self.play_from_cursor,
                          tip="Play the recording from the passage at the cursor")
        self.act_follow = A("F&ollow the recording", "actionFollowRecording", lambda: None,
                            tip="While playing, scroll the transcript to the turn being said")
        self.act_follow.setCheckable(True)
        self.act_follow.setChecked(True)
        self.act_follow.toggled.connect(lambda _on: self._follow_toggled())
        self.menu.addSeparator()
        self.menu.addAction(self.dock.toggleViewAction())
        self.panel.positionChanged.connect(self._position_changed)
        window.documents.documentSelected.connect(lambda _doc_id: self.load_open_document())
        window.transcript.turnTimeClicked.connect(self.play_at)
        window.segments.segmentActivated.connect(self._segment_activated)
        window.transcriptMenuAboutToShow.connect(self._transcript_menu)
        window.projectOpened.connect(self._opened)
        window.projectClosing.connect(self._closing)
        window.projectClosed.connect(self._closed)
        self._update_enabled()

    def _action(self, text: str, name: str, slot, shortcut: str | None = None, tip: str = "") -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.window.addAction(action)
        self.menu.addAction(action)
        return action

    # ------------------------------------------------------------ project and document
    def _opened(self, _path: str) -> None:
        self.project = self.window.project
        self.project.subscribe(self._changes)
        self.load_open_document()

    def _closing(self) -> None:
        # an attach still running stores nothing: its connection is gone before the project closes
        self.attacher.cancel()
        self.attacher.wait()
        if self.project is not None:
            self.project.unsubscribe(self._changes)
        self.panel.unload()
        self.project = None

    def _closed(self) -> None:
        self._timeline = Timeline([])
        self._show_turn(None)
        self._update_enabled()

    def _changes(self, changes: Changes) -> None:
        doc_id = self.window.transcript.document_id
        if doc_id is None:
            return
        media = self.panel.media
        if (changes.media and (media is None or media.id in changes.media or doc_id in changes.documents)) \
                or doc_id in changes.texts:
            self.load_open_document()

    def document_id(self) -> int | None:
        return self.window.transcript.document_id if self.project is not None else None

    @property
    def timeline(self) -> Timeline:
        """The open document's timed turns and times. Read when first asked for, not when the
        document opens: most transcripts have no recording, and reading every turn of a long one
        took 13 ms of opening it (issue 19)."""
        if self._timeline is None:
            doc_id = self.document_id()
            self._timeline = Timeline([]) if doc_id is None or self.project is None else Timeline(
                self.project.speaker_turns(doc_id), timing.Timeline(self.project, doc_id))
        return self._timeline

    def load_open_document(self) -> None:
        """Load the open document's recording (if any) and its times."""
        doc_id = self.document_id()
        self._current_turn = None
        self._show_turn(None)
        if doc_id is None:
            self.panel.unload()
            self._timeline = Timeline([])
            self._update_enabled()
            return
        self._timeline = None  # read when the recording plays or a passage is played
        media = self.project.media.for_document(doc_id)
        if media != self.panel.media or media is None:
            self.panel.load(self.project, media)
        if media is not None:
            hidden = not self.dock.isVisible()
            self.window.show_panel(self.dock)
            if hidden:
                self.fit_dock_later()
        self._update_enabled()

    def fit_dock_later(self) -> None:
        """Size the dock to its content, at most a quarter of the window's height, once Qt has laid
        it out (after it is shown, or when the time-range list beside the player comes or goes)."""
        QTimer.singleShot(0, self.fit_dock)

    def fit_dock(self) -> None:
        dock = self.dock
        if not dock.isVisible() or dock.isFloating():
            return
        title = dock.height() - dock.widget().height() if dock.widget().height() > 0 else 0
        want = self.panel.sizeHint().height() + max(0, title)
        self.window.resizeDocks([dock], [min(want, self.window.height() // 4)], Qt.Orientation.Vertical)

    def _update_enabled(self) -> None:
        has_doc = self.document_id() is not None
        media = self.panel.media
        writable = has_doc and not self.project.read_only
        self.act_attach.setEnabled(writable and media is None and not self.attacher.busy())
        self.act_relink.setEnabled(writable and media is not None and not media.embedded)
        self.act_detach.setEnabled(writable and media is not None and not self.attacher.busy())
        playable = self.panel.has_media()
        for action in (self.act_play, self.act_back, self.act_forward, self.act_segment, self.act_here):
            action.setEnabled(playable)

    # ------------------------------------------------------------ attach and relink
    def attach_dialog(self) -> None:
        doc_id = self.document_id()
        if doc_id is None:
            return
        path = dialogs.ask_open_path(self.window, "Attach recording", self.window.settings.last_folder(),
                                     RECORDINGS_FILTER)
        if path:
            self.attach(doc_id, Path(path))

    def attach(self, document_id: int, path: Path, *, embed: bool = True) -> bool:
        """Attach in a worker, with progress and Cancel (:mod:`qcdesk.ui.media_attach`); False
        when another attach is still running."""
        self.window.settings.set_last_folder(path.parent)
        started = self.attacher.start(document_id, path, embed=embed)
        self._update_enabled()
        return started

    def relink_dialog(self) -> None:
        media = self.panel.media
        if media is None or media.embedded:
            return
        path = dialogs.ask_open_path(self.window, f"Where is {media.name} now?",
                                     self.window.settings.last_folder(), RECORDINGS_FILTER)
        if path:
            self.relink(Path(path))

    def relink(self, path: Path) -> bool:
        media = self.panel.media
        try:
            self.project.media.relink(media.id, path)
        except QcdeskError as exc:
            dialogs.error(self.window, "Relink recording", str(exc))
            return False
        self.panel.media = None  # the change notification loads it again from its new place
        self.load_open_document()
        self.window.statusBar().showMessage(f"{media.name} relinked.", 5000)
        return True

    def detach_dialog(self) -> bool:
        """Ask, naming the file and what stays, then detach (the core cannot restore a detached
        recording, so this is no undo step and the question says so)."""
        doc_id = self.document_id()
        info = self.project.media.for_document(doc_id) if doc_id is not None else None
        if info is None or self.project.read_only:
            return False
        document = self.project.document(doc_id).name
        if info.embedded:
            what = (f"{info.name} is stored inside this project: its {info.size / 1e6:.1f} MB are deleted "
                    "from the project file")
        else:
            what = f"{info.name} is linked at {info.link_path}: that file stays where it is, only the link goes"
        timed = len(self.project.time_codings.for_document(doc_id))
        kept = (f" Its {timed} coded time range{'s' * (timed != 1)} stay{'s' * (timed == 1)}, but cannot be "
                "played until a recording is attached again." if timed else "")
        if not dialogs.confirm(self.window, "Detach recording",
                               f"Detach the recording {info.name} from “{document}”?\n\n{what}. The transcript "
                               f"stays.{kept}\n\nThis cannot be undone: Undo does not bring the recording back."):
            return False
        self.panel.unload()  # the player lets go of the recording before its bytes go
        try:
            self.project.media.detach(info.id)
        except QcdeskError as exc:
            dialogs.error(self.window, "Detach recording", str(exc))
            self.load_open_document()
            return False
        self.window.statusBar().showMessage(f"Detached {info.name} from “{document}”.", 8000)
        return True

    # ------------------------------------------------------------ playing passages
    def play_at(self, position: int) -> None:
        """Play from the time of code point ``position`` of the open document."""
        seconds = self.timeline.time_at(position)
        if seconds is None:
            self.window.statusBar().showMessage("This passage has no time to play from.", 5000)
            return
        self.panel.play_from(seconds)

    def play_passage(self, start: int, end: int) -> None:
        span = self.timeline.span_at(start, end)
        if span is None:
            self.window.statusBar().showMessage("This passage has no time to play from.", 5000)
            return
        self.panel.play_range(*span)

    def play_from_cursor(self) -> None:
        if self.document_id() is not None:
            self.play_at(self.window.transcript.cursor_position())

    def play_segment(self) -> None:
        """The selected passage, else the coding at the cursor, from its start to its end."""
        view = self.window.transcript
        selected = view.selected_range()
        if selected is None:
            codings = view.codings_at_cursor()
            if not codings:
                self.window.statusBar().showMessage("Select a passage or put the cursor in a coding first.", 5000)
                return
            selected = (codings[0].start, codings[0].end)
        self.play_passage(*selected)

    def _segment_activated(self, document_id: int, start: int, end: int) -> None:
        # the window has opened the document (and loaded its recording) first
        if document_id == self.document_id() and self.panel.has_media():
            self.play_passage(start, end)

    def _transcript_menu(self, menu: QMenu, _codings: list) -> None:
        if self.panel.has_media():
            menu.addSeparator()
            menu.addActions([self.act_here, self.act_segment])

    # ------------------------------------------------------------ following
    def _follow_toggled(self) -> None:
        if self.act_follow.isChecked() and self._current_turn is not None:
            self._scroll_to_turn(self._current_turn)

    def _position_changed(self, ms: int) -> None:
        if not self.timeline:
            return
        index = self.timeline.turn_index_at_time(ms / 1000)
        if index != self._current_turn:
            self._current_turn = index
            self._show_turn(index)
            if index is not None and self.act_follow.isChecked() and self.panel.is_playing():
                self._scroll_to_turn(index)

    def current_turn(self) -> tuple[int, int] | None:
        """The highlighted turn (code points), or None."""
        if self._current_turn is None:
            return None
        turn = self.timeline.turns[self._current_turn]
        return turn.start, turn.end

    def _show_turn(self, index: int | None) -> None:
        view = self.window.transcript
        if index is None:
            view.setExtraSelections([])
            return
        turn = self.timeline.turns[index]
        selection = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(CURRENT_TURN_COLOUR)
        selection.format = fmt
        cursor = QTextCursor(view.document())
        last = view.document().characterCount() - 1
        cursor.setPosition(min(view.offsets.to_qt(turn.start), last))
        cursor.setPosition(min(view.offsets.to_qt(turn.end), last), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        view.setExtraSelections([selection])

    def _scroll_to_turn(self, index: int) -> None:
        view = self.window.transcript
        qt_pos = view.offsets.to_qt(self.timeline.turns[index].start)
        top = view.cursorForPosition(view.viewport().rect().topLeft()).position()
        bottom = view.cursorForPosition(view.viewport().rect().bottomRight()).position()
        if not top <= qt_pos <= bottom:
            # the scroll bar counts laid-out lines: put the turn's first line a third of the way down
            # (the text cursor, the reader's place, stays where it is)
            block = view.document().findBlock(qt_pos)
            line = block.firstLineNumber() + block.layout().lineForTextPosition(qt_pos - block.position()).lineNumber() \
                if block.layout() is not None and block.layout().lineCount() else block.firstLineNumber()
            line_height = max(1, view.fontMetrics().lineSpacing())
            bar = view.verticalScrollBar()
            bar.setValue(max(0, line - view.viewport().height() // line_height // 3))


def install(window: "WindowServices") -> MediaFeature:
    return MediaFeature(window)
