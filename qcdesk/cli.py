"""Command line: ``qcdesk [PROJECT]`` opens the window; ``qcdesk import|export|stats`` script the core.

Subcommands run without Qt, over the same core operations the window uses.
Errors print one clear sentence to stderr and exit non-zero; nothing half-done stays.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from qcdesk import __version__, cli_cases, cli_check, cli_search, cli_security, cli_sets, cli_textedit
from qcdesk.core.errors import QcdeskError, disk_full

SUBCOMMANDS = ({"import", "export", "stats", "new", "exchange", "retrieve", "matrix", "merge", "agreement"}
               | cli_security.SUBCOMMANDS | cli_cases.SUBCOMMANDS | cli_textedit.SUBCOMMANDS
               | cli_search.SUBCOMMANDS | cli_check.SUBCOMMANDS | cli_sets.SUBCOMMANDS)


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

    with _open(args.project, create=args.create) as project:
        if args.coder:
            project.set_coder(args.coder)
        report = import_files(project, [Path(f) for f in args.files],
                              skip_duplicates=not args.allow_duplicates)
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
    return 1 if report.failed else 0


def cmd_export(args: argparse.Namespace) -> int:
    from qcdesk.core import retrieval_names as names
    from qcdesk.core.reports import ReportOptions, write_report

    def some(values, lookup):
        return [lookup(project, v) for v in values] if values else None

    with _open(args.project, read_only=True) as project:
        options = ReportOptions(
            pseudonymised_only=args.pseudonymised_only,
            case_ids=some(args.case, names.case_id), document_ids=some(args.document, names.document_id),
            attribute_values=some(args.attribute, names.attribute_condition),
            speakers=args.speaker or None, coder_ids=some(args.coder, names.coder_id),
            set_ids=some(args.set, names.set_id))
        out = write_report(project, args.report, Path(args.out), options)
        cli_security.note_unencrypted(project, out)
    print(f"wrote {out}")
    return 0


def _chart_renderer():
    """Qt's chart pictures for Word reports (an offscreen QGuiApplication); None without Qt."""
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
    from qcdesk.core.retrieval import Query, citation, format_quotes, retrieve

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
    if args.quotes:
        if results:
            print(format_quotes(results, args.quote_style))
    else:
        for r in results:
            print(f"{citation(r)} [{', '.join(code_names[c] for c in r.code_ids)}]: {' '.join(r.text.split())}")
    print(f"{len(results)} segment{'s' * (len(results) != 1)}", file=sys.stderr)
    return 0


def cmd_matrix(args: argparse.Namespace) -> int:
    from qcdesk.core import matrices, retrieval_names
    from qcdesk.core.tables import write_table

    with _open(args.project, read_only=True) as project:
        attribute = retrieval_names.attribute_id(project, args.attribute) if args.attribute else None
        table = matrices.build(project, args.kind, measure=args.measure, attribute_id=attribute,
                               include_subcodes=args.subcodes,
                               set_ids=[retrieval_names.set_id(project, n) for n in args.set or []])
    out = write_table(table, Path(args.out))
    print(f"wrote {out} ({len(table.row_headers)} codes × {len(table.column_headers)} columns)")
    return 0


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
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="write a report")
    p.add_argument("project")
    p.add_argument("--report", default="segments-by-code",
                   help="report kind: segments-by-code, codebook, coded-transcript, matrices, attributes "
                        "(default: segments-by-code)")
    p.add_argument("--out", required=True,
                   help="output file (.docx; .csv or .xlsx for the matrices and attributes tables)")
    p.add_argument("--pseudonymised-only", action="store_true",
                   help="leave out documents not marked as pseudonymised")
    p.add_argument("--case", action="append", help="only this case's text (repeatable)")
    p.add_argument("--attribute", action="append",
                   help="NAME=VALUE or NAME=LOW..HIGH: only text of cases meeting it (repeatable; "
                        "values of one attribute: any of them, different attributes: all)")
    p.add_argument("--speaker", action="append", help="only segments starting in this speaker's turns")
    p.add_argument("--coder", action="append", help="only codings by this coder (repeatable)")
    p.add_argument("--document", action="append", help="only this document (repeatable)")
    p.add_argument("--set", action="append", help="only documents in this document set (repeatable: any of them)")
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
    p.add_argument("--subcodes", action="store_true", help="count sub-codes' codings in their parents' rows")
    p.add_argument("--out", required=True, help="output file (.csv or .xlsx)")
    p.set_defaults(func=cmd_matrix)
    from qcdesk import cli_team

    cli_team.register(sub)
    cli_cases.register(sub)
    cli_textedit.register(sub)
    cli_search.register(sub)
    cli_check.register(sub)
    cli_sets.register(sub)
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
