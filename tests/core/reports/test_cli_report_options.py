"""qcdesk-cli export with the Word options: language, texts, quotation marks, citations, kinds."""

from __future__ import annotations

import docx
import pytest
from docx.oxml.ns import qn

from qcdesk.cli import main

pytestmark = pytest.mark.core


@pytest.fixture
def path(sample):
    p = sample.project
    gender = p.attributes.define("gender").id
    case = p.cases.add("Participant 3").value.id
    p.cases.link_speaker(case, sample.docs["i1"], "Participant 1")
    p.attributes.set_value(case, gender, "woman")
    p.close()
    return sample.path


def test_export_with_word_options(path, tmp_path, capsys):
    out = tmp_path / "r.docx"
    assert main(["export", str(path), "--out", str(out), "--language", "de-DE", "--title", "Nachtdienst",
                 "--header", "VERTRAULICH", "--footer", "Studie 7", "--quotation-marks",
                 "--cite", "case", "--cite-attribute", "gender"]) == 0
    document = docx.Document(str(out))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "Nachtdienst"
    assert "„The workload is relentless on surgical rotations.“" in texts
    assert "— Participant 3, woman · Participant 1 · 1:05" in texts
    assert document.sections[0].header.paragraphs[0].text == "VERTRAULICH"
    lang = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == "de-DE"


@pytest.mark.parametrize("kind", ["framework", "memos"])
def test_new_kinds_from_the_command_line(path, tmp_path, kind):
    assert main(["export", str(path), "--report", kind, "--out", str(tmp_path / f"{kind}.docx")]) == 0


def test_a_bad_language_is_one_line_and_exit_1(path, tmp_path, capsys):
    assert main(["export", str(path), "--out", str(tmp_path / "r.docx"), "--language", "xx yy"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a language tag" in err[0]
    assert not (tmp_path / "r.docx").exists()
