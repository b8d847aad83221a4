"""Case attributes to and from spreadsheets (CSV and XLSX), one row per case.

The layout is the one researchers keep anyway: the first column holds the case name,
the header row the attribute names, each cell a value. An import is one action (all of
it or none of it on error); a value that does not fit its attribute's type is not
stored and is reported with its row number, the rest of the file still goes in.
Attributes the project does not have yet get a type inferred from their column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from qcdesk.core import attribute_values as av
from qcdesk.core import attributes as attrs
from qcdesk.core import private_files
from qcdesk.core.errors import ExportFailed, OperationError
from qcdesk.core.importers.safety import MAX_TEXT_BYTES, read_file_bytes
from qcdesk.core.models import Attribute
from qcdesk.core.project import Project
from qcdesk.core.storage import cases as sql

#: a column becomes a choice attribute when it has at most this many distinct values (and repeats)
MAX_INFERRED_CHOICES = 12
CASE_HEADER = "Case"


@dataclass
class ImportReport:
    cases_created: list[str] = field(default_factory=list)
    #: (name, value type) of attributes defined by the import
    attributes_created: list[tuple[str, str]] = field(default_factory=list)
    values_set: int = 0
    values_unchanged: int = 0
    #: (row number in the file, column, message)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    #: (row number, case name) of rows skipped because the case does not exist
    unknown_cases: list[tuple[int, str]] = field(default_factory=list)

    def text(self) -> str:
        lines = [f"{self.values_set} value(s) set, {self.values_unchanged} already as in the file."]
        if self.cases_created:
            lines.append(f"{len(self.cases_created)} case(s) created: {', '.join(self.cases_created)}.")
        if self.attributes_created:
            lines.append("Attributes created: " + ", ".join(f"{n} ({t})" for n, t in self.attributes_created) + ".")
        if self.unknown_cases:
            lines.append(f"{len(self.unknown_cases)} row(s) skipped, no such case: "
                         + ", ".join(f"row {r} “{n}”" for r, n in self.unknown_cases) + ".")
        if self.rejected:
            lines.append(f"{len(self.rejected)} value(s) rejected:")
            lines += [f"  row {r}, {col}: {msg}" for r, col, msg in self.rejected]
        return "\n".join(lines)


# ------------------------------------------------------------------- reading
def _read_csv(path: Path) -> list[list[object]]:
    raw = read_file_bytes(path, MAX_TEXT_BYTES)  # an ordinary file only: a named pipe would block
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""), dialect)]


def _read_xlsx(path: Path) -> list[list[object]]:
    from openpyxl import load_workbook

    raw = read_file_bytes(path, MAX_TEXT_BYTES)  # an ordinary file only: a named pipe would block
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise OperationError(f"{path.name} could not be read as an Excel workbook: {exc}") from exc
    try:
        sheet = book.worksheets[0]
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def read_table(path: str | Path) -> tuple[list[str], list[tuple[int, list[object]]]]:
    """(header, [(row number in the file, cells)]) with blank rows and trailing blank columns dropped."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        rows = _read_xlsx(path)
    elif suffix in (".csv", ".tsv", ".txt"):
        rows = _read_csv(path)
    else:
        raise OperationError(f"{path.name}: attributes are read from .csv or .xlsx files.")
    numbered = [(i, r) for i, r in enumerate(rows, start=1) if any(not av.is_empty(c) for c in r)]
    if not numbered:
        raise OperationError(f"{path.name} is empty.")
    _, header_cells = numbered[0]
    header = [" ".join(str(c).split()) if c is not None else "" for c in header_cells]
    while header and not header[-1]:
        header.pop()
    if len(header) < 2:
        raise OperationError(f"{path.name}: the first row must name the case column and at least one attribute.")
    for i, name in enumerate(header[1:], start=2):
        if not name:
            raise OperationError(f"{path.name}: column {i} has no attribute name in the first row.")
    seen = [h.casefold() for h in header[1:]]
    dupes = sorted({h for h in seen if seen.count(h) > 1})
    if dupes:
        raise OperationError(f"{path.name}: the attribute(s) {', '.join(dupes)} appear twice in the header.")
    body = [(n, (list(r) + [None] * len(header))[:len(header)]) for n, r in numbered[1:]]
    return header, body


# ------------------------------------------------------------------- inference
def infer_type(values: list[object], date_order: str | None = None) -> tuple[str, list[str]]:
    """(value type, choices) for a new attribute from its non-empty column values."""
    values = [v for v in values if not av.is_empty(v)]
    if not values:
        return "text", []

    def all_parse(fn) -> bool:
        try:
            for v in values:
                fn(v)
        except OperationError:
            return False
        return True

    if all(not isinstance(v, (dt.date, dt.datetime)) for v in values) and all_parse(av.parse_number):
        return "number", []
    if all_parse(lambda v: av.parse_date(v, date_order or _column_date_order(values))):
        return "date", []
    distinct = av.clean_choices(str(v) for v in values)
    if len(distinct) <= MAX_INFERRED_CHOICES and len(distinct) < len(values):
        return "choice", distinct
    return "text", []


def _column_date_order(values: list[object]) -> str | None:
    """The day/month order a column itself reveals (a 13/02 or a 02/13 somewhere), if any."""
    orders = {av.date_order_hint(v) for v in values} - {None}
    return orders.pop() if len(orders) == 1 else None


# ------------------------------------------------------------------- import
def import_attributes(project: Project, path: str | Path, *, create_cases: bool = True,
                      date_order: str | None = None) -> ImportReport:
    """Read a CSV/XLSX attribute table into the project as one action; returns the report."""
    path = Path(path)
    header, body = read_table(path)
    report = ImportReport()
    names = header[1:]
    existing = {n: project.attributes.by_name(n) for n in names}
    with project.action() as changes:
        columns: list[tuple[Attribute, str | None]] = []
        for index, name in enumerate(names, start=1):
            attr = existing[name]
            order = date_order
            if attr is None:
                column = [cells[index] for _n, cells in body]
                kind, choices = infer_type(column, date_order)
                order = date_order or _column_date_order(column)
                attr = project.attributes.define(name, kind, choices)
                report.attributes_created.append((attr.name, kind))
            elif attr.value_type == "date":
                order = date_order or _column_date_order([cells[index] for _n, cells in body])
            columns.append((attr, order))
        seen_cases: dict[str, int] = {}
        for row_number, cells in body:
            case_name = " ".join(str(cells[0]).split()) if not av.is_empty(cells[0]) else ""
            if not case_name:
                report.rejected.append((row_number, header[0] or CASE_HEADER, "no case name; row skipped"))
                continue
            if case_name.casefold() in seen_cases:
                report.rejected.append((row_number, header[0] or CASE_HEADER,
                                        f"“{case_name}” already appears in row {seen_cases[case_name.casefold()]}; "
                                        "row skipped"))
                continue
            seen_cases[case_name.casefold()] = row_number
            case = sql.case_by_name(project.db, case_name)
            if case is None:
                if not create_cases:
                    report.unknown_cases.append((row_number, case_name))
                    continue
                case_id = sql.insert_case(project.db, case_name)
                report.cases_created.append(case_name)
                changes.cases = True
            else:
                case_id = case.id
            for (attr, order), raw in zip(columns, cells[1:]):
                if av.is_empty(raw):
                    continue  # an empty cell leaves the value as it is
                try:
                    stored = av.normalise(attr, raw, order)
                except OperationError as exc:
                    report.rejected.append((row_number, attr.name, str(exc)))
                    continue
                if sql.get_value(project.db, case_id, attr.id) == stored:
                    report.values_unchanged += 1
                else:
                    sql.set_value(project.db, case_id, attr.id, stored)
                    report.values_set += 1
        changes.attributes = True
    return report


# ------------------------------------------------------------------- export
def export_attributes(project: Project, path: str | Path) -> int:
    """Write the attribute table (CSV or XLSX by the file's suffix); returns the number of cases."""
    path = Path(path)
    columns = project.attributes.all()
    rows = project.attributes.table()
    header = [CASE_HEADER] + [a.name for a in columns]
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".csv", ".txt"):
            private_files.prepare(path)
        if suffix == ".xlsx":
            _write_xlsx(path, header, columns, rows)
        elif suffix in (".csv", ".txt"):
            with path.open("w", encoding="utf-8-sig", newline="") as fh:
                writer = csv.writer(fh)
                writer.writerow(header)
                for row in rows:
                    writer.writerow([row.case.name] + [attrs.display(row.get(a)) for a in columns])
        else:
            raise ExportFailed(f"{path.name}: attributes are exported as .csv or .xlsx.")
    except OSError as exc:
        raise ExportFailed(f"Could not write {path}: {exc.strerror or exc}") from exc
    return len(rows)


def _write_xlsx(path: Path, header: list[str], columns: list[Attribute], rows: list[attrs.CaseRow]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Attributes"
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate([row.case.name] + [row.get(a) for a in columns], start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # a participant's "=..." is text, never a formula
            elif isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "B2"
    for c, name in enumerate(header, start=1):
        width = max([len(name)] + [len(attrs.display(sheet.cell(row=r, column=c).value))
                                   for r in range(2, min(len(rows), 200) + 2)])
        sheet.column_dimensions[sheet.cell(row=1, column=c).column_letter].width = min(60, width + 2)
    book.save(path)
