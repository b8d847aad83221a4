"""The core and the command line work on a machine without Qt."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import qcdesk

pytestmark = pytest.mark.core

PACKAGE_DIR = Path(qcdesk.__file__).resolve().parent
CORE_DIR = PACKAGE_DIR / "core"
QT_IMPORT = re.compile(r"^\s*(from|import)\s+(PySide6|shiboken6|PyQt[56])\b", re.MULTILINE)

BLOCKER = textwrap.dedent("""
    import sys

    class BlockQt:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in {"PySide6", "shiboken6"}:
                raise ImportError(f"{name} is blocked in this test")
            return None

    sys.meta_path.insert(0, BlockQt())
    try:
        import PySide6  # noqa: F401
    except ImportError:
        pass
    else:
        raise SystemExit("the Qt blocker does not work")
""")


def run_without_qt(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    script = tmp_path / "no_qt_check.py"
    script.write_text(BLOCKER + textwrap.dedent(code), encoding="utf-8")
    # the subprocess must import the same qcdesk as this test, not whatever is installed
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(PACKAGE_DIR.parent), *filter(None, [os.environ.get("PYTHONPATH")])]))
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          cwd=tmp_path, env=env, timeout=120)


def core_modules() -> list[str]:
    names = []
    for path in sorted(CORE_DIR.rglob("*.py")):
        rel = path.relative_to(PACKAGE_DIR.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def test_every_core_module_and_the_cli_import_without_qt(tmp_path):
    modules = [*core_modules(), "qcdesk.cli", "qcdesk.cli.parser", "qcdesk.paths", "qcdesk.__main__"]
    assert "qcdesk.core.project" in modules and "qcdesk.core.demo" in modules
    result = run_without_qt(f"""
        import importlib
        import qcdesk
        assert qcdesk.__file__ == {str(PACKAGE_DIR / "__init__.py")!r}, qcdesk.__file__
        failed = []
        for name in {modules!r}:
            try:
                importlib.import_module(name)
            except Exception as exc:
                failed.append(f"{{name}}: {{type(exc).__name__}}: {{exc}}")
        print("\\n".join(failed))
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in {{"PySide6", "shiboken6"}})
        print("QT LOADED:", loaded)
        raise SystemExit(1 if failed or loaded else 0)
    """, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_subcommands_run_without_qt(tmp_path):
    transcript = tmp_path / "p01.txt"
    transcript.write_text("Interviewer: Hello?\n\nP01 (mentor): Hi, Zoë here 🙂\n", encoding="utf-8")
    project = tmp_path / "p.qcdesk"
    result = run_without_qt(f"""
        from qcdesk.cli import main
        assert main(["new", {str(project)!r}]) == 0
        assert main(["import", {str(project)!r}, {str(transcript)!r}]) == 0
        assert main(["stats", {str(project)!r}, "--json"]) == 0
        assert not any(m.startswith("PySide6") for m in sys.modules)
    """, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"documents": 1' in result.stdout


def test_the_blocker_really_blocks(tmp_path):
    result = run_without_qt("""
        from PySide6 import QtCore  # must fail
    """, tmp_path)
    assert result.returncode != 0
    assert "blocked in this test" in result.stderr


DYNAMIC_QT_IMPORT = re.compile(r"""(import_module|__import__)\(\s*["'](PySide6|shiboken6)""")


def test_core_sources_do_not_import_qt():
    """Also catches imports inside functions (which the import test above would not run)."""
    offenders = []
    for path in [*sorted(CORE_DIR.rglob("*.py")), PACKAGE_DIR / "paths.py"]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if QT_IMPORT.search(line) or DYNAMIC_QT_IMPORT.search(line):
                offenders.append(f"{path.relative_to(PACKAGE_DIR)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_textual_check_recognises_qt_imports():
    for line in ["from PySide6.QtCore import Qt", "    import PySide6", "import shiboken6",
                 "importlib.import_module('PySide6.QtGui')"]:
        assert QT_IMPORT.search(line) or DYNAMIC_QT_IMPORT.search(line), line
    assert not QT_IMPORT.search("Nothing below this package may import PySide6")
