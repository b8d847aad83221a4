"""The one way listing subcommands print (qcdesk/cli/output.py): lines on stdout, the count on
stderr, JSON on request, a word for an empty list."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from qcdesk.cli.output import counted, print_listing


def test_counted_says_one_or_many():
    assert [counted(n, "document") for n in (0, 1, 2)] == ["0 documents", "1 document", "2 documents"]


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=8),
                max_size=6))
def test_lines_go_to_stdout_and_the_count_to_stderr(items):
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        print_listing(items, lambda s: f"<{s}>", empty="nothing", total=counted(len(items), "item"))
    assert out.getvalue().splitlines() == ([f"<{s}>" for s in items] if items else ["nothing"])
    assert err.getvalue() == counted(len(items), "item") + "\n"


def test_json_lists_every_item_and_nothing_else(capsys):
    print_listing([("Ä", ["Interview 1"])], lambda s: "never", as_json=True,
                  json_item=lambda s: {"name": s[0], "documents": s[1]}, empty="never", total="never")
    out, err = capsys.readouterr()
    assert json.loads(out) == [{"name": "Ä", "documents": ["Interview 1"]}]
    assert "Ä" in out and err == ""
    print_listing([], lambda s: "never", as_json=True, empty="never")
    assert json.loads(capsys.readouterr().out) == []
