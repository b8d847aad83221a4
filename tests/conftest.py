"""Fixtures shared by every test folder (no Qt here: core tests must run without it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
#: real files made by other people and tools; read-only, beside the repository (QCDESK_TEST_CORPUS
#: names it elsewhere, e.g. for a git worktree that is not beside it)
CORPUS = Path(os.environ.get("QCDESK_TEST_CORPUS") or REPO_ROOT / ".." / "shared" / "corpus").resolve()


@pytest.fixture
def corpus() -> Path:
    """The shared corpus folder; tests that need it are skipped, with the reason, when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared test corpus is not present at {CORPUS}")
    return CORPUS
