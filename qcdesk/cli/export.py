"""Command line for what leaves a project: ``export`` (reports), ``matrix`` (code matrices as tables)
and ``exchange`` (REFI-QDA export and import) (no Qt, except Qt's chart pictures when it can start)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qcdesk.cli.options import PROJECT, SETS, report_filters
from qcdesk.cli.projects import note_unencrypted, open_project
from qcdesk.core.errors import QcdeskError

SUBCOMMANDS = {"export", "matrix", "exchange"}


def _report_options(project, args: argparse.Namespace, **extra):
    """The report filters of ``export`` and ``matrix`` as :class:`ReportOptions`."""
    from qcdesk.core import retrieval_names as names
    from qcdesk.core.reports import ReportOptions

    def some(values, lookup):
        return [lookup(project, v) for v in values] if values else None

    return ReportOptions(
        pseudonymised_only=getattr(args, "pseudonymised_only", False),
        case_ids=some(args.case, names.case_id), document_ids=some(args.document, names.document_id),
        attribute_values=some(args.where if hasattr(args, "where") else args.attribute, names.attribute_condition),
        speakers=args.speaker or None, coder_ids=some(args.coder, names.coder_id),
        set_ids=some(args.set, names.set_id), code_ids=some(args.code, names.code_id),
        max_level=args.levels, include_subcodes=args.subcodes, **extra)


def _bins(text: str | None):
    """--bins 5 (equal bins) or --bins 20,30,40 (edges)."""
    if text is None:
        return None
    try:
        if "," not in text:
            return int(text)
        return [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise QcdeskError(f"--bins takes a number of bins (5) or edges (20,30,40), not {text!r}.") from None


def cmd_export(args: argparse.Namespace) -> int:
    from qcdesk.core import retrieval_names as names
    from qcdesk.core.reports import write_report

    with open_project(args.project, read_only=True) as project:
        attribute = names.attribute_id(project, args.matrix_attribute) if args.matrix_attribute else None
        options = _report_options(
            project, args, matrices=args.matrix or None, attribute_id=attribute, bins=_bins(args.bins),
            include_charts=not args.no_charts, language=args.language, title=args.title,
            subtitle=args.subtitle, header_text=args.header or "", footer_text=args.footer or "",
            include_contents=not args.no_contents, quotation_marks=args.quotation_marks,
            cite_by=args.cite, cite_attribute_ids=([names.attribute_id(project, v) for v in args.cite_attribute]
                                if args.cite_attribute else None),
            include_uncoded_documents=not args.coded_only)
        renderer = (_chart_renderer() if options.include_charts and args.report == "matrices"
                    and Path(args.out).suffix.lower() == ".docx" else None)
        out = write_report(project, args.report, Path(args.out), options, chart_renderer=renderer)
        note_unencrypted(project, out)
    print(f"wrote {out}")
    return 0


def _chart_renderer():
    """Qt's chart pictures for Word reports, drawn offscreen when there is no display; None
    (charts become small tables) when Qt cannot start."""
    import os

    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) and sys.platform.startswith("linux"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from qcdesk.ui.report_charts import render_chart
    except ImportError:
        return None
    return render_chart


def cmd_matrix(args: argparse.Namespace) -> int:
    from qcdesk.core import matrices, retrieval_names
    from qcdesk.core.reports.table_reports import matrix_filter
    from qcdesk.core.tables import write_table

    with open_project(args.project, read_only=True) as project:
        attribute = retrieval_names.attribute_id(project, args.attribute) if args.attribute else None
        shown = matrix_filter(project, _report_options(project, args))
        table = matrices.with_totals(matrices.build(
            project, args.kind, measure=args.measure, attribute_id=attribute, include_subcodes=args.subcodes,
            set_ids=[retrieval_names.set_id(project, n) for n in args.set or []], shown=shown,
            hide_empty=True))
    out = write_table(table, Path(args.out))
    rows = len(table.row_headers) - ("Total" in table.row_headers[-1:])
    print(f"wrote {out} ({rows} codes × {len(table.column_headers) - 1} columns, with totals)")
    return 0


def cmd_exchange(args: argparse.Namespace) -> int:
    from qcdesk.core.interchange import export_file, import_file

    created = getattr(args, "create", False) and not Path(args.project).exists()
    try:
        with open_project(args.project, create=created) as project:
            if args.direction == "export":
                report = export_file(project, Path(args.file))
                note_unencrypted(project, args.file)
            else:
                report = import_file(project, Path(args.file))
    except QcdeskError:
        if created:  # a project made only for this import does not outlive its failure
            for suffix in ("", "-wal", "-shm"):
                Path(args.project + suffix).unlink(missing_ok=True)
        raise
    verb = "exported to" if args.direction == "export" else "imported"
    print(f"{verb} {args.file}")
    for line in report.lines():
        print(line)
    return 0


def register(sub) -> None:
    p = sub.add_parser("export", parents=[PROJECT, report_filters(), SETS], help="write a report")
    p.add_argument("--report", default="segments-by-code",
                   help="report kind: segments-by-code, codebook, coded-transcript, framework, memos, "
                        "matrices, attributes "
                        "(default: segments-by-code)")
    p.add_argument("--out", required=True,
                   help="output file (.docx; .csv or .xlsx for the matrices and attributes tables)")
    p.add_argument("--pseudonymised-only", action="store_true",
                   help="leave out documents not marked as pseudonymised")
    p.add_argument("--language", default="en-GB", help="document language, e.g. en-GB, de-DE, ar (default: en-GB)")
    p.add_argument("--title", help="title instead of the report kind's")
    p.add_argument("--subtitle", help="subtitle instead of the project file's name")
    p.add_argument("--header", help="text at the top of every page")
    p.add_argument("--footer", help="text at the foot of every page, before the page number")
    p.add_argument("--no-contents", action="store_true", help="leave out the table of contents")
    p.add_argument("--quotation-marks", action="store_true", help="set quotes between quotation marks")
    p.add_argument("--cite", choices=["document", "case"], default="document",
                   help="quotes cite the document (default) or the participant's case")
    p.add_argument("--cite-attribute", action="append",
                   help="with --cite case: attribute whose value follows the case name (repeatable)")
    p.add_argument("--coded-only", action="store_true",
                   help="coded transcripts: leave out documents without codings")
    p.add_argument("--matrix", action="append", choices=["code-case", "code-attribute", "code-set", "cooccurrence"],
                   help="matrices: only this matrix (repeatable; a .csv file needs exactly one)")
    p.add_argument("--matrix-attribute", metavar="NAME",
                   help="matrices: the attribute of the code-attribute matrix (default: one per attribute)")
    p.add_argument("--bins", metavar="N|EDGES",
                   help="attributes: group number attributes into N equal bins, or at edges (20,30,40)")
    p.add_argument("--no-charts", action="store_true", help="matrices: leave out the charts")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("matrix", parents=[PROJECT, report_filters("--where")],
                       help="write a code matrix as .csv or .xlsx")
    p.add_argument("--kind", choices=["code-case", "code-attribute", "code-set", "cooccurrence"], required=True)
    p.add_argument("--attribute", help="with code-attribute: the attribute whose values form the columns")
    p.add_argument("--measure", choices=["segments", "documents", "cases"], default="segments",
                   help="code-case and code-set: segments or documents; code-attribute: segments or cases")
    p.add_argument("--set", action="append",
                   help="only documents in this document set (repeatable: any of them; with code-set: "
                        "the sets shown)")
    p.add_argument("--out", required=True, help="output file (.csv or .xlsx)")
    p.set_defaults(func=cmd_matrix)

    p = sub.add_parser("exchange", help="REFI-QDA exchange: export .qdpx/.qdc, import .qdpx/.qdc/.csv/.txt")
    ex = p.add_subparsers(dest="direction", required=True)
    q = ex.add_parser("export", parents=[PROJECT], help="write the project (.qdpx) or its codebook (.qdc)")
    q.add_argument("file", help="OUT.qdpx or OUT.qdc")
    q.set_defaults(func=cmd_exchange)
    q = ex.add_parser("import", parents=[PROJECT],
                     help="add a REFI-QDA project or a codebook (.qdc, .csv, .txt outline)")
    q.add_argument("file", help="IN.qdpx, IN.qdc, IN.csv or IN.txt")
    q.add_argument("--create", action="store_true", help="create the project if it does not exist")
    q.set_defaults(func=cmd_exchange)
