"""Fixtures for importer tests: a helper to write files (the corpus fixture is in tests/conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest



@pytest.fixture
def write(tmp_path):
    """write(name, content) -> Path; str content is written as UTF-8."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return _write
