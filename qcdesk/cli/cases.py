"""Command line for cases: ``attributes import|export|summary`` and ``saturation`` (no Qt)."""

from __future__ import annotations

import argparse
from pathlib import Path

from qcdesk.cli.options import PROJECT, SETS
from qcdesk.cli.projects import open_project
from qcdesk.core.errors import OperationError

SUBCOMMANDS = {"attributes", "saturation"}


def cmd_attributes(args: argparse.Namespace) -> int:
    from qcdesk.core.attributes_io import export_attributes, import_attributes

    if args.action == "import":
        with open_project(args.project) as project:
            report = import_attributes(project, Path(args.file), create_cases=not args.no_create_cases,
                                       date_order=args.date_order)
        print(f"imported {args.file}")
        print(report.text())
        return 0
    with open_project(args.project, read_only=True) as project:
        if args.action == "export":
            count = export_attributes(project, Path(args.file))
            print(f"wrote {args.file} ({count} cases)")
        else:
            for summary in project.attributes.summary():
                print(summary.text())
    return 0


def cmd_saturation(args: argparse.Namespace) -> int:
    from qcdesk.core.saturation import saturation

    with open_project(args.project, read_only=True) as project:
        coder_id = None
        if args.coder:
            coder_id = next((c.id for c in project.coders() if c.name == args.coder), None)
            if coder_id is None:
                raise OperationError(f"No coder called “{args.coder}” in this project.")
        from qcdesk.core.retrieval_names import set_id

        sets = [set_id(project, n) for n in args.set] if args.set else None
        rows = saturation(project, level=args.level, leaves_only=args.leaves, coder_id=coder_id, set_ids=sets)
    print("document\tnew\tcumulative\tnew codes")
    for row in rows:
        new = row.new_count if row.coded else "not coded"
        print(f"{row.document_name}\t{new}\t{row.cumulative}\t{', '.join(row.new_code_names)}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("attributes", help="case attributes: import/export a CSV or XLSX table, or summarise")
    acts = p.add_subparsers(dest="action", required=True)
    q = acts.add_parser("import", parents=[PROJECT],
                        help="read a table: first column case names, header attribute names")
    q.add_argument("file")
    q.add_argument("--no-create-cases", action="store_true", help="skip rows whose case does not exist")
    q.add_argument("--date-order", choices=["dmy", "mdy"],
                   help="how to read dates like 05/03/2024 (refused as ambiguous without it)")
    q.set_defaults(func=cmd_attributes)
    q = acts.add_parser("export", parents=[PROJECT], help="write the attribute table (.csv or .xlsx)")
    q.add_argument("file")
    q.set_defaults(func=cmd_attributes)
    q = acts.add_parser("summary", parents=[PROJECT], help="print counts per value, ranges and means")
    q.set_defaults(func=cmd_attributes)

    p = sub.add_parser("saturation", parents=[PROJECT, SETS],
                       help="print the new codes of each document in interview order")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--level", type=int, help="count codes at this tree depth (0 = top level)")
    group.add_argument("--leaves", action="store_true", help="count only codes without sub-codes")
    p.add_argument("--coder", help="count only this coder's codings")
    p.set_defaults(func=cmd_saturation)
