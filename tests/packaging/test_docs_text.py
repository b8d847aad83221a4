"""The project's documents read as written: no paragraph pasted in twice, no table row with a cell
too many or too few, no code span left open. Each of these once came from an edit or a merge that
spliced two versions of a paragraph together (a duplicated Reports paragraph in the command-line
section; a sentence cut off after a path)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = ["README.md", "ARCHITECTURE.md", "benchmarks/README.md"]


def paragraphs(path: Path) -> list[tuple[int, list[str]]]:
    """(first line number, lines) of each paragraph outside fenced code blocks."""
    out: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start, fenced = 0, False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```"):
            fenced = not fenced
            if current:
                out.append((start, current))
            current = []
            continue
        if fenced:
            continue
        if not line.strip():
            if current:
                out.append((start, current))
            current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        out.append((start, current))
    return out


def cells(row: str) -> int:
    """The cells of a table row, pipes inside code spans not counted."""
    return len(re.sub(r"`[^`]*`", "", row).strip().strip("|").split("|"))


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_long_line_is_written_twice(name):
    seen: dict[str, int] = {}
    for start, lines in paragraphs(ROOT / name):
        for k, line in enumerate(lines):
            if len(line.strip()) > 50 and not line.lstrip().startswith("|"):
                assert line not in seen, f"{name}:{start + k} repeats line {seen[line]}: {line!r}"
                seen[line] = start + k


@pytest.mark.parametrize("name", DOCUMENTS)
def test_every_table_row_has_its_header_s_cells(name):
    for start, lines in paragraphs(ROOT / name):
        if not lines[0].startswith("|"):
            continue
        wanted = cells(lines[0])
        for k, row in enumerate(lines):
            assert row.startswith("|") and cells(row) == wanted, f"{name}:{start + k}: {row!r}"


@pytest.mark.parametrize("name", DOCUMENTS)
def test_no_code_span_is_left_open(name):
    for start, lines in paragraphs(ROOT / name):
        text = "\n".join(lines)
        assert text.count("`") % 2 == 0, f"{name}:{start}: an odd number of backticks in {text[:120]!r}…"
