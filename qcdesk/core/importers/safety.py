"""Limits and checks that keep a bad or hostile file from hanging or exhausting the app.

Every reader goes through :func:`read_file_bytes` and, for zip-based formats,
:func:`open_zip` / :func:`read_member`, so a zip bomb, a huge file or a
binary file renamed ``.txt`` ends as :class:`ImportFailed` with a plain reason.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from qcdesk.core.errors import ImportFailed

#: largest file read for text formats (.txt, .md, .vtt, .srt, .rtf)
MAX_TEXT_BYTES = 100 * 1024 * 1024
#: largest file read for container formats (.docx, .odt, .pdf)
MAX_CONTAINER_BYTES = 200 * 1024 * 1024
#: largest total uncompressed size of the zip members a reader may unpack
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: a member that expands more than this many times (and past 1 MB) is treated as a zip bomb
MAX_COMPRESSION_RATIO = 200
#: largest total uncompressed size of the XML parts of one file: an XML tree takes about 13 bytes
#: of memory per byte of XML (a 190 MB document.xml took 2.6 GB), and a long transcript's
#: document.xml is a few MB
MAX_XML_BYTES = 64 * 1024 * 1024
#: more members than this is not a word-processor document
MAX_ZIP_MEMBERS = 20_000

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
PDF_MAGIC = b"%PDF"

OPEN_PROJECT = "it is a qcdesk project file open in this window, not a transcript"


def fail(path: Path | str, reason: str) -> ImportFailed:
    return ImportFailed(str(path), reason)


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def _special_kind(mode: int) -> str | None:
    """What a file that is not an ordinary file is, in words, or None for an ordinary file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _refuse_special(path: Path, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise fail(path, "this is a folder, not a file")
    kind = _special_kind(mode)
    if kind:
        raise fail(path, f"this is {kind}, not an ordinary file; only ordinary files can be imported")


def open_regular_file(path: Path) -> BinaryIO:
    """The file opened for reading, or ImportFailed if it is missing, unreadable or not an ordinary file.

    A FIFO, device or socket is refused from its ``stat`` before it is opened (opening a FIFO
    waits for a writer forever; ``/dev/zero`` never ends); the open itself does not block, and
    what was opened is checked again in case the name was replaced in between.
    """
    try:
        if not path.exists():
            raise fail(path, "the file does not exist (it may have been moved or deleted)")
        _refuse_special(path, path.stat().st_mode)
        # only a process that loaded the storage module can have a project open: a worker process
        # that only parses need not load it (and SQLite with it) to learn that
        connection = sys.modules.get("qcdesk.core.storage.connection")
        if connection is not None and connection.opened_here(path):
            # reading it would also drop SQLite's locks on the open project (closing any
            # descriptor of a file drops the process's POSIX locks on it)
            raise fail(path, OPEN_PROJECT)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        fh = os.fdopen(fd, "rb")
        try:
            _refuse_special(path, os.fstat(fd).st_mode)
        except ImportFailed:
            fh.close()
            raise
        return fh
    except ImportFailed:
        raise
    except PermissionError:
        raise fail(path, "the file cannot be read: permission denied") from None
    except OSError as exc:
        raise fail(path, f"the file cannot be read ({exc.strerror or exc})") from None


def read_file_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes, or ImportFailed if it is missing, unreadable, not an ordinary file,
    empty or too large."""
    with open_regular_file(path) as fh:
        try:
            size = os.fstat(fh.fileno()).st_size
            if size > limit:
                raise fail(path, f"the file is too large ({_megabytes(size)}; the limit for this "
                                 f"format is {_megabytes(limit)})")
            data = fh.read(limit + 1)
        except ImportFailed:
            raise
        except OSError as exc:
            raise fail(path, f"the file cannot be read ({exc.strerror or exc})") from None
    if len(data) > limit:
        raise fail(path, f"the file is too large (the limit for this format is {_megabytes(limit)})")
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise fail(path, "the file is empty")
    return data


def is_encrypted_office(data: bytes) -> bool:
    """An OLE compound file holding an ``EncryptionInfo`` stream: a password-protected .docx/.xlsx."""
    return data.startswith(OLE_MAGIC) and "EncryptionInfo".encode("utf-16-le") in data


def ole_reason(data: bytes) -> str:
    if is_encrypted_office(data):
        return ("the document is password-protected (encrypted); open it in Word, remove the "
                "password (File › Info › Protect Document), save, and import it again")
    return ("this is an old-style Office file (Word 97-2003 .doc or similar), not a .docx/.odt; "
            "open it in a word processor, save it as .docx, and import that")


def sniff_other_format(data: bytes) -> str | None:
    """A reason if the bytes are plainly a known binary format, whatever the file is called."""
    if data.startswith(PDF_MAGIC):
        return "this file is a PDF, although its name says otherwise; rename it to .pdf"
    if data.startswith(ZIP_MAGIC):
        return ("this file is a zip archive (for example a .docx or .odt renamed); "
                "give it its proper extension")
    if data.startswith(OLE_MAGIC):
        return ole_reason(data)
    return None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 64 KB: not a text file."""
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(2, len(sample) // 50)


def open_zip(path: Path, data: bytes, what: str) -> zipfile.ZipFile:
    """Open ``data`` as a zip after checking its members cannot blow up when read."""
    if data.startswith(OLE_MAGIC):
        raise fail(path, ole_reason(data))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        raise fail(path, f"the file is damaged or is not a real {what} (it is not a valid zip "
                         "container)") from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise fail(path, f"the file is not a real {what}: it holds {len(infos)} parts")
    check_members(path, infos)
    return zf


def check_members(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    """Refuse a zip by the sizes its members declare (reading never yields more), before any is read."""
    total = xml = 0
    for info in infos:
        check_member(path, info)
        total += info.file_size
        if info.filename.lower().endswith((".xml", ".rels", ".qde", ".qdc")):
            xml += info.file_size
    if total > MAX_UNCOMPRESSED_BYTES:
        raise fail(path, f"the file would expand to {_megabytes(total)} when unpacked (limit "
                         f"{_megabytes(MAX_UNCOMPRESSED_BYTES)}); it may be a zip bomb")
    if xml > MAX_XML_BYTES:
        raise fail(path, f"the file would expand to {_megabytes(xml)} of XML when unpacked (the limit is "
                         f"{_megabytes(MAX_XML_BYTES)}); it may be a zip bomb, or a document too large to "
                         "read safely")


def check_member(path: Path, info: zipfile.ZipInfo) -> None:
    if info.file_size > MAX_UNCOMPRESSED_BYTES:
        raise fail(path, f"a part of the file would expand to {_megabytes(info.file_size)} "
                         "when unpacked; it may be a zip bomb")
    if info.file_size > 1024 * 1024 and info.file_size > MAX_COMPRESSION_RATIO * max(1, info.compress_size):
        raise fail(path, "a part of the file is compressed suspiciously well "
                         f"({info.file_size // max(1, info.compress_size)}:1); it may be a zip bomb")


def read_member(path: Path, zf: zipfile.ZipFile, name: str, what: str) -> bytes:
    """Read one member, never more than its declared size (already checked by open_zip)."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise fail(path, f"the file is not a valid {what}: it has no {name}") from None
    check_member(path, info)
    try:
        with zf.open(info) as fh:
            out = fh.read(MAX_UNCOMPRESSED_BYTES + 1)
    except RuntimeError:
        raise fail(path, f"the {what} is encrypted; remove the password and import it again") from None
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise fail(path, f"the file is damaged: its part {name} cannot be unpacked") from None
    if len(out) > MAX_UNCOMPRESSED_BYTES:
        raise fail(path, "a part of the file is too large when unpacked; it may be a zip bomb")
    return out


def stored_member(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A member's bytes as the zip ``data`` stores them (compressed, not checked), found through its
    local header; None when that header is not where the directory says. Equal stored bytes with
    equal method, size and CRC unpack to equal contents, so they can stand for them as a key."""
    start = info.header_offset
    header = data[start:start + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        return None
    begin = start + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
    end = begin + info.compress_size
    return data[begin:end] if end <= len(data) else None


def reject_xml_entities(path: Path, xml: bytes) -> None:
    """Office XML never declares entities; a file that does may be an entity-expansion bomb."""
    if b"<!ENTITY" in xml[:65536] or b"<!DOCTYPE" in xml[:65536]:
        raise fail(path, "the file contains XML entity declarations, which documents never "
                         "use; it was not read for safety")
