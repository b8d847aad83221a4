"""The command line's parser: each command group registers its subcommands (``register(sub)``)."""

from __future__ import annotations

import argparse

from qcdesk import __version__
from qcdesk.cli import cases, check, documents, export, media, retrieve, search, security, sets, team, textedit

#: the command groups, in the order of the help
GROUPS = (documents, export, retrieve, team, cases, textedit, search, check, sets, media, security)
#: the first words that make a command line, not the window
SUBCOMMANDS = frozenset().union(*(group.SUBCOMMANDS for group in GROUPS))


def build_parser() -> argparse.ArgumentParser:
    from qcdesk.ui.app import IN_THE_WINDOW, WINDOW_USAGE  # plain text: no Qt is imported

    parser = argparse.ArgumentParser(
        prog="qcdesk", description="Qualitative coding of interview transcripts.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=WINDOW_USAGE + "\n" + IN_THE_WINDOW)
    parser.add_argument("--version", action="version", version=f"qcdesk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    for group in GROUPS:
        group.register(sub)
    return parser
