"""``python -m qcdesk``: the command line when given a subcommand, else the window."""

import sys

from qcdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
