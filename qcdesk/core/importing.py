"""Importing files into a project: parse (pure, in worker processes), then store (one action per file).

A file that cannot be parsed is reported and leaves the project unchanged; one
bad file never stops the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from qcdesk.core.errors import DiskFullError, ImportFailed, QcdeskError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.importers.parallel import AHEAD, AheadParser
from qcdesk.core.models import Document
from qcdesk.core.project import Project
from qcdesk.core.safe_names import shown_name


@dataclass
class ImportReport:
    imported: list[Document] = field(default_factory=list)
    #: (file, why) for files left out on purpose, e.g. already in the project
    skipped: list[tuple[str, str]] = field(default_factory=list)
    #: (file, why) for files that could not be read
    failed: list[tuple[str, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    #: why the import stopped before the end, when the disk holding the project filled up
    disk_full: DiskFullError | None = None


def document_name(path: Path) -> str:
    """The name a file's document gets: its name without the extension, fit to show."""
    return (shown_name(path.stem).strip() or shown_name(path.name).strip() or "Untitled")


def store_parsed(project: Project, path: Path, parsed: ParsedDocument, report: ImportReport,
                 *, skip_duplicates: bool = True) -> Document | None:
    """Store one parsed file (one transaction) unless its text is already in the project."""
    if skip_duplicates:
        same = project.documents_with_hash(parsed.text)
        if same:
            report.skipped.append((shown_name(path.name), f"the same text is already in the project as "
                                              f"“{same[0].name}”"))
            return None
    doc = project.documents.add(document_name(path), parsed, source_name=shown_name(path.name))
    report.imported.append(doc)
    report.notices.extend(f"{shown_name(path.name)}: {n}" for n in parsed.notices)
    return doc


def stopped_by_full_disk(exc: DiskFullError, left: list[str], imported: int) -> DiskFullError:
    """The disk-full error of an import, naming the files it did not import."""
    names = left[0] if len(left) == 1 else f"{', '.join(left[:-1])} and {left[-1]}"
    if len(left) > 4:
        names = f"{', '.join(left[:3])} and {len(left) - 3} more files"
    one = len(left) == 1
    if not imported:
        return exc.saying(f"{names} {'was' if one else 'were'} not imported; nothing was changed")
    before = f"the {'file' if imported == 1 else f'{imported} files'} before {'it' if one else 'them'}"
    return exc.saying(f"{names} {'was' if one else 'were'} not imported ({before} "
                      f"{'was' if imported == 1 else 'were'}); nothing of {'it' if one else 'them'} was stored")


def import_files(project: Project, paths: list[Path], *, skip_duplicates: bool = True,
                 progress: Callable[[int, int, str], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """Parse and store ``paths`` in order, one action per file; the next files are parsed meanwhile
    in worker processes (:mod:`qcdesk.core.importers.parallel`), at most ``AHEAD`` beyond the one stored."""
    report = ImportReport()
    parser = AheadParser(paths)
    try:
        for i, path in enumerate(paths):
            if cancelled and cancelled():
                report.skipped.extend((shown_name(p.name), "import cancelled") for p in paths[i:])
                break
            for j in range(i, i + AHEAD + 1):
                parser.submit(j)
            if progress:
                progress(i, len(paths), shown_name(path.name))
            parsed, why = parser.result(i)
            try:
                if parsed is None:
                    report.failed.append((shown_name(path.name), why or "could not be read"))
                    continue
                store_parsed(project, path, parsed, report, skip_duplicates=skip_duplicates)
            except ImportFailed as exc:
                report.failed.append((shown_name(path.name), exc.reason))
            except DiskFullError as exc:  # the next files would not fit either
                report.disk_full = stopped_by_full_disk(exc, [shown_name(p.name) for p in paths[i:]],
                                                        len(report.imported))
                break
            except QcdeskError as exc:
                report.failed.append((shown_name(path.name), str(exc)))
    finally:
        parser.close()
    if progress:
        progress(len(paths), len(paths), "")
    return report
