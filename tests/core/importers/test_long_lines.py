"""A file that is one enormous line (1 MB) imports in linear time, in every text format.

Regular expressions that scan from every opening delimiter to the end of the line
(``*word`` without a closing ``*``, ``<v name`` without ``>``, a long run of spaces)
made a 64 KB line take half a minute and a 1 MB line hours. The imports run in a
subprocess with a generous timeout, so a busy machine cannot make the test fail:
the fixed code needs a few seconds for all of them, the quadratic code would need
hours for the first one.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.core

MB = 1024 * 1024
BENCH = Path(__file__).resolve().parents[3] / "benchmarks"
sys.path.insert(0, str(BENCH))

from hostile_input import CASES, write_case  # noqa: E402

_SCRIPT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from qcdesk.core.importers import parse_file
    out = {}
    for name in sys.argv[1:]:
        doc = parse_file(Path(name))
        out[name] = [len(doc.text), len(doc.turns)]
        print(json.dumps(out), flush=True)
""")


def test_one_megabyte_line_in_every_format_imports(tmp_path):
    files = [write_case(tmp_path, i, MB) for i in range(len(CASES))]
    try:
        # a few seconds on a busy 2-core machine; the quadratic code needs hours for the first file
        run = subprocess.run([sys.executable, "-c", _SCRIPT, *map(str, files)], capture_output=True,
                             timeout=600, cwd=Path(__file__).parents[3])
    except subprocess.TimeoutExpired as exc:
        finished = len((exc.stdout or b"").splitlines())
        pytest.fail(f"importing a 1 MB line did not finish in 10 minutes: {CASES[finished][0]}")
    assert run.returncode == 0, run.stderr.decode()
    results = json.loads(run.stdout.decode().strip().splitlines()[-1])
    for (name, _suffix, _before, unit, _after), path in zip(CASES, files):
        length, turns = results[str(path)]
        if "cue identifier" in name or "cue number" in name:
            assert length == len("hello"), name  # the line is the cue's label, not its text
        else:
            assert length >= MB // len(unit.encode()), name  # every repeat left some text
        if "layout" in name or "speaker" in name:
            assert turns >= 1, name


# -- the linear rewrites find what the regular expressions they replace found ------------------

_OLD_EMPHASIS = {
    "**": r"\*\*(?=\S)(.+?)(?<=\S)\*\*", "__": r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)",
    "*": r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])",
    "_": r"(?<!\w)_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)",
    "~~": r"~~(?=\S)(.+?)(?<=\S)~~",
}
_MARKDOWNISH = st.lists(st.sampled_from(["*", "**", "_", "__", "~~", "a", "b", " ", "\n", "é", "#", "\t"]),
                        max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=_MARKDOWNISH)
def test_emphasis_pairs_match_the_lazy_regular_expression(text):
    from qcdesk.core.importers import markdown

    emphases = {"**": markdown._BOLD[0], "__": markdown._BOLD[1], "*": markdown._ITALIC[0],
                "_": markdown._ITALIC[1], "~~": markdown._STRIKE}
    for marker, emphasis in emphases.items():
        assert emphasis.sub(text) == re.sub(_OLD_EMPHASIS[marker], r"\1", text), marker


@settings(max_examples=300, deadline=None)
@given(line=st.lists(st.sampled_from(["#", " ", "a", "\t", "b#", "\u00a0"]), max_size=20).map("".join))
def test_heading_matches_the_old_regular_expression(line):
    from qcdesk.core.importers.markdown import heading_of

    old = re.match(r"^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$", line)
    assert heading_of(line) == ((len(old.group(1)), old.group(2) or "") if old else None)
