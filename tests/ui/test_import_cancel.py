"""Cancelling a long multi-file import from its progress dialog keeps exactly the whole files stored
before the cancel, and says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QPushButton

from qcdesk.core.importers import parse_file
from qcdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui

FILES = 8
TURNS = 12_000  # about 1.3 MB of text per file: parsing one takes a noticeable moment


@pytest.fixture
def window(make_window, tmp_path: Path, messages) -> MainWindow:
    return make_window(new=tmp_path / "study.qcdesk")


def write_transcripts(folder: Path) -> list[Path]:
    paths = []
    for n in range(FILES):
        lines = [f"{'Interviewer' if i % 2 == 0 else f'P{n}'}: file {n} turn {i} "
                 + "we talked about the ward and the handover " * (i % 5) for i in range(TURNS)]
        path = folder / f"interview-{n:02d}.txt"
        path.write_text("\n\n".join(lines), encoding="utf-8")
        paths.append(path)
    return paths


def test_cancel_keeps_only_whole_documents_and_says_so(qtbot, tmp_path, window, messages):
    paths = write_transcripts(tmp_path)
    project = window.project
    flow = window.imports
    with qtbot.waitSignal(flow.finished, timeout=60000) as finished:
        flow.start(paths)
        assert flow.busy() and flow.progress is not None
        # let the first file or two be stored, then press Cancel as the user would
        qtbot.waitUntil(lambda: len(project.documents()) >= 1, timeout=30000)
        cancel = flow.progress.findChild(QPushButton)
        assert cancel is not None and cancel.text() == "Cancel"
        cancel.click()
        stored_at_cancel = len(project.documents())
    report = finished.args[0]
    assert not flow.busy()

    documents = project.documents()
    assert 1 <= len(documents) < FILES, "the cancel stopped the import"
    # nothing was stored after the cancel was pressed (files parsed meanwhile were dropped)
    assert len(documents) == stored_at_cancel == len(report.imported)
    by_name = {p.stem: p for p in paths}
    for doc in documents:  # each stored file is whole: text, paragraphs and turns
        expected = parse_file(by_name[doc.name])
        assert project.document_text(doc.id) == expected.text
        assert len(project.blocks(doc.id)) == len(expected.blocks)
        assert len(project.speaker_turns(doc.id)) == len(expected.turns)
    assert [d.name for d in documents] == [p.stem for p in paths[:len(documents)]]
    # the window says it was cancelled and what was kept
    said = [m for m in messages if m[0] in ("info", "warning")]
    assert said and "cancelled" in said[-1][2]
    assert f"Imported {len(documents)} document" in said[-1][2]
    assert window.documents.isEnabled()
