"""Silent damage to a transcript's stored text: SQLite's integrity check does not see a changed byte
inside a row, so every document's text is compared with the fingerprint taken at import
(``core.check``), and ``qcdesk-cli check`` reports it with SQLite's own checks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcdesk.cli import main
from qcdesk.core import check
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from builders import empty_project

pytestmark = pytest.mark.core

TEXTS = {
    "Interview 1": "Mentee: I was welcomed warmly by everyone in the lab.\n",
    "Interview 2": "Mentor: We met every Tuesday — über früh, at 7 — to plan the week.\n",
    "Interview 3": "Mentee: Nobody told me where the library was, so I asked Amira.\n",
}


def make_project(path: Path) -> Path:
    with empty_project(path) as project:
        for name, text in TEXTS.items():
            project.documents.add(name, ParsedDocument(text=text, source_format="txt"))
    return path


def flip_byte_in_file(path: Path, needle: bytes, offset: int) -> None:
    """Change one byte of the file itself, under SQLite: what a bad sector or a faulty copy does."""
    data = bytearray(path.read_bytes())
    assert data.count(needle) == 1, "the text must be stored once, in its document's row"
    at = data.index(needle) + offset
    data[at] ^= 0x01
    path.write_bytes(bytes(data))


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return make_project(tmp_path / "study.qcdesk")


def test_a_sound_project_passes_every_check(project_path):
    report = check.check_file(project_path)
    assert report.sound, report.lines()
    assert report.documents_checked == 3
    assert report.damaged == []


def test_a_changed_byte_in_the_file_passes_sqlite_but_the_check_names_the_document(project_path):
    flip_byte_in_file(project_path, b"met every Tuesday", 4)
    conn = sqlite3.connect(project_path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"  # SQLite sees nothing
    conn.close()
    with Project.open(project_path, read_only=True) as project:  # and qcdesk opens it as before
        assert "met dvery" in project.document_text(2)
        assert [d.name for d in check.damaged_documents(project.db)] == ["Interview 2"]
        sound: list[int] = []  # what the search may prime: the sound texts only
        check.damaged_documents(project.db, sound=lambda doc_id, _h, raw: sound.append(doc_id))
        assert sorted(sound) == sorted(set(range(1, 4)) - {2})
    report = check.check_file(project_path)
    assert not report.sound
    assert [d.name for d in report.damaged] == ["Interview 2"]
    assert any("Interview 2" in line for line in report.lines())


def test_a_byte_that_breaks_utf8_is_found_too(project_path):
    # "ü" is C3 BC in UTF-8: changing the lead byte leaves text SQLite cannot decode as UTF-8
    flip_byte_in_file(project_path, "über".encode(), 0)
    report = check.check_file(project_path)
    assert [d.name for d in report.damaged] == ["Interview 2"]


def test_text_changed_behind_qcdesks_back_is_named(project_path):
    conn = sqlite3.connect(project_path)
    conn.execute("UPDATE documents SET plain_text = replace(plain_text, 'Amira', 'Amina') WHERE name = ?",
                 ["Interview 3"])
    conn.commit()
    conn.close()
    report = check.check_file(project_path)
    assert [d.name for d in report.damaged] == ["Interview 3"]
    assert report.integrity == [] and report.foreign_keys == []


def test_a_full_text_index_out_of_step_with_the_texts_is_reported(project_path):
    conn = sqlite3.connect(project_path)
    # the index is told a document holds other words than it does
    conn.execute("INSERT INTO documents_fts(documents_fts, rowid, plain_text) VALUES('delete', 1, ?)",
                 [TEXTS["Interview 1"]])
    conn.execute("INSERT INTO documents_fts(rowid, plain_text) VALUES (1, 'something else entirely')")
    conn.commit()
    conn.close()
    report = check.check_file(project_path)
    assert not report.sound
    assert report.fts and report.damaged == []


def test_a_broken_reference_is_reported(project_path):
    conn = sqlite3.connect(project_path)  # foreign keys are off in a plain connection
    conn.execute("INSERT INTO blocks (document_id, kind, start, \"end\", level) VALUES (99, 'p', 0, 1, 0)")
    conn.commit()
    conn.close()
    report = check.check_file(project_path)
    assert not report.sound
    assert report.foreign_keys and "blocks" in report.foreign_keys[0]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.sampled_from(sorted(TEXTS)), data=st.data())
def test_any_changed_byte_of_any_text_is_found(tmp_path_factory, which, data):
    path = make_project(tmp_path_factory.mktemp("p") / "study.qcdesk")
    raw = TEXTS[which].encode("utf-8")
    # a stretch of the text long enough to be found once in the file, and a byte inside it
    start = data.draw(st.integers(0, len(raw) - 16))
    needle = raw[start:start + 16]
    flip_byte_in_file(path, needle, data.draw(st.integers(0, 15)))
    report = check.check_file(path)
    assert [d.name for d in report.damaged] == [which]


# ---------------------------------------------------------------------- command line
def test_cli_check_of_a_sound_project_exits_0(project_path, capsys):
    assert main(["check", str(project_path)]) == 0
    out, err = capsys.readouterr()
    assert "study.qcdesk" in out and "sound" in out
    assert err == ""


def test_cli_check_names_the_damaged_document_and_exits_1(project_path, capsys):
    flip_byte_in_file(project_path, b"where the library", 3)
    assert main(["check", str(project_path)]) == 1
    out, err = capsys.readouterr()
    assert "Interview 3" in out
    assert "Interview 1" not in out and "Interview 2" not in out
    assert "backup" in out
    assert "Traceback" not in out + err


def test_cli_check_reads_only(project_path, capsys):
    before = project_path.read_bytes()
    assert main(["check", str(project_path)]) == 0
    assert project_path.read_bytes() == before
    assert not Path(str(project_path) + "-wal").exists()


def test_cli_check_of_an_encrypted_project_takes_the_passphrase_file(tmp_path, capsys):
    pytest.importorskip("sqlcipher3")
    path = tmp_path / "secret.qcdesk"
    with Project.create(path, passphrase="correct horse") as project:
        project.documents.add("Interview 1", ParsedDocument(text=TEXTS["Interview 1"], source_format="txt"))
    key = tmp_path / "key.txt"
    key.write_text("correct horse\n", encoding="utf-8")
    assert main(["check", str(path), "--passphrase-file", str(key)]) == 0
    assert "1 document" in capsys.readouterr().out


def test_cli_check_of_a_file_that_is_not_a_project_is_one_line(tmp_path, capsys):
    path = tmp_path / "notes.qcdesk"
    path.write_text("just some notes, not a database at all " * 40, encoding="utf-8")
    assert main(["check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert len(err.strip().splitlines()) == 1 and err.startswith("qcdesk: ")


def test_a_damaged_page_is_reported_by_sqlites_check_and_exits_1(project_path, capsys):
    data = bytearray(project_path.read_bytes())
    page = 4096
    at = data.index(b"where the library") // page * page  # the documents table's page with this text
    assert at > 0
    data[at: at + 12] = b"\xff" * 12  # its b-tree page header
    project_path.write_bytes(bytes(data))
    report = check.check_file(project_path)
    assert report.integrity and not report.sound
    assert main(["check", str(project_path)]) == 1
    out, err = capsys.readouterr()
    assert "SQLite integrity check: " in out and "SQLite integrity check: ok" not in out
    assert "Traceback" not in out + err
