"""Time codings of recordings in REFI-QDA packages: ``<AudioSelection>``/``<VideoSelection>`` with
their ``<Coding>``s, written valid against the schema and read back (issue 18)."""

from __future__ import annotations

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


def _time_codings(p: Project) -> set:
    docs = {d.id: d.name for d in p.documents()}
    codes = {c.id: c.name for c in p.codes()}
    coders = {c.id: c.name for c in p.coders()}
    return {(docs[t.document_id], codes[t.code_id], t.start_ms, t.end_ms, coders.get(t.coder_id), t.memo)
            for t in p.time_codings.all()}


def _make(tmp_path: Path) -> Path:
    path = tmp_path / "study.qcdesk"
    with empty_project(path) as p:
        doc = p.documents.add("Interview 1", ParsedDocument(TEXT, "vtt", turns=TURNS))
        p.media.attach(doc.id, tone_wav(tmp_path / "interview.wav", 2.0))
        diary, _ = p.media.add_recording(tone_wav(tmp_path / "diary.wav", 3.0, freq=330), name="Diary 3")
        walk, _ = p.media.add_recording(converted(tmp_path, ".mp4", video=True, name="walk"), name="Walk")
        welcome, coping = p.codebook.add("welcome").value, p.codebook.add("coping").value
        p.codings.apply(doc.id, welcome.id, 7, 21)
        p.set_coder("AB")
        p.time_codings.add(doc.id, welcome.id, 0, 1200)
        p.time_codings.add(diary, coping.id, 250, 2750, memo="long sigh <and> laugh")
        p.time_codings.add(diary, welcome.id, 250, 2750)
        p.time_codings.add(walk, coping.id, 100, 900)
        p.set_coder("CD")
        p.time_codings.add(diary, coping.id, 250, 2750)  # a second coder's judgement
    return path


def test_time_codings_are_written_as_audio_and_video_selections(tmp_path, project_schema):
    path = _make(tmp_path)
    out = tmp_path / "study.qdpx"
    with Project.open(path) as p:
        report = export_file(p, out)
    assert report.written.get("time codings") == 5
    with zipfile.ZipFile(out) as zf:
        root = etree.fromstring(zf.read("project.qde"))
    project_schema.assertValid(root)
    ns = {"q": root.nsmap[None]}
    [diary] = root.xpath(".//q:AudioSource[@name='Diary 3']", namespaces=ns)
    [sel] = diary.findall("q:AudioSelection", ns)
    assert (sel.get("begin"), sel.get("end"), sel.get("name")) == ("250", "2750", "00:00.250–00:02.750")
    assert sel.find("q:Description", ns).text == "long sigh <and> laugh"
    assert len(sel.findall("q:Coding", ns)) == 3
    [walk] = root.xpath(".//q:VideoSource[@name='Walk']", namespaces=ns)
    assert [(s.get("begin"), s.get("end")) for s in walk.findall("q:VideoSelection", ns)] == [("100", "900")]
    [interview] = root.xpath(".//q:AudioSource[@name='Interview 1']", namespaces=ns)
    assert len(interview.findall("q:AudioSelection/q:Coding", ns)) == 1


def test_time_codings_round_trip_and_a_second_import_adds_none(tmp_path):
    path = _make(tmp_path)
    out = tmp_path / "study.qdpx"
    with Project.open(path) as p:
        export_file(p, out)
        expected = _time_codings(p)
    with empty_project(tmp_path / "copy.qcdesk") as q:
        report = import_file(q, out)
        assert report.added.get("time codings") == 5
        assert not [w for w in report.warnings if "time" in w.lower()]
        assert _time_codings(q) == expected
        again = import_file(q, out)
        assert again.added.get("time codings") is None and again.matched.get("time codings") == 5
        assert _time_codings(q) == expected


def test_a_selection_past_the_recordings_end_is_left_out_with_a_line(tmp_path):
    path = _make(tmp_path)
    out = tmp_path / "study.qdpx"
    with Project.open(path) as p:
        export_file(p, out)
    bad = tmp_path / "bad.qdpx"
    with zipfile.ZipFile(out) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "project.qde":
                data = data.replace(b'begin="100" end="900"', b'begin="100" end="99000"')
            zout.writestr(item, data)
    with empty_project(tmp_path / "copy.qcdesk") as q:
        report = import_file(q, bad)
        assert report.added.get("time codings") == 4
        assert any("lasts only" in w and "Walk" in w for w in report.warnings)
        assert ("Walk", "coping", 100, 900, "AB", "") not in _time_codings(q)
