"""REFI-QDA packages with recordings: ``<AudioSource>``/``<VideoSource>`` with the file in
``sources/``, the transcript as ``<Transcript>`` with ``<SyncPoint>``s; and back."""

from __future__ import annotations

import hashlib
import tempfile
import sys
import zipfile
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from media_files import converted, tone_wav  # noqa: E402

from qcdesk.core.importers.base import ParsedDocument  # noqa: E402
from qcdesk.core.interchange import export_file, import_file  # noqa: E402
from qcdesk.core.models import SpeakerTurn  # noqa: E402
from qcdesk.core.project import Project  # noqa: E402
from builders import empty_project

TEXT = "Amira: I was welcomed.\nBen: Good to hear."
TURNS = [SpeakerTurn("Amira", 0, 22, 0.0, 1.2), SpeakerTurn("Ben", 23, len(TEXT), 1.25, 2.0)]


def _make(tmp_path: Path) -> tuple[Path, dict]:
    path = tmp_path / "study.qcdesk"
    wav = tone_wav(tmp_path / "interview.wav", 2.0)
    mp4 = converted(tmp_path, ".mp4", video=True, name="walk")
    diary = tone_wav(tmp_path / "diary.wav", 1.0, freq=330)
    with empty_project(path) as p:
        doc = p.documents.add("Interview 1", ParsedDocument(TEXT, "vtt", turns=TURNS))
        code = p.codebook.add("welcome").value
        p.codings.apply(doc.id, code.id, 7, 21)
        p.media.attach(doc.id, wav)
        video_doc = p.documents.add("Walk", ParsedDocument("Chris: Here we are.", "vtt",
                                                           turns=[SpeakerTurn("Chris", 0, 19, 0.5, 1.5)]))
        p.media.attach(video_doc.id, mp4, embed=False)
        diary_id, _ = p.media.add_recording(diary, name="Diary 3")
        p.memos.create("", "Recorded on the bus.", document_id=diary_id)
    return path, {"Interview 1": wav, "Walk": mp4, "Diary 3": diary}


def test_export_writes_media_sources_transcripts_and_sync_points(tmp_path, project_schema):
    path, files = _make(tmp_path)
    out = tmp_path / "study.qdpx"
    with Project.open(path) as p:
        export_file(p, out)
    with zipfile.ZipFile(out) as zf:
        root = etree.fromstring(zf.read("project.qde"))
        project_schema.assertValid(root)
        ns = {"q": root.nsmap[None]}
        audio = root.findall(".//q:Sources/q:AudioSource", ns)
        video = root.findall(".//q:Sources/q:VideoSource", ns)
        assert sorted(a.get("name") for a in audio) == ["Diary 3", "Interview 1"]
        assert [v.get("name") for v in video] == ["Walk"]
        texts = {t.get("name"): t for t in root.findall(".//q:Sources/q:TextSource", ns)}
        assert sorted(texts) == ["Interview 1", "Walk"]  # the diary has no empty text source
        [interview] = [a for a in audio if a.get("name") == "Interview 1"]
        [transcript] = interview.findall("q:Transcript", ns)
        assert transcript.get("plainTextPath") == texts["Interview 1"].get("plainTextPath")
        assert [(s.get("timeStamp"), s.get("position")) for s in transcript.findall("q:SyncPoint", ns)] == [
            ("0", "0"), ("1250", "23")]
        for elem in [*audio, *video]:
            member = "sources/" + elem.get("path").removeprefix("internal://")
            info = zf.getinfo(member)
            assert info.compress_type == zipfile.ZIP_STORED
            assert hashlib.sha256(zf.read(member)).digest() == hashlib.sha256(
                files[elem.get("name")].read_bytes()).digest()


def test_a_package_with_recordings_comes_back_with_them(tmp_path):
    path, files = _make(tmp_path)
    out = tmp_path / "study.qdpx"
    with Project.open(path) as p:
        export_file(p, out)
    with empty_project(tmp_path / "back.qcdesk") as p:
        report = import_file(p, out)
        docs = {d.name: d for d in p.documents()}
        assert sorted(docs) == ["Diary 3", "Interview 1", "Walk"]
        for name, original in files.items():
            info = p.media.for_document(docs[name].id)
            assert info is not None and info.storage == "embedded"
            with p.media.open(info.id) as reader:
                assert reader.read() == original.read_bytes()
        assert p.media.for_document(docs["Walk"].id).kind == "video"
        assert docs["Diary 3"].char_count == 0
        assert [m.body for m in p.memos.on_target(document_id=docs["Diary 3"].id)] == ["Recorded on the bus."]
        assert len(p.codings_for_document(docs["Interview 1"].id)) == 1
        assert not any("were not imported" in w for w in report.warnings), report.warnings


def test_a_missing_linked_recording_is_left_out_with_a_warning(tmp_path, project_schema):
    path, files = _make(tmp_path)
    files["Walk"].unlink()
    out = tmp_path / "study.qdpx"
    with Project.open(path) as p:
        report = export_file(p, out)
    assert any("walk.mp4 is missing" in w for w in report.warnings)
    with zipfile.ZipFile(out) as zf:
        project_schema.assertValid(etree.fromstring(zf.read("project.qde")))


def test_importing_the_same_package_again_adds_no_recording_twice(tmp_path):
    path, _files = _make(tmp_path)
    out = tmp_path / "study.qdpx"
    with Project.open(path) as p:
        export_file(p, out)
        report = import_file(p, out)
        assert report.matched.get("recordings") == 3 and not report.added.get("recordings")
        assert len(p.media.all()) == 3 and len(p.documents()) == 3


def test_a_recording_from_another_program_with_its_transcript_inside(tmp_path, project_schema):
    """A media source whose <Transcript> holds its own text (no text source): one document with
    that text and the recording; its time selection, which carries no coding, is counted as not kept
    (coded time selections are imported: test_refi_time_codings.py)."""
    wav = tone_wav(tmp_path / "talk.wav", 1.0)
    xml = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="other" origin="another program">
  <Sources>
    <AudioSource guid="3f2504e0-4f89-11d3-9a0c-0305e82c3301" name="Talk" path="internal://talk.wav">
      <Transcript guid="3f2504e0-4f89-11d3-9a0c-0305e82c3302" name="Talk">
        <PlainTextContent>Dana: we talked about the garden.</PlainTextContent>
        <SyncPoint guid="3f2504e0-4f89-11d3-9a0c-0305e82c3303" timeStamp="0" position="0"/>
      </Transcript>
      <AudioSelection guid="3f2504e0-4f89-11d3-9a0c-0305e82c3304" begin="0" end="500"/>
    </AudioSource>
  </Sources>
</Project>"""
    project_schema.assertValid(etree.fromstring(xml.encode()))
    package = tmp_path / "other.qdpx"
    with zipfile.ZipFile(package, "w") as zf:
        zf.writestr("project.qde", xml)
        zf.write(wav, "sources/talk.wav")
    with empty_project(tmp_path / "p.qcdesk") as p:
        report = import_file(p, package)
        [doc] = p.documents()
        assert (doc.name, p.document_text(doc.id)) == ("Talk", "Dana: we talked about the garden.")
        info = p.media.for_document(doc.id)
        assert info.sha256 == hashlib.sha256(wav.read_bytes()).hexdigest()
        assert report.unmapped.get("time selections without codes") == 1
        from qcdesk.core import timing
        assert timing.time_points(p, doc.id) == [(0, 0.0)]  # its transcript's sync point


def test_a_recording_that_would_expand_like_a_zip_bomb_is_not_unpacked(tmp_path):
    xml = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="other" origin="another program">
  <Sources>
    <TextSource guid="3f2504e0-4f89-11d3-9a0c-0305e82c3311" name="Talk" plainTextPath="internal://talk.txt"/>
    <AudioSource guid="3f2504e0-4f89-11d3-9a0c-0305e82c3312" name="Talk" path="internal://talk.wav">
      <Transcript guid="3f2504e0-4f89-11d3-9a0c-0305e82c3313" plainTextPath="internal://talk.txt"/>
    </AudioSource>
  </Sources>
</Project>"""
    package = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(package, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", xml)
        zf.writestr("sources/talk.txt", "Dana: hello")
        zf.writestr("sources/talk.wav", b"RIFF" + bytes(30 << 20))  # 30 MB of zeros: ~1000:1
    with empty_project(tmp_path / "p.qcdesk") as p:
        report = import_file(p, package)
        assert [d.name for d in p.documents()] == ["Talk"] and p.media.all() == []
        assert any("zip bomb" in w for w in report.warnings)
    assert not list(Path(tempfile.gettempdir()).glob("qcdesk-qdpx-media-*"))


OTHER_TEXT = "Dana: we talked.\nEli: about the garden.\nDana: yes."


def _other_package(tmp_path: Path, sync_points: str) -> Path:
    """A package as another program writes it: a text source, and the recording with a
    <Transcript> naming that text file and timing it with <SyncPoint>s."""
    wav = tone_wav(tmp_path / "talk.wav", 1.0)
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="other" origin="another program">
  <Sources>
    <TextSource guid="3f2504e0-4f89-11d3-9a0c-0305e82c3321" name="Talk" plainTextPath="internal://talk.txt"/>
    <AudioSource guid="3f2504e0-4f89-11d3-9a0c-0305e82c3322" name="Talk" path="internal://talk.wav">
      <Transcript guid="3f2504e0-4f89-11d3-9a0c-0305e82c3323" plainTextPath="internal://talk.txt">
        {sync_points}
      </Transcript>
    </AudioSource>
  </Sources>
</Project>"""
    package = tmp_path / "other.qdpx"
    with zipfile.ZipFile(package, "w") as zf:
        zf.writestr("project.qde", xml)
        zf.writestr("sources/talk.txt", OTHER_TEXT)
        zf.write(wav, "sources/talk.wav")
    return package


def test_sync_points_of_another_programs_transcript_time_the_document(tmp_path, project_schema):
    from qcdesk.core import timing

    eli = OTHER_TEXT.index("Eli")
    garden = OTHER_TEXT.index("garden")
    points = "\n".join(
        f'<SyncPoint guid="3f2504e0-4f89-11d3-9a0c-0305e82c33{40 + i}" timeStamp="{ms}" position="{pos}"/>'
        for i, (ms, pos) in enumerate([(0, 0), (4500, eli), (6250, garden), (9000, 9999), (-5, 3)]))
    package = _other_package(tmp_path, points)
    with zipfile.ZipFile(package) as zf:
        project_schema.assertValid(etree.fromstring(zf.read("project.qde")))
    with empty_project(tmp_path / "p.qcdesk") as p:
        report = import_file(p, package)
        [doc] = p.documents()
        assert p.media.for_document(doc.id) is not None
        assert timing.time_points(p, doc.id) == [(0, 0.0), (eli, 4.5), (garden, 6.25)]
        assert timing.time_at(p, doc.id, garden + 2) == 6.25  # citations and the player use them
        assert report.added.get("sync points") == 3
        assert report.unmapped.get("sync points outside the text or without a time") == 2
        assert any("sync point" in w and "\n" not in w for w in report.warnings)
        again = import_file(p, package)  # the same package again adds none
        assert not again.added.get("sync points") and again.matched.get("sync points") == 3
        assert timing.time_points(p, doc.id) == [(0, 0.0), (eli, 4.5), (garden, 6.25)]


def test_sync_points_count_in_the_packages_position_scheme(tmp_path):
    """A package counting UTF-16 units over CRLF text (NVivo for Windows) places its sync points as
    it places its selections."""
    from qcdesk.core import timing

    crlf = OTHER_TEXT.replace("\n", "\r\n")
    eli_raw = crlf.index("Eli")  # two CRs before it in the raw text
    package = _other_package(tmp_path, f'<SyncPoint guid="3f2504e0-4f89-11d3-9a0c-0305e82c3350" '
                                       f'timeStamp="4500" position="{eli_raw}"/>')
    with zipfile.ZipFile(package) as zf:
        qde = zf.read("project.qde").decode().replace(
            'plainTextPath="internal://talk.txt"/>',
            f'plainTextPath="internal://talk.txt"><PlainTextSelection guid="3f2504e0-4f89-11d3-9a0c-0305e82c3351" '
            f'name="about the garden" startPosition="{crlf.index("about")}" endPosition="{crlf.index(".", crlf.index("about"))}">'
            '<Coding guid="3f2504e0-4f89-11d3-9a0c-0305e82c3352"><CodeRef targetGUID="3f2504e0-4f89-11d3-9a0c-0305e82c3353"/>'
            '</Coding></PlainTextSelection></TextSource>', 1).replace(
            "<Sources>", '<CodeBook><Codes><Code guid="3f2504e0-4f89-11d3-9a0c-0305e82c3353" name="place" '
            'isCodable="true"/></Codes></CodeBook><Sources>')
        wav = zf.read("sources/talk.wav")
    with zipfile.ZipFile(package, "w") as zf:
        zf.writestr("project.qde", qde)
        zf.writestr("sources/talk.txt", crlf.encode("utf-8"))
        zf.writestr("sources/talk.wav", wav)
    with empty_project(tmp_path / "p.qcdesk") as p:
        import_file(p, package)
        [doc] = p.documents()
        [coding] = p.codings_for_document(doc.id)
        assert p.document_text(doc.id)[coding.start:coding.end] == "about the garden"
        assert timing.time_points(p, doc.id) == [(OTHER_TEXT.index("Eli"), 4.5)]


def test_a_round_trip_keeps_every_sync_point(tmp_path):
    from qcdesk.core import timing

    path, _files = _make(tmp_path)
    with Project.open(path) as p:
        interview = next(d for d in p.documents() if d.name == "Interview 1")
        p.documents.add_sync_points(interview.id, [(30, 1.5), (TEXT.index("hear"), 1.75)])
    out = tmp_path / "study.qdpx"
    with Project.open(path) as p:
        expected = {d.name: timing.time_points(p, d.id) for d in p.documents()}
        export_file(p, out)
    assert expected["Interview 1"] == [(0, 0.0), (23, 1.25), (30, 1.5), (TEXT.index("hear"), 1.75)]
    with empty_project(tmp_path / "back.qcdesk") as p:
        import_file(p, out)
        assert {d.name: timing.time_points(p, d.id) for d in p.documents()} == expected
