"""All SQL lives in qcdesk/core/storage: no other module holds a statement or runs one."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import qcdesk

pytestmark = pytest.mark.core

PACKAGE_DIR = Path(qcdesk.__file__).resolve().parent
STORAGE_DIR = PACKAGE_DIR / "core" / "storage"
#: a string that starts like an SQL statement (upper-case keywords, as the project writes them)
STATEMENT = re.compile(r"\s*(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|PRAGMA|CREATE\s+(TABLE|INDEX|"
                       r"TRIGGER|VIEW|VIRTUAL)|DROP\s+(TABLE|INDEX|TRIGGER)|ALTER\s+TABLE|ATTACH|DETACH|VACUUM)\b")
#: the calls that run SQL on a connection or cursor (with the statement as first argument)
RUNS_SQL = {"execute", "executemany", "executescript"}
#: modules outside storage allowed to hold SQL, each with the reason (keep this short)
ALLOWED: dict[str, str] = {}


def strings(node: ast.AST) -> list[str]:
    """The literal text of a string constant or of an f-string's fixed parts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))]
    return []


def sql_findings(source: str) -> list[str]:
    """Where ``source`` holds an SQL statement or runs one: "line N: ..." each, in line order."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        for text in strings(node):
            if STATEMENT.match(text):
                found.add(f"line {node.lineno}: {text.strip()[:60]!r}")
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in RUNS_SQL
                and node.args):
            found.add(f"line {node.lineno}: .{node.func.attr}(...)")
    return sorted(found, key=lambda f: (int(f.split(":")[0][5:]), f))


def outside_storage() -> list[Path]:
    return [p for p in sorted(PACKAGE_DIR.rglob("*.py")) if STORAGE_DIR not in p.parents]


def test_the_finder_sees_statements_and_calls_and_ignores_prose():
    assert sql_findings('db.execute("SELECT 1")') == ["line 1: 'SELECT 1'", "line 1: .execute(...)"]
    assert sql_findings('q = f"SELECT x FROM {table} WHERE id = ?"')
    assert sql_findings('conn.executemany(STATEMENT, rows)') == ["line 1: .executemany(...)"]
    assert sql_findings('"""Select the text, then delete from the list."""\ncommand.execute()') == []


def test_storage_itself_is_found_by_the_finder():
    assert sql_findings((STORAGE_DIR / "codings.py").read_text(encoding="utf-8"))


def test_no_sql_outside_core_storage():
    package_root = PACKAGE_DIR.parent
    offenders = {}
    for path in outside_storage():
        name = path.relative_to(package_root).as_posix()
        found = sql_findings(path.read_text(encoding="utf-8"))
        if found and name not in ALLOWED:
            offenders[name] = found
    assert not offenders, "SQL outside qcdesk/core/storage (move it into a storage module): " + repr(offenders)


def test_every_allowed_module_still_holds_sql():
    for name in ALLOWED:
        assert sql_findings((PACKAGE_DIR.parent / name).read_text(encoding="utf-8")), f"{name}: drop it from ALLOWED"
