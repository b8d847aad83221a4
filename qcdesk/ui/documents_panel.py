"""The project's documents: choose one to read and code it; show one document set's documents."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QListWidget, QListWidgetItem, QMenu,
                               QToolButton, QVBoxLayout, QWidget)

from qcdesk.core.project import Project

DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1


class _DocumentItem(QListWidgetItem):
    """One document's row: its name, with what it is in the tooltip. The tooltip's count of
    codings is read when the tooltip is asked for (issue 19: counting every document's codings
    when the list is filled was a scan of all 250,000 codings at every opening)."""

    def __init__(self, doc, sets: list[str], project: Project):
        super().__init__(doc.name)
        self.setData(DOC_ID_ROLE, doc.id)
        self._doc, self._sets, self._project = doc, sets, project

    def data(self, role: int):  # noqa: D102 - Qt's
        if role != Qt.ItemDataRole.ToolTipRole:
            return super().data(role)
        doc = self._doc
        try:
            codings = self._project.coding_count(doc.id)
        except Exception:  # noqa: BLE001 - a closed project: no count rather than a broken tooltip
            return None
        in_sets = f"\nsets: {', '.join(self._sets)}" if self._sets else ""
        return (f"{doc.name}\n{doc.source_format} · {doc.char_count:,} characters · "
                f"{codings} codings\nimported {doc.imported_at[:10]}{in_sets}")


class DocumentsPanel(QWidget):
    documentSelected = Signal(object)  # document id or None
    #: (QMenu, document id) before the list's context menu shows: feature modules add their entries
    contextMenuAboutToShow = Signal(object, int)
    #: the "New set…" button (shown while there are no sets) was clicked
    newSetRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.project: Project | None = None
        self.list = QListWidget()
        self.list.setObjectName("documentList")
        self.list.setUniformItemSizes(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.currentItemChanged.connect(self._current_changed)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._show_context_menu)
        #: which documents the list shows: all, or one document set's
        self.set_box = QComboBox()
        self.set_box.setObjectName("documentSetFilter")
        self.set_box.setToolTip("Show all documents, or the documents of one set")
        self.set_box.currentIndexChanged.connect(lambda _i: self.refresh())
        #: the document-set actions (the sets feature fills the menu); while there are no sets
        #: the button makes one from the selected documents instead of opening an empty-ish menu
        self.sets_button = QToolButton()
        self.sets_button.setObjectName("documentSetsButton")
        self.sets_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.sets_menu = QMenu(self.sets_button)
        self.sets_button.clicked.connect(self._sets_button_clicked)
        self._show_sets_button(False)
        sets_row = QHBoxLayout()
        sets_row.setContentsMargins(0, 0, 0, 0)
        sets_row.addWidget(self.set_box, 1)
        sets_row.addWidget(self.sets_button)
        sets_row.addStretch(0)  # alone (no sets yet), the button sits at the left
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(sets_row)
        layout.addWidget(self.list)

    def set_project(self, project: Project | None) -> None:
        self.project = project
        self.set_box.blockSignals(True)
        self.set_box.setCurrentIndex(0)
        self.set_box.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        current = self.current_document_id()
        selected = set(self.selected_document_ids())
        groups = self.project.sets.with_documents() if self.project is not None else []
        shown_set = self._fill_sets(groups)
        self.list.blockSignals(True)
        self.list.clear()
        if self.project is not None:
            sets_of: dict[int, list[str]] = {}
            for group in groups:
                for doc_id in group.document_ids:
                    sets_of.setdefault(doc_id, []).append(group.set.name)
            members = next((set(g.document_ids) for g in groups if g.set.id == shown_set), None)
            for doc in self.project.documents():
                if members is not None and doc.id not in members:
                    continue
                item = _DocumentItem(doc, sets_of.get(doc.id, []), self.project)
                self.list.addItem(item)
                if doc.id in selected and doc.id != current:
                    item.setSelected(True)
        self.list.blockSignals(False)
        if current is not None and not self.select(current, keep_selection=True):
            # a document outside the set shown stays open; one that is gone closes
            if self.project is None or current not in {d.id for d in self.project.documents()}:
                self.documentSelected.emit(None)

    def show_added(self, document_ids: set[int]) -> bool:
        """Add rows for documents new to the project (just imported) at the end of the list.

        The current document stays current and is not selected again, so the open transcript
        is not reloaded (issue 19). False, with nothing changed, when that is not enough: a set
        is shown, a document is already listed (changed) or gone, or the new ones do not come
        last in the project's order; then :meth:`refresh` is needed.
        """
        if self.project is None or not document_ids or self.shown_set_id() is not None:
            return False
        listed = [self.list.item(i).data(DOC_ID_ROLE) for i in range(self.list.count())]
        if document_ids.intersection(listed):
            return False
        known = set(listed) | document_ids
        wanted = [d for d in self.project.documents() if d.id in known]
        added = wanted[len(listed):]
        if [d.id for d in wanted[:len(listed)]] != listed or {d.id for d in added} != document_ids:
            return False
        groups = self.project.sets.with_documents()
        self._fill_sets(groups)
        sets_of: dict[int, list[str]] = {}
        for group in groups:
            for doc_id in document_ids.intersection(group.document_ids):
                sets_of.setdefault(doc_id, []).append(group.set.name)
        self.list.blockSignals(True)
        for doc in added:
            self.list.addItem(_DocumentItem(doc, sets_of.get(doc.id, []), self.project))
        self.list.blockSignals(False)
        return True

    def _fill_sets(self, groups) -> int | None:
        """The set chooser lists the sets (hidden while there are none); returns the chosen set."""
        wanted = self.set_box.currentData()
        self.set_box.blockSignals(True)
        self.set_box.clear()
        self.set_box.addItem("All documents", None)
        for group in groups:
            self.set_box.addItem(f"{group.set.name} ({len(group.document_ids)})", group.set.id)
        found = self.set_box.findData(wanted) if wanted is not None else 0
        self.set_box.setCurrentIndex(max(0, found))
        self.set_box.blockSignals(False)
        self.set_box.setVisible(bool(groups))
        self.sets_button.setEnabled(self.project is not None)
        self._show_sets_button(bool(groups))
        return self.set_box.currentData()

    def _show_sets_button(self, have_sets: bool) -> None:
        if have_sets == (self.sets_button.menu() is not None) and self.sets_button.text():
            return
        self.sets_button.setMenu(self.sets_menu if have_sets else None)
        self.sets_button.setText("Sets" if have_sets else "New set…")
        self.sets_button.setToolTip("Rename or delete the set shown, or make a new one" if have_sets
                                    else "Make a document set from the selected documents")

    def _sets_button_clicked(self) -> None:
        if self.sets_button.menu() is None:
            self.newSetRequested.emit()

    def shown_set_id(self) -> int | None:
        """The set whose documents the list shows, or None for all documents."""
        return self.set_box.currentData()

    def show_set(self, set_id: int | None) -> bool:
        index = self.set_box.findData(set_id) if set_id is not None else 0
        if index < 0:
            return False
        self.set_box.setCurrentIndex(index)
        return True

    def current_document_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(DOC_ID_ROLE) if item else None

    def selected_document_ids(self) -> list[int]:
        """The selected documents in list order (the current one when none is selected)."""
        ids = [self.list.item(i).data(DOC_ID_ROLE) for i in range(self.list.count())
               if self.list.item(i).isSelected()]
        current = self.current_document_id()
        return ids or ([current] if current is not None else [])

    def select(self, document_id: int, *, keep_selection: bool = False) -> bool:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(DOC_ID_ROLE) == document_id:
                if self.list.currentItem() is not item:
                    if keep_selection:  # a refresh: the other selected documents stay selected
                        self.list.setCurrentItem(item, QItemSelectionModel.SelectionFlag.Select)
                    else:  # this document alone (setCurrentItem's default would keep the others selected)
                        self.list.setCurrentItem(item, QItemSelectionModel.SelectionFlag.ClearAndSelect)
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
        if item.isSelected():  # keep a multiple selection the menu is about
            self.list.setCurrentItem(item, QItemSelectionModel.SelectionFlag.NoUpdate)
        else:  # the menu is about this document alone
            self.list.setCurrentItem(item, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        menu = QMenu(self)
        self.contextMenuAboutToShow.emit(menu, item.data(DOC_ID_ROLE))
        if not menu.isEmpty():
            self._exec_menu(menu, self.list.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def _exec_menu(self, menu: QMenu, global_pos) -> None:
        menu.exec(global_pos)
