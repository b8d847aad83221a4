"""Command line for transcript text edits: ``speakers`` (list, rename) and ``pseudonymise`` (no Qt)."""

from __future__ import annotations

import argparse
import csv
import getpass
import io
import os
import sys
from pathlib import Path

from qcdesk.cli.options import PROJECT
from qcdesk.cli.projects import open_project
from qcdesk.core.errors import OperationError

SUBCOMMANDS = {"speakers", "pseudonymise"}
ENV_KEY_PASSPHRASE = "QCDESK_KEY_PASSPHRASE"


def cmd_speakers(args: argparse.Namespace) -> int:
    from qcdesk.core.speakers import rename_speaker, speakers

    with open_project(args.project, read_only=args.rename is None) as project:
        if args.rename:
            old, new = args.rename
            snapshot = rename_speaker(project, old, new).value
            print(f"renamed “{old}” to “{snapshot['new']}” in {len(snapshot['turn_ids'])} turns")
        rows = speakers(project)
    print("speaker\tturns\tdocuments")
    for speaker, turns, documents in rows:
        print(f"{speaker}\t{turns}\t{documents}")
    return 0


def read_map(path: Path) -> list[tuple[str, str, str]]:
    """(original, pseudonym, note) rows of a CSV file; a first row ``original,pseudonym`` is a header."""
    from qcdesk.core.importers.safety import MAX_TEXT_BYTES, read_file_bytes

    raw = read_file_bytes(path, MAX_TEXT_BYTES)  # an ordinary file only: a named pipe would block
    try:
        text = raw.decode("utf-8-sig")
        rows = [r for r in csv.reader(io.StringIO(text, newline="")) if any(cell.strip() for cell in r)]
    except UnicodeDecodeError as exc:
        raise OperationError(f"{path.name} is not UTF-8 text; save the map as CSV UTF-8.") from exc
    if rows and [c.strip().lower() for c in rows[0][:2]] == ["original", "pseudonym"]:
        rows = rows[1:]
    out = []
    for n, row in enumerate(rows, 1):
        if len(row) < 2 or not row[0].strip():
            raise OperationError(f"{path.name}, row {n}: expected original,pseudonym[,note].")
        out.append((row[0], row[1], row[2] if len(row) > 2 else ""))
    if not out:
        raise OperationError(f"{path.name} holds no original,pseudonym rows.")
    return out


def _key_passphrase() -> str:
    """The key file's new passphrase, checked by the same policy as a project's."""
    from qcdesk.core.encryption import check_new_passphrase

    value = os.environ.get(ENV_KEY_PASSPHRASE)
    if value:
        return check_new_passphrase(value, f"${ENV_KEY_PASSPHRASE}")
    if not sys.stdin.isatty():
        raise OperationError(f"A passphrase for the key file is needed; set {ENV_KEY_PASSPHRASE}.")
    first = getpass.getpass("Passphrase for the key file: ")
    if not first:
        raise OperationError("No passphrase was entered; nothing was changed.")
    check_new_passphrase(first)
    if getpass.getpass("The same passphrase again: ") != first:
        raise OperationError("The passphrases differ; nothing was changed.")
    return first


def cmd_pseudonymise(args: argparse.Namespace) -> int:
    from qcdesk.core import earlier_copies
    from qcdesk.core import pseudonyms as ps

    rows = read_map(Path(args.map))
    passphrase = _key_passphrase() if args.export_key else None  # asked before anything changes
    with open_project(args.project) as project:
        with project.action():
            for original, pseudonym, note in rows:
                found = next((e for e in ps.entries(project) if e.original == " ".join(original.split())), None)
                if found is None:
                    ps.add_entry(project, original, pseudonym, note)
                else:
                    ps.update_entry(project, found.id, pseudonym=pseudonym, note=note)
        if args.export_key:
            n = ps.export_key(project, Path(args.export_key), passphrase)
            print(f"wrote the key ({n} entries) to {args.export_key}")
        report = ps.apply_pseudonyms(project, case_sensitive=args.match_case)
        removal = None
        if args.remove_backups and report.earlier_copies:
            removal = earlier_copies.remove_copies(report.earlier_copies)
            report.earlier_copies = [path for path, _why in removal.failed]
        for line in report.lines():
            print(line)
        if removal is not None:
            for line in removal.lines(failures=False):
                print(line)
        if args.remove_key:
            print(f"removed {ps.remove_key(project)} key entries from the project")
    if removal is not None and removal.failed:
        for line in removal.failures():
            print(f"qcdesk: {line} It still holds the original names.", file=sys.stderr)
        return 1
    if report.earlier_copies:
        print("note: --remove-backups overwrites and deletes the copies made before, which still hold "
              "the original names.", file=sys.stderr)
    return 0


def register(sub) -> None:
    p = sub.add_parser("speakers", parents=[PROJECT],
                       help="list speaker labels with turn and document counts, or rename one")
    p.add_argument("--rename", nargs=2, metavar=("OLD", "NEW"),
                   help="rename a speaker in every document (labels in the text, turns, cases)")
    p.set_defaults(func=cmd_speakers)

    p = sub.add_parser("pseudonymise", parents=[PROJECT],
                       help="replace names and places by pseudonyms in every document "
                            "(not undoable)")
    p.add_argument("--map", required=True, help="CSV of original,pseudonym[,note] rows (added to the key)")
    p.add_argument("--export-key", metavar="FILE",
                   help=f"first write the key to an encrypted file (passphrase from {ENV_KEY_PASSPHRASE} "
                        "or asked twice)")
    p.add_argument("--remove-key", action="store_true", help="afterwards delete the key from the project")
    p.add_argument("--match-case", action="store_true",
                   help="replace an original only in the letter case of the key (by default any case: "
                        "Heather, heather, HEATHER)")
    p.add_argument("--ignore-case", action="store_true", help=argparse.SUPPRESS)  # the default now
    p.add_argument("--remove-backups", action="store_true",
                   help="afterwards overwrite and delete the backups and migration copies made before, "
                        "which still hold the original names")
    p.set_defaults(func=cmd_pseudonymise)
