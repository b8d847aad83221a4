"""Readers that turn transcript files into :class:`~qcdesk.core.importers.base.ParsedDocument`.

``parse_file(path)`` picks the reader by the file's suffix (and content where
the suffix is ambiguous) and raises :class:`~qcdesk.core.errors.ImportFailed`
with a reason a researcher understands when the file cannot be read.
"""

from qcdesk.core.importers.dispatch import SUPPORTED_SUFFIXES, parse_file

__all__ = ["SUPPORTED_SUFFIXES", "parse_file"]
