"""A plain-``sqlite3`` lower bound for qcdesk's storage steps.

    python benchmarks/sqlite_baseline.py PROJECT.qcdesk

Reads the rows of a generated qcdesk project (documents with their blocks and speaker turns,
codes, codings) and does the storage steps again on an equivalent schema (the same tables,
columns and indexes, the same pragmas: WAL, ``synchronous=FULL``, foreign keys) with nothing
but the standard library: ``executemany`` in one transaction, hand-written SELECTs. No parsing,
no validation, no change notifications, no objects: what qcdesk's figures are compared with.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

SCHEMA = """
CREATE TABLE documents (id INTEGER PRIMARY KEY, name TEXT NOT NULL, plain_text TEXT NOT NULL,
    source_format TEXT NOT NULL, source_name TEXT NOT NULL DEFAULT '', imported_at TEXT NOT NULL,
    content_hash TEXT NOT NULL, char_count INTEGER NOT NULL, position INTEGER NOT NULL DEFAULT 0);
CREATE INDEX idx_documents_hash ON documents(content_hash);
CREATE TABLE blocks (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id)
    ON DELETE CASCADE, kind TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    level INTEGER NOT NULL DEFAULT 0);
CREATE INDEX idx_blocks_document ON blocks(document_id, start);
CREATE TABLE speaker_turns (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id)
    ON DELETE CASCADE, speaker TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    time_start REAL, time_end REAL);
CREATE INDEX idx_turns_document ON speaker_turns(document_id, start);
CREATE TABLE codes (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES codes(id) ON DELETE CASCADE,
    name TEXT NOT NULL, color TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL);
CREATE INDEX idx_codes_parent ON codes(parent_id, position);
CREATE TABLE codings (id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id)
    ON DELETE CASCADE, code_id INTEGER NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, coder_id INTEGER, created TEXT NOT NULL);
CREATE INDEX idx_codings_document ON codings(document_id, start);
CREATE INDEX idx_codings_code ON codings(code_id);
"""

_COLUMNS = {
    "documents": "id, name, plain_text, source_format, source_name, imported_at, content_hash, char_count, position",
    "blocks": 'id, document_id, kind, start, "end", level',
    "speaker_turns": 'id, document_id, speaker, start, "end", time_start, time_end',
    "codes": "id, parent_id, name, color, description, position, created",
    "codings": 'id, document_id, code_id, start, "end", coder_id, created',
}
#: step name -> what it does (for the README and the printed table)
STEPS = {
    "insert documents": "documents with blocks and speaker turns, one transaction",
    "insert codes + codings": "the codebook and every coding, one transaction",
    "open": "connect, pragmas, list documents and codes, counts per code",
    "load document": "the largest document's text and its codings",
    "retrieve code": "segments of the busiest theme with sub-codes: text, speaker, paragraph",
    "insert coding": "one coding, committed",
}


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA journal_mode = WAL")
    return conn


def read_rows(project: Path) -> dict[str, list[tuple]]:
    """Every row the storage steps need, read from a qcdesk project file."""
    src = sqlite3.connect(f"{project.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return {table: src.execute(f"SELECT {cols} FROM {table} ORDER BY id").fetchall()
                for table, cols in _COLUMNS.items()}
    finally:
        src.close()


def _insert(conn: sqlite3.Connection, table: str, rows: list[tuple]) -> None:
    marks = ", ".join("?" * len(_COLUMNS[table].split(",")))
    conn.executemany(f"INSERT INTO {table} ({_COLUMNS[table]}) VALUES ({marks})", rows)


def run(project: Path, workdir: Path | None = None) -> dict[str, dict]:
    """Time each baseline step on a fresh database built from ``project``'s rows."""
    rows = read_rows(project)
    codes_by_parent: dict = {}
    counts: dict[int, int] = {}
    for code in rows["codes"]:
        codes_by_parent.setdefault(code[1], []).append(code[0])
    for coding in rows["codings"]:
        counts[coding[2]] = counts.get(coding[2], 0) + 1
    parent = {c[0]: c[1] for c in rows["codes"]}

    def theme(cid: int) -> int:
        while parent[cid] is not None:
            cid = parent[cid]
        return cid

    totals: dict[int, int] = {}
    for cid, n in counts.items():
        totals[theme(cid)] = totals.get(theme(cid), 0) + n
    busy_theme = max(totals, key=totals.get) if totals else None
    largest = max(rows["documents"], key=lambda d: d[7])[0]
    leaves = [c[0] for c in rows["codes"] if c[0] not in codes_by_parent]
    busy_leaf = max(leaves, key=lambda c: counts.get(c, 0)) if leaves else None

    out: dict[str, dict] = {}

    def timed(name: str, fn) -> None:
        start = time.perf_counter()
        detail = fn()
        out[name] = {"seconds": time.perf_counter() - start, "detail": detail or ""}

    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        path = Path(tmp) / "baseline.sqlite"
        conn = _connect(path)
        conn.executescript(SCHEMA)

        def insert_documents() -> str:
            conn.execute("BEGIN")
            for table in ("documents", "blocks", "speaker_turns"):
                _insert(conn, table, rows[table])
            conn.execute("COMMIT")
            return f"{len(rows['documents'])} documents"

        def insert_codings() -> str:
            conn.execute("BEGIN")
            _insert(conn, "codes", rows["codes"])
            _insert(conn, "codings", rows["codings"])
            conn.execute("COMMIT")
            return f"{len(rows['codes'])} codes, {len(rows['codings'])} codings"

        timed("insert documents", insert_documents)
        timed("insert codes + codings", insert_codings)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()

        holder: dict = {}

        def open_db() -> str:
            db = holder["conn"] = _connect(path)
            docs = db.execute("SELECT id, name, source_format, source_name, imported_at, content_hash, "
                              "char_count, position FROM documents ORDER BY position, id").fetchall()
            codes = db.execute("SELECT id, parent_id, name, color, description, position FROM codes "
                               "ORDER BY position, id").fetchall()
            db.execute("SELECT code_id, count(*), count(DISTINCT document_id) FROM codings GROUP BY code_id"
                       ).fetchall()
            return f"{len(docs)} documents, {len(codes)} codes"

        def load_document() -> str:
            db = holder["conn"]
            text = db.execute("SELECT plain_text FROM documents WHERE id = ?", [largest]).fetchone()[0]
            codings = db.execute('SELECT id, document_id, code_id, start, "end", coder_id, created FROM codings '
                                 'WHERE document_id = ? ORDER BY start, "end", id', [largest]).fetchall()
            return f"{len(text):,} characters, {len(codings)} codings"

        def retrieve() -> str:
            # the codings by one indexed query, then each document's text, turn starts and
            # paragraph starts read once and looked up by bisection
            db = holder["conn"]
            sql = """
                WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL
                    SELECT c.id FROM codes c JOIN sub ON c.parent_id = sub.id)
                SELECT k.document_id, k.start, k."end" FROM codings k
                WHERE k.code_id IN (SELECT id FROM sub) ORDER BY k.document_id, k.start, k."end", k.id
            """
            found = db.execute(sql, [busy_theme]).fetchall()
            names = dict(db.execute("SELECT id, name FROM documents").fetchall())
            segments = []
            for doc_id, group in itertools.groupby(found, key=lambda r: r[0]):
                text = db.execute("SELECT plain_text FROM documents WHERE id = ?", [doc_id]).fetchone()[0]
                turns = db.execute("SELECT start, speaker FROM speaker_turns WHERE document_id = ? ORDER BY start",
                                   [doc_id]).fetchall()
                turn_starts = [t[0] for t in turns]
                paragraphs = [r[0] for r in db.execute(
                    "SELECT start FROM blocks WHERE document_id = ? ORDER BY start", [doc_id]).fetchall()]
                for _doc, start, end in group:
                    i = bisect.bisect_right(turn_starts, start) - 1
                    segments.append((names[doc_id], text[start:end], turns[i][1] if i >= 0 else None,
                                     bisect.bisect_right(paragraphs, start)))
            return f"{len(segments)} segments"

        def insert_coding() -> str:
            db = holder["conn"]
            db.execute("BEGIN")
            db.execute('INSERT INTO codings (document_id, code_id, start, "end", created) VALUES (?, ?, ?, ?, ?)',
                       [largest, busy_leaf, 0, 10, "2024-01-01T00:00:00+00:00"])
            db.execute("COMMIT")
            return "1 coding"

        timed("open", open_db)
        timed("load document", load_document)
        if busy_theme is not None:
            timed("retrieve code", retrieve)
        if busy_leaf is not None:
            timed("insert coding", insert_coding)
        holder["conn"].close()
    return out


def compare_coding(project: Path, workdir: Path | None = None, repeats: int = 21) -> dict:
    """Applying a coding side by side: qcdesk's ``Project.apply_code`` (coder, duplicate check,
    one committed action, change notification) against a plain-sqlite3 ``INSERT`` committed
    under the same pragmas, each on its own copy of ``project``, ``repeats`` times on distinct
    ranges of the largest document; the medians and their ratio."""
    from qcdesk.core.project import Project

    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        copies = []
        for name in ("qcdesk", "sqlite3"):
            src = sqlite3.connect(f"{project.resolve().as_uri()}?mode=ro", uri=True)
            dest = sqlite3.connect(str(Path(tmp) / f"{name}.qcdesk"))
            src.backup(dest)
            dest.close()
            src.close()
            copies.append(Path(tmp) / f"{name}.qcdesk")
        conn = _connect(copies[1])
        doc, length = conn.execute("SELECT id, char_count FROM documents ORDER BY char_count DESC LIMIT 1").fetchone()
        code = conn.execute("SELECT code_id FROM codings GROUP BY code_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
        step = max(1, min(50, length // (repeats + 1)))
        ranges = [(i * step, i * step + step) for i in range(repeats)]
        plain = []
        for start, end in ranges:
            t = time.perf_counter()
            conn.execute("BEGIN")
            conn.execute('INSERT INTO codings (document_id, code_id, start, "end", created) VALUES (?, ?, ?, ?, ?)',
                         [doc, code, start, end + 1, "2024-01-01T00:00:00+00:00"])
            conn.execute("COMMIT")
            plain.append(time.perf_counter() - t)
        conn.close()
        ours = []
        with Project.open(copies[0]) as qc:
            for start, end in ranges:
                t = time.perf_counter()
                qc.codings.apply(doc, code, start, end + 1)
                ours.append(time.perf_counter() - t)
    q, b = statistics.median(ours), statistics.median(plain)
    return {"qcdesk_s": q, "sqlite3_s": b, "ratio": q / max(b, 1e-9), "repeats": repeats}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("project", type=Path, help="a generated qcdesk project (read only)")
    args = parser.parse_args(argv)
    figures = run(args.project)
    for name, fig in figures.items():
        print(f"{name:<26} {fig['seconds'] * 1000:10.1f} ms   {fig['detail']}")
    side = compare_coding(args.project)
    print(f"{'apply a coding':<26} qcdesk {side['qcdesk_s'] * 1000:.2f} ms, sqlite3 {side['sqlite3_s'] * 1000:.2f} ms: "
          f"{side['ratio']:.1f}× (medians of {side['repeats']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
