"""The audit trail: who added, removed or changed codings, codes, documents, sets and recordings, and when.

The entries are written by database triggers (schema 0003), so every path that changes a
project is recorded, including undo, merges and the command line. This module reads them
with filters, words each entry for a person, and exports them as CSV for an ethics file or a
methods appendix. Entries never hold transcript text: names, ids and character offsets only.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from qcdesk.core import private_files
from qcdesk.core.errors import ExportFailed, OperationError
from qcdesk.core.storage import audit as audit_sql

KINDS = ("coding", "code", "document", "set", "media")
CSV_COLUMNS = ("id", "at", "coder", "action", "kind", "object_id", "description", "detail")


@dataclass(frozen=True)
class AuditEntry:
    id: int
    #: UTC, ISO 8601 (``2025-03-01T14:02:11Z``)
    at: str
    coder: str | None
    action: str
    kind: str
    object_id: int | None
    detail: dict


@dataclass(frozen=True)
class AuditFilter:
    """``None`` means "any". Dates are ``YYYY-MM-DD`` (UTC days), ``until`` included."""

    coder: str | None = None
    kind: str | None = None
    since: str | dt.date | None = None
    until: str | dt.date | None = None


def _day(value: str | dt.date | None, what: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise OperationError(f"{value!r} is not a date; write the {what} date as YYYY-MM-DD.") from exc


def entries(project, filters: AuditFilter | None = None) -> list[AuditEntry]:
    """The log entries passing ``filters``, oldest first."""
    f = filters or AuditFilter()
    if f.kind is not None and f.kind not in KINDS:
        raise OperationError(f"There are no audit entries about {f.kind!r}; choose one of {', '.join(KINDS)}.")
    since, until = _day(f.since, "start"), _day(f.until, "end")
    if since and until and until < since:
        raise OperationError("The end date is before the start date.")
    rows = audit_sql.entries(
        project.db, coder=f.coder, kind=f.kind,
        since=since.isoformat() if since else None,
        before=(until + dt.timedelta(days=1)).isoformat() if until else None)
    out = []
    for row in rows:
        try:
            detail = json.loads(row["detail"] or "{}")
        except ValueError:
            detail = {}
        out.append(AuditEntry(row["id"], row["at"], row["coder"], row["action"], row["kind"],
                              row["object_id"], detail if isinstance(detail, dict) else {}))
    return out


def coders(project) -> list[str]:
    return audit_sql.coders(project.db)


def _q(name: object) -> str:
    return f"“{name}”" if name not in (None, "") else "(unnamed)"


def describe(entry: AuditEntry) -> str:
    """One line for a person: what was done to what."""
    d = entry.detail
    if entry.kind == "coding":
        where = f" in {_q(d['document'])}" if d.get("document") else ""
        span = f", characters {d['start']}–{d['end']}" if "start" in d and "end" in d else ""
        if entry.action == "recoded":
            return f"Coding moved to code {_q(d.get('code'))}"
        return f"Code {_q(d.get('code'))}{where}{span}"
    if entry.kind == "code":
        if entry.action == "changed":
            parts = []
            if d.get("old_name") != d.get("name"):
                parts.append(f"renamed {_q(d.get('old_name'))} → {_q(d.get('name'))}")
            if d.get("old_parent_id") != d.get("parent_id"):
                parts.append("moved in the codebook")
            if d.get("old_color") != d.get("color"):
                parts.append(f"colour {d.get('old_color')} → {d.get('color')}")
            if d.get("description_changed"):
                parts.append("description edited")
            if d.get("criteria_changed"):
                parts.append("criteria edited")
            return f"Code {_q(d.get('name'))}: " + ("; ".join(parts) or "edited")
        return f"Code {_q(d.get('name'))}"
    if entry.kind == "document":
        if entry.action == "renamed":
            return f"Document {_q(d.get('old_name'))} renamed {_q(d.get('name'))}"
        if entry.action == "text edited":
            return (f"Document {_q(d.get('name'))}: text edited ({d.get('old_characters')} → "
                    f"{d.get('characters')} characters)")
        size = f" ({d['characters']} characters)" if "characters" in d else ""
        return f"Document {_q(d.get('name'))}{size}"
    if entry.kind == "set":
        if entry.action == "renamed":
            return f"Set {_q(d.get('old_name'))} renamed {_q(d.get('name'))}"
        if "document" in d:
            return f"Set {_q(d.get('name'))}: {_q(d.get('document'))}"
        return f"Set {_q(d.get('name'))}"
    if entry.kind == "media":
        if entry.action == "relinked":
            return f"Recording {_q(d.get('name'))} linked at {d.get('link_path')}"
        how = {"embedded": " (stored in the project)", "linked": " (linked)"}.get(str(d.get("storage")), "")
        return f"Recording {_q(d.get('name'))}{how}"
    return json.dumps(d, ensure_ascii=False)


def export_csv(project, out: Path, filters: AuditFilter | None = None) -> int:
    """Write the filtered entries to ``out`` (UTF-8 with BOM, for spreadsheets); return how many.

    Written beside ``out`` and moved into place, so a failure leaves no half-written file.
    """
    out = Path(out)
    if not out.parent.is_dir():
        raise ExportFailed(f"The folder {out.parent} does not exist; choose another folder.")
    rows = entries(project, filters)
    tmp = out.with_name(f".~{out.name}.{secrets.token_hex(4)}.part")
    try:
        private_files.prepare(tmp)
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(CSV_COLUMNS)
            for e in rows:
                writer.writerow([e.id, e.at, e.coder or "", e.action, e.kind,
                                 "" if e.object_id is None else e.object_id, describe(e),
                                 json.dumps(e.detail, ensure_ascii=False, sort_keys=True)])
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportFailed(f"Could not write {out.name}: {exc.strerror or exc}.") from exc
    return len(rows)
