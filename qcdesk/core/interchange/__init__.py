"""Exchange with other qualitative-analysis programs (REFI-QDA) and codebook templates.

``export_file(project, out)`` writes ``.qdpx`` (the whole project) or ``.qdc``
(the codebook); ``import_file(project, path)`` reads ``.qdpx`` projects and
``.qdc``/``.csv``/``.txt`` codebooks into the open project as one action. Both
return an :class:`InterchangeReport`; a file that cannot be read raises
:class:`~qcdesk.core.errors.ImportFailed` and leaves the project unchanged.
"""

from __future__ import annotations

from pathlib import Path

from qcdesk.core.errors import ExportFailed, ImportFailed
from qcdesk.core.interchange.codebook_import import CODEBOOK_SUFFIXES, import_codebook
from qcdesk.core.interchange.refi_export import export_codebook, export_project_package
from qcdesk.core.interchange.refi_import import import_project_package
from qcdesk.core.interchange.report import InterchangeReport
from qcdesk.core.project import Project

EXPORT_SUFFIXES = (".qdpx", ".qdc")
IMPORT_SUFFIXES = (".qdpx", *CODEBOOK_SUFFIXES)

__all__ = ["EXPORT_SUFFIXES", "IMPORT_SUFFIXES", "InterchangeReport", "export_codebook", "export_file",
           "export_project_package", "import_codebook", "import_file", "import_project_package"]


def export_file(project: Project, out: str | Path) -> InterchangeReport:
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix == ".qdpx":
        return export_project_package(project, out)
    if suffix == ".qdc":
        return export_codebook(project, out)
    raise ExportFailed(f"“{out.name}”: qcdesk exchanges .qdpx (whole project) and .qdc (codebook) files; "
                       "give the file one of these extensions.")


def import_file(project: Project, path: str | Path) -> InterchangeReport:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".qdpx":
        return import_project_package(project, path)
    if suffix in CODEBOOK_SUFFIXES:
        return import_codebook(project, path)
    raise ImportFailed(str(path), f"qcdesk exchanges {', '.join(IMPORT_SUFFIXES)} files, not "
                                  f"“{suffix or path.name}”")
