"""Every question and message the window puts to the user, in one place.

Tests patch these functions (or QMessageBox) so nothing ever blocks on a modal dialog.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QFileInfo, QMimeDatabase
from PySide6.QtGui import QAbstractFileIconProvider
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFileIconProvider,
    QInputDialog,
    QMessageBox,
    QWidget,
)

from qcdesk import PROJECT_SUFFIX


def error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.critical(parent, title, text)


def warning(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_text(parent: QWidget | None, title: str, label: str, initial: str = "") -> str | None:
    text, ok = QInputDialog.getText(parent, title, label, text=initial)
    return text if ok else None


def choose(parent: QWidget | None, title: str, label: str, items: list[str]) -> int | None:
    item, ok = QInputDialog.getItem(parent, title, label, items, 0, False)
    return items.index(item) if ok and item in items else None


class NameOnlyIcons(QFileIconProvider):
    """Icons and type names for a file dialog from file names alone, never from file contents.

    Qt's own provider reads the first bytes of a file whose name it does not know (a project,
    its ``-wal`` and ``-shm``) to guess its type. Closing that descriptor drops every POSIX lock
    this process holds on the file, SQLite's included, so merely listing the open project's
    folder let another program delete the WAL the window was writing to.
    """

    def __init__(self) -> None:
        super().__init__()
        self.setOptions(QAbstractFileIconProvider.Option.DontUseCustomDirectoryIcons)
        # made here, in the window's thread; the dialog asks from its file-listing thread
        self._file = super().icon(QAbstractFileIconProvider.IconType.File)
        self._folder = super().icon(QAbstractFileIconProvider.IconType.Folder)
        self._mime = QMimeDatabase()

    def icon(self, what):  # noqa: ANN001, ANN201 - Qt's overloads: an IconType or a QFileInfo
        if isinstance(what, QFileInfo):
            return self._folder if what.isDir() else self._file
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        name = info.fileName()
        if name.lower().endswith(PROJECT_SUFFIX):
            return "qcdesk project"
        if name.lower().endswith((PROJECT_SUFFIX + "-wal", PROJECT_SUFFIX + "-shm")):
            return "qcdesk project journal"
        found = self._mime.mimeTypesForFileName(name)
        if found and found[0].comment():
            return found[0].comment()
        return f"{info.suffix().upper()} file" if info.suffix() else "File"


_ICONS: NameOnlyIcons | None = None

#: native dialogs on Linux and macOS run in this process and read files to show their types
#: and previews, with the same effect on SQLite's locks; Windows' locks belong to a handle,
#: and closing another handle does not drop them
_NATIVE = sys.platform == "win32"


def file_dialog(parent: QWidget | None, title: str, folder: str, filters: str) -> QFileDialog:
    """A file dialog that lists folders without opening the files in them."""
    global _ICONS
    if _ICONS is None:
        _ICONS = NameOnlyIcons()
    dialog = QFileDialog(parent, title, folder, filters)
    if not _NATIVE:
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setOption(QFileDialog.Option.DontUseCustomDirectoryIcons)
    dialog.setIconProvider(_ICONS)
    return dialog


def _ask(parent: QWidget | None, title: str, folder: str, filters: str,
         mode: QFileDialog.FileMode, accept: QFileDialog.AcceptMode) -> list[str]:
    dialog = file_dialog(parent, title, folder, filters)
    dialog.setFileMode(mode)
    dialog.setAcceptMode(accept)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return []
        return list(dialog.selectedFiles())
    finally:
        dialog.deleteLater()


def ask_open_path(parent: QWidget | None, title: str, folder: str, filters: str) -> str | None:
    chosen = _ask(parent, title, folder, filters, QFileDialog.FileMode.ExistingFile,
                  QFileDialog.AcceptMode.AcceptOpen)
    return chosen[0] if chosen else None


def ask_open_paths(parent: QWidget | None, title: str, folder: str, filters: str) -> list[str]:
    return _ask(parent, title, folder, filters, QFileDialog.FileMode.ExistingFiles,
                QFileDialog.AcceptMode.AcceptOpen)


def ask_save_path(parent: QWidget | None, title: str, folder: str, filters: str) -> str | None:
    chosen = _ask(parent, title, folder, filters, QFileDialog.FileMode.AnyFile,
                  QFileDialog.AcceptMode.AcceptSave)
    return chosen[0] if chosen else None


def forced_suffix(path: str | Path, suffixes: str | Sequence[str], *, match_case: bool = False) -> Path:
    """``path`` when it ends in one of ``suffixes`` (in any letter case unless ``match_case``),
    else ``path`` with the first of them added: "report" and "report.v2" become "report.docx"
    and "report.v2.docx"."""
    path = Path(path)
    allowed = [suffixes] if isinstance(suffixes, str) else list(suffixes)
    ending = path.suffix if match_case else path.suffix.lower()
    return path if ending in allowed else path.with_name(path.name + allowed[0])


def ask_save_file(parent: QWidget | None, title: str, suggested: str | Path, filters: str,
                  suffixes: str | Sequence[str], *, match_case: bool = False) -> Path | None:
    """Ask where to write a file; the path chosen, with the suffix added when the user left it
    off (see :func:`forced_suffix`), or None when cancelled."""
    chosen = ask_save_path(parent, title, str(suggested), filters)
    return forced_suffix(chosen, suffixes, match_case=match_case) if chosen else None
