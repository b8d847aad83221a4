"""Reports: build a neutral structure from a project, then render it to a file.

    report = build_report(project, "segments-by-code")          # plain dataclasses
    write_report(project, "codebook", Path("codebook.docx"))    # build + render, atomically

A report is written to a temporary file beside ``out`` and moved into place only
once complete, so a failed export never leaves a half-written file or clobbers
an existing one. Every failure raises :class:`~qcdesk.core.errors.ExportFailed`
with a sentence for the user.
"""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path
from typing import Callable

from qcdesk.core.errors import ExportFailed
from qcdesk.core.reports import codebook, coded_segments, transcript
from qcdesk.core.reports.selection import Progress, ReportOptions
from qcdesk.core.reports.structure import Report

__all__ = ["REPORT_KINDS", "ReportOptions", "Report", "build_report", "write_report", "FORMATS"]

_BUILDERS: dict[str, tuple[str, Callable[..., Report]]] = {
    coded_segments.KIND: (coded_segments.TITLE, coded_segments.build),
    codebook.KIND: (codebook.TITLE, codebook.build),
    transcript.KIND: (transcript.TITLE, transcript.build),
}

#: report kind id -> human title, in menu order
REPORT_KINDS: dict[str, str] = {kind: title for kind, (title, _) in _BUILDERS.items()}

#: file suffixes that can be written, with a description for file dialogs
FORMATS: dict[str, str] = {".docx": "Word document"}


def build_report(project, kind: str, options: ReportOptions | None = None,
                 progress: Progress | None = None) -> Report:
    """The neutral structure of report ``kind``; ``progress(done, total)`` is called per code."""
    if kind not in _BUILDERS:
        valid = ", ".join(REPORT_KINDS)
        raise ExportFailed(f"There is no report called {kind!r}; choose one of: {valid}.")
    return _BUILDERS[kind][1](project, options or ReportOptions(), progress)


def _render(report: Report, suffix: str, fileobj, progress=None) -> None:
    from qcdesk.core.reports import docx_writer  # python-docx loads only when writing

    docx_writer.render(report, fileobj, progress)


def _describe(exc: OSError, out: Path) -> str:
    if exc.errno == errno.ENOSPC or exc.errno == getattr(errno, "EDQUOT", -1):
        return f"Not enough disk space to write {out.name}; free some space and export again."
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return (f"Permission denied writing {out.name} in {out.parent}; choose another folder, "
                "or close the file if it is open in Word.")
    if exc.errno == errno.EROFS:
        return f"Cannot write {out.name}: the folder {out.parent} is read-only."
    return f"Could not write {out.name}: {exc.strerror or exc}."


def write_report(project, kind: str, out: Path, options: ReportOptions | None = None,
                 progress: Progress | None = None) -> Path:
    """Build report ``kind`` and write it to ``out`` (``.docx``); return ``out``.

    ``progress(done, total)``, if given, is called with a fixed ``total`` (twice the
    number of codes reported) and a ``done`` that only grows, reaching ``total``
    when the file is written.

    Raises :class:`ExportFailed` for an unknown kind, an unsupported suffix, a
    missing folder, a permission problem or a full disk; ``out`` is then untouched.
    """
    out = Path(out)
    if kind not in _BUILDERS:
        build_report(project, kind)  # raises the unknown-kind sentence
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        known = ", ".join(FORMATS)
        shown = f"{suffix} files" if suffix else "files without a suffix"
        raise ExportFailed(f"Reports cannot be written as {shown}; name the file with {known}.")
    folder = out.parent
    if not folder.is_dir():
        raise ExportFailed(f"The folder {folder} does not exist; choose an existing folder for "
                           f"{out.name}.")
    if out.is_dir():
        raise ExportFailed(f"{out} is a folder; choose a file name for the report.")

    # progress runs over 2 x codes steps: building (one per code), then rendering, which takes
    # longer; the last step is reported once the file is in place
    steps = last = 0

    def built(done: int, total: int) -> None:
        nonlocal steps, last
        steps = last = total
        if progress is not None:
            progress(done, 2 * total)

    def rendered(done: int, total: int) -> None:
        nonlocal last
        now = steps + min(steps - 1, steps * done // max(total, 1))
        if progress is not None and steps and now > last:
            last = now
            progress(now, 2 * steps)

    report = build_report(project, kind, options, built)

    tmp = folder / f".~{out.stem}.{secrets.token_hex(4)}{suffix}.part"
    try:
        # os.open applies the user's umask, so the report gets ordinary permissions
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(fd, "wb") as fh:
            _render(report, suffix, fh, rendered)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        _discard(tmp)
        raise ExportFailed(_describe(exc, out)) from exc
    except BaseException:
        _discard(tmp)
        raise
    if progress is not None and steps:
        progress(2 * steps, 2 * steps)
    return out


def _discard(tmp: Path) -> None:
    try:
        tmp.unlink()
    except OSError:
        pass
