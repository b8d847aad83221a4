"""Project ▸ Speakers… and Project ▸ Pseudonymise…: the two ways the window edits transcript text.

Each opens a non-modal dialog over the open project (one at a time, closed with the project).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

from qcdesk.ui.pseudonymise_dialog import PseudonymiseDialog
from qcdesk.ui.speakers_dialog import SpeakersDialog

if TYPE_CHECKING:
    from qcdesk.ui.window_services import WindowServices


class TextEditActions:
    def __init__(self, window: "WindowServices"):
        self.window = window
        self.speakers_dialog: SpeakersDialog | None = None
        self.pseudonymise_dialog: PseudonymiseDialog | None = None
        self.act_speakers = self._action("&Speakers…", "actionSpeakers", self.open_speakers,
                                         "Rename speaker labels and code every turn of a speaker")
        self.act_pseudonymise = self._action("&Pseudonymise…", "actionPseudonymise", self.open_pseudonymise,
                                             "Replace real names and places by pseudonyms in every transcript")
        window.project_menu.addSeparator()
        window.project_menu.addActions([self.act_speakers, self.act_pseudonymise])
        window.projectOpened.connect(self.update_enabled)
        window.projectClosed.connect(self._project_closed)
        self.update_enabled()

    def _action(self, text: str, name: str, slot, tip: str) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(name)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def update_enabled(self, *_args) -> None:
        has = self.window.project is not None
        self.act_speakers.setEnabled(has)
        self.act_pseudonymise.setEnabled(has)

    def _project_closed(self) -> None:
        for dialog in (self.speakers_dialog, self.pseudonymise_dialog):
            if dialog is not None:
                dialog.reject()
                dialog.deleteLater()
        self.speakers_dialog = self.pseudonymise_dialog = None
        self.update_enabled()

    def _show(self, dialog):
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def open_speakers(self) -> SpeakersDialog | None:
        if self.window.project is None:
            return None
        if self.speakers_dialog is None or self.speakers_dialog.project is not self.window.project:
            self.speakers_dialog = SpeakersDialog(self.window)
        return self._show(self.speakers_dialog)

    def open_pseudonymise(self) -> PseudonymiseDialog | None:
        if self.window.project is None:
            return None
        if self.pseudonymise_dialog is None or self.pseudonymise_dialog.project is not self.window.project:
            self.pseudonymise_dialog = PseudonymiseDialog(self.window)
        return self._show(self.pseudonymise_dialog)


def install(window: "WindowServices") -> TextEditActions:
    return TextEditActions(window)
