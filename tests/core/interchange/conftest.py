"""Fixtures for REFI-QDA exchange tests: the corpus, the schemas, a rich project, package builders."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.models import Block, SpeakerTurn
from qcdesk.core.project import Project
from qcdesk.core.storage import interchange as ex_sql

NVIVO = "nvivo12_oltas0517.qdpx"

#: two interviews with CRLF-free text, an emoji beyond the BMP and accents
INTERVIEW_1 = ("Interviewer: How did the first night shift go?\n\n"
               "Resident: Honestly 😅 terrible. Nobody told me where the crash cart was.\n\n"
               "Interviewer: And the handover?\n\n"
               "Resident: The registrar was kind — she walked me through every patient.")
INTERVIEW_2 = ("Entrevistadora: ¿Qué le ayudó más?\n\n"
               "Participante: El apoyo de mis compañeros, sin duda. Y dormir. 🛏️ Dormir bien.")


@pytest.fixture
def nvivo(corpus) -> Path:
    path = corpus / NVIVO
    if not path.exists():
        pytest.skip(f"{NVIVO} is not in the shared corpus")
    return path


def _schema(corpus: Path, name: str) -> etree.XMLSchema:
    path = corpus / name
    if not path.exists():
        pytest.skip(f"{name} is not in the shared corpus")
    return etree.XMLSchema(etree.parse(str(path)))


@pytest.fixture
def project_schema(corpus) -> etree.XMLSchema:
    return _schema(corpus, "Project.xsd")


@pytest.fixture
def codebook_schema(corpus) -> etree.XMLSchema:
    return _schema(corpus, "Codebook.xsd")


def _parsed(text: str) -> ParsedDocument:
    blocks, turns, pos = [], [], 0
    for para in text.split("\n\n"):
        blocks.append(Block("paragraph", pos, pos + len(para)))
        speaker = para.split(":", 1)[0]
        turns.append(SpeakerTurn(speaker, pos, pos + len(para)))
        pos += len(para) + 2
    return ParsedDocument(text=text, source_format="txt", blocks=blocks, turns=turns)


def span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


@pytest.fixture
def rich_project(new_project) -> Project:
    """Two documents, a three-level codebook with colours and descriptions, codings by two coders
    (two codes on one range), memos on a code, a document, a coding and the project, and two cases
    with attributes."""
    p = new_project("rich.qcdesk")
    d1 = p.documents.add("Resident 01", _parsed(INTERVIEW_1), source_name="resident01.docx")
    d2 = p.documents.add("Residente 02", _parsed(INTERVIEW_2), source_name="residente02.txt")
    support = p.codebook.add("Support", color="#58d68d", description="Help from others at work.").value
    peers = p.codebook.add("Peers", parent_id=support.id, color="#5dade2",
                       description="Fellow residents & nurses <in the unit>.").value
    seniors = p.codebook.add("Seniors", parent_id=support.id, color="#bb8fce").value
    kind = p.codebook.add("Kind seniors", parent_id=seniors.id, color="#f1948a").value
    stress = p.codebook.add("Stress", color="#ec7063", description="").value
    p.set_coder("Ana")
    c1 = p.codings.apply(d1.id, stress.id, *span(INTERVIEW_1, "Honestly 😅 terrible")).value
    p.codings.apply(d1.id, kind.id, *span(INTERVIEW_1, "The registrar was kind — she walked me through every patient."))
    p.set_coder("Bo")
    p.codings.apply(d1.id, seniors.id, *span(INTERVIEW_1, "The registrar was kind — she walked me through every patient."))
    p.codings.apply(d2.id, peers.id, *span(INTERVIEW_2, "El apoyo de mis compañeros"))
    p.codings.apply(d2.id, stress.id, *span(INTERVIEW_2, "🛏️ Dormir bien."))
    with p.action():
        ana = ex_sql.coder_id(p.db, "Ana", "2024-01-01T00:00:00+00:00")
        for row in (
            {"title": "Definition", "body": "Only support that was asked for.", "code_id": support.id},
            {"title": "Context", "body": "Interviewed after\nher first month.", "document_id": d1.id},
            {"title": "", "body": "Humour as coping?", "coding_id": c1.id, "coder_id": ana},
            {"title": "Project memo", "body": "Saturation reached at interview 2."},
        ):
            ex_sql.insert_memo(p.db, {"created": "2024-03-01T10:00:00+00:00",
                                      "modified": "2024-03-02T10:00:00+00:00", **row})
        site = ex_sql.insert_attribute(p.db, "Site", "choice", ["North", "South"])
        years = ex_sql.insert_attribute(p.db, "Years in training", "number", [])
        started = ex_sql.insert_attribute(p.db, "Started", "date", [])
        r1 = ex_sql.insert_case(p.db, "R01", "First-year resident")
        r2 = ex_sql.insert_case(p.db, "R02", "")
        ex_sql.link_case_document(p.db, r1, d1.id)
        ex_sql.link_case_document(p.db, r2, d2.id)
        for case, attr, value in ((r1, site, "North"), (r1, years, "1"), (r1, started, "2023-08-01"),
                                  (r2, site, "South"), (r2, years, "2.5")):
            ex_sql.set_case_value(p.db, case, attr, value)
    return p


def snapshot(p: Project) -> dict:
    """What a researcher would compare: texts, the code tree, codings with coders, memos, cases."""
    coders = {c.id: c.name for c in p.coders()}
    docs = {}
    for d in p.documents():
        text = p.document_text(d.id)
        docs[d.name] = {
            "text": text,
            "codings": sorted((" / ".join(p.code_path(c.code_id)), c.start, c.end, coders.get(c.coder_id),
                               text[c.start:c.end]) for c in p.codings_for_document(d.id)),
        }
    codes = [(" / ".join(p.code_path(c.id)), depth, c.color, c.description)
             for c, depth in p.codes_in_tree_order()]
    code_names = {c.id: " / ".join(p.code_path(c.id)) for c in p.codes()}
    doc_names = {d.id: d.name for d in p.documents()}
    memos = sorted(
        (m.title, m.body, code_names.get(m.code_id), doc_names.get(m.document_id),
         (p.coding(m.coding_id).start if m.coding_id else None))
        for m in ex_sql.all_memos(p.db))
    attrs = {a.id: (a.name, a.value_type, a.choices) for a in ex_sql.all_attributes(p.db)}
    values = ex_sql.case_values(p.db)
    links = ex_sql.case_documents(p.db)
    cases = sorted(
        (c.name, c.description, tuple(sorted((attrs[a][0], v) for a, v in values.get(c.id, {}).items())),
         tuple(sorted(doc_names[d] for d in links.get(c.id, []))))
        for c in ex_sql.all_cases(p.db))
    return {"documents": docs, "codes": codes, "memos": memos, "attributes": sorted(attrs.values()),
            "cases": cases}


def make_qdpx(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path
