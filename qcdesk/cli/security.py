"""Command line for encrypted projects and the audit trail.

``qcdesk-cli encrypt PROJECT [--remove-backups]``, ``decrypt PROJECT --out COPY``, ``rekey PROJECT`` and
``audit PROJECT [--csv FILE]``; the passphrases come from :mod:`qcdesk.cli.passphrase`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qcdesk.cli.options import PROJECT
from qcdesk.cli.passphrase import NEW_ENV, given_passphrase, new_passphrase, passphrase_for
from qcdesk.cli.projects import note_unencrypted
from qcdesk.core.errors import OperationError

SUBCOMMANDS = {"encrypt", "decrypt", "rekey", "audit"}


def cmd_encrypt(args: argparse.Namespace) -> int:
    from qcdesk.core.encryption import check_new_passphrase, encrypt_project

    from qcdesk.core import earlier_copies

    new = given_passphrase() or new_passphrase(args)
    encrypt_project(Path(args.project), check_new_passphrase(new))
    print(f"encrypted {args.project}")
    if args.remove_backups:
        report = earlier_copies.remove_copies(earlier_copies.find(args.project, plain_only=True))
    else:
        report = earlier_copies.encrypt_copies(args.project, new)
    for line in report.lines(failures=False):
        print(line)
    for line in report.failures():
        print(f"qcdesk: {line} Delete it if it is not needed.", file=sys.stderr)
    return 1 if report.failed else 0


def cmd_decrypt(args: argparse.Namespace) -> int:
    from qcdesk.core.encryption import decrypt_copy
    from qcdesk.core.project import Project

    with Project.open(args.project, passphrase=passphrase_for(args.project), read_only=True) as project:
        decrypt_copy(project, Path(args.out))
    print(f"wrote an unencrypted copy to {args.out}", file=sys.stdout)
    print(f"note: {Path(args.out).name} is not encrypted; delete it when it is no longer needed.",
          file=sys.stderr)
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    from qcdesk.core.encryption import change_passphrase
    from qcdesk.core.project import Project

    old = passphrase_for(args.project)
    if old is None:
        raise OperationError(f"{Path(args.project).name} is not encrypted; use qcdesk-cli encrypt.")
    with Project.open(args.project, passphrase=old) as project:
        change_passphrase(project, old, new_passphrase(args))
    print(f"changed the passphrase of {args.project}")
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from qcdesk.core import audit
    from qcdesk.core.project import Project

    filters = audit.AuditFilter(coder=args.coder, kind=args.kind, since=args.since, until=args.until)
    with Project.open(args.project, passphrase=passphrase_for(args.project), read_only=True) as project:
        if args.csv:
            count = audit.export_csv(project, Path(args.csv), filters)
            print(f"wrote {count} entries to {args.csv}")
            note_unencrypted(project, args.csv)
            return 0
        entries = audit.entries(project, filters)
    for e in entries:
        print(f"{e.at}\t{e.coder or '-'}\t{e.action} {e.kind} {e.object_id or ''}\t{audit.describe(e)}")
    print(f"{len(entries)} entr{'ies' if len(entries) != 1 else 'y'}", file=sys.stderr)
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    p = sub.add_parser("encrypt", parents=[PROJECT],
                       help="encrypt a project in place (asks for the new passphrase); its "
                            "backups made before are encrypted with the same passphrase")
    p.add_argument("--remove-backups", action="store_true",
                   help="instead of encrypting the unencrypted backups and migration copies made before, "
                        "overwrite and delete them")
    p.set_defaults(func=cmd_encrypt)

    p = sub.add_parser("decrypt", parents=[PROJECT], help="write an unencrypted copy of an encrypted project")
    p.add_argument("--out", required=True, help="the new, unencrypted project file")
    p.set_defaults(func=cmd_decrypt)

    p = sub.add_parser("rekey", parents=[PROJECT], help="change the passphrase of an encrypted project")
    p.add_argument("--new-passphrase-file", metavar="FILE",
                   help=f"read the new passphrase from FILE (else ${NEW_ENV}, else asked for twice)")
    p.set_defaults(func=cmd_rekey)

    p = sub.add_parser("audit", parents=[PROJECT],
                       help="print the audit trail (who changed codings, codes, documents)")
    p.add_argument("--csv", metavar="FILE", help="write the entries to a CSV file instead")
    p.add_argument("--coder", help="only entries by this coder")
    p.add_argument("--kind", choices=["coding", "code", "document"], help="only entries about these")
    p.add_argument("--since", help="from this date (YYYY-MM-DD)")
    p.add_argument("--until", help="up to and including this date (YYYY-MM-DD)")
    p.set_defaults(func=cmd_audit)
