"""Codebooks from elsewhere: REFI-QDA ``.qdc``, spreadsheets (CSV) and plain-text outlines.

Each reader turns the file into a tree of :class:`CodeSpec`; :func:`merge_codes`
puts the tree into a project, matching codes already there by GUID (from an
earlier exchange) or by their name path, and adding only what is missing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from qcdesk.core.errors import ImportFailed
from qcdesk.core.importers import safety
from qcdesk.core.importers.encoding import decode_text
from qcdesk.core.interchange import xml_names as xn
from qcdesk.core.interchange.report import InterchangeReport
from qcdesk.core.project import Project
from qcdesk.core.storage import interchange as ex_sql

MAX_NAME = 200
UNNAMED = "(unnamed code)"


@dataclass
class CodeSpec:
    name: str
    color: str | None = None
    description: str = ""
    #: the id the file gives the code (a GUID, or whatever the exporter used)
    guid: str | None = None
    children: list["CodeSpec"] = field(default_factory=list)
    #: GUIDs of notes attached to the code (REFI-QDA projects)
    notes: list[str] = field(default_factory=list)
    #: False for a code that only groups others (REFI-QDA ``isCodable="false"``)
    codable: bool = True


def count_specs(specs: list[CodeSpec]) -> int:
    return sum(1 + count_specs(s.children) for s in specs)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _clean_name(name: str, report: InterchangeReport) -> str:
    name = " ".join((name or "").split())
    if not name:
        report.warn("A code without a name was imported as “(unnamed code)”.", group="codes without a name")
        return UNNAMED
    if len(name) > MAX_NAME:
        report.warn(f"The code name “{name[:40]}…” was shortened to {MAX_NAME} characters.",
                    group="long code names")
        return name[:MAX_NAME - 1].rstrip() + "…"
    return name


def merge_codes(project: Project, specs: list[CodeSpec], report: InterchangeReport) -> dict[str, int]:
    """Add the codes of ``specs`` that the project lacks; return file id -> local code id.

    Must run inside the caller's action, so the whole import stays one transaction.
    """
    db = project.db
    by_guid: dict[str, int] = {}
    children_cache: dict[int | None, dict[str, int]] = {}

    def children_of(parent: int | None) -> dict[str, int]:
        if parent not in children_cache:
            children_cache[parent] = {_key(c.name): c.id for c in project.codes() if c.parent_id == parent}
        return children_cache[parent]

    def place(spec: CodeSpec, parent: int | None) -> None:
        name = _clean_name(spec.name, report)
        local: int | None = None
        if spec.guid:
            found = ex_sql.local_id_of(db, "code", xn.norm_guid(spec.guid))
            if found is not None and found not in by_guid.values():
                local = found
        if local is None:
            local = children_of(parent).get(_key(name))
        if local is not None:
            report.match("codes")
        else:
            color = spec.color if spec.color else None
            local = project.codebook.add(name, parent_id=parent, color=color,
                                     description=spec.description or "").value.id
            if not spec.codable:
                ex_sql.set_code_codable(db, local, False)
            children_of(parent)[_key(name)] = local
            report.add("codes")
        if spec.guid:
            key = xn.norm_guid(spec.guid)
            if key in by_guid and by_guid[key] != local:
                report.warn(f"Two codes in the file share the id {spec.guid}; codings that refer to it "
                            f"go to the first.", group="codes with the same id")
            else:
                by_guid.setdefault(key, local)
                ex_sql.remember_guid(db, "code", local, key)
        for sub in spec.children:
            place(sub, local)

    for spec in specs:
        place(spec, None)
    return by_guid


# ----------------------------------------------------------------- REFI-QDA .qdc


def parse_xml(path: Path, data: bytes, what: str) -> etree._Element:
    """Parse exchange XML safely; a clear ImportFailed if it is not well-formed."""
    safety.reject_xml_entities(path, data)
    try:
        root = etree.fromstring(data, xn.parser())
    except etree.XMLSyntaxError as exc:
        raise ImportFailed(str(path), f"the {what} is not well-formed XML ({exc.msg})") from None
    except (LookupError, ValueError) as exc:
        raise ImportFailed(str(path), f"the {what} cannot be read: {exc}") from None
    if root is None:
        raise ImportFailed(str(path), f"the {what} is empty")
    return root


def codes_from_xml(codes_elem: etree._Element | None, report: InterchangeReport) -> list[CodeSpec]:
    """The code tree under a REFI-QDA ``<Codes>`` element (project or codebook)."""
    if codes_elem is None:
        return []

    def read(elem: etree._Element) -> CodeSpec:
        guid = elem.get("guid") or elem.get("id") or None
        color_attr = elem.get("color")
        color = xn.color_or_none(color_attr)
        if color_attr and color is None:
            report.warn(f"The colour “{color_attr}” of code “{elem.get('name', '')}” is not a colour "
                        "of the form #rrggbb; a colour was chosen instead.", group="unreadable colours")
        spec = CodeSpec(name=elem.get("name") or "", color=color,
                        description=xn.child_text(elem, "Description"), guid=guid,
                        notes=[r.get("targetGUID") or "" for r in xn.children(elem, "NoteRef")],
                        codable=(elem.get("isCodable") or "true").strip().lower() not in ("false", "0"))
        spec.children = [read(c) for c in xn.children(elem, "Code")]
        return spec

    return [read(c) for c in xn.children(codes_elem, "Code")]


def parse_qdc(path: Path, data: bytes, report: InterchangeReport) -> list[CodeSpec]:
    root = parse_xml(path, data, "codebook")
    if xn.local(root.tag) != "CodeBook":
        raise ImportFailed(str(path), f"this is not a REFI-QDA codebook (its root element is "
                                      f"<{xn.local(root.tag)}>, not <CodeBook>)")
    ns = xn.namespace(root.tag)
    if ns not in xn.CODEBOOK_NAMESPACES:
        report.warn(f"The codebook uses the namespace “{ns or 'none'}” instead of {xn.CODEBOOK_NS}; "
                    "it was read anyway.")
    specs = codes_from_xml(xn.child(root, "Codes"), report)
    sets = xn.child(root, "Sets")
    if sets is not None and len(xn.children(sets, "Set")):
        report.warn(f"{len(xn.children(sets, 'Set'))} code set(s) were not imported: qcdesk has no code sets.")
    return specs


# ----------------------------------------------------------------- spreadsheets (CSV)

_ALIASES = {
    "path": ("path", "code path", "full path", "hierarchy", "code hierarchy", "full name"),
    "name": ("name", "code", "code name", "label", "title", "node", "node name"),
    "parent": ("parent", "parent code", "parent name", "parent path", "parent node"),
    "color": ("color", "colour", "hex", "color code", "colour code"),
    "description": ("description", "definition", "memo", "note", "notes", "comment", "comments",
                    "code description", "meaning"),
}
_LEVEL_NAMES = ("theme", "category", "subcategory", "sub-category", "code", "subcode", "sub-code",
                "sub code", "subtheme", "sub-theme", "sub theme")
_LEVEL_RE = re.compile(r"^level\s*(\d+)$")
_PATH_SEPARATORS = (" > ", ">", "::", "\\", "/")


def split_path(value: str) -> list[str]:
    for sep in _PATH_SEPARATORS:
        if sep in value:
            return [p.strip() for p in value.split(sep) if p.strip()]
    return [value.strip()] if value.strip() else []


def _read_text(path: Path, report: InterchangeReport) -> str:
    data = safety.read_file_bytes(path, safety.MAX_TEXT_BYTES)
    other = safety.sniff_other_format(data)
    if other:
        raise ImportFailed(str(path), other)
    if safety.looks_binary(data):
        raise ImportFailed(str(path), "the file is not text (it holds binary data)")
    text, notices = decode_text(data)
    for n in notices:
        report.warn(n)
    return text


class _Tree:
    """Builds a CodeSpec tree from name paths, reusing nodes that share a path."""

    def __init__(self) -> None:
        self.roots: list[CodeSpec] = []
        self._nodes: dict[tuple[str, ...], CodeSpec] = {}

    def node(self, path: list[str]) -> CodeSpec:
        key: tuple[str, ...] = ()
        siblings, spec = self.roots, None
        for part in path:
            key = key + (_key(part),)
            spec = self._nodes.get(key)
            if spec is None:
                spec = CodeSpec(name=part)
                self._nodes[key] = spec
                siblings.append(spec)
            siblings = spec.children
        assert spec is not None
        return spec

    def find_by_name(self, name: str) -> list[str] | None:
        """The path of the first code called ``name`` (the last part of a path)."""
        for key in self._nodes:
            if key[-1] == _key(name):
                return [p for p in self._path_names(key)]
        return None

    def _path_names(self, key: tuple[str, ...]) -> list[str]:
        return [self._nodes[key[:i + 1]].name for i in range(len(key))]


def parse_csv(path: Path, report: InterchangeReport) -> list[CodeSpec]:
    text = _read_text(path, report)
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [r for r in csv.reader(io.StringIO(text), dialect) if any(c.strip() for c in r)]
    if not rows:
        raise ImportFailed(str(path), "the spreadsheet has no rows")
    header = [h.strip().casefold().replace("_", " ") for h in rows[0]]
    cols: dict[str, int] = {}
    for field_name, aliases in _ALIASES.items():
        for i, h in enumerate(header):
            if h in aliases and i not in cols.values():
                cols[field_name] = i
                break
    levels = [i for i, h in enumerate(header) if h in _LEVEL_NAMES or _LEVEL_RE.match(h)]
    if len(levels) >= 2:
        cols.pop("name", None)
        cols.pop("path", None)
    elif levels and not cols.get("name") and "path" not in cols:
        cols.setdefault("name", levels[0])
        levels = []
    else:
        levels = []
    if not cols and not levels:
        report.warn("The spreadsheet has no header naming its columns (name, path, parent, colour, "
                    "description); the first column was read as the code path.")
        cols, body = {"path": 0}, rows
    else:
        body = rows[1:]
        if "name" not in cols and "path" not in cols and not levels:
            raise ImportFailed(str(path), "the spreadsheet has no column with code names (name its "
                                          "column “name”, “code” or “path”)")

    def cell(row: list[str], field_name: str) -> str:
        i = cols.get(field_name)
        return row[i].strip() if i is not None and i < len(row) else ""

    tree = _Tree()
    pending_parents: list[tuple[CodeSpec, str, int]] = []
    filled: list[str] = []
    for number, row in enumerate(body, start=2 if body is not rows else 1):
        if levels:
            parts = [row[i].strip() if i < len(row) else "" for i in levels]
            deepest = max((k for k, p in enumerate(parts) if p), default=-1)
            if deepest < 0:
                continue
            # blank cells to the left repeat the row above (merged cells in a spreadsheet)
            names = [parts[k] or (filled[k] if k < len(filled) else "") for k in range(deepest + 1)]
            if not all(names):
                report.warn(f"Row {number}: a code below an empty level was put at the top.",
                            group="rows with gaps")
                names = [n for n in names if n]
            filled = names
            path_parts = names
        elif cell(row, "path"):
            path_parts = split_path(cell(row, "path"))
        else:
            path_parts = [cell(row, "name")] if cell(row, "name") else []
        if not path_parts:
            report.warn(f"Row {number} has no code name and was skipped.", group="rows without a name")
            continue
        parent = cell(row, "parent")
        if parent and len(path_parts) == 1:
            pending_parents.append((CodeSpec(name=path_parts[0]), parent, number))
            spec = pending_parents[-1][0]
        else:
            spec = tree.node(path_parts)
        _fill(spec, cell(row, "color"), cell(row, "description"), number, report)
    # rows naming a parent: the parent may come later in the file, or be such a row itself
    while pending_parents:
        waiting: list[tuple[CodeSpec, str, int]] = []
        for spec, parent, number in pending_parents:
            parent_path: list[str] | None
            if any(s in parent for s in _PATH_SEPARATORS):
                parent_path = split_path(parent)
            else:
                parent_path = tree.find_by_name(parent)
            if parent_path is None:
                waiting.append((spec, parent, number))
                continue
            node = tree.node([*parent_path, spec.name])
            _fill(node, spec.color or "", spec.description, number, report)
        if len(waiting) == len(pending_parents):
            spec, parent, number = waiting.pop(0)
            report.warn(f"Row {number}: the parent “{parent}” of “{spec.name}” is not in the "
                        "spreadsheet; it was added as a top-level code.", group="missing parents")
            node = tree.node([parent, spec.name])
            _fill(node, spec.color or "", spec.description, number, report)
        pending_parents = waiting
    if not tree.roots:
        raise ImportFailed(str(path), "the spreadsheet has no codes")
    return tree.roots


def _fill(spec: CodeSpec, color: str, description: str, number: int, report: InterchangeReport) -> None:
    if color:
        c = xn.color_or_none(color)
        if c is None:
            report.warn(f"Row {number}: “{color}” is not a colour of the form #rrggbb; a colour was chosen.",
                        group="unreadable colours")
        spec.color = c or spec.color
    if description and not spec.description:
        spec.description = description


# ----------------------------------------------------------------- plain-text outlines

_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)[.)]?\s+(.+)$")
_BULLET = re.compile(r"^[-*+•‣◦▪–]\s+(.+)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.+)$")
_TRAILING_COLOR = re.compile(r"\s*[(\[]?(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})[)\]]?\s*$")
_DESCRIPTION_SPLIT = re.compile(r"\s+[—–]\s+|\s+::\s+")


def _indent_width(line: str) -> int:
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 4
        else:
            break
    return width


def parse_outline(path: Path, report: InterchangeReport) -> list[CodeSpec]:
    text = _read_text(path, report)
    roots: list[CodeSpec] = []
    stack: list[tuple[int, CodeSpec]] = []  # (depth, spec) of the current branch
    indents: list[int] = []  # indentation widths of the open bullet levels
    heading_depth = -1
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        width, body = _indent_width(line), line.strip()
        heading = _HEADING.match(body)
        numbered = _NUMBERED.match(body)
        bullet = _BULLET.match(body)
        if heading:
            depth = len(heading.group(1)) - 1
            body = heading.group(2)
            heading_depth, indents = depth, []
        elif numbered:
            depth = numbered.group(1).count(".") + max(0, heading_depth + 1)
            body = numbered.group(2)
        else:
            if bullet:
                body = bullet.group(1)
            while indents and indents[-1] > width:
                indents.pop()
            if not indents or indents[-1] < width:
                indents.append(width)
            depth = len(indents) - 1 + heading_depth + 1
        color = None
        m = _TRAILING_COLOR.search(body)
        if m and m.start() > 0:
            color, body = xn.color_or_none(m.group(1)), body[:m.start()]
        name, _, description = (p.strip() for p in _split_description(body))
        if not name:
            continue
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack and depth > stack[-1][0] + 1 or not stack and depth > 0:
            report.warn(f"Line {number}: “{name}” is indented deeper than the line above; it was put "
                        "one level below it.", group="lines indented too deep")
        spec = CodeSpec(name=name, color=color, description=description)
        if stack:
            stack[-1][1].children.append(spec)
        else:
            roots.append(spec)
        stack.append((stack[-1][0] + 1 if stack else 0, spec))
    if not roots:
        raise ImportFailed(str(path), "the outline has no codes")
    return roots


def _split_description(body: str) -> tuple[str, str, str]:
    parts = _DESCRIPTION_SPLIT.split(body, maxsplit=1)
    return (parts[0], "", parts[1]) if len(parts) == 2 else (body, "", "")


# ----------------------------------------------------------------- entry point

CODEBOOK_SUFFIXES = (".qdc", ".csv", ".tsv", ".txt", ".md")


def read_codebook(path: Path, report: InterchangeReport) -> list[CodeSpec]:
    suffix = path.suffix.lower()
    if suffix == ".qdc":
        data = safety.read_file_bytes(path, safety.MAX_TEXT_BYTES)
        return parse_qdc(path, data, report)
    if suffix in (".csv", ".tsv"):
        return parse_csv(path, report)
    if suffix in (".txt", ".md"):
        return parse_outline(path, report)
    raise ImportFailed(str(path), f"“{suffix or path.name}” is not a codebook format qcdesk reads "
                                  f"({', '.join(CODEBOOK_SUFFIXES)})")


def import_codebook(project: Project, path: str | Path) -> InterchangeReport:
    """Add the codes of a codebook file to the project: one action, all or nothing."""
    path = Path(path)
    report = InterchangeReport(path=path.name)
    specs = read_codebook(path, report)
    with project.action():
        merge_codes(project, specs, report)
    return report.finish()
