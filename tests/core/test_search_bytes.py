"""Hits found on the UTF-8 bytes of a transcript (the fast path of search) are exactly the hits found
on its folded text, and both are those of a plain reference: fold each character on its own, then
take the leftmost matches one after another, as a regular expression's finditer does."""

from __future__ import annotations

import itertools
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.project import Project
from qcdesk.core import search as search_module
from qcdesk.core.search import _find_folded, _find_on_bytes, _indexes, _pattern, parse_query, prime, search
from qcdesk.core.search_bytes import CodePoints, Term
from qcdesk.core.storage.checks import document_fingerprints
from qcdesk.core.textedit import replace_spans
from qcdesk.core.textfold import fold, fold_utf8, non_ascii
from builders import empty_project

pytestmark = pytest.mark.core

#: a new project file for each example (a replayed example must not find the last one's)
_FILES = itertools.count()

#: pieces of text: words a query looks for, in several cases and accents; characters folding
#: keeps (curly quote, ellipsis, emoji, ß, Cyrillic), replaces by one character (É, Ж, ², İ)
#: or changes in length (a combining accent, the "ﬁ" ligature, a zero-width joiner); a circled letter and
#: the Kelvin sign fold to ASCII letters without being letters or being ASCII themselves
PIECES = ["na", "ive", "naive", "NAIVE", "Naïve", "NAÏVE", "nai\u0308ve", "café", "CAFÉ", "cafe", "fi", "ﬁ",
          "x1", "X", "1", "²", " ", "  ", "\n", "_", "-", "'", "’", "…", "😀", "ß", "жена", "Ж", "İ", "\u200d",
          "e", "É", "ab", "abab", "“", "”", "‘", "e\u0301", "👍🏽", "Ⓐ", "\u212a", "ｎａ", "ǅ", "\t", "a"]
#: the pieces folding keeps in place (a text of them only is searched on its bytes)
IN_PLACE = [p for p in PIECES if len(fold(p).text) == len(p) and "\u200d" not in p]
WORDS = ["naive", "na", "cafe", "ive", "fi", "x1", "e", "ab", "abab", "2", "жена", "ß", "a", "ka", "dz"]


def reference(text: str, query: str, whole_words: bool, case_sensitive: bool) -> list[tuple[int, int]]:
    folded, origin = [], []
    for i, ch in enumerate(text):
        rep = "".join(c for c in unicodedata.normalize("NFKD", ch)
                      if unicodedata.category(c) not in ("Mn", "Me", "Cf"))
        if not case_sensitive:
            rep = rep.lower().replace("ς", "σ")
        folded.extend(rep)
        origin.extend([i] * len(rep))
    f = "".join(folded)
    spans = []
    for term in parse_query(query, case_sensitive):
        found, a = [], 0
        while a < len(f):
            b = _match(f, a, term.tokens)
            if b is None or (whole_words and not term.prefix and b < len(f) and f[b].isalnum()):
                a += 1
                continue
            if whole_words and term.prefix:
                while b < len(f) and f[b].isalnum():
                    b += 1
            if not (whole_words and a > 0 and f[a - 1].isalnum()):
                found.append((origin[a], origin[b - 1] + 1))
            a = b
        if not found:
            return []
        spans += found
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _match(f: str, a: int, tokens: tuple[str, ...]) -> int | None:
    """Where the tokens, separated by runs of anything but letters and digits, end if they start at ``a``."""
    for k, token in enumerate(tokens):
        if k:
            j = a
            while a < len(f) and not f[a].isalnum():
                a += 1
            if a == j:
                return None
        if not f.startswith(token, a):
            return None
        a += len(token)
    return a


def queries() -> st.SearchStrategy[str]:
    word = st.sampled_from(WORDS)
    upper = st.builds(lambda w, up: w.upper() if up else w, word, st.booleans())
    term = st.one_of(st.builds(lambda w, star: w + "*" * star, upper, st.booleans()),
                     st.builds(lambda ws: '"' + " ".join(ws) + '"', st.lists(upper, min_size=2, max_size=3)))
    return st.builds(" ".join, st.lists(term, min_size=1, max_size=2))


def bytes_hits(text: str, query: str, whole_words: bool, case_sensitive: bool) -> list[tuple[int, int]] | None:
    data, alnum, _ = fold_utf8(text.encode(), non_ascii(text), case_sensitive)
    if data is None:
        return None
    terms = [Term(t.tokens, t.prefix, whole_words) for t in parse_query(query, case_sensitive)]
    to_code_point = CodePoints(data, non_ascii(text))
    spans = _find_on_bytes(data, terms, alnum)  # starts and ends one after the other
    return [(to_code_point(a), to_code_point(b)) for a, b in zip(spans[::2], spans[1::2])]


@settings(max_examples=400, deadline=None)
@example("женаna naive", "na", True, False)  # a letter of two bytes before a word
@example("naiveß naïveжена", "naive", True, False)  # ... and after it
@example("abжab ab😀ab", '"ab ab"', True, True)  # between the words of a phrase
@example("NAÏVEжена naive’s naiveß😀", "naiv*", True, False)  # at the end of a prefix
@example("na²na ²na", '"na na"', False, False)  # replaced by a digit of one byte
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), queries(), st.booleans(), st.booleans())
def test_bytes_and_folded_text_give_the_reference_hits(text, query, whole_words, case_sensitive):
    terms = parse_query(query, case_sensitive)
    folded = _find_folded(fold(text, case_sensitive), terms, [_pattern(t, whole_words) for t in terms],
                          whole_words)
    on_bytes = bytes_hits(text, query, whole_words, case_sensitive) if all(t.ascii for t in terms) else None
    if on_bytes is not None:
        assert on_bytes == folded
    if fold_utf8(text.encode(), non_ascii(text), case_sensitive)[0] is not None:
        # no character changes length when folded: the reference maps offsets the same way
        assert folded == reference(text, query, whole_words, case_sensitive)


def test_a_phrase_after_a_word_glued_to_its_first_token_is_found_as_before():
    # finditer takes "x x" at 1 (rejected: "y" before it) and goes on after it, so the "x x"
    # starting at 3 is not a hit; the search on bytes keeps that
    assert bytes_hits("yx x x", '"x x"', True, False) == reference("yx x x", '"x x"', True, False) == []


def test_offsets_after_multibyte_characters_and_replaced_accents():
    text = "😀 Café’s CAFÉ… naïve ﬁx NAÏVE"
    assert bytes_hits(text, "cafe", True, False) is None  # the ligature changes length: folded text path
    text = "😀 Café’s CAFÉ… naïve жена NAÏVE"
    hits = bytes_hits(text, "cafe naive", True, False)
    assert [text[a:b] for a, b in hits] == ["Café", "CAFÉ", "naïve", "NAÏVE"]
    assert [text[a:b] for a, b in bytes_hits(text, "Cafe", True, True)] == ["Café"]  # matching case
    assert [text[a:b] for a, b in bytes_hits(text, "caf*", True, False)] == ["Café", "CAFÉ"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=25).map("".join), min_size=1, max_size=3),
       queries(), st.booleans(), st.booleans())
def test_search_gives_the_reference_hits_in_a_project(tmp_path: Path, texts, query, whole_words, case_sensitive):
    path = tmp_path / f"h{next(_FILES)}.qcdesk"
    with empty_project(path) as project:
        ids = [project.documents.add(f"D{i}", ParsedDocument(text=t or ".", source_format="txt")).id
               for i, t in enumerate(texts)]
        terms = parse_query(query, case_sensitive)
        patterns = [_pattern(t, whole_words) for t in terms]
        want = [(doc_id, a, b) for doc_id, text in zip(ids, texts)
                for a, b in _find_folded(fold(text or ".", case_sensitive), terms, patterns, whole_words)]
        for _ in range(2):  # the second time, the FTS index is trusted for texts read once
            hits = search(project, query, whole_words=whole_words, case_sensitive=case_sensitive)
            assert [(h.document_id, h.start, h.end) for h in hits] == want


def _shown(hits) -> list[tuple]:
    return [(h.document_id, h.start, h.end, h.context) for h in hits]


def _prime_all(project: Project) -> None:
    keep = prime(project)
    for doc in document_fingerprints(project.db):
        keep(doc.document_id, doc.content_hash, doc.text_bytes)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=25).map("".join), min_size=1, max_size=3),
       st.lists(queries(), min_size=1, max_size=3), st.booleans(), st.booleans(), st.booleans())
def test_cold_warm_and_primed_searches_show_the_same_hits(tmp_path: Path, texts, query_list, whole_words,
                                                           case_sensitive, small):
    path = tmp_path / f"p{next(_FILES)}.qcdesk"
    with empty_project(path) as project:
        for i, t in enumerate(texts):
            project.documents.add(f"D{i}", ParsedDocument(text=t or ".", source_format="txt"))
        options = {"whole_words": whole_words, "case_sensitive": case_sensitive}
        with pytest.MonkeyPatch.context() as mp:
            if small:  # room for one short text only: some foldings are kept, the others read again
                mp.setattr(search_module, "KEEP_BYTES", 30)
            for query in query_list:
                _indexes.pop(project, None)
                cold = _shown(search(project, query, **options))
                assert _shown(search(project, query, **options)) == cold  # warm
                _indexes.pop(project, None)
                _prime_all(project)
                assert _shown(search(project, query, **options)) == cold  # primed


def test_a_text_changed_after_priming_is_searched_as_it_is_now(tmp_path: Path):
    with empty_project(tmp_path / "p.qcdesk") as project:
        doc = project.documents.add("D", ParsedDocument(text="Maria said hello to Maria.", source_format="txt"))
        before = next(document_fingerprints(project.db))
        _prime_all(project)
        assert [h.text for h in search(project, "maria")] == ["Maria", "Maria"]
        replace_spans(project, doc.id, [(0, 5, "Ann")])  # as pseudonymising does
        assert [(h.start, h.context) for h in search(project, "maria")] == [(18, "Ann said hello to Maria.")]
        # a background pass that read the text before it changed delivers it late: not trusted
        prime(project)(doc.id, before.content_hash, before.text_bytes)
        assert [h.context for h in search(project, "ann")] == ["Ann said hello to Maria."]
        assert [h.start for h in search(project, "maria")] == [18]


def test_priming_keeps_no_more_than_its_budget(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(search_module, "KEEP_BYTES", 40)
    with empty_project(tmp_path / "p.qcdesk") as project:
        for i in range(5):
            project.documents.add(f"D{i}", ParsedDocument(text=f"word number {i} here", source_format="txt"))
        _prime_all(project)
        index = _indexes[project]
        assert 0 < index.kept_bytes <= 40 and len(index.kept) == 2
        assert len(search(project, "word")) == 5


def test_a_warm_hit_of_a_document_deleted_since_shows_no_context(tmp_path: Path):
    with empty_project(tmp_path / "p.qcdesk") as project:
        doc = project.documents.add("D", ParsedDocument(text="a word here", source_format="txt"))
        _prime_all(project)
        (hit,) = search(project, "word")
        project.documents.delete(doc.id)  # the Search panel's rows go once it hears of it
        assert (hit.start, hit.end, hit.context) == (2, 6, "")


def _context(text: str, a: int, b: int) -> str:
    """What a list shows of the hit ``[a, b)``: a plain rewriting of the rule (60 characters each
    side, cut at a space, each run of line breaks and tabs shown as one space)."""
    def one_line(part: str) -> str:
        return re.sub(r"[ \t]*[\r\n\t]\s*", " ", part)
    before = text[max(0, a - 60):a]
    if a > 60 and " " in before:
        before = "…" + before.split(" ", 1)[1]
    after = text[b:b + 60]
    if b + 60 < len(text) and " " in after:
        after = after.rsplit(" ", 1)[0] + "…"
    return one_line(before).lstrip() + one_line(text[a:b]) + one_line(after).rstrip()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@example(["wé naive’s “NAÏVE” 😀 NAÏVEжена", "ﬁ na\u0301ive naive"], "naive", True, False)
@example(["Ⓐb ab \u212aa ka"], "ab ka", True, False)
@example(["женаna na ab ab", "na ab жab ab"], 'na "ab ab"', True, False)  # a letter of two bytes before a hit
@given(st.lists(st.one_of(*(st.lists(st.sampled_from(pieces + ["word " * 9]), max_size=30).map("".join)
                            for pieces in (IN_PLACE, PIECES))), min_size=1, max_size=3),
       queries(), st.booleans(), st.booleans())
def test_search_shows_the_reference_hits_and_contexts(tmp_path: Path, texts, query, whole_words, case_sensitive):
    path = tmp_path / f"r{next(_FILES)}.qcdesk"
    texts = [t or "." for t in texts]
    with Project.create(path) as project:
        ids = [project.documents.add(f"D{i}", ParsedDocument(text=t, source_format="txt")).id
               for i, t in enumerate(texts)]
        want = [(doc_id, a, b, _context(text, a, b)) for doc_id, text in zip(ids, texts)
                for a, b in reference(text, query, whole_words, case_sensitive)]
        for _ in range(2):  # cold, then on the foldings kept
            hits = search(project, query, whole_words=whole_words, case_sensitive=case_sensitive)
            assert [(h.document_id, h.start, h.end, h.context) for h in hits] == want
            assert len(hits) == len(want) and hits.document_ids == sorted({w[0] for w in want})
