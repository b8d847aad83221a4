"""Command line: ``qcdesk-cli check PROJECT`` checks a project down to each transcript's text.

It runs SQLite's integrity check, the foreign-key check and the full-text index's own check, and
compares every document's text with the fingerprint taken at import (see :mod:`qcdesk.core.check`).
It prints what it checked and names damaged documents; exit status 0 when sound, 1 when not.
It only reads, so it also runs while the project is open in a window.
"""

from __future__ import annotations

import argparse

from qcdesk.cli.options import PROJECT
from qcdesk.cli.passphrase import passphrase_for

SUBCOMMANDS = {"check"}


def cmd_check(args: argparse.Namespace) -> int:
    from qcdesk.core.check import check_file

    report = check_file(args.project, passphrase=passphrase_for(args.project))
    print("\n".join(report.lines()))
    return 0 if report.sound else 1


def register(sub) -> None:
    p = sub.add_parser("check", parents=[PROJECT],
                       help="check a project for damage, down to each transcript's text "
                            "(exit status 1 when damaged)")
    p.set_defaults(func=cmd_check)
