"""What a search finds: hits, worked out only as far as they are shown.

A common word has tens of thousands of hits and a list shows a screenful, so :class:`Hits` keeps
each document's hits as bare spans and makes a :class:`Hit` only when one is asked for; a hit's
code-point offsets, context, speaker and paragraph are worked out only when read.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence, overload

from qcdesk.core import search_bytes
from qcdesk.core.project import Project

#: characters of context shown on each side of a hit
CONTEXT = 60


class FoundText:
    """A document's text as a search found it, shared by its hits. The text is decoded from its
    UTF-8 bytes the first time a hit shows its context, and hits found on the bytes get their
    code-point offsets the first time one is asked for."""

    __slots__ = ("raw", "_text", "_to_code_point", "_load")

    def __init__(self, raw: bytes, text: str | None = None,
                 to_code_point: search_bytes.CodePoints | None = None,
                 load: Callable[[], str] | None = None):
        self.raw, self._text, self._to_code_point, self._load = raw, text, to_code_point, load

    def get(self) -> str:
        """The text (read from the project the first time, when the search found it in the
        folded texts kept from an earlier search)."""
        if self._text is None:
            self._text = self._load() if self._load is not None else self.raw.decode("utf-8", "replace")
            self.raw, self._load = b"", None
        return self._text

    def code_point(self, offset: int) -> int:
        """The code-point offset of an offset as the search found it."""
        to = self._to_code_point
        return offset if to is None else to(offset)


@dataclass(slots=True)
class Hit:
    """One occurrence: code points ``[start, end)`` of a document's text, with what a list shows.

    Offsets, context, speaker and paragraph are worked out only when asked for, so a hit keeps
    a reference to the document's text and to its project; drop hits when the project closes.
    """

    document_id: int
    document_name: str
    #: where the search found the hit: code points, or bytes of the document's UTF-8
    _start: int
    _end: int
    _text: FoundText = field(repr=False, compare=False)
    project: Project = field(repr=False, compare=False)

    def __repr__(self) -> str:
        return f"Hit(document_id={self.document_id}, document_name={self.document_name!r}, " \
               f"start={self.start}, end={self.end})"

    @property
    def start(self) -> int:
        return self._text.code_point(self._start)

    @property
    def end(self) -> int:
        return self._text.code_point(self._end)

    @property
    def source(self) -> str:
        """The whole text of the hit's document."""
        return self._text.get()

    @property
    def speaker(self) -> str | None:
        """Who speaks at the hit's start (the project keeps each document's turns once read)."""
        turn = self.project.turn_at(self.document_id, self.start)
        return turn.speaker if turn else None

    @property
    def paragraph(self) -> int | None:
        return self.project.paragraph_number(self.document_id, self.start)

    @property
    def text(self) -> str:
        return one_line(self.source[self.start:self.end])

    @property
    def before(self) -> str:
        """Up to CONTEXT characters before the hit, from a word start, on one line."""
        a = max(0, self.start - CONTEXT)
        before = self.source[a:self.start]
        if a > 0 and " " in before:
            before = "…" + before[before.index(" ") + 1:]
        return one_line(before).lstrip()

    @property
    def after(self) -> str:
        source = self.source
        b = min(len(source), self.end + CONTEXT)
        after = source[self.end:b]
        if b < len(source) and " " in after:
            after = after[:after.rindex(" ")] + "…"
        return one_line(after).rstrip()

    @property
    def context(self) -> str:
        return self.before + self.text + self.after


class Hits(Sequence[Hit]):
    """The hits of a search in interview order, then position: each document's spans, made into
    :class:`Hit` objects one by one as they are read (a list shows a screenful)."""

    def __init__(self, project: Project) -> None:
        self._project = project
        #: (id, name, text, starts and ends of the hits one after the other) of each document with hits
        self._documents: list[tuple[int, str, FoundText, list[int]]] = []
        #: hits before each document's
        self._firsts: list[int] = []
        self._count = 0

    def add(self, document_id: int, name: str, text: FoundText, spans: list[int]) -> None:
        """A document's hits (their starts and ends as the search found them, one after the
        other), after those added before."""
        if spans:
            self._documents.append((document_id, name, text, spans))
            self._firsts.append(self._count)
            self._count += len(spans) // 2

    @property
    def document_ids(self) -> list[int]:
        """The documents with hits, in order."""
        return [d[0] for d in self._documents]

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Hit: ...

    @overload
    def __getitem__(self, index: slice) -> list[Hit]: ...

    def __getitem__(self, index: int | slice) -> Hit | list[Hit]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("hit index out of range")
        k = bisect_right(self._firsts, index) - 1
        doc_id, name, text, spans = self._documents[k]
        i = 2 * (index - self._firsts[k])
        return Hit(doc_id, name, spans[i], spans[i + 1], text, self._project)

    def __iter__(self) -> Iterator[Hit]:
        project = self._project
        for doc_id, name, text, spans in self._documents:
            pairs = iter(spans)
            yield from [Hit(doc_id, name, a, b, text, project) for a, b in zip(pairs, pairs)]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Hits):
            return list(self) == list(other)
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable while a search fills it

    def __repr__(self) -> str:
        return f"<Hits: {self._count} in {len(self._documents)} documents>"


def one_line(text: str) -> str:
    """Paragraph breaks (and tabs) shown as one space."""
    return _BREAKS.sub(" ", text)


_BREAKS = re.compile(r"[ \t]*[\r\n\t][\s]*")
