"""``qcdesk-cli import P interview.vtt interview.m4a`` and ``qcdesk-cli media P``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from media_files import converted, tone_wav  # noqa: E402

from qcdesk.cli import main  # noqa: E402
from qcdesk.core.importers.base import ParsedDocument  # noqa: E402
from qcdesk.core.project import Project  # noqa: E402
from builders import empty_project

VTT = "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Amira>Hello there.\n\n00:00:01.000 --> 00:00:01.800\n<v Ben>Hi.\n"


def _listed(project: Path, capsys) -> list[dict]:
    capsys.readouterr()
    assert main(["media", str(project), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_import_pairs_a_transcript_with_its_recording_and_lists_it(tmp_path, capsys):
    (tmp_path / "interview.vtt").write_text(VTT, encoding="utf-8")
    m4a = converted(tmp_path, ".m4a", name="interview")
    diary = tone_wav(tmp_path / "diary 3.wav", 1.0)
    project = tmp_path / "study.qcdesk"
    assert main(["import", str(project), str(tmp_path / "interview.vtt"), str(m4a), str(diary),
                 "--create"]) == 0
    out = capsys.readouterr().out
    assert "stored recording interview.m4a with interview" in out
    assert "imported recording diary 3.wav as diary 3 (no transcript)" in out
    rows = _listed(project, capsys)
    assert [(r["document"], r["name"], r["kind"], r["storage"], r["available"]) for r in rows] == [
        ("interview", "interview.m4a", "audio", "embedded", True),
        ("diary 3", "diary 3.wav", "audio", "embedded", True)]
    assert main(["media", str(project)]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split("\t")[1:] == ["interview", "interview.m4a", "audio", "0:02", "stored", "available"]


def test_link_media_stores_a_relative_path_and_a_missing_file_is_named(tmp_path, capsys):
    (tmp_path / "audio").mkdir()
    (tmp_path / "interview.vtt").write_text(VTT, encoding="utf-8")
    wav = tone_wav(tmp_path / "audio" / "interview.wav", 2.0)
    project = tmp_path / "study.qcdesk"
    assert main(["import", str(project), "--create", "--link-media", str(tmp_path / "interview.vtt"),
                 str(wav)]) == 0
    assert "linked recording interview.wav with interview" in capsys.readouterr().out
    [row] = _listed(project, capsys)
    assert (row["storage"], row["link_path"], row["available"]) == ("linked", "audio/interview.wav", True)
    moved = wav.rename(tmp_path / "moved.wav")
    assert main(["media", str(project)]) == 0
    captured = capsys.readouterr()
    assert captured.out.rstrip().endswith("MISSING")
    [warning] = captured.err.splitlines()
    assert "interview.wav" in warning and "relink" in warning
    assert main(["media", str(project), "--relink", str(row["id"]), str(moved)]) == 0
    assert _listed(project, capsys)[0]["link_path"] == "moved.wav"


def test_a_recording_shorter_than_its_transcript_is_imported_with_a_warning(tmp_path, capsys):
    (tmp_path / "talk.vtt").write_text(VTT.replace("00:00:01.800", "00:10:00.000"), encoding="utf-8")
    wav = tone_wav(tmp_path / "talk.wav", 2.0)
    assert main(["import", str(tmp_path / "p.qcdesk"), "--create", str(tmp_path / "talk.vtt"), str(wav)]) == 0
    err = capsys.readouterr().err
    assert err.startswith("warning: The recording talk.wav lasts 0:02") and "10:00" in err


def test_a_corrupt_recording_is_one_line_exit_1_and_its_transcript_is_imported(tmp_path, capsys):
    (tmp_path / "talk.vtt").write_text(VTT, encoding="utf-8")
    (tmp_path / "talk.mp3").write_bytes(b"not audio at all" * 100)
    project = tmp_path / "p.qcdesk"
    assert main(["import", str(project), "--create", str(tmp_path / "talk.vtt"), str(tmp_path / "talk.mp3")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("error: talk.mp3: Could not attach talk.mp3")
    with Project.open(project) as p:
        assert [d.name for d in p.documents()] == ["talk"] and p.media.all() == []


def test_bad_media_commands_are_one_line_on_stderr(tmp_path, capsys):
    project = tmp_path / "p.qcdesk"
    empty_project(project).close()
    assert main(["media", str(project)]) == 0 and capsys.readouterr().out == "no recordings\n"
    for argv in (["media", str(project), "--detach", "7"], ["media", str(project), "--relink", "x", "y"]):
        assert main(argv) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("qcdesk: ")


def test_code_time_codes_a_recordings_range_and_refuses_bad_input_with_one_line(tmp_path, capsys):
    project = tmp_path / "study.qcdesk"
    with empty_project(project) as p:
        p.media.add_recording(tone_wav(tmp_path / "diary.wav", 150.0), name="Diary 3")
        p.documents.add("Interview", ParsedDocument("A: hi", "txt"))
        p.codebook.add("Coping")
    capsys.readouterr()
    assert main(["code-time", str(project), "Diary 3", "Coping", "02:10", "00:02:25.5",
                 "--memo", "sigh", "--coder", "AB"]) == 0
    assert capsys.readouterr().out.strip() == "coded Diary 3, 02:10–02:25.500 with “Coping”"
    assert main(["code-time", str(project), "diary 3", "coping", "2:10", "2:25.500", "--coder", "AB"]) == 0
    assert "already coded" in capsys.readouterr().out
    for args, words in [(["Diary 3", "Coping", "02:10", "2:31"], "lasts only 02:30"),
                        (["Diary 3", "Coping", "2:10", "soon"], "is not a time"),
                        (["Diary 3", "Coping", "2:10", "2:10"], "start before it ends"),
                        (["Interview", "Coping", "0:00", "0:01"], "has no recording"),
                        (["Nobody", "Coping", "0:00", "0:01"], "no document named"),
                        (["Diary 3", "Hope", "0:00", "0:01"], "no code named")]:
        assert main(["code-time", str(project), *args]) == 1
        err = capsys.readouterr().err
        assert words in err and err.count("\n") == 1, err
    with Project.open(project) as p:
        [tc] = p.time_codings.all()
        assert (tc.start_ms, tc.end_ms, tc.memo, p.coders()[0].name) == (130_000, 145_500, "sigh", "AB")
