"""The suite runs under one hypothesis profile, registered and loaded in tests/conftest.py only.

Registering a profile under the name of the loaded one changes the settings at once, for every
test run after that module was imported: with pytest collecting every module before running, one
module re-registering ``ci`` set the examples and health checks of the whole suite, or not,
depending on which files were asked for.
"""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest
from hypothesis import settings

pytestmark = pytest.mark.core

TESTS = Path(__file__).resolve().parents[1]
PROFILE_CALLS = {"register_profile", "load_profile"}


def profile_calls(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [f"{path.relative_to(TESTS)}:{node.lineno} {node.func.attr}" for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in PROFILE_CALLS]


def test_profiles_are_registered_and_loaded_in_the_suite_conftest_only():
    calls = [call for path in sorted(TESTS.rglob("*.py")) if path != TESTS / "conftest.py"
             for call in profile_calls(path)]
    assert calls == []
    assert len(profile_calls(TESTS / "conftest.py")) == 3  # two profiles, one load


@pytest.mark.skipif(os.environ.get("HYPOTHESIS_PROFILE", "ci") != "ci", reason="another profile was asked for")
def test_the_fixed_profile_holds():
    now = settings.default
    assert now == settings.get_profile("ci")
    assert (now.derandomize, now.deadline, now.database, now.max_examples) == (True, None, None, 40)
