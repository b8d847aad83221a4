"""REFI-QDA document sets: written where the project schema puts them, valid, and read back."""

from __future__ import annotations

import zipfile

import pytest
from conftest import _parsed, make_qdpx
from lxml import etree

from qcdesk.core.interchange import export_file, import_file
from qcdesk.core.interchange.xml_names import PROJECT_NS, local

pytestmark = pytest.mark.core
NS = {"q": PROJECT_NS}


def _qde(path) -> etree._Element:
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read("project.qde"))


def sets_of(project) -> list[tuple]:
    names = {d.id: d.name for d in project.documents()}
    return [(s.set.name, s.set.description, s.set.guid, tuple(sorted(names[i] for i in s.document_ids)))
            for s in project.sets.with_documents()]


@pytest.fixture
def with_sets(rich_project):
    docs = {d.name: d.id for d in rich_project.documents()}
    rich_project.sets.create("Both waves", [docs["Resident 01"], docs["Residente 02"]])
    rich_project.sets.create("Spanish <es> & co", [docs["Residente 02"]], description="Interviews in Spanish")
    rich_project.sets.create("Empty")
    return rich_project


def test_sets_are_written_after_notes_and_before_project_notes(with_sets, tmp_path):
    out = tmp_path / "study.qdpx"
    report = export_file(with_sets, out)
    assert report.written["sets"] == 3
    root = _qde(out)
    order = [local(c.tag) for c in root]
    assert order.index("Sets") > order.index("Notes") and order.index("Sets") < order.index("NoteRef")
    sources = {s.get("name"): s.get("guid") for s in root.findall(".//q:TextSource", NS)}
    sets = {s.get("name"): s for s in root.findall("q:Sets/q:Set", NS)}
    assert [m.get("targetGUID") for m in sets["Both waves"].findall("q:MemberSource", NS)] == \
        [sources["Resident 01"], sources["Residente 02"]]
    assert sets["Spanish <es> & co"].findtext("q:Description", namespaces=NS) == "Interviews in Spanish"
    assert {s.get("guid") for s in sets.values()} == {s.guid for s in with_sets.sets.all()}


def test_project_with_sets_is_valid_against_the_schema(with_sets, tmp_path, project_schema):
    out = tmp_path / "study.qdpx"
    export_file(with_sets, out)
    root = _qde(out)
    assert root.find("q:Sets", NS) is not None
    assert project_schema.validate(root), project_schema.error_log


def test_round_trip_keeps_names_descriptions_guids_and_members(with_sets, new_project, tmp_path):
    out = tmp_path / "study.qdpx"
    export_file(with_sets, out)
    fresh = new_project("again.qcdesk")
    report = import_file(fresh, out)
    assert report.added["sets"] == 3 and report.warnings == []
    assert sets_of(fresh) == sets_of(with_sets)
    again = import_file(fresh, out)  # a second import matches every set by GUID
    assert again.matched["sets"] == 3 and "sets" not in again.added
    assert sets_of(fresh) == sets_of(with_sets)


def test_reimport_into_the_source_project_adds_nothing(with_sets, tmp_path):
    out = tmp_path / "study.qdpx"
    export_file(with_sets, out)
    before = sets_of(with_sets)
    report = import_file(with_sets, out)
    assert "sets" not in report.added and report.matched["sets"] == 3
    assert sets_of(with_sets) == before


def test_export_without_sets_has_no_sets_element(rich_project, tmp_path):
    export_file(rich_project, tmp_path / "s.qdpx")
    assert _qde(tmp_path / "s.qdpx").find("q:Sets", NS) is None


TEXT = "Q: What helped?\nA: My supervisor listened."


def _package(sets_xml: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Other" origin="MAXQDA 2022">
  <CodeBook><Codes><Code guid="c0de0000-0000-4000-8000-000000000001" name="Support" isCodable="true"/></Codes></CodeBook>
  <Sources>
    <TextSource guid="d0c00000-0000-4000-8000-000000000001" name="Interview 1" plainTextPath="internal://d1.txt"/>
    <TextSource guid="d0c00000-0000-4000-8000-000000000002" name="Interview 2" plainTextPath="internal://d2.txt"/>
  </Sources>
  {sets_xml}
</Project>"""


def test_code_sets_unknown_members_and_name_clashes_from_other_tools(new_project, tmp_path):
    sets_xml = """<Sets>
    <Set guid="5e700000-0000-4000-8000-000000000001" name="Key codes">
      <MemberCode targetGUID="c0de0000-0000-4000-8000-000000000001"/></Set>
    <Set guid="not-a-guid" name="  Mixed   set ">
      <MemberCode targetGUID="c0de0000-0000-4000-8000-000000000001"/>
      <MemberSource targetGUID="{D0C00000-0000-4000-8000-000000000002}"/>
      <MemberSource targetGUID="d0c00000-0000-4000-8000-0000000000ff"/></Set>
    <Set guid="5e700000-0000-4000-8000-000000000003" name="wave 1">
      <MemberSource targetGUID="d0c00000-0000-4000-8000-000000000001"/></Set>
  </Sets>"""
    pkg = make_qdpx(tmp_path / "other.qdpx", {"project.qde": _package(sets_xml),
                                              "sources/d1.txt": TEXT, "sources/d2.txt": TEXT + " More."})
    p = new_project()
    p.documents.add("Interview 0", _parsed("Something else entirely."))
    existing = p.sets.create("Wave 1", [p.documents()[0].id]).value
    report = import_file(p, pkg)
    joined = "\n".join(report.warnings)
    assert "1 set(s) were not imported: they hold codes or notes" in joined
    assert "“Mixed set” also holds codes or notes" in joined
    assert "names a document that was not imported" in joined
    assert report.added["sets"] == 1 and report.matched["sets"] == 1
    got = {s.set.name: s for s in p.sets.with_documents()}
    names = {d.id: d.name for d in p.documents()}
    assert sorted(got) == ["Mixed set", "Wave 1"]
    assert [names[i] for i in got["Mixed set"].document_ids] == ["Interview 2"]
    assert len(got["Mixed set"].set.guid) == 36 and got["Mixed set"].set.guid != "not-a-guid"
    # same name (case ignored): the documents join the existing set, which keeps its GUID
    assert got["Wave 1"].set.guid == existing.guid
    assert sorted(names[i] for i in got["Wave 1"].document_ids) == ["Interview 0", "Interview 1"]


def test_a_failed_import_adds_no_set(new_project, tmp_path):
    """The package is read whole before the action: a broken text leaves no set behind."""
    sets_xml = """<Sets><Set guid="5e700000-0000-4000-8000-000000000009" name="S">
      <MemberSource targetGUID="d0c00000-0000-4000-8000-000000000001"/></Set></Sets>"""
    pkg = make_qdpx(tmp_path / "bad.qdpx", {"project.qde": _package(sets_xml),
                                            "sources/d1.txt": b"\xff\xfe\xfa bad", "sources/d2.txt": TEXT})
    p = new_project()
    with pytest.raises(Exception):
        import_file(p, pkg)
    assert p.sets.all() == []
