"""Is a project sound, down to each transcript's text?

SQLite's integrity check reads every page and index, but not what a row holds: a byte changed
inside a transcript (a bad sector, a faulty copy or sync tool) passes it, and the changed text
would be read, coded and quoted as if it were the interview. Every document keeps the SHA-256
fingerprint of its text taken at import (``content_hash``), so each text is compared with it.

:func:`damaged_documents` compares the texts only (fast: the window runs it in the background on
every open); :func:`check_file` adds SQLite's integrity check, the foreign-key check and the
full-text index's own check, for ``qcdesk-cli check``. Neither writes anything.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import sqlite_utils

from qcdesk.core.errors import ProjectError, QcdeskError
from qcdesk.core.storage import checks as sql
from qcdesk.core.storage import media as media_sql
from qcdesk.core.storage import connection, schema


@dataclass(frozen=True)
class DamagedDocument:
    id: int
    name: str


@dataclass
class CheckReport:
    path: Path
    #: what SQLite's integrity check found ([] when it says "ok")
    integrity: list[str] = field(default_factory=list)
    #: rows whose reference leads nowhere, in words
    foreign_keys: list[str] = field(default_factory=list)
    #: what the full-text index's own check found ([] when sound)
    fts: list[str] = field(default_factory=list)
    #: why a check could not run at all, if one could not
    not_checked: list[str] = field(default_factory=list)
    documents_checked: int = 0
    damaged: list[DamagedDocument] = field(default_factory=list)
    #: recordings stored inside the project whose bytes were compared with their SHA-256
    media_checked: int = 0
    #: "name: what is wrong" of stored recordings that are not what was attached
    damaged_media: list[str] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        return not (self.integrity or self.foreign_keys or self.fts or self.damaged or self.damaged_media)

    def lines(self) -> list[str]:
        """The report as printed by ``qcdesk-cli check``: what was checked, what was found, what to do."""
        n = self.documents_checked
        out = [f"{self.path.name}:",
               f"  SQLite integrity check: {_found(self.integrity)}",
               f"  references between tables: {_found(self.foreign_keys)}",
               f"  full-text index: {_found(self.fts)}",
               f"  texts of {n} document{'s' * (n != 1)}: "
               + (f"{len(self.damaged)} changed since import" if self.damaged else "ok")]
        if self.media_checked:
            m = self.media_checked
            out.append(f"  recordings stored inside ({m}): "
                       + (f"{len(self.damaged_media)} damaged" if self.damaged_media else "ok"))
        out += [f"  not checked: {why}" for why in self.not_checked]
        for doc in self.damaged:
            out.append(f"damaged: “{doc.name}” (document {doc.id}): its text is no longer the text "
                       "that was imported")
        out += [f"damaged: recording {what}; attach the recording again" for what in self.damaged_media]
        if self.sound:
            out.append(f"{self.path.name} is sound.")
        else:
            out.append(f"{self.path.name} is damaged. Restore it from a backup (in the window: File ▸ "
                       f"Restore from backup…; backups are kept in “{self.path.stem} backups” beside it), "
                       "or import the damaged documents again.")
        return out


def _found(problems: list[str]) -> str:
    if not problems:
        return "ok"
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"{problems[0]}{more}"


def damaged_documents(db: sqlite_utils.Database, cancelled: Callable[[], bool] | None = None,
                      sound: Callable[[int, str, bytes], None] | None = None) -> list[DamagedDocument]:
    """The documents whose stored text no longer has the fingerprint taken when it was imported.
    ``sound`` is called with each sound document's (id, content hash, UTF-8 bytes), as the search
    primes its folded texts (:func:`qcdesk.core.search.prime`)."""
    damaged: list[DamagedDocument] = []
    for doc in sql.document_fingerprints(db):
        if cancelled is not None and cancelled():
            break
        if hashlib.sha256(doc.text_bytes or b"").hexdigest() != doc.content_hash:
            damaged.append(DamagedDocument(doc.document_id, doc.name))
        elif sound is not None:
            sound(doc.document_id, doc.content_hash, doc.text_bytes or b"")
    return damaged


def damaged_media(db: sqlite_utils.Database) -> list[str]:
    """"name (recording id): what is wrong" for each recording stored inside whose chunks are not
    the bytes attached (size and SHA-256), read one chunk at a time."""
    out = []
    for stored in media_sql.stored_media(db):
        digest, total, expected_seq, gap = hashlib.sha256(), 0, 0, False
        for chunk in media_sql.stored_chunks(db, stored.id):
            size = len(chunk.data)
            gap = gap or chunk.seq != expected_seq or (total + size < stored.size and size != stored.chunk_size)
            digest.update(chunk.data)
            total += size
            expected_seq = chunk.seq + 1
        where = f"{stored.name} (recording {stored.id})"
        if gap or total != stored.size:
            out.append(f"{where}: {total:,} of its {stored.size:,} bytes are stored, some parts are missing")
        elif digest.hexdigest() != stored.sha256:
            out.append(f"{where}: its bytes are no longer those attached")
    return out


def sqlite_problems(path: Path, passphrase: str | None = None, *, immutable: bool = False,
                    limit: int = 5, cancelled: Callable[[], bool] | None = None) -> list[str] | None:
    """SQLite's full integrity check of the file at ``path`` on a read-only connection of its own
    (the window runs it in the background when opening deferred it): [] when sound, else the
    problems found, in SQLite's words (the first is enough to tell the user); None when
    ``cancelled`` said stop before it was done (closing the project need not wait for it)."""
    db = connection.connect(path, passphrase=passphrase, read_only=True, immutable=immutable)
    try:
        if cancelled is not None:
            db.conn.set_progress_handler(lambda: 1 if cancelled() else 0, 10_000)
        try:
            problems = sql.integrity_problems(db, limit)
        except sql.DAMAGE as exc:
            if cancelled is not None and cancelled():
                return None  # interrupted: nothing is known
            return [f"SQLite cannot read its structure ({exc})"]
    finally:
        db.close()
    lines = [line for p in problems for line in p.splitlines() if line and not line.startswith("***")]
    return lines or problems


def count_documents(db: sqlite_utils.Database) -> int:
    return sql.document_count(db)


def check_file(path: str | Path, *, passphrase: str | None = None) -> CheckReport:
    """Every check of the project file at ``path``, reading only (it may be open in a window)."""
    path = Path(path)
    if not path.is_file():
        raise ProjectError(f"{path} does not exist or is not a file.")
    report = CheckReport(path)
    db = connection.connect(path, passphrase=passphrase, read_only=True)
    try:
        if schema.check_version(db, path) == 0:
            raise ProjectError(f"{path.name} is an empty database, not a qcdesk project.")
        try:
            report.integrity = sql.integrity_problems(db)
        except sql.DAMAGE as exc:
            report.integrity = [f"SQLite cannot read the file's structure ({exc})"]
            return report
        report.foreign_keys = [f"a row of {p.table} (row {p.rowid}) refers to a missing row of {p.parent}"
                               for p in sql.foreign_key_problems(db)]
        try:
            report.documents_checked = count_documents(db)
            report.damaged = damaged_documents(db)
        except sql.DAMAGE as exc:
            report.integrity.append(f"the texts cannot be read ({exc})")
        try:
            report.damaged_media = damaged_media(db)
            report.media_checked = len(media_sql.stored_media(db))
        except sql.DAMAGE as exc:
            report.integrity.append(f"the stored recordings cannot be read ({exc})")
    finally:
        db.close()
    _check_fts(report, passphrase)
    return report


def _check_fts(report: CheckReport, passphrase: str | None) -> None:
    """FTS5 checks itself only through a writable connection (it changes nothing: see the SQL)."""
    path = report.path
    if report.integrity:
        report.not_checked.append("the full-text index (the file itself is damaged)")
        return
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        report.not_checked.append("the full-text index (the file or its folder is read-only)")
        return
    try:
        db = connection.connect(path, passphrase=passphrase)
    except QcdeskError as exc:
        report.not_checked.append(f"the full-text index ({exc})")
        return
    try:
        sql.fts_check(db)
    except sql.DAMAGE as exc:
        if "malformed" in str(exc) or "corrupt" in str(exc):
            report.fts.append("it does not match the texts (searches would miss or invent hits)")
        else:
            report.not_checked.append(f"the full-text index ({exc})")
    finally:
        db.close()
