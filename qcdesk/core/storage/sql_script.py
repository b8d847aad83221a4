"""Running a script of several SQL statements inside the transaction that is open.

A migration step's SQL is one script. Python's ``sqlite3`` ``executescript`` commits the open
transaction first, so sqlite-utils splits a script itself when a transaction is open; it does so
one character at a time, joining the statement so far and asking SQLite whether it is complete
after every character: work quadratic in a statement's length (over half the time of creating a
project). Here the script is cut only after its semicolons, and SQLite's
:func:`sqlite3.complete_statement` says whether that semicolon ends a statement (not one inside a
string, a comment or a trigger's body).
"""

from __future__ import annotations

import re
import sqlite3

import sqlite_utils

_AFTER_SEMICOLON = re.compile(r"(?<=;)")
_COMMENT = re.compile(r"--[^\n]*|/\*.*?\*/", re.DOTALL)


def statements(sql: str) -> list[str]:
    """The statements of ``sql`` in order, each with its closing semicolon; a last statement
    without one is kept as it is, and what is only blanks or comments is left out."""
    found: list[str] = []
    pending = ""
    for piece in _AFTER_SEMICOLON.split(sql):
        pending += piece
        if pending.strip() and sqlite3.complete_statement(pending):
            found.append(pending.strip())
            pending = ""
    if _COMMENT.sub("", pending).strip():
        found.append(pending.strip())
    return found


def run_in_transaction(db: sqlite_utils.Database, sql: str) -> None:
    """Runs the statements of ``sql`` one by one in the transaction that is open (it is neither
    committed nor ended here: a statement that fails leaves the caller to roll everything back)."""
    if not db.conn.in_transaction:
        raise RuntimeError("run_in_transaction needs an open transaction")
    for statement in statements(sql):
        db.execute(statement)
