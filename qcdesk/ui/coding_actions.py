"""Coding in the transcript: the selected text coded with a code (Ctrl+E, a double-click in the
codebook), in vivo (Ctrl+I), a coding removed (Ctrl+Shift+E), and the transcript's context menu.

Each change runs as one undo command (``ui/commands/codings.py``) through the window's undo
controller. The window (:class:`~qcdesk.ui.main_window.MainWindow`) owns one and keeps
``apply_code``, ``apply_current_code``, ``in_vivo`` and ``remove_coding`` as its own methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu

from qcdesk.ui import dialogs
from qcdesk.ui.commands import codings as coding_cmd

if TYPE_CHECKING:
    from PySide6.QtCore import QPoint

    from qcdesk.ui.main_window import MainWindow


class CodingActions:
    """Applying and removing codings of the open document's selected text."""

    def __init__(self, window: MainWindow):
        self.window = window
        #: the in-vivo code made last, while it is selected: the next one goes beside it
        self.last_in_vivo: int | None = None

    def selection_or_warn(self) -> tuple[int, int] | None:
        w = self.window
        if w.project is None or w.transcript.document_id is None:
            return None
        selected = w.transcript.selected_range()
        if selected is None:
            w.statusBar().showMessage("Select some text in the transcript first.", 5000)
        return selected

    def apply_code(self, code_id: int) -> bool:
        """Code the selected text with ``code_id``."""
        w = self.window
        selected = self.selection_or_warn()
        if selected is None or w.project is None or w.transcript.document_id is None:
            return False
        done = w.undo.run(coding_cmd.apply_code(w.project, w.transcript.document_id, code_id, *selected,
                                                code_name=w.project.code(code_id).name))
        if done:
            w.codeApplied.emit(code_id)
        return done

    def apply_current_code(self) -> bool:
        code_id = self.window.codebook.current_code_id()
        if code_id is None:
            self.window.statusBar().showMessage("Select a code in the codebook first.", 5000)
            return False
        return self.apply_code(code_id)

    def in_vivo(self) -> bool:
        w = self.window
        selected = self.selection_or_warn()
        if selected is None or w.project is None or w.transcript.document_id is None:
            return False
        command = coding_cmd.in_vivo(w.project, w.transcript.document_id, *selected,
                                     parent_id=self.in_vivo_parent())
        if w.undo.run(command):
            code, _coding = command.value
            w.codebook.select_code(code.id)
            self.last_in_vivo = code.id
            return True
        return False

    def in_vivo_parent(self) -> int | None:
        """An in-vivo code goes under the code selected in the codebook; when that is the in-vivo
        code just made (selected for the coder to see it), beside it, so a run of in-vivo codes
        are siblings rather than each nested in the one before."""
        w = self.window
        current = w.codebook.current_code_id()
        if current is None or w.project is None:
            return None
        code = w.project.code(current)
        if current == self.last_in_vivo:
            return code.parent_id
        return current

    def remove_coding(self, coding_id: int | None = None) -> bool:
        """Remove ``coding_id``, or the coding at the cursor (asking which when several are there)."""
        w = self.window
        project = w.project
        if project is None:
            return False
        if coding_id is None:
            candidates = w.transcript.codings_at_cursor()
            current = w.codebook.current_code_id()
            # the selected code's coding first; still asked when several are here (it may be hidden)
            candidates = sorted(candidates, key=lambda c: c.code_id != current)
            if not candidates:
                w.statusBar().showMessage("There is no coding at the cursor to remove.", 5000)
                return False
            if len(candidates) > 1:
                names = [project.code(c.code_id).name for c in candidates]
                picked = dialogs.choose(w, "Remove coding", "Remove which coding?", names)
                if picked is None:
                    return False
                candidates = [candidates[picked]]
            coding_id = candidates[0].id
        name = project.code(project.coding(coding_id).code_id).name
        return w.undo.run(coding_cmd.remove_coding(project, coding_id, name))

    def select_coding(self, coding_id: int) -> None:
        """A stripe in the margin was clicked: select its coding's words and its code."""
        w = self.window
        coding = w.project.coding(coding_id) if w.project else None
        if coding is not None:
            w.transcript.select_range(coding.start, coding.end)
            w.codebook.select_code(coding.code_id)

    def transcript_menu(self, pos: QPoint) -> None:
        """The transcript's context menu: apply, in vivo, remove a coding here, and what features add."""
        w = self.window
        project = w.project
        if project is None or w.transcript.document_id is None:
            return
        menu = QMenu(w)
        current = w.codebook.current_code_id()
        if current is not None:
            w.act_apply.setText(f"Apply “{project.code(current).name}”")
        menu.addActions([w.act_apply, w.act_invivo])
        codings = w.transcript.codings_at_cursor()
        if codings:
            sub = menu.addMenu("Remove coding")
            for coding in codings:
                act = sub.addAction(project.code(coding.code_id).name)
                act.triggered.connect(lambda _=False, cid=coding.id: self.remove_coding(cid))
        w.transcriptMenuAboutToShow.emit(menu, codings)
        menu.exec(w.transcript.mapToGlobal(pos))
        w.act_apply.setText("&Apply selected code")
