"""How the listing subcommands print: one line per item (or JSON), a word when there is none,
and the count on stderr so that stdout holds only the items (no Qt)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def counted(n: int, noun: str) -> str:
    """``1 document``, ``3 documents``."""
    return f"{n} {noun}{'s' * (n != 1)}"


def print_listing(items: Sequence[T], line: Callable[[T], str], *, as_json: bool = False,
                  json_item: Callable[[T], object] | None = None, empty: str | None = None,
                  total: str | None = None) -> None:
    """Print ``line(item)`` for each item, or with ``as_json`` the list of ``json_item(item)``
    (indented, non-ASCII kept); ``empty`` when there are no items; ``total`` on stderr after the
    lines (not with JSON)."""
    if as_json:
        rows = [json_item(i) if json_item is not None else i for i in items]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not items and empty is not None:
        print(empty)
    for item in items:
        print(line(item))
    if total is not None:
        print(total, file=sys.stderr)
