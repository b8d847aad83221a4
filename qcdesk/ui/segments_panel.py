"""The coded segments of the selected code across all documents; click one to jump there."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from qcdesk.core.models import Segment
from qcdesk.core.project import Project

EXCERPT = 160
RANGE_ROLE = Qt.ItemDataRole.UserRole + 1


def format_time(seconds: float | None) -> str:
    if seconds is None:
        return ""
    total = int(seconds)
    h, rem = divmod(total, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def where(segment: Segment) -> str:
    parts = []
    if segment.speaker:
        parts.append(segment.speaker)
    if segment.time_start is not None:
        parts.append(format_time(segment.time_start))
    if not parts and segment.paragraph:
        parts.append(f"¶ {segment.paragraph}")
    return " · ".join(parts)


class SegmentsPanel(QWidget):
    """Lists segments; ``segmentActivated(document_id, start, end)`` when one is clicked."""

    segmentActivated = Signal(int, int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.project: Project | None = None
        self.code_id: int | None = None
        #: coder ids whose segments are listed; None lists every coder's
        self.shown_coders: set[int] | None = None
        self.title = QLabel("Select a code to see its coded segments.")
        self.title.setObjectName("segmentsTitle")
        self.include_sub = QCheckBox("Include sub-codes")
        self.include_sub.setChecked(True)
        self.include_sub.toggled.connect(self.refresh)
        self.tree = QTreeWidget()
        self.tree.setObjectName("segmentsList")
        self.tree.setHeaderLabels(["Document", "Speaker / where", "Code", "Text"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.itemActivated.connect(self._activate)
        self.tree.itemClicked.connect(self._activate)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.include_sub)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.tree)

    def set_project(self, project: Project | None) -> None:
        self.project = project
        self.show_code(None)

    def show_code(self, code_id: int | None) -> None:
        self.code_id = code_id
        self.refresh()

    def refresh(self) -> None:
        self.tree.clear()
        if self.project is None or self.code_id is None:
            self.title.setText("Select a code to see its coded segments.")
            return
        project = self.project
        try:
            code = project.code(self.code_id)
        except Exception:  # noqa: BLE001 - the code was deleted meanwhile
            self.code_id = None
            self.title.setText("Select a code to see its coded segments.")
            return
        ids = project.subtree_ids(code.id) if self.include_sub.isChecked() else [code.id]
        names = {c.id: c.name for c in project.codes()}
        segments = project.segments(ids)
        if self.shown_coders is not None:  # View ▸ Show codings of
            segments = [s for s in segments if s.coding.coder_id in self.shown_coders]
        docs = {s.coding.document_id for s in segments}
        self.title.setText(f"“{code.name}”: {len(segments)} segment{'s' * (len(segments) != 1)} "
                           f"in {len(docs)} document{'s' * (len(docs) != 1)}")
        items = []
        for seg in segments:
            text = " ".join(seg.text.split())
            excerpt = text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"
            item = QTreeWidgetItem([seg.document_name, where(seg), names.get(seg.coding.code_id, ""), excerpt])
            item.setToolTip(3, seg.text[:2000])
            item.setData(0, RANGE_ROLE, (seg.coding.document_id, seg.coding.start, seg.coding.end))
            items.append(item)
        self.tree.addTopLevelItems(items)
        for col in range(3):
            self.tree.resizeColumnToContents(col)

    def rows(self) -> list[tuple[str, str, str, str]]:
        """What the list shows, row by row (for tests and screen readers)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            out.append(tuple(item.text(c) for c in range(4)))
        return out

    def _activate(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        doc_id, start, end = item.data(0, RANGE_ROLE)
        self.segmentActivated.emit(doc_id, start, end)
