"""Tables read from the user's files (attribute CSV/XLSX, a pseudonym map) refuse anything that is not
an ordinary file, as transcripts do: a named pipe would otherwise wait for a writer forever."""

from __future__ import annotations

import os

import pytest
from fifo_guard import without_hanging

from qcdesk.core.attributes_io import read_table
from qcdesk.core.errors import QcdeskError

pytestmark = pytest.mark.core




@pytest.mark.parametrize("name", ["participants.csv", "participants.xlsx"])
def test_attribute_table_from_a_fifo_is_refused_at_once(tmp_path, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    result = without_hanging(lambda: read_table(fifo), fifo)
    assert isinstance(result, QcdeskError)
    assert "named pipe" in str(result) and name in str(result)


def test_pseudonym_map_from_a_fifo_is_refused_at_once(tmp_path):
    from qcdesk.cli.textedit import read_map

    fifo = tmp_path / "names.csv"
    os.mkfifo(fifo)
    result = without_hanging(lambda: read_map(fifo), fifo)
    assert isinstance(result, QcdeskError)
    assert "named pipe" in str(result) and "names.csv" in str(result)


def test_ordinary_tables_still_read(tmp_path):
    from qcdesk.cli.textedit import read_map

    table = tmp_path / "participants.csv"
    table.write_text("Case,Role\nP01,mentor\n", encoding="utf-8")
    header, rows = read_table(table)
    assert header == ["Case", "Role"] and rows == [(2, ["P01", "mentor"])]
    names = tmp_path / "names.csv"
    names.write_text("original,pseudonym\nHeather,Jane\n", encoding="utf-8")
    assert [r[:2] for r in read_map(names)] == [("Heather", "Jane")]
