"""A listener that raises after an action committed: the action stands, every other listener
still hears of it, and the failure is reported (logged, and passed to the error hook)."""

from __future__ import annotations

import logging

import pytest

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Changes
from builders import empty_project

pytestmark = pytest.mark.core


@pytest.fixture
def project(tmp_path):
    with empty_project(tmp_path / "l.qcdesk") as p:
        yield p


def test_a_raising_listener_neither_undoes_nor_hides_the_action(project, caplog):
    heard, reported = [], []

    def before(changes):
        heard.append(("before", changes.codebook))

    def broken(changes):
        raise RuntimeError("a view fell over")

    def after(changes):
        heard.append(("after", changes.codebook))

    for listener in (before, broken, after):
        project.subscribe(listener)
    project.on_listener_error = lambda exc: reported.append(exc)
    with caplog.at_level(logging.ERROR, logger="qcdesk.core.project"):
        code = project.codebook.add("Belonging").value  # does not raise
    assert project.code(code.id).name == "Belonging"
    assert heard == [("before", True), ("after", True)]
    assert [str(e) for e in reported] == ["a view fell over"]
    assert "a view fell over" in caplog.text
    # committed: another connection sees it
    import sqlite3
    other = sqlite3.connect(project.path)
    try:
        assert other.execute("SELECT name FROM codes").fetchall() == [("Belonging",)]
    finally:
        other.close()


def test_listener_failures_without_a_hook_are_logged_and_every_listener_runs(project, caplog):
    heard = []
    project.subscribe(lambda changes: 1 / 0)
    project.subscribe(lambda changes: heard.append(changes.document_list))
    with caplog.at_level(logging.ERROR, logger="qcdesk.core.project"):
        project.documents.add("D", ParsedDocument(text="Some words.", source_format="txt"))
        project.codebook.add("C")
        project.notify(Changes(document_list=True))  # a change made outside an action
    assert heard == [True, False, True]
    assert caplog.text.count("ZeroDivisionError") == 3


def test_a_failing_error_hook_does_not_stop_the_other_listeners(project):
    heard = []
    project.subscribe(lambda changes: 1 / 0)
    project.subscribe(lambda changes: heard.append(True))

    def bad_hook(exc):
        raise ValueError("the hook itself")

    project.on_listener_error = bad_hook
    project.codebook.add("C")
    assert heard == [True]
