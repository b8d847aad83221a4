"""Project ▸ Pseudonymise: the key of originals and pseudonyms, suggested names, applying the key
to every transcript, and keeping the key apart from the project (an encrypted key file).

Applying is not undoable by design: an undo entry would have to hold the real text. So the
window's undo history is cleared afterwards, and the confirmation says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QDialog, QDialogButtonBox, QHBoxLayout,
                               QHeaderView, QInputDialog, QLabel, QLineEdit, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from qcdesk.core import earlier_copies, encryption
from qcdesk.core import pseudonyms as ps
from qcdesk.core.errors import QcdeskError
from qcdesk.ui import dialogs

if TYPE_CHECKING:
    from qcdesk.ui.main_window import MainWindow

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
ORIGINAL, PSEUDONYM, NOTE, FOUND = range(4)
FIELDS = {ORIGINAL: "original", PSEUDONYM: "pseudonym", NOTE: "note"}
KEY_FILTER = "qcdesk pseudonym key (*.qckey);;All files (*)"


class PseudonymiseDialog(QDialog):
    def __init__(self, window: "MainWindow", parent: QWidget | None = None):
        super().__init__(parent or window)
        self.window = window
        self.project = window.project
        self.setObjectName("pseudonymiseDialog")
        self.setWindowTitle("Pseudonymise")
        self.resize(760, 520)
        self._filling = False

        intro = QLabel("List the real names and places to replace, and the pseudonym for each. "
                       "Whole words are replaced, longest first, in any letter case (a name written "
                       "in capitals gets the pseudonym in capitals). Rows without a pseudonym are "
                       "not applied.")
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("pseudonymTable")
        self.table.setHorizontalHeaderLabels(["Original", "Pseudonym", "Note", "Found"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        for col, mode in ((ORIGINAL, QHeaderView.ResizeMode.Stretch), (PSEUDONYM, QHeaderView.ResizeMode.Stretch),
                          (NOTE, QHeaderView.ResizeMode.Stretch), (FOUND, QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(col, mode)
        self.table.itemChanged.connect(self._item_changed)

        def button(text: str, name: str, slot) -> QPushButton:
            b = QPushButton(text)
            b.setObjectName(name)
            b.clicked.connect(lambda _checked=False: slot())
            return b

        self.add_button = button("Add", "addPseudonym", self.add_row)
        self.remove_button = button("Remove", "removePseudonym", self.remove_selected)
        self.suggest_button = button("Suggest names", "suggestNames", self.suggest)
        self.apply_button = button("Apply to all documents…", "applyPseudonyms", self.apply)
        self.export_button = button("Export key…", "exportKey", self.export_key)
        self.import_button = button("Import key…", "importKey", self.import_key)
        self.remove_key_button = button("Remove key from project…", "removeKey", self.remove_key)
        self.status = QLabel()
        self.status.setObjectName("pseudonymStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        edit_row = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.suggest_button):
            edit_row.addWidget(b)
        edit_row.addStretch(1)
        edit_row.addWidget(self.apply_button)
        key_row = QHBoxLayout()
        key_row.addWidget(QLabel("Key:"))
        for b in (self.export_button, self.import_button, self.remove_key_button):
            key_row.addWidget(b)
        key_row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(edit_row)
        layout.addLayout(key_row)
        layout.addWidget(self.status)
        layout.addWidget(close)
        for b in (self.add_button, self.remove_button, self.apply_button, self.import_button,
                  self.remove_key_button):
            b.setEnabled(not self.project.read_only)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers if self.project.read_only
                                   else QAbstractItemView.EditTrigger.AllEditTriggers)
        self.reload()

    def showEvent(self, event) -> None:  # noqa: N802 - the key may have changed meanwhile
        self.reload()
        super().showEvent(event)

    # ------------------------------------------------------------------ table
    def reload(self, suggestions: list[ps.Candidate] | None = None) -> None:
        """The key as stored, then any suggestions not in it yet (unsaved, in grey)."""
        self._filling = True
        self.table.setRowCount(0)
        for e in ps.entries(self.project):
            self._append(e.id, e.original, e.pseudonym, e.note)
        known = {e.original for e in ps.entries(self.project)}
        for c in suggestions or []:
            if c.text not in known:
                row = self._append(None, c.text, "", "")
                found = self.table.item(row, FOUND)
                found.setText(f"{c.count} in {c.documents} doc.")
                found.setToolTip({"title": "a title with a name", "speaker": "a speaker label",
                                  "name": "a capitalised word or phrase"}[c.kind])
        self._filling = False

    def _append(self, entry_id: int | None, original: str, pseudonym: str, note: str) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for col, text in ((ORIGINAL, original), (PSEUDONYM, pseudonym), (NOTE, note), (FOUND, "")):
            item = QTableWidgetItem(text)
            if col == FOUND:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if entry_id is None:
                item.setForeground(QColor("#777777"))
            self.table.setItem(row, col, item)
        self.table.item(row, ORIGINAL).setData(ENTRY_ROLE, entry_id)
        return row

    def rows(self) -> list[tuple[str, str, str, str]]:
        """What the table shows: (original, pseudonym, note, found)."""
        return [tuple(self.table.item(r, c).text() for c in range(4)) for r in range(self.table.rowCount())]

    def row_of(self, original: str) -> int:
        return next(r for r in range(self.table.rowCount()) if self.table.item(r, ORIGINAL).text() == original)

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() == FOUND:
            return
        row = item.row()
        entry_id = self.table.item(row, ORIGINAL).data(ENTRY_ROLE)
        values = {field: self.table.item(row, col).text() for col, field in FIELDS.items()}
        try:
            if entry_id is not None:
                ps.update_entry(self.project, entry_id, **{FIELDS[item.column()]: item.text()})
            elif values["original"].strip() and (values["pseudonym"].strip() or item.column() != ORIGINAL):
                saved = ps.add_entry(self.project, values["original"], values["pseudonym"], values["note"])
                self._filling = True
                self.table.item(row, ORIGINAL).setData(ENTRY_ROLE, saved.id)
                for col in range(4):
                    self.table.item(row, col).setForeground(self.palette().text().color())
                self._filling = False
        except QcdeskError as exc:
            dialogs.error(self, "Pseudonymise", str(exc))
            self.reload()

    def add_row(self) -> None:
        self._filling = True
        row = self._append(None, "", "", "")
        self._filling = False
        self.table.setCurrentCell(row, ORIGINAL)
        self.table.editItem(self.table.item(row, ORIGINAL))

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedItems()}, reverse=True)
        for row in rows:
            entry_id = self.table.item(row, ORIGINAL).data(ENTRY_ROLE)
            if entry_id is not None:
                ps.delete_entry(self.project, entry_id)
            self.table.removeRow(row)

    def suggest(self) -> int:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            found = ps.suggest_candidates(self.project)
        finally:
            QApplication.restoreOverrideCursor()
        self.reload(found)
        self.status.setText(f"{len(found)} possible names and places found (grey rows). Type a pseudonym for each "
                            "one to replace; leave the others empty." if found else
                            "No further names or places were found.")
        return len(found)

    # ------------------------------------------------------------------ applying
    def apply(self) -> bool:
        key = [e for e in ps.entries(self.project) if e.pseudonym.strip()]
        if not key:
            dialogs.info(self, "Pseudonymise", "No original has a pseudonym yet: fill in the Pseudonym column.")
            return False
        n_docs = len(self.project.documents())
        if not dialogs.confirm(self, "Apply pseudonyms",
                               f"Replace {len(key)} name(s) and place(s) by their pseudonyms in all {n_docs} "
                               "documents, including speaker labels?\n\nThis cannot be undone: the "
                               "original text is removed from the project file, and the undo history is "
                               "cleared. Export the key first if you may need to re-identify anyone."):
            return False
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            report = ps.apply_pseudonyms(self.project)
        except QcdeskError as exc:
            dialogs.error(self, "Apply pseudonyms", str(exc))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self.window.undo_stack.clear()  # its entries would hold the real text
        removal = self._offer_to_remove_copies(report)
        text = report.text()
        if removal is not None:
            text = "\n".join([text, *removal.lines()])
        self.status.setText(text)
        dialogs.info(self, "Pseudonyms applied", text)
        return True

    def _offer_to_remove_copies(self, report: ps.PseudonymReport) -> earlier_copies.CopiesReport | None:
        """Backups made before still hold the real names: offer to overwrite and delete them."""
        copies = report.earlier_copies
        if not copies:
            return None
        n = len(copies)
        if not dialogs.confirm(self, "Backups made before",
                               f"{n} backup{'' if n == 1 else 's'} of this project made before "
                               f"pseudonymising still hold{'s' if n == 1 else ''} the original names "
                               f"(in {' and '.join(sorted({str(p.parent) for p in copies}))}).\n\n"
                               "Remove them now? They are overwritten, then deleted, and can no longer "
                               "be restored. Keep them only if you may need to re-identify anyone."):
            return None
        removal = earlier_copies.remove_copies(copies)
        report.earlier_copies = [path for path, _why in removal.failed]
        return removal

    # ------------------------------------------------------------------ the key file
    def _ask_secret(self, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, "Key passphrase", label, QLineEdit.EchoMode.Password)
        return text if ok else None

    def _ask_new_passphrase(self) -> str | None:
        first = self._ask_secret("Passphrase to protect the key file:")
        if not first:
            return None
        try:
            encryption.check_new_passphrase(first)
        except QcdeskError as exc:
            dialogs.error(self, "Export key", f"{exc} The key was not exported.")
            return None
        if self._ask_secret("The same passphrase again:") != first:
            dialogs.error(self, "Export key", "The two passphrases differ; the key was not exported.")
            return None
        return first

    def export_key(self) -> bool:
        suggested = Path(self.window.settings.last_folder()) / f"{self.project.path.stem}.qckey"
        path = dialogs.ask_save_file(self, "Export key", suggested, KEY_FILTER, ".qckey")
        if path is None:
            return False
        passphrase = self._ask_new_passphrase()
        if passphrase is None:
            return False
        try:
            n = ps.export_key(self.project, path, passphrase)
        except (QcdeskError, OSError) as exc:
            dialogs.error(self, "Export key", str(exc))
            return False
        self.window.settings.set_last_folder(path.parent)
        self.status.setText(f"The key ({n} entries) was written to {path}, encrypted with the passphrase. "
                            "Keep the file and the passphrase apart from the project.")
        return True

    def import_key(self) -> bool:
        chosen = dialogs.ask_open_path(self, "Import key", self.window.settings.last_folder(), KEY_FILTER)
        if not chosen:
            return False
        passphrase = self._ask_secret("Passphrase of the key file:")
        if passphrase is None:
            return False
        try:
            n = ps.import_key(self.project, chosen, passphrase)
        except QcdeskError as exc:
            dialogs.error(self, "Import key", str(exc))
            return False
        self.reload()
        self.status.setText(f"{n} key entries imported.")
        return True

    def remove_key(self) -> bool:
        if not dialogs.confirm(self, "Remove key from project",
                               "Delete every original and pseudonym from this project? Without an "
                               "exported key file nobody can re-identify the transcripts afterwards. "
                               "This cannot be undone."):
            return False
        n = ps.remove_key(self.project)
        self.reload()
        self.status.setText(f"{n} key entries were removed from the project.")
        return True
