"""Command line: ``qcdesk [PROJECT]`` opens the window; ``qcdesk import|export|stats`` script the core.

Subcommands run without Qt, over the same core operations the window uses.
Errors print one clear sentence to stderr and exit non-zero; nothing half-done stays.
The parser is in :mod:`qcdesk.cli.parser`, the commands in one module per group.
"""

from __future__ import annotations

import sys
from pathlib import Path

from qcdesk.core.errors import QcdeskError, disk_full


def main(argv: list[str] | None = None) -> int:
    from qcdesk.cli import passphrase
    from qcdesk.cli.parser import SUBCOMMANDS, build_parser

    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (argv[0] not in SUBCOMMANDS and argv[0] not in {"-h", "--help", "--version"}):
        from qcdesk.ui.app import run

        return run(argv)
    args = build_parser().parse_args(argv)
    passphrase.configure(args)
    try:
        return args.func(args)
    except QcdeskError as exc:
        print(f"qcdesk: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:
        full = disk_full(exc, Path(exc.filename) if isinstance(exc, OSError) and exc.filename
                         else Path(getattr(args, "project", ".")), "it was not done")
        if full is not None:
            print(f"qcdesk: {full}", file=sys.stderr)
            return 1
        if not isinstance(exc, OSError):
            raise
        print(f"qcdesk: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
