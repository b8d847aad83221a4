"""Choosing a reader for a file (being written: the importer work fills this in)."""

from __future__ import annotations

from pathlib import Path

from qcdesk.core.errors import ImportFailed
from qcdesk.core.importers.base import ParsedDocument

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt",)


def parse_file(path: Path) -> ParsedDocument:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(str(path), exc.strerror or str(exc)) from exc
    text = data.decode("utf-8-sig").replace("\r\n", "\n")
    return ParsedDocument(text=text, source_format="txt")
