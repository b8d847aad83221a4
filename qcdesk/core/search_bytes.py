"""Finding search hits on a text's UTF-8 bytes, without decoding or folding it in Python.

Most transcripts hold, besides ASCII, only characters that folding leaves as they are (curly
quotes, dashes, emoji...). The folded text of such a document is the text with its ASCII letters
lowered (:func:`qcdesk.core.textfold.fold`), so a term of ASCII letters and digits is found in
the lowered UTF-8 bytes with the C string search, and byte offsets are turned into code points
by counting the bytes of the multi-byte characters before them. Only where a hit touches a
multi-byte character (a word boundary, the space between two words of a phrase, the end of a
prefix) is that character decoded, to ask whether it is a letter or digit, exactly as the
search on folded text asks (``[^\\W_]`` is :meth:`str.isalnum`).

The hits are exactly those of :func:`qcdesk.core.search._find` on the folded text; a test
compares both on random texts with accents, case, marks and emoji.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Sequence

_ALNUM = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_SEPARATOR = rb"([^a-zA-Z0-9]+)"
_ASCII_TAIL = re.compile(rb"[a-zA-Z0-9]*")


def _char_before(data: bytes, i: int) -> str:
    """The character ending at byte ``i`` (``data[i - 1]`` is not ASCII)."""
    a = i - 1
    while a > 0 and 0x80 <= data[a] < 0xC0:
        a -= 1
    return data[a:i].decode("utf-8", "replace")


def _char_at(data: bytes, i: int) -> str:
    """The character starting at byte ``i`` (``data[i]`` is not ASCII)."""
    b = i + 1
    while b < len(data) and 0x80 <= data[b] < 0xC0:
        b += 1
    return data[i:b].decode("utf-8", "replace")


def _alnum_before(data: bytes, i: int) -> bool:
    if i == 0:
        return False
    byte = data[i - 1]
    return byte in _ALNUM if byte < 0x80 else _char_before(data, i).isalnum()


def _alnum_at(data: bytes, i: int) -> bool:
    if i >= len(data):
        return False
    byte = data[i]
    return byte in _ALNUM if byte < 0x80 else _char_at(data, i).isalnum()


def _tail(data: bytes, b: int) -> int:
    """The end of the run of letters and digits starting at byte ``b``."""
    while True:
        run = _ASCII_TAIL.match(data, b)
        b = run.end() if run is not None else b  # the pattern matches the empty run too
        if b >= len(data) or data[b] < 0x80:
            return b
        char = _char_at(data, b)
        if not char.isalnum():
            return b
        b += len(char.encode("utf-8", "surrogatepass"))


class Term:
    """A search term's tokens (ASCII) as a pattern over bytes."""

    def __init__(self, tokens: Sequence[str], prefix: bool, whole_words: bool):
        self.whole_words = whole_words
        self.prefix = prefix and whole_words
        self.single = len(tokens) == 1
        self.word = tokens[0].encode("ascii")
        body = _SEPARATOR.join(re.escape(t.encode("ascii")) for t in tokens)
        if whole_words and not self.prefix:
            body += rb"(?![a-zA-Z0-9])"
        self.pattern = re.compile(body)

    def spans(self, data: bytes) -> list[tuple[int, int]]:
        """Byte spans of the hits in ``data`` (lowered UTF-8), in order, as on folded text."""
        if self.single:
            return self._single(data)
        out = []
        search, pos = self.pattern.search, 0
        whole, prefix = self.whole_words, self.prefix
        while (m := search(data, pos)) is not None:
            a, b = m.span()
            if not all(sep.isascii() or not any(c.isalnum() for c in sep.decode("utf-8", "replace"))
                       for sep in m.groups()) or (whole and not prefix and _alnum_at(data, b)):
                pos = a + 1  # no hit here on the folded text: look from the next position
                continue
            if prefix:
                b = _tail(data, b)
            pos = b
            if whole and _alnum_before(data, a):
                continue
            out.append((a, b))
        return out

    def _single(self, data: bytes) -> list[tuple[int, int]]:
        whole, prefix = self.whole_words, self.prefix
        word = self.word
        if not whole:
            return [m.span() for m in self.pattern.finditer(data)]
        out = []
        find, size, a = data.find, len(word), data.find(word)
        while a >= 0:  # the C substring search, faster than the pattern's scan
            b, a_next = a + size, find(word, a + size)
            if not prefix and b < len(data) and data[b] in _ALNUM:
                a = a_next
                continue
            if not (a and (data[a - 1] in _ALNUM or (data[a - 1] >= 0x80 and _char_before(data, a).isalnum()))):
                if prefix:
                    out.append((a, _tail(data, b)))
                elif not (b < len(data) and data[b] >= 0x80 and _char_at(data, b).isalnum()):
                    out.append((a, b))
            a = a_next
        return out


class CodePoints:
    """Byte offsets of a UTF-8 text to code-point offsets (``chars``: the non-ASCII characters it
    may hold). The multi-byte characters are located on the first call; then the bytes are let go."""

    def __init__(self, data: bytes, chars: frozenset[str]):
        self._data: bytes | None = data
        self._chars = chars
        self.starts: list[int] = []
        self.extra: list[int] = []

    def _locate(self, data: bytes) -> None:
        marks: list[tuple[int, int]] = []
        for char in self._chars:
            encoded = char.encode("utf-8", "surrogatepass")
            extra, find, i = len(encoded) - 1, data.find, data.find(encoded)
            while i >= 0:
                marks.append((i, extra))
                i = find(encoded, i + 1 + extra)
        marks.sort()
        self.starts = [i for i, _ in marks]
        total = 0
        for _, extra in marks:
            total += extra
            self.extra.append(total)

    def __call__(self, offset: int) -> int:
        if self._data is not None:
            self._locate(self._data)
            self._data = None
        k = bisect_left(self.starts, offset)
        return offset - self.extra[k - 1] if k else offset
