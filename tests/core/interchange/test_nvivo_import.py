"""A real NVivo 12 export: every code and coding lands on the right words.

NVivo counts UTF-16 code units over the CRLF text; the oracle below slices the raw
UTF-16 bytes independently of qcdesk's mapping and compares with what is stored.
"""

from __future__ import annotations

import re
import zipfile

import pytest

from qcdesk.core.interchange import export_file, import_file
from qcdesk.core.interchange.positions import DESCRIPTIONS, UTF16_CRLF

pytestmark = [pytest.mark.core, pytest.mark.corpus]


@pytest.fixture
def imported(nvivo, new_project):
    project = new_project("nvivo.qcdesk")
    report = import_file(project, nvivo)
    return project, report


def test_all_codes_and_codings_arrive(imported):
    project, report = imported
    # floriansipos coded nothing but created the second source: the creator is kept
    assert report.added == {"documents": 2, "codes": 152, "codings": 303, "coders": 2}
    assert report.warnings == [] and report.unmapped == {}
    assert report.position_scheme == DESCRIPTIONS[UTF16_CRLF]
    assert project.stats()["codes"] == 152 and project.stats()["codings"] == 303
    assert [d.name for d in project.documents()] == ["videos_selection", "videos_10_selected"]
    assert [c.name for c in project.coders()] == ["Gergo", "floriansipos"]
    coders = {c.id: c.name for c in project.coders()}
    assert {c.coder_id for d in project.documents() for c in project.codings_for_document(d.id)} == \
        {next(i for i, n in coders.items() if n == "Gergo")}


def test_source_dates_and_creators_are_kept_and_exported(imported, tmp_path):
    from qcdesk.core.storage import interchange as ex_sql

    project, _ = imported
    coders = {c.id: c.name for c in project.coders()}
    origins = {d.name: ex_sql.document_origins(project.db)[d.id] for d in project.documents()}
    assert {n: (created, coders[who]) for n, (created, who) in origins.items()} == {
        "videos_selection": ("2025-06-11T16:24:07Z", "Gergo"),
        "videos_10_selected": ("2025-06-16T17:07:29Z", "floriansipos")}
    out = tmp_path / "again.qdpx"
    export_file(project, out)
    with zipfile.ZipFile(out) as zf:
        xml = zf.read("project.qde").decode("utf-8")
    sources = re.findall(r"<TextSource [^>]*>", xml)
    assert 'creationDateTime="2025-06-11T16:24:07Z"' in sources[0]
    assert 'creationDateTime="2025-06-16T17:07:29Z"' in sources[1]
    users = dict(re.findall(r'<User guid="([^"]+)" name="([^"]+)"', xml))
    assert users[re.search(r'creatingUser="([^"]+)"', sources[1]).group(1)] == "floriansipos"


def test_code_tree_and_descriptions(imported):
    project, _ = imported
    tree = [(c.name, depth) for c, depth in project.codes_in_tree_order()]
    assert tree[:6] == [("1. Oltás típusa", 0), ("COVID", 1), ("Nem COVID", 1),
                        ("2. Attitűd szint az oltáshoz", 0), ("piros", 1), ("sárga", 1)]
    by_name = {c.name: c for c in project.codes()}
    assert by_name["1. Oltás típusa"].description == "COVID vay nem COVID"
    assert by_name["2. Attitűd szint az oltáshoz"].description.startswith("Erősen szkeptikus (piros)\n")
    assert project.code_path(by_name["Financial interests"].id) == \
        ["Attituderoots", "2. Distrust", "Financial interests"]


def test_every_coding_matches_the_utf16_slice_of_the_raw_text(imported, nvivo):
    project, _ = imported
    with zipfile.ZipFile(nvivo) as zf:
        qde = zf.read("project.qde").decode("utf-8")
        raw = zf.read("Sources/68bbdc14-c361-4432-b4dd-ae1dbfc12890.txt").decode("utf-8-sig")
    units = raw.encode("utf-16-le")
    expected = sorted(
        units[2 * int(a):2 * int(b)].decode("utf-16-le").replace("\r\n", "\n")
        for a, b in re.findall(r'startPosition="(\d+)" endPosition="(\d+)"', qde))
    doc = project.documents()[1]
    text = project.document_text(doc.id)
    assert "\r" not in text and text == raw.replace("\r\n", "\n")
    stored = sorted(text[c.start:c.end] for c in project.codings_for_document(doc.id))
    assert len(stored) == 303 and stored == expected


def test_spot_checks_after_emoji(imported):
    project, _ = imported
    segments = {(" / ".join(project.code_path(s.coding.code_id)), s.coding.start): s.text
                for s in project.segments([c.id for c in project.codes()])}
    text = project.document_text(project.documents()[1].id)
    assert sum(ord(ch) > 0xFFFF for ch in text[:36342]) > 0  # these lie after characters beyond the BMP

    def starting(path: str, words: str) -> list[str]:
        return [t for (p, _), t in segments.items() if p == path and t.startswith(words)]

    assert starting("Attituderoots / 2. Distrust / Financial interests",
                    "Amint a csorda a kötelező oltásba beletörődik ,a játszmának vége !")
    assert starting("Attituderoots / 2. Distrust / +Government", "Viktortól mindenki veszélyben van. Vigyázat")
    assert starting("2. Attitűd szint az oltáshoz / piros", "Senkit nem lehet kötelezni oltásra")
    assert starting("Attituderoots / 8. Distorted risk perception / Cost–benefit analysis",
                    "Aki felveszi az meg orosz rulettet játszik egy tele táras revolverrel.")


def test_second_import_matches_everything(imported, nvivo):
    project, _ = imported
    again = import_file(project, nvivo)
    assert again.added == {}
    assert again.matched == {"documents": 2, "codes": 152, "codings": 303}
    assert project.stats()["codings"] == 303


def test_nvivo_project_exported_again_round_trips(imported, new_project, tmp_path):
    project, _ = imported
    out = tmp_path / "from-nvivo.qdpx"
    export_file(project, out)
    copy = new_project("copy.qcdesk")
    report = import_file(copy, out)
    assert report.added["codings"] == 303 and report.warnings == []
    original = sorted((c.start, c.end, project.code(c.code_id).name)
                      for d in project.documents() for c in project.codings_for_document(d.id))
    again = sorted((c.start, c.end, copy.code(c.code_id).name)
                   for d in copy.documents() for c in copy.codings_for_document(d.id))
    assert again == original
