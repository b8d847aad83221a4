"""Calling code that must refuse a named pipe without opening it, without hanging the test run.

Use: ``from fifo_guard import without_hanging`` in a test module.
"""

from __future__ import annotations

import os
import threading

import pytest

from qcdesk.core.errors import QcdeskError


def without_hanging(call, fifo):
    """call() in a thread: its result or the QcdeskError it raised; if it blocks on opening
    ``fifo`` (waiting for a writer forever), release it and fail the test."""
    outcome: list = []

    def run():
        try:
            outcome.append(call())
        except QcdeskError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=120)  # refusing takes no time; opening a FIFO waits for a writer forever
    if worker.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # let the blocked open() return
        worker.join()
        pytest.fail(f"opening {fifo.name} blocked on a named pipe")
    return outcome[0]
