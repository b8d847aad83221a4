"""The window's undoable codings: of text (apply, remove, resize, in-vivo) and of recordings' time
ranges (named commands over ``project.time_codings``, whose operations return their own inverse)."""

from __future__ import annotations

from qcdesk.core.project import Project
from qcdesk.ui.commands import CoreCommand


def apply_code(project: Project, document_id: int, code_id: int, start: int, end: int,
               code_name: str = "") -> CoreCommand:
    return CoreCommand(f"Code with “{code_name}”" if code_name else "Apply code",
                       lambda: project.codings.apply(document_id, code_id, start, end))


def remove_coding(project: Project, coding_id: int, code_name: str = "") -> CoreCommand:
    return CoreCommand(f"Remove coding “{code_name}”" if code_name else "Remove coding",
                       lambda: project.codings.remove(coding_id))


def resize_coding(project: Project, coding_id: int, start: int, end: int, code_name: str = "",
                  verb: str = "Resize") -> CoreCommand:
    """Move a coding's ends (dragged in the margin, or extended to the selection): one undo step."""
    return CoreCommand(f"{verb} coding “{code_name}”" if code_name else f"{verb} coding",
                       lambda: project.codings.resize(coding_id, start, end))


def in_vivo(project: Project, document_id: int, start: int, end: int, parent_id: int | None = None,
            name: str | None = None) -> CoreCommand:
    """A new code named after the selected words, applied to them: one action, one undo step."""
    return CoreCommand("New code from selection",
                       lambda: project.codings.from_selection(document_id, start, end, parent_id=parent_id,
                                                              name=name),
                       named=lambda value: f"New code “{value[0].name}” from selection")


def add_time_coding(project: Project, document_id: int, code_id: int, start_ms: int, end_ms: int,
                    code_name: str = "") -> CoreCommand:
    """Code a time range of a recording; undo removes that row, redo puts the same row back."""
    return CoreCommand(f"Code time range with “{code_name}”" if code_name else "Code time range",
                       lambda: project.time_codings.add(document_id, code_id, start_ms, end_ms))


def remove_time_coding(project: Project, time_coding_id: int, code_name: str = "") -> CoreCommand:
    return CoreCommand(f"Remove time coding “{code_name}”" if code_name else "Remove time coding",
                       lambda: project.time_codings.remove(time_coding_id))


def set_time_coding_memo(project: Project, time_coding_id: int, memo: str) -> CoreCommand:
    """Give a time range this memo; undo puts the memo it had back."""
    return CoreCommand("Edit memo of time range", lambda: project.time_codings.set_memo(time_coding_id, memo))
