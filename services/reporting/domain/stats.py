"""Complaint statistics for the reports (SPEC §5): durations, rates and month keys.

Everything here is pure arithmetic on values the service layer hands in.

Conventions:
- "No data" is ``None``, never 0 or an exception: a month without closed complaints has no
  median, a clinic without visits has no rate. Reports show it as "—".
- Rates and ratios are exact until the end and then rounded to 2 decimals half up
  (:func:`round_half_up`), the same rule as the IKM.
- Percentiles use the **nearest-rank** method: the p-th percentile of n durations is the
  ⌈p·n/100⌉-th smallest (the smallest for p = 0). It is always a duration that actually happened,
  and it reads exactly as the report states it: "p % of complaints took at most this long".
  For an even count the median is therefore the lower of the two middle values, not their mean.
- :class:`DurationHistogram` keeps the same statistics incrementally for any number of complaints
  (a MongoDB document updated with ``$inc``) and estimates them within a stated bound.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from fractions import Fraction
from typing import Final


def round_half_up(value: Fraction | int, places: int = 2) -> Decimal:
    """Round an exact value to ``places`` decimals, halves away from zero.

    Equal to ``Decimal.quantize(..., ROUND_HALF_UP)`` applied to the exact value, but computed with
    integers so that no intermediate decimal rounding can move a value across a half.
    """
    exact = Fraction(value)
    scaled = abs(exact) * 10**places + Fraction(1, 2)
    digits = scaled.numerator // scaled.denominator
    rounded = Decimal(digits).scaleb(-places)
    return -rounded if exact < 0 and digits else rounded


# --- percentiles of a sample ----------------------------------------------------------------------


def _check_percent(p: int) -> None:
    if not 0 <= p <= 100:
        raise ValueError(f"percentile must be between 0 and 100, got {p}")


def _nearest_rank(p: int, n: int) -> int:
    """1-based rank of the p-th percentile among n values (nearest-rank method)."""
    return max(1, -(-p * n // 100))


def percentile(durations: Sequence[timedelta], p: int) -> timedelta | None:
    """The p-th percentile (nearest rank) of the durations; ``None`` when there are none."""
    _check_percent(p)
    if not durations:
        return None
    ordered = sorted(durations)
    if ordered[0] < timedelta(0):
        raise ValueError(f"durations cannot be negative, got {ordered[0]}")
    return ordered[_nearest_rank(p, len(ordered)) - 1]


def median(durations: Sequence[timedelta]) -> timedelta | None:
    """The median duration (nearest rank: the lower middle value for an even count)."""
    return percentile(durations, 50)


def p90(durations: Sequence[timedelta]) -> timedelta | None:
    """The duration that 90 % of the durations do not exceed (nearest rank)."""
    return percentile(durations, 90)


# --- the histogram kept incrementally ------------------------------------------------------------

_BUCKETS_PER_DOUBLING: Final = 8
_DOUBLINGS: Final = 20
_FIRST_EDGE_SECONDS: Final = 60.0
# Bucket edges in seconds: 1 minute × 2^(i/8) for i = 0..160, the last ≈ 2^20 minutes ≈ 728 days.
_EDGES: Final[tuple[float, ...]] = tuple(
    _FIRST_EDGE_SECONDS * 2.0 ** (i / _BUCKETS_PER_DOUBLING)
    for i in range(_BUCKETS_PER_DOUBLING * _DOUBLINGS + 1)
)
BUCKET_COUNT: Final = len(_EDGES) + 1
"""Bucket 0 is [0, 1 min); bucket i in 1..160 is [edge i−1, edge i); the last is ≥ ≈ 728 days."""
_GROWTH: Final = 2.0 ** (1 / _BUCKETS_PER_DOUBLING)
RELATIVE_ERROR: Final = (_GROWTH - 1) / (_GROWTH + 1)
"""Bound on |estimate − true| / true for a percentile that falls in a log bucket (≈ 4.33 %)."""
UNDERFLOW_ERROR: Final = timedelta(seconds=_FIRST_EDGE_SECONDS / 2)
"""Bound on |estimate − true| for a percentile under one minute (estimated as 30 s)."""
_KEY: Final = re.compile(r"b(\d{3})")


def _bucket_index(duration: timedelta) -> int:
    if duration < timedelta(0):
        raise ValueError(f"durations cannot be negative, got {duration}")
    return bisect_right(_EDGES, duration.total_seconds())


def _representative(index: int) -> timedelta:
    """The estimate for any value in the bucket.

    For a log bucket [lo, hi) it is the harmonic mean 2·lo·hi/(lo+hi), which is off by at most
    (hi−lo)/(hi+lo) = RELATIVE_ERROR of the true value at either end. Under one minute it is 30 s.
    In the last, open bucket it is its lower edge: the true value is at least that.
    """
    if index == 0:
        return UNDERFLOW_ERROR
    low = _EDGES[index - 1]
    if index == BUCKET_COUNT - 1:
        return timedelta(seconds=low)
    high = _EDGES[index]
    return timedelta(seconds=2 * low * high / (low + high))


def bucket_key(duration: timedelta) -> str:
    """The stored key of the duration's bucket, e.g. ``"b057"`` (for a ``$inc`` of 1)."""
    return f"b{_bucket_index(duration):03d}"


class DurationHistogram:
    """Counts of durations in fixed log-spaced buckets: additive, mergeable, storable.

    The bucket layout is part of the stored format: documents written with one layout cannot be
    read with another. Percentile estimates follow the nearest-rank definition of
    :func:`percentile` and are within ``RELATIVE_ERROR`` (relative) of the exact sample value, or
    within ``UNDERFLOW_ERROR`` (absolute) when that value is under a minute; a value beyond the last
    edge (≈ 728 days) is reported as that edge.
    """

    __slots__ = ("_counts",)

    def __init__(self) -> None:
        self._counts: list[int] = [0] * BUCKET_COUNT

    @classmethod
    def of(cls, durations: Iterable[timedelta]) -> DurationHistogram:
        histogram = cls()
        for duration in durations:
            histogram.add(duration)
        return histogram

    @property
    def count(self) -> int:
        return sum(self._counts)

    def add(self, duration: timedelta) -> None:
        """Count one duration (refuses a negative one)."""
        self._counts[_bucket_index(duration)] += 1

    def merge(self, *others: DurationHistogram) -> DurationHistogram:
        """A new histogram of this one's counts plus the others'; the operands are unchanged."""
        merged = DurationHistogram()
        columns = zip(self._counts, *(other._counts for other in others), strict=True)
        merged._counts = [sum(column) for column in columns]
        return merged

    def __add__(self, other: DurationHistogram) -> DurationHistogram:
        return self.merge(other)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DurationHistogram):
            return NotImplemented
        return self._counts == other._counts

    def __repr__(self) -> str:
        return f"DurationHistogram({self.to_dict()!r})"

    def percentile(self, p: int) -> timedelta | None:
        """Estimated p-th percentile (nearest rank); ``None`` when empty."""
        _check_percent(p)
        total = self.count
        if total == 0:
            return None
        rank = _nearest_rank(p, total)
        seen = 0
        for index, bucket_count in enumerate(self._counts):
            seen += bucket_count
            if seen >= rank:
                return _representative(index)
        raise AssertionError("unreachable: rank is at most the total count")

    def median(self) -> timedelta | None:
        return self.percentile(50)

    def p90(self) -> timedelta | None:
        return self.percentile(90)

    def to_dict(self) -> dict[str, int]:
        """Non-empty buckets only: ``{"b057": 12, ...}`` — the shape of a ``$inc`` document."""
        return {f"b{i:03d}": n for i, n in enumerate(self._counts) if n}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> DurationHistogram:
        """Read :meth:`to_dict`'s shape back; missing buckets are 0, unknown keys are refused."""
        histogram = cls()
        for key, value in data.items():
            match = _KEY.fullmatch(key)
            if match is None or int(match.group(1)) >= BUCKET_COUNT:
                raise ValueError(f"unknown histogram bucket {key!r}")
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"histogram bucket {key!r} must be a count >= 0, got {value!r}")
            histogram._counts[int(match.group(1))] = value
        return histogram


# --- rates ---------------------------------------------------------------------------------------


def _check_count(name: str, value: int) -> None:
    if value < 0:
        raise ValueError(f"{name} cannot be negative, got {value}")


def deadline_rate(met: int, missed: int) -> Decimal | None:
    """Percentage of deadlines met, 2 decimals half up; ``None`` when no deadline fell due."""
    _check_count("met", met)
    _check_count("missed", missed)
    if met + missed == 0:
        return None
    return round_half_up(Fraction(100 * met, met + missed))


def complaints_per_1000_visits(complaints: int, visits: int) -> Decimal | None:
    """Complaints per 1,000 visits, 2 decimals half up; ``None`` when there were no visits."""
    _check_count("complaints", complaints)
    _check_count("visits", visits)
    if visits == 0:
        return None
    return round_half_up(Fraction(1000 * complaints, visits))


# --- months --------------------------------------------------------------------------------------

_MONTH_KEY: Final = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def month_key(moment: datetime, tz: tzinfo) -> str:
    """The month, in the clinic's zone, of an aware instant: ``"2026-11"``.

    Times are UTC inside; a report month is the clinic's calendar month: 2026-11-30 16:30 UTC is
    still November in WIB (23:30) but already December in WITA and WIT.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a naive datetime has no month in a zone: {moment.isoformat()}")
    local = moment.astimezone(tz)
    return f"{local.year:04d}-{local.month:02d}"


def parse_month_key(key: str) -> tuple[int, int]:
    """``"2026-11"`` → ``(2026, 11)``; refuses anything else."""
    match = _MONTH_KEY.fullmatch(key)
    if match is None:
        raise ValueError(f"month key must look like 2026-11, got {key!r}")
    return int(match.group(1)), int(match.group(2))


def month_bounds(key: str, tz: tzinfo) -> tuple[datetime, datetime]:
    """The month in the clinic's zone as UTC instants: start inclusive, end exclusive."""
    year, month = parse_month_key(key)
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def covered_dates(first: str, last: str) -> tuple[date, date]:
    """The days a report of the months ``first`` to ``last`` covers: the first day of the
    first month to the last day of the last month (reports are kept by whole months)."""
    year, month = parse_month_key(first)
    end_year, end_month = parse_month_key(last)
    following = date(end_year + end_month // 12, end_month % 12 + 1, 1)
    return date(year, month, 1), following - timedelta(days=1)


def month_range(first: str, last: str) -> list[str]:
    """Every month key from ``first`` to ``last`` inclusive, for a trend without gaps."""
    year, month = parse_month_key(first)
    end = parse_month_key(last)
    if (year, month) > end:
        raise ValueError(f"month range runs backwards: {first} > {last}")
    keys: list[str] = []
    while (year, month) <= end:
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys
