"""The project schema as recorded migration steps, and the version gate in front of them.

``PRAGMA user_version`` holds the number of steps applied; sqlite-utils'
``Migrations`` records each step by name and runs it in a transaction. A file
whose version is higher than :data:`SCHEMA_VERSION` was written by a newer
qcdesk and is refused untouched; an older one is copied aside before it is
migrated (``<name>.qcdesk.v<N>-backup``).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import sqlite_utils
from sqlite_utils import Migrations

from qcdesk import __version__
from qcdesk.core.errors import NotAProjectError, ProjectTooNewError

#: 'QCDK' in the SQLite header: lets `file(1)` and qcdesk recognise a project.
APPLICATION_ID = 0x5143444B

migrations = Migrations("qcdesk")


@migrations(name="0001_initial")
def _initial(db: sqlite_utils.Database) -> None:
    db.executescript(
        """
        CREATE TABLE project_info (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE coders (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL
        );
        CREATE TABLE documents (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            plain_text TEXT NOT NULL,
            source_format TEXT NOT NULL,
            source_name TEXT NOT NULL DEFAULT '',
            imported_at TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            char_count INTEGER NOT NULL,
            position INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX idx_documents_hash ON documents(content_hash);
        CREATE TABLE blocks (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            level INTEGER NOT NULL DEFAULT 0,
            CHECK (start >= 0 AND "end" >= start)
        );
        CREATE INDEX idx_blocks_document ON blocks(document_id, start);
        CREATE TABLE speaker_turns (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            speaker TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            time_start REAL,
            time_end REAL,
            CHECK (start >= 0 AND "end" >= start)
        );
        CREATE INDEX idx_turns_document ON speaker_turns(document_id, start);
        CREATE TABLE codes (
            id INTEGER PRIMARY KEY,
            parent_id INTEGER REFERENCES codes(id) ON DELETE CASCADE,
            name TEXT NOT NULL CHECK (length(trim(name)) > 0),
            color TEXT NOT NULL DEFAULT '#f4d03f',
            description TEXT NOT NULL DEFAULT '',
            position INTEGER NOT NULL DEFAULT 0,
            created TEXT NOT NULL
        );
        CREATE INDEX idx_codes_parent ON codes(parent_id, position);
        CREATE TABLE codings (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            coder_id INTEGER REFERENCES coders(id) ON DELETE SET NULL,
            created TEXT NOT NULL,
            CHECK (start >= 0 AND "end" > start)
        );
        CREATE INDEX idx_codings_document ON codings(document_id, start);
        CREATE INDEX idx_codings_code ON codings(code_id);
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            description TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE case_documents (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            PRIMARY KEY (case_id, document_id)
        );
        CREATE TABLE attributes (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            value_type TEXT NOT NULL CHECK (value_type IN ('text', 'number', 'date', 'choice')),
            choices TEXT NOT NULL DEFAULT '[]'
        );
        CREATE TABLE case_attributes (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            attribute_id INTEGER NOT NULL REFERENCES attributes(id) ON DELETE CASCADE,
            value TEXT,
            PRIMARY KEY (case_id, attribute_id)
        );
        CREATE TABLE memos (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL DEFAULT '',
            code_id INTEGER REFERENCES codes(id) ON DELETE CASCADE,
            document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
            case_id INTEGER REFERENCES cases(id) ON DELETE CASCADE,
            coding_id INTEGER REFERENCES codings(id) ON DELETE CASCADE,
            coder_id INTEGER REFERENCES coders(id) ON DELETE SET NULL,
            created TEXT NOT NULL,
            modified TEXT NOT NULL,
            CHECK ((code_id IS NOT NULL) + (document_id IS NOT NULL)
                   + (case_id IS NOT NULL) + (coding_id IS NOT NULL) <= 1)
        );
        """
    )


@migrations(name="0002_guids")
def _guids(db: sqlite_utils.Database) -> None:
    """The REFI-QDA GUIDs of imported items, so a later exchange matches them by id."""
    db.executescript(
        """
        CREATE TABLE external_ids (
            kind TEXT NOT NULL,
            local_id INTEGER NOT NULL,
            guid TEXT NOT NULL,
            PRIMARY KEY (kind, local_id)
        );
        CREATE INDEX idx_external_ids_guid ON external_ids(kind, guid);
        CREATE TRIGGER external_ids_code_gone AFTER DELETE ON codes BEGIN
            DELETE FROM external_ids WHERE kind = 'code' AND local_id = old.id;
        END;
        CREATE TRIGGER external_ids_document_gone AFTER DELETE ON documents BEGIN
            DELETE FROM external_ids WHERE kind = 'document' AND local_id = old.id;
        END;
        """
    )


MIGRATION_NAMES = [m.name for m in migrations._migrations]  # noqa: SLF001 - read-only
SCHEMA_VERSION = len(MIGRATION_NAMES)


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def file_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _is_empty(db: sqlite_utils.Database) -> bool:
    return db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0


def _is_qcdesk(db: sqlite_utils.Database) -> bool:
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    return app_id == APPLICATION_ID


def check_version(db: sqlite_utils.Database, path: Path) -> int:
    """Return the file's schema version, refusing foreign and too-new files."""
    if _is_empty(db):
        return 0
    if not _is_qcdesk(db):
        raise NotAProjectError(
            f"{path.name} is an SQLite database but not a qcdesk project. The file was not changed."
        )
    version = file_version(db)
    if version > SCHEMA_VERSION:
        raise ProjectTooNewError(
            f"{path.name} was saved by a newer version of qcdesk (project format {version}; "
            f"this qcdesk {__version__} reads formats up to {SCHEMA_VERSION}). Install the newer "
            "qcdesk to open it. The file was not changed."
        )
    return version


def backup_path(path: Path, version: int) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.name}.v{version}-{stamp}.backup")


def copy_database(db: sqlite_utils.Database, target: Path) -> None:
    """A consistent copy of the live database (SQLite's online backup, WAL included)."""
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    finally:
        dest.close()


def upgrade(db: sqlite_utils.Database, path: Path, version: int) -> Path | None:
    """Bring the file to :data:`SCHEMA_VERSION`; return the backup made first, if any."""
    backup = None
    if 0 < version < SCHEMA_VERSION and not path.name.startswith(":"):
        backup = backup_path(path, version)
        copy_database(db, backup)
    if version < SCHEMA_VERSION:
        with db.ensure_autocommit_on():
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        migrations.apply(db)
        with db.atomic():
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            if version == 0:
                db["project_info"].insert_all(
                    [
                        {"key": "created", "value": now()},
                        {"key": "created_by", "value": f"qcdesk {__version__}"},
                    ],
                    replace=True,
                )
    return backup
