"""Naming codes in the codebook tree itself, like an outline, instead of one dialog per code.

New code / Sub-code open a name field in the tree. In it:

- **Enter** adds the code (one undo step), selects it and opens the field again for its next
  sibling, so "3 themes × 2 categories × 3 codes" is typed, not clicked through 27 dialogs;
- **Tab** makes the code being named a sub-code of the code above it (indent), **Shift+Tab**
  moves it out one level (outdent);
- **Enter** on an empty field or **Escape** stops; leaving the field drops what was typed
  (nothing is added unasked).

**F2** renames the selected code in the same field (Enter keeps the new name, Escape not).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRect, Qt
from PySide6.QtWidgets import QLineEdit

if TYPE_CHECKING:
    from qcdesk.ui.codebook_dock import CodebookPanel


class InlineNameField(QLineEdit):
    """The name field over the tree: for a new code under ``parent_id`` or renaming ``code_id``."""

    def __init__(self, panel: "CodebookPanel"):
        super().__init__(panel.view.viewport())
        self.panel = panel
        self.setObjectName("codebookInlineName")
        self.mode: str | None = None          # "add" or "rename"
        self.parent_id: int | None = None     # add: the new code's parent
        self.code_id: int | None = None       # rename: the code renamed
        self.hide()

    # ---------------------------------------------------------------- opening
    def start_add(self, parent_id: int | None) -> None:
        self.mode, self.parent_id, self.code_id = "add", parent_id, None
        self.clear()
        self.setPlaceholderText(self._placeholder())
        self._place()

    def start_rename(self, code_id: int) -> None:
        code = self.panel.model.code(code_id)
        if code is None:
            return
        self.mode, self.code_id, self.parent_id = "rename", code_id, code.parent_id
        self.setPlaceholderText("Code name")
        self.setText(code.name)
        self.selectAll()
        self._place()

    def _placeholder(self) -> str:
        parent = self.panel.model.code(self.parent_id) if self.parent_id is not None else None
        where = f"in “{parent.name}”" if parent else "at the top level"
        return f"New code {where} (Enter adds, Tab indents, Esc stops)"

    def _depth(self, parent_id: int | None) -> int:
        depth, model = 0, self.panel.model
        while parent_id is not None:
            depth += 1
            code = model.code(parent_id)
            parent_id = code.parent_id if code else None
        return depth

    def _anchor_rect(self) -> QRect:
        """Where the field goes: over the renamed row, or just below the last row of the new
        code's parent (its last sub-code's subtree, or the parent itself)."""
        view, panel = self.panel.view, self.panel
        if self.mode == "rename":
            return view.visualRect(panel.proxy_index(self.code_id))
        below = self.parent_id
        children = panel.model.children_ids(self.parent_id)
        while children:
            below = children[-1]
            children = panel.model.children_ids(below) if view.isExpanded(panel.proxy_index(below)) else []
        rect = view.visualRect(panel.proxy_index(below)) if below is not None else QRect()
        height = rect.height() or view.fontMetrics().height() + 6
        top = rect.bottom() + 1 if rect.isValid() else 0
        return QRect(0, top, view.viewport().width(), height)

    def _place(self) -> None:
        view = self.panel.view
        if self.parent_id is not None:
            view.setExpanded(self.panel.proxy_index(self.parent_id), True)
        rect = self._anchor_rect()
        indent = view.indentation() * (self._depth(self.parent_id) + (1 if view.rootIsDecorated() else 0))
        height = max(rect.height(), self.sizeHint().height())
        top = min(max(rect.top(), 0), max(0, view.viewport().height() - height))
        self.setGeometry(indent, top, max(80, view.viewport().width() - indent), height)
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---------------------------------------------------------------- keys
    def event(self, event) -> bool:  # noqa: D401 - Qt's name
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            if self.mode == "add":
                outdent = event.key() == Qt.Key.Key_Backtab or bool(
                    event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                self._outdent() if outdent else self._indent()
            return True  # Tab never leaves the field
        return super().event(event)

    def keyPressEvent(self, event) -> None:  # noqa: N802
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.finish()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._commit()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802
        super().focusOutEvent(event)
        if self.isVisible() and event.reason() not in (Qt.FocusReason.PopupFocusReason,
                                                         Qt.FocusReason.ActiveWindowFocusReason):
            self.finish(refocus=False)

    def _indent(self) -> None:
        """Under the code just above: the last sub-code of the current parent."""
        siblings = self.panel.model.children_ids(self.parent_id)
        if siblings:
            self.parent_id = siblings[-1]
            self.setPlaceholderText(self._placeholder())
            self._place()

    def _outdent(self) -> None:
        if self.parent_id is None:
            return
        code = self.panel.model.code(self.parent_id)
        self.parent_id = code.parent_id if code else None
        self.setPlaceholderText(self._placeholder())
        self._place()

    # ---------------------------------------------------------------- results
    def _commit(self) -> None:
        name = self.panel._clean_name(self.text())
        if self.mode == "rename":
            code = self.panel.model.code(self.code_id)
            code_id = self.code_id
            self.finish()
            if name and code is not None and name != code.name:
                self.panel.renameRequested.emit(code_id, name)
            return
        if not name:
            self.finish()
            return
        parent_id = self.parent_id
        before = set(self.panel.model.code_ids())
        self.hide()
        self.panel.addRequested.emit(parent_id, name)
        new = [cid for cid in self.panel.model.code_ids() if cid not in before
               and self.panel.model.code(cid).parent_id == parent_id]
        if new:
            self.panel.select_code(new[0])
        self.start_add(parent_id)  # the next sibling

    def finish(self, refocus: bool = True) -> None:
        self.mode = None
        self.hide()
        if refocus:
            self.panel.view.setFocus(Qt.FocusReason.OtherFocusReason)
