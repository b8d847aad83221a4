"""One passphrase policy on every path that makes a new key, and clear one-line errors for
passphrases that cannot be used (NUL bytes, bytes that are not UTF-8)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qcdesk.cli import main
from qcdesk.core import encryption
from qcdesk.core.errors import OperationError
from qcdesk.core.project import Project
from qcdesk.core.storage import connection

pytestmark = pytest.mark.core

PASS = "correct horse battery"


@pytest.fixture(autouse=True)
def no_terminal(monkeypatch):
    monkeypatch.delenv("QCDESK_PASSPHRASE", raising=False)
    monkeypatch.delenv("QCDESK_NEW_PASSPHRASE", raising=False)
    monkeypatch.delenv("QCDESK_KEY_PASSPHRASE", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)


def one_line_error(capsys) -> str:
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("qcdesk: "), captured.err
    assert "Traceback" not in captured.err
    return lines[0]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_the_policy_accepts_exactly_usable_passphrases_of_eight_characters(text):
    usable = (len(text) >= encryption.MIN_PASSPHRASE_LENGTH and text.strip() != "" and "\0" not in text
              and not any(0xD800 <= ord(c) <= 0xDFFF for c in text))
    if usable:
        assert encryption.check_new_passphrase(text) == text
    else:
        with pytest.raises(OperationError):
            encryption.check_new_passphrase(text)


@pytest.mark.parametrize("secret", ["x", "1234567", "        "])
def test_cli_new_and_import_create_refuse_a_weak_passphrase(tmp_path, capsys, secret):
    secret_file = tmp_path / "pass.txt"
    secret_file.write_text(secret, encoding="utf-8")
    project = tmp_path / "p.qcdesk"
    assert main(["new", str(project), "--passphrase-file", str(secret_file)]) == 1
    assert "at least 8 characters" in one_line_error(capsys)
    assert not project.exists()

    transcript = tmp_path / "t.txt"
    transcript.write_text("I: Hello.\nP: Hi.\n", encoding="utf-8")
    assert main(["import", str(project), str(transcript), "--create", "--passphrase-file", str(secret_file)]) == 1
    assert "at least 8 characters" in one_line_error(capsys)
    assert not project.exists()


def test_cli_import_create_refuses_a_weak_passphrase_from_the_environment(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("QCDESK_PASSPHRASE", "abc")
    project = tmp_path / "p.qcdesk"
    transcript = tmp_path / "t.txt"
    transcript.write_text("I: Hello.\nP: Hi.\n", encoding="utf-8")
    assert main(["import", str(project), str(transcript), "--create"]) == 1
    assert "at least 8 characters" in one_line_error(capsys)
    assert not project.exists()


def test_cli_rekey_and_key_file_follow_the_same_policy(tmp_path, capsys, monkeypatch):
    path = tmp_path / "p.qcdesk"
    Project.create(path, passphrase=PASS).close()
    monkeypatch.setenv("QCDESK_PASSPHRASE", PASS)
    monkeypatch.setenv("QCDESK_NEW_PASSPHRASE", "short")
    assert main(["rekey", str(path)]) == 1
    assert "at least 8 characters" in one_line_error(capsys)
    assert encryption.passphrase_opens(path, PASS)

    names = tmp_path / "names.csv"
    names.write_text("Heather,[P1]\n", encoding="utf-8")
    monkeypatch.setenv("QCDESK_KEY_PASSPHRASE", "kp")
    assert main(["pseudonymise", str(path), "--map", str(names), "--export-key", str(tmp_path / "k.qckey")]) == 1
    assert "at least 8 characters" in one_line_error(capsys)
    assert not (tmp_path / "k.qckey").exists()


@pytest.mark.parametrize("content", [b"correct\x00horse battery", b"\xff\xfecorrect horse", b"caf\xe9 au lait ok"])
def test_cli_passphrase_file_with_nul_or_not_utf8_is_a_one_line_error(tmp_path, capsys, content):
    secret_file = tmp_path / "pass.txt"
    secret_file.write_bytes(content)
    path = tmp_path / "p.qcdesk"
    Project.create(path, passphrase=PASS).close()
    before = path.read_bytes()
    for argv in (["stats", str(path)], ["new", str(tmp_path / "new.qcdesk")], ["encrypt", str(tmp_path / "x.qcdesk")],
                 ["rekey", str(path), "--new-passphrase-file", str(secret_file)]):
        if argv[0] != "rekey":
            argv += ["--passphrase-file", str(secret_file)]
        else:
            (tmp_path / "old.txt").write_text(PASS, encoding="utf-8")
            argv += ["--passphrase-file", str(tmp_path / "old.txt")]
        assert main(argv) == 1, argv
        line = one_line_error(capsys)
        assert "pass.txt" in line and ("NUL" in line or "UTF-8" in line), line
    assert path.read_bytes() == before
    assert not (tmp_path / "new.qcdesk").exists()


def test_cli_environment_passphrase_that_is_not_utf8_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    path = tmp_path / "p.qcdesk"
    Project.create(path, passphrase=PASS).close()
    monkeypatch.setenv("QCDESK_PASSPHRASE", "caf\udce9 au lait")  # the byte 0xE9 in a Latin-1 shell
    assert main(["stats", str(path)]) == 1
    assert "UTF-8" in one_line_error(capsys)


def test_sqlcipher_connections_wipe_their_memory(tmp_path):
    db = connection.connect(tmp_path / "p.qcdesk", passphrase=PASS)
    try:
        assert str(db.execute("PRAGMA cipher_memory_security").fetchone()[0]) == "1"
    finally:
        db.close()
