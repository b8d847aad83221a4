"""Document sets in REFI-QDA projects: ``<Sets><Set guid name><MemberSource targetGUID/></Set></Sets>``.

The project schema places ``Sets`` after ``Sources``, ``Notes`` and ``Links`` and before
``Graphs``, the project ``Description`` and its ``NoteRef`` s. A set keeps its GUID both ways:
qcdesk writes the one the set was made or imported with, and an import matches a set by GUID,
then by name (case ignored), adding the documents it lacks. Sets of codes or notes (NVivo and
MAXQDA code sets) have no place in qcdesk and are listed in the report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import sqlite_utils
from lxml import etree

from qcdesk.core.interchange import xml_names as xn
from qcdesk.core.interchange.report import InterchangeReport
from qcdesk.core.storage import schema
from qcdesk.core.storage import sets as sql

if TYPE_CHECKING:
    from qcdesk.core.project import Project

#: elements that follow ``Sets`` in a project (REFI-QDA Project.xsd, ProjectType)
_AFTER_SETS = ("Graphs", "Description", "NoteRef")
MAX_NAME = 200


def write_sets(root: etree._Element, project: "Project", guid_of: Callable[[str, object], str],
               report: InterchangeReport) -> None:
    """Add the project's sets to ``root`` (a ``Project``) where the schema puts them; documents are
    referred to by ``guid_of("document", id)``, the GUIDs their ``TextSource`` s carry."""
    db = project.db
    all_sets = sql.all_sets(db)
    if not all_sets:
        return
    members = sql.memberships(db)
    used: set[str] = getattr(guid_of, "used", set())
    ns = xn.namespace(root.tag)
    tag = (lambda name: f"{{{ns}}}{name}") if ns else (lambda name: name)
    sets_elem = etree.Element(tag("Sets"))
    for item in all_sets:
        guid = xn.norm_guid(item.guid) if xn.is_guid(item.guid) else ""
        if not guid or guid in used:
            guid = xn.stable_guid(project.info("created") or "qcdesk", "set", item.id)
        used.add(guid)
        elem = etree.SubElement(sets_elem, tag("Set"), guid=guid, name=_xml_safe(item.name))
        if item.description:
            etree.SubElement(elem, tag("Description")).text = _xml_safe(item.description)
        for doc_id in members.get(item.id, ()):
            etree.SubElement(elem, tag("MemberSource"), targetGUID=guid_of("document", doc_id))
        report.wrote("sets")
    following = next((c for c in root if xn.local(c.tag) in _AFTER_SETS), None)
    if following is None:
        root.append(sets_elem)
    else:
        following.addprevious(sets_elem)


def _xml_safe(text: str) -> str:
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)


def import_sets(db: sqlite_utils.Database, root: etree._Element, documents: dict[str, int],
                report: InterchangeReport, changes) -> None:
    """Add the file's document sets (inside the caller's action). ``documents`` maps each imported
    or matched source's normalised GUID to its local document id."""
    section = xn.child(root, "Sets")
    if section is None:
        return
    code_sets = 0
    for number, elem in enumerate(xn.children(section, "Set"), start=1):
        sources = [xn.norm_guid(r.get("targetGUID") or "") for r in xn.children(elem, "MemberSource")]
        others = len(xn.children(elem, "MemberCode")) + len(xn.children(elem, "MemberNote"))
        name = " ".join((elem.get("name") or "").split())[:MAX_NAME] or f"Set {number}"
        if others and not sources:
            code_sets += 1
            continue
        if others:
            report.warn(f"The set “{name}” also holds codes or notes; only its documents were imported.",
                        group="sets with codes or notes")
        guid = xn.norm_guid(elem.get("guid") or "")
        found = (sql.set_by_guid(db, guid) if guid else None) or sql.set_by_name(db, name)
        if found is not None:
            set_id = found.id
            report.match("sets")
        else:
            if not xn.is_guid(guid) or sql.set_by_guid(db, guid) is not None:
                guid = xn.new_guid()
            set_id = sql.insert_set(db, name, guid, schema.now(), xn.child_text(elem, "Description").strip())
            report.add("sets")
            changes.sets = True
        for ref in sources:
            if ref not in documents:
                report.warn(f"The set “{name}” names a document that was not imported; it was left out of "
                            "the set.", group="set members not imported")
                continue
            if sql.add_member(db, set_id, documents[ref]):
                changes.sets = True
    if code_sets:
        report.warn(f"{code_sets} set(s) were not imported: they hold codes or notes, and qcdesk has "
                    "document sets only.")
