"""The benchmark code keeps working: a tiny generated project, every step measured once.

No timing is asserted here (figures are for ``benchmarks/run.py``); only that the generator
makes what it is asked for and that each step yields a figure or says its feature is missing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

import generate  # noqa: E402
import run  # noqa: E402
import sqlite_baseline  # noqa: E402
import steps  # noqa: E402

from qcdesk.core.project import Project  # noqa: E402

pytestmark = pytest.mark.gui

TINY = generate.Scale(documents=3, words=1_200, long_words=3_000, codes=20, codings=100, memos=7, cases=2, seed=3)


def test_generator_makes_the_requested_counts(tmp_path: Path):
    out = tmp_path / "tiny.qcdesk"
    timings = generate.generate(out, TINY)
    assert set(timings) == {"write transcripts", "parse", "store documents", "codebook + codings", "memos + cases"}
    with Project.open(out, read_only=True) as project:
        stats = project.stats()
        assert (stats["documents"], stats["codes"], stats["codings"], stats["memos"], stats["cases"]) == (3, 20, 100, 7, 2)
        # three levels of codes, and transcripts imported with their speakers and times
        depths = {depth for _code, depth in project.codes_in_tree_order()}
        assert depths == {0, 1, 2}
        docs = project.documents()
        assert max(docs, key=lambda d: d.char_count).id == docs[1].id  # the long one sits in the middle
        for doc in docs:
            turns = project.speaker_turns(doc.id)
            speakers = {t.speaker for t in turns}
            assert "Interviewer" in speakers or "Facilitator" in speakers, doc.name
            assert all(t.time_start is not None for t in turns)
        n_attributes = project.db.execute("SELECT count(*) FROM case_attributes").fetchone()[0]
        assert n_attributes == 2 * len(generate.ATTRIBUTES)


def test_generation_is_deterministic(tmp_path: Path):
    a, b = tmp_path / "a.qcdesk", tmp_path / "b.qcdesk"
    generate.generate(a, TINY)
    generate.generate(b, TINY)
    with Project.open(a, read_only=True) as pa, Project.open(b, read_only=True) as pb:
        assert [pa.document_text(d.id) for d in pa.documents()] == [pb.document_text(d.id) for d in pb.documents()]
        key = lambda c: (c.document_id, c.code_id, c.start, c.end)  # noqa: E731
        assert sorted(map(key, pa.codings_for_codes([c.id for c in pa.codes()]))) == \
            sorted(map(key, pb.codings_for_codes([c.id for c in pb.codes()])))


def test_runner_measures_every_step_and_writes_figures(qapp, tmp_path: Path):
    result = run.run_benchmark(scale=TINY, out_dir=tmp_path, label="tiny", echo=lambda _m: None)

    assert result["stats"]["codings"] == 100 and result["stats"]["documents"] == 3
    names = [f["step"] for f in result["steps"]]
    assert names == [s.name for s in steps.Session(tmp_path / "x", tmp_path).steps()]
    for fig in result["generate"] + result["steps"]:
        if fig["skipped"]:
            # only a feature that is not there yet may be left out, and it says so
            assert fig["skipped"] == "not available (feature missing)", fig
            continue
        assert fig["seconds"] is not None and fig["seconds"] >= 0, fig
        assert fig["rss_mb"] > 0, fig
    for fig in result["steps"]:
        if not fig["skipped"]:
            assert fig["python_mb"] is not None, fig  # from the tracemalloc pass
    by_name = {f["step"]: f for f in result["steps"]}
    # the applied coding was shown, and undo took it away again
    shown_after_apply = int(by_name["apply one coding, shown"]["detail"].split()[0])
    shown_after_undo = int(by_name["undo that coding, shown"]["detail"].split()[0])
    assert shown_after_apply == shown_after_undo + 1
    assert by_name["Word report, all segments"]["status"] in ("PASS", "MISS")
    # the Search panel listed what the core search found
    found = by_name["full-text search (core, cold: every text read)"]["detail"].split(": ")[1].split()[0]
    assert by_name["full-text search (Search panel, after the text check primed it)"]["detail"].startswith(
        f"{found} hit"), by_name
    assert by_name["full-text search (core, warm: a second word)"]["detail"].startswith(f"“{steps.SEARCH_QUERY_WARM}”")
    assert (tmp_path / "report-all-segments.docx").stat().st_size > 0
    # the storage steps were compared with plain sqlite3
    assert set(result["baseline"]) == set(sqlite_baseline.STEPS)
    assert result["coding_side_by_side"]["ratio"] > 0
    assert all("ratio" in by_name[n]["extra"] for n in by_name if by_name[n]["extra"].get("baseline"))
    assert result["memory"]["peak_rss_mb"] > 0
    assert result["dialogs"] == []
    # what the command line prints and writes
    text = run.table(result)
    assert "open largest document, codings shown" in text and "peak memory" in text
    json.dumps(result)


def test_missing_feature_is_reported_not_faked(tmp_path: Path, monkeypatch):
    monkeypatch.setitem(sys.modules, "qcdesk.core.search", None)  # importing it now fails
    project = tmp_path / "tiny.qcdesk"
    generate.generate(project, TINY)
    session = steps.Session(project, tmp_path, gui=False)
    try:
        session.open_core()
        fig = run.measure("full-text search", session.search, target_s=steps.TARGET_SEARCH)
    finally:
        session.close()
    assert fig.skipped == "not available (feature missing)" and fig.seconds is None and fig.status == "—"


def test_baseline_runs_alone(tmp_path: Path, capsys):
    project = tmp_path / "tiny.qcdesk"
    generate.generate(project, TINY)
    assert sqlite_baseline.main([str(project)]) == 0
    printed = capsys.readouterr().out
    assert "retrieve code" in printed and "insert codes + codings" in printed
    assert "apply a coding" in printed and "×" in printed


def test_applying_a_coding_is_compared_with_a_plain_insert(tmp_path: Path):
    project = tmp_path / "tiny.qcdesk"
    generate.generate(project, TINY)
    before = project.read_bytes()
    side = sqlite_baseline.compare_coding(project, workdir=tmp_path, repeats=3)
    assert side["qcdesk_s"] > 0 and side["sqlite3_s"] > 0
    assert side["ratio"] == side["qcdesk_s"] / side["sqlite3_s"]
    assert project.read_bytes() == before  # both worked on copies


def test_scale_preset_codes_in_bulk_and_is_generated_once(tmp_path: Path):
    """The issue 19 scale (here tiny): codings written in bulk, the project kept in the cache
    and reused by the next run, the issue 19 targets applied."""
    from dataclasses import replace

    scale = replace(TINY, bulk_codings=True)
    kwargs = dict(scale=scale, out_dir=tmp_path / "out", gui=False, use_tracemalloc=False, baseline=False,
                  echo=lambda _m: None, targets=steps.TARGETS["issue 19"], cache_dir=tmp_path / "cache")
    first = run.run_benchmark(**kwargs)
    assert first["stats"]["codings"] == 100 and first["generate"]
    assert "one executemany" in first["generate"][3]["detail"]
    second = run.run_benchmark(**kwargs)
    assert second["generate"] == [] and second["project"] == first["project"]
    assert second["stats"] == first["stats"]
    kept = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert [n for n in kept if n.endswith(".qcdesk")] == [Path(first["project"]).name]
    assert not any("partial" in n for n in kept)
    by_name = {f["step"]: f for f in second["steps"]}
    assert by_name["full-text search (core, warm: a second word)"]["target_s"] == 0.2
    assert by_name["full-text search (core, cold: every text read)"]["target_s"] is None  # reported
    assert by_name["QDPX export"]["target_mb"] == by_name["Word report, all segments"]["target_mb"] == 600.0
    assert by_name["Word report, all segments"]["target_s"] == 120.0
    assert "Word report, matrices, every code level" not in by_name
    assert second["memory"]["target_mb"] == 600.0
    with Project.open(Path(first["project"]), read_only=True) as project:
        codings = project.codings_for_codes([c.id for c in project.codes()])
        texts = {d.id: project.document_text(d.id) for d in project.documents()}
        assert all(0 <= c.start < c.end <= len(texts[c.document_id]) for c in codings)
