"""Cases (participants): creation from documents and speakers, links, codings, attributes, summary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from qcdesk.core.errors import OperationError
from qcdesk.core.project import Project
from builders import lines_document, empty_project

pytestmark = pytest.mark.core


@pytest.fixture
def project(tmp_path: Path):
    with empty_project(tmp_path / "p.qcdesk") as p:
        yield p


def test_add_rename_describe_delete_and_restore(project):
    seen = []
    project.subscribe(seen.append)
    ana = project.cases.add("  Ana   (mentee) ").value
    assert ana.name == "Ana (mentee)"
    assert seen[-1].cases and len(seen) == 1
    with pytest.raises(OperationError, match="already a case"):
        project.cases.add("Ana (mentee)")
    with pytest.raises(OperationError, match="needs a name"):
        project.cases.add("   ")
    assert project.cases.rename(ana.id, "Ana").value.name == "Ana"
    assert project.cases.describe(ana.id, "Second-year").description == "Second-year"
    doc = project.documents.add("Interview Ana", lines_document(["Interviewer: Hi", "Ana: Hello"]))
    project.cases.link_documents(ana.id, [doc.id])
    gender = project.attributes.define("Gender", "choice", ["woman", "man"])
    project.attributes.set_value(ana.id, gender.id, "Woman")
    snap = project.cases.delete(ana.id).undo
    assert project.cases.all() == []
    snap.run()
    assert [c.name for c in project.cases.all()] == ["Ana"]
    assert project.cases.documents_of(ana.id) == [doc.id]
    assert project.attributes.value(ana.id, gender.id) == "woman"


def test_cases_from_documents_skips_existing_names(project):
    d1 = project.documents.add("P01", lines_document(["P01: one"]))
    d2 = project.documents.add("P02", lines_document(["P02: two"]))
    project.cases.add("P02")
    created = project.cases.from_documents([d1.id, d2.id])
    assert [c.name for c in created] == ["P01"]
    assert project.cases.documents_of(created[0].id) == [d1.id]
    assert sorted(c.name for c in project.cases.all()) == ["P01", "P02"]


def test_one_case_spans_several_documents(project):
    first = project.documents.add("Ana interview 1", lines_document(["Ana: first"]))
    second = project.documents.add("Ana interview 2", lines_document(["Ana: second"]))
    diary = project.documents.add("Ana audio diary", lines_document(["Ana: diary"]))
    ana = project.cases.add("Ana").value
    project.cases.set_documents(ana.id, [first.id, second.id, diary.id])
    assert project.cases.documents_of(ana.id) == [first.id, second.id, diary.id]
    project.cases.set_documents(ana.id, [diary.id])
    assert project.cases.documents_of(ana.id) == [diary.id]
    project.cases.unlink_documents(ana.id, [diary.id])
    assert project.cases.documents_of(ana.id) == []


def test_cases_from_speakers_excludes_interviewers_and_codings_follow_turns(project):
    group = project.documents.add("Focus group 1", lines_document([
        "Moderator: What helped?",
        "Ben: My mentor listened.",
        "Cara: Peer support mostly.",
        "Ben: And the school rota.",
    ]))
    other = project.documents.add("Focus group 2", lines_document(["moderator: Again?", "Cara: Yes again."]))
    created = project.cases.from_speakers()
    assert [c.name for c in created] == ["Ben", "Cara"]
    ben = project.cases.by_name("Ben")
    cara = project.cases.by_name("Cara")
    assert project.cases.speakers_of(cara.id) == [(group.id, "Cara"), (other.id, "Cara")]
    # running again creates nothing new
    assert project.cases.from_speakers() == []
    text = project.document_text(group.id)
    code = project.codebook.add("Support").value
    start = text.index("My mentor")
    in_ben = project.codings.apply(group.id, code.id, start, start + 9).value
    s2 = text.index("Peer")
    in_cara = project.codings.apply(group.id, code.id, s2, s2 + 4).value
    s3 = text.index("What")
    project.codings.apply(group.id, code.id, s3, s3 + 4)  # the moderator's: nobody's case
    across = project.codings.apply(group.id, code.id, text.index("listened"), text.index("mostly")).value
    assert project.cases.coding_ids(ben.id) == sorted([in_ben.id, across.id])
    assert project.cases.coding_ids(cara.id) == sorted([in_cara.id, across.id])


def test_case_coding_ids_of_documents(project):
    doc = project.documents.add("Interview", lines_document(["Interviewer: q", "P: answer"]))
    code = project.codebook.add("X").value
    coding = project.codings.apply(doc.id, code.id, 0, 5).value
    case = project.cases.from_documents([doc.id])[0]
    assert project.cases.coding_ids(case.id) == [coding.id]


def test_typed_values_validation_and_normalisation(project):
    case = project.cases.add("P1").value
    age = project.attributes.define("Age", "number")
    date = project.attributes.define("Interviewed", "date")
    role = project.attributes.define("Role", "choice", ["Mentor", "Mentee", "mentor", " "])
    assert role.choices == ("Mentor", "Mentee")
    assert project.attributes.set_value(case.id, age.id, " 34 ").value == 34
    assert project.attributes.stored_value(case.id, age.id) == "34"
    assert project.attributes.set_value(case.id, age.id, "3,5").value == 3.5
    with pytest.raises(OperationError, match="not a number"):
        project.attributes.set_value(case.id, age.id, "thirty")
    with pytest.raises(OperationError, match="ambiguous"):
        project.attributes.set_value(case.id, age.id, "1,234")
    assert project.attributes.set_value(case.id, date.id, "2024-03-05").value == dt.date(2024, 3, 5)
    assert project.attributes.set_value(case.id, date.id, "13/03/2024").value == dt.date(2024, 3, 13)
    assert project.attributes.set_value(case.id, date.id, "5 March 2024").value == dt.date(2024, 3, 5)
    with pytest.raises(OperationError, match="ambiguous.*2024-03-05 or 2024-05-03"):
        project.attributes.set_value(case.id, date.id, "05/03/2024")
    assert project.attributes.set_value(case.id, date.id, "05/03/2024", date_order="mdy").value == dt.date(2024, 5, 3)
    with pytest.raises(OperationError, match="not a valid date"):
        project.attributes.set_value(case.id, date.id, "31/02/2024")
    assert project.attributes.set_value(case.id, role.id, "MENTEE").value == "Mentee"
    with pytest.raises(OperationError, match="not one of the choices of Role: Mentor, Mentee"):
        project.attributes.set_value(case.id, role.id, "Supervisor")
    assert project.attributes.set_value(case.id, role.id, "").value is None
    assert project.attributes.value(case.id, role.id) is None
    [row] = project.attributes.table()
    assert row.values == {age.id: 3.5, date.id: dt.date(2024, 5, 3)}


def test_attribute_definitions_retype_rename_delete(project):
    case = project.cases.add("P1").value
    years = project.attributes.define("Years", "text")
    project.attributes.set_value(case.id, years.id, "12")
    retyped = project.attributes.update(years.id, value_type="number")
    assert retyped.value_type == "number" and project.attributes.value(case.id, years.id) == 12
    with pytest.raises(OperationError, match="already an attribute"):
        project.attributes.define("years")
    school = project.attributes.define("School", "text")
    project.attributes.set_value(case.id, school.id, "North")
    with pytest.raises(OperationError, match="1 value\\(s\\) do not fit.\nP1: “North” is not one"):
        project.attributes.update(school.id, value_type="choice", choices=["South"])
    assert project.attributes.get(school.id).value_type == "text"
    assert project.attributes.rename(school.id, "Medical school").name == "Medical school"
    snap = project.attributes.delete(school.id).undo
    assert [a.name for a in project.attributes.all()] == ["Years"]
    snap.run()
    assert project.attributes.value(case.id, school.id) == "North"


def test_attribute_summary(project):
    gender = project.attributes.define("Gender", "choice", ["women", "men"])
    age = project.attributes.define("Age", "number")
    for i, (g, a) in enumerate([("women", 30), ("men", 41), ("women", 25), (None, None)]):
        c = project.cases.add(f"P{i}").value
        if g:
            project.attributes.set_value(c.id, gender.id, g)
            project.attributes.set_value(c.id, age.id, a)
    g_sum, a_sum = project.attributes.summary()
    assert g_sum.counts == [("women", 2), ("men", 1)]
    assert g_sum.text() == "Gender: 2 women, 1 men (1 not recorded)"
    assert (a_sum.minimum, a_sum.maximum, a_sum.median) == (25, 41, 30)
    assert a_sum.mean == pytest.approx(32.0)
    assert a_sum.text() == "Age: 25–41, mean 32.0, median 30 (1 not recorded)"


def test_read_only_project_refuses_case_edits(tmp_path):
    path = tmp_path / "ro.qcdesk"
    empty_project(path).close()
    with Project.open(path, read_only=True) as ro:
        with pytest.raises(OperationError, match="read-only"):
            ro.cases.add("P1")


def test_undoing_a_document_deletion_brings_back_its_case_links(project):
    group = project.documents.add("Focus group", lines_document(["Moderator: Hi", "Ben: Hello"]))
    project.cases.from_speakers()
    ben = project.cases.by_name("Ben")
    project.cases.link_documents(ben.id, [group.id])
    snap = project.documents.delete(group.id).undo
    assert project.cases.speakers_of(ben.id) == [] and project.cases.documents_of(ben.id) == []
    snap.run()
    assert project.cases.speakers_of(ben.id) == [(group.id, "Ben")]
    assert project.cases.documents_of(ben.id) == [group.id]
