"""The project schema as recorded migration steps, and the version gate in front of them.

``PRAGMA user_version`` holds the number of steps applied; sqlite-utils'
``Migrations`` records each step by name and runs it in a transaction. A file
whose version is higher than :data:`SCHEMA_VERSION` was written by a newer
qcdesk and is refused untouched; an older one is copied aside before it is
migrated (``<name>.qcdesk.v<N>-<date>.backup``).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import sqlite_utils
from sqlite_utils import Migrations

from qcdesk import __version__
from qcdesk.core.errors import NotAProjectError, ProjectTooNewError
from qcdesk.core.storage import sql_script, table_rebuild
from qcdesk.core.storage.audit_triggers import SESSION_CODER, audit_trigger

#: 'QCDK' in the SQLite header: lets `file(1)` and qcdesk recognise a project.
APPLICATION_ID = 0x5143444B

migrations = Migrations("qcdesk")


@migrations(name="0001_initial")
def _initial(db: sqlite_utils.Database) -> None:
    sql_script.run_in_transaction(
        db,
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
    sql_script.run_in_transaction(
        db,
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


@migrations(name="0003_analysis_security")
def _analysis_security(db: sqlite_utils.Database) -> None:
    """Code criteria, speaker cases, full-text index, pseudonym key, and the audit trail.

    The audit trail is written by triggers, so every path that changes codings or the
    codebook (window, command line, merge, undo) is recorded without being asked to.
    The coder of removals and codebook edits is the one in ``session`` (set by
    :meth:`Project.set_coder`); added codings carry their own coder.
    """
    sql_script.run_in_transaction(
        db,
        """
        ALTER TABLE codes ADD COLUMN inclusion TEXT NOT NULL DEFAULT '';
        ALTER TABLE codes ADD COLUMN exclusion TEXT NOT NULL DEFAULT '';
        ALTER TABLE codes ADD COLUMN example TEXT NOT NULL DEFAULT '';
        ALTER TABLE documents ADD COLUMN pseudonymised_at TEXT;
        CREATE INDEX idx_codings_coder ON codings(coder_id);
        CREATE INDEX idx_memos_code ON memos(code_id);
        CREATE INDEX idx_memos_document ON memos(document_id);
        CREATE INDEX idx_memos_case ON memos(case_id);
        CREATE INDEX idx_memos_coding ON memos(coding_id);
        CREATE INDEX idx_case_documents_document ON case_documents(document_id);

        -- a participant who speaks in a focus group: the turns of one speaker in one document
        CREATE TABLE case_speakers (
            case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            speaker TEXT NOT NULL,
            PRIMARY KEY (case_id, document_id, speaker)
        );
        CREATE INDEX idx_case_speakers_document ON case_speakers(document_id, speaker);

        -- the re-identification key: real name or place -> pseudonym
        CREATE TABLE pseudonyms (
            id INTEGER PRIMARY KEY,
            original TEXT NOT NULL UNIQUE CHECK (length(trim(original)) > 0),
            pseudonym TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL
        );

        CREATE VIRTUAL TABLE documents_fts USING fts5(
            plain_text, content='documents', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2'
        );
        INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
        CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
            INSERT INTO documents_fts(rowid, plain_text) VALUES (new.id, new.plain_text);
        END;
        CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
            INSERT INTO documents_fts(documents_fts, rowid, plain_text)
                VALUES ('delete', old.id, old.plain_text);
        END;
        CREATE TRIGGER documents_fts_update AFTER UPDATE OF plain_text ON documents BEGIN
            INSERT INTO documents_fts(documents_fts, rowid, plain_text)
                VALUES ('delete', old.id, old.plain_text);
            INSERT INTO documents_fts(rowid, plain_text) VALUES (new.id, new.plain_text);
        END;

        -- who is working now: one row, written when the coder is chosen
        CREATE TABLE session (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            coder_id INTEGER REFERENCES coders(id) ON DELETE SET NULL
        );
        INSERT INTO session (id, coder_id) VALUES (1, NULL);

        -- never holds transcript text: names of codes and documents, ids and offsets only
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
            coder TEXT,
            action TEXT NOT NULL,
            kind TEXT NOT NULL,
            object_id INTEGER,
            detail TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX idx_audit_log_kind ON audit_log(kind, object_id);

        CREATE TRIGGER audit_coding_added AFTER INSERT ON codings BEGIN
            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (
                coalesce((SELECT name FROM coders WHERE id = new.coder_id),
                         (SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id)),
                'added', 'coding', new.id,
                json_object('code_id', new.code_id,
                            'code', (SELECT name FROM codes WHERE id = new.code_id),
                            'document_id', new.document_id,
                            'document', (SELECT name FROM documents WHERE id = new.document_id),
                            'start', new.start, 'end', new."end"));
        END;
        CREATE TRIGGER audit_coding_removed AFTER DELETE ON codings BEGIN
            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (
                (SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id),
                'removed', 'coding', old.id,
                json_object('code_id', old.code_id,
                            'code', (SELECT name FROM codes WHERE id = old.code_id),
                            'document_id', old.document_id,
                            'document', (SELECT name FROM documents WHERE id = old.document_id),
                            'start', old.start, 'end', old."end",
                            'coder_id', old.coder_id));
        END;
        CREATE TRIGGER audit_coding_recoded AFTER UPDATE OF code_id ON codings BEGIN
            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (
                (SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id),
                'recoded', 'coding', new.id,
                json_object('from_code_id', old.code_id, 'code_id', new.code_id,
                            'code', (SELECT name FROM codes WHERE id = new.code_id),
                            'document_id', new.document_id));
        END;
        CREATE TRIGGER audit_code_added AFTER INSERT ON codes BEGIN
            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (
                (SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id),
                'added', 'code', new.id,
                json_object('name', new.name, 'parent_id', new.parent_id));
        END;
        CREATE TRIGGER audit_code_removed AFTER DELETE ON codes BEGIN
            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (
                (SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id),
                'removed', 'code', old.id,
                json_object('name', old.name, 'parent_id', old.parent_id));
        END;
        CREATE TRIGGER audit_code_changed AFTER UPDATE OF name, parent_id, color, description,
                inclusion, exclusion, example ON codes BEGIN
            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (
                (SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id),
                'changed', 'code', new.id,
                json_object('name', new.name, 'old_name', old.name,
                            'parent_id', new.parent_id, 'old_parent_id', old.parent_id,
                            'color', new.color, 'old_color', old.color,
                            'description_changed', old.description IS NOT new.description,
                            'criteria_changed', old.inclusion IS NOT new.inclusion
                                OR old.exclusion IS NOT new.exclusion
                                OR old.example IS NOT new.example));
        END;
        CREATE TRIGGER audit_document_added AFTER INSERT ON documents BEGIN
            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (
                (SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id),
                'added', 'document', new.id,
                json_object('name', new.name, 'characters', new.char_count));
        END;
        CREATE TRIGGER audit_document_removed AFTER DELETE ON documents BEGIN
            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (
                (SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id),
                'removed', 'document', old.id, json_object('name', old.name));
        END;
        CREATE TRIGGER audit_document_changed AFTER UPDATE OF name, plain_text ON documents BEGIN
            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (
                (SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id),
                CASE WHEN old.plain_text IS new.plain_text THEN 'renamed' ELSE 'text edited' END,
                'document', new.id,
                json_object('name', new.name, 'old_name', old.name,
                            'characters', new.char_count, 'old_characters', old.char_count));
        END;
        """
    )


#: tables whose rows undo puts back under their old ids (every table with an ``id`` of its
#: own but ``session``, a single row, and ``audit_log``, history that is never restored)
STABLE_ID_TABLES = ("coders", "documents", "blocks", "speaker_turns", "codes", "codings", "cases",
                    "attributes", "memos", "pseudonyms")


@migrations(name="0004_stable_ids", transactional=False)
def _stable_ids(db: sqlite_utils.Database) -> None:
    """Ids are never given out twice, so undo can put a deleted row back under its id.

    Not transactional as a step: rebuilding tables needs foreign keys off, which SQLite
    allows only outside a transaction; :func:`table_rebuild.add_autoincrement` runs its own
    transaction and checks row counts, foreign keys and integrity before committing (ids,
    and so the full-text index keyed on document ids, are unchanged). Running it again (after an interruption before the step was recorded)
    skips the tables already rebuilt.
    """
    table_rebuild.add_autoincrement(db, list(STABLE_ID_TABLES))


@migrations(name="0005_refi_exchange_fidelity")
def _refi_exchange_fidelity(db: sqlite_utils.Database) -> None:
    """What REFI-QDA exchange must keep (issue 15): codes that only group others (``isCodable="false"``),
    a document's own creation date and creator (NULL: not known), and the range a memo on a document
    is anchored to (an annotation of a passage that no code covers)."""
    sql_script.run_in_transaction(
        db,
        """
        ALTER TABLE codes ADD COLUMN codable INTEGER NOT NULL DEFAULT 1 CHECK (codable IN (0, 1));
        ALTER TABLE documents ADD COLUMN created TEXT;
        ALTER TABLE documents ADD COLUMN creator_id INTEGER REFERENCES coders(id) ON DELETE SET NULL;
        ALTER TABLE memos ADD COLUMN anchor_start INTEGER;
        ALTER TABLE memos ADD COLUMN anchor_end INTEGER;
        """
    )


@migrations(name="0006_document_sets")
def _document_sets(db: sqlite_utils.Database) -> None:
    """Document groups (MAXQDA document sets, NVivo sets, REFI-QDA ``<Set>``): named sets of
    documents, a document in any number of them.

    AUTOINCREMENT ids are never reused, so undo can put a deleted set back under its id.
    Each set carries its REFI-QDA GUID (its own when made here, the file's when imported).
    The audit triggers name sets and documents only, never transcript text.
    """
    sql_script.run_in_transaction(
        db,
        """
        CREATE TABLE document_sets (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
            description TEXT NOT NULL DEFAULT '',
            guid TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL
        );
        CREATE TABLE document_set_members (
            set_id INTEGER NOT NULL REFERENCES document_sets(id) ON DELETE CASCADE,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            PRIMARY KEY (set_id, document_id)
        );
        CREATE INDEX idx_document_set_members_document ON document_set_members(document_id);

        CREATE TRIGGER audit_set_added AFTER INSERT ON document_sets BEGIN
            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (
                (SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id),
                'added', 'set', new.id, json_object('name', new.name));
        END;
        CREATE TRIGGER audit_set_removed AFTER DELETE ON document_sets BEGIN
            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (
                (SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id),
                'removed', 'set', old.id, json_object('name', old.name));
        END;
        CREATE TRIGGER audit_set_renamed AFTER UPDATE OF name ON document_sets BEGIN
            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (
                (SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id),
                'renamed', 'set', new.id, json_object('name', new.name, 'old_name', old.name));
        END;
        -- a member leaving because its set or its document was deleted is not logged again
        CREATE TRIGGER audit_set_member_added AFTER INSERT ON document_set_members BEGIN
            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (
                (SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id),
                'document added', 'set', new.set_id,
                json_object('name', (SELECT name FROM document_sets WHERE id = new.set_id),
                            'document_id', new.document_id,
                            'document', (SELECT name FROM documents WHERE id = new.document_id)));
        END;
        CREATE TRIGGER audit_set_member_removed AFTER DELETE ON document_set_members
        WHEN EXISTS (SELECT 1 FROM document_sets WHERE id = old.set_id)
             AND EXISTS (SELECT 1 FROM documents WHERE id = old.document_id) BEGIN
            INSERT INTO audit_log (coder, action, kind, object_id, detail) VALUES (
                (SELECT c.name FROM session s JOIN coders c ON c.id = s.coder_id),
                'document removed', 'set', old.set_id,
                json_object('name', (SELECT name FROM document_sets WHERE id = old.set_id),
                            'document_id', old.document_id,
                            'document', (SELECT name FROM documents WHERE id = old.document_id)));
        END;
        """
    )


#: the script of 0007_media (its triggers as shipped: tests/core/test_schema_audit_triggers.py)
MEDIA_SQL = (
    """
        CREATE TABLE media (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER UNIQUE REFERENCES documents(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('audio', 'video')),
            mime TEXT NOT NULL,
            size INTEGER NOT NULL CHECK (size > 0),
            duration_ms INTEGER CHECK (duration_ms IS NULL OR duration_ms >= 0),
            storage TEXT NOT NULL CHECK (storage IN ('embedded', 'linked')),
            link_path TEXT,
            sha256 TEXT NOT NULL,
            chunk_size INTEGER NOT NULL CHECK (chunk_size > 0),
            added TEXT NOT NULL,
            CHECK ((storage = 'linked') = (link_path IS NOT NULL))
        );
        CREATE TABLE media_chunks (
            media_id INTEGER NOT NULL,
            seq INTEGER NOT NULL CHECK (seq >= 0),
            data BLOB NOT NULL,
            PRIMARY KEY (media_id, seq)
        );
        """
    + audit_trigger("audit_media_added", "AFTER INSERT ON media", "added", "media", "new.id",
                    "json_object('name', new.name, 'document_id', new.document_id,\n"
                    "                            'storage', new.storage, 'bytes', new.size)")
    + audit_trigger("audit_media_removed", "AFTER DELETE ON media", "removed", "media", "old.id",
                    "json_object('name', old.name, 'document_id', old.document_id, 'storage', old.storage)")
    + audit_trigger("audit_media_relinked", "AFTER UPDATE OF link_path ON media", "relinked", "media", "new.id",
                    "json_object('name', new.name, 'document_id', new.document_id,\n"
                    "                            'link_path', new.link_path, 'old_link_path', old.link_path)")
)


@migrations(name="0007_media")
def _media(db: sqlite_utils.Database) -> None:
    """Audio and video recordings (issue 18): at most one per document, stored inside the project
    in 1 MiB chunks (encrypted with it when it is encrypted) or linked by a path relative to the
    project's folder.

    ``media_chunks`` deliberately has no foreign key to ``media``: undoing a document's
    deletion snapshots the rows that cascade from it, and a recording's chunks are far too big
    for that. Chunks whose media row is gone are kept for undo until the project is closed or
    opened again (see :func:`qcdesk.core.storage.media.purge_orphans`).
    """
    sql_script.run_in_transaction(db, MEDIA_SQL)


@migrations(name="0008_sync_points")
def _sync_points(db: sqlite_utils.Database) -> None:
    """Times known inside a document's text (issue 18): a subtitle cue merged into a longer turn,
    an f4/f5 ``#00:01:23-4#`` stamp taken out of the text. ``position`` is a code point offset into
    the plain text, ``seconds`` the recording's time there. Deleted with the document; moved with
    the text when a speaker label is renamed or names are pseudonymised.

    (Named 0008: 0007 is the media store's.)"""
    sql_script.run_in_transaction(
        db,
        """
        CREATE TABLE sync_points (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            position INTEGER NOT NULL CHECK (position >= 0),
            seconds REAL NOT NULL CHECK (seconds >= 0)
        );
        CREATE INDEX idx_sync_points_document ON sync_points(document_id, position);
        """
    )


@migrations(name="0009_list_indexes")
def _list_indexes(db: sqlite_utils.Database) -> None:
    """Indexes that answer the window's frequent lists without reading table rows (issue 19).

    The documents list (names, formats, sizes, order): a transcript's text is stored in its
    row before these columns and spills over onto overflow pages, which SQLite walks to reach
    the columns after it; listing 1,000 transcripts read about 50 MB (80 ms) each time.
    Segments and documents per code (the codebook's counts, recounted after each coding):
    ``(code_id, document_id)`` counts them from the index alone instead of looking up each
    coding's row (40 ms for a theme of 27,000 codings). Numbered 0009: 0007 and 0008 are
    other changes of the same round.
    """
    sql_script.run_in_transaction(
        db,
        """
        CREATE INDEX IF NOT EXISTS idx_documents_list ON documents
            (position, id, name, source_format, source_name, imported_at, content_hash, char_count);
        CREATE INDEX IF NOT EXISTS idx_codings_code_document ON codings (code_id, document_id);
        """
    )


#: the script of 0010_time_codings (its triggers as shipped: tests/core/test_schema_audit_triggers.py)
TIME_CODINGS_SQL = (
    """
        CREATE TABLE time_codings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
            coder_id INTEGER REFERENCES coders(id) ON DELETE SET NULL,
            start_ms INTEGER NOT NULL,
            end_ms INTEGER NOT NULL,
            memo TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            CHECK (start_ms >= 0 AND end_ms > start_ms)
        );
        CREATE INDEX idx_time_codings_document ON time_codings(document_id, start_ms);
        CREATE INDEX idx_time_codings_code ON time_codings(code_id);
        """
    + audit_trigger("audit_time_coding_added", "AFTER INSERT ON time_codings", "added", "time coding", "new.id",
                    "json_object('document_id', new.document_id, 'code_id', new.code_id,\n"
                    "                            'start_ms', new.start_ms, 'end_ms', new.end_ms)",
                    coder="coalesce((SELECT name FROM coders WHERE id = new.coder_id),\n"
                          "                         " + SESSION_CODER + ")")
    + audit_trigger("audit_time_coding_removed", "AFTER DELETE ON time_codings", "removed", "time coding", "old.id",
                    "json_object('document_id', old.document_id, 'code_id', old.code_id,\n"
                    "                            'start_ms', old.start_ms, 'end_ms', old.end_ms)")
)


@migrations(name="0010_time_codings")
def _time_codings(db: sqlite_utils.Database) -> None:
    """Codings of a recording's time ranges (issue 18: a recording without a transcript):
    ``[start_ms, end_ms)`` of a document's recording tagged with a code, by a coder."""
    sql_script.run_in_transaction(db, TIME_CODINGS_SQL)


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
    """A consistent copy of the live database (SQLite's online backup, WAL included).

    The copy of an encrypted project is encrypted with the same key: a backup must
    never be the plaintext twin of a protected file.
    """
    from qcdesk.core import private_files
    from qcdesk.core.storage import connection, encryption

    private_files.prepare(target)  # owner-only, like the project
    if connection.is_encrypted_connection(db):
        encryption.export_copy(db, target, key=None)
        return
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
                db.table("project_info").insert_all(
                    [
                        {"key": "created", "value": now()},
                        {"key": "created_by", "value": f"qcdesk {__version__}"},
                    ],
                    replace=True,
                )
    return backup
