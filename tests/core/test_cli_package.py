"""The command line package: every module imports on its own, and its modules import no cycle."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import qcdesk

pytestmark = pytest.mark.core

CLI_DIR = Path(qcdesk.__file__).resolve().parent / "cli"


def cli_modules() -> list[str]:
    return sorted("qcdesk.cli" if p.stem == "__init__" else f"qcdesk.cli.{p.stem}" for p in CLI_DIR.glob("*.py"))


def imported_cli_modules(path: Path, modules: set[str]) -> set[str]:
    """The qcdesk.cli modules ``path`` imports, at the top or inside functions (``from qcdesk.cli
    import sets`` imports the module sets; the package's own ``__init__`` that Python runs first is
    not counted: it imports nothing of the package at its top)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in modules else node.module)
    return found & modules


def import_graph() -> dict[str, set[str]]:
    modules = set(cli_modules())
    return {name: imported_cli_modules(CLI_DIR / ("__init__.py" if name == "qcdesk.cli" else
                                                 f"{name.rsplit('.', 1)[1]}.py"), modules)
            for name in modules}


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of ``graph`` (its modules in order), or None."""
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return path[path.index(target):] + [target]
            if target not in state and (found := visit(target, [*path, target])):
                return found
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node, [node])):
            return found
    return None


def test_cycle_finder_finds_a_cycle_and_accepts_a_tree():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_the_graph_sees_imports_inside_functions():
    graph = import_graph()
    assert "qcdesk.cli.parser" in graph["qcdesk.cli"]  # main() imports it when called
    assert {"qcdesk.cli.options", "qcdesk.cli.projects"} <= graph["qcdesk.cli.export"]


def test_the_cli_package_imports_no_cycle():
    assert cycle(import_graph()) is None


def test_the_package_init_imports_none_of_its_modules_at_the_top():
    tree = ast.parse((CLI_DIR / "__init__.py").read_text(encoding="utf-8"))
    top = [n for n in tree.body if isinstance(n, ast.ImportFrom) and (n.module or "").startswith("qcdesk.cli")]
    assert not top  # else importing any qcdesk.cli module would import them all, through the package


def test_no_old_cli_modules_are_left_beside_the_package():
    assert not list(CLI_DIR.parent.glob("cli_*.py"))


@pytest.mark.parametrize("module", cli_modules())
def test_each_cli_module_imports_alone_in_a_fresh_interpreter(module, tmp_path):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(CLI_DIR.parent.parent), *filter(None, [os.environ.get("PYTHONPATH")])]))
    done = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
