"""``python -m qcdesk``: the command line when given a subcommand, else the window."""

import multiprocessing
import sys

from qcdesk.cli import main

if __name__ == "__main__":
    # in a frozen bundle this process may be a worker that parses imported files (spawned with
    # this executable): run that and exit instead of opening the window
    multiprocessing.freeze_support()
    sys.exit(main())
