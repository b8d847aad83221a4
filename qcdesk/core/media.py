"""Audio and video recordings with their transcripts (issue 18), without Qt.

A document has at most one recording. It is stored either **inside** the project, in 64 KiB
chunks (so an encrypted project keeps it encrypted and nothing ever holds a whole recording in
memory), or **linked**: a path, relative to the project's folder when possible, checked against
the size and SHA-256 taken when it was attached. A recording with no transcript (an audio
diary) is a document with no text.

Reached as ``project.media`` (:class:`MediaService`). Attaching is one action (one
transaction): a refused file or a full disk leaves nothing behind. Deleting a document deletes
its recording's row with it, and undo puts the row back; the chunks stay until the project is
closed or opened again, when no undo can need them (see :mod:`qcdesk.core.storage.media`).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, cast

from qcdesk.core import media_formats
from qcdesk.core.errors import ImportFailed, OperationError, QcdeskError
from qcdesk.core.importers import safety
from qcdesk.core.safe_names import shown_name
from qcdesk.core.storage import connection, schema
from qcdesk.core.storage import media as sql

if TYPE_CHECKING:
    from qcdesk.core.project import Project

_log = logging.getLogger(__name__)

#: bytes per stored chunk of a recording attached now. Each recording keeps the size it was stored
#: with (``media.chunk_size``): recordings attached earlier hold 1 MiB chunks and read as they did. A
#: player's seek reads some 64 KB at a random place, and the store hands over (in an encrypted
#: project: decrypts) the whole chunk around it: 64 KiB chunks made an encrypted seek 10 times
#: faster than 1 MiB ones (benchmarks/media.py), for a project about 1 % bigger.
CHUNK_SIZE = 64 << 10
#: chunks a reader keeps in memory (1 MiB of 64 KiB chunks)
CACHED_CHUNKS = 16


class MediaMissingError(QcdeskError):
    """A linked recording is not where it was (or no longer the same file)."""


class MediaRefusedError(QcdeskError):
    """A file is not a recording qcdesk can use (corrupt, unsupported, empty, not a file)."""


@dataclass(frozen=True)
class MediaInfo:
    id: int
    document_id: int | None
    name: str
    kind: str  # 'audio' | 'video'
    mime: str
    size: int
    duration_ms: int | None
    storage: str  # 'embedded' | 'linked'
    link_path: str | None  # as stored (relative to the project's folder when possible)
    sha256: str

    @property
    def embedded(self) -> bool:
        return self.storage == "embedded"


def _info(row: sql.MediaRow) -> MediaInfo:
    return MediaInfo(row.id, row.document_id, row.name, row.kind, row.mime, row.size, row.duration_ms,
                     row.storage, row.link_path, row.sha256)


def format_duration(ms: int | None) -> str:
    """``1:02:03`` or ``2:03``; ``?`` when unknown."""
    if ms is None:
        return "?"
    seconds = int(round(ms / 1000))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


# ---------------------------------------------------------------------- readers
class MediaReader(io.RawIOBase):
    """A recording's bytes, readable and seekable like a file; ``size`` is its length."""

    size: int = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def __enter__(self) -> "MediaReader":
        return self


class _EmbeddedReader(MediaReader):
    """Reads the chunks of one recording, one chunk in memory at a time."""

    def __init__(self, db_factory, media_id: int, size: int, chunk_size: int, name: str):
        super().__init__()
        self._db_factory = db_factory
        self._db = None
        self._own = False
        self.media_id, self.size, self._chunk_size, self._name = media_id, size, chunk_size, name
        self._pos = 0
        #: the chunks read last (a demuxer jumps between a file's index and its data)
        self._cached: OrderedDict[int, bytes] = OrderedDict()

    def _connection(self):
        if self._db is None:
            self._db, self._own = self._db_factory()
        return self._db

    def _chunk(self, seq: int) -> bytes:
        data = self._cached.get(seq)
        if data is not None:
            self._cached.move_to_end(seq)
            return data
        data = sql.chunk(self._connection(), self.media_id, seq)
        expected = min(self._chunk_size, self.size - seq * self._chunk_size)
        if data is None or len(data) != expected:
            raise MediaMissingError(
                f"The recording {self._name} stored in this project is damaged (part {seq + 1} "
                "is missing or cut short); run “qcdesk-cli check” and attach the recording again.")
        self._cached[seq] = data
        if len(self._cached) > CACHED_CHUNKS:
            self._cached.popitem(last=False)
        return data

    def readinto(self, buffer) -> int:
        if self.closed:
            raise ValueError("read from a closed recording")
        view = memoryview(buffer).cast("B")
        done = 0
        while done < len(view) and self._pos < self.size:
            seq, offset = divmod(self._pos, self._chunk_size)
            data = self._chunk(seq)
            n = min(len(view) - done, len(data) - offset)
            view[done:done + n] = data[offset:offset + n]
            done += n
            self._pos += n
        return done

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_SET:
            pos = offset
        elif whence == io.SEEK_CUR:
            pos = self._pos + offset
        elif whence == io.SEEK_END:
            pos = self.size + offset
        else:
            raise ValueError(f"invalid whence {whence}")
        if pos < 0:
            raise ValueError("negative seek position")
        self._pos = pos
        return pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        if self._own and self._db is not None:
            try:
                self._db.close()
            except Exception:  # noqa: BLE001 - closed from another thread: collected later
                pass
        self._db = None
        self._cached.clear()
        super().close()


class _FileReader(MediaReader):
    """A linked recording: the file itself."""

    def __init__(self, fh: BinaryIO, size: int):
        super().__init__()
        self._fh, self.size = fh, size

    def readinto(self, buffer) -> int:
        return cast(io.BufferedIOBase, self._fh).readinto(buffer)  # a file opened "rb"

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._fh.seek(offset, whence)

    def tell(self) -> int:
        return self._fh.tell()

    def close(self) -> None:
        self._fh.close()
        super().close()


#: told (bytes done, bytes in all) after each chunk; False cancels
Progress = Callable[[int, int], "bool | None"]


class MediaCancelled(QcdeskError):
    """Attaching was cancelled through its progress callback; nothing was stored."""


def _tick(progress: Progress | None, done: int, total: int, path: Path) -> None:
    if progress is not None and progress(done, max(total, done)) is False:
        raise MediaCancelled(f"Attaching {shown_name(path.name)} was cancelled; nothing was stored.")


# ---------------------------------------------------------------------- looking at a file
def _open_source(path: Path) -> BinaryIO:
    try:
        return safety.open_regular_file(path)
    except ImportFailed as exc:
        raise MediaRefusedError(f"Could not attach {shown_name(path.name)}: {exc.reason}.") from None


def _detect(fh: BinaryIO, path: Path) -> media_formats.Detected:
    try:
        return media_formats.detect(fh)
    except media_formats.FormatError as exc:
        raise MediaRefusedError(f"Could not attach {shown_name(path.name)}: {exc}. "
                                "Nothing was stored.") from None
    except OSError as exc:
        raise MediaRefusedError(f"Could not attach {shown_name(path.name)}: the file cannot be "
                                f"read ({exc.strerror or exc}).") from None
    except Exception as exc:  # noqa: BLE001 - a parser tripped on bytes nobody foresaw: still one line
        _log.warning("Reading %s as a recording failed", path.name, exc_info=True)
        raise MediaRefusedError(f"Could not attach {shown_name(path.name)}: it is damaged or not a "
                                f"recording qcdesk can read ({type(exc).__name__}). Nothing was stored.") from None


def probe(path) -> media_formats.Detected:
    """Kind, MIME type and duration of the recording at ``path``, or :class:`MediaRefusedError`
    (a named pipe, device or socket is refused before it is opened)."""
    path = Path(path)
    with _open_source(path) as fh:
        return _detect(fh, path)


# ---------------------------------------------------------------------- the service
class MediaService:
    """The recordings of one project (``project.media``)."""

    def __init__(self, project: "Project"):
        self.project = project

    @property
    def _db(self):
        return self.project.db

    # ------------------------------------------------------------ reading
    def get(self, media_id: int) -> MediaInfo:
        row = sql.get(self._db, media_id)
        if row is None:
            raise OperationError(f"Recording {media_id} does not exist.")
        return _info(row)

    def for_document(self, document_id: int) -> MediaInfo | None:
        row = sql.for_document(self._db, document_id)
        return _info(row) if row else None

    def all(self) -> list[MediaInfo]:
        return [_info(r) for r in sql.all_rows(self._db)]

    def _folder(self) -> Path | None:
        path = self.project.path
        return None if path.name.startswith(":") else path.resolve().parent

    def resolved_path(self, media_id: int) -> Path | None:
        """Where a linked recording should be (whether or not it is there); None when embedded."""
        info = self.get(media_id)
        if info.storage != "linked" or info.link_path is None:
            return None
        link = Path(info.link_path)
        folder = self._folder()
        return link if link.is_absolute() or folder is None else Path(os.path.normpath(folder / link))

    def local_path(self, media_id: int) -> Path | None:
        """The absolute path of a linked recording that is present; None when embedded or missing."""
        path = self.resolved_path(media_id)
        return path if path is not None and self._present(media_id, path) else None

    def _present(self, media_id: int, path: Path) -> bool:
        try:
            return path.is_file() and path.stat().st_size == self.get(media_id).size
        except OSError:
            return False

    def is_available(self, media_id: int) -> bool:
        info = self.get(media_id)
        if info.embedded:
            return True
        return self.local_path(media_id) is not None

    def missing_message(self, media_id: int) -> str:
        info = self.get(media_id)
        path = self.resolved_path(media_id)
        where = shown_name(str(path)) if path is not None else info.link_path
        doc = self._document_name(info)
        if path is not None and path.is_file():
            why = "is there but is not the same file (its size changed)"
        else:
            why = "is missing (moved, renamed or on a drive that is not connected)"
        return (f"The recording {info.name}{doc} linked at {where} {why}. The transcript is still "
                f"usable; relink the recording to the file's new place (on the command line: "
                f"qcdesk-cli media PROJECT --relink {info.id} NEW_PATH).")

    def _document_name(self, info: MediaInfo) -> str:
        if info.document_id is None:
            return ""
        try:
            return f" of “{self.project.document(info.document_id).name}”"
        except QcdeskError:
            return ""

    def open(self, media_id: int, *, own_connection: bool = False) -> MediaReader:
        """The recording's bytes. ``own_connection``: an embedded recording is read through a
        connection of its own, made by the thread that first reads (for a player's thread)."""
        info = self.get(media_id)
        if info.embedded:
            if own_connection:
                project = self.project

                def factory():
                    return connection.connect(project.path, passphrase=project.passphrase,
                                              read_only=True), True
            else:
                def factory():
                    return self.project.db, False
            row = sql.get(self._db, media_id)
            assert row is not None  # info above was read from it
            return _EmbeddedReader(factory, media_id, info.size, row.chunk_size, info.name)
        path = self.local_path(media_id)
        if path is None:
            raise MediaMissingError(self.missing_message(media_id))
        try:
            fh = safety.open_regular_file(path)
        except ImportFailed:
            raise MediaMissingError(self.missing_message(media_id)) from None
        return _FileReader(fh, info.size)

    def timing_warning(self, media_id: int) -> str | None:
        """A sentence when the recording is shorter than its transcript's last time, else None."""
        info = self.get(media_id)
        if info.document_id is None or info.duration_ms is None:
            return None
        times = [t for turn in self.project.speaker_turns(info.document_id)
                 for t in (turn.time_start, turn.time_end) if t is not None]
        if not times or max(times) * 1000 <= info.duration_ms + 1000:  # a second of slack
            return None
        return (f"The recording {info.name} lasts {format_duration(info.duration_ms)} but its transcript "
                f"“{self.project.document(info.document_id).name}” has times up to "
                f"{format_duration(int(max(times) * 1000))}: it may be the wrong recording or cut short. "
                "It was attached; playing past its end is not possible.")

    # ------------------------------------------------------------ changing
    def attach(self, document_id: int, path, *, embed: bool = True, progress: Progress | None = None) -> MediaInfo:
        """Attach the recording at ``path`` to a document (one action). ``progress(bytes done,
        bytes in all)`` is called after each chunk; returning False cancels (nothing is stored)."""
        self.project.document(document_id)
        if sql.for_document(self._db, document_id) is not None:
            raise OperationError(
                f"“{self.project.document(document_id).name}” already has a recording; "
                "detach it first to attach another.")
        return self._store(Path(path), document_id, embed=embed, progress=progress)

    def add_recording(self, path, *, name: str | None = None, embed: bool = True,
                      progress: Progress | None = None) -> tuple[int, MediaInfo]:
        """A recording with no transcript (an audio diary): a document with no text, and the recording."""
        from qcdesk.core.importers.base import ParsedDocument

        path = Path(path)
        probe = self._probe(path)  # refuse before a document is made
        with self.project.action():
            doc = self.project.documents.add(name or path.stem, ParsedDocument(text="", source_format="media"),
                                             source_name=shown_name(path.name))
            info = self._store(path, doc.id, embed=embed, probed=probe, progress=progress)
        return doc.id, info

    _probe = staticmethod(lambda path: probe(path))
    _open_source = staticmethod(lambda path: _open_source(path))
    _detect = staticmethod(lambda fh, path: _detect(fh, path))

    def _link_path(self, path: Path) -> str:
        folder = self._folder()
        absolute = path.resolve()
        if folder is None:
            return str(absolute)
        try:
            return Path(os.path.relpath(absolute, folder)).as_posix()
        except ValueError:  # another drive (Windows)
            return str(absolute)

    def _store(self, path: Path, document_id: int | None, *, embed: bool,
               probed: media_formats.Detected | None = None, progress: Progress | None = None) -> MediaInfo:
        with self._open_source(path) as fh:
            total = os.fstat(fh.fileno()).st_size
            found = self._detect(fh, path) if probed is None else probed
            fh.seek(0)
            row = {"document_id": document_id, "name": shown_name(path.name), "kind": found.kind,
                   "mime": found.mime, "size": 0, "duration_ms": found.duration_ms,
                   "storage": "embedded" if embed else "linked",
                   "link_path": None if embed else self._link_path(path),
                   "sha256": "", "chunk_size": CHUNK_SIZE, "added": schema.now()}
            digest, size = hashlib.sha256(), 0
            if not embed:
                for block in iter(lambda: fh.read(CHUNK_SIZE), b""):
                    digest.update(block)
                    size += len(block)
                    _tick(progress, size, total, path)
            with self.project.action() as changes:
                media_id = sql.insert(self._db, dict(row, size=1, sha256="-"))
                if embed:
                    for seq, block in enumerate(iter(lambda: fh.read(CHUNK_SIZE), b"")):
                        digest.update(block)
                        size += len(block)
                        sql.add_chunk(self._db, media_id, seq, block)
                        _tick(progress, size, total, path)
                if size == 0:
                    raise MediaRefusedError(f"Could not attach {shown_name(path.name)}: the file is empty.")
                sql.update(self._db, media_id, size=size, sha256=digest.hexdigest())
                changes.media.add(media_id)
                if document_id is not None:
                    changes.documents.add(document_id)
        return self.get(media_id)

    def copy_from(self, other: "MediaService", media_id: int, document_id: int) -> MediaInfo:
        """Give a document here the recording ``media_id`` of another project (a merge): its bytes
        copied chunk by chunk, or its link pointed at the same file from this project's folder."""
        info = other.get(media_id)
        row = {"document_id": document_id, "name": info.name, "kind": info.kind, "mime": info.mime,
               "size": info.size, "duration_ms": info.duration_ms, "storage": info.storage,
               "link_path": None, "sha256": info.sha256, "chunk_size": CHUNK_SIZE, "added": schema.now()}
        if not info.embedded:
            where = other.resolved_path(media_id)
            row["link_path"] = self._link_path(where) if where is not None else info.link_path
        with self.project.action() as changes:
            new = sql.insert(self._db, row)
            if info.embedded:
                digest = hashlib.sha256()
                with other.open(media_id) as reader:
                    for seq, block in enumerate(iter(lambda: reader.read(CHUNK_SIZE), b"")):
                        digest.update(block)
                        sql.add_chunk(self._db, new, seq, block)
                if digest.hexdigest() != info.sha256:
                    raise MediaMissingError(f"The recording {info.name} stored in {other.project.path.name} "
                                            "is damaged, so it was not copied; nothing was changed.")
            changes.media.add(new)
            changes.documents.add(document_id)
        return self.get(new)

    def relink(self, media_id: int, new_path, *, accept_different: bool = False) -> MediaInfo:
        """Point a linked recording at ``new_path``. It must be the same file (size and SHA-256)
        unless ``accept_different`` (then its size, hash, kind and duration are taken anew)."""
        info = self.get(media_id)
        if info.embedded:
            raise OperationError(f"The recording {info.name} is stored inside the project; it needs no relinking.")
        path = Path(new_path)
        with self._open_source(path) as fh:
            found = self._detect(fh, path)
            fh.seek(0)
            digest, size = hashlib.sha256(), 0
            for block in iter(lambda: fh.read(CHUNK_SIZE), b""):
                digest.update(block)
                size += len(block)
        if (size, digest.hexdigest()) != (info.size, info.sha256) and not accept_different:
            raise MediaRefusedError(
                f"{shown_name(path.name)} is not the recording that was linked ({info.name}, "
                f"{info.size:,} bytes; this file has {size:,} bytes or other content). Nothing was changed.")
        with self.project.action() as changes:
            sql.update(self._db, media_id, link_path=self._link_path(path), size=size,
                       sha256=digest.hexdigest(), kind=found.kind, mime=found.mime,
                       duration_ms=found.duration_ms)
            changes.media.add(media_id)
            if info.document_id is not None:
                changes.documents.add(info.document_id)
        return self.get(media_id)

    def detach(self, media_id: int) -> None:
        """Remove a recording from its document (the transcript stays); its stored bytes go too."""
        info = self.get(media_id)
        with self.project.action() as changes:
            sql.delete(self._db, media_id)
            changes.media.add(media_id)
            if info.document_id is not None:
                changes.documents.add(info.document_id)
