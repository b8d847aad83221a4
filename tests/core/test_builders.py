"""tests/builders.py's ``empty_project`` gives what ``Project.create`` gives, so the tests that use it
instead (it copies one empty project per test process) test the same thing."""

from __future__ import annotations

import sqlite3
import stat

import pytest
from builders import empty_project

from qcdesk.core.errors import ProjectError, ProjectLockedError
from qcdesk.core.project import Project

pytestmark = pytest.mark.core

#: rows that hold the moment they were written
TIMESTAMPED = {"_sqlite_migrations": "applied_at", "project_info": "value"}


def contents(path) -> dict[str, list]:
    conn = sqlite3.connect(path)
    try:
        found = {"": conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()}
        found["pragmas"] = [conn.execute(f"PRAGMA {name}").fetchone()[0]
                            for name in ("user_version", "application_id", "journal_mode")]
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
            rows = conn.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - names from sqlite_master
            names = [d[0] for d in rows.description]
            skip = names.index(TIMESTAMPED[table]) if table in TIMESTAMPED else None
            found[table] = [tuple(v for i, v in enumerate(row) if i != skip) for row in rows]
        return found
    finally:
        conn.close()


def test_new_project_is_the_project_create_makes(tmp_path):
    made, copied = tmp_path / "made.qcdesk", tmp_path / "copied.qcdesk"
    with Project.create(made) as a, empty_project(copied) as b:
        assert (a.read_only, a.backup, a.check_deferred) == (b.read_only, b.backup, b.check_deferred)
        assert stat.S_IMODE(made.stat().st_mode) == stat.S_IMODE(copied.stat().st_mode) == 0o600
        with pytest.raises(ProjectLockedError):
            Project.open(copied)
        a.codebook.add("Belonging")
        b.codebook.add("Belonging")
    assert contents(made) == contents(copied)
    assert len(contents(copied)["_sqlite_migrations"]) > 5


def test_new_project_refuses_an_existing_file_as_create_does(tmp_path):
    empty_project(tmp_path / "p.qcdesk").close()
    with pytest.raises(ProjectError, match="already exists"):
        empty_project(tmp_path / "p.qcdesk")
