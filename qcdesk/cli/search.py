"""Command line for full-text search: ``search PROJECT QUERY`` prints the hits; with ``--code`` it
codes them (auto-coding), as the Search panel does (no Qt)."""

from __future__ import annotations

import argparse

from qcdesk.cli.options import PROJECT
from qcdesk.cli.output import counted, print_listing
from qcdesk.cli.projects import open_project

SUBCOMMANDS = {"search"}


def cmd_search(args: argparse.Namespace) -> int:
    from qcdesk.core import retrieval_names as names
    from qcdesk.core.search import code_hits, search

    with open_project(args.project, read_only=args.code is None) as project:
        documents = [names.document_id(project, n) for n in args.document] if args.document else None
        sets = [names.set_id(project, n) for n in args.set] if args.set else None
        hits = search(project, args.query, document_ids=documents, whole_words=not args.substring,
                      case_sensitive=args.match_case, set_ids=sets, speakers=args.speaker)
        if args.code is None:
            documents_hit = len(hits.document_ids)
            print_listing(hits, _hit_line,
                          total=f"{counted(len(hits), 'hit')} in {counted(documents_hit, 'document')}")
            return 0
        if args.coder:
            project.set_coder(args.coder)
        code = names.code_id(project, args.code)
        made = code_hits(project, hits, code, args.unit).value
        print(f"coded {counted(len(made), 'passage')} ({args.unit}) with "
              f"“{project.code(code).name}” from {len(hits)} hits")
    return 0


def register(sub) -> None:
    p = sub.add_parser("search", parents=[PROJECT],
                       help='find words, "phrases" and prefix* in all transcripts; --code codes the hits')
    p.add_argument("query", help='words (all must occur in a document), "exact phrases", prefix*')
    p.add_argument("--substring", action="store_true", help="match inside words too")
    p.add_argument("--match-case", action="store_true", help="upper and lower case differ")
    p.add_argument("--document", action="append", help="search only this document (repeatable)")
    p.add_argument("--set", action="append",
                   help="search only documents in this document set (repeatable: any of them)")
    p.add_argument("--speaker", action="append",
                   help="only hits in this speaker's turns (repeatable: any of them)")
    p.add_argument("--code", help="code every hit with this code (name or Parent/Child path)")
    p.add_argument("--unit", choices=["hit", "sentence", "paragraph", "turn"], default="hit",
                   help="with --code: code the words found, or their sentence, paragraph or speaker turn")
    p.add_argument("--coder", help="with --code: the coder the codings record (default: the coder last "
                                   "chosen in this project)")
    p.set_defaults(func=cmd_search)


def _hit_line(hit) -> str:
    where = f"¶{hit.paragraph}" if hit.paragraph else ""
    speaker = f" {hit.speaker}:" if hit.speaker else ""
    return f"{hit.document_name} {where}{speaker} {hit.before}[{hit.text}]{hit.after}"
