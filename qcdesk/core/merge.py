"""Bringing another coder's copy of a project into this one.

Team work runs offline: each coder codes a copy of the same project file, and the copies are
merged afterwards so agreement can be measured (see :mod:`qcdesk.core.agreement`). A merge is
one action: it adds what this project lacks and never changes or removes what is here.

* Documents are matched by their REFI-QDA GUID first (copies made from one import), then, in copies
  of one project, by the same id with the same text, then by the hash of their text (a document of
  the same name preferred); each document here matches one of theirs at most, so two documents that
  share only their text (the same consent form twice) stay two. The others are added with their
  structure.
* Codes are matched by identity first (the same REFI-QDA GUID, or, in copies of one project, the
  same id with the same name path), then by name path; unmatched codes are added under the
  matching parent, after its existing sub-codes.
* Codings keep their original coder (coders are matched by name and created when missing);
  a coding already here with the same document, code, range and coder is skipped (the rules of
  :mod:`qcdesk.core.coding_rules`).
* Memos, cases and attributes are matched by name (and target); differing values are reported
  as conflicts and this project's value is kept. Document sets are matched by GUID, then by name
  (case ignored), and gain the documents they hold in the other copy.

:func:`preview_merge` says what a merge would add, match and find in conflict without changing
anything (it runs the merge and rolls it back). :func:`merge_project` returns a :class:`MergeReport`
whose ``inserted`` lists every row it added; :func:`_unmerge` (the undo of a merge) removes exactly those rows (returning
them), :func:`remerge` puts them back.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from qcdesk.core import coding_rules
from qcdesk.core.errors import OperationError, ProjectError
from qcdesk.core.project import Project
from qcdesk.core.storage import codebook as code_sql
from qcdesk.core.storage import merge as sql
from qcdesk.core.undo import BELONGS_TO, Done, Touched, delete_then, touched

KINDS = ("documents", "recordings", "codes", "codings", "time codings", "coders", "memos", "cases", "attributes", "sets")
_MEMO_TARGETS = ("code_id", "document_id", "case_id", "coding_id")


@dataclass
class MergeReport:
    """What a merge added, matched and skipped, and where the two projects disagreed."""

    path: str
    added: dict[str, int] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    conflicts: list[str] = field(default_factory=list)
    #: table -> ids (or key tuples for link tables) of the rows the merge inserted
    inserted: dict[str, list] = field(default_factory=dict)
    #: a preview: nothing was changed, the counts say what a merge would do
    preview: bool = False

    def count(self, bucket: str, kind: str, n: int = 1) -> None:
        counts = getattr(self, bucket)
        counts[kind] = counts.get(kind, 0) + n

    def lines(self) -> list[str]:
        def fmt(counts: dict[str, int]) -> str:
            return ", ".join(f"{counts[k]} {k}" for k in KINDS if counts.get(k)) or "nothing"

        if self.preview:
            out = [f"Would add: {fmt(self.added)}.", f"Would match: {fmt(self.matched)}."]
        else:
            out = [f"Added: {fmt(self.added)}.", f"Matched: {fmt(self.matched)}."]
        if any(self.skipped.values()):
            out.append(f"Skipped as already here: {fmt(self.skipped)}.")
        if self.conflicts:
            out.append(f"Conflicts ({len(self.conflicts)}), this project's version kept:")
            out += [f"  • {c}" for c in self.conflicts]
        return out

    def text(self) -> str:
        return "\n".join(self.lines())


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


def _open_other(project: Project, other_path: str | Path, passphrase: str | None) -> Project:
    other_path = Path(other_path)
    if other_path.exists() and _same_file(project.path, other_path):
        raise OperationError(f"{other_path.name} is this project itself; choose another coder's copy.")
    try:
        other = Project.open(other_path, passphrase=passphrase, read_only=True)
    except ProjectError as exc:
        raise ProjectError(f"Cannot merge {other_path.name}: {exc}") from exc
    if not sql.integrity_ok(other.db):
        other.close()
        raise ProjectError(f"Cannot merge {other_path.name}: the file is damaged. Nothing was changed.")
    return other


def merge_project(project: Project, other_path: str | Path, passphrase: str | None = None) -> Done[MergeReport]:
    """Import another coder's project file into ``project`` as one action (all or nothing). The undo
    removes exactly the rows the merge inserted (None when it inserted nothing); its own undo puts
    them back with the same ids."""
    other = _open_other(project, other_path, passphrase)
    try:
        report = MergeReport(path=str(other_path))
        with project.action() as changes:
            _Merger(project, other, report).run(changes)
    finally:
        other.close()
    if not report.inserted:
        return Done(report, None)
    return Done(report, delete_then("Unmerge", lambda: _unmerge(project, report), lambda rows: _remerge(project, rows),
                                    "Merge again", _touched(project, report.inserted)))


def _touched(project: Project, inserted: dict[str, list]) -> Touched:
    """Every row a merge inserted (what its undo removes): a link row as the row it belongs to, a
    document with its structure."""
    out = project.documents.rows_of(inserted.get("documents", []))
    for table, keys in inserted.items():
        if table in BELONGS_TO:
            owner, column = BELONGS_TO[table]
            out |= touched(owner, [key[sql.LINK_KEYS[table].index(column)] for key in keys])
        elif table != "documents":
            out |= touched(table, keys)
    return out


class _DryRun(Exception):
    """Raised inside a preview's action so that everything it did is rolled back."""


def preview_merge(project: Project, other_path: str | Path, passphrase: str | None = None) -> MergeReport:
    """What :func:`merge_project` would add, match and find in conflict; nothing is changed."""
    other = _open_other(project, other_path, passphrase)
    try:
        report = MergeReport(path=str(other_path), preview=True)
        try:
            with project.action() as changes:
                _Merger(project, other, report).run(changes)
                raise _DryRun
        except _DryRun:
            pass
        report.inserted = {}
        return report
    finally:
        other.close()


def _unmerge(project: Project, report: MergeReport) -> dict[str, list[dict]]:
    """Remove exactly the rows ``report``'s merge inserted; return them for :func:`_remerge`."""
    with project.action() as changes:
        rows = sql.capture(project.db, report.inserted)
        sql.remove_dependants(project.db, rows)
        rows |= project.documents.remove_copies(report.inserted.get("documents", []))
        sql.remove_the_rest(project.db, rows)
        _touch(changes, rows)
    return rows


def _remerge(project: Project, rows: dict[str, list[dict]]) -> None:
    """Put back what :func:`_unmerge` removed, with the same ids."""
    with project.action() as changes:
        sql.restore_coders(project.db, rows)
        project.documents.restore_copies(rows)
        sql.restore_the_rest(project.db, rows)
        _touch(changes, rows)


def _touch(changes, rows: dict[str, list[dict]]) -> None:
    changes.documents.update(r["id"] for r in rows.get("documents", []))
    changes.codes.update(r["id"] for r in rows.get("codes", []))
    changes.codes.update(r["code_id"] for r in rows.get("codings", []))
    changes.codings.update(r["id"] for r in rows.get("codings", []))
    changes.coded_documents.update(r["document_id"] for r in rows.get("codings", []))
    changes.document_list = changes.document_list or bool(rows.get("documents"))
    changes.codebook = True
    changes.memos = True
    changes.cases = True
    changes.attributes = True
    changes.coders = True
    changes.sets = True


class _Merger:
    def __init__(self, project: Project, other: Project, report: MergeReport):
        self.project, self.other, self.report = project, other, report
        self.db = project.db
        self.name = Path(report.path).name
        self.coders: dict[int, int] = {}
        self.docs: dict[int, int] = {}
        self.codes: dict[int, int] = {}
        self.codings: dict[int, int] = {}
        self.cases: dict[int, int] = {}
        self.attributes: dict[int, int] = {}

    def _inserted(self, table: str, key) -> None:
        self.report.inserted.setdefault(table, []).append(key)

    def run(self, changes) -> None:
        self._coders()
        self._documents(changes)
        self._recordings()
        self._codes(changes)
        self._codings(changes)
        self._time_codings()
        self._cases()
        self._sets()
        self._attributes()
        self._memos()
        _touch(changes, {})
        changes.document_list = bool(self.report.added.get("documents"))

    # ------------------------------------------------------------------ coders
    def _coders(self) -> None:
        here = {c.name: c.id for c in self.project.coders()}
        for row in sql.rows(self.other.db, "coders"):
            if row["name"] in here:
                self.coders[row["id"]] = here[row["name"]]
                self.report.count("matched", "coders")
            else:
                new = sql.insert(self.db, "coders", {"name": row["name"], "created": row["created"]})
                self.coders[row["id"]] = new
                self._inserted("coders", new)
                self.report.count("added", "coders")

    # ------------------------------------------------------------------ documents
    def _same_document(self, row: dict, here: dict[int, dict], guid: str | None,
                       guid_here: dict[str, int], claimed: set[int]) -> int | None:
        """The document here that their ``row`` is (see the module's notes), or None."""
        def free(doc_id: int | None) -> bool:
            return (doc_id is not None and doc_id not in claimed
                    and here[doc_id]["content_hash"] == row["content_hash"]
                    and (row.get("char_count", 1) > 0 or here[doc_id].get("media") == row.get("media")))

        by_guid = guid_here.get(guid.lower()) if guid else None
        if free(by_guid):
            return by_guid
        if row["id"] in here and free(row["id"]):
            return row["id"]
        same = [d for d in here.values() if free(d["id"])]
        named = [d for d in same if d["name"] == row["name"]]
        return (named or same)[0]["id"] if (named or same) else None

    def _recordings(self) -> None:
        """Their recording comes along for a document here without one (copied, or linked to the
        same file); a document with a different recording keeps its own, said as a conflict."""
        for theirs in self.other.media.all():
            doc_id = self.docs.get(theirs.document_id)
            if doc_id is None:
                continue
            mine = self.project.media.for_document(doc_id)
            if mine is not None:
                if mine.sha256 == theirs.sha256:
                    self.report.count("matched", "recordings")
                else:
                    self.report.conflicts.append(
                        f"The document “{self.project.document(doc_id).name}” has another recording in "
                        f"{self.name} ({theirs.name}); the recording here was kept.")
                continue
            if self.report.preview:  # said, not copied: a preview is rolled back anyway
                self.report.count("added", "recordings")
                continue
            new = self.project.media.copy_from(self.other.media, theirs.id, doc_id)
            self._inserted("media", new.id)
            self.report.count("added", "recordings")

    def _documents(self, changes) -> None:
        here = {r["id"]: r for r in sql.document_summaries(self.db)}
        # a recording without transcript has no text to match by: its recording's fingerprint
        media_here = {m.document_id: m.sha256 for m in self.project.media.all()}
        media_there = {m.document_id: m.sha256 for m in self.other.media.all()}
        for doc_id, row in here.items():
            row["media"] = media_here.get(doc_id)
        names = {doc["name"] for doc in here.values()}
        guids = sql.external_ids(self.other.db, "document")
        guid_here = {g.lower(): d for d, g in sql.external_ids(self.db, "document").items()}
        claimed: set[int] = set()
        for row in sql.rows(self.other.db, "documents", "position, id"):
            row["media"] = media_there.get(row["id"])
            match = self._same_document(row, here, guids.get(row["id"]), guid_here, claimed)
            if match is not None:
                self.docs[row["id"]] = match
                claimed.add(match)
                self.report.count("matched", "documents")
                continue
            if row["name"] in names:
                self.report.conflicts.append(
                    f"Document “{row['name']}” has different text in {self.name}; it was added "
                    "as a separate document.")
            values = {k: v for k, v in row.items() if k not in ("id", "position", "media")}
            if values.get("creator_id") is not None:
                values["creator_id"] = self.coders.get(values["creator_id"])
            new = self.project.documents.copy_in(values, self.other, row["id"])
            if row["id"] in guids:
                sql.remember_guid(self.db, "document", new, guids[row["id"]])
            self.docs[row["id"]] = new
            claimed.add(new)
            self._inserted("documents", new)
            self.report.count("added", "documents")
            changes.documents.add(new)

    # ------------------------------------------------------------------ codes
    @staticmethod
    def _paths(codes: list[dict]) -> dict[int, tuple[str, ...]]:
        by_id = {c["id"]: c for c in codes}
        paths: dict[int, tuple[str, ...]] = {}

        def path(cid: int) -> tuple[str, ...]:
            if cid not in paths:
                code = by_id[cid]
                parent = code["parent_id"]
                paths[cid] = (path(parent) if parent in by_id else ()) + (code["name"],)
            return paths[cid]

        for cid in by_id:
            path(cid)
        return paths

    def _codes(self, changes) -> None:
        theirs = sql.rows(self.other.db, "codes", "position, id")
        mine = sql.rows(self.db, "codes", "position, id")
        their_paths, my_paths = self._paths(theirs), self._paths(mine)
        mine_by_id = {c["id"]: c for c in mine}
        by_path: dict[tuple[str, ...], int] = {}
        for cid, path in my_paths.items():
            by_path.setdefault(path, cid)
        their_guids = sql.external_ids(self.other.db, "code")
        guid_here = {g.lower(): cid for cid, g in sql.external_ids(self.db, "code").items()}
        depth = {cid: len(p) for cid, p in their_paths.items()}
        for row in sorted(theirs, key=lambda r: (depth[r["id"]], r["position"], r["id"])):
            path = their_paths[row["id"]]
            guid = their_guids.get(row["id"])
            match = guid_here.get(guid.lower()) if guid else None
            if match is None and row["id"] in mine_by_id and my_paths[row["id"]] == path:
                match = row["id"]
            if match is None:
                match = by_path.get(path)
            if match is not None:
                self.codes[row["id"]] = match
                self.report.count("matched", "codes")
                self._compare_code(" / ".join(path), mine_by_id[match], row)
                continue
            parent = self.codes.get(row["parent_id"]) if row["parent_id"] is not None else None
            values = {k: row[k] for k in ("name", "color", "description", "inclusion", "exclusion",
                                          "example", "created", "codable") if k in row}
            values["parent_id"] = parent
            values["position"] = code_sql.next_position(self.db, parent)
            new = sql.insert(self.db, "codes", values)
            if guid:
                sql.remember_guid(self.db, "code", new, guid)
            self.codes[row["id"]] = new
            by_path[path] = new
            self._inserted("codes", new)
            self.report.count("added", "codes")
            changes.codes.add(new)


    def _compare_code(self, path: str, mine: dict, theirs: dict) -> None:
        labels = {"color": "colour", "description": "description", "inclusion": "inclusion criteria",
                  "exclusion": "exclusion criteria", "example": "example"}
        for key, label in labels.items():
            a, b = (mine.get(key) or "").strip(), (theirs.get(key) or "").strip()
            if a.lower() != b.lower() if key == "color" else a != b:
                detail = f" ({a} here, {b} in {self.name})" if key == "color" else ""
                self.report.conflicts.append(f"Code “{path}”: the {label} differs{detail}.")
        if bool(mine.get("codable", 1)) != bool(theirs.get("codable", 1)):
            grouping = "here" if not mine.get("codable", 1) else f"in {self.name}"
            self.report.conflicts.append(f"Code “{path}” only groups other codes {grouping}.")

    # ------------------------------------------------------------------ codings
    def _codings(self, changes) -> None:
        known: coding_rules.Known = {}
        for row in sql.rows(self.other.db, "codings"):
            doc, code = self.docs[row["document_id"]], self.codes[row["code_id"]]
            coder = self.coders.get(row["coder_id"]) if row["coder_id"] is not None else None
            item = coding_rules.NewCoding(doc, code, row["start"], row["end"], coder, row["created"])
            [(coding, added)] = coding_rules.add_codings(self.db, [item], changes, known)
            if not added:
                self.report.count("skipped", "codings")
                continue
            self.codings[row["id"]] = coding.id
            self._inserted("codings", coding.id)
            self.report.count("added", "codings")

    def _time_codings(self) -> None:
        """Their codings of recordings' time ranges, on the documents and codes they map to; one the
        recording here cannot hold (another recording, shorter) is a conflict, not lost silently."""
        from qcdesk.core.storage import time_codings as time_sql

        for row in sql.rows(self.other.db, "time_codings"):
            doc, code = self.docs.get(row["document_id"]), self.codes.get(row["code_id"])
            if doc is None or code is None:
                continue
            coder = self.coders.get(row["coder_id"]) if row["coder_id"] is not None else None
            if time_sql.duplicate(self.db, doc, code, row["start_ms"], row["end_ms"], coder) is not None:
                self.report.count("skipped", "time codings")
                continue
            if self.report.preview and self.project.media.for_document(doc) is None:
                self.report.count("added", "time codings")  # its recording is said, not copied, in a preview
                continue
            try:
                made = self.project.time_codings.add(doc, code, row["start_ms"], row["end_ms"], memo=row["memo"],
                                                     coder_id=coder, created_at=row["created_at"], from_file=True).value
            except OperationError as exc:
                self.report.conflicts.append(f"A time coding in {self.name} was not merged: {exc}")
                continue
            self._inserted("time_codings", made.id)
            self.report.count("added", "time codings")

    # ------------------------------------------------------------------ cases and attributes
    def _cases(self) -> None:
        here = {r["name"]: r for r in sql.rows(self.db, "cases")}
        for row in sql.rows(self.other.db, "cases"):
            mine = here.get(row["name"])
            if mine is not None:
                self.cases[row["id"]] = mine["id"]
                self.report.count("matched", "cases")
                if (mine["description"] or "") != (row["description"] or ""):
                    self.report.conflicts.append(f"Case “{row['name']}”: the description differs.")
            else:
                new = sql.insert(self.db, "cases", {"name": row["name"], "description": row["description"]})
                self.cases[row["id"]] = new
                self._inserted("cases", new)
                self.report.count("added", "cases")
        for row in sql.rows(self.other.db, "case_documents", "case_id, document_id"):
            key = (self.cases[row["case_id"]], self.docs[row["document_id"]])
            if sql.link(self.db, "case_documents", {"case_id": key[0], "document_id": key[1]}):
                self._inserted("case_documents", key)
        for row in sql.rows(self.other.db, "case_speakers", "case_id, document_id, speaker"):
            speaker_key = (self.cases[row["case_id"]], self.docs[row["document_id"]], row["speaker"])
            if sql.link(self.db, "case_speakers", dict(zip(("case_id", "document_id", "speaker"), speaker_key))):
                self._inserted("case_speakers", speaker_key)

    # ------------------------------------------------------------------ document sets
    def _sets(self) -> None:
        here = sql.rows(self.db, "document_sets")
        by_guid = {r["guid"].lower(): r for r in here}
        by_name = {r["name"].casefold(): r for r in here}
        mapped: dict[int, int] = {}
        for row in sql.rows(self.other.db, "document_sets"):
            mine = by_guid.get(row["guid"].lower()) or by_name.get(row["name"].casefold())
            if mine is not None:
                mapped[row["id"]] = mine["id"]
                self.report.count("matched", "sets")
                if mine["name"] != row["name"]:
                    self.report.conflicts.append(f"Set “{row['name']}” is called “{mine['name']}” here.")
            else:
                new = sql.insert(self.db, "document_sets", {"name": row["name"], "description": row["description"],
                                                            "guid": row["guid"], "created": row["created"]})
                mapped[row["id"]] = new
                by_name[row["name"].casefold()] = {"id": new, "name": row["name"]}
                self._inserted("document_sets", new)
                self.report.count("added", "sets")
        for row in sql.rows(self.other.db, "document_set_members", "set_id, document_id"):
            key = (mapped[row["set_id"]], self.docs[row["document_id"]])
            if sql.link(self.db, "document_set_members", {"set_id": key[0], "document_id": key[1]}):
                self._inserted("document_set_members", key)

    def _attributes(self) -> None:
        here = {r["name"]: r for r in sql.rows(self.db, "attributes")}
        for row in sql.rows(self.other.db, "attributes"):
            mine = here.get(row["name"])
            if mine is None:
                new = sql.insert(self.db, "attributes", {k: row[k] for k in ("name", "value_type", "choices")})
                self.attributes[row["id"]] = new
                self._inserted("attributes", new)
                self.report.count("added", "attributes")
            elif mine["value_type"] != row["value_type"]:
                self.report.conflicts.append(
                    f"Attribute “{row['name']}” is of type {mine['value_type']} here and {row['value_type']} "
                    f"in {self.name}; its values were not merged.")
            else:
                self.attributes[row["id"]] = mine["id"]
                self.report.count("matched", "attributes")
        case_names = {r["id"]: r["name"] for r in sql.rows(self.other.db, "cases")}
        attr_names = {r["id"]: r["name"] for r in sql.rows(self.other.db, "attributes")}
        for row in sql.rows(self.other.db, "case_attributes", "case_id, attribute_id"):
            attr = self.attributes.get(row["attribute_id"])
            if attr is None:
                continue
            case = self.cases[row["case_id"]]
            stored = sql.case_value(self.db, case, attr)
            if not stored.exists:
                sql.link(self.db, "case_attributes", {"case_id": case, "attribute_id": attr, "value": row["value"]})
                self._inserted("case_attributes", (case, attr))
            elif stored.value != row["value"]:
                self.report.conflicts.append(
                    f"Case “{case_names[row['case_id']]}”, {attr_names[row['attribute_id']]}: "
                    f"“{stored.value}” here, “{row['value']}” in {self.name}.")

    # ------------------------------------------------------------------ memos
    def _memos(self) -> None:
        maps = {"code_id": self.codes, "document_id": self.docs, "case_id": self.cases,
                "coding_id": self.codings}
        for row in sql.rows(self.other.db, "memos"):
            column = next((c for c in _MEMO_TARGETS if row[c] is not None), None)
            target = maps[column].get(row[column]) if column else None
            if column == "coding_id" and target is None:
                # its coding was already here (skipped), and so, as far as can be told, was the memo
                self.report.count("skipped", "memos")
                continue
            bodies = sql.memo_matches(self.db, row["title"], column, target)
            if row["body"] in bodies:
                self.report.count("matched", "memos")
                continue
            if bodies:
                self.report.conflicts.append(
                    f"Memo “{row['title'] or '(untitled)'}” differs in {self.name}; both versions are kept.")
            values = {k: row[k] for k in ("title", "body", "created", "modified")}
            values.update({c: None for c in _MEMO_TARGETS})
            if column:
                values[column] = target
            values["coder_id"] = self.coders.get(row["coder_id"]) if row.get("coder_id") is not None else None
            if column == "document_id" and row.get("anchor_start") is not None:
                values["anchor_start"], values["anchor_end"] = row["anchor_start"], row["anchor_end"]
            new = sql.insert(self.db, "memos", values)
            self._inserted("memos", new)
            self.report.count("added", "memos")
