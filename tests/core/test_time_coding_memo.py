"""A time coding's memo changed on its own (the window's memo editor): one action, the old memo back."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from media_files import tone_wav  # noqa: E402

from qcdesk.core.errors import OperationError  # noqa: E402
from qcdesk.core.importers.base import ParsedDocument  # noqa: E402
from qcdesk.core.project import Project  # noqa: E402
from builders import empty_project


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("memo")
    path = folder / "p.qcdesk"
    with empty_project(path) as project:
        doc = project.documents.add("Diary 3", ParsedDocument(text="", source_format="media"))
        project.media.attach(doc.id, tone_wav(folder / "d.wav", 5))
        code = project.codebook.add("Coping").value
        item = project.time_codings.add(doc.id, code.id, 1000, 2000, memo="sighs").value
    return path, item.id


@settings(max_examples=10, deadline=None)
@given(memos=st.lists(st.text(max_size=40), min_size=1, max_size=5))
def test_set_memo_returns_the_memo_it_replaced_and_tells_the_views(made, memos):
    path, tc = made
    with Project.open(path) as project:
        told = []
        project.subscribe(told.append)
        current = project.time_codings.get(tc).memo
        for memo in memos:
            before = len(told)
            assert project.time_codings.set_memo(tc, memo).value == current
            assert project.time_codings.get(tc).memo == memo
            assert len(told) == before + (memo != current)  # one action each, none when unchanged
            if memo != current:
                assert told[-1].memos and told[-1].coded_documents
            current = memo
        project.time_codings.set_memo(tc, "sighs")
    with Project.open(path) as project:
        assert project.time_codings.get(tc).memo == "sighs"


def test_read_only_and_unknown_are_refused(made):
    path, tc = made
    with Project.open(path, read_only=True) as project, pytest.raises(OperationError, match="read-only"):
        project.time_codings.set_memo(tc, "changed")
    with Project.open(path) as project:
        assert project.time_codings.get(tc).memo == "sighs"
        with pytest.raises(OperationError, match="does not exist"):
            project.time_codings.set_memo(tc + 99, "x")
