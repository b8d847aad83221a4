"""The project's documents: choose one to read and code it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QMenu, QVBoxLayout, QWidget

from qcdesk.core.project import Project

DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class DocumentsPanel(QWidget):
    documentSelected = Signal(object)  # document id or None
    #: (QMenu, document id) before the list's context menu shows: feature modules add their entries
    contextMenuAboutToShow = Signal(object, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.project: Project | None = None
        self.list = QListWidget()
        self.list.setObjectName("documentList")
        self.list.setUniformItemSizes(True)
        self.list.currentItemChanged.connect(self._current_changed)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._show_context_menu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list)

    def set_project(self, project: Project | None) -> None:
        self.project = project
        self.refresh()

    def refresh(self) -> None:
        current = self.current_document_id()
        self.list.blockSignals(True)
        self.list.clear()
        if self.project is not None:
            counts: dict[int, int] = {}
            for (_code, doc), n in self.project.counts_by_code_and_document().items():
                counts[doc] = counts.get(doc, 0) + n
            for doc in self.project.documents():
                item = QListWidgetItem(doc.name)
                item.setData(DOC_ID_ROLE, doc.id)
                item.setToolTip(f"{doc.name}\n{doc.source_format} · {doc.char_count:,} characters · "
                                f"{counts.get(doc.id, 0)} codings\nimported {doc.imported_at[:10]}")
                self.list.addItem(item)
        self.list.blockSignals(False)
        if current is not None and not self.select(current):
            self.documentSelected.emit(None)

    def current_document_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(DOC_ID_ROLE) if item else None

    def select(self, document_id: int) -> bool:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(DOC_ID_ROLE) == document_id:
                if self.list.currentItem() is not item:
                    self.list.setCurrentItem(item)
                return True
        return False

    def names(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]

    def _current_changed(self, current: QListWidgetItem | None, _previous: object) -> None:
        self.documentSelected.emit(current.data(DOC_ID_ROLE) if current else None)

    def _show_context_menu(self, pos) -> None:
        item = self.list.itemAt(pos)
        if item is None:
            return
        self.list.setCurrentItem(item)
        menu = QMenu(self)
        self.contextMenuAboutToShow.emit(menu, item.data(DOC_ID_ROLE))
        if not menu.isEmpty():
            self._exec_menu(menu, self.list.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _exec_menu(self, menu: QMenu, global_pos) -> None:
        menu.exec(global_pos)
