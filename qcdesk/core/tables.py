"""A neutral table (title, headers, cells, notes) and its writers: CSV for any tool, XLSX for Excel.

Matrices, reports and statistics build a :class:`Table`; :func:`write_table` writes it by the
file's suffix. Both formats put the column headers in the first row and the row headers in the
first column, so a table re-reads as it was written; notes follow the table after one empty row.

* CSV is UTF-8 with a byte-order mark, which Excel needs to read accented names and emoji
  correctly; row-header indentation (the codebook tree) is written as two spaces per level.
* XLSX has a bold header row, frozen panes (headers stay visible while scrolling), columns as
  wide as their contents (within limits), numbers as numbers and indentation as cell indent.

Text that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``) is
written as text: a code named "=HYPERLINK(...)" must never become a live formula.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qcdesk.core import private_files
from qcdesk.core.errors import OperationError

#: spreadsheet column width limits, in characters
MIN_WIDTH, MAX_WIDTH = 6, 60
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Table:
    title: str
    column_headers: list[str]
    row_headers: list[str]
    #: one list per row, as long as ``column_headers``; numbers, text or None (an empty cell)
    cells: list[list[Any]]
    notes: list[str] = field(default_factory=list)
    #: indentation of each row header (0 = top level); empty means all 0
    row_levels: list[int] = field(default_factory=list)
    #: the header above the row headers (top-left cell)
    corner: str = ""
    #: identifiers for the program that built the table (what a row or column stands for);
    #: the writers ignore them
    keys: dict = field(default_factory=dict)

    def level(self, row: int) -> int:
        return self.row_levels[row] if row < len(self.row_levels) else 0

    def max_value(self) -> float:
        """The largest number among the cells (0 when there is none): for shading."""
        numbers = [v for row in self.cells for v in row if isinstance(v, (int, float)) and not isinstance(v, bool)]
        return max(numbers, default=0)


def _is_number_text(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _safe_text(value: Any) -> Any:
    """Text a spreadsheet would evaluate gets a leading apostrophe (the OWASP advice for CSV)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _is_number_text(value):
        return "'" + value
    return value


def write_csv(table: Table, path: str | Path) -> Path:
    path = private_files.prepare(path)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([_safe_text(table.corner)] + [_safe_text(h) for h in table.column_headers])
        for i, (header, row) in enumerate(zip(table.row_headers, table.cells)):
            name = "  " * table.level(i) + header
            writer.writerow([_safe_text(name)] + ["" if v is None else _safe_text(v) for v in row])
        if table.notes:
            writer.writerow([])
            for note in table.notes:
                writer.writerow([_safe_text(note)])
    return path


def write_xlsx(table: Table, path: str | Path) -> Path:
    return write_xlsx_sheets([table], path)


def write_xlsx_sheets(tables: list[Table], path: str | Path) -> Path:
    """One workbook with one sheet per table (sheet names made unique), in order."""
    from openpyxl import Workbook

    path = Path(path)
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for table in tables or [Table("Table", [], [], [])]:
        name = _sheet_title(table.title)
        n = 2
        while name.casefold() in used:
            suffix = f" ({n})"
            name = _sheet_title(table.title)[:31 - len(suffix)] + suffix
            n += 1
        used.add(name.casefold())
        _fill_sheet(book.create_sheet(name), table)
    book.properties.title = tables[0].title if len(tables) == 1 else ", ".join(t.title for t in tables)[:250]
    path = private_files.prepare(path)
    book.save(path)
    return path


def _fill_sheet(sheet, table: Table) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)

    def put(row: int, col: int, value: Any):
        cell = sheet.cell(row=row, column=col, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell

    for col, header in enumerate([table.corner] + list(table.column_headers), start=1):
        put(1, col, header).font = bold
    for i, (header, row) in enumerate(zip(table.row_headers, table.cells), start=2):
        cell = put(i, 1, header)
        cell.font = bold
        if table.level(i - 2):
            cell.alignment = Alignment(indent=table.level(i - 2))
        for col, value in enumerate(row, start=2):
            put(i, col, value)
    if table.notes:
        first = len(table.row_headers) + 3
        for offset, note in enumerate(table.notes):
            put(first + offset, 1, note).font = Font(italic=True)
    sheet.freeze_panes = "B2"
    widths = [len(table.corner)] + [len(str(h)) for h in table.column_headers]
    for i, (header, row) in enumerate(zip(table.row_headers, table.cells)):
        widths[0] = max(widths[0], len(header) + 2 * table.level(i))
        for col, value in enumerate(row, start=1):
            widths[col] = max(widths[col], len("" if value is None else str(value)))
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = max(MIN_WIDTH, min(MAX_WIDTH, width + 2))


def _sheet_title(title: str) -> str:
    """Excel's sheet-name rules: at most 31 characters, none of []:*?/\\ ."""
    cleaned = "".join(" " if ch in '[]:*?/\\' else ch for ch in title).strip()
    return cleaned[:31] or "Table"


WRITERS = {".csv": write_csv, ".xlsx": write_xlsx}


def write_table(table: Table, path: str | Path) -> Path:
    """Write ``table`` as CSV or XLSX, chosen by the file's suffix."""
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise OperationError(f"Tables are written as .csv or .xlsx, not {path.suffix or 'a file without suffix'}.")
    return writer(table, path)
