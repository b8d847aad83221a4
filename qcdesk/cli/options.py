"""Options shared by several subcommands, as argparse parent parsers (``parents=[...]``).

:data:`PROJECT` is the project file and its ``--passphrase-file``: every subcommand that opens a
project takes both. The filters shared by ``export`` and ``matrix`` come from :func:`report_filters`.
"""

from __future__ import annotations

import argparse

from qcdesk.cli.passphrase import ENV_PASSPHRASE

#: the project file, and the passphrase of an encrypted one (never a plain argument: see qcdesk.cli.passphrase)
PROJECT = argparse.ArgumentParser(add_help=False)
PROJECT.add_argument("project")
PROJECT.add_argument("--passphrase-file", metavar="FILE",
                     help=f"read the passphrase of an encrypted project from FILE "
                          f"(else ${ENV_PASSPHRASE}, else asked for)")

#: --set as a filter: only documents in these document sets
SETS = argparse.ArgumentParser(add_help=False)
SETS.add_argument("--set", action="append", help="only documents in this document set (repeatable: any of them)")


def report_filters(attribute_flag: str = "--attribute") -> argparse.ArgumentParser:
    """The report filters shared by ``export`` and ``matrix`` (``matrix`` names the attribute
    filter ``--where``, as its ``--attribute`` chooses the columns)."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--case", action="append", help="only this case's text (repeatable; matrices: these case columns)")
    p.add_argument(attribute_flag, action="append", dest="where" if attribute_flag != "--attribute" else "attribute",
                   help="NAME=VALUE or NAME=LOW..HIGH: only text of cases meeting it (repeatable; "
                        "values of one attribute: any of them, different attributes: all)")
    p.add_argument("--speaker", action="append", help="only segments starting in this speaker's turns")
    p.add_argument("--coder", action="append", help="only codings by this coder (repeatable)")
    p.add_argument("--document", action="append", help="only this document (repeatable)")
    p.add_argument("--code", action="append", help="only this code and its sub-codes (repeatable)")
    p.add_argument("--levels", type=int, metavar="N",
                   help="matrices: codes down to level N of the codebook (1: top-level only)")
    p.add_argument("--subcodes", action="store_true", help="matrices: count sub-codes' codings in their parents' rows")
    return p
