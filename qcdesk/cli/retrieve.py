"""Command line for retrieval: ``retrieve`` prints coded segments, or quotes, chosen by codes and
filters (no Qt)."""

from __future__ import annotations

import argparse
import sys

from qcdesk.cli.options import PROJECT, SETS
from qcdesk.cli.output import counted, print_listing
from qcdesk.cli.projects import open_project

SUBCOMMANDS = {"retrieve"}


def cmd_retrieve(args: argparse.Namespace) -> int:
    from qcdesk.core import retrieval_names as names
    from qcdesk.core.retrieval import Query, citation, coded_by, format_quotes, retrieve

    with open_project(args.project, read_only=True) as project:
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
        print(counted(len(results), "segment"), file=sys.stderr)
        return 0

    def line(r) -> str:
        who = f"; {coded_by(r.coders)}" if team else ""
        return f"{citation(r)} [{', '.join(code_names[c] for c in r.code_ids)}{who}]: {' '.join(r.text.split())}"

    print_listing(results, line, total=counted(len(results), "segment"))
    return 0


def register(sub) -> None:
    p = sub.add_parser("retrieve", parents=[PROJECT, SETS],
                       help="print coded segments (or quotes) chosen by codes and filters")
    p.add_argument("--code", action="append", required=True, help="code name or path (repeat for several)")
    p.add_argument("--mode", choices=["or", "and", "not"], default="or",
                   help="or: coded with any; and: text where all overlap; not: without --exclude codes")
    p.add_argument("--exclude", action="append", help="with --mode not: code to leave out (repeatable)")
    p.add_argument("--no-subcodes", action="store_true", help="do not include the codes' sub-codes")
    p.add_argument("--document", action="append", help="only this document (repeatable)")
    p.add_argument("--case", action="append", help="only this case (repeatable)")
    p.add_argument("--attribute", action="append", help="NAME=VALUE or NAME=LOW..HIGH (repeatable, all must hold)")
    p.add_argument("--speaker", action="append", help="only segments starting in this speaker's turns")
    p.add_argument("--coder", action="append", help="only codings by this coder (repeatable)")
    p.add_argument("--quotes", action="store_true", help="print quotes ready to paste into a paper")
    p.add_argument("--quote-style", choices=["inline", "block"], default="inline")
    p.set_defaults(func=cmd_retrieve)
