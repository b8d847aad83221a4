"""What an exchange did: counts of what was added, matched or written, and what could not be mapped."""

from __future__ import annotations

from dataclasses import dataclass, field

#: the order items are listed in
KINDS = ("documents", "codes", "codings", "memos", "cases", "attributes", "coders")
#: at most this many warnings of one kind are listed one by one
MAX_SIMILAR = 10


@dataclass
class InterchangeReport:
    """The outcome of one import or export, for the window and the command line."""

    path: str = ""
    #: items created in the project (import)
    added: dict[str, int] = field(default_factory=dict)
    #: items already in the project that the file's items were matched to (import)
    matched: dict[str, int] = field(default_factory=dict)
    #: items written to the file (export)
    written: dict[str, int] = field(default_factory=dict)
    #: what could not be mapped or was left out, one sentence each
    warnings: list[str] = field(default_factory=list)
    #: how selection positions were read (import of a project)
    position_scheme: str | None = None
    #: what the file holds that could not be mapped, by kind: "sets" -> 2
    unmapped: dict[str, int] = field(default_factory=dict)
    _similar: dict[str, int] = field(default_factory=dict, repr=False)

    def add(self, kind: str, n: int = 1) -> None:
        self.added[kind] = self.added.get(kind, 0) + n

    def match(self, kind: str, n: int = 1) -> None:
        self.matched[kind] = self.matched.get(kind, 0) + n

    def wrote(self, kind: str, n: int = 1) -> None:
        self.written[kind] = self.written.get(kind, 0) + n

    def unmapped_item(self, kind: str, n: int = 1) -> None:
        """Count ``n`` items of the file (of ``kind``) that could not be mapped into the project."""
        self.unmapped[kind] = self.unmapped.get(kind, 0) + n

    def warn(self, message: str, *, group: str | None = None) -> None:
        """Record a warning; of warnings sharing a ``group`` only the first few are listed."""
        if group is not None:
            seen = self._similar.get(group, 0) + 1
            self._similar[group] = seen
            if seen > MAX_SIMILAR:
                return
        self.warnings.append(message)

    def finish(self) -> "InterchangeReport":
        """Add a line for each group of warnings that was cut short."""
        for group, seen in self._similar.items():
            if seen > MAX_SIMILAR:
                self.warnings.append(f"… and {seen - MAX_SIMILAR} more like this ({group}).")
        self._similar = {}
        return self

    @staticmethod
    def _counts(values: dict[str, int]) -> str:
        keys = [k for k in KINDS if values.get(k)] + [k for k in values if k not in KINDS and values[k]]
        return ", ".join(f"{values[k]} {k if values[k] != 1 else k.rstrip('s')}" for k in keys)

    def lines(self) -> list[str]:
        out = []
        if self.written:
            out.append(f"Wrote {self._counts(self.written)}.")
        if self.added or not self.written:
            out.append(f"Added {self._counts(self.added) or 'nothing'}.")
        if self.matched:
            out.append(f"Already in the project (matched): {self._counts(self.matched)}.")
        if self.position_scheme:
            out.append(f"Selections were read as {self.position_scheme}.")
        if self.unmapped:
            out.append("Could not be mapped: " + ", ".join(f"{n} {kind}" for kind, n in sorted(self.unmapped.items()))
                       + ".")
        if self.warnings:
            out.append(f"{len(self.warnings)} warning(s):")
            out.extend(f"  - {w}" for w in self.warnings)
        return out

    def text(self) -> str:
        return "\n".join(self.lines())
