"""Opening the project a subcommand works on, and the notes about files written from it."""

from __future__ import annotations

import sys
from pathlib import Path

from qcdesk.cli.passphrase import passphrase_for


def open_project(path: str, create: bool = False, read_only: bool = False):
    """Open a project; ``read_only`` for commands that only read, so they also work while
    the project is open in a window (an older format still opens writable, to upgrade it)."""
    from qcdesk.core.errors import ProjectNeedsUpgradeError
    from qcdesk.core.project import Project

    if create and not Path(path).exists():
        return Project.create(path, passphrase=passphrase_for(path, creating=True))
    passphrase = passphrase_for(path)
    if read_only:
        try:
            return Project.open(path, passphrase=passphrase, read_only=True)
        except ProjectNeedsUpgradeError:
            pass
    return Project.open(path, passphrase=passphrase)


def note_unencrypted(project, out: str | Path) -> None:
    """Tell the user on stderr that a file written from an encrypted project is not encrypted."""
    if getattr(project, "passphrase", None):
        print(f"note: {Path(out).name} is not encrypted; keep it where your ethics approval allows.",
              file=sys.stderr)
