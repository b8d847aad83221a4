"""File names made safe to show and store: no control characters, no bidi overrides.

A file may be named ``\\x1b[31mP03.txt`` (a terminal colour code) or ``P03\\u202etxt.exe``
(an override that shows the name reversed). Such names are shown in one-line messages,
in the window's import report and stored as document names, so the characters that
could reorder, recolour or break them are removed; line breaks and tabs become spaces.
"""

from __future__ import annotations

import re

#: line breaks and tabs: a space, so the words stay apart
_BREAKS = re.compile("[\t\n\v\f\r\x1c-\x1e\x85\u2028\u2029]")
#: other C0 and C1 controls, and the bidi embeddings, overrides and isolates (U+202A-U+202E,
#: U+2066-U+2069); the left-to-right and right-to-left marks stay, as RTL names need them
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def shown_name(name: str) -> str:
    """``name`` without control characters and bidi overrides, fit for a message or a document list."""
    return _HIDDEN.sub("", _BREAKS.sub(" ", name))
