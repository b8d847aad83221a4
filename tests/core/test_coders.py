"""Coders: who codes is recorded on each coding and in the session table, and the team
subcommands of the command line (merge, agreement) work on real project files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from qcdesk.cli import main
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from builders import empty_project

pytestmark = pytest.mark.core

TEXT = "abcdefghijklmnopqrst"


def test_set_coder_creates_the_coder_once_and_writes_the_session(tmp_path):
    with empty_project(tmp_path / "p.qcdesk") as p:
        ana = p.set_coder("Ana")
        assert p.db.execute("SELECT coder_id FROM session").fetchone()[0] == ana.id
        ben = p.set_coder(" Ben ")
        assert ben.name == "Ben" and p.coder == ben
        assert p.set_coder("Ana") == ana
        assert [c.name for c in p.coders()] == ["Ana", "Ben"]
        assert p.db.execute("SELECT coder_id FROM session").fetchone()[0] == ana.id
        doc = p.documents.add("D", ParsedDocument(text=TEXT, source_format="txt"))
        coding = p.codings.apply(doc.id, p.codebook.add("X").value.id, 0, 5).value
        assert coding.coder_id == ana.id
        audit = p.db.execute("SELECT coder FROM audit_log WHERE kind = 'coding'").fetchone()[0]
        assert audit == "Ana"


@pytest.fixture
def two_copies(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "ana.qcdesk", tmp_path / "ben.qcdesk"
    with empty_project(a) as p:
        p.documents.add("Interview 1", ParsedDocument(text=TEXT, source_format="txt"))
        p.codebook.add("Support")
    shutil.copy(a, b)
    for path, coder, end in ((a, "Ana", 10), (b, "Ben", 8)):
        with Project.open(path) as p:
            p.set_coder(coder)
            p.codings.apply(p.documents()[0].id, p.codes()[0].id, 0, end)
    return a, b


def test_cli_merge_then_agreement(two_copies, capsys):
    a, b = two_copies
    assert main(["merge", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "Added: 1 codings, 1 coders." in out
    assert "Matched: 1 documents, 1 codes." in out
    assert main(["agreement", str(a), "--coder", "Ana", "--coder", "Ben"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("Support"))
    assert row.split() == ["Support", "90.0", "0.800", row.split()[3]]
    assert main(["agreement", str(a), "--coder", "Ana", "--coder", "Ben", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["codes"][0]["code"] == "Support"
    assert data["codes"][0]["kappa"] == pytest.approx(0.8)
    assert data["codes"][0]["documents"]["Interview 1"]["percent_agreement"] == pytest.approx(90.0)
    assert data["overall"]["kappa"] == pytest.approx(0.8)


def test_cli_agreement_unknown_coder_and_merge_itself(two_copies, capsys):
    a, _ = two_copies
    assert main(["agreement", str(a), "--coder", "Ana", "--coder", "Zoe"]) == 1
    err = capsys.readouterr().err
    assert "No coder called “Zoe”" in err and "Traceback" not in err
    assert main(["merge", str(a), str(a)]) == 1
    assert "this project itself" in capsys.readouterr().err


def test_cli_agreement_prints_a_dash_when_undefined(tmp_path, capsys):
    path = tmp_path / "p.qcdesk"
    with empty_project(path) as p:
        doc = p.documents.add("D", ParsedDocument(text=TEXT, source_format="txt"))
        code = p.codebook.add("All").value
        for coder in ("Ana", "Ben"):
            p.set_coder(coder)
            with p.action():
                p.db["codings"].insert({"document_id": doc.id, "code_id": code.id, "start": 0, "end": 20,
                                        "coder_id": p.coder.id, "created": "x"})
    assert main(["agreement", str(path), "--coder", "Ana", "--coder", "Ben"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("All"))
    assert row.split()[1:3] == ["100.0", "–"]


def test_cli_merge_and_agreement_of_encrypted_copies(tmp_path, monkeypatch, capsys):
    key = "team passphrase 2026"
    a, b = tmp_path / "ana.qcdesk", tmp_path / "ben.qcdesk"
    with Project.create(a, passphrase=key) as p:
        p.documents.add("Interview 1", ParsedDocument(text=TEXT, source_format="txt"))
        p.codebook.add("Support")
    shutil.copy(a, b)
    for path, coder, end in ((a, "Ana", 10), (b, "Ben", 8)):
        with Project.open(path, passphrase=key) as p:
            p.set_coder(coder)
            p.codings.apply(p.documents()[0].id, p.codes()[0].id, 0, end)
    monkeypatch.setenv("QCDESK_PASSPHRASE", key)
    assert main(["merge", str(a), str(b)]) == 0
    assert "Added: 1 codings, 1 coders." in capsys.readouterr().out
    assert main(["agreement", str(a), "--coder", "Ana", "--coder", "Ben", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["overall"]["kappa"] == pytest.approx(0.8)
