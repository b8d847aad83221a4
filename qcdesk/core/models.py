"""Plain records passed between the store, the operations and the views.

All positions are code-point offsets into a document's plain text, end exclusive
(the REFI-QDA convention). Only the Qt layer converts them to UTF-16 units.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


class CodeCount(NamedTuple):
    """How often a code is applied: its segments, and the documents holding them."""

    segments: int
    documents: int


#: the count of a code without codings
NO_CODINGS = CodeCount(0, 0)


@dataclass(frozen=True)
class Coder:
    id: int
    name: str


@dataclass(frozen=True)
class Document:
    id: int
    name: str
    source_format: str
    source_name: str
    imported_at: str
    content_hash: str
    char_count: int
    position: int


@dataclass(frozen=True)
class Block:
    """A structural unit of a document's text: a paragraph, a heading or a table row."""

    kind: str
    start: int
    end: int
    level: int = 0


@dataclass(frozen=True)
class SpeakerTurn:
    """Who spoke from ``start`` to ``end`` (code points), and when (seconds), if known."""

    speaker: str
    start: int
    end: int
    time_start: float | None = None
    time_end: float | None = None


@dataclass(frozen=True)
class Code:
    id: int
    parent_id: int | None
    name: str
    color: str
    description: str
    position: int
    #: what belongs under this code, what does not, and a typical quote (codebook criteria)
    inclusion: str = ""
    exclusion: str = ""
    example: str = ""
    #: False for a code that only groups others (REFI-QDA ``isCodable="false"``): it is not applied
    codable: bool = True


@dataclass(frozen=True)
class Coding:
    id: int
    document_id: int
    code_id: int
    start: int
    end: int
    coder_id: int | None
    created: str


@dataclass(frozen=True)
class Segment:
    """A coding with the text it covers and where it stands: what retrieval and reports show."""

    coding: Coding
    document_name: str
    text: str
    speaker: str | None = None
    time_start: float | None = None
    paragraph: int | None = None
    #: ``(start_ms, end_ms)`` of a time coding of a recording (its ``coding`` has a negative id
    #: and an empty range); None for a coding of text
    time_range: tuple[int, int] | None = None


@dataclass(frozen=True)
class Memo:
    id: int
    title: str
    body: str
    code_id: int | None
    document_id: int | None
    case_id: int | None
    coding_id: int | None
    created: str
    modified: str


@dataclass(frozen=True)
class Case:
    id: int
    name: str
    description: str


@dataclass(frozen=True)
class DocumentSet:
    """A named group of documents (a MAXQDA document set, an NVivo set)."""

    id: int
    name: str
    description: str = ""
    #: its REFI-QDA GUID
    guid: str = ""


@dataclass(frozen=True)
class Attribute:
    id: int
    name: str
    value_type: str
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pseudonym:
    """An entry of the pseudonym key: an original name or place and what replaces it."""

    id: int
    original: str
    pseudonym: str
    note: str = ""


@dataclass(frozen=True)
class TimeCoding:
    """A coded time range ``[start_ms, end_ms)`` of a document's recording."""

    id: int
    document_id: int
    code_id: int
    start_ms: int
    end_ms: int
    coder_id: int | None
    memo: str
    created_at: str


@dataclass
class Changes:
    """What one operation touched, so views refresh only that (Anki's OpChanges idea)."""

    documents: set[int] = field(default_factory=set)
    #: documents whose text itself changed (a speaker renamed, pseudonyms applied): views reload it
    texts: set[int] = field(default_factory=set)
    codes: set[int] = field(default_factory=set)
    codings: set[int] = field(default_factory=set)
    #: documents whose codings changed (to re-highlight), whatever code they carry
    coded_documents: set[int] = field(default_factory=set)
    codebook: bool = False
    document_list: bool = False
    memos: bool = False
    cases: bool = False
    #: attribute definitions or values changed
    attributes: bool = False
    #: coders added or the current coder changed
    coders: bool = False
    #: document sets or their members changed
    sets: bool = False
    #: recordings attached, detached or relinked (ids of the media rows)
    media: set[int] = field(default_factory=set)

    def merge(self, other: "Changes") -> "Changes":
        self.documents |= other.documents
        self.texts |= other.texts
        self.codes |= other.codes
        self.codings |= other.codings
        self.coded_documents |= other.coded_documents
        self.codebook |= other.codebook
        self.document_list |= other.document_list
        self.memos |= other.memos
        self.cases |= other.cases
        self.attributes |= other.attributes
        self.coders |= other.coders
        self.sets |= other.sets
        self.media |= other.media
        return self
