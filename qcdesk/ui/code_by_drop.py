"""Coding by dragging: a selection dragged out of the transcript and dropped on a code in the
codebook (or on a code of the Recent codes bar) is coded with it, one undo step, as a double-click
on the code would. The passage travels as :data:`PASSAGE_MIME` (document and code points)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint
from PySide6.QtGui import QDragMoveEvent, QDropEvent

from qcdesk.ui.commands import codings as coding_cmd
from qcdesk.ui.transcript_view import passage_of

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices

_DRAG_EVENTS = (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop)


class CodeByDrop(QObject):
    def __init__(self, window: "WindowServices"):
        super().__init__(window)
        self.window = window
        self.tree = window.codebook.view
        self.tree.viewport().installEventFilter(self)
        self.bar = window.quick_codes.bar  # installed before this feature
        self.bar.setAcceptDrops(True)
        self.bar.installEventFilter(self)

    # ------------------------------------------------------------------ where it lands
    def code_at(self, watched: QObject, pos: QPoint) -> int | None:
        """The code under ``pos`` of the codebook tree or the Recent codes bar, if any."""
        if watched is self.tree.viewport():
            index, codebook = self.tree.indexAt(pos), self.window.codebook
            return codebook.mirror.code_id(index)
        if watched is self.bar:
            action = self.bar.actionAt(pos)
            quick = self.window.quick_codes
            if action in quick.actions:
                slot = quick.actions.index(action)
                return quick.recent[slot] if slot < len(quick.recent) else None
        return None

    def _writable(self) -> bool:
        project = self.window.project
        return project is not None and not project.read_only

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() not in _DRAG_EVENTS or not isinstance(event, (QDragMoveEvent, QDropEvent)):
            return False
        passage = passage_of(event.mimeData())
        if passage is None:
            return False  # not ours: the tree's own drag of codes goes on as before
        code_id = self.code_at(watched, event.position().toPoint()) if self._writable() else None
        if event.type() == QEvent.Type.DragEnter:
            event.acceptProposedAction() if self._writable() else event.ignore()
            return True
        if code_id is None or not self.window.project.code(code_id).codable:
            event.ignore()
            return True
        if event.type() == QEvent.Type.DragMove:
            event.acceptProposedAction()
            return True
        event.acceptProposedAction()
        self.code_passage(code_id, *passage)
        return True

    def code_passage(self, code_id: int, document_id: int, start: int, end: int) -> bool:
        win = self.window
        if win.project is None or document_id not in {d.id for d in win.project.documents()}:
            return False
        done = win.undo.run(coding_cmd.apply_code(win.project, document_id, code_id, start, end,
                                                  code_name=win.project.code(code_id).name))
        if done:
            win.codeApplied.emit(code_id)
        return done


def install(window: "WindowServices") -> CodeByDrop:
    return CodeByDrop(window)
