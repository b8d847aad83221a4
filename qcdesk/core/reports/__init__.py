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
from typing import Callable, Iterable

from qcdesk.core import private_files
from qcdesk.core.errors import ExportFailed
from qcdesk.core.reports import codebook, coded_segments, framework, memos_report, table_reports, transcript
from qcdesk.core.reports.selection import Progress, ReportOptions
from qcdesk.core.reports.structure import Block, Report

__all__ = ["REPORT_KINDS", "ReportOptions", "Report", "build_report", "write_report", "FORMATS",
           "TABLE_KINDS", "formats_for"]

_BUILDERS: dict[str, tuple[str, Callable[..., Report]]] = {
    coded_segments.KIND: (coded_segments.TITLE, coded_segments.build),
    codebook.KIND: (codebook.TITLE, codebook.build),
    transcript.KIND: (transcript.TITLE, transcript.build),
    framework.KIND: (framework.TITLE, framework.build),
    memos_report.KIND: (memos_report.TITLE, memos_report.build),
    table_reports.MATRICES: (table_reports.TITLES[table_reports.MATRICES], table_reports.build_matrices),
    table_reports.ATTRIBUTES: (table_reports.TITLES[table_reports.ATTRIBUTES],
                               table_reports.build_attributes),
}

#: report kinds whose body is produced as it is written: (report, blocks) from the options
_STREAMS: dict[str, Callable[..., tuple[Report, Iterable[Block]]]] = {coded_segments.KIND: coded_segments.stream}

#: report kind id -> human title, in menu order
REPORT_KINDS: dict[str, str] = {kind: title for kind, (title, _) in _BUILDERS.items()}

#: file suffixes that can be written, with a description for file dialogs
FORMATS: dict[str, str] = {".docx": "Word document", ".csv": "CSV table", ".xlsx": "Excel workbook"}
#: report kinds that also exist as one spreadsheet table (.csv, .xlsx)
TABLE_KINDS = (table_reports.MATRICES, table_reports.ATTRIBUTES)
SPREADSHEET = (".csv", ".xlsx")


def formats_for(kind: str) -> list[str]:
    """The file suffixes report ``kind`` can be written as, Word first."""
    return [".docx", *SPREADSHEET] if kind in TABLE_KINDS else [".docx"]


def build_report(project, kind: str, options: ReportOptions | None = None,
                 progress: Progress | None = None) -> Report:
    """The neutral structure of report ``kind``; ``progress(done, total)`` is called per code."""
    if kind not in _BUILDERS:
        valid = ", ".join(REPORT_KINDS)
        raise ExportFailed(f"There is no report called {kind!r}; choose one of: {valid}.")
    return _BUILDERS[kind][1](project, options or ReportOptions(), progress)


def _render(report: Report, suffix: str, fileobj, progress=None, chart_renderer=None,
            body: Iterable[Block] | None = None, streaming=None) -> None:
    from qcdesk.core.reports import docx_writer  # python-docx loads only when writing

    docx_writer.render(report, fileobj, progress, chart_renderer, body, streaming)


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
                 progress: Progress | None = None, chart_renderer=None) -> Path:
    """Build report ``kind`` and write it to ``out`` (``.docx``, or ``.csv``/``.xlsx`` for the
    table kinds); return ``out``.

    ``chart_renderer(chart) -> PNG bytes | None`` draws charts (the window and the command
    line pass Qt's); without one, charts become small tables.

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
    if suffix in SPREADSHEET and suffix in FORMATS and kind not in TABLE_KINDS:
        raise ExportFailed(f"The {REPORT_KINDS[kind].lower()} report is written as a Word document: "
                           "name the file with .docx.")
    if suffix not in FORMATS:
        known = ", ".join(formats_for(kind))
        shown = f"{suffix} files" if suffix else "files without a suffix"
        raise ExportFailed(f"Reports cannot be written as {shown}; name the file with {known}.")
    folder = out.parent
    if not folder.is_dir():
        raise ExportFailed(f"The folder {folder} does not exist; choose an existing folder for "
                           f"{out.name}.")
    if out.is_dir():
        raise ExportFailed(f"{out} is a folder; choose a file name for the report.")

    # progress runs over 2 x codes steps: building (one per code), then rendering, which takes
    # longer; the last step is reported once the file is in place. A report written as it is
    # built (a long one of a streamed kind) counts each code twice as it is built and written.
    steps = last = 0
    streamed = False

    def built(done: int, total: int) -> None:
        nonlocal steps, last
        steps = total
        now = min(2 * done, 2 * total - 1) if streamed else done
        if progress is not None and now > last:
            last = now
            progress(now, 2 * total)

    def streaming() -> None:
        nonlocal streamed
        streamed = True

    def rendered(done: int, total: int) -> None:
        nonlocal last
        now = steps + min(steps - 1, steps * done // max(total, 1))
        if progress is not None and steps and now > last:
            last = now
            progress(now, 2 * steps)

    if suffix in SPREADSHEET:
        return _write_spreadsheet(project, kind, out, options, progress)
    body: Iterable[Block] | None = None
    if kind in _STREAMS:
        report, body = _STREAMS[kind](project, options or ReportOptions(), built)
    else:
        report = build_report(project, kind, options, built)

    tmp = folder / f".~{out.stem}.{secrets.token_hex(4)}{suffix}.part"
    try:
        # owner-only, like the project it comes from (see qcdesk.core.private_files)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     private_files.OWNER_ONLY)
        with os.fdopen(fd, "wb") as fh:
            _render(report, suffix, fh, rendered, chart_renderer, body, streaming)
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


def _write_spreadsheet(project, kind: str, out: Path, options, progress) -> Path:
    """One table as CSV, or every table of the report as XLSX sheets, written beside ``out`` and
    moved into place when complete."""
    from qcdesk.core.errors import QcdeskError
    from qcdesk.core.tables import write_table

    if out.suffix.lower() == ".xlsx":
        from qcdesk.core.tables import write_xlsx_sheets

        tables = table_reports.spreadsheet_tables(project, kind, options)

        def write(path):
            return write_xlsx_sheets(tables, path)
    else:
        table = table_reports.spreadsheet_table(project, kind, options)

        def write(path):
            return write_table(table, path)
    tmp = out.parent / f".~{out.stem}.{secrets.token_hex(4)}.part{out.suffix.lower()}"
    try:
        write(tmp)
        os.replace(tmp, out)
    except OSError as exc:
        _discard(tmp)
        raise ExportFailed(_describe(exc, out)) from exc
    except QcdeskError as exc:
        _discard(tmp)
        raise ExportFailed(str(exc)) from exc
    if progress is not None:
        progress(1, 1)
    return out


def _discard(tmp: Path) -> None:
    try:
        tmp.unlink()
    except OSError:
        pass
