"""Documents have one owner (issue 14): every insert, update and delete of the document tables
(``documents``, ``blocks``, ``speaker_turns``, ``sync_points``) is SQL in
``qcdesk/core/storage/documents.py``, and only ``qcdesk/core/documents.py`` (``project.documents``)
calls the functions there that write. Read from the source (no project needed)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import qcdesk

pytestmark = pytest.mark.core

PACKAGE_DIR = Path(qcdesk.__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
DOCUMENT_TABLES = {"documents", "blocks", "speaker_turns", "sync_points"}
STORAGE = "qcdesk/core/storage/documents.py"
SERVICE = "qcdesk/core/documents.py"
#: modules that may write the document tables besides the owner, each with the reason (keep it short)
ALLOWED: dict[str, str] = {}
#: a statement that writes a table: the table's name, or ``{`` for one put in by an f-string
WRITE = re.compile(r"\s*(?:INSERT(?:\s+OR\s+\w+)?\s+INTO|REPLACE\s+INTO|UPDATE(?:\s+OR\s+\w+)?|DELETE\s+FROM)"
                   r"\s+[\[\"]?(\{|\w+)", re.IGNORECASE)
#: sqlite-utils calls on a table that write it
WRITE_METHODS = {"insert", "insert_all", "upsert", "upsert_all", "update", "delete", "delete_where"}
#: a function that, named so, writes the table whose name it is given (``insert_row(db, "documents", ...)``)
WRITE_NAMES = re.compile(r"^_?(insert|delete|remove|restore|update|upsert|replace)(_|$)", re.IGNORECASE)


def _strings(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return ["".join(v.value if isinstance(v, ast.Constant) else "{" for v in node.values)]
    return []


def _constants(tree: ast.Module) -> dict[str, set[str]]:
    """Module-level names bound to expressions holding strings (tuples of table names...)."""
    out: dict[str, set[str]] = {}
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found = {s for n in ast.walk(node.value) if node.value is not None for s in _strings(n)}
            for target in targets:
                if isinstance(target, ast.Name):
                    out[target.id] = found
    return out


def _names_a_document_table(scope: ast.AST, constants: dict[str, set[str]]) -> bool:
    for node in ast.walk(scope):
        if any(s in DOCUMENT_TABLES for s in _strings(node)):
            return True
        if isinstance(node, ast.Name) and constants.get(node.id, set()) & DOCUMENT_TABLES:
            return True
    return False


def _scopes(tree: ast.Module) -> list[ast.AST]:
    """Each function (and the module's own statements as one more scope)."""
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    top = ast.Module(body=[n for n in tree.body if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                        ast.ClassDef))], type_ignores=[])
    return [*functions, top]


def table_writes(source: str) -> list[str]:
    """Where ``source`` writes a document table: "line N: ..." each, sorted."""
    tree = ast.parse(source)
    constants = _constants(tree)
    found: set[str] = set()
    for scope in _scopes(tree):
        generic = _names_a_document_table(scope, constants)
        for node in ast.walk(scope):
            for text in _strings(node):
                match = WRITE.match(text)
                if match and (match.group(1) in DOCUMENT_TABLES or (match.group(1) == "{" and generic)):
                    found.add(f"line {node.lineno}: {text.strip()[:60]!r}")
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
                continue
            # db.table("documents").insert(...), db["blocks"].delete_where(...)
            target = node.func.value
            if node.func.attr in WRITE_METHODS and isinstance(target, (ast.Call, ast.Subscript)):
                key = target.args[0] if isinstance(target, ast.Call) and target.args else getattr(target, "slice", None)
                if key is not None and (set(_strings(key)) & DOCUMENT_TABLES or (not _strings(key) and generic)):
                    found.add(f"line {node.lineno}: .{node.func.attr}(...) on a document table")
        for node in ast.walk(scope):
            # insert_row(db, "documents", row), sql.insert(self.db, "documents", values)
            if isinstance(node, ast.Call):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if WRITE_NAMES.search(name) and any(set(_strings(a)) & DOCUMENT_TABLES for a in node.args):
                    found.add(f"line {node.lineno}: {name}(..., a document table, ...)")
    return sorted(found, key=lambda f: (int(f.split(":")[0][5:]), f))


def storage_writers() -> set[str]:
    """The functions of the document storage module that write (directly, through another of its
    functions, or by putting a snapshot back)."""
    source = (ROOT / STORAGE).read_text(encoding="utf-8")
    tree = ast.parse(source)
    functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    lines = {int(f.split(":")[0][5:]) for f in table_writes(source)}
    writes = {name for name, fn in functions.items()
              if any(fn.lineno <= line <= (fn.end_lineno or fn.lineno) for line in lines)
              or "snapshots.restore" in ast.unparse(fn)}
    while True:
        more = {name for name, fn in functions.items() if name not in writes
                and any(isinstance(n, ast.Name) and n.id in writes for n in ast.walk(fn))}
        if not more:
            return writes
        writes |= more


def calls_to_writers(source: str, writers: set[str]) -> list[str]:
    """Where ``source`` calls a writing function of the document storage module."""
    tree = ast.parse(source)
    aliases: set[str] = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "qcdesk.core.storage":
            aliases |= {a.asname or a.name for a in node.names if a.name == "documents"}
        elif isinstance(node, ast.ImportFrom) and node.module == "qcdesk.core.storage.documents":
            found += [f"line {node.lineno}: imports {a.name}" for a in node.names if a.name in writers]
        elif isinstance(node, ast.Import):
            aliases |= {a.asname for a in node.names if a.name == "qcdesk.core.storage.documents" and a.asname}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                and node.attr in writers):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
    return found


def _modules() -> dict[str, str]:
    return {p.relative_to(ROOT).as_posix(): p.read_text(encoding="utf-8") for p in sorted(PACKAGE_DIR.rglob("*.py"))}


def test_the_finder_sees_each_way_of_writing_a_document_table():
    assert table_writes('db.execute("DELETE FROM documents WHERE id = ?", [1])')
    assert table_writes("db.execute('UPDATE speaker_turns SET speaker = ?', [])")
    assert table_writes("db.conn.executemany('INSERT INTO sync_points (a) VALUES (?)', rows)")
    assert table_writes('db.table("blocks").insert_all(rows)')
    assert table_writes('db["documents"].delete_where("id = 1")')
    assert table_writes('new = sql.insert(self.db, "documents", values)')
    # a statement over a table named elsewhere in the same function, or in a module constant it reads
    assert table_writes('def f(db):\n    for t in ("codes", "documents"):\n        db.execute(f"DELETE FROM [{t}]")')
    assert table_writes('T = ("codings", "speaker_turns")\n'
                        'def f(db, table):\n    assert table in T\n    db.execute(f"UPDATE {table} SET a = 1")')
    assert table_writes('def f(db, rows):\n    for t in ("coders", "blocks"):\n        db.table(t).insert_all(rows[t])')


def test_the_finder_ignores_reads_and_other_tables():
    assert table_writes('db.execute("SELECT name FROM documents WHERE id = ?", [1])') == []
    assert table_writes('db.execute("DELETE FROM codings WHERE document_id = ?", [1])') == []
    assert table_writes('def f(db):\n    for t in ("codes", "memos"):\n        db.execute(f"DELETE FROM [{t}]")') == []
    assert table_writes('rows = sql.rows(db, "documents")\nchanges.documents.add(1)') == []
    assert table_writes('"""Delete from the documents list."""') == []


def test_the_storage_writers_are_found():
    writers = storage_writers()
    assert {"insert", "insert_blocks", "insert_turns", "insert_sync_points", "rename", "delete", "restore",
            "set_text", "set_structure_ranges", "insert_copy"} <= writers
    assert not {"all_documents", "get", "text", "blocks", "turns", "snapshot", "structure_rows"} & writers
    assert calls_to_writers("from qcdesk.core.storage import documents as doc_sql\ndoc_sql.rename(db, 1, 'x')",
                            writers)
    assert calls_to_writers("from qcdesk.core.storage import documents as doc_sql\ndoc_sql.get(db, 1)",
                            writers) == []


def test_only_the_document_storage_module_writes_the_document_tables():
    offenders = {name: found for name, source in _modules().items()
                 if name != STORAGE and name not in ALLOWED and (found := table_writes(source))}
    assert not offenders, ("the document tables are written outside " + STORAGE
                           + " (add a function there and call it through project.documents): " + repr(offenders))
    assert table_writes((ROOT / STORAGE).read_text(encoding="utf-8"))
    for name in ALLOWED:
        assert table_writes((ROOT / name).read_text(encoding="utf-8")), f"{name}: drop it from ALLOWED"


def test_only_the_document_service_calls_the_storage_writers():
    writers = storage_writers()
    offenders = {name: found for name, source in _modules().items()
                 if name != SERVICE and (found := calls_to_writers(source, writers))}
    assert not offenders, "document rows written around project.documents: " + repr(offenders)
    assert calls_to_writers((ROOT / SERVICE).read_text(encoding="utf-8"), writers)
