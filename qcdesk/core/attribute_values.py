"""Typed attribute values: what a researcher may type, and the one form each is stored in.

Values are kept as text in ``case_attributes.value`` in a canonical form, so sorting,
comparing and exporting never depend on how they were typed: numbers as ``42`` or
``3.5``, dates as ISO 8601 ``2024-03-05``, choices spelled exactly as defined.
A date written ``05/03/2024`` could be 5 March or 3 May; rather than guess, it is
refused with a message unless the caller says which order its source uses.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from qcdesk.core.errors import OperationError
from qcdesk.core.models import Attribute

VALUE_TYPES = ("text", "number", "date", "choice")
#: how a numeric date with slashes, dots or dashes is read when both parts could be the day
DATE_ORDERS = ("dmy", "mdy")

_MONTHS = {name: i for i, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for name in names}
_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_NUMERIC = re.compile(r"^(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_MONTH_NAME_DAY = re.compile(r"^([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def check_type(value_type: str) -> str:
    if value_type not in VALUE_TYPES:
        raise OperationError(f"{value_type!r} is not an attribute type; use one of {', '.join(VALUE_TYPES)}.")
    return value_type


# ------------------------------------------------------------------- numbers
def parse_number(raw: object) -> int | float:
    """A number from what was typed: ``42``, ``3.5``, ``3,5`` (decimal comma), ``1e3``."""
    if isinstance(raw, bool):
        raise OperationError(f"{raw!r} is not a number.")
    if isinstance(raw, (int, float)):
        number = raw
    else:
        text = str(raw).strip().replace("\u2212", "-").replace(" ", "").replace("\u00a0", "")
        if "," in text and "." not in text and text.count(",") == 1:
            if re.fullmatch(r"[+-]?\d{1,3},\d{3}", text):
                raise OperationError(
                    f"“{raw}” is ambiguous: a thousands separator or a decimal comma? "
                    f"Write {text.replace(',', '')} or {text.replace(',', '.')}.")
            text = text.replace(",", ".")
        if not _NUMBER.match(text):
            raise OperationError(f"“{raw}” is not a number.")
        number = float(text)
    if isinstance(number, float) and not math.isfinite(number):
        raise OperationError(f"“{raw}” is not a finite number.")
    if isinstance(number, float) and number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number


def format_number(number: int | float) -> str:
    return str(number) if isinstance(number, int) else repr(number)


# ------------------------------------------------------------------- dates
def _make_date(year: int, month: int, day: int, raw: object) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise OperationError(f"“{raw}” is not a valid date (no day {day} in month {month} of {year}).") from None


def _month(name: str, raw: object) -> int:
    month = _MONTHS.get(name.lower())
    if month is None:
        raise OperationError(f"“{raw}” is not a date: “{name}” is not a month.")
    return month


def parse_date(raw: object, date_order: str | None = None) -> dt.date:
    """A date from ``2024-03-05``, ``5 March 2024``, ``March 5, 2024`` or ``05/03/2024``.

    Numeric day/month forms are read unambiguously when one part is above 12; otherwise
    ``date_order`` ("dmy" or "mdy") decides, and without it the value is refused.
    """
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = " ".join(str(raw).strip().split())
    if m := _ISO.match(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), raw)
    low = text.lower()
    if m := _DAY_MONTH_NAME.match(low):
        return _make_date(int(m[3]), _month(m[2], raw), int(m[1]), raw)
    if m := _MONTH_NAME_DAY.match(low):
        return _make_date(int(m[3]), _month(m[1], raw), int(m[2]), raw)
    if m := _NUMERIC.match(text):
        first, second, year = int(m[1]), int(m[3]), int(m[4])
        if len(m[4]) == 2:
            raise OperationError(f"“{raw}” has a two-digit year; write the year in full (e.g. 20{m[4]}).")
        if first > 12 >= second:
            order = "dmy"
        elif second > 12 >= first:
            order = "mdy"
        elif first == second or date_order in DATE_ORDERS:
            order = date_order or "dmy"
        else:
            raise OperationError(
                f"“{raw}” is ambiguous: {first} {_month_name(second)} or {_month_name(first)} {second}? "
                f"Write it as {year:04d}-{second:02d}-{first:02d} or {year:04d}-{first:02d}-{second:02d} "
                "(year-month-day).")
        day, month = (first, second) if order == "dmy" else (second, first)
        return _make_date(year, month, day, raw)
    raise OperationError(f"“{raw}” is not a date; write it as year-month-day, e.g. 2024-03-05.")


def date_order_hint(raw: object) -> str | None:
    """"dmy" or "mdy" when a numeric date shows its order (a part above 12), else None."""
    m = _NUMERIC.match(str(raw).strip()) if isinstance(raw, str) else None
    if m:
        first, second = int(m[1]), int(m[3])
        if first > 12 >= second:
            return "dmy"
        if second > 12 >= first:
            return "mdy"
    return None


def _month_name(month: int) -> str:
    return dt.date(2000, month, 1).strftime("%B") if 1 <= month <= 12 else str(month)


# ------------------------------------------------------------------- choices
def clean_choices(choices) -> list[str]:
    """Trimmed, non-empty, without duplicates (ignoring case), in the order given."""
    out: list[str] = []
    for choice in choices or ():
        text = " ".join(str(choice).split())
        if text and text.casefold() not in {c.casefold() for c in out}:
            out.append(text)
    return out


# ------------------------------------------------------------------- one entry point
def is_empty(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def normalise(attribute: Attribute, raw: object, date_order: str | None = None) -> str | None:
    """The stored text for ``raw`` (None clears the value), or OperationError saying why not."""
    if is_empty(raw):
        return None
    kind = attribute.value_type
    if kind == "number":
        return format_number(parse_number(raw))
    if kind == "date":
        return parse_date(raw, date_order).isoformat()
    text = " ".join(str(raw).split()) if not isinstance(raw, (dt.date, dt.datetime)) else raw.isoformat()
    if kind == "choice":
        for choice in attribute.choices:
            if choice.casefold() == text.casefold():
                return choice
        allowed = ", ".join(attribute.choices) or "(none defined yet)"
        raise OperationError(f"“{text}” is not one of the choices of {attribute.name}: {allowed}.")
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip() if "\n" in str(raw) else text


def typed(attribute: Attribute, stored: str | None) -> object:
    """The stored text as a Python value: int/float for numbers, date for dates, else str."""
    if stored is None:
        return None
    try:
        if attribute.value_type == "number":
            return parse_number(stored)
        if attribute.value_type == "date":
            return dt.date.fromisoformat(stored)
    except (OperationError, ValueError):
        return stored  # written by another tool: shown as it is rather than lost
    return stored
