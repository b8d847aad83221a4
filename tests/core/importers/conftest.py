"""Fixtures for importer tests: the shared corpus of real files, and a helper to write files."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
CORPUS = (REPO_ROOT / ".." / "shared" / "corpus").resolve()


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared test corpus is not present at {CORPUS}")
    return CORPUS


@pytest.fixture
def write(tmp_path):
    """write(name, content) -> Path; str content is written as UTF-8."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return _write
