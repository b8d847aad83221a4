"""The window starts the parsing workers while the researcher is still choosing files: when the
Import dialog opens, or when files are dragged over the window (issue 19: starting workers costs
about 0.2 CPU s each, as long as QualCoder takes to import 20 transcripts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent
from PySide6.QtWidgets import QApplication

from qcdesk.core.importers import parallel
from qcdesk.ui import dialogs
from builders import transcript_files as transcripts

pytestmark = pytest.mark.gui


@pytest.fixture
def calls(monkeypatch):
    """What was asked, in order: "warm" (parallel.warm_up) and "dialog" (the Import dialog)."""
    said: list[str] = []
    monkeypatch.setattr(parallel, "warm_up", lambda: said.append("warm") or True)
    monkeypatch.setattr(dialogs, "ask_open_paths", lambda *a, **k: said.append("dialog") or [])
    return said


def drag_enter(win, paths: list[Path]) -> bool:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDragEnterEvent(win.rect().center(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(win, event)
    return event.isAccepted()


def test_opening_the_import_dialog_starts_the_workers_first(make_window, tmp_path, calls):
    win = make_window(new=tmp_path / "p.qcdesk", active=True)
    win.act_import.trigger()
    assert calls == ["warm", "dialog"]


def test_no_workers_without_a_project(make_window, calls):
    win = make_window()
    win.imports.ask_and_import()
    assert calls == []


def test_files_dragged_over_the_window_start_the_workers(make_window, tmp_path, calls):
    win = make_window(new=tmp_path / "p.qcdesk", size=(900, 600))
    assert drag_enter(win, transcripts(tmp_path, 2))
    assert calls == ["warm"]


def test_a_project_dragged_over_the_window_starts_none(make_window, tmp_path, calls):
    other = tmp_path / "other.qcdesk"
    other.write_bytes(b"")
    win = make_window(new=tmp_path / "p.qcdesk", size=(900, 600))
    assert drag_enter(win, [other])
    assert calls == []
    closed = make_window(size=(900, 600))
    assert drag_enter(closed, transcripts(tmp_path, 1))  # accepted: dropping says to open a project first
    assert calls == []


def test_files_chosen_in_the_dialog_are_parsed_by_the_workers_it_started(make_window, tmp_path, qtbot,
                                                                          monkeypatch, messages):
    """The real thing: two cores and one to spare, the dialog warms the workers, the import uses
    them (parsing in this process is broken on purpose) and leaves them running for the next."""
    from qcdesk.core.importers import dispatch

    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(parallel.os, "getloadavg", lambda: (0.0, 0.0, 0.0), raising=False)
    paths = transcripts(tmp_path, 3)
    chosen: list = []

    def choose(*args, **kwargs):
        assert parallel.WARM.running()  # started before the dialog showed
        assert parallel.WARM.wait_ready(60)  # the researcher takes a moment to choose
        chosen.append(True)
        return [str(p) for p in paths]

    def broken(path):
        raise RuntimeError("parsed in the window's process")

    monkeypatch.setattr(dialogs, "ask_open_paths", choose)
    monkeypatch.setattr(dispatch, "parse_file", broken)
    win = make_window(new=tmp_path / "p.qcdesk", size=(900, 600))
    with qtbot.waitSignal(win.imports.finished, timeout=60_000) as finished:
        win.act_import.trigger()
    assert chosen and not finished.args[0].failed, messages
    assert [d.name for d in win.project.documents()] == [p.stem for p in paths]
    assert parallel.WARM.ready()
