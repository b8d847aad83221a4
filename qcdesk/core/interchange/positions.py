"""Where a REFI-QDA selection falls in the text qcdesk stores.

The standard counts code points from 0 over the UTF-8 plain text, end exclusive.
Some exporters count otherwise: NVivo 12 for Windows counts UTF-16 code units over
the raw text with its CRLF line ends (BOM dropped). qcdesk stores the text with
``\\n`` line ends, so every scheme is mapped onto that normalised text.

:func:`detect_scheme` tries each scheme on all selections of a project and keeps
the one whose selections fall on sensible boundaries (not inside words, not
between ``\\r`` and ``\\n`` or the halves of a surrogate pair) and match the
selection's ``name`` when the exporter wrote the selected words there. With text
that has neither CRLF nor characters beyond the BMP all schemes agree.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from qcdesk.core.importers.encoding import normalize_newlines

#: code points over the text as stored (the standard)
CODE_POINTS = "code points"
#: code points over the raw text, CRLF counted as two
CODE_POINTS_CRLF = "code points over CRLF text"
#: UTF-16 code units over the raw CRLF text (NVivo for Windows)
UTF16_CRLF = "UTF-16 units over CRLF text"
#: UTF-16 code units over the text with single line ends
UTF16 = "UTF-16 units"
SCHEMES = (CODE_POINTS, UTF16_CRLF, CODE_POINTS_CRLF, UTF16)

DESCRIPTIONS = {
    CODE_POINTS: "character positions as the REFI-QDA standard counts them",
    UTF16_CRLF: "UTF-16 code units over Windows (CRLF) line ends, as NVivo for Windows writes them",
    CODE_POINTS_CRLF: "characters counting Windows (CRLF) line ends as two",
    UTF16: "UTF-16 code units",
}


def _astral_u16_starts(text: str) -> list[int]:
    """UTF-16 index of each character beyond the BMP (each takes two units)."""
    out, u = [], 0
    for ch in text:
        if ord(ch) > 0xFFFF:
            out.append(u)
            u += 2
        else:
            u += 1
    return out


class PositionMap:
    """Maps positions counted by any scheme over ``raw`` onto the normalised text."""

    def __init__(self, raw: str):
        if raw.startswith("\ufeff"):
            raw = raw[1:]
        self.raw = raw
        self.text = normalize_newlines(raw)
        self._crlf = [i for i in range(len(raw) - 1) if raw[i] == "\r" and raw[i + 1] == "\n"] \
            if "\r\n" in raw else []
        self._astral_raw = _astral_u16_starts(raw)
        self._astral_text = _astral_u16_starts(self.text) if self._crlf else self._astral_raw
        self.raw_u16_length = len(raw) + len(self._astral_raw)
        self.text_u16_length = len(self.text) + len(self._astral_text)

    @property
    def ambiguous(self) -> bool:
        """True when the schemes give different answers for this text."""
        return bool(self._crlf or self._astral_raw)

    # -- single steps -------------------------------------------------------------------
    @staticmethod
    def _u16_to_cp(starts: list[int], p: int, is_end: bool) -> int:
        before = bisect_right(starts, p - 2)  # pairs that end at or before p
        inside = before < len(starts) and starts[before] == p - 1
        cp = p - before
        return cp if (is_end or not inside) else cp - 1

    def _raw_to_text(self, p: int, is_end: bool) -> int:
        if not self._crlf:
            return p
        before = bisect_left(self._crlf, p - 1)  # pairs whose \n lies before p
        inside = before < len(self._crlf) and self._crlf[before] == p - 1
        if inside:
            # between \r and \n: a start moves past the line end, an end stops before it
            return p - before - (1 if is_end else 0)
        return p - before

    # -- schemes --------------------------------------------------------------------------
    def map(self, scheme: str, start: int, end: int) -> tuple[int, int] | None:
        """(start, end) in the stored text, or None if the range is not inside it."""
        if start < 0 or end < start:
            return None
        if scheme == CODE_POINTS:
            s, e = start, end
        elif scheme == CODE_POINTS_CRLF:
            if end > len(self.raw):
                return None
            s, e = self._raw_to_text(start, False), self._raw_to_text(end, True)
        elif scheme == UTF16_CRLF:
            if end > self.raw_u16_length:
                return None
            s = self._raw_to_text(self._u16_to_cp(self._astral_raw, start, False), False)
            e = self._raw_to_text(self._u16_to_cp(self._astral_raw, end, True), True)
        elif scheme == UTF16:
            if end > self.text_u16_length:
                return None
            s = self._u16_to_cp(self._astral_text, start, False)
            e = self._u16_to_cp(self._astral_text, end, True)
        else:
            raise ValueError(scheme)
        if not (0 <= s <= e <= len(self.text)):
            return None
        return s, e

    def splits_unit(self, scheme: str, start: int, end: int) -> bool:
        """True if the raw positions cut a CRLF pair or a surrogate pair (a sign of the wrong scheme)."""
        if scheme in (UTF16_CRLF, UTF16):
            starts = self._astral_raw if scheme == UTF16_CRLF else self._astral_text
            for p in (start, end):
                i = bisect_left(starts, p - 1)
                if i < len(starts) and starts[i] == p - 1:
                    return True
        if scheme in (UTF16_CRLF, CODE_POINTS_CRLF) and self._crlf:
            pos = (start, end) if scheme == CODE_POINTS_CRLF else (
                self._u16_to_cp(self._astral_raw, start, False), self._u16_to_cp(self._astral_raw, end, True))
            for p in pos:
                i = bisect_left(self._crlf, p - 1)
                if i < len(self._crlf) and self._crlf[i] == p - 1:
                    return True
        return False


@dataclass
class Selection:
    """A text selection as the file gives it: raw positions and, perhaps, the selected words."""

    start: int
    end: int
    name: str = ""


def _word(ch: str) -> bool:
    return ch.isalnum()


def _squash(text: str) -> str:
    return " ".join(text.split())


def score(text: str, start: int, end: int, name: str = "") -> int:
    """How plausible the range is as something a person selected: 0 to 2, +3 if ``name`` matches."""
    points = 0
    if start == 0 or start >= len(text) or not (_word(text[start - 1]) and _word(text[start])):
        points += 1
    if end >= len(text) or end == 0 or not (_word(text[end - 1]) and _word(text[end])):
        points += 1
    label = _squash(name).rstrip("…. ")
    if len(label) >= 3:
        chosen = _squash(text[start:end])
        if chosen.startswith(label[:60]) or label.startswith(chosen[:60]):
            points += 3
    return points


def detect_scheme(sources: list[tuple[PositionMap, list[Selection]]]) -> str:
    """The scheme under which the selections of all sources make the most sense."""
    if not any(pm.ambiguous and sels for pm, sels in sources):
        return CODE_POINTS
    best, best_total = CODE_POINTS, None
    for scheme in SCHEMES:
        total = 0
        for pm, sels in sources:
            for sel in sels:
                mapped = pm.map(scheme, sel.start, sel.end)
                if mapped is None:
                    total -= 10
                    continue
                total += score(pm.text, mapped[0], mapped[1], sel.name)
                if pm.splits_unit(scheme, sel.start, sel.end):
                    total -= 3
        if best_total is None or total > best_total:
            best, best_total = scheme, total
    return best
