"""Undo has one command class, in one place: ``qcdesk/ui/commands/`` (issue 14).

Every undoable action of the window is a :class:`qcdesk.ui.commands.CoreCommand` over a core
operation that returns its own inverse; no panel, dialog or test defines a command class of its own.
Read from the source (no Qt needed)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import qcdesk

pytestmark = pytest.mark.core

PACKAGE_DIR = Path(qcdesk.__file__).resolve().parent
COMMANDS_DIR = PACKAGE_DIR / "ui" / "commands"
TESTS_DIR = Path(__file__).resolve().parents[1]


def _command_classes(path: Path) -> list[str]:
    """Classes in ``path`` that derive from a Qt undo command or from a class named ``...Command``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.ClassDef):
            bases = [ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases]
            if any(b == "QUndoCommand" or b.endswith("Command") for b in bases):
                found.append(f"{path.relative_to(path.parents[2])}:{node.lineno} {node.name}({', '.join(bases)})")
    return found


def test_no_undo_command_class_outside_ui_commands():
    outside = [p for d in (PACKAGE_DIR, TESTS_DIR) for p in sorted(d.rglob("*.py"))
               if COMMANDS_DIR not in p.parents]
    found = [c for p in outside for c in _command_classes(p)]
    assert found == [], "undo command classes outside qcdesk/ui/commands: " + "; ".join(found)


def test_ui_commands_defines_exactly_one():
    found = [c for p in sorted(COMMANDS_DIR.rglob("*.py")) for c in _command_classes(p)]
    assert [c.rsplit(" ", 1)[-1] for c in found] == ["CoreCommand(QUndoCommand)"]
