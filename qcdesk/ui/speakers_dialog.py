"""Project ▸ Speakers: the speaker labels of the transcripts, renamed in place, and coding all of
one speaker's turns at once. Both are undoable commands; the table follows the project."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox,
                               QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from qcdesk.core.models import Changes
from qcdesk.core.speakers import code_speaker_turns, rename_speaker, speakers
from qcdesk.ui import dialogs
from qcdesk.ui.commands import CoreCommand

if TYPE_CHECKING:
    from qcdesk.ui.main_window import MainWindow

SPEAKER_ROLE = Qt.ItemDataRole.UserRole + 1


class SpeakersDialog(QDialog):
    def __init__(self, window: "MainWindow", parent: QWidget | None = None):
        super().__init__(parent or window)
        self.window = window
        self.project = window.project
        self.setObjectName("speakersDialog")
        self.setWindowTitle("Speakers")
        self.resize(520, 420)
        self._filling = False

        self.scope = QComboBox()
        self.scope.setObjectName("speakerScope")
        self.scope.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("speakerTable")
        self.table.setHorizontalHeaderLabels(["Speaker", "Turns", "Documents"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._item_changed)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.rename_button = QPushButton("Rename…")
        self.rename_button.setObjectName("renameSpeaker")
        self.rename_button.clicked.connect(self._start_rename)
        self.code_button = QPushButton("Code every turn of this speaker with…")
        self.code_button.setObjectName("codeSpeakerTurns")
        self.code_button.clicked.connect(self.code_turns)
        self.include_label = QCheckBox("Include the speaker label in the coding")
        self.include_label.setObjectName("includeLabel")
        self.status = QLabel()
        self.status.setObjectName("speakerStatus")
        self.status.setWordWrap(True)

        hint = QLabel("Double-click a name to rename that speaker in the transcripts. Renaming and "
                      "coding can be undone with Edit ▸ Undo.")
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        scope_row = QHBoxLayout()
        scope_row.addWidget(QLabel("Show speakers in:"))
        scope_row.addWidget(self.scope, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.rename_button)
        buttons.addWidget(self.code_button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(scope_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addLayout(buttons)
        layout.addWidget(self.include_label)
        layout.addWidget(self.status)
        layout.addWidget(close)

        self._subscribed = False
        self._fill_scope()
        self.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - follow the project only while shown
        if not self._subscribed:
            self.project.subscribe(self._on_changes)
            self._subscribed = True
            self._fill_scope()
            self.refresh()
        super().showEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802
        self.project.unsubscribe(self._on_changes)
        self._subscribed = False
        super().hideEvent(event)

    # ------------------------------------------------------------------ content
    def _fill_scope(self) -> None:
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem("All documents", None)
        doc_id = self.window.transcript.document_id
        if doc_id is not None:
            self.scope.addItem(f"The open document: {self.project.document(doc_id).name}", doc_id)
        self.scope.blockSignals(False)

    def document_ids(self) -> list[int] | None:
        doc_id = self.scope.currentData()
        return None if doc_id is None else [doc_id]

    def refresh(self) -> None:
        current = self.current_speaker()
        self._filling = True
        doc_ids = self.document_ids()
        rows = speakers(self.project, doc_ids[0] if doc_ids else None)
        self.table.setRowCount(len(rows))
        for r, (speaker, turns, documents) in enumerate(rows):
            name = QTableWidgetItem(speaker)
            name.setData(SPEAKER_ROLE, speaker)
            name.setToolTip(f"{speaker}: {turns} turns in {documents} document(s)")
            self.table.setItem(r, 0, name)
            for col, value in ((1, turns), (2, documents)):
                item = QTableWidgetItem(str(value))
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, col, item)
        self._filling = False
        if not rows:
            self.status.setText("No speaker turns were recognised in these documents.")
        if current is not None:
            self.select_speaker(current)
        self._update_buttons()

    def speakers_shown(self) -> list[tuple[str, int, int]]:
        return [(self.table.item(r, 0).data(SPEAKER_ROLE), int(self.table.item(r, 1).text()),
                 int(self.table.item(r, 2).text())) for r in range(self.table.rowCount())]

    def current_speaker(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.data(SPEAKER_ROLE) if item is not None else None

    def select_speaker(self, speaker: str) -> bool:
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).data(SPEAKER_ROLE) == speaker:
                self.table.setCurrentCell(r, 0)
                return True
        return False

    def _update_buttons(self) -> None:
        has = self.current_speaker() is not None and not self.project.read_only
        self.rename_button.setEnabled(has)
        self.code_button.setEnabled(has)

    def _on_changes(self, changes: Changes) -> None:
        if changes.documents or changes.document_list:
            self.refresh()

    # ------------------------------------------------------------------ actions
    def _start_rename(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.editItem(self.table.item(row, 0))

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 0:
            return
        old, new = item.data(SPEAKER_ROLE), item.text()
        if new.strip() == old:
            return
        self.rename(old, new)

    def rename(self, old: str, new: str) -> bool:
        ids = self.document_ids()
        done = self.window.undo.run(CoreCommand(f"Rename speaker “{old}” to “{new.strip()}”",
                                                lambda: rename_speaker(self.project, old, new, ids)))
        if done:
            self.status.setText(f"“{old}” is now “{' '.join(new.split())}”.")
            self.select_speaker(" ".join(new.split()))
        else:
            self.refresh()  # show the old name again
        return done

    def _ask_code(self) -> int | None:
        tree = self.project.codes_in_tree_order()
        if not tree:
            dialogs.info(self, "Code turns", "The codebook is empty: add a code first.")
            return None
        labels = ["    " * depth + code.name for code, depth in tree]
        current = self.window.codebook.current_code_id()
        if current is not None:  # offer the code selected in the codebook first
            index = next(i for i, (code, _d) in enumerate(tree) if code.id == current)
            labels.insert(0, labels.pop(index))
            tree.insert(0, tree.pop(index))
        picked = dialogs.choose(self, "Code turns", f"Code every turn of “{self.current_speaker()}” with:",
                                labels)
        return None if picked is None else tree[picked][0].id

    def code_turns(self) -> bool:
        speaker = self.current_speaker()
        if speaker is None:
            return False
        code_id = self._ask_code()
        if code_id is None:
            return False
        ids, label = self.document_ids(), self.include_label.isChecked()
        command = CoreCommand(f"Code the turns of “{speaker}” with “{self.project.code(code_id).name}”",
                              lambda: code_speaker_turns(self.project, speaker, code_id, ids, label))
        if not self.window.undo.run(command):
            return False
        name = self.project.code(code_id).name
        n = len(command.value)  # type: ignore[arg-type]
        self.status.setText(f"Coded {n} turn(s) of “{speaker}” with “{name}”." if n else
                            f"Every turn of “{speaker}” was already coded with “{name}”.")
        return True
