"""Round-trip property: a random project, exported to .qdpx and imported into a new project, comes
back with every document, code (and whether it only groups), coding with its coder and date, memo on
the same target (annotations on the same words), case and attribute value (issue 15), and the
sync points of a transcript with a recording (issue 18)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from media_files import tone_wav  # noqa: E402

from qcdesk.core import timing  # noqa: E402
from qcdesk.core.importers.base import ParsedDocument  # noqa: E402
from qcdesk.core.interchange import export_file, import_file  # noqa: E402
from qcdesk.core.interchange.refi_import import DESCRIPTION_TITLE  # noqa: E402
from qcdesk.core.project import Project  # noqa: E402
from qcdesk.core.storage import interchange as ex_sql  # noqa: E402
from builders import empty_project

pytestmark = pytest.mark.core

# letters, accents, an emoji beyond the BMP, right-to-left script, punctuation, line ends
TEXT_CHARS = st.sampled_from(list("abc xyz éü 😅 مرحبا .,;:!?\n\t-—'\"<>&"))
texts = st.text(TEXT_CHARS, min_size=0, max_size=60)
words = st.text(st.sampled_from(list("abcdefgh éü😅 <&>\"'-")), min_size=1, max_size=12).filter(lambda w: w.strip())
bodies = st.text(st.sampled_from(list("memo text é😅 <&>\n \t")), min_size=0, max_size=30)


@st.composite
def projects(draw):
    pool = draw(st.lists(texts, min_size=1, max_size=3))
    docs = [draw(st.sampled_from(pool)) for _ in range(draw(st.integers(1, 4)))]  # texts may repeat
    codes = []
    for i in range(draw(st.integers(1, 4))):
        parent = draw(st.none() | st.integers(0, i - 1)) if i else None
        codes.append((f"{draw(words)} {i}", parent, draw(bodies), draw(st.booleans())))
    coders = draw(st.lists(st.sampled_from(["Ana", "Bo", "Chen"]), min_size=1, max_size=3, unique=True))
    codings = []
    for _ in range(draw(st.integers(0, 8))):
        d = draw(st.integers(0, len(docs) - 1))
        if len(docs[d]) < 1:
            continue
        start = draw(st.integers(0, len(docs[d]) - 1))
        end = draw(st.integers(start + 1, len(docs[d])))
        codings.append((d, draw(st.integers(0, len(codes) - 1)), start, end, draw(st.sampled_from(coders))))
    memos = draw(st.lists(st.tuples(st.sampled_from(["project", "document", "code", "coding", "annotation"]),
                                    st.integers(0, 50), st.sampled_from(["", "Note", DESCRIPTION_TITLE]),
                                    bodies), max_size=6))
    cases = draw(st.lists(st.tuples(words, st.none() | st.integers(0, 50), st.none() | words), max_size=3,
                          unique_by=lambda c: c[0].strip()))
    # transcripts with a recording: sync points at distinct positions, times in whole milliseconds
    timed = {}
    for d in draw(st.sets(st.integers(0, len(docs) - 1), max_size=2)):
        if docs[d]:
            positions = draw(st.sets(st.integers(0, len(docs[d])), min_size=1, max_size=5))
            timed[d] = [(pos, draw(st.integers(0, 10_000_000)) / 1000) for pos in sorted(positions)]
    return docs, codes, coders, codings, memos, cases, timed


def build(path: Path, spec) -> Project:
    docs, codes, coders, codings, memos, cases, timed = spec
    p = empty_project(path)
    doc_ids = [p.documents.add(f"Doc {i}", ParsedDocument(text=t, source_format="txt")).id
               for i, t in enumerate(docs)]
    for d, points in timed.items():
        p.media.attach(doc_ids[d], tone_wav(path.with_name(f"doc{d}.wav"), 0.05, freq=200 + d))
        p.documents.add_sync_points(doc_ids[d], points)
    code_ids: list[int] = []
    for name, parent, description, _codable in codes:
        code_ids.append(p.codebook.add(name, parent_id=code_ids[parent] if parent is not None else None,
                                   description=description).value.id)
    coding_ids = []
    for d, c, start, end, coder in codings:
        p.set_coder(coder)
        with p.action():
            ex_sql.set_code_codable(p.db, code_ids[c], True)
        coding_ids.append(p.codings.apply(doc_ids[d], code_ids[c], start, end).value.id)
    with p.action():
        for cid, (_n, _p, _d, codable) in zip(code_ids, codes):
            ex_sql.set_code_codable(p.db, cid, codable)
        for kind, n, title, body in memos:
            row = {"title": title, "body": body, "created": "2024-03-01T10:00:00+00:00",
                   "modified": "2024-03-02T10:00:00+00:00"}
            if kind == "document":
                row["document_id"] = doc_ids[n % len(doc_ids)]
            elif kind == "code":
                row["code_id"] = code_ids[n % len(code_ids)]
            elif kind == "coding" and coding_ids:
                row["coding_id"] = coding_ids[n % len(coding_ids)]
            elif kind == "annotation":
                d = n % len(doc_ids)
                if not docs[d]:
                    continue
                start = n % len(docs[d])
                row.update(document_id=doc_ids[d], anchor_start=start, anchor_end=len(docs[d]))
            elif kind != "project":
                continue
            ex_sql.insert_memo(p.db, row)
        attr = ex_sql.insert_attribute(p.db, "Role", "text", []) if cases else None
        for name, d, value in cases:
            case = ex_sql.insert_case(p.db, name.strip(), "")
            if d is not None:
                ex_sql.link_case_document(p.db, case, doc_ids[d % len(doc_ids)])
            if value is not None:
                ex_sql.set_case_value(p.db, case, attr, value)
    return p


def state(p: Project) -> dict:
    coders = {c.id: c.name for c in p.coders()}
    names = {d.id: d.name for d in p.documents()}
    texts = {d.id: p.document_text(d.id) for d in p.documents()}
    paths = {c.id: " / ".join(p.code_path(c.id)) for c in p.codes()}
    codings = {c.id: (names[c.document_id], paths[c.code_id], c.start, c.end, coders.get(c.coder_id), c.created)
               for d in names for c in p.codings_for_document(d)}
    anchors = ex_sql.memo_anchors(p.db)
    memos = []
    for m in ex_sql.all_memos(p.db):
        target = (("coding", codings[m.coding_id]) if m.coding_id else
                  ("annotation", names[m.document_id], anchors[m.id]) if m.id in anchors else
                  ("document", names[m.document_id]) if m.document_id else
                  ("code", paths[m.code_id]) if m.code_id else ("project",))
        memos.append((target, m.title, m.body))
    values = ex_sql.case_values(p.db)
    links = ex_sql.case_documents(p.db)
    return {
        "documents": sorted((names[d], texts[d]) for d in names),
        "codes": sorted((paths[c.id], c.description, c.codable, c.color) for c in p.codes()),
        "times": sorted((names[d], tuple(timing.time_points(p, d))) for d in names),
        "codings": sorted(codings.values(), key=repr),
        "memos": sorted(memos, key=repr),
        "cases": sorted((c.name, c.description, tuple(sorted(values.get(c.id, {}).values(), key=repr)),
                         tuple(sorted(names[d] for d in links.get(c.id, []))))
                        for c in ex_sql.all_cases(p.db)),
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_export_then_import_gives_the_same_project(spec):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with build(folder / "a.qcdesk", spec) as original:
            export_file(original, folder / "a.qdpx")
            expected = state(original)
            # its own export read back into it: everything matches, nothing is added
            itself = import_file(original, folder / "a.qdpx")
            assert not any(itself.added.values()), itself.text()
            assert state(original) == expected
        with empty_project(folder / "b.qcdesk") as copy:
            report = import_file(copy, folder / "a.qdpx")
            assert report.unmapped == {}, report.text()
            assert state(copy) == expected
            # and importing it again adds nothing
            again = import_file(copy, folder / "a.qdpx")
            assert not any(again.added.values()), again.text()
            assert state(copy) == expected


def second_client(package: Path, out: Path) -> Path:
    """The package rewritten in another client's conventions: dates ending ``+00:00Z``, sources without
    a ``name`` whose ``plainTextPath`` is the bare file name (the document's name), in ``Sources/``."""
    import re
    import zipfile

    with zipfile.ZipFile(package) as zf:
        qde = zf.read("project.qde").decode("utf-8")
        texts = {n: zf.read(n) for n in zf.namelist() if n.startswith("sources/")}
    renamed = {}

    def source(match: re.Match) -> str:
        tag = match.group(0)
        name = re.search(r' name="([^"]*)"', tag).group(1)
        guid = re.search(r' guid="([^"]*)"', tag).group(1)
        renamed[f"sources/{guid}.txt"] = f"Sources/{name}.txt"
        tag = re.sub(r' name="[^"]*"', "", tag)
        return tag.replace(f'plainTextPath="internal://{guid}.txt"', f'plainTextPath="{name}.txt"')

    qde = re.sub(r"<TextSource [^>]*>", source, qde)
    for old, new in renamed.items():  # a recording's transcript names the same text file
        guid_path = "internal://" + old.removeprefix("sources/")
        qde = qde.replace(f'plainTextPath="{guid_path}"', f'plainTextPath="{new.removeprefix("Sources/")}"')
    qde = re.sub(r'(DateTime="[^"]*)\+00:00"', r'\1+00:00Z"', qde)
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("project.qde", qde)
        for old, data in texts.items():
            zf.writestr(renamed.get(old, old), data)  # a recording keeps its name
    return out


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(projects())
def test_a_second_clients_conventions_give_the_same_project(spec):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with build(folder / "a.qcdesk", spec) as original:
            export_file(original, folder / "a.qdpx")
            expected = state(original)
        other = second_client(folder / "a.qdpx", folder / "other.qdpx")
        with empty_project(folder / "b.qcdesk") as copy:
            report = import_file(copy, other)
            assert report.unmapped == {} and report.warnings == [], report.text()
            assert state(copy) == expected
