"""Merging another coder's copy of a project: two real project files made with the API."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from qcdesk.core.errors import OperationError, ProjectError
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.merge import merge_project
from qcdesk.core.models import Block, SpeakerTurn
from qcdesk.core.project import Project
from builders import empty_project

pytestmark = pytest.mark.core

TEXT_1 = "Interviewer: How was the ward?\nP1: Busy, but the nurses taught me a lot."
TEXT_2 = "Interviewer: And your supervisor?\nP2: She was never there when I needed her."


def parsed(text: str) -> ParsedDocument:
    first = text.index("\n")
    return ParsedDocument(text=text, source_format="txt",
                          blocks=[Block("paragraph", 0, first), Block("paragraph", first + 1, len(text))],
                          turns=[SpeakerTurn("Interviewer", 0, first), SpeakerTurn("P", first + 1, len(text))])


def codes_by_path(project: Project) -> dict[str, int]:
    return {" / ".join(project.code_path(c.id)): c.id for c in project.codes()}


def coding_set(project: Project) -> set[tuple]:
    docs = {d.id: d.name for d in project.documents()}
    paths = {v: k for k, v in codes_by_path(project).items()}
    coders = {c.id: c.name for c in project.coders()}
    return {(docs[c.document_id], paths[c.code_id], c.start, c.end, coders.get(c.coder_id))
            for d in docs for c in project.codings_for_document(d)}


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """Ana's project and Ben's copy of it, coded differently after the copy was made."""
    ana_path, ben_path = tmp_path / "ana.qcdesk", tmp_path / "ben.qcdesk"
    with empty_project(ana_path) as p:
        p.set_coder("Ana")
        d1 = p.documents.add("Interview 1", parsed(TEXT_1))
        p.documents.add("Interview 2", parsed(TEXT_2))
        theme = p.codebook.add("Learning", color="#5dade2").value
        p.codebook.add("From nurses", parent_id=theme.id)
        p.codebook.add("Absent supervisor", color="#f1948a")
        p.codings.apply(d1.id, theme.id, 36, 72)
    shutil.copy(ana_path, ben_path)
    with Project.open(ben_path) as p:
        p.set_coder("Ben")
        ids = codes_by_path(p)
        d1, d2 = (d.id for d in p.documents())
        p.codings.apply(d1, ids["Learning"], 36, 60)
        p.codings.apply(d1, ids["Learning / From nurses"], 46, 72)
        new = p.codebook.add("Role models", parent_id=ids["Learning"]).value
        p.codings.apply(d2, new.id, 38, 74)
        p.codebook.set_color(ids["Absent supervisor"], "#000000")
        p.documents.add("Interview 3", parsed("Interviewer: Anything else?\nP3: No, thank you."))
        p.documents.add("Interview 2", parsed("Interviewer: Again?\nP2: A different text, same name."))
    with Project.open(ana_path) as p:
        p.set_coder("Ana")
        ids = codes_by_path(p)
        d2 = p.documents()[1].id
        p.codings.apply(d2, ids["Absent supervisor"], 38, 76)
    return ana_path, ben_path


def test_merge_adds_the_other_coders_work(pair):
    ana_path, ben_path = pair
    with Project.open(ana_path) as p:
        before = coding_set(p)
        merged = merge_project(p, ben_path)
        report = merged.value
        assert report.added == {"coders": 1, "documents": 2, "codes": 1, "codings": 3}
        assert report.matched["documents"] == 2 and report.matched["codes"] == 3
        assert report.matched["coders"] == 1  # Ana, whose first coding came with the copy
        assert report.skipped == {"codings": 1}
        after = coding_set(p)
        assert after - before == {
            ("Interview 1", "Learning", 36, 60, "Ben"),
            ("Interview 1", "Learning / From nurses", 46, 72, "Ben"),
            ("Interview 2", "Learning / Role models", 38, 74, "Ben"),
        }
        assert "Learning / Role models" in codes_by_path(p)
        assert sorted(c.name for c in p.coders()) == ["Ana", "Ben"]
        names = [d.name for d in p.documents()]
        assert names == ["Interview 1", "Interview 2", "Interview 3", "Interview 2"]
        added = p.documents()[2]
        assert [t.speaker for t in p.speaker_turns(added.id)] == ["Interviewer", "P"]
        assert len(p.blocks(added.id)) == 2
        # this project's colour is kept and the difference is reported
        assert p.code(codes_by_path(p)["Absent supervisor"]).color == "#f1948a"
        text = report.text()
        assert "Code “Absent supervisor”: the colour differs (#f1948a here, #000000 in ben.qcdesk)" in text
        assert "Document “Interview 2” has different text in ben.qcdesk" in text


def test_merging_twice_adds_nothing_more(pair):
    ana_path, ben_path = pair
    with Project.open(ana_path) as p:
        merge_project(p, ben_path)
        once = coding_set(p)
        again = merge_project(p, ben_path).value
        assert coding_set(p) == once
        assert again.added.get("codings", 0) == 0 and again.skipped["codings"] == 4
        assert again.added.get("documents", 0) == 0


def test_independent_projects_match_by_text_and_name_path(tmp_path: Path):
    a, b = tmp_path / "a.qcdesk", tmp_path / "b.qcdesk"
    with empty_project(b) as p:
        p.set_coder("Ben")
        p.codebook.add("Filler")  # shifts the ids, so only names can match
        parent = p.codebook.add("Learning").value
        child = p.codebook.add("From nurses", parent_id=parent.id).value
        doc = p.documents.add("Renamed interview", parsed(TEXT_1))
        p.codings.apply(doc.id, child.id, 46, 72)
    with empty_project(a) as p:
        doc = p.documents.add("Interview 1", parsed(TEXT_1))
        parent = p.codebook.add("Learning").value
        child = p.codebook.add("From nurses", parent_id=parent.id).value
        merged = merge_project(p, b)
        report = merged.value
        assert report.matched == {"documents": 1, "codes": 2}
        assert report.added == {"coders": 1, "codes": 1, "codings": 1}
        [coding] = p.codings_for_document(doc.id)
        assert (coding.code_id, coding.start, coding.end) == (child.id, 46, 72)
        assert p.coders()[0].name == "Ben" and coding.coder_id == p.coders()[0].id


def test_code_renamed_in_the_copy_matches_by_guid(tmp_path: Path):
    a, b = tmp_path / "a.qcdesk", tmp_path / "b.qcdesk"
    with empty_project(a) as p:
        code = p.codebook.add("Stress").value
        p.documents.add("Interview 1", parsed(TEXT_1))
        p.db.execute("INSERT INTO external_ids VALUES ('code', ?, 'ABC-1')", [code.id])
        p.db.conn.commit()
    shutil.copy(a, b)
    with Project.open(b) as p:
        p.set_coder("Ben")
        p.codebook.rename(p.codes()[0].id, "Strain")
        p.codings.apply(p.documents()[0].id, p.codes()[0].id, 0, 11)
    with Project.open(a) as p:
        merged = merge_project(p, b)
        report = merged.value
        assert report.matched["codes"] == 1 and "codes" not in report.added
        assert [c.name for c in p.codes()] == ["Stress"]
        assert len(p.codings_for_codes([code.id])) == 1


def test_unmerge_removes_exactly_what_was_added_and_remerge_puts_it_back(pair):
    ana_path, ben_path = pair
    with Project.open(ana_path) as p:
        stats_before, codings_before = p.stats(), coding_set(p)
        coders_before = p.coders()
        merged = merge_project(p, ben_path)
        stats_after, codings_after = p.stats(), coding_set(p)
        seen = []
        p.subscribe(seen.append)
        rows = merged.undo.run()
        assert p.stats() == stats_before and coding_set(p) == codings_before
        assert p.coders() == coders_before
        assert len(seen) == 1 and seen[0].document_list
        rows.run()
        assert p.stats() == stats_after and coding_set(p) == codings_after
        assert p.integrity_ok()


def _unchanged(path: Path):
    with Project.open(path) as p:
        return p.stats()


def test_refuses_itself(pair):
    ana_path, _ = pair
    with Project.open(ana_path) as p:
        before = p.stats()
        with pytest.raises(OperationError, match="this project itself"):
            merge_project(p, ana_path)
        assert p.stats() == before


def test_refuses_a_corrupt_file(pair, tmp_path: Path):
    ana_path, _ = pair
    junk = tmp_path / "junk.qcdesk"
    junk.write_bytes(b"this is not a database" * 100)
    with Project.open(ana_path) as p:
        before = p.stats()
        with pytest.raises(ProjectError, match="Cannot merge junk.qcdesk: .*not a qcdesk project"):
            merge_project(p, junk)
        assert p.stats() == before


def test_refuses_a_newer_format(pair, tmp_path: Path):
    ana_path, ben_path = pair
    con = sqlite3.connect(ben_path)
    con.execute("PRAGMA user_version = 999")
    con.commit()
    con.close()
    with Project.open(ana_path) as p:
        before = p.stats()
        with pytest.raises(ProjectError, match="newer version of qcdesk"):
            merge_project(p, ben_path)
        assert p.stats() == before


def test_missing_file_is_refused(pair, tmp_path: Path):
    ana_path, _ = pair
    with Project.open(ana_path) as p:
        with pytest.raises(ProjectError, match="does not exist"):
            merge_project(p, tmp_path / "nowhere.qcdesk")


def test_cases_attributes_and_memos_merge_by_name(tmp_path: Path):
    a, b = tmp_path / "a.qcdesk", tmp_path / "b.qcdesk"
    with empty_project(a) as p:
        p.documents.add("Interview 1", parsed(TEXT_1))
        with p.action():
            p.db.execute("INSERT INTO cases (name, description) VALUES ('P1', '')")
            p.db.execute("INSERT INTO attributes (name, value_type) VALUES ('Year', 'number')")
            p.db.execute("INSERT INTO case_attributes VALUES (1, 1, '3')")
            p.db.execute("INSERT INTO memos (title, body, created, modified) VALUES ('Plan', 'A', 'x', 'x')")
    shutil.copy(a, b)
    with Project.open(b) as p:
        with p.action():
            p.db.execute("UPDATE case_attributes SET value = '4'")
            p.db.execute("INSERT INTO cases (name, description) VALUES ('P2', 'second')")
            p.db.execute("INSERT INTO case_documents VALUES (2, 1)")
            p.db.execute("INSERT INTO case_attributes VALUES (2, 1, '5')")
            p.db.execute("UPDATE memos SET body = 'B'")
    with Project.open(a) as p:
        merged = merge_project(p, b)
        report = merged.value
        assert report.added == {"cases": 1, "memos": 1}
        assert report.matched["cases"] == 1 and report.matched["attributes"] == 1
        assert "Case “P1”, Year: “3” here, “4” in b.qcdesk." in report.conflicts
        assert any("Memo “Plan” differs" in c for c in report.conflicts)
        assert p.db.execute("SELECT value FROM case_attributes WHERE case_id = 1").fetchone()[0] == "3"
        assert p.db.execute("SELECT count(*) FROM case_documents").fetchone()[0] == 1
        rows = merged.undo.run()
        assert p.db.execute("SELECT count(*) FROM cases").fetchone()[0] == 1
        assert p.db.execute("SELECT count(*) FROM case_attributes").fetchone()[0] == 1
        rows.run()
        assert p.db.execute("SELECT value FROM case_attributes WHERE case_id = 2").fetchone()[0] == "5"


def test_a_merged_document_keeps_its_sync_points_through_unmerge_and_remerge(tmp_path: Path):
    from qcdesk.core import timing

    ana_path, ben_path = tmp_path / "ana.qcdesk", tmp_path / "ben.qcdesk"
    with empty_project(ana_path):
        pass
    shutil.copy(ana_path, ben_path)
    with Project.open(ben_path) as p:
        doc = parsed(TEXT_1)
        doc.turns[0] = SpeakerTurn("Interviewer", 0, TEXT_1.index("\n"), 3.0, None)
        doc.sync_points = [(TEXT_1.index("Busy"), 7.5), (TEXT_1.index("but"), 9.0)]
        p.documents.add("Interview 1", doc)
    with Project.open(ana_path) as p:
        done = merge_project(p, ben_path)
        (merged,) = p.documents()
        points = timing.time_points(p, merged.id)
        assert points == [(0, 3.0), (TEXT_1.index("Busy"), 7.5), (TEXT_1.index("but"), 9.0)]
        rows = done.undo.run()
        assert p.db.execute("SELECT count(*) FROM sync_points").fetchone()[0] == 0
        rows.run()
        assert timing.time_points(p, p.documents()[0].id) == points
