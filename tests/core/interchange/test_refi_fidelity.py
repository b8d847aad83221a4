"""REFI-QDA exchange without loss: coders, identical texts, descriptions and annotations, names, dates,
grouping codes (issue 15). Each test builds a small hand-written .qdpx or round-trips a project."""

from __future__ import annotations

import zipfile

import pytest
from conftest import INTERVIEW_1, _parsed, make_qdpx, span
from lxml import etree

from qcdesk.core.errors import OperationError
from qcdesk.core.interchange import export_file, import_file
from qcdesk.core.interchange.xml_names import PROJECT_NS
from qcdesk.core.storage import interchange as ex_sql

pytestmark = pytest.mark.core
NS = {"q": PROJECT_NS}
TEXT = "Q: What helped?\nA: My supervisor listened. Then the rota changed.\nQ: Anything else?\nA: No."
CONSENT = "I agree to take part in this study."
U1, U2 = "00000000-0000-0000-0000-0000000000a1", "00000000-0000-0000-0000-0000000000a2"
C1, C2 = "00000000-0000-0000-0000-0000000000c1", "00000000-0000-0000-0000-0000000000c2"


def _g(n: int) -> str:
    return f"00000000-0000-0000-0000-{n:012d}"


def _project(sources: str, *, codes: str = "", notes: str = "", extra: str = "", users: str = "") -> str:
    users = users or f'<Users><User guid="{U1}" name="Rita"/><User guid="{U2}" name="Sam"/></Users>'
    codes = codes or (f'<CodeBook><Codes><Code guid="{C1}" name="Support" isCodable="true"/>'
                      f'<Code guid="{C2}" name="Workload" isCodable="true"/></Codes></CodeBook>')
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="urn:QDA-XML:project:1.0" name="T" '
            f'origin="Hand 1.0">{users}{codes}<Sources>{sources}</Sources>'
            f'{"<Notes>" + notes + "</Notes>" if notes else ""}{extra}</Project>')


def _qdpx(tmp_path, qde: str, texts: dict[str, str] | None = None, name: str = "in.qdpx"):
    members: dict[str, str] = {"project.qde": qde}
    for guid, text in (texts or {}).items():
        members[f"sources/{guid}.txt"] = text
    return make_qdpx(tmp_path / name, members)


def _qde(path) -> etree._Element:
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read("project.qde"))


def _codings(p):
    coders = {c.id: c.name for c in p.coders()}
    return sorted((p.code(c.code_id).name, c.start, c.end, coders.get(c.coder_id))
                  for d in p.documents() for c in p.codings_for_document(d.id))


# ----------------------------------------------------------------- coders


def test_two_coders_same_code_same_passage_both_imported(tmp_path, new_project):
    s = TEXT.index("My supervisor listened.")
    src = (f'<TextSource guid="{_g(1)}" name="Interview" plainTextPath="internal://{_g(1)}.txt">'
           f'<PlainTextSelection guid="{_g(2)}" startPosition="{s}" endPosition="{s + 23}">'
           f'<Coding guid="{_g(3)}" creatingUser="{U1}"><CodeRef targetGUID="{C1}"/></Coding>'
           f'<Coding guid="{_g(4)}" creatingUser="{U2}"><CodeRef targetGUID="{C1}"/></Coding>'
           f'<Coding guid="{_g(5)}" creatingUser="{U2}"><CodeRef targetGUID="{C1}"/></Coding>'
           f'</PlainTextSelection></TextSource>')
    p = new_project()
    report = import_file(p, _qdpx(tmp_path, _project(src), {_g(1): TEXT}))
    assert _codings(p) == [("Support", s, s + 23, "Rita"), ("Support", s, s + 23, "Sam")]
    assert report.added["codings"] == 2 and report.matched.get("codings") == 1
    # importing again adds nothing: same code, range and coder is the one duplicate rule
    again = import_file(p, _qdpx(tmp_path, _project(src), {_g(1): TEXT}))
    assert not again.added.get("codings") and again.matched["codings"] == 3


def test_own_round_trip_keeps_the_second_coder(tmp_path, new_project):
    p = new_project("two.qcdesk")
    doc = p.add_document("Resident 01", _parsed(INTERVIEW_1))
    code = p.add_code("Stress")
    where = span(INTERVIEW_1, "Honestly 😅 terrible")
    p.set_coder("Ana")
    p.apply_code(doc.id, code.id, *where)
    p.set_coder("Bo")
    p.apply_code(doc.id, code.id, *where)
    out = tmp_path / "two.qdpx"
    export_file(p, out)
    fresh = new_project("again.qcdesk")
    import_file(fresh, out)
    assert _codings(fresh) == [("Stress", *where, "Ana"), ("Stress", *where, "Bo")]


def test_search_coding_records_the_coder_the_audit_names(tmp_path):
    from qcdesk.core.project import Project
    from qcdesk.core.search import code_hits, search

    path = tmp_path / "s.qcdesk"
    with Project.create(path) as p:
        p.add_document("Resident 01", _parsed(INTERVIEW_1))
        p.add_code("Handover")
        p.set_coder("Amira")
    with Project.open(path) as p:  # a later session (the command line) that chose no coder
        made = code_hits(p, search(p, "handover"), p.codes()[0].id)
        names = {c.id: c.name for c in p.coders()}
        audit = p.db.execute("SELECT coder FROM audit_log WHERE kind = 'coding'").fetchall()
        assert [names.get(c.coder_id) for c in made] == ["Amira"] and audit == [("Amira",)]


# ----------------------------------------------------------------- documents


def test_sources_with_identical_text_stay_apart(tmp_path, new_project):
    srcs = "".join(f'<TextSource guid="{_g(n)}" name="{name}" plainTextPath="internal://{_g(n)}.txt"/>'
                   for n, name in ((1, "Consent A"), (2, "Consent B"), (3, "Empty 1"), (4, "Empty 2")))
    texts = {_g(1): CONSENT, _g(2): CONSENT, _g(3): "", _g(4): ""}
    p = new_project()
    report = import_file(p, _qdpx(tmp_path, _project(srcs), texts))
    assert sorted(d.name for d in p.documents()) == ["Consent A", "Consent B", "Empty 1", "Empty 2"]
    assert report.added["documents"] == 4 and not report.matched.get("documents")
    # the same file again: each source matches its own document (by GUID), nothing is added
    again = import_file(p, _qdpx(tmp_path, _project(srcs), texts))
    assert again.matched["documents"] == 4 and not again.added.get("documents")
    assert len(p.documents()) == 4


def test_source_without_name_is_named_after_its_text_file(tmp_path, new_project):
    srcs = (f'<TextSource guid="{_g(1)}" plainTextPath="internal://Interview with Rita.txt"/>'
            f'<TextSource guid="{_g(2)}" plainTextPath="P02 transcript.txt"/>')
    p = new_project()
    make_qdpx(tmp_path / "in.qdpx", {"project.qde": _project(srcs), "sources/Interview with Rita.txt": TEXT,
                                      "sources/P02 transcript.txt": CONSENT})
    import_file(p, tmp_path / "in.qdpx")
    assert sorted(d.name for d in p.documents()) == ["Interview with Rita", "P02 transcript"]
