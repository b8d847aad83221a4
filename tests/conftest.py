"""Fixtures shared by every test folder (no Qt here: core tests must run without it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Every run explores the same examples (derandomized) with no time limit per example, so a busy
# machine or an unlucky seed cannot fail a test that passed before; a failure prints the blob
# that reproduces it. HYPOTHESIS_PROFILE=explore draws fresh random examples, more of them.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True, database=None)
settings.register_profile("explore", deadline=None, print_blob=True, max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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
