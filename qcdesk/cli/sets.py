"""Command line for document sets: ``sets PROJECT`` lists them; ``--create``, ``--add``,
``--remove``, ``--rename`` and ``--delete`` change them, each as one action (no Qt)."""

from __future__ import annotations

import argparse

from qcdesk.cli.options import PROJECT
from qcdesk.cli.output import counted, print_listing
from qcdesk.cli.projects import open_project
from qcdesk.core.errors import OperationError

SUBCOMMANDS = {"sets"}


def cmd_sets(args: argparse.Namespace) -> int:
    from qcdesk.core import retrieval_names as names

    changing = args.create or args.add or args.remove or args.rename or args.delete
    if args.document and not (args.create or args.add or args.remove):
        raise OperationError("--document goes with --create, --add or --remove.")
    if (args.add or args.remove) and not args.document:
        raise OperationError("Name the documents with --document (repeatable).")
    if args.rename and not args.to:
        raise OperationError("Give the new name with --to.")
    with open_project(args.project, read_only=not changing) as project:
        docs = [names.document_id(project, n) for n in args.document or []]
        if args.create:
            made = project.sets.create(args.create, docs).value
            print(f"created set “{made.name}” with {counted(len(docs), 'document')}")
        elif args.add:
            added = project.sets.add_documents(names.set_id(project, args.add), docs).value
            print(f"added {counted(len(added), 'document')} to “{project.sets.by_name(args.add).name}”")
        elif args.remove:
            removed = project.sets.remove_documents(names.set_id(project, args.remove), docs).value
            print(f"removed {counted(len(removed), 'document')} from “{project.sets.by_name(args.remove).name}”")
        elif args.rename:
            renamed = project.sets.rename(names.set_id(project, args.rename), args.to).value
            print(f"renamed set to “{renamed.name}”")
        elif args.delete:
            set_id = names.set_id(project, args.delete)
            name = project.sets.get(set_id).name
            project.sets.delete(set_id)
            print(f"deleted set “{name}” (its documents stay in the project)")
        else:
            doc_names = {d.id: d.name for d in project.documents()}
            listed = [(s.set.name, [doc_names[i] for i in s.document_ids]) for s in project.sets.with_documents()]
            print_listing(listed, lambda s: f"{s[0]} ({counted(len(s[1]), 'document')}): {', '.join(s[1])}".rstrip(": "),
                          as_json=args.json, json_item=lambda s: {"name": s[0], "documents": s[1]},
                          empty="no document sets")
    return 0


def register(sub) -> None:
    p = sub.add_parser("sets", parents=[PROJECT],
                       help="list document sets; --create/--add/--remove/--rename/--delete change them")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--create", metavar="NAME", help="a new set (with the --document documents)")
    group.add_argument("--add", metavar="NAME", help="put the --document documents in this set")
    group.add_argument("--remove", metavar="NAME", help="take the --document documents out of this set")
    group.add_argument("--rename", metavar="NAME", help="rename this set to the --to name")
    group.add_argument("--delete", metavar="NAME", help="delete this set (its documents stay)")
    p.add_argument("--document", action="append", help="a document by name (repeatable)")
    p.add_argument("--to", metavar="NEW", help="with --rename: the new name")
    p.add_argument("--json", action="store_true", help="list as JSON")
    p.set_defaults(func=cmd_sets)
