"""Finding search hits on a text's UTF-8 bytes, without decoding or folding it in Python.

Most transcripts hold, besides ASCII, only characters that folding keeps in their places: kept as
they are (curly quotes, dashes, emoji...) or replaced by one other character ("é" -> "e").
A term of ASCII letters and digits is then found in the text's UTF-8 bytes, with its ASCII
letters lowered (unless matching case), by one compiled regular expression per document: each
letter of the term that a character of the document folds to is looked for as that letter or
any of those characters (its *variants*), so no character is replaced across the text. Word
boundaries, the separators between the words of a phrase and the rest of a prefixed word are
part of the expression too: a letter or digit next to a hit is an ASCII one or one of the
document's non-ASCII characters that fold to one (``[^\\W_]`` on the folded text is
:meth:`str.isalnum`). Byte offsets become code points by counting the bytes of the multi-byte
characters before them (:class:`CodePoints`), when a hit is shown.

The hits are exactly those of :func:`qcdesk.core.search._find` on the folded text; a test
compares both with a plain reference on random texts with accents, case, marks and emoji.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from itertools import chain
from typing import Sequence

_ALNUM = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_ASCII_ALNUM = rb"[a-zA-Z0-9]"

#: (character, its folding) of a document's non-ASCII characters that fold to a letter or digit
Alnum = frozenset[tuple[str, str]]


def _utf8(ch: str) -> bytes:
    return re.escape(ch.encode("utf-8", "surrogatepass"))


class _Parts:
    """The pieces of an expression over one document's bytes (its non-ASCII letters and digits)."""

    def __init__(self, alnum: Alnum):
        self.variants: dict[str, list[bytes]] = {}
        by_width: dict[int, list[bytes]] = {}
        for ch, folded in sorted(alnum):
            encoded = _utf8(ch)
            self.variants.setdefault(folded, []).append(encoded)
            by_width.setdefault(len(ch.encode("utf-8", "surrogatepass")), []).append(encoded)
        self.by_width = [b"|".join(alts) for _, alts in sorted(by_width.items())]
        #: one letter or digit: ASCII, or a character folding to one
        self.alnum = b"(?:" + b"|".join([_ASCII_ALNUM, *self.by_width]) + b")"
        self.separator = (rb"(?:(?!" + b"|".join(self.by_width) + rb")[^a-zA-Z0-9])+" if self.by_width
                          else rb"[^a-zA-Z0-9]+")

    def letter(self, c: str) -> bytes:
        """One letter of a term: itself or a character folding to it."""
        found = self.variants.get(c)
        return b"(?:" + b"|".join([re.escape(c.encode("ascii")), *found]) + b")" if found \
            else re.escape(c.encode("ascii"))

    def no_alnum_before(self, literal: bytes) -> bytes:
        """``literal`` (just matched) has no letter or digit before it: one fixed-width look-behind
        per character width, placed after the literal so that the engine keeps its literal scan."""
        return b"".join(rb"(?<!(?:" + alts + b")" + literal + b")" for alts in [_ASCII_ALNUM, *self.by_width])

    def word(self, token: str) -> bytes:
        """A token that must start a word."""
        k = next((i for i, c in enumerate(token) if c in self.variants), len(token))
        if k:
            head = re.escape(token[:k].encode("ascii"))
            return head + self.no_alnum_before(head) + b"".join(self.letter(c) for c in token[k:])
        first = [re.escape(token[0].encode("ascii")), *self.variants[token[0]]]
        return (b"(?:" + b"|".join(alt + self.no_alnum_before(alt) for alt in first) + b")"
                + b"".join(self.letter(c) for c in token[1:]))


@functools.lru_cache(maxsize=512)
def _compile(tokens: tuple[str, ...], prefix: bool, whole_words: bool, alnum: Alnum) -> re.Pattern[bytes]:
    parts = _Parts(alnum)
    words = [b"".join(parts.letter(c) for c in t) for t in tokens]
    if whole_words and len(tokens) == 1:
        words[0] = parts.word(tokens[0])
    body = parts.separator.join(words)
    if whole_words:
        body += parts.alnum + b"*" if prefix else b"(?!" + parts.alnum + b")"
    return re.compile(body)


def _alnum_before(data: bytes, i: int, alnum: Alnum) -> bool:
    if i == 0:
        return False
    byte = data[i - 1]
    if byte < 0x80:
        return byte in _ALNUM
    a = i - 1
    while a > 0 and 0x80 <= data[a] < 0xC0:
        a -= 1
    char = data[a:i].decode("utf-8", "replace")
    return any(ch == char for ch, _ in alnum)


class Term:
    """A search term's tokens (ASCII), found on a document's bytes."""

    def __init__(self, tokens: Sequence[str], prefix: bool, whole_words: bool):
        self.tokens = tuple(tokens)
        self.whole_words = whole_words
        self.prefix = prefix and whole_words

    def spans(self, data: bytes, alnum: Alnum = frozenset()) -> list[int]:
        """The hits in ``data`` (the bytes :func:`~qcdesk.core.textfold.fold_utf8` gives, and its
        ``alnum``), in order, as on folded text: their byte starts and ends, one after the other
        (a list of numbers, not of pairs: the garbage collector has nothing to look at)."""
        pattern = _compile(self.tokens, self.prefix, self.whole_words, alnum)
        if not self.whole_words or len(self.tokens) == 1:
            return list(chain.from_iterable(map(_SPAN, pattern.finditer(data))))
        # a phrase whose start is glued to a word is no hit, and the search goes on after it
        # (as on the folded text), so its start is checked here rather than by a look-behind
        out: list[int] = []
        for m in pattern.finditer(data):
            if not _alnum_before(data, m.start(), alnum):
                out.extend(m.span())
        return out


_SPAN = re.Match.span


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
