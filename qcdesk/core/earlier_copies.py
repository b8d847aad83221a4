"""Copies of a project made earlier, which still hold what it held then.

qcdesk keeps two kinds beside a project: the rotating backups in ``<stem> backups/`` and the
copy made before an older file was upgraded (``<name>.v<N>-<date>.backup``). After a project
is encrypted, copies made before are plaintext twins of it; after pseudonymising, copies made
before still hold the real names. This module finds them, encrypts the plain ones with the
project's new passphrase (each is converted and checked like the project itself, see
:mod:`qcdesk.core.encryption`), or removes them: overwritten with zeros, then deleted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from qcdesk import PROJECT_SUFFIX
from qcdesk.core import backups, encryption, private_files
from qcdesk.core.errors import QcdeskError

_MIGRATION_COPY = re.compile(r"\.v\d+-\d{8}-\d{6}\.backup$")


def find(project_path: str | Path, *, plain_only: bool = False) -> list[Path]:
    """The project's rotating backups (newest first, with any half-written ``.part`` left by a
    crash), then its migration copies; ``plain_only``: only those not encrypted."""
    project_path = Path(project_path)
    found = [b.path for b in backups.list_backups(project_path)]
    folder = backups.backup_folder(project_path)
    if folder.is_dir():
        found += sorted(p for p in folder.iterdir() if p.name.endswith(PROJECT_SUFFIX + ".part")
                        and p.name.startswith(project_path.stem + " ") and p.is_file())
    prefix = project_path.name
    if project_path.parent.is_dir():
        found += sorted(p for p in project_path.parent.iterdir()
                        if p.name.startswith(prefix) and _MIGRATION_COPY.fullmatch(p.name[len(prefix):])
                        and p.is_file())
    if plain_only:
        found = [p for p in found if not encryption.is_encrypted(p)]
    return found


@dataclass
class CopiesReport:
    encrypted: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    #: (copy, a sentence saying what went wrong) of copies left as they were
    failed: list[tuple[Path, str]] = field(default_factory=list)

    def lines(self, failures: bool = True) -> list[str]:
        out = []
        if self.encrypted:
            out.append(f"{_copies(len(self.encrypted))} of the project (backups made before) "
                       f"{'was' if len(self.encrypted) == 1 else 'were'} encrypted with the same passphrase.")
        if self.removed:
            out.append(f"{_copies(len(self.removed))} of the project (backups made before) "
                       f"{'was' if len(self.removed) == 1 else 'were'} removed: overwritten, then deleted.")
        if failures:
            out += self.failures()
        return out

    def failures(self) -> list[str]:
        """One sentence per copy left as it was."""
        return [why for _path, why in self.failed]

    def text(self) -> str:
        return "\n".join(self.lines())


def _copies(n: int) -> str:
    return f"{n} earlier cop{'y' if n == 1 else 'ies'}"


def encrypt_copies(project_path: str | Path, passphrase: str,
                   progress: Callable[[int, int], None] | None = None) -> CopiesReport:
    """Encrypt every plain earlier copy of the project with ``passphrase``, in place;
    ``progress(done, total)`` is called before each copy and at the end.

    A copy that cannot be converted (damaged, open elsewhere, unwritable) is left as it was
    and listed in ``failed``; the others are still encrypted. Uses no connection of the open
    project, so it may run in a worker thread.
    """
    encryption.check_new_passphrase(passphrase)
    report = CopiesReport()
    copies = find(project_path, plain_only=True)
    for done, copy in enumerate(copies):
        if progress is not None:
            progress(done, len(copies))
        if copy.name.endswith(".part"):  # half a backup: nothing worth keeping
            _remove(copy, report)
            continue
        try:
            encryption.encrypt_project(copy, passphrase)
        except (QcdeskError, OSError) as exc:
            report.failed.append((copy, _why(exc, copy, "encrypted")))
        else:
            report.encrypted.append(copy)
    if progress is not None:
        progress(len(copies), len(copies))
    return report


def remove_copies(copies: list[Path]) -> CopiesReport:
    """Overwrite each of ``copies`` with zeros and delete it."""
    report = CopiesReport()
    for copy in copies:
        _remove(copy, report)
    return report


def _remove(copy: Path, report: CopiesReport) -> None:
    try:
        private_files.shred(copy)
    except OSError as exc:
        report.failed.append((copy, _why(exc, copy, "removed")))
    else:
        report.removed.append(copy)


def _why(exc: Exception, copy: Path, verb: str) -> str:
    """What went wrong, as one sentence naming the copy."""
    if isinstance(exc, QcdeskError):
        return str(exc)
    reason = getattr(exc, "strerror", None) or str(exc)
    return f"{copy.name} could not be {verb} ({reason}); it is left as it was."
