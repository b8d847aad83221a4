"""Importing a REFI-QDA project (``.qdpx``) into an open project, as one action.

The file is read completely first (package, XML, texts, position scheme); only
then does one transaction add what the project lacks: coders, codes (matched by
GUID or name path), documents (matched by GUID or identical text), codings
(never twice), notes as memos, cases with their attributes. Anything in the file
qcdesk cannot hold or place is listed in the report.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

from qcdesk.core import coding_rules
from qcdesk.core.errors import ImportFailed
from qcdesk.core.importers.base import ParsedDocument
from qcdesk.core.interchange import refi_sets
from qcdesk.core.interchange import refi_media
from qcdesk.core.interchange import xml_names as xn
from qcdesk.core.interchange.codebook_import import CodeSpec, codes_from_xml, merge_codes, parse_xml
from qcdesk.core.interchange.package import Package
from qcdesk.core.interchange.positions import (
    CODE_POINTS,
    DESCRIPTIONS,
    PositionMap,
    Selection,
    detect_scheme,
)
from qcdesk.core.interchange.report import InterchangeReport
from qcdesk.core.models import Block
from qcdesk.core.project import Project
from qcdesk.core.storage import interchange as ex_sql
from qcdesk.core.storage import schema

SOURCE_FORMAT = "refi-qda"
#: the title of a memo made from (and exported back as) a ``<Description>``
DESCRIPTION_TITLE = "Description"
_TYPES = {"text": "text", "boolean": "choice", "integer": "number", "float": "number",
          "date": "date", "datetime": "text"}
_VALUE_TAGS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue")
CHOICES_PREFIX = "Choices: "


@dataclass
class CodingSpec:
    guid: str
    code: str
    user: str | None
    created: str | None
    notes: list[str] = field(default_factory=list)


@dataclass
class SelectionSpec:
    guid: str
    raw: Selection
    codings: list[CodingSpec]
    notes: list[str]
    user: str | None
    created: str | None
    description: str = ""


@dataclass
class SourceSpec:
    guid: str
    name: str
    positions: PositionMap
    selections: list[SelectionSpec]
    #: codings of the whole source
    codings: list[CodingSpec]
    notes: list[str]
    description: str = ""
    created: str | None = None
    user: str | None = None


@dataclass
class NoteSpec:
    guid: str
    name: str
    text: str
    user: str | None
    created: str | None
    modified: str | None


def _refs(elem: etree._Element, tag: str) -> list[str]:
    return [xn.norm_guid(r.get("targetGUID") or r.get("guid") or "") for r in xn.children(elem, tag)]


def _codings(elem: etree._Element) -> list[CodingSpec]:
    out = []
    for c in xn.children(elem, "Coding"):
        ref = xn.child(c, "CodeRef")
        target = (ref.get("targetGUID") or ref.get("guid") or "") if ref is not None else ""
        out.append(CodingSpec(guid=c.get("guid") or "", code=xn.norm_guid(target),
                              user=_user(c.get("creatingUser")), created=c.get("creationDateTime"),
                              notes=_refs(c, "NoteRef")))
    return out


def _user(value: str | None) -> str | None:
    return xn.norm_guid(value) if value else None


_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


def clean_datetime(value: str | None, report: InterchangeReport, what: str) -> str | None:
    """An xsd:dateTime as given (``+00:00Z``, written by some programs, read as ``+00:00``); None when
    the file gives none; None and a line in the report when it is not a date and time."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if re.search(r"[+-]\d{2}:\d{2}Z$", text):
        text = text[:-1]
    if _DATETIME.match(text):
        try:
            dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
            return text
        except ValueError:
            pass
    report.warn(f"The date “{value[:40]}” of {what} is not a date and time; it was left out (unknown).",
                group="unreadable dates")
    report.unmapped_item("unreadable dates")
    return None


def _name_from_path(ref: str | None) -> str:
    """The file name a ``plainTextPath`` gives, without folder or extension (``internal://x.txt`` -> x)."""
    if not ref:
        return ""
    ref = ref.strip()
    if ref.lower().startswith("internal://"):
        ref = ref[len("internal://"):]
    return PurePosixPath(ref.replace("\\", "/")).stem.strip()


def decode_text(path: Path, data: bytes, what: str) -> str:
    """The text of a source file: UTF-8 (the standard), or UTF-16 with a byte-order mark."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                break
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    raise ImportFailed(str(path), f"the text of {what} is not in a known encoding (REFI-QDA texts are "
                                  "UTF-8); nothing was imported")


class _Reader:
    """Reads the whole package into plain specs before anything touches the project."""

    def __init__(self, path: Path, report: InterchangeReport):
        self.path, self.report = path, report
        self.package = Package(path)
        try:
            info = self.package.project_member()
            self.root = parse_xml(path, self.package.read(info), f"project file {info.filename}")
            if xn.local(self.root.tag) != "Project":
                raise ImportFailed(str(path), f"{info.filename} is not a REFI-QDA project (its root "
                                              f"element is <{xn.local(self.root.tag)}>)")
            ns = xn.namespace(self.root.tag)
            if ns != xn.PROJECT_NS:
                report.warn(f"The project uses the namespace “{ns or 'none'}” instead of {xn.PROJECT_NS}; "
                            "it was read anyway.")
            self.origin = self.root.get("origin") or "another program"
            self.users = {xn.norm_guid(u.get("guid") or ""): (u.get("name") or u.get("id") or "").strip()
                          for u in self._section("Users", "User")}
            book = xn.child(self.root, "CodeBook")
            self.codes: list[CodeSpec] = codes_from_xml(xn.child(book, "Codes") if book is not None else None,
                                                        report)
            self.notes = {n.guid: n for n in (self._note(e) for e in self._section("Notes", "Note"))}
            self.sources = self._sources()
            self.project_notes = _refs(self.root, "NoteRef")
            self.description = xn.child_text(self.root, "Description")
            self.note_refs = {xn.norm_guid(e.get("targetGUID") or "") for e in self.root.iter()
                              if xn.local(e.tag) == "NoteRef"}
            self.variables = self._section("Variables", "Variable")
            self.cases = self._section("Cases", "Case")
            for section, item, what in (("Links", "Link", "link(s)"), ("Graphs", "Graph", "graph(s)")):
                n = len(self._section(section, item))
                if n:
                    report.warn(f"{n} {what} were not imported: qcdesk does not hold them.")
                    report.unmapped_item(what.replace("(s)", "s"), n)
        finally:
            self.package.close()

    def _section(self, section: str, item: str) -> list[etree._Element]:
        elem = xn.child(self.root, section)
        return xn.children(elem, item) if elem is not None else []

    def _text_of(self, elem: etree._Element, what: str) -> str | None:
        content = xn.child(elem, "PlainTextContent")
        if content is not None:
            return content.text or ""
        ref = elem.get("plainTextPath")
        if not ref:
            return None
        info = self.package.find_source(ref)
        if info is None:
            return None
        return decode_text(self.path, self.package.read(info), what)

    def _note(self, elem: etree._Element) -> NoteSpec:
        name = elem.get("name") or ""
        text = self._text_of(elem, f"the note “{name}”")
        if text is None:
            text = xn.child_text(elem, "Description")
        return NoteSpec(guid=xn.norm_guid(elem.get("guid") or ""), name=name,
                        text=text.replace("\r\n", "\n"), user=_user(elem.get("creatingUser")),
                        created=elem.get("creationDateTime"), modified=elem.get("modifiedDateTime"))

    def _sources(self) -> list[SourceSpec]:
        out: list[SourceSpec] = []
        skipped: dict[str, int] = {}
        text_paths = {refi_media.text_key(e.get("plainTextPath") or "") for e in self._all_sources()
                      if xn.local(e.tag) == "TextSource" and e.get("plainTextPath")}
        for elem in self._all_sources():
            kind = xn.local(elem.tag)
            if kind == "PDFSource":
                rep = xn.child(elem, "Representation")
                if xn.children(elem, "PDFSelection"):
                    self.report.unmapped_item("PDF area selections", len(xn.children(elem, "PDFSelection")))
                    self.report.warn(f"{len(xn.children(elem, 'PDFSelection'))} area selection(s) of the PDF "
                                     f"“{elem.get('name', '')}” were not imported (qcdesk codes text only).")
                if rep is None:
                    skipped["PDF"] = skipped.get("PDF", 0) + 1
                    continue
                if not rep.get("name"):
                    rep.set("name", elem.get("name") or "")
                elem = rep
            elif kind in ("AudioSource", "VideoSource"):
                # the recording itself is attached by refi_media once the documents are in; one
                # whose transcript is no text source here is a document of its own
                if refi_media.standalone(elem, text_paths):
                    out.append(self._media_source(elem))
                continue
            elif kind != "TextSource":
                label = kind.replace("Source", "").lower() or kind
                skipped[label] = skipped.get(label, 0) + 1
                continue
            spec = self._text_source(elem)
            if spec is not None:
                out.append(spec)
        for label, n in skipped.items():
            self.report.warn(f"{n} {label} source(s) were not imported: qcdesk holds text documents only.")
            self.report.unmapped_item(f"{label} sources", n)
        return out

    def _media_source(self, elem: etree._Element) -> SourceSpec:
        """A recording that is a document of its own: the text of its first transcript (if another
        program gave one), its description and notes (its time selections are coded by :mod:`refi_media`)."""
        name = (elem.get("name") or "").strip() or "Recording"
        text = ""
        transcripts = xn.children(elem, "Transcript")
        for transcript in transcripts:
            found = self._text_of(transcript, f"the transcript of “{name}”")
            if found:
                text = found
                break
        left_out = sum(len(xn.children(t, "TranscriptSelection")) for t in transcripts) + len(_codings(elem))
        if left_out:
            self.report.warn(f"{left_out} coding(s) of the recording “{name}” and its transcript were not "
                             "imported (qcdesk codes transcripts given as text sources).",
                             group="codings of recordings")
            self.report.unmapped_item("codings of recordings", left_out)
        return SourceSpec(guid=xn.norm_guid(elem.get("guid") or ""), name=name, positions=PositionMap(text),
                          selections=[], codings=[], notes=_refs(elem, "NoteRef"),
                          description=xn.child_text(elem, "Description"),
                          created=elem.get("creationDateTime"), user=_user(elem.get("creatingUser")))

    def _all_sources(self) -> list[etree._Element]:
        elem = xn.child(self.root, "Sources")
        return [c for c in elem if xn.local(c.tag)] if elem is not None else []

    def _text_source(self, elem: etree._Element) -> SourceSpec | None:
        name = (elem.get("name") or "").strip() or _name_from_path(elem.get("plainTextPath")) or "Untitled"
        text = self._text_of(elem, f"the document “{name}”")
        selections = xn.children(elem, "PlainTextSelection")
        if text is None:
            n = sum(len(xn.children(s, "Coding")) for s in selections)
            self.report.unmapped_item("sources without text")
            self.report.warn(f"The document “{name}” has no plain text in the package and was not imported"
                             + (f"; its {n} coding(s) were left out." if n else "."))
            return None
        sels = []
        for s in selections:
            try:
                raw = Selection(int(s.get("startPosition", "")), int(s.get("endPosition", "")),
                                s.get("name") or "")
            except ValueError:
                self.report.warn(f"A selection in “{name}” has no readable position and was left out.",
                                 group="selections without positions")
                self.report.unmapped_item("selections without positions")
                continue
            sels.append(SelectionSpec(guid=s.get("guid") or "", raw=raw, codings=_codings(s),
                                      notes=_refs(s, "NoteRef"), user=_user(s.get("creatingUser")),
                                      created=s.get("creationDateTime"),
                                      description=xn.child_text(s, "Description")))
        if xn.children(elem, "VariableValue"):
            self.report.unmapped_item("document attributes", len(xn.children(elem, "VariableValue")))
            self.report.warn(f"The attributes of the document “{name}” were not imported (qcdesk keeps "
                             "attributes on cases).", group="document attributes")
        return SourceSpec(guid=xn.norm_guid(elem.get("guid") or ""), name=name, positions=PositionMap(text),
                          selections=sels, codings=_codings(elem), notes=_refs(elem, "NoteRef"),
                          description=xn.child_text(elem, "Description"),
                          created=elem.get("creationDateTime"), user=_user(elem.get("creatingUser")))


def stable_documents(project: Project) -> dict[str, int]:
    """GUID -> document, for the GUIDs this project's own export derives for its documents."""
    seed = project.info("created") or "qcdesk"
    return {xn.norm_guid(xn.stable_guid(seed, "document", doc.id)): doc.id for doc in project.documents()}


def _paragraphs(text: str) -> list[Block]:
    blocks, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            blocks.append(Block("paragraph", pos, pos + len(line)))
        pos += len(line) + 1
    return blocks


class _Writer:
    """Puts what the reader found into the project, inside the caller's action."""

    def __init__(self, project: Project, reader: _Reader, report: InterchangeReport, scheme: str):
        self.project, self.db, self.r, self.report, self.scheme = project, project.db, reader, report, scheme
        self.coders: dict[str | None, int | None] = {None: None}
        self.now = schema.now()

    def coder(self, user: str | None) -> int | None:
        if user not in self.coders:
            name = self.r.users.get(user or "", "") or f"{self.r.origin} user {(user or '')[:8]}"
            existed = ex_sql.coder_names(self.db)
            cid = ex_sql.coder_id(self.db, name, self.now)
            if cid not in existed:
                self.report.add("coders")
            self.coders[user] = cid
        return self.coders[user]

    def memo(self, note_guid: str, target: str | None, target_id: int | None,
             anchor: tuple[int, int] | None = None) -> None:
        note = self.r.notes.get(note_guid)
        if note is None:
            self.report.warn(f"A reference to a missing note ({note_guid}) was ignored.", group="missing notes")
            self.report.unmapped_item("references to missing notes")
            return
        self.used_notes.add(note_guid)
        created = clean_datetime(note.created, self.report, f"the note “{note.name or note.text[:30]}”")
        modified = clean_datetime(note.modified, self.report, f"the note “{note.name or note.text[:30]}”")
        self._insert_memo(note.name, note.text, target, target_id, anchor, note.user, created, modified)

    def description(self, text: str, target: str | None, target_id: int | None,
                    anchor: tuple[int, int] | None = None) -> None:
        """A ``<Description>`` of the project, a source or a selection, kept as a memo titled
        :data:`DESCRIPTION_TITLE` (which export writes back as the ``<Description>``)."""
        if text.strip():
            self._insert_memo(DESCRIPTION_TITLE, text.replace("\r\n", "\n"), target, target_id, anchor,
                              None, None, None)

    def _insert_memo(self, title: str, body: str, target: str | None, target_id: int | None,
                     anchor: tuple[int, int] | None, user: str | None, created: str | None,
                     modified: str | None) -> None:
        # a memo already here matches one of the file's at most (two equal notes stay two)
        same = [m for m in ex_sql.memo_ids(self.db, body, target, target_id, anchor) if m not in self.memos_seen]
        if same:
            self.memos_seen.add(same[0])
            self.report.match("memos")
            return
        row = {"title": title, "body": body, "coder_id": self.coder(user) if user else None,
               "created": created or self.now, "modified": modified or created or self.now}
        if target:
            row[target] = target_id
        if anchor is not None:
            row["anchor_start"], row["anchor_end"] = anchor
        self.memos_seen.add(ex_sql.insert_memo(self.db, row))
        self.report.add("memos")

    def run(self, changes) -> None:
        self.used_notes: set[str] = set()
        self.claimed: set[int] = set()
        self.memos_seen: set[int] = set()
        self.known: coding_rules.Known = {}
        self.stable: dict[str, int] | None = None
        self.code_ids = code_ids = merge_codes(self.project, self.r.codes, self.report)
        if self.report.added.get("codes"):
            changes.codebook = True
        self._code_notes(self.r.codes, code_ids)
        self.docs = docs = dict[str, int]()
        for source in self.r.sources:
            doc_id = self._document(source, changes)
            docs[source.guid] = doc_id
            self._codings(source, doc_id, code_ids, changes)
            self.description(source.description, "document_id", doc_id)
            for note in source.notes:
                self.memo(note, "document_id", doc_id)
        self.sel_docs = {xn.norm_guid(sel.guid): docs[s.guid]
                         for s in self.r.sources for sel in s.selections if sel.guid}
        self.description(self.r.description, None, None)
        for note in self.r.project_notes:
            self.memo(note, None, None)
        for guid, spec in self.r.notes.items():
            if guid in self.used_notes:
                continue
            if guid in self.r.note_refs:
                self.report.warn(f"The note “{spec.name or spec.text[:30]}” belongs to something that was not "
                                 "imported; it was kept as a project memo.", group="notes kept as project memos")
            self.memo(guid, None, None)
        self._cases(docs)
        refi_sets.import_sets(self.db, self.r.root, docs, self.report, changes)
        changes.memos = bool(self.report.added.get("memos"))
        changes.cases = bool(self.report.added.get("cases") or self.report.added.get("attributes"))

    def _code_notes(self, specs: list[CodeSpec], code_ids: dict[str, int]) -> None:
        for spec in specs:
            local = code_ids.get(xn.norm_guid(spec.guid or ""))
            for note in spec.notes:
                if local is not None:
                    self.memo(xn.norm_guid(note), "code_id", local)
            self._code_notes(spec.children, code_ids)

    def _same_document(self, source: SourceSpec) -> int | None:
        """The document here that ``source`` is: the one imported with its GUID, or exported by this
        project under it; else one with the same name and text not already taken by another source of
        this file. Sources that only share their text (the same consent form twice, two empty
        placeholders) are different documents."""
        text = source.positions.text
        if source.guid:
            local = ex_sql.local_id_of(self.db, "document", source.guid)
            if local is None:
                if self.stable is None:
                    self.stable = stable_documents(self.project)
                local = self.stable.get(source.guid)
            if local is not None and local not in self.claimed:
                if self.project.document_text(local) == text:
                    return local
                self.report.warn(f"The document “{source.name}” was imported before but its text has changed "
                                 "since; it was added again as a new document.")
                return None
        for doc in self.project.documents_with_hash(text):
            if doc.id not in self.claimed and doc.name == source.name:
                return doc.id
        return None

    def _document(self, source: SourceSpec, changes) -> int:
        text = source.positions.text
        local = self._same_document(source)
        if local is not None:
            self.report.match("documents")
        else:
            parsed = ParsedDocument(text=text, source_format=SOURCE_FORMAT, blocks=_paragraphs(text))
            local = self.project.documents.add(source.name, parsed, source_name=self.r.path.name).id
            created = clean_datetime(source.created, self.report, f"the document “{source.name}”")
            self.project.documents.set_origin(local, created, self.coder(source.user) if source.user else None)
            self.report.add("documents")
        self.claimed.add(local)
        if source.guid:
            ex_sql.remember_guid(self.db, "document", local, source.guid)
        return local

    def _codings(self, source: SourceSpec, doc_id: int, code_ids: dict[str, int], changes) -> None:
        pm = source.positions
        whole = SelectionSpec("", Selection(0, 0), source.codings, [], None, None)
        for sel in [*source.selections, whole]:
            if sel is whole:
                if not sel.codings:
                    continue
                mapped: tuple[int, int] | None = (0, len(pm.text))
            else:
                mapped = pm.map(self.scheme, sel.raw.start, sel.raw.end)
            if mapped is None or mapped[0] >= mapped[1]:
                self.report.warn(
                    f"A selection of “{source.name}” at {sel.raw.start}-{sel.raw.end} lies outside its text "
                    f"({len(pm.text)} characters); its {len(sel.codings)} coding(s) were left out.",
                    group="selections outside the text")
                self.report.unmapped_item("selections outside the text")
                continue
            start, end = mapped
            placed: list[int] = []
            for coding in sel.codings:
                code_id = code_ids.get(coding.code)
                if code_id is None:
                    self.report.warn(f"A coding in “{source.name}” refers to a code that is not in the "
                                     f"codebook ({coding.code or 'no code'}); it was left out.",
                                     group="codings of unknown codes")
                    self.report.unmapped_item("codings of unknown codes")
                    continue
                when = clean_datetime(coding.created or sel.created, self.report,
                                      f"a coding in “{source.name}”")
                item = coding_rules.NewCoding(doc_id, code_id, start, end, self.coder(coding.user or sel.user),
                                              when or "")
                [(made, added)] = coding_rules.add_codings(self.db, [item], changes, self.known)
                if added:
                    self.report.add("codings")
                else:
                    self.report.match("codings")
                placed.append(made.id)
                for note in coding.notes:
                    self.memo(note, "coding_id", made.id)
            # a note or description on the selection: the memo of its (first) coded segment, or,
            # on a passage no code covers, a document memo anchored to the passage (an annotation)
            target, target_id, anchor = (("coding_id", placed[0], None) if placed
                                         else ("document_id", doc_id, (start, end)))
            if sel is not whole:
                self.description(sel.description, target, target_id, anchor)
            for note in sel.notes:
                self.memo(note, target, target_id, anchor)
            if not sel.codings and not sel.notes and not sel.description.strip() and sel is not whole:
                self.report.warn(f"A selection without a code or note in “{source.name}” was not kept "
                                 "(qcdesk keeps coded or annotated text only).", group="selections without codes")
                self.report.unmapped_item("selections without codes or notes")

    def _cases(self, docs: dict[str, int]) -> None:
        attrs: dict[str, int] = {}
        for var in self.r.variables:
            name = (var.get("name") or "").strip()
            if not name:
                continue
            kind = _TYPES.get((var.get("typeOfVariable") or "text").lower(), "text")
            description = xn.child_text(var, "Description")
            choices: list[str] = []
            if kind == "choice":
                choices = ["true", "false"]
            elif description.startswith(CHOICES_PREFIX):
                try:
                    choices = [str(c) for c in json.loads(description[len(CHOICES_PREFIX):])]
                    kind = "choice"
                except ValueError:
                    pass
            existing = ex_sql.attribute_by_name(self.db, name)
            if existing is not None:
                self.report.match("attributes")
            else:
                existing = ex_sql.insert_attribute(self.db, name, kind, choices)
                self.report.add("attributes")
            attrs[xn.norm_guid(var.get("guid") or "")] = existing
        for number, case in enumerate(self.r.cases, start=1):
            name = (case.get("name") or "").strip() or f"Case {number}"
            local = ex_sql.case_by_name(self.db, name)
            if local is not None:
                self.report.match("cases")
            else:
                local = ex_sql.insert_case(self.db, name, xn.child_text(case, "Description"))
                self.report.add("cases")
            for value in xn.children(case, "VariableValue"):
                ref = xn.child(value, "VariableRef")
                attr = attrs.get(xn.norm_guid(ref.get("targetGUID") or "")) if ref is not None else None
                if attr is None:
                    self.report.warn(f"A value of case “{name}” refers to an unknown attribute and was left out.",
                                     group="values of unknown attributes")
                    continue
                found = next((c for c in value if xn.local(c.tag) in _VALUE_TAGS), None)
                ex_sql.set_case_value(self.db, local, attr, (found.text or "") if found is not None else None)
            for ref in _refs(case, "SourceRef"):
                if ref in docs:
                    ex_sql.link_case_document(self.db, local, docs[ref])
            for ref in _refs(case, "SelectionRef"):
                if ref in self.sel_docs:
                    ex_sql.link_case_document(self.db, local, self.sel_docs[ref])
            if xn.children(case, "SelectionRef"):
                self.report.warn(f"Case “{name}” names parts of documents; qcdesk links the whole documents.",
                                 group="cases of document parts")


def import_project_package(project: Project, path: str | Path) -> InterchangeReport:
    """Add a ``.qdpx`` project's documents, codes, codings, memos and cases: one action, all or nothing."""
    path = Path(path)
    report = InterchangeReport(path=path.name)
    reader = _Reader(path, report)
    scheme = (CODE_POINTS if reader.origin.split(" ")[0] == xn.ORIGIN_PREFIX  # ours: code points
              else detect_scheme([(s.positions, [sel.raw for sel in s.selections]) for s in reader.sources]))
    report.position_scheme = DESCRIPTIONS[scheme]
    with project.action() as changes:
        writer = _Writer(project, reader, report, scheme)
        writer.run(changes)
        refi_media.import_media(project, path, reader.root, writer.docs, report, writer)
    return report.finish()
