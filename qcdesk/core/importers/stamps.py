"""Timestamps written inside a transcript's text, taken out and kept as sync points.

Which stamps leave the text (one rule for every reader, applied by :func:`layouts.arrange`):

* f4/f5 and MAXQDA stamps ``#00:01:23-4#`` (also ``#00:01:23#``, ``#01:23-4#``, tenths after
  the dash or a dot): in every document. They are not words.
* ``[00:01:23]``, ``[1:23]``, ``[01:23.5]`` and ``(00:01:23)``, ``(01:23)`` (two-digit minutes
  in parentheses): only inside the speaker turns of a recognised transcript, and a paragraph
  of a turn that is nothing but a time. In prose such brackets stay as written: "(3:16)" may
  be a verse, not a time.

A removed stamp becomes a sync point where the following word begins; the blanks around it
collapse to one, so no double spaces and no glued words are left behind.
"""

from __future__ import annotations

import re

_F4 = r"#(?P<f4>(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[-.,]\d{1,3})?)#"
_BRACKETED = (r"\[(?P<square>(?:\d{1,2}:)?\d{1,3}:\d{2}(?:[.,]\d{1,3})?)\]"
              r"|\((?P<round>(?:\d{1,2}:)?\d{2}:\d{2}(?:[.,]\d{1,3})?)\)")
#: f4/f5/MAXQDA: #hh:mm:ss-t# (hours optional, fraction after "-", "." or ",")
F4 = re.compile(_F4)
#: an f4 stamp that opens a paragraph ("#00:00:01-2# I: ..."), read with the speaker's label
LEADING_F4 = re.compile(rf"^{_F4}[ \t]*")
#: f4 stamps and the bracketed times of a transcript
ANY = re.compile(f"{_F4}|{_BRACKETED}")
#: a paragraph that is only a time (Otter/Teams write one between paragraphs of a turn)
ONLY_TIME = re.compile(r"^\s*[\[(]?(?P<time>(?:\d{1,2}:)?\d{1,3}:\d{2}(?:[.,]\d{1,3})?)[\])]?\s*$")
_BLANKS = " \t\u00a0"


def seconds(value: str) -> float | None:
    """Seconds of ``[h:]m:ss`` with an optional fraction; None for minutes or seconds past 59."""
    main, frac = value, ""
    for mark in "-.,":
        if mark in value:
            main, _, frac = value.partition(mark)
            break
    try:
        parts = [int(p) for p in main.split(":")]
    except ValueError:
        return None
    if len(parts) == 2:
        parts.insert(0, 0)
    hours, minutes, secs = parts
    if secs > 59 or (minutes > 59 and hours) or (frac and not frac.isdigit()):
        return None
    return hours * 3600 + minutes * 60 + secs + (float("0." + frac) if frac else 0.0)


_MARK = "\x00"  # stands for a removed stamp while the blanks around it are tidied (clean text has none)
#: removed stamps with the blanks around them; a run of blanks is tried once, from its start (the
#: lookbehind) and without giving back (possessive), so a long run without a stamp costs one pass
_RUN = re.compile(rf"(?<![{_BLANKS}])[{_BLANKS}]*+{_MARK}(?:[{_BLANKS}]*+{_MARK})*[{_BLANKS}]*+")


def take_stamps(text: str, *, brackets: bool) -> tuple[str, list[tuple[int, float]]]:
    """The text (already cleaned: no control characters) without its stamps, and (offset,
    seconds) of each removed one in the new text, at the word that follows it."""
    if brackets:
        whole = ONLY_TIME.match(text)
        if whole:
            value = seconds(whole["time"])
            if value is not None:
                return "", [(0, value)]
    values: list[float] = []

    def mark(m: re.Match) -> str:
        value = seconds(m[m.lastgroup or 0])
        if value is None:
            return m.group(0)  # not a time: the characters stay as written
        values.append(value)
        return _MARK

    marked = (ANY if brackets else F4).sub(mark, text)
    if not values:
        return text, []
    out: list[str] = []
    points: list[tuple[int, float]] = []
    length = pos = 0
    taken = iter(values)
    for run in _RUN.finditer(marked):
        before = marked[pos:run.start()]
        out.append(before)
        length += len(before)
        pos = run.end()
        after = marked[pos:pos + 1]
        if length and after and out[-1][-1:] != "\n" and after != "\n":
            out.append(" ")
            length += 1
        elif after == "\n" and (not length or out[-1][-1:] == "\n"):
            pos += 1  # a line that held only stamps goes with them
        points += [(length, next(taken)) for _ in range(run.group(0).count(_MARK))]
    out.append(marked[pos:])
    return "".join(out), points
