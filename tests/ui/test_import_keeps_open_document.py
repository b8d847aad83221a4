"""Importing files while a document is open adds their rows to the documents list without
re-selecting or reloading the open transcript (issue 19: it was reloaded after every file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcdesk.ui.documents_panel import DOC_ID_ROLE
from qcdesk.ui.main_window import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def window(make_window, tmp_path: Path, messages) -> MainWindow:
    return make_window(new=tmp_path / "study.qcdesk")


def transcript(folder: Path, name: str, n: int) -> Path:
    path = folder / f"{name}.txt"
    path.write_text("\n\n".join(f"{'Interviewer' if i % 2 == 0 else 'P1'}: {name} turn {i}" for i in range(n)),
                    encoding="utf-8")
    return path


def run_import(qtbot, win: MainWindow, paths: list[Path]):
    with qtbot.waitSignal(win.imports.finished, timeout=60000) as blocker:
        win.imports.start(paths)
    return blocker.args[0]


def test_importing_seven_files_loads_the_transcript_once(qtbot, tmp_path, window, monkeypatch):
    run_import(qtbot, window, [transcript(tmp_path, "Open one", 20)])
    opened = window.transcript.document_id
    assert opened is not None and "Open one turn 3" in window.transcript.toPlainText()

    loads: list[int | None] = []
    show = window.transcript.show_document
    monkeypatch.setattr(window.transcript, "show_document",
                        lambda doc_id, text: (loads.append(doc_id), show(doc_id, text))[1])
    selected: list[object] = []
    window.documents.documentSelected.connect(selected.append)

    names = [f"Interview {n}" for n in range(1, 8)]
    report = run_import(qtbot, window, [transcript(tmp_path, name, 40) for name in names])

    assert [d.name for d in report.imported] == names
    assert window.documents.names() == ["Open one", *names]
    # the open transcript was never reloaded; the window then shows the last file imported, once
    assert loads == [report.imported[-1].id]
    assert selected == [report.imported[-1].id]
    assert window.transcript.document_id == report.imported[-1].id
    assert "Interview 7 turn 39" in window.transcript.toPlainText()


def selected_ids(window: MainWindow) -> list[int]:
    return [item.data(DOC_ID_ROLE) for item in window.documents.list.selectedItems()]


def test_after_an_import_only_the_document_shown_is_selected(qtbot, tmp_path, window):
    """The list selects several documents at once (for sets): after an import that shows the last
    file, the document open before is no longer selected too (a new set would have taken both)."""
    first = run_import(qtbot, window, [transcript(tmp_path, "Open one", 6)]).imported[0]
    assert selected_ids(window) == [first.id]
    report = run_import(qtbot, window, [transcript(tmp_path, n, 6) for n in ("B", "C")])
    assert window.transcript.document_id == report.imported[-1].id
    assert selected_ids(window) == [report.imported[-1].id]
    # and going to another document (a segment's, a memo's) selects that one alone
    window.documents.select(first.id)
    assert selected_ids(window) == [first.id]


def test_rename_and_delete_still_refresh_the_list(qtbot, tmp_path, window):
    report = run_import(qtbot, window, [transcript(tmp_path, n, 6) for n in ("A", "B", "C")])
    a, b, c = report.imported
    window.project.documents.rename(b.id, "B renamed")
    assert window.documents.names() == ["A", "B renamed", "C"]
    window.project.documents.delete(a.id)
    assert window.documents.names() == ["B renamed", "C"]
    assert window.transcript.document_id == c.id


def test_the_progress_names_the_file_being_imported_and_counts_it_once_stored(qtbot, tmp_path, window, monkeypatch):
    """The dialog names the file handed over for storing as being imported, not read (files are
    read ahead, so it has been read by then), and counts it as soon as it is stored, not only
    when the next file comes."""
    from qcdesk.ui.workers import ImportParser

    run_import(qtbot, window, [transcript(tmp_path, "Open one", 6)])
    seen: list[tuple[int, str, int]] = []
    stored = ImportParser.stored

    def watched(parser) -> None:  # called by the window once it has stored a file
        dialog = window.imports.progress
        seen.append((dialog.value(), dialog.labelText(), len(window.project.documents()) - 1))
        stored(parser)

    monkeypatch.setattr(ImportParser, "stored", watched)
    names = ["A", "B", "C", "D"]
    run_import(qtbot, window, [transcript(tmp_path, n, 6) for n in names])
    assert seen == [(k + 1, f"Importing {n}.txt ({k + 1} of 4)…", k + 1) for k, n in enumerate(names)]
