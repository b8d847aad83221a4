"""Names of the REFI-QDA format: namespaces, GUIDs, colours, and the safe XML parser."""

from __future__ import annotations

import re
import uuid

from lxml import etree

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
#: namespaces real exports use for the codebook (ATLAS.ti writes the draft one)
CODEBOOK_NAMESPACES = (CODEBOOK_NS, "urn:QDA-XML:codebook:0:4", "urn:QDA-XML:codebook:0.4")
ORIGIN_PREFIX = "qcdesk"

_GUID_RE = re.compile(r"^\{?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}?$")
_RGB6 = re.compile(r"^#?([0-9a-fA-F]{6})$")
_RGB3 = re.compile(r"^#?([0-9a-fA-F]{3})$")
_NAMESPACE = uuid.UUID("6f1b7a52-58d0-4c1e-9a53-2f4fbf1e0c71")


def local(tag: object) -> str:
    """An element's name without its namespace ('' for comments and processing instructions)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def children(elem: etree._Element, name: str) -> list[etree._Element]:
    """Direct children called ``name`` in whatever namespace the file uses."""
    return [c for c in elem if local(c.tag) == name]


def child(elem: etree._Element, name: str) -> etree._Element | None:
    for c in elem:
        if local(c.tag) == name:
            return c
    return None


def child_text(elem: etree._Element, name: str) -> str:
    found = child(elem, name)
    return (found.text or "") if found is not None else ""


def is_guid(value: str | None) -> bool:
    return bool(value and _GUID_RE.match(value))


def norm_guid(value: str) -> str:
    """GUIDs compare case-insensitively and with or without braces."""
    return value.strip().strip("{}").lower()


def stable_guid(*parts: object) -> str:
    """The same GUID every time for the same parts (an item of one project)."""
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join(str(p) for p in parts)))


def new_guid() -> str:
    return str(uuid.uuid4())


def color_or_none(value: str | None) -> str | None:
    """'#RRGGBB' (or '#RGB', 'RRGGBB') as qcdesk's '#rrggbb'; None if absent or not a colour."""
    if not value:
        return None
    value = value.strip()
    m = _RGB6.match(value)
    if m:
        return "#" + m.group(1).lower()
    m = _RGB3.match(value)
    if m:
        return "#" + "".join(c * 2 for c in m.group(1).lower())
    return None


def parser() -> etree.XMLParser:
    """An XML parser that never fetches, never expands entities and refuses gigantic trees."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)
