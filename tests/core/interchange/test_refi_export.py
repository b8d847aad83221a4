"""REFI-QDA export: valid against the 1.0 schemas, leaks no paths, and round-trips a project."""

from __future__ import annotations

import re
import zipfile

import pytest
from conftest import INTERVIEW_1, snapshot
from lxml import etree

from qcdesk.core.errors import ExportFailed
from qcdesk.core.interchange import export_file, import_file
from qcdesk.core.interchange.xml_names import CODEBOOK_NS, PROJECT_NS

pytestmark = pytest.mark.core
NS = {"q": PROJECT_NS, "c": CODEBOOK_NS}


def _qde(path) -> etree._Element:
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read("project.qde"))


def test_project_package_is_valid_and_holds_every_text(rich_project, tmp_path, project_schema):
    out = tmp_path / "study.qdpx"
    report = export_file(rich_project, out)
    assert report.written == {"coders": 2, "codes": 5, "attributes": 3, "cases": 2, "documents": 2,
                              "codings": 5, "memos": 4}
    root = _qde(out)
    assert project_schema.validate(root), project_schema.error_log
    with zipfile.ZipFile(out) as zf:
        names = sorted(zf.namelist())
        assert names[0] == "project.qde" and all(n.startswith("sources/") for n in names[1:])
        sources = root.findall(".//q:TextSource", NS)
        assert [s.get("name") for s in sources] == ["Resident 01", "Residente 02"]
        first = sources[0]
        assert first.get("plainTextPath") == f"internal://{first.get('guid')}.txt"
        assert zf.read(f"sources/{first.get('guid')}.txt").decode("utf-8") == INTERVIEW_1
    # the two codes on the registrar's sentence share one selection, in code points
    sel = [s for s in first.findall("q:PlainTextSelection", NS) if len(s.findall("q:Coding", NS)) == 2][0]
    start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
    assert INTERVIEW_1[start:end] == "The registrar was kind — she walked me through every patient."
    emoji = [s for s in first.findall("q:PlainTextSelection", NS) if s.get("name", "").startswith("Honestly")][0]
    assert INTERVIEW_1[int(emoji.get("startPosition")):int(emoji.get("endPosition"))] == "Honestly 😅 terrible"
    top = root.find("q:CodeBook/q:Codes/q:Code", NS)
    assert (top.get("name"), top.get("color"), top.findtext("q:Description", namespaces=NS)) == \
        ("Support", "#58d68d", "Help from others at work.")
    assert [c.get("name") for c in top.findall("q:Code", NS)] == ["Peers", "Seniors"]


def test_export_names_no_machine_paths(rich_project, tmp_path):
    out = tmp_path / "study.qdpx"
    export_file(rich_project, out)
    xml = zipfile.ZipFile(out).read("project.qde").decode("utf-8")
    assert "basePath" not in xml
    assert str(tmp_path) not in xml and "/home/" not in xml and "/tmp/" not in xml
    assert "resident01.docx" not in xml  # where the transcript came from stays private
    paths = re.findall(r'(?:plainTextPath|richTextPath|path)="([^"]*)"', xml)
    assert paths and all(re.fullmatch(r"internal://[0-9a-f-]{36}\.txt", p) for p in paths)


def test_codebook_is_valid_and_carries_tree_colours_descriptions(rich_project, tmp_path, codebook_schema):
    out = tmp_path / "codes.qdc"
    report = export_file(rich_project, out)
    assert report.written == {"codes": 5}
    root = etree.parse(str(out)).getroot()
    assert codebook_schema.validate(root), codebook_schema.error_log
    seniors = root.find("c:Codes/c:Code/c:Code[@name='Seniors']", NS)
    assert seniors.get("color") == "#bb8fce"
    assert [c.get("name") for c in seniors.findall("c:Code", NS)] == ["Kind seniors"]
    peers = root.find(".//c:Code[@name='Peers']", NS)
    assert peers.findtext("c:Description", namespaces=NS) == "Fellow residents & nurses <in the unit>."


def test_round_trip_gives_the_same_project(rich_project, new_project, tmp_path):
    out = tmp_path / "study.qdpx"
    export_file(rich_project, out)
    fresh = new_project("again.qcdesk")
    report = import_file(fresh, out)
    assert report.added == {"codes": 5, "documents": 2, "coders": 2, "codings": 5, "memos": 4,
                            "attributes": 3, "cases": 2}
    assert report.warnings == []
    assert snapshot(fresh) == snapshot(rich_project)


def test_codebook_round_trip(rich_project, new_project, tmp_path):
    out = tmp_path / "codes.qdc"
    export_file(rich_project, out)
    fresh = new_project("codes-only.qcdesk")
    report = import_file(fresh, out)
    assert report.added == {"codes": 5} and not report.warnings
    assert snapshot(fresh)["codes"] == snapshot(rich_project)["codes"]


def test_reimport_into_the_same_project_adds_nothing(rich_project, tmp_path):
    out = tmp_path / "study.qdpx"
    export_file(rich_project, out)
    before = snapshot(rich_project)
    report = import_file(rich_project, out)
    assert report.added == {}
    assert report.matched == {"codes": 5, "documents": 2, "codings": 5, "memos": 4, "cases": 2,
                              "attributes": 3}
    assert snapshot(rich_project) == before


def test_guids_are_stable_between_exports(rich_project, tmp_path):
    export_file(rich_project, tmp_path / "a.qdpx")
    export_file(rich_project, tmp_path / "b.qdpx")
    assert zipfile.ZipFile(tmp_path / "a.qdpx").read("project.qde") == \
        zipfile.ZipFile(tmp_path / "b.qdpx").read("project.qde")


def test_empty_project_exports_a_valid_package(new_project, tmp_path, project_schema):
    out = tmp_path / "empty.qdpx"
    export_file(new_project(), out)
    assert project_schema.validate(_qde(out)), project_schema.error_log


def test_empty_codebook_is_refused_and_nothing_written(new_project, tmp_path):
    with pytest.raises(ExportFailed, match="no codes"):
        export_file(new_project(), tmp_path / "codes.qdc")
    assert list(tmp_path.glob("*.qdc")) == []


def test_failed_export_leaves_no_partial_file(rich_project, tmp_path):
    with pytest.raises(ExportFailed, match="does not exist"):
        export_file(rich_project, tmp_path / "missing" / "x.qdpx")
    target = tmp_path / "out.qdpx"
    target.write_bytes(b"previous export")
    import qcdesk.core.interchange.refi_export as mod

    def broken(*a, **k):
        raise OSError(28, "No space left on device")

    orig = mod.zipfile.ZipFile.writestr
    mod.zipfile.ZipFile.writestr = broken
    try:
        with pytest.raises(ExportFailed, match="No space left"):
            export_file(rich_project, target)
    finally:
        mod.zipfile.ZipFile.writestr = orig
    assert target.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".qcdesk-export")] == []


def test_unknown_export_suffix_is_refused(rich_project, tmp_path):
    with pytest.raises(ExportFailed, match=r"\.qdpx"):
        export_file(rich_project, tmp_path / "study.zip")
