"""Encrypted projects in the window: the passphrase question, retry, lock marker, Security menu."""

from __future__ import annotations

import hashlib

import pytest

from qcdesk.core import encryption
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.ui import unlock
from qcdesk.ui.passphrase_dialog import PassphraseDialog
from builders import empty_project

pytestmark = pytest.mark.gui

PASS = "correct horse battery"


@pytest.fixture
def encrypted(tmp_path):
    path = tmp_path / "secret.qcdesk"
    with Project.create(path, passphrase=PASS) as project:
        project.documents.add("Interview 7", ParsedDocument(text="P: I live in Quillborough.\n",
                                                            source_format="txt"))
    return path


@pytest.fixture
def window(make_window):
    return make_window(settings_file="s.ini", show=False, teardown="project")


def _answers(monkeypatch, *answers):
    asked = []
    replies = list(answers)
    monkeypatch.setattr(unlock, "_ask_passphrase",
                        lambda parent, path, message="": asked.append(message) or replies.pop(0))
    return asked


def test_open_asks_retries_with_the_reason_and_shows_the_lock(window, encrypted, monkeypatch, messages):
    asked = _answers(monkeypatch, "wrong one", "also wrong", PASS)
    assert window.open_project(encrypted)
    assert asked[0] == "" and "did not open secret.qcdesk" in asked[1] and asked[1] == asked[2]
    assert window.project.passphrase == PASS
    assert [d.name for d in window.project.documents()] == ["Interview 7"]
    assert "🔒" in window.windowTitle() and "encrypted" in window.windowTitle()
    assert window.security.status.text() == "Encrypted"
    assert window.security.act_rekey.isEnabled() and not window.security.act_encrypt.isEnabled()
    window.close_project()
    assert messages == []
    # wrong attempts and a cancel leave the file byte-identical
    asked = _answers(monkeypatch, "nope", None)
    before = hashlib.sha256(encrypted.read_bytes()).hexdigest()
    assert not window.open_project(encrypted)
    assert window.project is None and len(asked) == 2
    assert hashlib.sha256(encrypted.read_bytes()).hexdigest() == before


def test_passphrase_dialog_hides_typing_and_checks_new_passphrases(qtbot):
    dialog = PassphraseDialog(None, "New", "Choose", new=True)
    qtbot.addWidget(dialog)
    assert dialog.field.echoMode() == dialog.field.EchoMode.Password
    qtbot.keyClicks(dialog.field, "short")
    dialog.accept()
    assert dialog.result() == 0 and "at least 8" in dialog.message.text()
    dialog.field.setText("long enough phrase")
    dialog.repeat.setText("long enough phrasE")
    dialog.accept()
    assert "differ" in dialog.message.text() and dialog.result() == 0
    dialog.repeat.setText("long enough phrase")
    dialog.accept()
    assert dialog.result() == 1 and dialog.passphrase() == "long enough phrase"


@pytest.mark.parametrize("typed, says", [("        ", "at least 8"), ("eight\0chars", "NUL")])
def test_passphrase_dialog_applies_the_core_policy(qtbot, typed, says):
    dialog = PassphraseDialog(None, "New", "Choose", new=True)
    qtbot.addWidget(dialog)
    dialog.field.setText(typed)
    dialog.repeat.setText(typed)
    dialog.accept()
    assert dialog.result() == 0 and says in dialog.message.text()
    assert dialog.message.text() == str(pytest.raises(Exception, encryption.check_new_passphrase, typed).value)


def test_new_encrypted_project_from_the_file_menu(window, tmp_path, monkeypatch, messages):
    from qcdesk.ui import dialogs

    target = tmp_path / "new study"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a, **k: str(target))
    monkeypatch.setattr(window.security, "_ask_new_passphrase", lambda *a: PASS)
    window.security.act_new_encrypted.trigger()
    path = tmp_path / "new study.qcdesk"
    assert window.project is not None and window.project.path == path
    assert encryption.is_encrypted(path)
    assert "🔒" in window.windowTitle()


def test_encrypt_change_passphrase_and_decrypted_copy_from_the_menu(window, tmp_path, monkeypatch, messages):
    from qcdesk.ui import dialogs

    plain = tmp_path / "plain.qcdesk"
    with empty_project(plain) as project:
        project.documents.add("Interview 2", ParsedDocument(text="P: Zebulon said so.\n", source_format="txt"))
    assert window.open_project(plain)
    assert "🔒" not in window.windowTitle() and window.security.act_encrypt.isEnabled()
    monkeypatch.setattr(window.security, "_ask_new_passphrase", lambda *a: PASS)
    window.security.act_encrypt.trigger()
    assert encryption.is_encrypted(plain) and b"Zebulon" not in plain.read_bytes()
    assert window.project.passphrase == PASS and "🔒" in window.windowTitle()
    assert messages[-1][1] == "Project encrypted"

    monkeypatch.setattr(window.security, "_ask_current_passphrase", lambda: "not the one")
    monkeypatch.setattr(window.security, "_ask_new_passphrase", lambda *a: "second passphrase")
    window.security.act_rekey.trigger()
    assert messages[-1][0] == "error" and "current passphrase is wrong" in messages[-1][2]
    monkeypatch.setattr(window.security, "_ask_current_passphrase", lambda: PASS)
    window.security.act_rekey.trigger()
    assert messages[-1][1] == "Passphrase changed"
    assert encryption.passphrase_opens(plain, "second passphrase")

    copy = tmp_path / "copy.qcdesk"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a, **k: str(copy))
    window.security.act_decrypted_copy.trigger()
    assert any(kind == "confirm" and "NOT be encrypted" in text for kind, _, text in messages)
    assert b"Zebulon" in copy.read_bytes()


def test_exports_from_an_encrypted_project_warn_once(window, encrypted, tmp_path, monkeypatch, messages, qtbot):
    from qcdesk.ui import dialogs

    _answers(monkeypatch, PASS)
    assert window.open_project(encrypted)
    out = tmp_path / "p.qdpx"
    monkeypatch.setattr(dialogs, "ask_save_path", lambda *a, **k: str(out))
    window.exchange.act_export_project.trigger()
    warnings = [m for m in messages if m[0] == "confirm" and "will not be" in m[2]]
    assert len(warnings) == 1 and out.exists()
    # saying no stops the export
    out.unlink()
    monkeypatch.setattr(dialogs, "confirm", lambda *a: False)
    window.exchange.act_export_project.trigger()
    assert not out.exists()
