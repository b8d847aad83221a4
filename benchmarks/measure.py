"""Timing and memory of one benchmark step.

Time is ``time.perf_counter``. Memory is measured two ways:

* the process's peak resident set during the step (``VmHWM`` in ``/proc/self/status``, reset
  before each step by writing ``5`` to ``/proc/self/clear_refs``; where that is not possible,
  ``resource.getrusage(...).ru_maxrss``, the peak since the process started);
* with ``tracemalloc=True``, the peak of Python allocations during the step. tracemalloc slows
  Python code down several-fold, so the runner takes times from a pass without it and Python
  peaks from a second pass with it.
"""

from __future__ import annotations

import resource
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

MB = 1024 * 1024
_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


class FeatureMissing(Exception):
    """The step's feature does not exist in this qcdesk yet."""


@dataclass
class Figure:
    step: str
    seconds: float | None = None
    #: peak resident set of the process during the step, MB
    rss_mb: float | None = None
    #: peak of Python allocations during the step (tracemalloc), MB
    python_mb: float | None = None
    target_s: float | None = None
    #: peak RSS the step must stay under, MB
    target_mb: float | None = None
    detail: str = ""
    #: "" when measured, else why not (e.g. "not available (feature missing)")
    skipped: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def status(self) -> str:
        if self.skipped:
            return "—"
        checks = []
        if self.target_s is not None and self.seconds is not None:
            checks.append(self.seconds <= self.target_s)
        if self.target_mb is not None and self.rss_mb is not None:
            checks.append(self.rss_mb <= self.target_mb)
        if not checks:
            return ""
        return "PASS" if all(checks) else "MISS"


def _status_kb(key: str) -> int | None:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def reset_peak_rss() -> bool:
    """Start a new peak-RSS window; False where the kernel does not allow it."""
    try:
        _CLEAR_REFS.write_text("5")
        return True
    except OSError:
        return False


def peak_rss_mb() -> float:
    """Peak resident set (since the last reset where possible), MB."""
    hwm = _status_kb("VmHWM")
    if hwm is not None:
        return hwm / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def current_rss_mb() -> float | None:
    rss = _status_kb("VmRSS")
    return rss / 1024 if rss is not None else None


def measure(step: str, fn: Callable[[], str | None], *, target_s: float | None = None,
            use_tracemalloc: bool = False, target_mb: float | None = None) -> Figure:
    """Run ``fn`` once and return its figure; ``fn`` may return a one-line detail.

    ``FeatureMissing`` raised by ``fn`` gives a figure marked not available.
    """
    figure = Figure(step, target_s=target_s, target_mb=target_mb)
    reset_peak_rss()
    if use_tracemalloc:
        tracemalloc.start()
        tracemalloc.reset_peak()
    start = time.perf_counter()
    try:
        detail = fn()
    except FeatureMissing as exc:
        figure.skipped = "not available (feature missing)"
        figure.detail = str(exc)
        return figure
    finally:
        elapsed = time.perf_counter() - start
        if use_tracemalloc:
            figure.python_mb = tracemalloc.get_traced_memory()[1] / MB
            tracemalloc.stop()
    figure.seconds = elapsed
    figure.rss_mb = peak_rss_mb()
    figure.detail = detail or ""
    return figure
