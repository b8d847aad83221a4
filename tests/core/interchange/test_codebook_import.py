"""Template codebooks from .qdc, spreadsheets and outlines, merged into projects that may already have codes."""

from __future__ import annotations

import pytest

from qcdesk.core.errors import ImportFailed
from qcdesk.core.interchange import import_file

pytestmark = pytest.mark.core


def tree(p) -> list[tuple[str, str, str]]:
    return [("  " * depth + c.name, c.color, c.description) for c, depth in p.codes_in_tree_order()]


def names(p) -> list[str]:
    return [t[0] for t in tree(p)]


@pytest.fixture
def write(tmp_path):
    def _write(name: str, content: str | bytes):
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path
    return _write


QDC_04 = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:0:4" origin="ATLAS.ti">
  <Codes>
    <Code guid="1" name="Barriers" isCodable="true">
      <Description>What gets in the way</Description>
      <Code guid="2" name="Cost" isCodable="true"/>
      <Code guid="3" name="Time" isCodable="true" color="#0A0"/>
    </Code>
    <Code guid="4" name="Facilitators" isCodable="true" color="not-a-colour"/>
  </Codes>
  <Sets><Set guid="9" name="Main"><MemberCode guid="1"/><MemberCode guid="4"/></Set></Sets>
</CodeBook>"""


def test_qdc_with_draft_namespace_ids_and_odd_colours(write, new_project):
    p = new_project()
    report = import_file(p, write("atlas.qdc", QDC_04))
    assert report.added == {"codes": 4}
    assert names(p) == ["Barriers", "  Cost", "  Time", "Facilitators"]
    assert tree(p)[0][2] == "What gets in the way"
    assert tree(p)[2][1] == "#00aa00"
    joined = "\n".join(report.warnings)
    assert "namespace" not in joined and "1 code set(s) were not imported" in joined
    assert "“not-a-colour” of code “Facilitators”" in joined


def test_codebook_into_a_project_with_codes_adds_only_what_is_missing(write, new_project):
    p = new_project()
    barriers = p.codebook.add("barriers", color="#123456", description="mine").value
    p.codebook.add("Cost", parent_id=barriers.id)
    p.codebook.add("Unrelated")
    report = import_file(p, write("atlas.qdc", QDC_04))
    assert report.added == {"codes": 2} and report.matched == {"codes": 2}
    assert names(p) == ["barriers", "  Cost", "  Time", "Unrelated", "Facilitators"]
    assert tree(p)[0][1:] == ("#123456", "mine")  # an existing code is not changed
    again = import_file(p, write("atlas.qdc", QDC_04))
    assert again.added == {} and again.matched == {"codes": 4}


def test_csv_with_path_column_colour_and_description(write, new_project):
    csv_text = ("Path,Colour,Description\n"
                "Theme A/Category 1/Code x,#ff0000,First code\n"
                "Theme A/Category 1/Code y,,\n"
                "Theme A/Category 2,,\"Has, a comma\"\n"
                "Theme B,#00f,\n")
    p = new_project()
    report = import_file(p, write("codes.csv", csv_text))
    assert report.added == {"codes": 6} and report.warnings == []
    assert tree(p)[:3] == [("Theme A", tree(p)[0][1], ""), ("  Category 1", tree(p)[1][1], ""),
                           ("    Code x", "#ff0000", "First code")]
    assert names(p) == ["Theme A", "  Category 1", "    Code x", "    Code y", "  Category 2", "Theme B"]
    assert tree(p)[4][2] == "Has, a comma" and tree(p)[5][1] == "#0000ff"


def test_csv_with_name_and_parent_columns_in_any_order(write, new_project):
    csv_text = ("code;parent;definition\n"
                "Listening;Support;Feeling heard\n"
                "Support;;Help from others\n"
                "Empathy;Listening;\n"
                "Orphan;Nowhere;\n")
    p = new_project()
    report = import_file(p, write("codes.csv", csv_text))
    assert names(p) == ["Support", "  Listening", "    Empathy", "Nowhere", "  Orphan"]
    assert tree(p)[0][2] == "Help from others" and tree(p)[1][2] == "Feeling heard"
    assert any("the parent “Nowhere” of “Orphan” is not in the spreadsheet" in w for w in report.warnings)


def test_csv_with_level_columns_and_merged_cells(write, new_project):
    csv_text = ("Theme,Category,Code,Description\n"
                "Wellbeing,Sleep,Night shifts,\n"
                ",,Naps,Short sleep at work\n"
                ",Food,,\n"
                "Learning,,,\n")
    p = new_project()
    import_file(p, write("levels.csv", csv_text))
    assert names(p) == ["Wellbeing", "  Sleep", "    Night shifts", "    Naps", "  Food", "Learning"]
    assert tree(p)[3][2] == "Short sleep at work"


def test_excel_csv_in_windows_1252(write, new_project):
    p = new_project()
    report = import_file(p, write("excel.csv", "name,description\nCafé culture,Équipe\n".encode("cp1252")))
    assert names(p) == ["Café culture"] and tree(p)[0][2] == "Équipe"
    assert any("Windows-1252" in w for w in report.warnings)


@pytest.mark.parametrize("outline", [
    "Support\n  Listening\n    Empathy\n  Practical help\nWorkload\n",
    "- Support\n  - Listening\n    - Empathy\n  - Practical help\n- Workload\n",
    "* Support\n\t* Listening\n\t\t* Empathy\n\t* Practical help\n* Workload\n",
    "1. Support\n1.1 Listening\n1.1.1 Empathy\n1.2 Practical help\n2. Workload\n",
    "# Support\n- Listening\n  - Empathy\n- Practical help\n# Workload\n",
])
def test_outline_styles(write, new_project, outline):
    p = new_project()
    report = import_file(p, write("outline.txt" if "#" not in outline else "outline.md", outline))
    assert report.added == {"codes": 5} and report.warnings == []
    assert names(p) == ["Support", "  Listening", "    Empathy", "  Practical help", "Workload"]


def test_outline_descriptions_colours_and_wide_indents(write, new_project):
    outline = ("Support — Help from colleagues #58d68d\n"
               "        Listening\n"
               "Workload :: Hours and rota\n")
    p = new_project()
    report = import_file(p, write("outline.txt", outline))
    assert tree(p)[0] == ("Support", "#58d68d", "Help from colleagues")
    assert names(p) == ["Support", "  Listening", "Workload"]
    assert tree(p)[2][2] == "Hours and rota"
    assert report.warnings == []


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", "   \n\n", "empty"),
    ("binary.txt", b"\x00\x01\x02" * 100, "not text"),
    ("noname.csv", "colour,description\n#ff0000,red\n", "no column with code names"),
    ("broken.qdc", "<CodeBook xmlns='urn:QDA-XML:codebook:1.0'><Codes>", "not well-formed"),
    ("project.qdc", "<Project xmlns='urn:QDA-XML:project:1.0' name='x'/>", "not a REFI-QDA codebook"),
    ("codes.xlsx", b"PK\x03\x04", "not"),
])
def test_bad_codebooks_fail_cleanly(write, rich_project, name, content, reason):
    before = names(rich_project)
    with pytest.raises(ImportFailed, match=reason):
        import_file(rich_project, write(name, content))
    assert names(rich_project) == before
