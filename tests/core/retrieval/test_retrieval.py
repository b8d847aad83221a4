"""Retrieval by code combinations and filters, checked on hand-made overlaps."""

from __future__ import annotations

import random

import pytest

from qcdesk.core.errors import OperationError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.intervals import IntervalIndex, intersect, union
from qcdesk.core.retrieval import AttributeCondition, Query, format_quotes, retrieve

from retrieval_study import LINES_1, add_attribute, add_case, parsed, span
from builders import empty_project

pytestmark = pytest.mark.core


def texts(results) -> list[str]:
    return [r.text for r in results]


# ---------------------------------------------------------------- modes
def test_or_lists_each_segment_in_interview_order(study):
    project, ids, c, _ = study
    results = retrieve(project, Query([ids["belonging"], ids["worry"]]))
    assert texts(results) == ["was assigned by the school", "I felt I belonged",
                              "I worry that I have no time", "I belong here"]
    assert [r.document_name for r in results] == ["Interview 3"] * 2 + ["Interview 7"] * 2


def test_or_with_subcodes_and_one_result_per_identical_range(study):
    project, ids, c, (t1, _) = study
    # the same range coded with a second code appears once, with both codes
    project.codings.apply(ids["d1"], ids["worry"], c["m1"].start, c["m1"].end)
    results = retrieve(project, Query([ids["mentoring"], ids["worry"]]))
    assert texts(results) == ["My mentor 😀 was assigned", "we met every month",
                              "three mentees and I worry", "I worry that I have no time"]
    assert results[1].code_ids == tuple(sorted((ids["mentoring"], ids["worry"])))
    alone = retrieve(project, Query([ids["mentoring"]], include_subcodes=False))
    assert texts(alone) == ["we met every month", "three mentees and I worry"]


def test_and_returns_the_overlapping_text(study):
    project, ids, c, _ = study
    results = retrieve(project, Query([ids["mentoring"], ids["belonging"]], mode="and"))
    # Assigned (sub-code of Mentoring) and Belonging overlap on "was assigned"
    assert texts(results) == ["was assigned"]
    assert set(results[0].coding_ids) == {c["a1"].id, c["b1"].id}
    worry = retrieve(project, Query([ids["worry"], ids["mentoring"]], mode="and"))
    assert texts(worry) == ["I worry"]
    assert retrieve(project, Query([ids["worry"], ids["belonging"]], mode="and")) == []
    without_sub = retrieve(project, Query([ids["mentoring"], ids["belonging"]], mode="and", include_subcodes=False))
    assert without_sub == []


def test_and_of_three_codes_needs_all_three(study):
    project, ids, c, (t1, _) = study
    start, end = span(t1, "assigned by")
    project.codings.apply(ids["d1"], ids["worry"], start, end)
    results = retrieve(project, Query([ids["assigned"], ids["belonging"], ids["worry"]], mode="and"))
    assert texts(results) == ["assigned"]


def test_not_leaves_out_segments_touching_an_excluded_coding(study):
    project, ids, c, _ = study
    results = retrieve(project, Query([ids["belonging"]], mode="not", exclude_codes=[ids["mentoring"]]))
    # "was assigned by the school" overlaps Assigned, a sub-code of Mentoring
    assert texts(results) == ["I felt I belonged", "I belong here"]
    kept = retrieve(project, Query([ids["belonging"]], mode="not", exclude_codes=[ids["mentoring"]],
                                   include_subcodes=False))
    assert texts(kept) == ["was assigned by the school", "I felt I belonged", "I belong here"]
    with pytest.raises(OperationError, match="left out"):
        retrieve(project, Query([ids["belonging"]], mode="not"))


def test_adjacent_ranges_do_not_overlap(study):
    project, ids, c, (t1, _) = study
    # ends exactly where "was assigned by the school" starts: no shared character
    start = t1.index("was assigned by the school")
    project.codings.apply(ids["d1"], ids["worry"], start - 4, start)
    assert retrieve(project, Query([ids["worry"], ids["belonging"]], mode="and")) == []
    results = retrieve(project, Query([ids["worry"]], mode="not", exclude_codes=[ids["belonging"]]))
    assert texts(results) == ["r 😀 ", "I worry that I have no time"]


def test_bad_queries_say_what_is_wrong(study):
    project, ids, _, _ = study
    with pytest.raises(OperationError, match="at least one code"):
        retrieve(project, Query([]))
    with pytest.raises(OperationError, match="does not exist"):
        retrieve(project, Query([9999]))
    with pytest.raises(OperationError, match="mode"):
        Query([ids["worry"]], mode="xor")


# ---------------------------------------------------------------- filters
def test_document_filter(study):
    project, ids, _, _ = study
    results = retrieve(project, Query([ids["belonging"]], documents=[ids["d2"]]))
    assert texts(results) == ["I belong here"]


def test_speaker_filter_uses_the_turn_at_the_segment_start(study):
    project, ids, _, _ = study
    assert texts(retrieve(project, Query([ids["belonging"]], speakers=["M01"]))) == ["I belong here"]
    assert retrieve(project, Query([ids["belonging"]], speakers=["Interviewer"])) == []


def test_coder_filter(study):
    project, ids, _, _ = study
    ben = next(c.id for c in project.coders() if c.name == "Ben")
    results = retrieve(project, Query([ids["mentoring"], ids["belonging"]], coders=[ben]))
    assert texts(results) == ["we met every month", "three mentees and I worry", "I belong here"]


def test_case_filter_by_document_and_by_speaker(study):
    project, ids, _, _ = study
    whole = add_case(project, "P03", documents=[ids["d1"]])
    speaker = add_case(project, "M01", speakers=[(ids["d2"], "M01")])
    interviewer = add_case(project, "Interviewer 2", speakers=[(ids["d2"], "Interviewer")])
    assert texts(retrieve(project, Query([ids["belonging"]], cases=[whole]))) == [
        "was assigned by the school", "I felt I belonged"]
    assert texts(retrieve(project, Query([ids["belonging"]], cases=[speaker]))) == ["I belong here"]
    assert retrieve(project, Query([ids["belonging"]], cases=[interviewer])) == []
    assert len(retrieve(project, Query([ids["belonging"]], cases=[whole, speaker]))) == 3


def test_attribute_conditions_equal_and_ranges(study):
    project, ids, _, _ = study
    role = add_attribute(project, "Role", "choice", ["mentor", "mentee"])
    years = add_attribute(project, "Years", "number")
    joined = add_attribute(project, "Joined", "date")
    add_case(project, "P03", documents=[ids["d1"]], attrs={role: "mentee", years: "2", joined: "2021-09-01"})
    add_case(project, "M01", speakers=[(ids["d2"], "M01")], attrs={role: "Mentor", years: "12", joined: "2010-01-15"})
    mentors = retrieve(project, Query([ids["belonging"]], attributes=[AttributeCondition(role, value="mentor")]))
    assert texts(mentors) == ["I belong here"]
    senior = retrieve(project, Query([ids["belonging"]], attributes=[AttributeCondition(years, minimum=5)]))
    assert texts(senior) == ["I belong here"]
    recent = retrieve(project, Query([ids["belonging"]],
                                     attributes=[AttributeCondition(joined, minimum="2020-01-01", maximum="2022-12-31")]))
    assert texts(recent) == ["was assigned by the school", "I felt I belonged"]
    both = [AttributeCondition(role, value="mentee"), AttributeCondition(years, maximum=1)]
    assert retrieve(project, Query([ids["belonging"]], attributes=both)) == []


# ---------------------------------------------------------------- where, context, quotes
def test_where_and_context_of_a_segment(study):
    project, ids, _, (t1, _) = study
    result = retrieve(project, Query([ids["belonging"]]))[0]
    assert (result.speaker, result.paragraph, result.time_start) == ("P03", 2, 755.0)
    assert result.before + result.text + result.after == LINES_1[1]
    assert result.before == "P03: My mentor 😀 "
    windowed = retrieve(project, Query([ids["belonging"]], context_chars=5))[0]
    assert windowed.before == "…or 😀 " and windowed.after == ", whi…"
    # the text is sliced in code points: the emoji is one character
    assert t1[result.start:result.end] == result.text


def test_non_bmp_characters_inside_and_overlapping(study):
    project, ids, c, (_, t2) = study
    start, end = span(t2, "𝒳 three")
    project.codings.apply(ids["d2"], ids["worry"], start, end)
    results = retrieve(project, Query([ids["worry"]], documents=[ids["d2"]]))
    assert texts(results)[0] == "𝒳 three"
    overlap = retrieve(project, Query([ids["worry"], ids["mentoring"]], mode="and"))
    assert texts(overlap) == ["three", "I worry"]


def test_quotes_inline_and_block(study):
    project, ids, _, _ = study
    results = retrieve(project, Query([ids["belonging"]]))
    quotes = format_quotes(results[:1])
    assert quotes == "“was assigned by the school” (P03, Interview 3, ¶2, 00:12:35)"
    block = format_quotes(results[-1:], "block")
    assert block == "I belong here\n— M01, Interview 7, ¶4, 00:13:35"
    assert format_quotes(results).count("\n\n") == 2


def test_quotes_collapse_whitespace_and_nest_quotation_marks(study):
    project, ids, _, _ = study
    lines = ['P05: She said "you will be fine"\n   and left.']
    doc = project.documents.add("Notes", ParsedDocument(text=lines[0], source_format="txt", blocks=[], turns=[]))
    project.codings.apply(doc.id, ids["worry"], 5, len(lines[0]))
    result = retrieve(project, Query([ids["worry"]], documents=[doc.id]))[0]
    assert format_quotes([result]) == "“She said 'you will be fine' and left.” (Notes)"


# ---------------------------------------------------------------- intervals and scale
def test_interval_helpers_match_brute_force():
    rng = random.Random(4)
    for _ in range(200):
        items = [(s, s + rng.randint(1, 30), i) for i, s in enumerate(rng.sample(range(200), 25))]
        index = IntervalIndex(items)
        a, b = rng.randint(0, 220), rng.randint(0, 220)
        lo, hi = min(a, b), max(a, b) + 1
        expected = sorted((s, e, p) for s, e, p in items if s < hi and lo < e)
        assert sorted(index.overlapping(lo, hi)) == expected
        assert index.any_overlap(lo, hi) == bool(expected)
        cover = union((s, e) for s, e, _ in items)
        chars = {x for s, e, _ in items for x in range(s, e)}
        assert {x for s, e in cover for x in range(s, e)} == chars
        other = union([(lo, hi)])
        assert {x for s, e in intersect(cover, other) for x in range(s, e)} == chars & set(range(lo, hi))


def test_union_joins_touching_ranges_unless_asked_to_keep_them_apart():
    """Retrieval's union joins ranges that touch; search keeps two hits side by side as two (its
    own copy of the union did, before it used this one)."""
    ranges = [(5, 8), (0, 5), (2, 3), (10, 12), (11, 15)]
    assert union(ranges) == [(0, 8), (10, 15)]
    assert union(ranges, join_touching=False) == [(0, 5), (5, 8), (10, 15)]
    assert union([], join_touching=False) == []


def test_fifty_thousand_codings_are_combined_quickly(tmp_path):
    rng = random.Random(9)
    project = empty_project(tmp_path / "big.qcdesk")
    lines = [f"P{i % 7}: " + "words of a long answer " * 8 for i in range(400)]
    docs = [project.documents.add(f"Interview {n}", parsed(lines)).id for n in range(10)]
    codes = [project.codebook.add(f"Code {n}").value.id for n in range(10)]
    length = len("\n".join(lines))
    rows = []
    for i in range(50_000):
        start = rng.randrange(0, length - 200)
        rows.append({"document_id": docs[i % 10], "code_id": codes[rng.randrange(10)], "start": start,
                     "end": start + rng.randint(5, 200), "created": "2024-01-01"})
    with project.action():
        project.db["codings"].insert_all(rows, batch_size=5000)
    case = add_case(project, "P3s", speakers=[(d, "P3") for d in docs])
    # how long they take is a benchmark's business (a busy machine made a time limit here fail)
    both = retrieve(project, Query(codes[:2], mode="and"))
    without = retrieve(project, Query(codes[:3], mode="not", exclude_codes=codes[3:5], cases=[case]))
    either = retrieve(project, Query(codes, context_chars=50))
    assert both and without and len(either) > 45_000
    project.close()


def test_case_filter_agrees_with_the_cases_module(study):
    """Retrieval reads cases from the schema tables; the cases module must see the same codings."""
    project, ids, _, _ = study
    case = project.cases.add("M01").value
    project.cases.link_speaker(case.id, ids["d2"], "M01")
    whole = project.cases.add("P03").value
    project.cases.link_documents(whole.id, [ids["d1"]])
    everything = [ids["mentoring"], ids["belonging"], ids["worry"]]
    for case_id in (case.id, whole.id):
        found = {c for r in retrieve(project, Query(everything, cases=[case_id])) for c in r.coding_ids}
        assert found == set(project.cases.coding_ids(case_id))
