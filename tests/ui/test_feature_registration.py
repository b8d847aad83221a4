"""Features are registered explicitly, once each, and use the window through WindowServices only.

Read from the source (no window is built): ``qcdesk/ui/features.py`` assigns each feature's
``install(window)`` to a window attribute declared on ``MainWindow``; inside a feature module,
whatever holds the window (an ``install``/``__init__`` parameter typed ``WindowServices``, and
every name or ``self.`` attribute assigned from it) is only used through the members
:data:`qcdesk.ui.window_services.MEMBERS` lists, never a private one, never by a name in a string.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

import qcdesk.ui
from qcdesk.ui.window_services import MEMBERS

UI = Path(qcdesk.ui.__file__).parent


def _registrations() -> list[tuple[str, str]]:
    """(window attribute, feature module) for each ``window.attr = module.install(window)`` line."""
    tree = ast.parse((UI / "features.py").read_text(encoding="utf-8"))
    install_all = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "install_all")
    found = []
    for node in ast.walk(install_all):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "install":
            assert isinstance(node.func.value, ast.Name)
            found.append(node.func.value.id)
    pairs = []
    for stmt in install_all.body:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # the docstring
        assert isinstance(stmt, ast.Assign), ast.unparse(stmt)
        target, call = stmt.targets[0], stmt.value
        assert isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name), ast.unparse(stmt)
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute), ast.unparse(stmt)
        assert isinstance(call.func.value, ast.Name) and call.func.attr == "install", ast.unparse(stmt)
        pairs.append((target.attr, call.func.value.id))
    assert len(pairs) == len(found), "every install() call is one `window.attr = module.install(window)` line"
    return pairs


def _installed_by(module: str) -> set[str]:
    """Modules whose ``install(window)`` a feature module calls itself (a part of that feature)."""
    tree = ast.parse((UI / f"{module}.py").read_text(encoding="utf-8"))
    return {n.func.value.id for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "install"
            and isinstance(n.func.value, ast.Name)}


def _feature_modules() -> list[str]:
    """Registered features and the parts they install themselves (the idle lock of security)."""
    registered = [module for _attr, module in _registrations()]
    parts = sorted(set().union(*(_installed_by(m) for m in registered)) - set(registered))
    return registered + parts


def test_every_feature_is_registered_once():
    pairs = _registrations()
    attrs, modules = Counter(a for a, _ in pairs), Counter(m for _, m in pairs)
    assert [a for a, n in attrs.items() if n > 1] == []
    assert [m for m, n in modules.items() if n > 1] == []
    # every module of qcdesk/ui with a top-level install(window) is a registered feature or part of one
    installers = set()
    for path in UI.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if any(isinstance(n, ast.FunctionDef) and n.name == "install" for n in tree.body):
            installers.add(path.stem)
    assert installers == set(_feature_modules())


def test_each_feature_has_a_typed_attribute_on_the_window():
    tree = ast.parse((UI / "main_window.py").read_text(encoding="utf-8"))
    window = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "MainWindow")
    declared = Counter(n.target.id for n in window.body
                       if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name))
    registered = {attr for attr, _ in _registrations()}
    assert registered <= set(declared), registered - set(declared)
    assert all(declared[a] == 1 for a in registered)


def _window_uses(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, member) for every attribute read or written on something holding the window."""
    names: set[str] = set()
    self_attrs: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for arg in [*node.args.args, *node.args.kwonlyargs]:
                if arg.annotation is not None and "WindowServices" in ast.unparse(arg.annotation):
                    names.add(arg.arg)

    def holds_window(expr: ast.expr) -> bool:
        if isinstance(expr, ast.Name):
            return expr.id in names
        return (isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name)
                and expr.value.id == "self" and expr.attr in self_attrs)

    grew = True
    while grew:  # names and self. attributes assigned from the window hold it too
        grew = False
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and holds_window(node.value):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id not in names:
                        names.add(target.id)
                        grew = True
                    elif (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                          and target.value.id == "self" and target.attr not in self_attrs):
                        self_attrs.add(target.attr)
                        grew = True
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and holds_window(node.value):
            uses.append((node.lineno, node.attr))
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
                and node.args and holds_window(node.args[0])):
            uses.append((node.lineno, f"{node.func.id}(window, ...)"))
    return uses


@pytest.mark.parametrize("module", _feature_modules())
def test_features_use_only_the_window_services(module):
    tree = ast.parse((UI / f"{module}.py").read_text(encoding="utf-8"))
    uses = _window_uses(tree)
    assert uses, f"{module}: its window parameter is not typed WindowServices"
    private = [(line, m) for line, m in uses if m.startswith("_")]
    assert private == [], f"{module} touches the window's private members"
    outside = sorted({(line, m) for line, m in uses if m not in MEMBERS})
    assert outside == [], f"{module} uses members not listed in qcdesk/ui/window_services.py"


def test_the_checker_sees_private_use():
    """The scan above is not blind: it finds a private member reached through a stored window."""
    tree = ast.parse(
        "class F:\n"
        "    def __init__(self, window: 'WindowServices'):\n"
        "        self.win = window\n"
        "        w = self.win\n"
        "        w._attach(None)\n"
        "        getattr(window, 'team')\n")
    assert (5, "_attach") in _window_uses(tree)
    assert (6, "getattr(window, ...)") in _window_uses(tree)


def test_the_window_provides_every_service():
    """MainWindow really has each member WindowServices lists (no promise the window does not keep)."""
    tree = ast.parse((UI / "main_window.py").read_text(encoding="utf-8"))
    window = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "MainWindow")
    own = {n.target.id for n in window.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
    own |= {n.name for n in window.body if isinstance(n, ast.FunctionDef)}
    own |= {t.id for n in window.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
    for node in ast.walk(window):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) else []
        for target in targets:
            for t in ast.walk(target):
                if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self":
                    own.add(t.attr)
    from PySide6.QtWidgets import QMainWindow
    missing = sorted(m for m in MEMBERS if m not in own and not hasattr(QMainWindow, m))
    assert missing == []


def test_a_built_window_holds_each_feature_install_returned(qtbot, tmp_path):
    """Each typed attribute is the feature object itself (the workbench's owns View ▸ Focus)."""
    from qcdesk.ui.main_window import MainWindow
    from qcdesk.ui.settings import Settings
    from qcdesk.ui.workbench_layout import Workbench

    window = MainWindow(Settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    assert isinstance(window.workbench, Workbench)
    assert window.workbench.action is window.act_focus
    assert all(getattr(window, attr) is not None for attr, _module in _registrations())
