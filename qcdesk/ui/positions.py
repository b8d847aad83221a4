"""Code points (the store's offsets) <-> UTF-16 code units (Qt's offsets).

A character outside the Basic Multilingual Plane (emoji, some CJK, historic
scripts) is one code point but two UTF-16 units. Only the UI converts; the core
never sees a UTF-16 offset. For the common all-BMP text the map is the identity
and costs nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left

#: a character outside the Basic Multilingual Plane (two UTF-16 units)
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
#: the high bytes of UTF-16 surrogates (the two units of a character outside the plane)
_SURROGATES = bytes(range(0xD8, 0xE0))


def utf16_high_bytes(text: str) -> bytes:
    """The high byte of each of ``text``'s UTF-16 code units (``b""`` for ASCII text): which
    blocks of 256 characters it uses, so a question about a range of characters (is any outside
    the Basic Multilingual Plane? any right-to-left?) is a byte search over half the text's UTF-16.

    Made at C speed: for a 1,000,000-character transcript about 0.8 ms, where a regular
    expression's character class took 3-4 ms to scan the text for each question."""
    if text.isascii():
        return b""
    return text.encode("utf-16-le", "surrogatepass")[1::2]


def holds_any(high_bytes: bytes, wanted: bytes) -> bool:
    """Whether ``high_bytes`` (see :func:`utf16_high_bytes`) holds any of the bytes ``wanted``
    (a search for each byte, as ``memchr`` does it: 0.01 ms per byte for a million)."""
    return any(wanted[i:i + 1] in high_bytes for i in range(len(wanted)))


class OffsetMap:
    """Converts offsets for one text. Built once per displayed document: O(n) then O(log k)."""

    __slots__ = ("_astral", "length")

    def __init__(self, text: str, high_bytes: bytes | None = None):
        """``high_bytes``: :func:`utf16_high_bytes` of ``text``, when the caller has it."""
        self.length = len(text)
        if high_bytes is None:
            high_bytes = utf16_high_bytes(text)
        # code-point indexes of non-BMP characters, ascending, looked for only in a text whose
        # UTF-16 holds surrogates (a loop over every character took 67 ms for 260,000 characters)
        self._astral = ([m.start() for m in _ASTRAL.finditer(text)]
                        if holds_any(high_bytes, _SURROGATES) else [])

    @property
    def identity(self) -> bool:
        return not self._astral

    def to_qt(self, cp: int) -> int:
        """UTF-16 offset of code-point offset ``cp``."""
        if not self._astral:
            return cp
        return cp + bisect_left(self._astral, cp)

    def from_qt(self, u16: int) -> int:
        """Code-point offset of UTF-16 offset ``u16`` (an offset inside a surrogate pair rounds down)."""
        if not self._astral:
            return u16
        # astral char k occupies UTF-16 units [astral[k] + k, astral[k] + k + 2);
        # count the ones that end at or before u16
        lo, hi = 0, len(self._astral)
        while lo < hi:
            mid = (lo + hi) // 2
            # UTF-16 offset where astral char `mid` ends (start + 2)
            if self._astral[mid] + mid + 2 <= u16:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self._astral) and u16 == self._astral[lo] + lo + 1:
            return self._astral[lo]  # inside a surrogate pair
        return u16 - lo
