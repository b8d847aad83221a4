"""Passphrases on the command line. Every subcommand that opens a project takes ``--passphrase-file
FILE`` (from :data:`qcdesk.cli.options.PROJECT`); without it the passphrase comes from ``QCDESK_PASSPHRASE``,
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

ENV_PASSPHRASE = "QCDESK_PASSPHRASE"
#: the new passphrase for rekey, when it is not asked for
NEW_ENV = "QCDESK_NEW_PASSPHRASE"

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


def new_passphrase(args: argparse.Namespace) -> str:
    """The new key (checked by the policy): --new-passphrase-file, else QCDESK_NEW_PASSPHRASE,
    else asked twice."""
    from qcdesk.core.encryption import check_new_passphrase

    if getattr(args, "new_passphrase_file", None):
        return check_new_passphrase(_read_file(args.new_passphrase_file))
    value = os.environ.get(NEW_ENV)
    if value:
        return check_new_passphrase(value, f"${NEW_ENV}")
    first = check_new_passphrase(_prompt("New passphrase"))
    if _prompt("Repeat the new passphrase") != first:
        raise OperationError("The two passphrases differ; nothing was changed.")
    return first
