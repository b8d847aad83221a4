#!/usr/bin/env python3
"""Import time of files that are one enormous line, in every text format (issue 13).

    .venv/bin/python benchmarks/hostile_input.py [--sizes 64,400,1024] [--case md]

Each case is a file whose body repeats one unit (``*word ``, ``<v word ``, a space...) up to the
size in KB, with whatever the format needs before and after it. Such lines made the importers'
regular expressions quadratic (a 64 KB line took half a minute); the times printed here should
grow in proportion to the size. ``tests/core/importers/test_long_lines.py`` imports the 1 MB files.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: (case, suffix, text before the line, the repeated unit of the line, text after it)
CASES = [
    ("md unclosed emphasis *", ".md", "", "*word ", "\n"),
    ("md unclosed emphasis _", ".md", "", "_word ", "\n"),
    ("md unclosed strong **", ".md", "", "**word ", "\n"),
    ("md unclosed strike ~~", ".md", "", "~~word ", "\n"),
    ("md unclosed link [", ".md", "", "[word ", "\n"),
    ("md unclosed image ![", ".md", "", "![word ", "\n"),
    ("md unclosed link target", ".md", "", "[a](word ", "\n"),
    ("md unclosed autolink", ".md", "", "<http:word", "\n"),
    ("md closed emphasis", ".md", "", "*word* **two** ", "\n"),
    ("md heading with a run of spaces", ".md", "# a", " ", "b\n"),
    ("md setext underline then spaces", ".md", "title\n", "=", "  x\n"),
    ("md table separator", ".md", "a | b\n|", " -- |", "  x\n"),
    ("md plain words", ".md", "", "the interviewee said ", "\n"),
    ("txt plain words", ".txt", "", "the interviewee said ", "\n"),
    ("txt run of spaces", ".txt", "a", " ", "b\n"),
    ("txt hard-wrapped lines", ".txt", "", "a short wrapped line of some text\n", "\nend\n"),
    ("txt run of no-break spaces", ".txt", "a", "\u00a0 ", "b\n"),
    ("txt inline speaker", ".txt", "Anna: ", "yes and ", "\nBen: ok\nAnna: fine\n"),
    ("txt f4 stamp then a run of spaces", ".txt", "#00:00:01-2# a", " ", "b\n"),
    ("txt f4 stamps", ".txt", "", "#00:00:01-2# word ", "\n"),
    ("txt stamps in a turn", ".txt", "Anna: ", "[00:00:01] yes (00:02) ", "\nBen: ok\nAnna: fine\n"),
    ("txt Otter layout", ".txt", "Anna  00:13\n", "yes and ", "\n\nBen  00:20\nok\n\nAnna  00:40\nfine\n"),
    ("txt Zoom layout", ".txt", "[Anna] 10:15:01\n", "yes and ",
     "\n\n[Ben] 10:15:20\nok\n\n[Anna] 10:16:01\nfine\n"),
    ("txt Teams layout", ".txt", "0:00:03.123 --> 0:00:07.456\nAnna\n", "yes and ",
     "\n\n0:00:08.000 --> 0:00:09.000\nBen\nok\n\n0:00:10.000 --> 0:00:11.000\nAnna\nfine\n"),
    ("vtt unclosed voice tag", ".vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n", "<v word ", "\n"),
    ("vtt unclosed class voice tag", ".vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n", "<v.a ", "\n"),
    ("vtt unclosed timestamp tag", ".vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n", "<1 ", "\n"),
    ("vtt unclosed tag", ".vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n", "<b word", "\n"),
    ("vtt digits as cue identifier", ".vtt", "WEBVTT\n\n", "1", "\n00:01.000 --> 00:02.000\nhello\n"),
    ("vtt run of spaces", ".vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\na", " ", "b\n"),
    ("vtt plain words", ".vtt", "WEBVTT\n\n00:01.000 --> 00:02.000\n<v Anna>", "yes and ", "\n"),
    ("srt unclosed voice tag", ".srt", "1\n00:00:01,000 --> 00:00:02,000\n", "<v word ", "\n"),
    ("srt unclosed tag", ".srt", "1\n00:00:01,000 --> 00:00:02,000\n", "<i word", "\n"),
    ("srt digits as cue number", ".srt", "", "1", "\n00:00:01,000 --> 00:00:02,000\nhello\n"),
    ("srt run of spaces", ".srt", "1\n00:00:01,000 --> 00:00:02,000\na", " ", "b\n"),
    ("srt speaker prefix", ".srt", "1\n00:00:01,000 --> 00:00:02,000\nAnna: ", "yes and ", "\n"),
    ("rtf plain words", ".rtf", "{\\rtf1\\ansi ", "yes and ", "}"),
    ("rtf run of spaces", ".rtf", "{\\rtf1\\ansi a", " ", "b}"),
    ("rtf unicode escapes", ".rtf", "{\\rtf1\\ansi ", "\\u1488?", "}"),
]


def write_case(folder: Path, index: int, size: int) -> Path:
    """The file of case ``index`` with a line of about ``size`` bytes."""
    _, suffix, before, unit, after = CASES[index]
    path = folder / f"long{index}{suffix}"
    path.write_text(before + unit * max(1, size // len(unit.encode("utf-8"))) + after, encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="64,400,1024", help="line sizes in KB, comma separated")
    parser.add_argument("--case", default="", help="only cases whose name contains this")
    args = parser.parse_args()
    from qcdesk.core.errors import ImportFailed
    from qcdesk.core.importers import parse_file

    sizes = [int(s) * 1024 for s in args.sizes.split(",")]
    print(f"{'case':36}" + "".join(f"{s // 1024:>9} KB" for s in sizes))
    with tempfile.TemporaryDirectory() as tmp:
        for index, (name, *_rest) in enumerate(CASES):
            if args.case not in name:
                continue
            cells = []
            for size in sizes:
                path = write_case(Path(tmp), index, size)
                began = time.perf_counter()
                try:
                    parse_file(path)
                    cells.append(f"{time.perf_counter() - began:10.3f} s")
                except ImportFailed as exc:
                    cells.append(f"  refused: {exc.reason[:30]}")
            print(f"{name:36}" + "".join(cells), flush=True)


if __name__ == "__main__":
    main()
