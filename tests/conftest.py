"""Fixtures shared by every test folder (no Qt here: core tests must run without it)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
#: real files made by other people and tools; read-only, beside the repository
CORPUS = (REPO_ROOT / ".." / "shared" / "corpus").resolve()


@pytest.fixture
def corpus() -> Path:
    """The shared corpus folder; tests that need it are skipped, with the reason, when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared test corpus is not present at {CORPUS}")
    return CORPUS
