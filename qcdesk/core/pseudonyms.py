"""Pseudonymisation: a key of real names and places to pseudonyms, applied to every transcript.

The key (``pseudonyms`` table) maps an original ("Dr Smith") to a pseudonym ("[Supervisor 1]").
:func:`apply_pseudonyms` replaces whole words, longest original first, through
:func:`qcdesk.core.textedit.replace_in_documents`, so codings keep their words, and renames
speaker labels with the same rule.

Letter case: originals match in any case ("Heather" also replaces "heather" and "HEATHER").
A name written all in capitals where the key does not write it so gets the pseudonym in
capitals ("HEATHER" becomes "JANE" for "Heather" → "Jane", as in a heading or a shouted
word); every other spelling gets the pseudonym exactly as the key gives it ("heather" →
"Jane"), since guessing a case pattern for a pseudonym like "[Participant A]" does more harm
than good. ``case_sensitive=True`` (``--match-case``) matches only the case as written.

It is deliberately not undoable: an undo snapshot would keep the real text. The writes run
with ``PRAGMA secure_delete``, the full-text index is merged, the file is vacuumed and the
write-ahead log folded back and emptied afterwards, so the replaced text is not left in free
pages, in old index segments or in the log. What the key cannot reach is listed: names of
documents and source files, codes, memos, cases, attribute values, coders and the audit
trail that contain an original in any case, and the copies of the project made before
(backups, migration copies), which still hold the original names until they are removed
(:mod:`qcdesk.core.earlier_copies`). The key itself can be exported to a separate
passphrase-encrypted file and then removed from the project, after which the project alone
cannot re-identify anyone.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from qcdesk.core import earlier_copies, private_files
from qcdesk.core.errors import OperationError, ProjectError
from qcdesk.core.storage import connection, schema
from qcdesk.core.storage import textedit as sql
from qcdesk.core.textedit import replace_in_documents
from qcdesk.core.models import Pseudonym
from qcdesk.core.name_candidates import Candidate, find_candidates


# ----------------------------------------------------------------- the key in the project
def entries(project) -> list[Pseudonym]:
    return sql.pseudonym_rows(project.db)


def entry(project, entry_id: int) -> Pseudonym:
    found = sql.pseudonym_row(project.db, entry_id)
    if found is None:
        raise OperationError(f"Pseudonym entry {entry_id} does not exist.")
    return found


def _clean(original: str) -> str:
    original = " ".join(original.split())
    if not original:
        raise OperationError("A pseudonym entry needs the original name or place.")
    return original


def _check_unique(project, original: str, entry_id: int | None) -> None:
    found = sql.pseudonym_by_original(project.db, original)
    if found is not None and found.id != entry_id:
        raise OperationError(f"“{original}” is already in the key (as “{found.pseudonym}”).")


def add_entry(project, original: str, pseudonym: str, note: str = "") -> Pseudonym:
    original = _clean(original)
    _check_unique(project, original, None)
    with project.action():
        entry_id = sql.insert_pseudonym(project.db, original, pseudonym.strip(), note.strip(), schema.now())
    return entry(project, entry_id)


def update_entry(project, entry_id: int, *, original: str | None = None, pseudonym: str | None = None,
                 note: str | None = None) -> Pseudonym:
    old = entry(project, entry_id)
    original = old.original if original is None else _clean(original)
    _check_unique(project, original, entry_id)
    with sql.secure_delete(project.db), project.action():
        sql.update_pseudonym(project.db, entry_id, original,
                             old.pseudonym if pseudonym is None else pseudonym.strip(),
                             old.note if note is None else note.strip())
    return entry(project, entry_id)


def delete_entry(project, entry_id: int) -> None:
    entry(project, entry_id)
    with sql.secure_delete(project.db), project.action():
        sql.delete_pseudonym(project.db, entry_id)


def remove_key(project) -> int:
    """Delete every key entry so the project alone cannot re-identify anyone; returns how many."""
    with sql.secure_delete(project.db):
        with project.action():
            removed = sql.delete_all_pseudonyms(project.db)
        _flush(project)
    return removed


# ----------------------------------------------------------------- matching
def _pattern(originals: list[str], case_sensitive: bool) -> re.Pattern | None:
    """Whole-word alternatives, longest first (so "Dr Anna Smith" wins over "Anna")."""
    if not originals:
        return None
    parts = []
    for original in sorted(set(originals), key=lambda o: (-len(o), o)):
        before = r"(?<!\w)" if original[0].isalnum() or original[0] == "_" else ""
        after = r"(?!\w)" if original[-1].isalnum() or original[-1] == "_" else ""
        parts.append(before + re.escape(original) + after)
    return re.compile("|".join(parts), 0 if case_sensitive else re.IGNORECASE)


def _in_case_of(matched: str, entry: Pseudonym) -> str:
    """The pseudonym for ``matched`` (see the module docstring): all capitals when the text
    shouts a name the key does not write in capitals, else as given."""
    if matched != entry.original and matched.isupper() and not entry.original.isupper():
        return entry.pseudonym.upper()
    return entry.pseudonym


class _Replacer:
    def __init__(self, key: list[Pseudonym], case_sensitive: bool):
        self.by_original = {e.original: e for e in key}
        self.folded = {e.original.casefold(): e for e in key}
        self.case_sensitive = case_sensitive
        self.pattern = _pattern(list(self.by_original), case_sensitive)

    def entry_for(self, matched: str) -> Pseudonym:
        if self.case_sensitive:
            return self.by_original[matched]
        return self.folded.get(matched.casefold()) or next(
            e for e in self.by_original.values() if re.fullmatch(re.escape(e.original), matched, re.I))

    def matches(self, text: str) -> list[tuple[int, int, Pseudonym]]:
        if self.pattern is None:  # an empty key
            return []
        return [(m.start(), m.end(), self.entry_for(m.group())) for m in self.pattern.finditer(text)]

    def sub(self, text: str) -> str:
        if self.pattern is None:
            return text
        return self.pattern.sub(lambda m: _in_case_of(m.group(), self.entry_for(m.group())), text)


# ----------------------------------------------------------------- suggestions
def suggest_candidates(project) -> list[Candidate]:
    """Likely names and places in the documents that the key does not cover yet, most frequent first."""
    key = entries(project)
    texts = {d.id: project.document_text(d.id) for d in project.documents()}
    labels = {doc_id: [(t.start, t.speaker) for t in project.speaker_turns(doc_id)] for doc_id in texts}
    found = find_candidates(texts, labels, exclude=[e.original for e in key],
                            pseudonyms=[e.pseudonym for e in key])
    counter = _Replacer([Pseudonym(0, c.text, c.text) for c in found], True)
    occurrences: Counter = Counter()
    documents: Counter = Counter()
    for text in texts.values():
        seen = Counter(m.group() for m in counter.pattern.finditer(text)) if counter.pattern else Counter()
        occurrences.update(seen)
        documents.update(seen.keys())
    out = [Candidate(c.text, c.kind, max(c.count, occurrences[c.text]), max(c.documents, documents[c.text]))
           for c in found]
    return sorted((c for c in out if c.count), key=lambda c: (-c.count, c.text.casefold()))


# ----------------------------------------------------------------- applying
@dataclass
class PseudonymReport:
    #: original -> occurrences replaced, and -> documents it was found in
    replaced: Counter = field(default_factory=Counter)
    documents: Counter = field(default_factory=Counter)
    documents_changed: int = 0
    speaker_labels: dict[str, str] = field(default_factory=dict)
    #: originals left out because they have no pseudonym yet
    skipped: list[str] = field(default_factory=list)
    #: where an original still appears outside the transcripts (names of documents, codes, memos...)
    remaining: list[str] = field(default_factory=list)
    #: False when another connection kept the write-ahead log from being emptied
    log_emptied: bool = True
    #: False when the file could not be compacted (another connection reading, or no disk space)
    vacuumed: bool = True
    #: backups and migration copies made before, which still hold the original names
    earlier_copies: list[Path] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"{sum(self.replaced.values())} replacements in {self.documents_changed} document(s)."]
        for original, n in sorted(self.replaced.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"  {original}: {n} in {self.documents[original]} document(s)")
        for old, new in sorted(self.speaker_labels.items()):
            out.append(f"Speaker “{old}” is now “{new}”.")
        if self.skipped:
            out.append("Not applied (no pseudonym given): " + ", ".join(self.skipped))
        for where in self.remaining:
            out.append(f"Still contains an original: {where}")
        if not self.log_emptied:
            out.append("The project's write-ahead log could not be emptied now (another program is "
                       "reading the file); it is emptied when the project is closed.")
        if not self.vacuumed:
            out.append("The project file could not be compacted now (another program is reading it, "
                       "or the disk is full): pseudonymise again later to clear its free space.")
        if self.earlier_copies:
            n = len(self.earlier_copies)
            folders = " and ".join(sorted({str(p.parent) for p in self.earlier_copies}))
            out.append(f"{n} earlier cop{'y' if n == 1 else 'ies'} of the project (backups made before, in "
                       f"{folders}) still hold{'s' if n == 1 else ''} the original names: remove "
                       f"{'it' if n == 1 else 'them'} unless you need to re-identify anyone.")
        return out

    def text(self) -> str:
        return "\n".join(self.lines())


def apply_pseudonyms(project, document_ids: list[int] | None = None, *,
                     case_sensitive: bool = False) -> PseudonymReport:
    """Replace every original of the key by its pseudonym in the documents (all by default),
    in any letter case unless ``case_sensitive``.

    One action, not undoable; the documents are marked pseudonymised. Afterwards the replaced
    text is gone from the file (see the module docstring).
    """
    report = PseudonymReport()
    key = [e for e in entries(project) if e.pseudonym.strip()]
    report.skipped = [e.original for e in entries(project) if not e.pseudonym.strip()]
    if not key:
        raise OperationError("The key has no entry with a pseudonym to apply: add originals and "
                             "their pseudonyms first.")
    replacer = _Replacer(key, case_sensitive)
    ids = [d.id for d in project.documents()] if document_ids is None else list(document_ids)
    edits: dict[int, list[tuple[int, int, str]]] = {}
    for doc_id in ids:
        text = project.document_text(doc_id)
        found = replacer.matches(text)
        edits[doc_id] = [(s, e, _in_case_of(text[s:e], p)) for s, e, p in found]
        for original, n in Counter(p.original for _s, _e, p in found).items():
            report.replaced[original] += n
            report.documents[original] += 1
        report.documents_changed += bool(found)

    def relabel(doc_id: int) -> None:  # speaker labels, by the same rule as the text
        mapping, rows = {}, []
        for turn in sql.turn_speakers(project.db, doc_id):
            new = replacer.sub(turn.speaker)
            if new != turn.speaker:
                mapping[turn.speaker] = new
                rows.append((turn.turn_id, new))
        project.documents.set_turn_speakers(rows)
        sql.replace_case_speakers(project.db, doc_id, mapping)
        report.speaker_labels.update(mapping)
        project.documents.mark_pseudonymised(doc_id, schema.now())

    with sql.secure_delete(project.db):
        with project.action() as changes:
            replace_in_documents(project, edits, on_document=relabel)
            sql.purge_text_index(project.db)
            changes.documents.update(ids)
            changes.cases = True
            changes.document_list = True
        report.vacuumed, report.log_emptied = _flush(project)
    report.remaining = remaining_originals(project, [e.original for e in key])
    report.earlier_copies = earlier_copies.find(project.path)
    return report


def _flush(project) -> tuple[bool, bool]:
    """Compact the file (no free pages left) and empty the write-ahead log, unless this runs
    inside a larger action (which flushes later): (vacuumed, log emptied)."""
    if project.db.conn.in_transaction:
        return False, False
    vacuumed = sql.vacuum(project.db)
    return vacuumed, sql.checkpoint(project.db)


def remaining_originals(project, originals: list[str]) -> list[str]:
    """Where originals still appear outside the document texts, in any letter case and also
    inside longer words (a list for the researcher to check)."""
    if not originals:
        return []
    by_folded = {o.casefold(): o for o in originals}
    pattern = re.compile("|".join(re.escape(o) for o in sorted(set(originals), key=lambda o: (-len(o), o))),
                         re.IGNORECASE)
    out = []
    for place in sql.place_values(project.db):
        where, value = place.place, " ".join(place.value.split())
        found = dict.fromkeys(by_folded.get(m.group().casefold(), m.group()) for m in pattern.finditer(value))
        for original in found:
            out.append(f"{where} “{value if len(value) <= 80 else value[:79] + '…'}” ({original})")
    return out


# ----------------------------------------------------------------- the key in its own file
def export_key(project, path: str | Path, passphrase: str) -> int:
    """Write the key to a separate SQLCipher-encrypted file; returns the number of entries.

    The file is written beside the target and moved over it only when complete.
    """
    from qcdesk.core.encryption import check_new_passphrase

    if not passphrase:
        raise OperationError("The key file needs a passphrase.")
    check_new_passphrase(passphrase)
    rows = [(e.original, e.pseudonym, e.note) for e in entries(project)]
    if not rows:
        raise OperationError("The key is empty: there is nothing to export.")
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        private_files.prepare(partial)
        db = connection.connect(partial, passphrase=passphrase)
        try:
            sql.create_key_file(db, rows, schema.now())
        finally:
            db.close()
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return len(rows)


def read_key(path: str | Path, passphrase: str) -> list[sql.KeyRow]:
    """The rows of a key file (original, pseudonym, note)."""
    from qcdesk.core.encryption import check_passphrase_text

    path = Path(path)
    if not path.is_file():
        raise OperationError(f"{path} does not exist.")
    check_passphrase_text(passphrase)
    try:
        db = connection.connect(path, passphrase=passphrase, read_only=True)
    except ProjectError as exc:
        raise OperationError(f"{path.name} could not be opened: the passphrase is wrong, or the file "
                             "is not a qcdesk pseudonym key.") from exc
    try:
        rows = sql.read_key_file(db)
    finally:
        db.close()
    if rows is None:
        raise OperationError(f"{path.name} is not a qcdesk pseudonym key.")
    return rows


def import_key(project, path: str | Path, passphrase: str) -> int:
    """Merge a key file into the project's key (entries with the same original are updated)."""
    rows = read_key(path, passphrase)
    with project.action():
        for row in rows:
            found = sql.pseudonym_by_original(project.db, row.original)
            if found is None:
                sql.insert_pseudonym(project.db, row.original, row.pseudonym, row.note, schema.now())
            else:
                sql.update_pseudonym(project.db, found.id, row.original, row.pseudonym, row.note)
    return len(rows)
