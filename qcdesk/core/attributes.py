"""Attributes of cases (gender, role, school, age...): definitions, typed values, table, summary.

Each attribute has a type (text, number, date, choice); values are checked and stored in
one canonical form (see :mod:`qcdesk.core.attribute_values`), so the table sorts and the
summary counts the way a researcher expects. Changes set ``Changes.attributes``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from statistics import mean, median

from qcdesk.core import attribute_values as av
from qcdesk.core.errors import OperationError
from qcdesk.core.models import Attribute, Case
from qcdesk.core.project import Project
from qcdesk.core.storage import cases as sql
from qcdesk.core.undo import Done, restore_then, swap, touched

MAX_NAME = 100


class AttributeService:
    """The attributes of cases in one project (``project.attributes``)."""

    def __init__(self, project: "Project"):
        self.project = project

    def all(self) -> list[Attribute]:
        """All attributes, in the order they were defined (the columns of the table)."""
        return sql.all_attributes(self.project.db)

    def get(self, attribute_id: int) -> Attribute:
        found = sql.get_attribute(self.project.db, attribute_id)
        if found is None:
            raise OperationError(f"Attribute {attribute_id} does not exist.")
        return found

    def by_name(self, name: str) -> Attribute | None:
        return sql.attribute_by_name(self.project.db, " ".join(name.split()))

    def _check_name(self, name: str, other_than: int | None = None) -> str:
        name = " ".join(str(name).split())
        if not name:
            raise OperationError("An attribute needs a name.")
        if len(name) > MAX_NAME:
            raise OperationError(f"Attribute names are limited to {MAX_NAME} characters.")
        existing = sql.attribute_by_name(self.project.db, name)
        if existing is not None and existing.id != other_than:
            raise OperationError(f"There is already an attribute called “{existing.name}”.")
        return name

    def define(self, name: str, value_type: str = "text",
                         choices: list[str] | tuple[str, ...] = ()) -> Attribute:
        name = self._check_name(name)
        av.check_type(value_type)
        with self.project.action() as changes:
            attr_id = sql.insert_attribute(self.project.db, name, value_type, av.clean_choices(choices))
            changes.attributes = True
        return self.get(attr_id)

    def rename(self, attribute_id: int, name: str) -> Attribute:
        return self.update(attribute_id, name=name)

    def update(self, attribute_id: int, *, name: str | None = None,
                         value_type: str | None = None, choices: list[str] | tuple[str, ...] | None = None,
                         date_order: str | None = None) -> Attribute:
        """Rename, retype or change the choices; existing values are converted to the new type,
        and if any cannot be, nothing changes and the message lists the cases concerned."""
        old = self.get(attribute_id)
        new = Attribute(old.id,
                        self._check_name(name, attribute_id) if name is not None else old.name,
                        av.check_type(value_type) if value_type is not None else old.value_type,
                        tuple(av.clean_choices(choices)) if choices is not None else old.choices)
        values = sql.values_of_attribute(self.project.db, attribute_id)
        converted: dict[int, str | None] = {}
        problems: list[str] = []
        names = {c.id: c.name for c in sql.all_cases(self.project.db)}
        for case_id, stored in values.items():
            try:
                converted[case_id] = av.normalise(new, stored, date_order)
            except OperationError as exc:
                problems.append(f"{names.get(case_id, case_id)}: {exc}")
        if problems:
            shown = "\n".join(problems[:10]) + (f"\n… and {len(problems) - 10} more" if len(problems) > 10 else "")
            raise OperationError(f"{new.name} was not changed: {len(problems)} value(s) do not fit.\n{shown}")
        with self.project.action() as changes:
            sql.update_attribute(self.project.db, attribute_id, new.name, new.value_type, list(new.choices))
            for case_id, text in converted.items():
                if text != values[case_id]:
                    sql.set_value(self.project.db, case_id, attribute_id, text)
            changes.attributes = True
        return self.get(attribute_id)

    def delete(self, attribute_id: int) -> Done[dict]:
        """Delete an attribute and its values; the value is the snapshot of what went."""
        self.get(attribute_id)
        rows = self._delete(attribute_id)
        return Done(rows, restore_then("Restore attribute", lambda r: self._restore(r), rows,
                                       lambda: self._delete(attribute_id), "Delete attribute",
                                       touched("attributes", [attribute_id])))

    def _delete(self, attribute_id: int) -> dict:
        with self.project.action() as changes:
            rows = sql.attribute_snapshot(self.project.db, attribute_id)
            sql.delete_attribute(self.project.db, attribute_id)
            changes.attributes = True
        return rows

    def _restore(self, rows: dict[str, list[dict]]) -> None:
        with self.project.action() as changes:
            sql.restore_rows(self.project.db, rows)
            changes.attributes = True

    def value(self, case_id: int, attribute_id: int) -> object:
        """The typed value (int/float, date, str) or None when not set."""
        return av.typed(self.get(attribute_id), sql.get_value(self.project.db, case_id, attribute_id))

    def stored_value(self, case_id: int, attribute_id: int) -> str | None:
        """The canonical text as stored (what undo puts back)."""
        return sql.get_value(self.project.db, case_id, attribute_id)

    def set_value(self, case_id: int, attribute_id: int, raw: object,
                  date_order: str | None = None) -> Done[object]:
        """Check and store one value (empty clears it); the value is the typed value stored, the undo
        puts back the stored text exactly."""
        attr = self.get(attribute_id)
        if sql.get_case(self.project.db, case_id) is None:
            raise OperationError(f"Case {case_id} does not exist.")
        old = sql.get_value(self.project.db, case_id, attribute_id)
        stored = av.normalise(attr, raw, date_order)
        if stored == old:
            return Done(av.typed(attr, stored), None)
        self._store(case_id, attribute_id, stored)
        return Done(av.typed(attr, stored), swap("Set a value", lambda v: self._store(case_id, attribute_id, v), old,
                                                 stored, touched("cases", [case_id])))

    def _store(self, case_id: int, attribute_id: int, stored: str | None) -> None:
        with self.project.action() as changes:
            sql.set_value(self.project.db, case_id, attribute_id, stored)
            changes.attributes = True

    def table(self) -> list[CaseRow]:
        """Every case (by name) with its typed values; columns are :func:`attributes`."""
        attrs = {a.id: a for a in self.all()}
        stored = sql.all_values(self.project.db)
        rows = []
        for case in sql.all_cases(self.project.db):
            values = {aid: av.typed(attr, stored[(case.id, aid)])
                      for aid, attr in attrs.items() if (case.id, aid) in stored}
            rows.append(CaseRow(case, values))
        return rows

    def summary(self, attribute_ids: list[int] | None = None,
                          case_ids: list[int] | None = None) -> list[AttributeSummary]:
        """Counts per value (choices and text), range/mean/median (numbers), range (dates),
        over all cases or ``case_ids``; one summary per attribute in table order."""
        rows = self.table()
        if case_ids is not None:
            keep = set(case_ids)
            rows = [r for r in rows if r.case.id in keep]
        out = []
        for attr in self.all():
            if attribute_ids is not None and attr.id not in attribute_ids:
                continue
            values = [r.values[attr.id] for r in rows if r.values.get(attr.id) is not None]
            counted = Counter(display(v) for v in values)
            if attr.value_type == "choice":
                order = {c: i for i, c in enumerate(attr.choices)}
                counts = sorted(counted.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
            else:
                counts = sorted(counted.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
            numbers = [v for v in values if isinstance(v, (int, float))]
            dates = [v for v in values if isinstance(v, dt.date)]
            low: object = None
            high: object = None
            middle: float | None = None
            average: float | None = None
            if attr.value_type == "number" and numbers:
                low, high, average, middle = min(numbers), max(numbers), float(mean(numbers)), median(numbers)
            elif attr.value_type == "date" and dates:
                low, high = min(dates), max(dates)
            out.append(AttributeSummary(attr, len(rows), len(rows) - len(values), counts,
                                        minimum=low, maximum=high, mean=average, median=middle))
        return out


# ------------------------------------------------------------------- values


# ------------------------------------------------------------------- table
@dataclass(frozen=True)
class CaseRow:
    """One row of the attribute table: a case and its typed values by attribute id."""

    case: Case
    values: dict[int, object] = field(default_factory=dict)

    def get(self, attribute: Attribute) -> object:
        return self.values.get(attribute.id)


def display(value: object) -> str:
    """How a typed value is written in tables and reports."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# ------------------------------------------------------------------- summary
@dataclass(frozen=True)
class AttributeSummary:
    """What the participants are like on one attribute, for the methods section of a report."""

    attribute: Attribute
    cases: int
    missing: int
    #: (value, number of cases), most frequent first; choices in their defined order
    counts: list[tuple[str, int]]
    minimum: object = None
    maximum: object = None
    mean: float | None = None
    median: float | None = None

    def text(self) -> str:
        """One line, e.g. ``gender: 24 women, 19 men (2 not recorded)``."""
        kind = self.attribute.value_type
        if kind == "number" and self.minimum is not None:
            body = (f"{display(self.minimum)}–{display(self.maximum)}, mean {self.mean:.1f}, "
                    f"median {display(self.median)}")
        elif kind == "date" and self.minimum is not None:
            body = f"{display(self.minimum)} to {display(self.maximum)}"
        elif self.counts:
            body = ", ".join(f"{n} {label}" for label, n in self.counts)
        else:
            body = "no values"
        if self.missing and self.cases > self.missing:
            body += f" ({self.missing} not recorded)"
        return f"{self.attribute.name}: {body}"


