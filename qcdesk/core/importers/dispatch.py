"""Choosing a reader for a file by its suffix, with one safety net for every reader.

``parse_file`` never raises anything but :class:`ImportFailed`: a reader's
unexpected error on a damaged file becomes a plain "could not be read" reason.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable

from qcdesk.core.errors import ImportFailed
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.importers.safety import MAX_CONTAINER_BYTES, MAX_TEXT_BYTES, fail, read_file_bytes

Reader = Callable[[Path, bytes], ParsedDocument]

#: suffix -> ("module:function" of the reader, size limit in bytes); modules load on first use
READERS: dict[str, tuple[str, int]] = {
    ".txt": ("text:read_txt", MAX_TEXT_BYTES),
    ".md": ("markdown:read_markdown", MAX_TEXT_BYTES),
    ".markdown": ("markdown:read_markdown", MAX_TEXT_BYTES),
    ".docx": ("docx_reader:read_docx", MAX_CONTAINER_BYTES),
    ".odt": ("odt:read_odt", MAX_CONTAINER_BYTES),
    ".rtf": ("rtf:read_rtf", MAX_TEXT_BYTES),
    ".pdf": ("pdf:read_pdf", MAX_CONTAINER_BYTES),
    ".vtt": ("subtitles:read_vtt", MAX_TEXT_BYTES),
    ".srt": ("subtitles:read_srt", MAX_TEXT_BYTES),
}

#: every suffix parse_file reads (lower case, with the dot), for file dialogs and drop targets
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(READERS)


def reader_for(suffix: str) -> Reader:
    module, _, func = READERS[suffix][0].partition(":")
    return getattr(importlib.import_module(f"qcdesk.core.importers.{module}"), func)


def parse_file(path: Path | str) -> ParsedDocument:
    """Read one file into plain text with its structure, or raise ImportFailed."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in READERS:
        names = ", ".join(SUPPORTED_SUFFIXES)
        what = f"“{suffix}” files are" if suffix else "files without an extension are"
        raise fail(path, f"{what} not supported; qcdesk reads {names}")
    data = read_file_bytes(path, READERS[suffix][1])
    try:
        parsed = reader_for(suffix)(path, data)
    except ImportFailed:
        raise
    except MemoryError:
        raise fail(path, "the file is too large to read into memory") from None
    except RecursionError:
        raise fail(path, "the file is nested too deeply to read; it may be damaged") from None
    except Exception as exc:  # a damaged file must never crash the import
        raise fail(path, f"the file could not be read; it may be damaged ({type(exc).__name__})") from exc
    if not parsed.text.strip():
        raise fail(path, "the file contains no text")
    parsed.validate()
    return parsed
