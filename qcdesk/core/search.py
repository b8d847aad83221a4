"""Full-text search over the transcripts, and coding what it finds (auto-coding).

What a researcher types: words, "exact phrases" and prefixes (``mentor*``); several of them
find the documents where all occur and show every occurrence of each. Matching ignores
diacritics and, unless asked, case (:mod:`qcdesk.core.textfold`). Nothing typed is passed to
SQLite as query syntax: each term becomes a quoted FTS5 phrase, so stray quotes or operators
can never raise a database error.

The FTS5 index (``documents_fts``, unicode61 with diacritics removed) picks the documents to
read; hits are then located in the folded text and mapped back to code-point offsets of the
original, the positions codings use. A document whose folding keeps every code point in place
(almost every transcript) is searched on its UTF-8 bytes, one regular expression per term that
also matches the document's characters folding to the term's letters
(:mod:`qcdesk.core.search_bytes`). The texts are read in the order they are stored; the hits
come back in interview order as :class:`~qcdesk.core.search_hits.Hits`, which makes each hit,
with its code-point offsets and context, only when it is shown. The index is trusted only for
terms that fold to ASCII letters and digits in documents it tokenises like
:func:`~qcdesk.core.textfold.fold` (Latin text): for other terms (Persian, Hebrew, Greek...) and
for documents whose marks or compatibility characters the index splits differently, the text
itself is read (and when no text has been read yet, the index is not asked).

A search that ignores case keeps each document's bytes to search (by content hash, within
:data:`KEEP_BYTES`), and the window's text check fills them after opening (:func:`prime`), so
later searches read no text; a text changed since has another hash and is read again.
"""

from __future__ import annotations

import re
import sqlite3
from bisect import bisect_right
from dataclasses import dataclass
from functools import partial
from itertools import chain
from typing import Callable, Iterable
from weakref import WeakKeyDictionary

from qcdesk.core import coding_rules, intervals, search_bytes
from qcdesk.core.errors import OperationError, ProjectError
from qcdesk.core.models import Block, Coding
from qcdesk.core.project import Project
from qcdesk.core.retrieval import documents_in_sets
from qcdesk.core.search_hits import CONTEXT, Hit, Hits, FoundText
from qcdesk.core.speakers import speakers as speaker_list
from qcdesk.core.storage import search as sql
from qcdesk.core.storage import schema
from qcdesk.core.textfold import Folded, fold, fold_query, fold_utf8, non_ascii_utf8

__all__ = ["CONTEXT", "Hit", "Hits", "UNITS", "Term", "code_hits", "parse_query", "prime", "search", "unit_range"]
from qcdesk.core.undo import Done

#: the units a hit can be widened to when coding it
UNITS = ("hit", "sentence", "paragraph", "turn")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "＂": '"'})
_TOKEN = re.compile(r"[^\W_]+")
_CHUNK = re.compile(r'"([^"]*)("?)(\*?)|(\S+)')
_UNSUPPORTED = {"OR", "NOT", "NEAR"}
_SENTENCE_END = re.compile(r"[.!?…。؟।]+[\"'”’)\]]*(?=\s|$)")


@dataclass(frozen=True)
class Term:
    """One thing to find: a word, a prefix or a phrase, as folded tokens."""

    tokens: tuple[str, ...]
    prefix: bool = False
    #: what the user typed for it, for messages
    typed: str = ""

    @property
    def ascii(self) -> bool:
        return all(t.isascii() for t in self.tokens)

    def fts(self) -> str:
        """The term as an FTS5 phrase: quoted, so nothing in it is read as syntax."""
        phrase = " ".join(self.tokens)
        return '"' + phrase.replace('"', '""') + '"' + ("*" if self.prefix else "")


def parse_query(query: str, case_sensitive: bool = False) -> list[Term]:
    """Words, "phrases" (a missing closing quote ends the phrase at the end) and prefix*."""
    query = query.translate(_QUOTES)
    terms: list[Term] = []
    for match in _CHUNK.finditer(query):
        quoted, _closed, star, bare = match.groups()
        if bare is not None:
            if bare == "AND":
                continue
            if bare in _UNSUPPORTED:
                raise OperationError(
                    f"Search finds the documents that contain all the words typed; “{bare}” is not "
                    f"supported. To search for the word itself, put it in quotes: \"{bare.lower()}\".")
            star = "*" if bare.endswith("*") else ""
            text = bare.rstrip("*").strip('"')
        else:
            text = quoted
        tokens = tuple(_TOKEN.findall(fold_query(text, case_sensitive)))
        if tokens:
            terms.append(Term(tokens, prefix=bool(star), typed=match.group(0)))
    if not terms:
        raise OperationError("Type a word or a phrase to search for (letters or digits).")
    return terms


def _pattern(term: Term, whole_words: bool) -> re.Pattern[str]:
    """The term in folded text. The end of a whole word is part of the pattern; its start is
    checked by :func:`_find` (a look-behind would cost the engine its fast literal scan)."""
    body = r"[\W_]+".join(re.escape(t) for t in term.tokens)
    if whole_words:
        body += r"[^\W_]*" if term.prefix else r"(?![^\W_])"
    return re.compile(body)


def _find(folded: str, term: Term, pattern: re.Pattern[str], whole_words: bool) -> list[tuple[int, int]]:
    if whole_words and len(term.tokens) == 1:
        return _find_word(folded, term.tokens[0], term.prefix)
    out = []
    for m in pattern.finditer(folded):
        a, b = m.span()
        if whole_words and a > 0 and folded[a - 1].isalnum():
            continue
        out.append((a, b))
    return out


def _find_word(folded: str, word: str, prefix: bool) -> list[tuple[int, int]]:
    """One word: ``str.find`` (a fast substring search) beats the regular-expression engine."""
    out = []
    n, size = len(folded), len(word)
    find, i = folded.find, folded.find(word)
    while i >= 0:
        b = i + size
        if i == 0 or not folded[i - 1].isalnum():
            if prefix:
                tail = _WORD_TAIL.match(folded, b)  # the rest of the word (it may be empty)
                out.append((i, tail.end() if tail else b))
            elif b == n or not folded[b].isalnum():
                out.append((i, b))
        i = find(word, b)
    return out


_WORD_TAIL = re.compile(r"[^\W_]*")


class _Index:
    """Per project: which documents the FTS5 index tokenises as :func:`fold` does (by content hash)."""

    def __init__(self) -> None:
        self.exact: dict[int, tuple[str, bool]] = {}
        #: document id -> (content hash, its distinct non-ASCII characters)
        self.chars: dict[int, tuple[str, frozenset[str]]] = {}
        #: document id -> its folding for a search that ignores case, kept (by content hash) so
        #: that later searches read no text: see :class:`_Kept`
        self.kept: dict[int, _Kept] = {}
        self.kept_bytes = 0

    def keep(self, doc_id: int, content_hash: str, raw: bytes) -> "_Kept":
        """Fold the document (its UTF-8 bytes) for a search that ignores case and keep the
        folding, within :data:`KEEP_BYTES` in all (beyond it the folding is returned, not kept).
        Called by searches and by :func:`prime`'s thread: each step is one dict operation."""
        data, alnum, chars = self.fold_utf8(doc_id, content_hash, raw, False)
        kept = _Kept(content_hash, data, alnum,
                     search_bytes.CodePoints(data, chars) if data is not None and chars else None)
        old = self.kept.get(doc_id)
        size = len(data) if data is not None else 0
        grow = size - (len(old.data) if old is not None and old.data is not None else 0)
        if self.kept_bytes + grow <= KEEP_BYTES:
            self.kept[doc_id] = kept
            self.kept_bytes += grow
        return kept

    def all_kept(self, hashes: dict[int, str], ids: Iterable[int]) -> bool:
        kept = self.kept
        return all((k := kept.get(i)) is not None and k.content_hash == hashes[i] for i in ids)

    def non_ascii(self, doc_id: int, content_hash: str, raw: bytes) -> frozenset[str]:
        """The document's distinct non-ASCII characters (from its UTF-8 bytes; kept by hash)."""
        known = self.chars.get(doc_id)
        if known is None or known[0] != content_hash:
            known = self.chars[doc_id] = (content_hash, non_ascii_utf8(raw))
        return known[1]

    def fold(self, doc_id: int, content_hash: str, raw: bytes, case_sensitive: bool) -> tuple[str, Folded]:
        """The document's text (from its UTF-8 bytes) and its folding."""
        chars = self.non_ascii(doc_id, content_hash, raw)
        text = raw.decode("utf-8", "replace")
        folded = fold(text, case_sensitive, chars, raw)
        self.exact[doc_id] = (content_hash, folded.fts_exact)
        return text, folded

    def fold_utf8(self, doc_id: int, content_hash: str, raw: bytes, case_sensitive: bool
                  ) -> tuple[bytes | None, search_bytes.Alnum, frozenset[str]]:
        """:func:`~qcdesk.core.textfold.fold_utf8` of the document (None when folding moves
        offsets), and its non-ASCII characters."""
        chars = self.non_ascii(doc_id, content_hash, raw)
        data, alnum, exact = fold_utf8(raw, chars, case_sensitive)
        self.exact[doc_id] = (content_hash, exact)
        return data, alnum, chars

    def unsure(self, hashes: dict[int, str]) -> set[int]:
        """Documents the index may not find words in: not read since their text was what it
        is now (``hashes``: id -> content hash), or read and found unsafe."""
        return {i for i, h in hashes.items() if self.exact.get(i) != (h, True)}


#: at most this many bytes of folded text are kept per project (the whole of the 50M-character
#: project of the scale benchmark is about 52 MB)
KEEP_BYTES = 192 * 2**20


@dataclass(frozen=True, slots=True)
class _Kept:
    """A document's folding kept for later searches: the bytes to search (None when folding
    moves offsets: such a document is read again each time), its characters that fold to a
    letter or digit, and its byte-to-code-point map."""

    content_hash: str
    data: bytes | None
    alnum: search_bytes.Alnum
    code_points: search_bytes.CodePoints | None


_indexes: "WeakKeyDictionary[Project, _Index]" = WeakKeyDictionary()


def prime(project: Project) -> Callable[[int, str, bytes], None]:
    """What a background pass that reads every text (the text check) calls with each document's
    (id, content hash, UTF-8 bytes), from any thread, so that searches after it read no text.
    A document whose text has changed since is not trusted: its content hash differs."""
    index = _indexes.setdefault(project, _Index())

    def keep(doc_id: int, content_hash: str, raw: bytes) -> None:
        known = index.kept.get(doc_id)
        if known is None or known.content_hash != content_hash:
            index.keep(doc_id, content_hash, raw)
    return keep


def search(project: Project, query: str, *, document_ids: Iterable[int] | None = None,
           whole_words: bool = True, case_sensitive: bool = False, limit: int | None = None,
           set_ids: Iterable[int] | None = None, speakers: Iterable[str] | None = None) -> Hits:
    """Every occurrence of the query's terms in the documents that contain all of them,
    in interview order then position. ``limit`` stops after that many hits. ``document_ids``
    and ``set_ids`` (documents in any of these sets) narrow the documents searched; ``speakers``
    (labels, any of them) keeps the hits that start in those speakers' turns."""
    terms = parse_query(query, case_sensitive)
    wanted = set(speakers or ())
    if wanted:
        known = {s.speaker for s in speaker_list(project)}
        unknown = sorted(wanted - known)
        if unknown:
            raise OperationError(f"No speaker is called “{unknown[0]}” in this project"
                                 + (f" (speakers: {', '.join(sorted(known))})." if known else "."))
    index = _indexes.setdefault(project, _Index())
    hashes = sql.content_hashes(project.db)
    candidates = set(hashes) if document_ids is None else set(document_ids) & set(hashes)
    if set_ids:
        candidates &= documents_in_sets(project, set_ids)
    if whole_words and all(t.ascii for t in terms):
        unsure = index.unsure({i: hashes[i] for i in candidates})
        if not candidates <= unsure:  # else every text is read anyway
            try:
                found = set.intersection(*(sql.fts_matches(project.db, t.fts()) for t in terms))
            except sqlite3.DatabaseError as exc:
                raise ProjectError(f"The search index of this project could not be read ({exc}).") from exc
            candidates &= found | unsure
    patterns = [_pattern(t, whole_words) for t in terms]
    on_bytes = ([search_bytes.Term(t.tokens, t.prefix, whole_words) for t in terms]
                if all(t.ascii for t in terms) else None)
    found_in: dict[int, tuple[FoundText, list[int]]] = {}
    for stored in _texts(project, index, hashes, candidates, on_bytes is not None and not case_sensitive):
        doc_id = stored.id
        content_hash = hashes[doc_id]
        source, spans = _search_one(project, index, doc_id, content_hash, stored.data, terms, patterns, on_bytes,
                                    whole_words, case_sensitive)
        if wanted:
            spans = list(chain.from_iterable(
                (a, b) for a, b in zip(spans[::2], spans[1::2])
                if (turn := project.turn_at(doc_id, source.code_point(a))) is not None and turn.speaker in wanted))
        if spans:
            found_in[doc_id] = (source, spans)
    hits = Hits(project)
    for doc in sql.names(project.db, found_in):  # interview order
        source, spans = found_in[doc.id]
        hits.add(doc.id, doc.name, source, spans if limit is None else spans[:2 * (limit - len(hits))])
        if limit is not None and len(hits) >= limit:
            break
    return hits


def _search_one(project: Project, index: _Index, doc_id: int, content_hash: str, raw: bytes, terms: list[Term],
                patterns: list[re.Pattern[str]], on_bytes: list[search_bytes.Term] | None, whole_words: bool,
                case_sensitive: bool) -> tuple[FoundText, list[int]]:
    """One document's text (as its hits show it) and its hits, starts and ends one after the
    other (``raw``: its UTF-8, empty when the search found its folding kept)."""
    if on_bytes is not None:
        if not case_sensitive:
            kept = index.kept.get(doc_id)
            if kept is None or kept.content_hash != content_hash:
                kept = index.keep(doc_id, content_hash, raw)
            if kept.data is not None:
                # the text is read again for the few hits shown: holding every text's bytes as
                # well would double what a search over the whole project allocates
                return (FoundText(b"", None, kept.code_points, partial(_text_now, project, doc_id)),
                        _find_on_bytes(kept.data, on_bytes, kept.alnum))
        else:
            data, alnum, chars = index.fold_utf8(doc_id, content_hash, raw, case_sensitive)
            if data is not None:
                spans = _find_on_bytes(data, on_bytes, alnum)
                return FoundText(raw, None, search_bytes.CodePoints(data, chars) if chars and spans else None), spans
    if not raw:
        raw = _raw(project, doc_id)
    text, folded = index.fold(doc_id, content_hash, raw, case_sensitive)
    return FoundText(b"", text), list(chain.from_iterable(_find_folded(folded, terms, patterns, whole_words)))


def _texts(project: Project, index: _Index, hashes: dict[int, str], candidates: set[int],
           warm: bool) -> Iterable[sql.DocumentBytes]:
    """The candidates' UTF-8 texts, in the order they are stored; when ``warm`` and every
    candidate's folding is kept, no text is read (the bytes are empty)."""
    if warm and index.all_kept(hashes, candidates):
        return (sql.DocumentBytes(i, b"") for i in sorted(candidates))
    return sql.texts(project.db, candidates)


def _text_now(project: Project, doc_id: int) -> str:
    """The text of a hit found in kept folded bytes, read when shown; a document deleted since
    (its rows about to go from the list) shows no context."""
    try:
        return project.document_text(doc_id)
    except OperationError:
        return ""


def _raw(project: Project, doc_id: int) -> bytes:
    return project.document_text(doc_id).encode("utf-8", "surrogatepass")


def _find_folded(folded: Folded, terms: list[Term], patterns: list[re.Pattern[str]],
                 whole_words: bool) -> list[tuple[int, int]]:
    """Code-point ranges of the hits of all ``terms`` in a folded text (none unless each occurs)."""
    spans: list[tuple[int, int]] = []
    for term, pattern in zip(terms, patterns):
        found_here = _find(folded.text, term, pattern, whole_words)
        if not found_here:
            return []
        spans.extend(found_here)
    return intervals.union(((folded.to_start(a), folded.to_end(b)) for a, b in spans), join_touching=False)


def _find_on_bytes(data: bytes, terms: list[search_bytes.Term], alnum: search_bytes.Alnum = frozenset()
                   ) -> list[int]:
    """The same as :func:`_find_folded`, on the UTF-8 of a text that folding keeps in its
    places, as :func:`~qcdesk.core.textfold.fold_utf8` gives it (:mod:`qcdesk.core.search_bytes`);
    byte offsets (turned into code points later, by :class:`FoundText`), starts and ends one
    after the other."""
    if len(terms) == 1:
        return terms[0].spans(data, alnum)
    spans: list[tuple[int, int]] = []
    for term in terms:
        found_here = term.spans(data, alnum)
        if not found_here:
            return []
        spans.extend(zip(found_here[::2], found_here[1::2]))
    return list(chain.from_iterable(intervals.union(spans, join_touching=False)))


# ----------------------------------------------------------------------------- coding the hits
def unit_range(project: Project, document_id: int, text: str, start: int, end: int, unit: str,
               paragraphs: Paragraphs | None = None) -> tuple[int, int]:
    """``[start, end)`` widened to the sentence, paragraph or speaker turn around it
    (``paragraphs``: the document's, when the caller has them already)."""
    if unit not in UNITS:
        raise OperationError(f"“{unit}” is not a unit to code; choose one of {', '.join(UNITS)}.")
    if unit == "hit":
        return start, end
    if unit == "turn":
        first, last = project.turn_at(document_id, start), project.turn_at(document_id, max(start, end - 1))
        if first is not None and last is not None:
            return _trim(text, first.start, max(last.end, end))
        unit = "paragraph"  # a text without speakers: its paragraph
    a, b = (paragraphs or Paragraphs(project.blocks(document_id))).around(text, start, end)
    if unit == "paragraph":
        return _trim(text, a, b)
    sentence_start = max(a, _after_label(project, document_id, text, start))
    for m in _SENTENCE_END.finditer(text, sentence_start, start):
        sentence_start = m.end()
    stop = _SENTENCE_END.search(text, max(end, start + 1) - 1 if end > start else start, b)
    sentence_end = stop.end() if stop else b
    return _trim(text, sentence_start, max(sentence_end, end))


def _after_label(project: Project, document_id: int, text: str, start: int) -> int:
    """Where the words of the speaker turn around ``start`` begin, after "[time] Speaker:"."""
    turn = project.turn_at(document_id, start)
    if turn is None:
        return 0
    label = text.find(turn.speaker + ":", turn.start, min(start, turn.start + len(turn.speaker) + 40))
    return label + len(turn.speaker) + 1 if label >= 0 else turn.start


class Paragraphs:
    """A document's paragraphs (blocks) with their starts, for bisection."""

    def __init__(self, blocks: list[Block]):
        self.blocks = blocks
        self.starts = [blk.start for blk in blocks]

    def around(self, text: str, start: int, end: int) -> tuple[int, int]:
        """From the start of the paragraph holding ``start`` to the end of the one holding ``end``;
        in a text without paragraph structure, the line."""
        blocks = self.blocks
        i = bisect_right(self.starts, start) - 1
        j = bisect_right(self.starts, max(start, end - 1)) - 1
        if i >= 0 and blocks[i].start <= start < max(blocks[i].end, blocks[i].start + 1) and j >= 0:
            return blocks[i].start, max(blocks[j].end, end)
        a = text.rfind("\n", 0, start) + 1
        b = text.find("\n", end)
        return a, len(text) if b < 0 else b


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def code_hits(project: Project, hits: Iterable[Hit], code_id: int, unit: str = "hit") -> Done[list[Coding]]:
    """Code every hit (widened to ``unit``) with ``code_id`` as one action.

    Hits falling in the same sentence, paragraph or turn give one coding; a range already
    covered by this coder's coding with this code is left alone (the rules of
    :mod:`qcdesk.core.coding_rules`: the coding records who coded, as the audit trail does). The value is
    the codings made; the undo takes exactly these away again (None when none were made).
    """
    coding_rules.check_codable(project.code(code_id))
    if unit not in UNITS:
        raise OperationError(f"“{unit}” is not a unit to code; choose one of {', '.join(UNITS)}.")
    by_doc: dict[int, list[Hit]] = {}
    for hit in hits:
        by_doc.setdefault(hit.document_id, []).append(hit)
    with project.coder_recorded():  # a coder chosen before the full check is recorded in this action
        rows = _new_codings(project, by_doc, code_id, unit)
        if not rows:
            return Done([], None)
        with project.action() as changes:
            created = [c for c, added in coding_rules.add_codings(project.db, rows, changes) if added]
    return Done(created, project.codings.removal_of([c.id for c in created]) if created else None)


def _new_codings(project: Project, by_doc: dict[int, list[Hit]], code_id: int,
                 unit: str) -> list[coding_rules.NewCoding]:
    """The codings :func:`code_hits` adds: each hit widened to ``unit``, those already covered by
    this coder's coding with this code left out."""
    coder = coding_rules.recording_coder(project.db, project.coder)
    rows = []
    created_at = schema.now()
    for doc_id, doc_hits in by_doc.items():
        text = project.document_text(doc_id)
        paragraphs = Paragraphs(project.blocks(doc_id)) if unit != "hit" else None
        ranges = intervals.union((unit_range(project, doc_id, text, h.start, h.end, unit, paragraphs) for h in doc_hits),
                                 join_touching=False)
        existing = [(c.start, c.end) for c in project.codings_for_document(doc_id)
                    if c.code_id == code_id and c.coder_id == coder]
        for start, end in ranges:
            if end <= start or any(a <= start and end <= b for a, b in existing):
                continue
            rows.append(coding_rules.NewCoding(doc_id, code_id, start, end, coder, created_at))
    return rows
