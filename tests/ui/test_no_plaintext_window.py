"""No plaintext on disk from the window: an encrypted project worked on through the real main
window (import in the worker, coding, rename and undo, Word export in the worker, close) leaves
none of its words in the project folder, the temporary folder or the settings file."""

from __future__ import annotations

import importlib.util
import tempfile
import zipfile
from pathlib import Path

import pytest

from qcdesk.ui.commands import codebook as codebook_cmd
from qcdesk.ui.commands import codings as coding_cmd
from qcdesk.ui.settings import Settings

pytestmark = pytest.mark.gui

PASS = "correct horse battery"
WORDS = ["Quillborough", "Zebulonia", "Marmadukeish", "Xanthippean"]


def _leaks():
    spec = importlib.util.spec_from_file_location(
        "no_plaintext_core", Path(__file__).parents[1] / "core" / "test_no_plaintext.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.leaks


def test_window_session_leaves_no_plaintext(make_window, qtbot, tmp_path, monkeypatch, messages):
    leaks = _leaks()
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    for name in ("TMPDIR", "TEMP", "TMP", "SQLITE_TMPDIR"):
        monkeypatch.setenv(name, str(private_tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(private_tmp))
    sources, work, exports = tmp_path / "sources", tmp_path / "study", tmp_path / "exports"
    for folder in (sources, work, exports):
        folder.mkdir()
    (sources / "interview.txt").write_text(
        "Interviewer: Where?\nParticipant: Quillborough, by the Zebulonia clinic.\n", encoding="utf-8")
    ini = tmp_path / "settings.ini"

    win = make_window(settings=Settings(ini))
    assert win.new_project(work / "study.qcdesk", passphrase=PASS)

    with qtbot.waitSignal(win.imports.finished, timeout=10000):
        win.imports.start([sources / "interview.txt"])
    project = win.project
    doc = project.documents()[0]
    text = project.document_text(doc.id)
    add = codebook_cmd.add_code(project, "Xanthippean place")
    assert win.undo.run(add)
    code_id = add.value.id
    start = text.index("Quillborough")
    assert win.undo.run(coding_cmd.apply_code(project, doc.id, code_id, start, start + 12))
    assert win.undo.run(codebook_cmd.update_code(project, code_id, "name", "Renamed place"))
    win.undo_stack.undo()
    assert project.code(code_id).name == "Xanthippean place"
    with project.action():
        project.db.execute("INSERT INTO memos (title, body, created, modified) "
                           "VALUES ('Journal', 'Marmadukeish thoughts', '2025', '2025')")
    with qtbot.waitSignal(win.exports.finished, timeout=20000) as done:
        win.exports.start("segments-by-code", exports / "report.docx")
    assert done.args[0] is True, done.args  # the worker opened the encrypted project itself
    assert not leaks([work, private_tmp, ini], WORDS)
    win.close()
    win.settings.sync()

    assert ini.exists() and (work / "study.qcdesk").exists()
    assert leaks([work, private_tmp, ini], WORDS) == []
    # the report is plain by design: it holds the coded words (the worker read them)
    with zipfile.ZipFile(exports / "report.docx") as docx:
        assert "Quillborough" in docx.read("word/document.xml").decode("utf-8")
