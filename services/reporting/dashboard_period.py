"""The period a dashboard page shows: whole months, read from the page's query string.

The pages speak months (``from=2026-01&to=2026-10``, ``month=2026-10``); the report endpoints
they link to take dates, so a period also gives their parameters. A refused value names its
field and the reason, and the page then shows nothing but the form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final

from services.reporting.domain.stats import covered_dates, month_range

MONTH: Final = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
DEFAULT_MONTHS: Final = 12
MAX_MONTHS: Final = 36
_FORMAT: Final = "isi bulan dengan format TTTT-BB, misalnya 2026-10"


class PeriodError(Exception):
    """A period the page refuses, naming the field and the reason (in Indonesian)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


@dataclass(frozen=True, slots=True)
class Period:
    first: str  # "2026-01"
    last: str  # "2026-10"

    @property
    def months(self) -> list[str]:
        return month_range(self.first, self.last)

    @property
    def query(self) -> dict[str, str]:
        """The page's own parameters (for links that keep the period)."""
        return {"from": self.first, "to": self.last}

    @property
    def api_query(self) -> dict[str, str]:
        """The report endpoints' parameters: the first and the last day of the period, exactly
        the days the reports cover."""
        start, end = covered_dates(self.first, self.last)
        return {"from": start.isoformat(), "to": end.isoformat()}


def this_month(today: date) -> str:
    return f"{today:%Y-%m}"


def months_before(month: str, count: int) -> str:
    """The month ``count`` months before ``month``: ("2026-03", 3) → "2025-12"."""
    year, number = int(month[:4]), int(month[5:])
    index = year * 12 + number - 1 - count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def read_month(value: str | None, field: str, default: str) -> str:
    if value is None or value == "":
        return default
    if not MONTH.match(value):
        raise PeriodError(field, _FORMAT)
    return value


def read_period(query: Mapping[str, str], today: date) -> Period:
    """The period asked for in ``from``/``to``. Without ``to`` it ends this month (or at
    ``from`` when that is later); without ``from`` it is the twelve months up to ``to``."""
    last = read_month(query.get("to"), "to", "")
    first = read_month(query.get("from"), "from", "")
    if not last:
        last = max(this_month(today), first)
    if not first:
        first = months_before(last, DEFAULT_MONTHS - 1)
    if last < first:
        raise PeriodError("to", "bulan akhir tidak boleh sebelum bulan awal")
    if len(month_range(first, last)) > MAX_MONTHS:
        raise PeriodError("to", f"periode paling panjang {MAX_MONTHS} bulan")
    return Period(first, last)
