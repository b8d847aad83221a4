"""Encrypted projects: turning a plain project into an encrypted one, changing its passphrase,
and writing a decrypted copy when a researcher asks for one.

A project is encrypted as a whole file by SQLCipher (AES-256, key derived from the passphrase).
Converting never edits the plaintext file in place: an encrypted twin is written beside it,
opened with the passphrase and compared (integrity check, row counts per table, header), and
only then swapped in atomically. The plaintext bytes are then overwritten through handles
kept on the old files, so no plaintext project, journal or WAL stays behind in the folder.
(On SSDs and copy-on-write or journalling file systems the drive may still keep old blocks;
encrypting a project before importing sensitive transcripts is the only complete protection.)
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from qcdesk.core import private_files
from qcdesk.core.errors import NotAProjectError, OperationError, ProjectError
from qcdesk.core.storage import connection, lockfile, schema
from qcdesk.core.storage import encryption as enc_sql
from qcdesk.core.storage import info as info_sql

#: shorter passphrases are refused for new keys (existing ones are accepted as they are)
MIN_PASSPHRASE_LENGTH = 8
_SIDE_FILES = ("-wal", "-shm", "-journal")


def is_encrypted(path: str | Path) -> bool:
    """Whether the file at ``path`` looks like an encrypted project.

    Encrypted bytes cannot be told from noise, but SQLCipher writes whole pages (512 bytes
    at the least), so a file that is not a plain SQLite file and is a whole number of pages
    is taken as encrypted; other junk gets the "not a qcdesk project" message, not a
    passphrase question.
    """
    if not connection.is_encrypted_file(path):
        return False
    size = Path(path).stat().st_size
    return size >= 1024 and size % 512 == 0


def check_passphrase_text(passphrase: str, where: str = "The passphrase") -> str:
    """Refuse a passphrase that cannot be handed to SQLCipher: a NUL character, or text that is
    not valid Unicode (bytes that were not UTF-8, kept as lone surrogates by Python)."""
    if "\0" in passphrase:
        raise OperationError(f"{where} contains a NUL character; a passphrase is text on one line.")
    try:
        passphrase.encode("utf-8")
    except UnicodeEncodeError:
        raise OperationError(f"{where} is not UTF-8 text; save or type it as UTF-8.") from None
    return passphrase


def check_new_passphrase(passphrase: str, where: str = "The passphrase") -> str:
    """The one policy for every new key (new project, encrypting, changing the passphrase,
    pseudonym key files; window and command line): usable text of at least
    :data:`MIN_PASSPHRASE_LENGTH` characters, not only spaces."""
    check_passphrase_text(passphrase, where)
    if len(passphrase) < MIN_PASSPHRASE_LENGTH or not passphrase.strip():
        raise OperationError(
            f"Choose a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters; a few words "
            "you can remember are better than a short password.")
    return passphrase


def passphrase_opens(path: str | Path, passphrase: str) -> bool:
    """Whether ``passphrase`` opens the project at ``path`` (a separate connection that writes nothing)."""
    try:
        check_passphrase_text(passphrase)
    except OperationError:
        return False
    try:
        db = connection.open_untouched(path, passphrase=passphrase)
    except (NotAProjectError, ProjectError):
        return False
    db.close()
    return True


def _tmp_beside(path: Path, what: str) -> Path:
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.{what}")


def _remove(path: Path) -> None:
    for suffix in ("", *_SIDE_FILES):
        with contextlib.suppress(FileNotFoundError):
            Path(str(path) + suffix).unlink()


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":  # folders cannot be opened for fsync on Windows
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _verify(copy: Path, passphrase: str, counts: dict[str, int], header: enc_sql.Header) -> None:
    db = connection.connect(copy, passphrase=passphrase, read_only=True)
    try:
        problems = []
        if not info_sql.integrity_ok(db):
            problems.append("it fails the integrity check")
        if enc_sql.table_counts(db) != counts:
            problems.append("its tables do not hold the same number of rows")
        copied = enc_sql.header(db)  # sqlcipher_export leaves both out: copied by hand
        if copied.user_version != header.user_version or copied.application_id != header.application_id:
            problems.append("its format version differs")
    finally:
        db.close()
    if problems:
        raise OperationError("The encrypted copy did not match the project (" + "; ".join(problems)
                             + "). The project was left unencrypted and unchanged.")


def encrypt_project(path: str | Path, passphrase: str) -> Path:
    """Encrypt the closed plain project at ``path`` in place; return ``path``.

    Raises :class:`ProjectLockedError` when the project is open in a window, and
    :class:`OperationError` when it is already encrypted or the copy does not verify
    (the plain project is then untouched).
    """
    path = Path(path)
    check_new_passphrase(passphrase)
    if not path.is_file():
        raise ProjectError(f"{path} does not exist.")
    if is_encrypted(path):
        raise OperationError(f"{path.name} is already encrypted; use Change passphrase instead.")
    lock = lockfile.ProjectLock.acquire(path)
    tmp = _tmp_beside(path, "encrypting")
    held: list[int] = []
    try:
        plain = enc_sql.open_plain_for_export(path)
        try:
            if schema.check_version(plain, path) == 0:
                raise NotAProjectError(f"{path.name} is an empty database, not a qcdesk project.")
            enc_sql.checkpoint(plain)
            counts, header = enc_sql.table_counts(plain), enc_sql.header(plain)
            private_files.prepare(tmp)
            enc_sql.export_copy(plain, tmp, passphrase)
            _verify(tmp, passphrase, counts, header)
            # keep handles on every plaintext file, so their bytes can be wiped once replaced
            for name in (str(path), *(str(path) + s for s in _SIDE_FILES)):
                with contextlib.suppress(FileNotFoundError):
                    held.append(os.open(name, os.O_RDWR | getattr(os, "O_BINARY", 0)))
        except enc_sql.database_errors() as exc:
            raise NotAProjectError(f"{path.name} is damaged and could not be encrypted ({exc}). It was "
                                   "left unencrypted and unchanged.") from exc
        finally:
            plain.close()
        # a journal of the plain file must never be replayed into the encrypted one
        for suffix in _SIDE_FILES:
            with contextlib.suppress(FileNotFoundError):
                Path(str(path) + suffix).unlink()
        os.replace(tmp, path)
        _fsync_folder(path.parent)
        for fd in held:
            private_files.overwrite(fd)
    except BaseException:
        _remove(tmp)
        raise
    finally:
        for fd in held:
            with contextlib.suppress(OSError):
                os.close(fd)
        if lock is not None:
            lock.release()
    return path


def change_passphrase(project, old: str, new: str) -> None:
    """Re-encrypt the open ``project`` under ``new`` after checking ``old`` opens it.

    Backups made earlier keep the passphrase they were made with.
    """
    if project.read_only:
        raise OperationError("This project is open read-only; its passphrase cannot be changed.")
    if not project.passphrase:
        raise OperationError("This project is not encrypted; encrypt it first.")
    if not passphrase_opens(project.path, old):
        raise OperationError("The current passphrase is wrong; the passphrase was not changed.")
    check_new_passphrase(new)
    if new == old:
        raise OperationError("The new passphrase is the same as the current one.")
    enc_sql.rekey(project.db, new)
    enc_sql.checkpoint(project.db, "TRUNCATE")
    if not passphrase_opens(project.path, new):  # pragma: no cover - SQLCipher failed silently
        raise OperationError("The project did not open with the new passphrase after changing it.")
    project.passphrase = new


def decrypt_copy(project, target: str | Path) -> Path:
    """Write an unencrypted copy of the open encrypted ``project`` to ``target`` (a new file)."""
    target = Path(target)
    if not project.passphrase:
        raise OperationError("This project is not encrypted; copy the file itself instead.")
    if target.exists():
        raise OperationError(f"{target.name} already exists; choose a new file name for the copy.")
    if target.resolve() == Path(project.path).resolve():
        raise OperationError("The decrypted copy needs a file name of its own.")
    if not target.parent.is_dir():
        raise OperationError(f"The folder {target.parent} does not exist.")
    tmp = _tmp_beside(target, "decrypting")
    try:
        private_files.prepare(tmp)
        enc_sql.export_copy(project.db, tmp, key="")
        check = connection.connect(tmp, read_only=True)
        try:
            ok = info_sql.integrity_ok(check) and enc_sql.table_counts(check) == enc_sql.table_counts(project.db)
        finally:
            check.close()
        if not ok:
            raise OperationError("The decrypted copy did not match the project; nothing was written.")
        os.replace(tmp, target)
    except BaseException:
        _remove(tmp)
        raise
    return target
