"""Half-open code-point ranges ``[start, end)``: union, intersection and overlap look-ups.

Retrieval and matrices work per document on sorted ranges, so a query over tens of
thousands of codings costs a sort and a sweep instead of comparing every pair.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Generic, Iterable, TypeVar

T = TypeVar("T")
Range = tuple[int, int]


def union(ranges: Iterable[Range], *, join_touching: bool = True) -> list[Range]:
    """The sorted, disjoint ranges covering the same characters. Touching ranges (one ends where
    the next starts) join, unless ``join_touching`` is False (search keeps two hits side by side
    apart: each is shown and coded on its own)."""
    out: list[list[int]] = []
    for start, end in sorted(ranges):
        if out and (start <= out[-1][1] if join_touching else start < out[-1][1]):
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def intersect(a: list[Range], b: list[Range]) -> list[Range]:
    """Characters in both: ``a`` and ``b`` sorted and disjoint (as :func:`union` returns)."""
    out: list[Range] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if start < end:
            out.append((start, end))
        if a[i][1] <= b[j][1]:
            i += 1
        else:
            j += 1
    return out


class IntervalIndex(Generic[T]):
    """Ranges with a payload each, answering "which ranges share a character with [s, e)?"

    Sorted by start with a running maximum of ends, so a look-up bisects, then walks back
    only while some earlier range can still reach ``start``: O(log n + hits) for the
    usual non-nested codings and speaker turns.
    """

    __slots__ = ("_starts", "_items", "_reach")

    def __init__(self, items: Iterable[tuple[int, int, T]]):
        self._items = sorted(items, key=lambda it: (it[0], it[1]))
        self._starts = [it[0] for it in self._items]
        self._reach: list[int] = []
        best = -1
        for _s, e, _p in self._items:
            best = max(best, e)
            self._reach.append(best)

    def __len__(self) -> int:
        return len(self._items)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int, T]]:
        """Items sharing a character with ``[start, end)``, in start order."""
        hits = []
        i = bisect_left(self._starts, end) - 1
        while i >= 0 and self._reach[i] > start:
            s, e, payload = self._items[i]
            if e > start:
                hits.append((s, e, payload))
            i -= 1
        hits.reverse()
        return hits

    def any_overlap(self, start: int, end: int) -> bool:
        i = bisect_left(self._starts, end) - 1
        while i >= 0 and self._reach[i] > start:
            if self._items[i][1] > start:
                return True
            i -= 1
        return False
