"""Project ▸ Security ▸ Encrypt: backups made before are encrypted with the same passphrase, or
removed when the user chooses so; afterwards no file in the folder holds a transcript word."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcdesk.core import backups, earlier_copies, encryption
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.ui import dialogs
from qcdesk.ui.security_actions import ENCRYPT_COPIES, REMOVE_COPIES
from builders import empty_project

pytestmark = pytest.mark.gui

PASS = "correct horse battery"
WORD = "Quillborough"


def plain_words(folder: Path) -> list[str]:
    return [p.name for p in folder.rglob("*") if p.is_file()
            and any(WORD.encode(enc) in p.read_bytes() for enc in ("utf-8", "utf-16-le"))]


@pytest.fixture
def window(make_window):
    return make_window(settings_file="s.ini", show=False, teardown="project")


@pytest.fixture
def study(tmp_path):
    folder = tmp_path / "study"
    folder.mkdir()
    path = folder / "study.qcdesk"
    with empty_project(path) as project:
        project.documents.add("Interview 1", ParsedDocument(text=f"P: I grew up in {WORD}.\n", source_format="txt"))
        backups.make_backup(project)
        backups.make_backup(project)
    assert len(plain_words(folder)) == 3  # the scan sees the project and both backups
    return path


@pytest.mark.parametrize("answer", [ENCRYPT_COPIES, REMOVE_COPIES])
def test_encrypting_from_the_menu_leaves_no_plaintext_copy(window, study, monkeypatch, messages, answer):
    asked = []
    monkeypatch.setattr(dialogs, "choose", lambda parent, title, label, items: asked.append((label, items))
                        or items.index(answer))
    monkeypatch.setattr(window.security, "_ask_new_passphrase", lambda *a: PASS)
    assert window.open_project(study)
    window.security.act_encrypt.trigger()

    assert encryption.is_encrypted(study) and window.project.passphrase == PASS
    assert len(asked) == 1 and "2 earlier copies of study.qcdesk" in asked[0][0]
    assert plain_words(study.parent) == []
    kind, title, text = messages[-1]
    assert (kind, title) == ("info", "Project encrypted")
    if answer == ENCRYPT_COPIES:
        assert "2 earlier copies of the project (backups made before) were encrypted" in text
        found = earlier_copies.find(study)
        assert len(found) == 2 and all(encryption.is_encrypted(p) for p in found)
        with Project.open(found[0], passphrase=PASS, read_only=True) as backup:
            assert [d.name for d in backup.documents()] == ["Interview 1"]
    else:
        assert "2 earlier copies of the project (backups made before) were removed" in text
        assert earlier_copies.find(study) == []


def test_cancelling_the_question_about_copies_changes_nothing(window, study, monkeypatch, messages):
    monkeypatch.setattr(dialogs, "choose", lambda *a: None)
    monkeypatch.setattr(window.security, "_ask_new_passphrase", lambda *a: PASS)
    before = {p: p.read_bytes() for p in earlier_copies.find(study)}
    assert window.open_project(study)
    window.security.act_encrypt.trigger()
    assert not encryption.is_encrypted(study) and window.project is not None and not window.project.passphrase
    assert {p: p.read_bytes() for p in earlier_copies.find(study)} == before


def test_a_backup_that_cannot_be_encrypted_is_named(window, study, monkeypatch, messages):
    damaged = backups.list_backups(study)[0].path
    damaged.write_bytes(damaged.read_bytes()[:3000])
    monkeypatch.setattr(dialogs, "choose", lambda parent, title, label, items: items.index(ENCRYPT_COPIES))
    monkeypatch.setattr(window.security, "_ask_new_passphrase", lambda *a: PASS)
    assert window.open_project(study)
    window.security.act_encrypt.trigger()
    assert encryption.is_encrypted(study) and window.project.passphrase == PASS
    info = next(m for m in messages if m[1] == "Project encrypted")
    assert "1 earlier copy of the project (backups made before) was encrypted" in info[2]
    kind, title, text = messages[-1]
    assert (kind, title) == ("warning", "Backups not encrypted") and damaged.name in text and "damaged" in text
