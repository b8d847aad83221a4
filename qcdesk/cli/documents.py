"""Command line for a project's documents: ``new`` (an empty project), ``import`` (transcripts)
and ``stats`` (counts), over the core operations the window uses (no Qt)."""

from __future__ import annotations

import argparse
import json
import sys

from qcdesk.cli import media
from qcdesk.cli.options import PROJECT
from qcdesk.cli.passphrase import passphrase_for
from qcdesk.cli.projects import open_project

SUBCOMMANDS = {"new", "import", "stats"}


def cmd_new(args: argparse.Namespace) -> int:
    from qcdesk.core.project import Project

    Project.create(args.project, passphrase=passphrase_for(args.project, creating=True)).close()
    print(f"created {args.project}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from qcdesk.core.importers import parallel
    from qcdesk.core.importing import import_files

    recordings, files = media.split(args.files)
    if parallel.worth_processes(files):
        parallel.warm_up()  # the parsing workers start while the project opens and checks itself
    with open_project(args.project, create=args.create) as project:
        if args.coder:
            project.set_coder(args.coder)
        report = import_files(project, files, skip_duplicates=not args.allow_duplicates)
        media_failed = report.disk_full is None and media.import_recordings(project, report, recordings, args)
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


def cmd_stats(args: argparse.Namespace) -> int:
    with open_project(args.project, read_only=True) as project:
        stats = project.stats()
        if args.json:
            print(json.dumps(stats, indent=2))
        else:
            for key, value in stats.items():
                print(f"{key:>14}: {value}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("new", parents=[PROJECT], help="create an empty project file")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("import", parents=[PROJECT], help="import transcript files into a project")
    p.add_argument("files", nargs="+")
    p.add_argument("--create", action="store_true", help="create the project if it does not exist")
    p.add_argument("--allow-duplicates", action="store_true",
                   help="import files whose text is already in the project")
    p.add_argument("--coder", help="coder name recorded for this session")
    media.add_import_options(p)
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("stats", parents=[PROJECT], help="print counts of documents, codes, codings")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats)
