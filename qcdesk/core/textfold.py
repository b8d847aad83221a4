"""Folding text for search (case and diacritics) with a map back to the original code points.

A search for "naive" must find "naïve", "NAÏVE" and a decomposed "nai\u0308ve"; a search in
Persian must find a word whether or not it carries vowel points or a zero-width non-joiner.
Folding = NFKD, then drop nonspacing/enclosing marks and invisible format characters, then
(unless matching case) lower-case. The folded text can be shorter or longer than the original
(a dropped mark, "ﬁ" -> "fi"), so hits found in it are mapped back to code-point offsets into
the original text through :class:`Folded`.

Transcripts are mostly characters that fold to themselves, so the common path is one
``str.lower`` plus one regular-expression scan (in C) that finds no character needing more;
only documents with such characters pay for the per-character work, and only at those
characters.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass

_DROPPED = frozenset({"Mn", "Me", "Cf"})


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str, case_sensitive: bool) -> str:
    out = "".join(c for c in unicodedata.normalize("NFKD", ch) if unicodedata.category(c) not in _DROPPED)
    # Greek final sigma is the same letter as sigma, whichever the user types
    return out if case_sensitive else out.lower().replace("ς", "σ")


@functools.lru_cache(maxsize=8192)
def _plan(ch: str, case_sensitive: bool) -> tuple[str, str | None, bool]:
    rep = _fold_char(ch, case_sensitive)
    dropped = unicodedata.category(ch) in _DROPPED
    unsafe = dropped or (not 0xC0 <= ord(ch) <= 0x24F and ch.lower() != rep
                         and any(c.isascii() and c.isalnum() for c in rep))
    if rep == ch:
        return "keep", None, unsafe
    if rep and not ch.isalnum() and not any(c.isalnum() for c in rep):
        # punctuation folding to punctuation ("…" -> "..."): the same to word matching
        return "keep", None, unsafe
    if len(rep) == 1:
        return "replace", rep, unsafe
    return "map", rep, unsafe


@dataclass(frozen=True)
class Folded:
    """A folded text and the way back: ``to_start``/``to_end`` map folded offsets to original ones.

    ``_starts[k]`` is where, in the folded text, the k-th original character whose folding is
    not exactly one character begins; ``_origins[k]`` is that character's original offset and
    ``_lengths[k]`` the length of its folding (0 for a dropped mark). Between such characters
    the two texts advance together.
    """

    text: str
    #: True when SQLite's FTS5 index (unicode61, diacritics removed) holds the ASCII words of
    #: the text as fold() sees them: no dropped marks or format characters joining letters, no
    #: full-width letters, ligatures or superscripts. Only then may the index rule it out.
    fts_exact: bool = True
    _starts: tuple[int, ...] = ()
    _origins: tuple[int, ...] = ()
    _lengths: tuple[int, ...] = ()

    @property
    def identity(self) -> bool:
        return not self._starts

    def _locate(self, f: int) -> tuple[int, int] | None:
        k = bisect_right(self._starts, f) - 1
        if k < 0:
            return None
        return k, self._starts[k] + self._lengths[k]

    def to_start(self, f: int) -> int:
        """Original offset of a hit starting at folded offset ``f``."""
        if not self._starts:
            return f
        found = self._locate(f)
        if found is None:
            return f
        k, after = found
        if f < after:  # inside the folding of one character: that character
            return self._origins[k]
        return self._origins[k] + 1 + (f - after)

    def to_end(self, f: int) -> int:
        """Original offset of a hit ending (exclusive) at folded offset ``f``: a hit that ends
        inside the folding of a character takes the whole character."""
        if not self._starts:
            return f
        found = self._locate(f)
        if found is None:
            return f
        k, after = found
        if f < after and f > self._starts[k]:
            return self._origins[k] + 1
        if f < after:  # f == start of a character that expands: the hit ends before it
            return self._origins[k]
        return self._origins[k] + 1 + (f - after)


def fold_utf8(raw: bytes, chars: frozenset[str], case_sensitive: bool = False
               ) -> tuple[bytes | None, frozenset[tuple[str, str]], bool]:
    """What a search on UTF-8 bytes needs of :func:`fold`, for a text where folding keeps every
    code point in its place.

    ``raw`` is the text's UTF-8 and ``chars`` its non-ASCII characters. When each of them is kept
    or replaced by one other character (no dropped mark, no "ﬁ" -> "fi"), returns the bytes to
    search (``raw`` with its ASCII letters lowered unless matching case: the other characters
    are not replaced, a search looks for them as variants of the letters they fold to), the
    pairs (character, its folding) of the non-ASCII characters that fold to a letter or digit,
    and the ``fts_exact`` of the folding; otherwise ``(None, frozenset(), fts_exact)``.
    """
    in_place, alnum, exact = _utf8_plan(chars, case_sensitive)
    if not in_place:
        return None, frozenset(), exact
    return (raw if case_sensitive else raw.lower()), alnum, exact


@functools.lru_cache(maxsize=1024)
def _utf8_plan(chars: frozenset[str], case_sensitive: bool) -> tuple[bool, frozenset[tuple[str, str]], bool]:
    """For :func:`fold_utf8` (transcripts of a project often hold the same few characters):
    whether folding keeps each of ``chars`` in its place, those folding to a letter or digit
    (with their folding), and ``fts_exact``."""
    in_place, exact, alnum = True, True, []
    for ch in chars:
        how, rep, unsafe = _plan(ch, case_sensitive)
        exact = exact and not unsafe
        in_place = in_place and how != "map"
        folded = rep if how == "replace" and rep is not None else ch
        if folded.isalnum():
            alnum.append((ch, folded))
    return in_place, frozenset(alnum), exact


def non_ascii(text: str) -> frozenset[str]:
    """The distinct non-ASCII characters of a text (what :func:`fold` has to look at)."""
    return frozenset(_ASCII_RUNS.sub("", text))


def non_ascii_utf8(raw: bytes) -> frozenset[str]:
    """:func:`non_ascii` of the text whose UTF-8 encoding is ``raw``: dropping the ASCII bytes
    first is several times faster than scanning the decoded text."""
    return frozenset(raw.translate(None, _ASCII_BYTES).decode("utf-8", "replace"))


_ASCII_BYTES = bytes(range(128))


def fold(text: str, case_sensitive: bool = False, chars: frozenset[str] | None = None,
         raw: bytes | None = None) -> Folded:
    """Fold ``text`` for matching; see the module's docstring.

    ASCII letters are lowered on the UTF-8 bytes (``bytes.lower`` touches ASCII only, and is
    many times faster than ``str.lower`` on a text holding one emoji). Each distinct non-ASCII
    character is then folded on its own: those whose folding does not matter to matching words
    ("…", an em dash) are kept as they are; those folding to one other character ("é" -> "e",
    "İ" -> "i") are replaced in place; only the rest (dropped marks, "ﬁ" -> "fi") shift offsets
    and get entries in the map back. ``chars``, if given, is ``non_ascii(text)``, and ``raw``
    the text's UTF-8 bytes, both as the caller already has them.
    """
    if text.isascii():
        return Folded(text if case_sensitive else text.lower())
    if case_sensitive:
        base = text
    else:
        data = text.encode("utf-8", "surrogatepass") if raw is None else raw
        base = data.lower().decode("utf-8", "surrogatepass" if raw is None else "replace")
    exact, mapped = True, []
    for ch in (non_ascii(text) if chars is None else chars):
        how, rep, unsafe = _plan(ch, case_sensitive)
        exact = exact and not unsafe
        if how == "replace":
            assert rep is not None  # _plan gives a replacement with "replace"
            base = base.replace(ch, rep)
        elif how == "map":
            mapped.append(ch)
    if not mapped:
        return Folded(base, exact)
    pattern = re.compile("[" + "".join(re.escape(c) for c in mapped) + "]")
    return _fold_matches(base, pattern, case_sensitive, exact)


def _fold_matches(base: str, pattern: re.Pattern[str], case_sensitive: bool, exact: bool) -> Folded:
    pieces: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    lengths: list[int] = []
    last = out_len = 0
    for match in pattern.finditer(base):
        i = match.start()
        if i > last:
            pieces.append(base[last:i])
            out_len += i - last
        rep = _fold_char(base[i], case_sensitive)
        if len(rep) != 1:
            starts.append(out_len)
            origins.append(i)
            lengths.append(len(rep))
        pieces.append(rep)
        out_len += len(rep)
        last = i + 1
    pieces.append(base[last:])
    return Folded("".join(pieces), exact, tuple(starts), tuple(origins), tuple(lengths))


_ASCII_RUNS = re.compile(r"[\x00-\x7f]+")


def fold_query(text: str, case_sensitive: bool = False) -> str:
    """The folded form of what the user typed (no map needed)."""
    return fold(text, case_sensitive).text
