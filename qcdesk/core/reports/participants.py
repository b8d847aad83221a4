"""The "attributes" report: who the participants are.

One line per attribute ("Gender: 24 women, 19 men"), a table of cases per value with n and
% (choices in their own order, numbers by size, dates by date; number attributes optionally
grouped into bins), and a table with one row per participant (case × attributes).

The report describes cases, so it honours the filters that choose cases: cases, attribute
values, and documents or document sets (the cases with text in them). Filters on codings
(coders, speakers, codes) cannot narrow a list of cases and are refused with a sentence.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_right
from collections import Counter

from qcdesk.core import tables as sheet
from qcdesk.core.errors import ExportFailed
from qcdesk.core.reports.selection import ReportOptions, select

TITLE_VALUES = "Participants by attribute"
TITLE_CASES = "Participants and their attributes"


def _refuse(options: ReportOptions) -> None:
    for value, what in ((options.coder_ids, "coder"), (options.speakers, "speaker"),
                        (options.code_ids, "code")):
        if value is not None:
            raise ExportFailed(f"The participants report lists cases, so it cannot be narrowed by {what}; "
                               "choose cases, attribute values, documents or sets instead.")


def chosen_rows(project, options: ReportOptions):
    """The cases the report describes (with their typed values) and the filter sentences."""
    from qcdesk.core.retrieval import CaseMap

    _refuse(options)
    selection = select(project, options)  # unknown ids and values nobody has are errors here
    rows = project.attributes.table()
    found = selection.segment_filter
    if found.case_ids is not None:
        rows = [r for r in rows if r.case.id in found.case_ids]
    descriptions = list(found.descriptions)
    if options.document_ids is not None or options.pseudonymised_only or options.set_ids is not None:
        case_map = CaseMap(project)
        docs = selection.document_ids
        rows = [r for r in rows if case_map.documents_of({r.case.id}) & docs]
        if options.document_ids is not None or options.pseudonymised_only:
            descriptions.insert(0, "cases with text in " + ", ".join(d.name for d in selection.documents))
    return rows, descriptions


def _order(attribute, value) -> tuple:
    """Choices in their defined order, numbers by size, dates by date, text alphabetically."""
    if attribute.value_type == "choice":
        folded = [c.casefold() for c in attribute.choices]
        text = str(value).casefold()
        return (0, folded.index(text) if text in folded else len(folded), text)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (1, float(value), "")
    if isinstance(value, dt.date):
        return (1, value.toordinal(), "")
    return (2, 0, str(value).casefold())


def edges_for(values: list[float], bins: int | list[float]) -> list[float]:
    """Bin edges: ``bins`` equal widths from the smallest to the largest value, or the edges given."""
    if isinstance(bins, int):
        if bins < 1:
            raise ExportFailed("The number of bins must be at least 1.")
        lo, hi = min(values), max(values)
        if hi == lo:
            return [lo, hi]
        width = (hi - lo) / bins
        return [lo + i * width for i in range(bins)] + [hi]
    edges = sorted({float(e) for e in bins})
    if len(edges) < 2:
        raise ExportFailed("Give at least two bin edges, e.g. 20,30,40.")
    return edges


def _number(value: float) -> str:
    from qcdesk.core.attributes import display

    if math.isclose(value, round(value)):
        return str(int(round(value)))
    return display(round(value, 2))


def binned(values: list[float], edges: list[float]) -> list[tuple[str, int]]:
    """(label, count) per bin: ``[edge, next edge)``, the last one closed; values outside the
    edges get a "below" and an "above" row."""
    counts = [0] * (len(edges) - 1)
    below = above = 0
    for v in values:
        if v < edges[0]:
            below += 1
        elif v > edges[-1]:
            above += 1
        else:
            counts[min(len(counts) - 1, bisect_right(edges, v) - 1)] += 1
    out = [(f"below {_number(edges[0])}", below)] if below else []
    for i, n in enumerate(counts):
        last = i == len(counts) - 1
        out.append((f"{_number(edges[i])} to {'' if last else 'under '}{_number(edges[i + 1])}", n))
    if above:
        out.append((f"above {_number(edges[-1])}", above))
    return out


def value_rows(attribute, values: list, bins=None) -> list[tuple[str, int]]:
    """(value, cases) rows for one attribute, in the attribute's natural order."""
    from qcdesk.core.attributes import display

    numbers = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if bins is not None and attribute.value_type == "number" and numbers:
        return binned(numbers, edges_for(numbers, bins))
    counted = Counter(values)
    return [(display(v), n) for v, n in sorted(counted.items(), key=lambda kv: _order(attribute, kv[0]))]


def _percent(n: int, total: int) -> str:
    return f"{100 * n / total:.0f}%" if total else ""


def value_table(project, options: ReportOptions, rows=None) -> sheet.Table:
    """Cases per attribute value, with the share of the cases described: the spreadsheet form."""

    if rows is None:
        rows, _ = chosen_rows(project, options)
    total = len(rows)
    headers, levels, cells = [], [], []
    for attr in project.attributes.all():
        values = [r.values[attr.id] for r in rows if r.values.get(attr.id) is not None]
        headers.append(attr.name)
        levels.append(0)
        cells.append([len(values), _percent(len(values), total)])
        for label, n in value_rows(attr, values, options.bins):
            headers.append(label)
            levels.append(1)
            cells.append([n, _percent(n, total)])
        if total > len(values):
            headers.append("not recorded")
            levels.append(1)
            cells.append([total - len(values), _percent(total - len(values), total)])
    notes = [f"n = number of cases; % of the {total} case(s) described."]
    if options.bins is not None:
        notes.append("Number attributes are grouped into bins; each bin holds values from its lower "
                     "edge up to (not including) the next, the last one includes its upper edge.")
    return sheet.Table(TITLE_VALUES, ["n", "%"], headers, cells, notes, levels, corner="Attribute / value")


def case_table(project, options: ReportOptions, rows=None) -> sheet.Table:
    """One row per participant (case), one column per attribute."""

    if rows is None:
        rows, _ = chosen_rows(project, options)
    attrs = project.attributes.all()
    return sheet.Table(TITLE_CASES, [a.name for a in attrs], [r.case.name for r in rows],
                       [[_plain(r.values.get(a.id)) for a in attrs] for r in rows],
                       ["An empty cell: the value is not recorded."] if rows and attrs else [],
                       corner="Case")


def _plain(value):
    """Numbers stay numbers (a spreadsheet can sum them); everything else as written in reports."""
    from qcdesk.core.attributes import display

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return display(value)


def tables(project, options: ReportOptions) -> list[sheet.Table]:
    rows, _ = chosen_rows(project, options)
    return [value_table(project, options, rows), case_table(project, options, rows)]
