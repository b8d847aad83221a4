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
from builders import empty_project

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
    doc = p.documents.add("Resident 01", _parsed(INTERVIEW_1))
    code = p.codebook.add("Stress").value
    where = span(INTERVIEW_1, "Honestly 😅 terrible")
    p.set_coder("Ana")
    p.codings.apply(doc.id, code.id, *where)
    p.set_coder("Bo")
    p.codings.apply(doc.id, code.id, *where)
    out = tmp_path / "two.qdpx"
    export_file(p, out)
    fresh = new_project("again.qcdesk")
    import_file(fresh, out)
    assert _codings(fresh) == [("Stress", *where, "Ana"), ("Stress", *where, "Bo")]


def test_own_package_is_read_in_code_points_even_where_utf16_looks_likelier(tmp_path, new_project):
    """qcdesk writes code points; its own package is not guessed at. Here a coding that ends inside a
    word right after an emoji reads as a neater selection one place earlier in UTF-16 units, and the
    guess dropped the coding's last character."""
    text = "x😅yz and more 😅ab cd"
    p = new_project("emoji.qcdesk")
    doc = p.documents.add("Resident 01", _parsed(text))
    code = p.codebook.add("Stress").value
    p.codings.apply(doc.id, code.id, 0, 3)
    p.codings.apply(doc.id, code.id, 14, 17)
    out = tmp_path / "emoji.qdpx"
    export_file(p, out)
    fresh = new_project("again.qcdesk")
    report = import_file(fresh, out)
    assert [text[s:e] for _, s, e, _ in _codings(fresh)] == ["x😅y", "😅ab"]
    assert "REFI-QDA standard" in report.position_scheme


def test_search_coding_records_the_coder_the_audit_names(tmp_path):
    from qcdesk.core.project import Project
    from qcdesk.core.search import code_hits, search

    path = tmp_path / "s.qcdesk"
    with empty_project(path) as p:
        p.documents.add("Resident 01", _parsed(INTERVIEW_1))
        p.codebook.add("Handover")
        p.set_coder("Amira")
    with Project.open(path) as p:  # a later session (the command line) that chose no coder
        made = code_hits(p, search(p, "handover"), p.codes()[0].id).value
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


# ----------------------------------------------------------------- descriptions, notes and annotations


def _second_client(tmp_path, name="second.qdpx"):
    """A package in another client's conventions: plainTextPath naming the file, ``+00:00Z`` dates,
    memos in <Description>, an annotation (a note on a passage no code covers)."""
    s = TEXT.index("My supervisor listened.")
    r = TEXT.index("the rota changed")
    src = (f'<TextSource guid="{_g(1)}" plainTextPath="Interview Rita.txt" creatingUser="{U1}" '
           f'creationDateTime="2021-05-04T10:11:12+00:00Z"><Description>Recorded at home.  \n</Description>'
           f'<PlainTextSelection guid="{_g(2)}" startPosition="{s}" endPosition="{s + 23}" '
           f'creationDateTime="2021-05-05T09:00:00+00:00Z">'
           f'<Description>Listening as support.</Description>'
           f'<Coding guid="{_g(3)}" creatingUser="{U1}"><CodeRef targetGUID="{C1}"/></Coding>'
           f'<Coding guid="{_g(4)}" creatingUser="{U2}" creationDateTime="not a date">'
           f'<CodeRef targetGUID="{C1}"/></Coding></PlainTextSelection>'
           f'<PlainTextSelection guid="{_g(5)}" startPosition="{r}" endPosition="{r + 16}">'
           f'<NoteRef targetGUID="{_g(6)}"/></PlainTextSelection></TextSource>')
    notes = (f'<Note guid="{_g(6)}" name="Annotation" creatingUser="{U2}">'
             f'<PlainTextContent>Rota again: check the other interviews.</PlainTextContent></Note>')
    codes = (f'<CodeBook><Codes><Code guid="{C2}" name="Themes" isCodable="false">'
             f'<Description>Only groups.\n\n</Description>'
             f'<Code guid="{C1}" name="Support" isCodable="true"/></Code></Codes></CodeBook>')
    qde = _project(src, codes=codes, notes=notes, extra="<Description>A study of rotas. </Description>")
    return make_qdpx(tmp_path / name, {"project.qde": qde, "sources/Interview Rita.txt": TEXT})


def _memos(p):
    texts = {d.id: p.document_text(d.id) for d in p.documents()}
    anchors = ex_sql.memo_anchors(p.db)
    out = []
    for m in ex_sql.all_memos(p.db):
        if m.coding_id:
            c = p.coding(m.coding_id)
            where = ("segment", texts[c.document_id][c.start:c.end])
        elif m.document_id and m.id in anchors:
            a, b = anchors[m.id]
            where = ("annotation", texts[m.document_id][a:b])
        elif m.document_id:
            where = ("document", p.document(m.document_id).name)
        elif m.code_id:
            where = ("code", p.code(m.code_id).name)
        else:
            where = ("project", None)
        out.append((where, m.title, m.body))
    return sorted(out, key=repr)


SECOND_CLIENT_MEMOS = sorted([
    (("document", "Interview Rita"), "Description", "Recorded at home.  \n"),
    (("segment", "My supervisor listened."), "Description", "Listening as support."),
    (("annotation", "the rota changed"), "Annotation", "Rota again: check the other interviews."),
    (("project", None), "Description", "A study of rotas. "),
], key=repr)


def test_second_client_conventions_are_read_without_loss(tmp_path, new_project):
    p = new_project()
    report = import_file(p, _second_client(tmp_path))
    [doc] = p.documents()
    assert doc.name == "Interview Rita"
    assert _memos(p) == SECOND_CLIENT_MEMOS
    assert ex_sql.document_origins(p.db)[doc.id][0] == "2021-05-04T10:11:12+00:00"
    coders = {c.id: c.name for c in p.coders()}
    assert ex_sql.document_origins(p.db)[doc.id][1] in coders and \
        coders[ex_sql.document_origins(p.db)[doc.id][1]] == "Rita"
    # Rita's coding has the selection's date; Sam's invalid date is reported and left unknown
    dates = {coders[c.coder_id]: c.created for c in p.codings_for_document(doc.id)}
    assert dates == {"Rita": "2021-05-05T09:00:00+00:00", "Sam": ""}
    assert any("“not a date”" in w for w in report.warnings)
    assert report.unmapped == {"unreadable dates": 1}
    assert "Could not be mapped: 1 unreadable dates." in report.text()
    themes = next(c for c in p.codes() if c.name == "Themes")
    assert not themes.codable and themes.description == "Only groups.\n\n"
    assert all(c.codable for c in p.codes() if c.name != "Themes")


def test_second_client_round_trip_writes_descriptions_and_annotations_back(tmp_path, new_project,
                                                                          project_schema):
    p = new_project()
    import_file(p, _second_client(tmp_path))
    out = tmp_path / "back.qdpx"
    export_file(p, out)
    root = _qde(out)
    assert project_schema.validate(root), project_schema.error_log
    assert root.findtext("q:Description", namespaces=NS) == "A study of rotas. "
    src = root.find(".//q:TextSource", NS)
    assert src.get("creationDateTime") == "2021-05-04T10:11:12+00:00"
    assert src.findtext("q:Description", namespaces=NS) == "Recorded at home.  \n"
    sels = src.findall("q:PlainTextSelection", NS)
    assert [TEXT[int(s.get("startPosition")):int(s.get("endPosition"))] for s in sels] == \
        ["My supervisor listened.", "the rota changed"]
    assert sels[0].findtext("q:Description", namespaces=NS) == "Listening as support."
    codings = sels[0].findall("q:Coding", NS)
    assert [c.get("creationDateTime") for c in codings] == ["2021-05-05T09:00:00+00:00", None]
    assert sels[1].findall("q:Coding", NS) == [] and len(sels[1].findall("q:NoteRef", NS)) == 1
    assert root.find(".//q:Code[@name='Themes']", NS).get("isCodable") == "false"
    fresh = new_project("fresh.qcdesk")
    import_file(fresh, out)
    assert _memos(fresh) == SECOND_CLIENT_MEMOS
    assert _codings(fresh) == _codings(p)
    assert [(c.name, c.codable, c.description) for c in fresh.codes()] == \
        [(c.name, c.codable, c.description) for c in p.codes()]


def test_grouping_code_is_not_applied(tmp_path, new_project):
    from qcdesk.core.search import code_hits, search

    p = new_project()
    import_file(p, _second_client(tmp_path))
    themes = next(c for c in p.codes() if c.name == "Themes")
    doc = p.documents()[0]
    with pytest.raises(OperationError, match="groups other codes"):
        p.codings.apply(doc.id, themes.id, 0, 5)
    with pytest.raises(OperationError, match="groups other codes"):
        code_hits(p, search(p, "rota"), themes.id)
    assert len(p.codings_for_document(doc.id)) == 2


def test_report_counts_what_could_not_be_mapped(tmp_path, new_project):
    src = (f'<TextSource guid="{_g(1)}" name="I" plainTextPath="internal://{_g(1)}.txt">'
           f'<PlainTextSelection guid="{_g(2)}" startPosition="0" endPosition="2">'
           f'<Coding guid="{_g(3)}"><CodeRef targetGUID="{_g(99)}"/></Coding></PlainTextSelection>'
           f'<PlainTextSelection guid="{_g(4)}" startPosition="0" endPosition="9999">'
           f'<Coding guid="{_g(5)}"><CodeRef targetGUID="{C1}"/></Coding></PlainTextSelection></TextSource>'
           f'<PictureSource guid="{_g(6)}" name="Photo" path="internal://{_g(6)}.jpg"/>'
           f'<PictureSource guid="{_g(7)}" name="Photo 2" path="internal://{_g(7)}.jpg"/>')
    extra = (f'<Links><Link guid="{_g(8)}" originGUID="{C1}" targetGUID="{C2}"/></Links>')
    p = new_project()
    report = import_file(p, _qdpx(tmp_path, _project(src, extra=extra), {_g(1): TEXT}))
    assert report.unmapped == {"links": 1, "picture sources": 2, "codings of unknown codes": 1,
                               "selections outside the text": 1}
    assert "Could not be mapped: 1 codings of unknown codes, 1 links, 2 picture sources, " \
           "1 selections outside the text." in report.text()


def test_an_annotation_is_labelled_with_its_passage(tmp_path, new_project):

    p = new_project()
    import_file(p, _second_client(tmp_path))
    labels = sorted(p.memos.target_label(m) for m in p.memos.all())
    assert labels == ["Coded segment: Support in Interview Rita", "Document: Interview Rita",
                      "Passage of Interview Rita: “the rota changed”", "Project journal"]


def test_an_annotation_stays_on_its_words_when_the_text_is_edited(tmp_path, new_project):
    from qcdesk.core.textedit import replace_spans, restore_text

    p = new_project()
    import_file(p, _second_client(tmp_path))
    [doc] = p.documents()
    where = TEXT.index("My supervisor")
    snapshot = replace_spans(p, doc.id, [(where, where + 2, "Our")])  # pseudonymise a word before it
    text = p.document_text(doc.id)
    assert [text[a:b] for a, b in ex_sql.memo_anchors(p.db).values()] == ["the rota changed"]
    restore_text(p, snapshot)
    assert [TEXT[a:b] for a, b in ex_sql.memo_anchors(p.db).values()] == ["the rota changed"]


def test_codebook_export_keeps_grouping_codes(tmp_path, new_project, codebook_schema):
    p = new_project()
    import_file(p, _second_client(tmp_path))
    export_file(p, tmp_path / "codes.qdc")
    root = etree.parse(str(tmp_path / "codes.qdc")).getroot()
    assert codebook_schema.validate(root), codebook_schema.error_log
    ns = {"c": "urn:QDA-XML:codebook:1.0"}
    assert [(c.get("name"), c.get("isCodable")) for c in root.iter("{urn:QDA-XML:codebook:1.0}Code")] == \
        [("Themes", "false"), ("Support", "true")]
    assert root.findtext(".//c:Code[@name='Themes']/c:Description", namespaces=ns) == "Only groups.\n\n"
    fresh = new_project("fresh.qcdesk")
    import_file(fresh, tmp_path / "codes.qdc")
    assert [(c.name, c.codable) for c in fresh.codes()] == [("Themes", False), ("Support", True)]
