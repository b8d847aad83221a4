"""Importing REFI-QDA packages written by other tools, their deviations, and broken or hostile files."""

from __future__ import annotations

import zipfile

import pytest
from conftest import make_qdpx, snapshot

from qcdesk.core.errors import DiskFullError, ImportFailed
from qcdesk.core.interchange import import_file
from qcdesk.core.storage import codings as coding_sql

pytestmark = pytest.mark.core

TEXT = "Q: What helped?\nA: My supervisor listened. Then the rota changed.\nQ: Anything else?\nA: No."


def _atlas_like(text: str = TEXT, *, path_attr: str = 'plainTextPath="doc-1.txt"') -> str:
    """An ATLAS.ti-style project: ids that are not GUIDs, no colours, bare plainTextPath."""
    s1 = text.index("My supervisor listened.")
    s2 = text.index("the rota changed")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Trial" origin="ATLAS.ti 9" basePath="C:\\Users\\someone\\Documents">
  <Users><User guid="u-1" name="Rita"/></Users>
  <CodeBook><Codes>
    <Code guid="code-1" name="Support" isCodable="true">
      <Description>Being helped</Description>
      <Code guid="code-2" name="Listening" isCodable="true"/>
    </Code>
    <Code guid="code-3" name="Workload" isCodable="true"><NoteRef targetGUID="note-1"/></Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="doc-1" name="Interview 3" {path_attr}>
      <PlainTextSelection guid="sel-1" name="My supervisor listened." startPosition="{s1}" endPosition="{s1 + 23}" creatingUser="u-1">
        <Coding guid="cod-1" creatingUser="u-1"><CodeRef targetGUID="code-2"/></Coding>
        <Coding guid="cod-2" creatingUser="u-1"><CodeRef targetGUID="code-1"/></Coding>
        <NoteRef targetGUID="note-2"/>
      </PlainTextSelection>
      <PlainTextSelection guid="sel-2" startPosition="{s2}" endPosition="{s2 + 16}">
        <Coding guid="cod-3"><CodeRef targetGUID="code-3"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="sel-3" startPosition="5" endPosition="9999">
        <Coding guid="cod-4"><CodeRef targetGUID="code-3"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="sel-4" startPosition="0" endPosition="2">
        <Coding guid="cod-5"><CodeRef targetGUID="no-such-code"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <PictureSource guid="pic-1" name="Ward photo" path="internal://pic-1.jpg"/>
  </Sources>
  <Notes>
    <Note guid="note-1" name="Workload memo"><PlainTextContent>Rota changes come up a lot.</PlainTextContent></Note>
    <Note guid="note-2" name="On listening"><PlainTextContent>Key quote.</PlainTextContent></Note>
  </Notes>
  <Sets><Set guid="set-1" name="Core"><MemberCode targetGUID="code-1"/></Set></Sets>
</Project>"""


def test_atlas_style_package(tmp_path, new_project):
    pkg = make_qdpx(tmp_path / "trial.qdpx", {"Trial.qde": _atlas_like(),
                                                "Sources/doc-1.txt": TEXT, "Sources/pic-1.jpg": b"\xff\xd8"})
    p = new_project()
    report = import_file(p, pkg)
    assert report.added == {"codes": 3, "documents": 1, "coders": 1, "codings": 3, "memos": 2}
    joined = "\n".join(report.warnings)
    assert "lies outside its text" in joined
    assert "code that is not in the codebook (no-such-code)" in joined
    assert "1 picture source(s) were not imported" in joined
    assert "1 set(s) were not imported" in joined
    snap = snapshot(p)
    doc = snap["documents"]["Interview 3"]
    assert doc["text"] == TEXT
    assert doc["codings"] == [
        ("Support", TEXT.index("My"), TEXT.index("My") + 23, "Rita", "My supervisor listened."),
        ("Support / Listening", TEXT.index("My"), TEXT.index("My") + 23, "Rita", "My supervisor listened."),
        ("Workload", TEXT.index("the rota"), TEXT.index("the rota") + 16, None, "the rota changed"),
    ]
    assert [c[0] for c in snap["codes"]] == ["Support", "Support / Listening", "Workload"]
    assert all(c[2].startswith("#") for c in snap["codes"])  # colours chosen for codes without one
    assert ("Workload memo", "Rota changes come up a lot.", "Workload", None, None) in snap["memos"]
    # the selection's note is one memo, on its first coded segment (not a copy per coding)
    assert [m[4] for m in snap["memos"] if m[1] == "Key quote."] == [TEXT.index("My")]
    # the non-GUID ids are remembered: a second import matches by id even after a rename
    p.codebook.rename(next(c.id for c in p.codes() if c.name == "Workload"), "Workload and rota")
    again = import_file(p, pkg)
    assert again.added == {} and again.matched["codes"] == 3


def test_lowercase_sources_and_internal_prefix_and_inline_text(tmp_path, new_project):
    inline = _atlas_like(path_attr="").replace(
        '<PlainTextSelection guid="sel-1"', f"<PlainTextContent>{TEXT}</PlainTextContent>\n"
        '      <PlainTextSelection guid="sel-1"')
    for name, members in {
        "internal.qdpx": {"project.qde": _atlas_like(path_attr='plainTextPath="internal://doc-1.txt"'),
                          "sources/doc-1.txt": TEXT},
        "inline.qdpx": {"project.qde": inline},
        "bom.qdpx": {"project.qde": _atlas_like(), "sources/doc-1.txt": "\ufeff" + TEXT},
    }.items():
        p = new_project(name + ".qcdesk")
        report = import_file(p, make_qdpx(tmp_path / name, members))
        assert report.added["codings"] == 3, name
        assert p.document_text(p.documents()[0].id) == TEXT


def test_missing_source_text_is_reported_not_fatal(tmp_path, new_project):
    p = new_project()
    report = import_file(p, make_qdpx(tmp_path / "x.qdpx", {"project.qde": _atlas_like()}))
    assert report.added == {"codes": 3, "memos": 2}
    assert any("“Interview 3” has no plain text in the package" in w for w in report.warnings)
    assert any("“On listening” belongs to something that was not imported; it was kept as a project memo"
               in w for w in report.warnings)


@pytest.mark.parametrize("members, reason", [
    ({"project.qde": "<Project xmlns='urn:QDA-XML:project:1.0' name='x'><Sources>"}, "not well-formed XML"),
    ({"project.qde": "<?xml version='1.0'?><!DOCTYPE p [<!ENTITY a 'aaaa'>]><Project name='x'/>"},
     "entity declarations"),
    ({"notes.txt": "hello"}, "no project file"),
    ({"project.qde": "<CodeBook xmlns='urn:QDA-XML:codebook:1.0'/>"}, "not a REFI-QDA project"),
    ({"project.qde": _atlas_like(), "../evil.txt": "x"}, "points outside the package"),
    ({"project.qde": _atlas_like(), "/etc/passwd": "x"}, "points outside the package"),
    ({"project.qde": _atlas_like(), "sources/doc-1.txt": TEXT.replace("supervisor", "supervisór").encode("latin-1")},
     "not in a known encoding"),
    ({"project.qde": _atlas_like(), "sources/doc-1.txt": b"\0" * (8 * 1024 * 1024)}, "zip bomb"),
])
def test_bad_packages_fail_cleanly_and_change_nothing(tmp_path, rich_project, members, reason):
    before = snapshot(rich_project)
    with pytest.raises(ImportFailed, match=reason):
        import_file(rich_project, make_qdpx(tmp_path / "bad.qdpx", members))
    assert snapshot(rich_project) == before


@pytest.mark.parametrize("content, reason", [
    (b"this is not a zip at all", "not a zip archive"),
    (b"PK\x03\x04" + b"\x00" * 40, "damaged"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old-style Office file"),
])
def test_non_packages_fail_cleanly(tmp_path, new_project, content, reason):
    path = tmp_path / "x.qdpx"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=reason):
        import_file(new_project(), path)


def test_truncated_package_fails_cleanly(tmp_path, new_project):
    pkg = make_qdpx(tmp_path / "ok.qdpx", {"project.qde": _atlas_like(), "sources/doc-1.txt": TEXT})
    data = pkg.read_bytes()
    pkg.write_bytes(data[: len(data) // 2])
    with pytest.raises(ImportFailed):
        import_file(new_project(), pkg)


def test_failure_midway_rolls_back_the_whole_import(tmp_path, rich_project, monkeypatch):
    pkg = make_qdpx(tmp_path / "t.qdpx", {"project.qde": _atlas_like(), "sources/doc-1.txt": TEXT})
    before = snapshot(rich_project)
    calls = []
    real = coding_sql.insert

    def flaky(db, row, *rest):
        calls.append(row)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(db, row, *rest)

    monkeypatch.setattr(coding_sql, "insert", flaky)
    notified = []
    rich_project.subscribe(notified.append)
    # a full disk is reported in one sentence (DiskFullError), and nothing is kept
    with pytest.raises(DiskFullError, match="is full"):
        import_file(rich_project, pkg)
    assert len(calls) == 2 and notified == []
    assert snapshot(rich_project) == before
    assert rich_project.stats()["documents"] == 2


def test_one_change_notification_for_the_whole_import(tmp_path, new_project):
    pkg = make_qdpx(tmp_path / "t.qdpx", {"project.qde": _atlas_like(), "sources/doc-1.txt": TEXT})
    p = new_project()
    seen = []
    p.subscribe(seen.append)
    import_file(p, pkg)
    assert len(seen) == 1
    changes = seen[0]
    assert changes.codebook and changes.document_list and changes.memos
    assert len(changes.codings) == 3 and changes.coded_documents == {p.documents()[0].id}


def test_imported_text_keeps_paragraph_numbers(tmp_path, new_project):
    pkg = make_qdpx(tmp_path / "t.qdpx", {"project.qde": _atlas_like(), "sources/doc-1.txt": TEXT})
    p = new_project()
    import_file(p, pkg)
    seg = [s for s in p.segments([c.id for c in p.codes()]) if s.text == "the rota changed"][0]
    assert seg.paragraph == 2


def test_zip_member_names_are_never_extracted(tmp_path, new_project):
    """Even a member called like a home folder path only ever is looked up, never written."""
    pkg = make_qdpx(tmp_path / "t.qdpx", {"project.qde": _atlas_like(path_attr='plainTextPath="../../doc-1.txt"'),
                                           "sources/doc-1.txt": TEXT})
    report = import_file(new_project(), pkg)
    assert "documents" not in report.added
    assert any("has no plain text" in w for w in report.warnings)
    with zipfile.ZipFile(pkg) as zf:
        assert sorted(zf.namelist()) == ["project.qde", "sources/doc-1.txt"]
