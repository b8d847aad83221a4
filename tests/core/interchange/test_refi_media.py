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

TEXT = "Amira: I was welcomed.\nBen: Good to hear."
TURNS = [SpeakerTurn("Amira", 0, 22, 0.0, 1.2), SpeakerTurn("Ben", 23, len(TEXT), 1.25, 2.0)]


def _make(tmp_path: Path) -> tuple[Path, dict]:
    path = tmp_path / "study.qcdesk"
    wav = tone_wav(tmp_path / "interview.wav", 2.0)
    mp4 = converted(tmp_path, ".mp4", video=True, name="walk")
    diary = tone_wav(tmp_path / "diary.wav", 1.0, freq=330)
    with Project.create(path) as p:
        doc = p.add_document("Interview 1", ParsedDocument(TEXT, "vtt", turns=TURNS))
        code = p.codebook.add("welcome").value
        p.codings.apply(doc.id, code.id, 7, 21)
        p.media.attach(doc.id, wav)
        video_doc = p.add_document("Walk", ParsedDocument("Chris: Here we are.", "vtt",
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
    with Project.create(tmp_path / "back.qcdesk") as p:
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
    with Project.create(tmp_path / "p.qcdesk") as p:
        report = import_file(p, package)
        [doc] = p.documents()
        assert (doc.name, p.document_text(doc.id)) == ("Talk", "Dana: we talked about the garden.")
        info = p.media.for_document(doc.id)
        assert info.sha256 == hashlib.sha256(wav.read_bytes()).hexdigest()
        assert report.unmapped.get("time selections without codes") == 1


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
    with Project.create(tmp_path / "p.qcdesk") as p:
        report = import_file(p, package)
        assert [d.name for d in p.documents()] == ["Talk"] and p.media.all() == []
        assert any("zip bomb" in w for w in report.warnings)
    assert not list(Path(tempfile.gettempdir()).glob("qcdesk-qdpx-media-*"))
