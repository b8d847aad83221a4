"""Cases (participants): creation from documents and speakers, links, codings, attributes, summary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from qcdesk.core import attributes as attrs
from qcdesk.core import cases
from qcdesk.core.errors import OperationError
from qcdesk.core.project import Project
from builders import lines_document

pytestmark = pytest.mark.core


@pytest.fixture
def project(tmp_path: Path):
    with Project.create(tmp_path / "p.qcdesk") as p:
        yield p


def test_add_rename_describe_delete_and_restore(project):
    seen = []
    project.subscribe(seen.append)
    ana = cases.add_case(project, "  Ana   (mentee) ")
    assert ana.name == "Ana (mentee)"
    assert seen[-1].cases and len(seen) == 1
    with pytest.raises(OperationError, match="already a case"):
        cases.add_case(project, "Ana (mentee)")
    with pytest.raises(OperationError, match="needs a name"):
        cases.add_case(project, "   ")
    assert cases.rename_case(project, ana.id, "Ana").name == "Ana"
    assert cases.describe_case(project, ana.id, "Second-year").description == "Second-year"
    doc = project.add_document("Interview Ana", lines_document(["Interviewer: Hi", "Ana: Hello"]))
    cases.link_documents(project, ana.id, [doc.id])
    gender = attrs.define_attribute(project, "Gender", "choice", ["woman", "man"])
    attrs.set_value(project, ana.id, gender.id, "Woman")
    snap = cases.delete_case(project, ana.id)
    assert cases.cases(project) == []
    cases.restore_case(project, snap)
    assert [c.name for c in cases.cases(project)] == ["Ana"]
    assert cases.case_documents(project, ana.id) == [doc.id]
    assert attrs.value(project, ana.id, gender.id) == "woman"


def test_cases_from_documents_skips_existing_names(project):
    d1 = project.add_document("P01", lines_document(["P01: one"]))
    d2 = project.add_document("P02", lines_document(["P02: two"]))
    cases.add_case(project, "P02")
    created = cases.cases_from_documents(project, [d1.id, d2.id])
    assert [c.name for c in created] == ["P01"]
    assert cases.case_documents(project, created[0].id) == [d1.id]
    assert sorted(c.name for c in cases.cases(project)) == ["P01", "P02"]


def test_one_case_spans_several_documents(project):
    first = project.add_document("Ana interview 1", lines_document(["Ana: first"]))
    second = project.add_document("Ana interview 2", lines_document(["Ana: second"]))
    diary = project.add_document("Ana audio diary", lines_document(["Ana: diary"]))
    ana = cases.add_case(project, "Ana")
    cases.set_case_documents(project, ana.id, [first.id, second.id, diary.id])
    assert cases.case_documents(project, ana.id) == [first.id, second.id, diary.id]
    cases.set_case_documents(project, ana.id, [diary.id])
    assert cases.case_documents(project, ana.id) == [diary.id]
    cases.unlink_documents(project, ana.id, [diary.id])
    assert cases.case_documents(project, ana.id) == []


def test_cases_from_speakers_excludes_interviewers_and_codings_follow_turns(project):
    group = project.add_document("Focus group 1", lines_document([
        "Moderator: What helped?",
        "Ben: My mentor listened.",
        "Cara: Peer support mostly.",
        "Ben: And the school rota.",
    ]))
    other = project.add_document("Focus group 2", lines_document(["moderator: Again?", "Cara: Yes again."]))
    created = cases.cases_from_speakers(project)
    assert [c.name for c in created] == ["Ben", "Cara"]
    ben = cases.case_by_name(project, "Ben")
    cara = cases.case_by_name(project, "Cara")
    assert cases.case_speakers(project, cara.id) == [(group.id, "Cara"), (other.id, "Cara")]
    # running again creates nothing new
    assert cases.cases_from_speakers(project) == []
    text = project.document_text(group.id)
    code = project.add_code("Support")
    start = text.index("My mentor")
    in_ben = project.apply_code(group.id, code.id, start, start + 9)
    s2 = text.index("Peer")
    in_cara = project.apply_code(group.id, code.id, s2, s2 + 4)
    s3 = text.index("What")
    project.apply_code(group.id, code.id, s3, s3 + 4)  # the moderator's: nobody's case
    across = project.apply_code(group.id, code.id, text.index("listened"), text.index("mostly"))
    assert cases.case_coding_ids(project, ben.id) == sorted([in_ben.id, across.id])
    assert cases.case_coding_ids(project, cara.id) == sorted([in_cara.id, across.id])


def test_case_coding_ids_of_documents(project):
    doc = project.add_document("Interview", lines_document(["Interviewer: q", "P: answer"]))
    code = project.add_code("X")
    coding = project.apply_code(doc.id, code.id, 0, 5)
    case = cases.cases_from_documents(project, [doc.id])[0]
    assert cases.case_coding_ids(project, case.id) == [coding.id]


def test_typed_values_validation_and_normalisation(project):
    case = cases.add_case(project, "P1")
    age = attrs.define_attribute(project, "Age", "number")
    date = attrs.define_attribute(project, "Interviewed", "date")
    role = attrs.define_attribute(project, "Role", "choice", ["Mentor", "Mentee", "mentor", " "])
    assert role.choices == ("Mentor", "Mentee")
    assert attrs.set_value(project, case.id, age.id, " 34 ") == 34
    assert attrs.stored_value(project, case.id, age.id) == "34"
    assert attrs.set_value(project, case.id, age.id, "3,5") == 3.5
    with pytest.raises(OperationError, match="not a number"):
        attrs.set_value(project, case.id, age.id, "thirty")
    with pytest.raises(OperationError, match="ambiguous"):
        attrs.set_value(project, case.id, age.id, "1,234")
    assert attrs.set_value(project, case.id, date.id, "2024-03-05") == dt.date(2024, 3, 5)
    assert attrs.set_value(project, case.id, date.id, "13/03/2024") == dt.date(2024, 3, 13)
    assert attrs.set_value(project, case.id, date.id, "5 March 2024") == dt.date(2024, 3, 5)
    with pytest.raises(OperationError, match="ambiguous.*2024-03-05 or 2024-05-03"):
        attrs.set_value(project, case.id, date.id, "05/03/2024")
    assert attrs.set_value(project, case.id, date.id, "05/03/2024", date_order="mdy") == dt.date(2024, 5, 3)
    with pytest.raises(OperationError, match="not a valid date"):
        attrs.set_value(project, case.id, date.id, "31/02/2024")
    assert attrs.set_value(project, case.id, role.id, "MENTEE") == "Mentee"
    with pytest.raises(OperationError, match="not one of the choices of Role: Mentor, Mentee"):
        attrs.set_value(project, case.id, role.id, "Supervisor")
    assert attrs.set_value(project, case.id, role.id, "") is None
    assert attrs.value(project, case.id, role.id) is None
    [row] = attrs.attribute_table(project)
    assert row.values == {age.id: 3.5, date.id: dt.date(2024, 5, 3)}


def test_attribute_definitions_retype_rename_delete(project):
    case = cases.add_case(project, "P1")
    years = attrs.define_attribute(project, "Years", "text")
    attrs.set_value(project, case.id, years.id, "12")
    retyped = attrs.update_attribute(project, years.id, value_type="number")
    assert retyped.value_type == "number" and attrs.value(project, case.id, years.id) == 12
    with pytest.raises(OperationError, match="already an attribute"):
        attrs.define_attribute(project, "years")
    school = attrs.define_attribute(project, "School", "text")
    attrs.set_value(project, case.id, school.id, "North")
    with pytest.raises(OperationError, match="1 value\\(s\\) do not fit.\nP1: “North” is not one"):
        attrs.update_attribute(project, school.id, value_type="choice", choices=["South"])
    assert attrs.attribute(project, school.id).value_type == "text"
    assert attrs.rename_attribute(project, school.id, "Medical school").name == "Medical school"
    snap = attrs.delete_attribute(project, school.id)
    assert [a.name for a in attrs.attributes(project)] == ["Years"]
    attrs.restore_attribute(project, snap)
    assert attrs.value(project, case.id, school.id) == "North"


def test_attribute_summary(project):
    gender = attrs.define_attribute(project, "Gender", "choice", ["women", "men"])
    age = attrs.define_attribute(project, "Age", "number")
    for i, (g, a) in enumerate([("women", 30), ("men", 41), ("women", 25), (None, None)]):
        c = cases.add_case(project, f"P{i}")
        if g:
            attrs.set_value(project, c.id, gender.id, g)
            attrs.set_value(project, c.id, age.id, a)
    g_sum, a_sum = attrs.attribute_summary(project)
    assert g_sum.counts == [("women", 2), ("men", 1)]
    assert g_sum.text() == "Gender: 2 women, 1 men (1 not recorded)"
    assert (a_sum.minimum, a_sum.maximum, a_sum.median) == (25, 41, 30)
    assert a_sum.mean == pytest.approx(32.0)
    assert a_sum.text() == "Age: 25–41, mean 32.0, median 30 (1 not recorded)"


def test_read_only_project_refuses_case_edits(tmp_path):
    path = tmp_path / "ro.qcdesk"
    Project.create(path).close()
    with Project.open(path, read_only=True) as ro:
        with pytest.raises(OperationError, match="read-only"):
            cases.add_case(ro, "P1")


def test_undoing_a_document_deletion_brings_back_its_case_links(project):
    group = project.add_document("Focus group", lines_document(["Moderator: Hi", "Ben: Hello"]))
    cases.cases_from_speakers(project)
    ben = cases.case_by_name(project, "Ben")
    cases.link_documents(project, ben.id, [group.id])
    snap = project.delete_document(group.id)
    assert cases.case_speakers(project, ben.id) == [] and cases.case_documents(project, ben.id) == []
    project.restore_document(snap)
    assert cases.case_speakers(project, ben.id) == [(group.id, "Ben")]
    assert cases.case_documents(project, ben.id) == [group.id]
