"""Writing a project as REFI-QDA: the whole project (``.qdpx``) or its codebook (``.qdc``).

The output follows the REFI-QDA 1.0 schemas: code-point positions over UTF-8
texts in ``sources/<GUID>.txt``, one ``PlainTextSelection`` per coded range with a
``Coding`` per code, memos as ``Notes`` referenced from what they are about,
cases with their attributes as ``Cases`` and ``Variables``. Nothing names the
author's machine: no ``basePath``, no folder in any path. GUIDs are those the
items came with when they were imported, otherwise derived from the project, so
exporting twice gives the same ids. The file appears only once it is complete.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import IO

from lxml import etree

from qcdesk import __version__
from qcdesk.core.errors import ExportFailed
from qcdesk.core.interchange import refi_media, refi_sets
from qcdesk.core.interchange import xml_names as xn
from qcdesk.core.interchange.refi_import import CHOICES_PREFIX, DESCRIPTION_TITLE, SOURCE_FORMAT
from qcdesk.core.interchange.report import InterchangeReport
from qcdesk.core.models import Code, Memo
from qcdesk.core.project import Project
from qcdesk.core.storage import interchange as ex_sql

_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_VAR_TYPES = {"text": "Text", "number": "Float", "date": "Date", "choice": "Text"}
SELECTION_NAME_LENGTH = 60


#: kinds of item whose GUID is asked for once, when the item is written
_ONCE = frozenset({"selection", "coding"})


class _Ids:
    """GUIDs for local items: the one they were imported with, else a stable derived one."""

    def __init__(self, project: Project):
        self.seed = project.info("created") or "qcdesk"
        self.stored = {kind: ex_sql.guids(project.db, kind) for kind in ("code", "document")}
        self.used: set[str] = set()
        self.cache: dict[tuple[str, object], str] = {}

    def __call__(self, kind: str, local: object) -> str:
        key = (kind, local)
        if key not in self.cache:
            guid = self.stored.get(kind, {}).get(local)  # type: ignore[call-overload]
            if not xn.is_guid(guid) or xn.norm_guid(guid) in self.used:
                guid = xn.stable_guid(self.seed, kind, local)
            guid = xn.norm_guid(guid)
            self.used.add(guid)
            if kind in _ONCE:
                return guid  # asked for once: not kept (a large project has hundreds of thousands)
            self.cache[key] = guid
        return self.cache[key]


def _q(name: str, ns: str = xn.PROJECT_NS) -> str:
    return f"{{{ns}}}{name}"


def _sub(parent: etree._Element, _tag: str, _ns: str = xn.PROJECT_NS, /, **attrs: str | None) -> etree._Element:
    elem = etree.SubElement(parent, _q(_tag, _ns))
    for key, value in attrs.items():
        if value is not None:
            elem.set(key, value)
    return elem


def _text(parent: etree._Element, name: str, text: str, ns: str = xn.PROJECT_NS) -> None:
    _sub(parent, name, ns).text = _xml_safe(text)


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot hold most control characters; they are dropped from names and notes."""
    return _XML_BAD.sub("", text)


def _when(value: str | None) -> str | None:
    return value if value and _DATETIME.match(value) else None


def _code_tree(project: Project) -> dict[int | None, list[Code]]:
    by_parent: dict[int | None, list[Code]] = defaultdict(list)
    for code in project.codes():
        by_parent[code.parent_id].append(code)
    return by_parent


def _codes(parent: etree._Element, project: Project, ids: _Ids, ns: str, report: InterchangeReport,
           code_notes: dict[int, list[str]] | None = None) -> None:
    tree = _code_tree(project)
    if not tree.get(None):
        return
    codes_elem = _sub(parent, "Codes", ns)

    def write(into: etree._Element, code: Code) -> None:
        elem = _sub(into, "Code", ns, guid=ids("code", code.id), name=_xml_safe(code.name),
                    isCodable="true" if code.codable else "false", color=xn.color_or_none(code.color))
        if code.description:
            _text(elem, "Description", code.description, ns)
        for note in (code_notes or {}).get(code.id, []):
            _sub(elem, "NoteRef", ns, targetGUID=note)
        report.wrote("codes")
        for child in tree.get(code.id, []):
            write(elem, child)

    for code in tree[None]:
        write(codes_elem, code)


def codebook_xml(project: Project, report: InterchangeReport) -> etree._Element:
    ns = xn.CODEBOOK_NS
    root = etree.Element(_q("CodeBook", ns), nsmap={None: ns})
    root.set("origin", f"{xn.ORIGIN_PREFIX} {__version__}")
    ids = _Ids(project)
    _codes(root, project, ids, ns, report)
    if xn.child(root, "Codes") is None:
        _sub(root, "Codes", ns)  # an empty codebook: invalid by the schema, so it is refused below
    return root


class TextOf(int):
    """A file of the package that is the text of this document (read when the file is written)."""


#: stands in the tree for the ``<TextSource>`` elements written out as they are made (see
#: :func:`project_xml`); markup in names and notes is escaped, so these bytes can be nothing else
_SPILLED = "qcdesk text sources"
_SPILLED_LINE = f"    <!--{_SPILLED}-->\n".encode()


def project_xml(project: Project, report: InterchangeReport, spill: IO[bytes] | None = None
                ) -> tuple[etree._Element, dict[str, TextOf | int]]:
    """The ``project.qde`` tree and the files to store as ``sources/<name>``: the documents whose
    texts they are, and the ids of recordings (copied in pieces, :mod:`refi_media`).

    With ``spill``, each ``<TextSource>`` (a document with its coded selections: most of a large
    project) is written there as serialised XML as soon as it is made, and the tree holds a
    comment in their place; :func:`write_project_xml` puts them back."""
    ids = _Ids(project)
    root = etree.Element(_q("Project"), nsmap={None: xn.PROJECT_NS})
    root.set("name", _xml_safe(project.path.stem or "qcdesk project"))
    root.set("origin", f"{xn.ORIGIN_PREFIX} {__version__}")
    created = _when(project.info("created"))
    if created:
        root.set("creationDateTime", created)

    memos = ex_sql.all_memos(project.db)
    authors = ex_sql.memo_authors(project.db)
    anchors = ex_sql.memo_anchors(project.db)
    notes_for: dict[tuple[str, object], list[str]] = defaultdict(list)
    #: (target) -> the memo written as its <Description> (a memo titled "Description", as imported)
    described: dict[tuple[str, object], Memo] = {}
    for memo in memos:
        target: tuple[str, object] = ("code", memo.code_id) if memo.code_id else ("document", memo.document_id) \
            if memo.document_id else ("coding", memo.coding_id) if memo.coding_id else ("project", None)
        if target[0] == "document" and memo.id in anchors:
            anchor = anchors[memo.id]
            target = ("annotation", (memo.document_id, anchor.start, anchor.end))
        if memo.case_id:
            report.warn(f"The memo “{memo.title or memo.body[:30]}” on a case is written as a project note "
                        "(REFI-QDA cases cannot carry notes).", group="case memos")
        if memo.title == DESCRIPTION_TITLE and memo.body.strip() and target[0] != "code" \
                and target not in described and not memo.case_id:
            described[target] = memo
            continue
        notes_for[target].append(ids("memo", memo.id))
    written_as_description: set[int] = set()

    coders = {c.id: c.name for c in project.coders()}
    if coders:
        users = _sub(root, "Users")
        for cid, name in coders.items():
            _sub(users, "User", guid=ids("coder", cid), name=_xml_safe(name))
            report.wrote("coders")

    if project.codes():
        book = _sub(root, "CodeBook")
        code_notes = {k[1]: v for k, v in notes_for.items() if k[0] == "code"}
        _codes(book, project, ids, xn.PROJECT_NS, report, code_notes)  # type: ignore[arg-type]

    attributes = ex_sql.all_attributes(project.db)
    if attributes:
        variables = _sub(root, "Variables")
        for attr in attributes:
            var = _sub(variables, "Variable", guid=ids("attribute", attr.id), name=_xml_safe(attr.name),
                       typeOfVariable=_VAR_TYPES.get(attr.value_type, "Text"))
            if attr.value_type == "choice":
                _text(var, "Description", CHOICES_PREFIX + json.dumps(list(attr.choices), ensure_ascii=False))
            report.wrote("attributes")
    cases = ex_sql.all_cases(project.db)
    if cases:
        case_docs = ex_sql.case_documents(project.db)
        values = ex_sql.case_values(project.db)
        types = {a.id: a.value_type for a in attributes}
        cases_elem = _sub(root, "Cases")
        for case in cases:
            elem = _sub(cases_elem, "Case", guid=ids("case", case.id), name=_xml_safe(case.name))
            if case.description:
                _text(elem, "Description", case.description)
            for attr_id, value in sorted(values.get(case.id, {}).items()):
                if value is None or attr_id not in types:
                    continue
                vv = _sub(elem, "VariableValue")
                _sub(vv, "VariableRef", targetGUID=ids("attribute", attr_id))
                kind = types[attr_id]
                if kind == "number" and _NUMBER.match(value.strip()):
                    _text(vv, "FloatValue", value.strip())
                elif kind == "date" and _DATE.match(value.strip()):
                    _text(vv, "DateValue", value.strip())
                else:
                    _text(vv, "TextValue", value)
            for doc_id in case_docs.get(case.id, []):
                _sub(elem, "SourceRef", targetGUID=ids("document", doc_id))
            report.wrote("cases")

    files: dict[str, TextOf | int] = {}
    documents = project.documents()
    origins = ex_sql.document_origins(project.db)
    annotated: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for kind, key in notes_for.keys() | described.keys():
        if kind == "annotation":
            annotated[key[0]].add((key[1], key[2]))  # type: ignore[index]
    if documents:
        sources = _sub(root, "Sources")
        if spill is not None:
            sources.append(etree.Comment(_SPILLED))
        for doc in documents:
            if refi_media.media_only(project, doc.id, doc.char_count):
                continue  # a recording without transcript: a media source only (below)
            guid = ids("document", doc.id)
            text = project.document_text(doc.id)
            files[f"{guid}.txt"] = TextOf(doc.id)
            origin = origins.get(doc.id, ex_sql.NO_ORIGIN)
            created = origin.created
            if created is None and doc.source_format != SOURCE_FORMAT:
                created = doc.imported_at  # a document of qcdesk's own was created here when imported
            src = _sub(sources, "TextSource", guid=guid, name=_xml_safe(doc.name),
                       plainTextPath=f"internal://{guid}.txt",
                       creatingUser=ids("coder", origin.creator_id) if origin.creator_id in coders else None,
                       creationDateTime=_when(created))
            if ("document", doc.id) in described:
                _text(src, "Description", described[("document", doc.id)].body)
                written_as_description.add(described[("document", doc.id)].id)
            by_range: dict[tuple[int, int], list] = defaultdict(list)
            for coding in project.codings_for_document(doc.id):
                by_range[(coding.start, coding.end)].append(coding)
            # an annotation (a memo on a passage) is a selection of its own, without codings, even
            # where codings cover the same range: a reader gives notes on a coded selection to a coding
            items = [(where, False, codings) for where, codings in by_range.items()]
            items += [(where, True, []) for where in annotated.get(doc.id, ())]
            for (start, end), is_annotation, codings in sorted(items, key=lambda i: (i[0], i[1])):
                first = codings[0] if codings else None
                label = " ".join(text[start:end].split())
                if len(label) > SELECTION_NAME_LENGTH:
                    label = label[:SELECTION_NAME_LENGTH - 1] + "…"
                key = ("annotation", (doc.id, start, end))
                sel = _sub(src, "PlainTextSelection",
                           guid=ids("annotation" if is_annotation else "selection", (doc.id, start, end)),
                           name=_xml_safe(label), startPosition=str(start), endPosition=str(end),
                           creatingUser=ids("coder", first.coder_id) if first and first.coder_id in coders
                           else None,
                           creationDateTime=_when(first.created) if first else None)
                # the selection's Description: the annotation's, or its first coding's (a reader
                # gives a selection's Description to the first coding)
                description = (described.get(key) if is_annotation or first is None  # a coded range has codings
                               else described.get(("coding", first.id)))
                if description is not None:
                    _text(sel, "Description", description.body)
                    written_as_description.add(description.id)
                for coding in codings:
                    c = _sub(sel, "Coding", guid=ids("coding", coding.id),
                             creatingUser=ids("coder", coding.coder_id) if coding.coder_id in coders else None,
                             creationDateTime=_when(coding.created))
                    _sub(c, "CodeRef", targetGUID=ids("code", coding.code_id))
                    for note in notes_for.get(("coding", coding.id), []):
                        _sub(c, "NoteRef", targetGUID=note)
                    other = described.get(("coding", coding.id))
                    if other is not None and other is not description:  # the selection has one Description
                        _sub(c, "NoteRef", targetGUID=ids("memo", other.id))
                    report.wrote("codings")
                if is_annotation:
                    for note in notes_for.get(key, []):
                        _sub(sel, "NoteRef", targetGUID=note)
            for note in notes_for.get(("document", doc.id), []):
                _sub(src, "NoteRef", targetGUID=note)
            report.wrote("documents")
            if spill is not None:
                _spill(src, spill)
        # name -> media id; a recording without transcript carries its document's description and notes
        descriptions = {key[1]: memo for key, memo in described.items() if key[0] == "document"}
        doc_notes = {key[1]: refs for key, refs in notes_for.items() if key[0] == "document"}
        files.update(refi_media.write_sources(sources, project, ids, _sub, report, descriptions, doc_notes,
                                              written_as_description))

    project_description = described.get(("project", None))
    if project_description is not None:
        written_as_description.add(project_description.id)
    if written_as_description:
        report.wrote("memos", len(written_as_description))
    memos = [m for m in memos if m.id not in written_as_description]
    if memos:
        notes = _sub(root, "Notes")
        for memo in memos:
            author = authors.get(memo.id)
            note = _sub(notes, "Note", guid=ids("memo", memo.id), name=_xml_safe(memo.title) if memo.title else None,
                        creatingUser=ids("coder", author) if author in coders else None,
                        creationDateTime=_when(memo.created), modifiedDateTime=_when(memo.modified))
            _text(note, "PlainTextContent", memo.body)
            report.wrote("memos")
    # <Links>, <Sets> and <Graphs> belong here, before the project's own Description and NoteRefs
    if project_description is not None:
        _text(root, "Description", project_description.body)
    for note in notes_for.get(("project", None), []):
        _sub(root, "NoteRef", targetGUID=note)
    refi_sets.write_sets(root, project, ids, report)
    return root, files


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _spill(src: etree._Element, spill: IO[bytes]) -> None:
    """Write a ``<TextSource>`` as it stands in the pretty-printed project (two levels deep,
    the namespace declared by ``<Project>``) and take it out of the tree."""
    etree.indent(src, space="  ", level=2)
    xml = etree.tostring(src, encoding="utf-8", with_tail=False)
    declared = f'<TextSource xmlns="{xn.PROJECT_NS}"'.encode()
    if xml.startswith(declared):
        xml = b"<TextSource" + xml[len(declared):]
    spill.write(b"    " + xml + b"\n")
    src.getparent().remove(src)


def write_project_xml(root: etree._Element, spill: IO[bytes], out: IO[bytes]) -> None:
    """``project.qde`` into ``out``: the tree, with the ``<TextSource>`` elements spilled by
    :func:`project_xml` copied back in their place, in pieces."""
    xml = _serialise(root)
    at = xml.find(_SPILLED_LINE)
    if at < 0:
        out.write(xml)
        return
    out.write(xml[:at])
    spill.seek(0)
    shutil.copyfileobj(spill, out, 1 << 16)
    out.write(xml[at + len(_SPILLED_LINE):])


def _write_atomically(out: Path, write) -> None:
    """Write through a temporary file beside ``out`` so a failure never leaves half a file."""
    out = Path(out)
    if out.is_dir():
        raise ExportFailed(f"{out} is a folder; choose a file name to export to.")
    if not out.parent.exists():
        raise ExportFailed(f"The folder {out.parent} does not exist.")
    fd, tmp = tempfile.mkstemp(prefix=".qcdesk-export-", suffix=out.suffix, dir=out.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, out)
    except OSError as exc:
        raise ExportFailed(f"Could not write {out.name}: {exc.strerror or exc}. Nothing was written.") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def export_project_package(project: Project, out: str | Path) -> InterchangeReport:
    """Write the whole project as a REFI-QDA ``.qdpx`` package."""
    out = Path(out)
    report = InterchangeReport(path=out.name)

    def write(tmp: Path) -> None:
        # the documents' selections go to a temporary file as they are made, and each text is
        # read when its file is written: memory stays that of one document, whatever the project
        with tempfile.TemporaryFile(prefix=".qcdesk-export-", dir=tmp.parent) as spill:
            root, files = project_xml(project, report, spill)
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                with zf.open("project.qde", "w") as qde:
                    write_project_xml(root, spill, qde)
                del root
                for name, doc_id in files.items():
                    if isinstance(doc_id, TextOf):
                        zf.writestr(f"sources/{name}", project.document_text(doc_id).encode("utf-8"))
                refi_media.write_files(zf, project, {n: m for n, m in files.items()
                                                     if not isinstance(m, TextOf)})

    _write_atomically(out, write)
    return report.finish()


def export_codebook(project: Project, out: str | Path) -> InterchangeReport:
    """Write the code tree as a REFI-QDA ``.qdc`` codebook."""
    out = Path(out)
    report = InterchangeReport(path=out.name)
    if not project.codes():
        raise ExportFailed("The project has no codes yet, so there is no codebook to export.")
    xml = _serialise(codebook_xml(project, report))
    _write_atomically(out, lambda tmp: tmp.write_bytes(xml))
    return report.finish()
