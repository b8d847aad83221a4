"""Command line for encrypted projects and the audit trail (registered by :mod:`qcdesk.cli`).

``qcdesk-cli encrypt PROJECT [--remove-backups]``, ``decrypt PROJECT --out COPY``, ``rekey PROJECT`` and
``audit PROJECT [--csv FILE]``. Every subcommand that opens a project takes
``--passphrase-file FILE``; without it the passphrase comes from ``QCDESK_PASSPHRASE``,
or is asked for (not echoed) when the project is encrypted and the terminal is interactive.
A passphrase is never taken as a plain argument: it would stay in the shell history and
be visible to other users in the process list.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from qcdesk.core.errors import OperationError, ProjectError

SUBCOMMANDS = {"encrypt", "decrypt", "rekey", "audit"}
ENV_PASSPHRASE = "QCDESK_PASSPHRASE"
#: the new passphrase for rekey, when it is not asked for
_NEW_ENV = "QCDESK_NEW_PASSPHRASE"

#: the --passphrase-file of this run (one command per process)
_passphrase_file: str | None = None


def configure(args: argparse.Namespace) -> None:
    global _passphrase_file
    _passphrase_file = getattr(args, "passphrase_file", None)


def _read_file(name: str) -> str:
    from qcdesk.core.encryption import check_passphrase_text

    try:
        data = Path(name).read_bytes()
    except OSError as exc:
        raise ProjectError(f"The passphrase file {name} could not be read ({exc.strerror or exc}).") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProjectError(f"The passphrase file {name} is not UTF-8 text; save it as UTF-8.") from None
    text = text.removeprefix("\ufeff").rstrip("\r\n")
    if not text:
        raise ProjectError(f"The passphrase file {name} is empty.")
    return check_passphrase_text(text, f"The passphrase file {name}")


def given_passphrase() -> str | None:
    """The passphrase given without asking: --passphrase-file, else the environment."""
    from qcdesk.core.encryption import check_passphrase_text

    if _passphrase_file:
        return _read_file(_passphrase_file)
    value = os.environ.get(ENV_PASSPHRASE) or None
    return value and check_passphrase_text(value, f"${ENV_PASSPHRASE}")


def _prompt(label: str) -> str:
    if not sys.stdin.isatty():
        raise ProjectError(f"{label} is needed; give it with --passphrase-file FILE or the "
                           f"{ENV_PASSPHRASE} environment variable.")
    from qcdesk.core.encryption import check_passphrase_text

    value = getpass.getpass(f"{label}: ")
    if not value:
        raise ProjectError("No passphrase was entered.")
    return check_passphrase_text(value, "The passphrase entered")


def passphrase_for(path: str | Path, *, creating: bool = False) -> str | None:
    """The key to open ``path`` with: None for plain projects (and for new ones unless given).

    A new project's passphrase must pass the same policy as encrypting or changing one."""
    from qcdesk.core.encryption import check_new_passphrase, is_encrypted

    if creating:
        given = given_passphrase()
        return None if given is None else check_new_passphrase(given)
    if not is_encrypted(path):
        return None
    return given_passphrase() or _prompt(f"Passphrase for {Path(path).name}")


def _new_passphrase(args: argparse.Namespace) -> str:
    """The new key (checked by the policy): --new-passphrase-file, else QCDESK_NEW_PASSPHRASE,
    else asked twice."""
    from qcdesk.core.encryption import check_new_passphrase

    if getattr(args, "new_passphrase_file", None):
        return check_new_passphrase(_read_file(args.new_passphrase_file))
    value = os.environ.get(_NEW_ENV)
    if value:
        return check_new_passphrase(value, f"${_NEW_ENV}")
    first = check_new_passphrase(_prompt("New passphrase"))
    if _prompt("Repeat the new passphrase") != first:
        raise OperationError("The two passphrases differ; nothing was changed.")
    return first


def note_unencrypted(project, out: str | Path) -> None:
    """Tell the user on stderr that a file written from an encrypted project is not encrypted."""
    if getattr(project, "passphrase", None):
        print(f"note: {Path(out).name} is not encrypted; keep it where your ethics approval allows.",
              file=sys.stderr)


# ---------------------------------------------------------------------- commands
def cmd_encrypt(args: argparse.Namespace) -> int:
    from qcdesk.core.encryption import check_new_passphrase, encrypt_project

    from qcdesk.core import earlier_copies

    new = given_passphrase() or _new_passphrase(args)
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
        change_passphrase(project, old, _new_passphrase(args))
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


def _add_passphrase_option(parser: argparse.ArgumentParser) -> None:
    """--passphrase-file on ``parser`` and on every parser below it that takes a project."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]  # noqa: SLF001
    for action in subs:
        for child in action.choices.values():
            _add_passphrase_option(child)
    takes_project = any(a.dest == "project" for a in parser._actions)  # noqa: SLF001
    if takes_project and not any(a.dest == "passphrase_file" for a in parser._actions):  # noqa: SLF001
        parser.add_argument("--passphrase-file", metavar="FILE",
                            help=f"read the passphrase of an encrypted project from FILE "
                                 f"(else ${ENV_PASSPHRASE}, else asked for)")


def register(sub: argparse._SubParsersAction) -> None:  # noqa: SLF001
    p = sub.add_parser("encrypt", help="encrypt a project in place (asks for the new passphrase); its "
                                       "backups made before are encrypted with the same passphrase")
    p.add_argument("project")
    p.add_argument("--remove-backups", action="store_true",
                   help="instead of encrypting the unencrypted backups and migration copies made before, "
                        "overwrite and delete them")
    p.set_defaults(func=cmd_encrypt)

    p = sub.add_parser("decrypt", help="write an unencrypted copy of an encrypted project")
    p.add_argument("project")
    p.add_argument("--out", required=True, help="the new, unencrypted project file")
    p.set_defaults(func=cmd_decrypt)

    p = sub.add_parser("rekey", help="change the passphrase of an encrypted project")
    p.add_argument("project")
    p.add_argument("--new-passphrase-file", metavar="FILE",
                   help=f"read the new passphrase from FILE (else ${_NEW_ENV}, else asked for twice)")
    p.set_defaults(func=cmd_rekey)

    p = sub.add_parser("audit", help="print the audit trail (who changed codings, codes, documents)")
    p.add_argument("project")
    p.add_argument("--csv", metavar="FILE", help="write the entries to a CSV file instead")
    p.add_argument("--coder", help="only entries by this coder")
    p.add_argument("--kind", choices=["coding", "code", "document"], help="only entries about these")
    p.add_argument("--since", help="from this date (YYYY-MM-DD)")
    p.add_argument("--until", help="up to and including this date (YYYY-MM-DD)")
    p.set_defaults(func=cmd_audit)

    for child in sub.choices.values():
        _add_passphrase_option(child)
