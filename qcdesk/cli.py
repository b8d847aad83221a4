"""Command line: ``qcdesk [PROJECT]`` opens the window; ``qcdesk import|export|stats`` script the core.

Subcommands run without Qt, over the same core operations the window uses.
Errors print one clear sentence to stderr and exit non-zero; nothing half-done stays.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from qcdesk import __version__, cli_cases, cli_check, cli_media, cli_search, cli_security, cli_sets, cli_textedit
from qcdesk.core.errors import QcdeskError, disk_full

SUBCOMMANDS = ({"import", "export", "stats", "new", "exchange", "retrieve", "matrix", "merge", "agreement"}
               | cli_security.SUBCOMMANDS | cli_cases.SUBCOMMANDS | cli_textedit.SUBCOMMANDS
               | cli_search.SUBCOMMANDS | cli_check.SUBCOMMANDS | cli_sets.SUBCOMMANDS | cli_media.SUBCOMMANDS)


def _open(path: str, create: bool = False, read_only: bool = False):
    """Open a project; ``read_only`` for commands that only read, so they also work while
    the project is open in a window (an older format still opens writable, to upgrade it)."""
    from qcdesk.core.errors import ProjectNeedsUpgradeError
    from qcdesk.core.project import Project

    if create and not Path(path).exists():
        return Project.create(path, passphrase=cli_security.passphrase_for(path, creating=True))
    passphrase = cli_security.passphrase_for(path)
    if read_only:
        try:
            return Project.open(path, passphrase=passphrase, read_only=True)
        except ProjectNeedsUpgradeError:
            pass
    return Project.open(path, passphrase=passphrase)


def cmd_new(args: argparse.Namespace) -> int:
    from qcdesk.core.project import Project

    Project.create(args.project, passphrase=cli_security.passphrase_for(args.project, creating=True)).close()
    print(f"created {args.project}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from qcdesk.core.importing import import_files

    recordings, files = cli_media.split(args.files)
    with _open(args.project, create=args.create) as project:
        if args.coder:
            project.set_coder(args.coder)
        report = import_files(project, files, skip_duplicates=not args.allow_duplicates)
        media_failed = report.disk_full is None and cli_media.import_recordings(project, report, recordings, args)
    for doc in report.imported:
        print(f"imported {doc.name} ({doc.char_count} characters)")
    for line in report.notices:
        print(f"note: {line}")
    for path, reason in report.skipped:
        print(f"skipped {path}: {reason}", file=sys.stderr)
    for path, reason in report.failed:
        print(f"error: {path}: {reason}", file=sys.stderr)
    if report.disk_full is not None:
        raise report.disk_full
    return 1 if report.failed or media_failed else 0


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

    with _open(args.project, read_only=True) as project:
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
        cli_security.note_unencrypted(project, out)
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


def cmd_stats(args: argparse.Namespace) -> int:
    with _open(args.project, read_only=True) as project:
        stats = project.stats()
        if args.json:
            print(json.dumps(stats, indent=2))
        else:
            for key, value in stats.items():
                print(f"{key:>14}: {value}")
    return 0


def cmd_exchange(args: argparse.Namespace) -> int:
    from qcdesk.core.interchange import export_file, import_file

    created = getattr(args, "create", False) and not Path(args.project).exists()
    try:
        with _open(args.project, create=created) as project:
            if args.direction == "export":
                report = export_file(project, Path(args.file))
                cli_security.note_unencrypted(project, args.file)
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


def cmd_retrieve(args: argparse.Namespace) -> int:
    from qcdesk.core import retrieval_names as names
    from qcdesk.core.retrieval import Query, citation, coded_by, format_quotes, retrieve

    with _open(args.project, read_only=True) as project:
        query = Query(
            [names.code_id(project, n) for n in args.code], mode=args.mode,
            exclude_codes=[names.code_id(project, n) for n in args.exclude or []],
            include_subcodes=not args.no_subcodes,
            documents=[names.document_id(project, n) for n in args.document or []],
            cases=[names.case_id(project, n) for n in args.case or []],
            attributes=[names.attribute_condition(project, a) for a in args.attribute or []],
            speakers=args.speaker or [], coders=[names.coder_id(project, n) for n in args.coder or []],
            sets=[names.set_id(project, n) for n in args.set or []])
        results = retrieve(project, query)
        code_names = {c.id: c.name for c in project.codes()}
    # when more than one coder coded the passages found, each line names who coded it
    team = len({name for r in results for name in r.coders}) > 1
    if args.quotes:
        if results:
            print(format_quotes(results, args.quote_style))
    else:
        for r in results:
            who = f"; {coded_by(r.coders)}" if team else ""
            print(f"{citation(r)} [{', '.join(code_names[c] for c in r.code_ids)}{who}]: {' '.join(r.text.split())}")
    print(f"{len(results)} segment{'s' * (len(results) != 1)}", file=sys.stderr)
    return 0


def cmd_matrix(args: argparse.Namespace) -> int:
    from qcdesk.core import matrices, retrieval_names
    from qcdesk.core.reports.table_reports import matrix_filter
    from qcdesk.core.tables import write_table

    with _open(args.project, read_only=True) as project:
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


def _filter_options(p: argparse.ArgumentParser, attribute_flag: str = "--attribute") -> None:
    """The report filters shared by ``export`` and ``matrix``."""
    p.add_argument("--case", action="append", help="only this case's text (repeatable; matrices: these case columns)")
    p.add_argument(attribute_flag, action="append", dest="where" if attribute_flag != "--attribute" else "attribute",
                   help="NAME=VALUE or NAME=LOW..HIGH: only text of cases meeting it (repeatable; "
                        "values of one attribute: any of them, different attributes: all)")
    p.add_argument("--speaker", action="append", help="only segments starting in this speaker's turns")
    p.add_argument("--coder", action="append", help="only codings by this coder (repeatable)")
    p.add_argument("--document", action="append", help="only this document (repeatable)")
    p.add_argument("--code", action="append", help="only this code and its sub-codes (repeatable)")
    p.add_argument("--levels", type=int, metavar="N",
                   help="matrices: codes down to level N of the codebook (1: top-level only)")
    p.add_argument("--subcodes", action="store_true", help="matrices: count sub-codes' codings in their parents' rows")


def build_parser() -> argparse.ArgumentParser:
    from qcdesk.ui.app import IN_THE_WINDOW, WINDOW_USAGE  # plain text: no Qt is imported

    parser = argparse.ArgumentParser(
        prog="qcdesk", description="Qualitative coding of interview transcripts.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=WINDOW_USAGE + "\n" + IN_THE_WINDOW)
    parser.add_argument("--version", action="version", version=f"qcdesk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("new", help="create an empty project file")
    p.add_argument("project")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("import", help="import transcript files into a project")
    p.add_argument("project")
    p.add_argument("files", nargs="+")
    p.add_argument("--create", action="store_true", help="create the project if it does not exist")
    p.add_argument("--allow-duplicates", action="store_true",
                   help="import files whose text is already in the project")
    p.add_argument("--coder", help="coder name recorded for this session")
    cli_media.add_import_options(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="write a report")
    p.add_argument("project")
    p.add_argument("--report", default="segments-by-code",
                   help="report kind: segments-by-code, codebook, coded-transcript, framework, memos, "
                        "matrices, attributes "
                        "(default: segments-by-code)")
    p.add_argument("--out", required=True,
                   help="output file (.docx; .csv or .xlsx for the matrices and attributes tables)")
    p.add_argument("--pseudonymised-only", action="store_true",
                   help="leave out documents not marked as pseudonymised")
    _filter_options(p)
    p.add_argument("--set", action="append", help="only documents in this document set (repeatable: any of them)")
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

    p = sub.add_parser("stats", help="print counts of documents, codes, codings")
    p.add_argument("project")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)

    p = sub.add_parser("exchange", help="REFI-QDA exchange: export .qdpx/.qdc, import .qdpx/.qdc/.csv/.txt")
    ex = p.add_subparsers(dest="direction", required=True)
    q = ex.add_parser("export", help="write the project (.qdpx) or its codebook (.qdc)")
    q.add_argument("project")
    q.add_argument("file", help="OUT.qdpx or OUT.qdc")
    q.set_defaults(func=cmd_exchange)
    q = ex.add_parser("import", help="add a REFI-QDA project or a codebook (.qdc, .csv, .txt outline)")
    q.add_argument("project")
    q.add_argument("file", help="IN.qdpx, IN.qdc, IN.csv or IN.txt")
    q.add_argument("--create", action="store_true", help="create the project if it does not exist")
    q.set_defaults(func=cmd_exchange)

    p = sub.add_parser("retrieve", help="print coded segments (or quotes) chosen by codes and filters")
    p.add_argument("project")
    p.add_argument("--code", action="append", required=True, help="code name or path (repeat for several)")
    p.add_argument("--mode", choices=["or", "and", "not"], default="or",
                   help="or: coded with any; and: text where all overlap; not: without --exclude codes")
    p.add_argument("--exclude", action="append", help="with --mode not: code to leave out (repeatable)")
    p.add_argument("--no-subcodes", action="store_true", help="do not include the codes' sub-codes")
    p.add_argument("--document", action="append", help="only this document (repeatable)")
    p.add_argument("--set", action="append", help="only documents in this document set (repeatable: any of them)")
    p.add_argument("--case", action="append", help="only this case (repeatable)")
    p.add_argument("--attribute", action="append", help="NAME=VALUE or NAME=LOW..HIGH (repeatable, all must hold)")
    p.add_argument("--speaker", action="append", help="only segments starting in this speaker's turns")
    p.add_argument("--coder", action="append", help="only codings by this coder (repeatable)")
    p.add_argument("--quotes", action="store_true", help="print quotes ready to paste into a paper")
    p.add_argument("--quote-style", choices=["inline", "block"], default="inline")
    p.set_defaults(func=cmd_retrieve)

    p = sub.add_parser("matrix", help="write a code matrix as .csv or .xlsx")
    p.add_argument("project")
    p.add_argument("--kind", choices=["code-case", "code-attribute", "code-set", "cooccurrence"], required=True)
    p.add_argument("--attribute", help="with code-attribute: the attribute whose values form the columns")
    p.add_argument("--measure", choices=["segments", "documents", "cases"], default="segments",
                   help="code-case and code-set: segments or documents; code-attribute: segments or cases")
    p.add_argument("--set", action="append",
                   help="only documents in this document set (repeatable: any of them; with code-set: "
                        "the sets shown)")
    _filter_options(p, "--where")
    p.add_argument("--out", required=True, help="output file (.csv or .xlsx)")
    p.set_defaults(func=cmd_matrix)
    from qcdesk import cli_team

    cli_team.register(sub)
    cli_cases.register(sub)
    cli_textedit.register(sub)
    cli_search.register(sub)
    cli_check.register(sub)
    cli_sets.register(sub)
    cli_media.register(sub)
    cli_security.register(sub)  # last: gives every subcommand opening a project --passphrase-file
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in SUBCOMMANDS and argv[0] not in {"-h", "--help", "--version"}):
        from qcdesk.ui.app import run

        return run(argv)
    args = build_parser().parse_args(argv)
    cli_security.configure(args)
    try:
        return args.func(args)
    except QcdeskError as exc:
        print(f"qcdesk: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        full = disk_full(exc, Path(exc.filename) if isinstance(exc, OSError) and exc.filename
                         else Path(getattr(args, "project", ".")), "it was not done")
        if full is not None:
            print(f"qcdesk: {full}", file=sys.stderr)
            return 1
        if not isinstance(exc, OSError):
            raise
        print(f"qcdesk: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
