"""Full-text search: what is found, where exactly (code points of the original text), and auto-coding."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcdesk.core.errors import OperationError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.search import code_hits, parse_query, search, unit_range
from qcdesk.core.textfold import fold
from builders import lines_document, empty_project

pytestmark = pytest.mark.core


ACCENTS = ["Interviewer: Was the café 😀 naïve? Tell me.",
           "P1: NAÏVE, yes. Quite nai\u0308ve 😀😀 about the ﬁsh. The Café closed.",
           "Interviewer: And the mentor?",
           "P1: My mentor was assigned. Mentoring helped. The mentors met weekly."]
PERSIAN = ["مصاحبه‌گر: دربارهٔ کارآموزی بگویید.",
           "P2: من می\u200cخواهم دربارهٔ کَتاب و دانشگاه صحبت کنم. 2024 سال سختی بود.",
           "P3: שָׁלוֹם, the ward was busy."]


@pytest.fixture
def project(tmp_path: Path):
    with empty_project(tmp_path / "s.qcdesk") as proj:
        proj.documents.add("Accents", lines_document(ACCENTS))
        proj.documents.add("Persian", lines_document(PERSIAN))
        proj.documents.add("Plain", lines_document(["Interviewer: Nothing to see.", "P9: A mentor? None at all."]))
        yield proj


def found(project, query, **kw) -> list[tuple[str, str]]:
    hits = search(project, query, **kw)
    return [(h.document_name, project.document_text(h.document_id)[h.start:h.end]) for h in hits]


def test_diacritics_case_emoji_and_decomposed_marks(project):
    assert found(project, "naive") == [("Accents", "naïve"), ("Accents", "NAÏVE"), ("Accents", "nai\u0308ve")]
    assert found(project, "CAFÉ") == [("Accents", "café"), ("Accents", "Café")]
    # the ligature folds to "fi": its one code point is the hit
    assert found(project, "fish") == [("Accents", "ﬁsh")]


def test_offsets_are_code_points_after_emoji(project):
    text = project.document_text(1)
    hit = [h for h in search(project, "about")][0]
    assert text[hit.start:hit.end] == "about"
    assert hit.start == text.index("about")  # Python str offsets are code points
    assert "😀😀" in text[:hit.start]


def test_phrase_prefix_and_all_words_must_occur(project):
    assert found(project, '"naive cafe"') == []
    assert found(project, '"Was the cafe"') == [("Accents", "Was the café")]
    # punctuation and emoji between the words of a phrase do not matter (as in the index)
    assert found(project, '"cafe naive"') == [("Accents", "café 😀 naïve")]
    assert [t for _, t in found(project, "mentor*")] == ["mentor", "mentor", "Mentoring", "mentors", "mentor"]
    # both words: only the document that has both; every occurrence of each is shown
    assert found(project, "mentor fish") == [("Accents", "ﬁsh"), ("Accents", "mentor"), ("Accents", "mentor")]
    assert found(project, "mentor") == [("Accents", "mentor"), ("Accents", "mentor"), ("Plain", "mentor")]


def test_whole_words_and_case_options(project):
    assert found(project, "ment") == []
    assert [t for _, t in found(project, "ment", whole_words=False)] == ["ment", "ment", "Ment", "ment", "ment"]
    assert found(project, "Café", case_sensitive=True) == [("Accents", "Café")]
    assert found(project, "naïve", case_sensitive=True) == [("Accents", "naïve"), ("Accents", "nai\u0308ve")]


def test_right_to_left_text_without_points_and_joiners(project):
    # typed without vowel points / zero-width non-joiner, found in the text that has them
    assert found(project, "میخواهم") == [("Persian", "می\u200cخواهم")]
    assert found(project, "کتاب") == [("Persian", "کَتاب")]
    assert found(project, "שלום") == [("Persian", "שָׁלוֹם")]
    assert found(project, "2024 ward") == [("Persian", "2024"), ("Persian", "ward")]


def test_the_index_is_not_trusted_for_texts_it_splits_differently(project):
    # first search learns which documents the FTS index reads like fold() does; the
    # decomposed "nai\u0308ve" must still be found on later searches
    for _ in range(2):
        assert ("Accents", "nai\u0308ve") in found(project, "naive")


def test_hits_know_speaker_paragraph_and_context(project):
    hit = search(project, "closed")[0]
    assert hit.speaker == "P1" and hit.paragraph == 2
    assert hit.text == "closed" and "The Café closed. Interviewer:" in hit.context
    assert "\n" not in search(project, "mentor")[0].context


def test_document_filter_and_limit(project):
    assert found(project, "mentor", document_ids=[3]) == [("Plain", "mentor")]
    assert len(search(project, "mentor", limit=2)) == 2


def test_speaker_filter_keeps_the_hits_starting_in_those_speakers_turns(project):
    every = search(project, "mentor")
    assert {h.speaker for h in every} == {"Interviewer", "P1", "P9"}
    for wanted in (["P1"], ["Interviewer", "P9"], ["P1", "P9"]):
        hits = search(project, "mentor", speakers=wanted)
        assert [(h.document_id, h.start) for h in hits] == [(h.document_id, h.start) for h in every
                                                             if h.speaker in wanted]
    assert [h.speaker for h in search(project, "mentor", speakers=["P1"], limit=1)] == ["P1"]  # limit after
    assert search(project, "mentor", speakers=[]) == every  # no speaker chosen: every hit


def test_an_unknown_speaker_is_refused_by_name(project):
    with pytest.raises(OperationError, match="“P7”"):
        search(project, "mentor", speakers=["P1", "P7"])


@pytest.mark.parametrize("query", ['"mentor', 'mentor"', 'mentor AND "', '(mentor', 'mentor -', 'men^tor*',
                                   'NEAR(mentor', '"a" "', "mentor:", "col:mentor", "*mentor", '""mentor""'])
def test_odd_typing_never_raises_a_database_error(project, query):
    try:
        search(project, query)
    except OperationError as exc:
        assert "search" in str(exc).lower() or "type" in str(exc).lower()


@pytest.mark.parametrize("query", ["", "   ", '"', "*", "---", '""'])
def test_nothing_to_search_for_says_so(project, query):
    with pytest.raises(OperationError, match="Type a word"):
        search(project, query)


def test_unsupported_operators_are_explained(project):
    with pytest.raises(OperationError, match="not supported"):
        search(project, "mentor OR fish")
    assert found(project, '"or" mentor') == []  # quoted: the word itself


def test_parse_query_terms():
    terms = parse_query('“exact phrase” don\'t regist* "unclosed phr')
    assert [(t.tokens, t.prefix) for t in terms] == [
        (("exact", "phrase"), False), (("don", "t"), False), (("regist",), True), (("unclosed", "phr"), False)]
    assert terms[0].fts() == '"exact phrase"' and terms[2].fts() == '"regist"*'


def test_greek_accents_and_final_sigma(tmp_path):
    with empty_project(tmp_path / "g.qcdesk") as proj:
        proj.documents.add("Greek", lines_document(["P1: Ο δρόμος ήταν μακρύς.", "P2: ΔΡΟΜΟΣ!"]))
        assert found(proj, "δρομος") == [("Greek", "δρόμος"), ("Greek", "ΔΡΟΜΟΣ")]
        assert found(proj, "ΜΑΚΡΥΣ") == [("Greek", "μακρύς")]


def test_fold_maps_back_to_original_offsets():
    text = "Ca\u0301fe ﬁne İz …"
    folded = fold(text)
    assert folded.text == "cafe fine iz …"
    start = folded.text.index("fine")
    assert text[folded.to_start(start):folded.to_end(start + 4)] == "ﬁne"
    assert text[folded.to_start(0):folded.to_end(4)] == "Ca\u0301fe"


# ----------------------------------------------------------------------------- auto-coding
def test_code_hits_by_unit(project):
    code = project.codebook.add("Mentoring").value
    text = project.document_text(1)
    hits = search(project, "mentor*", document_ids=[1])
    made = code_hits(project, hits, code.id, "sentence").value
    assert [text[c.start:c.end] for c in made] == [
        "And the mentor?", "My mentor was assigned.", "Mentoring helped.", "The mentors met weekly."]
    # again: everything is already coded with this code
    assert code_hits(project, hits, code.id, "sentence").value == []
    turn_code = project.codebook.add("Turns").value
    made = code_hits(project, hits, turn_code.id, "turn").value
    assert [text[c.start:c.end] for c in made] == [ACCENTS[2], ACCENTS[3]]
    para_code = project.codebook.add("Paragraphs").value
    assert len(code_hits(project, hits, para_code.id, "paragraph").value) == 2


def test_code_hits_is_one_action_and_undoable_exactly(project):
    code = project.codebook.add("Naive").value
    earlier = project.codings.apply(1, code.id, 0, 5).value
    seen = []
    project.subscribe(seen.append)
    done = code_hits(project, search(project, "naive"), code.id)
    made = done.value
    assert len(seen) == 1 and seen[0].codings == {c.id for c in made}
    assert len(made) == 3
    redo = done.undo.run()
    assert [c.id for c in project.codings_for_document(1)] == [earlier.id]
    redo.run()
    assert {c.id for c in project.codings_for_document(1)} == {earlier.id} | {c.id for c in made}


def test_hits_in_one_sentence_become_one_coding(project):
    code = project.codebook.add("Both").value
    made = code_hits(project, search(project, "naive"), code.id, "sentence").value
    text = project.document_text(1)
    assert [text[c.start:c.end] for c in made] == ["Was the café 😀 naïve?", "NAÏVE, yes.",
                                                   "Quite nai\u0308ve 😀😀 about the ﬁsh."]


def test_unit_range_without_structure_uses_the_line(tmp_path):
    with empty_project(tmp_path / "n.qcdesk") as proj:
        doc = proj.documents.add("Bare", ParsedDocument(text="one two\nthree four", source_format="txt"))
        assert unit_range(proj, doc.id, "one two\nthree four", 9, 11, "turn") == (8, 18)
        with pytest.raises(OperationError):
            unit_range(proj, doc.id, "one two", 0, 1, "page")
