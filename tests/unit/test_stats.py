"""Complaint statistics for the reports: durations, rates and months."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.reporting.domain.stats import (
    BUCKET_COUNT,
    RELATIVE_ERROR,
    UNDERFLOW_ERROR,
    DurationHistogram,
    bucket_key,
    complaints_per_1000_visits,
    deadline_rate,
    median,
    month_bounds,
    month_key,
    month_range,
    p90,
    percentile,
    round_half_up,
)

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
HOURS_1_TO_10 = [timedelta(hours=h) for h in (7, 1, 10, 3, 5, 2, 9, 4, 8, 6)]
LAST_EDGE = timedelta(minutes=2**20)  # ≈ 728 days


def within_bound(estimate: timedelta, exact: timedelta) -> bool:
    bound = max(exact * RELATIVE_ERROR, UNDERFLOW_ERROR) + timedelta(microseconds=2)
    return abs(estimate - exact) <= bound


# --- exact percentiles ---------------------------------------------------------------------------


def test_nearest_rank_median_and_p90_of_ten_durations() -> None:
    # Sorted: 1h … 10h. Median rank ⌈0.5 × 10⌉ = 5 → 5 h; p90 rank ⌈0.9 × 10⌉ = 9 → 9 h.
    assert median(HOURS_1_TO_10) == timedelta(hours=5)
    assert p90(HOURS_1_TO_10) == timedelta(hours=9)
    assert percentile(HOURS_1_TO_10, 0) == timedelta(hours=1)
    assert percentile(HOURS_1_TO_10, 100) == timedelta(hours=10)


def test_percentile_of_odd_count_and_single_value() -> None:
    # 3 values: median rank ⌈1.5⌉ = 2; p90 rank ⌈2.7⌉ = 3.
    three = [timedelta(days=4), timedelta(days=1), timedelta(days=2)]
    assert (median(three), p90(three)) == (timedelta(days=2), timedelta(days=4))
    assert median([timedelta(minutes=3)]) == p90([timedelta(minutes=3)]) == timedelta(minutes=3)


def test_no_durations_means_no_statistic() -> None:
    assert median([]) is None and p90([]) is None


@pytest.mark.parametrize("p", [-1, 101])
def test_percentile_outside_0_to_100_is_refused(p: int) -> None:
    with pytest.raises(ValueError, match="between 0 and 100"):
        percentile(HOURS_1_TO_10, p)


def test_negative_duration_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        median([timedelta(hours=1), timedelta(seconds=-1)])
    with pytest.raises(ValueError, match="negative"):
        DurationHistogram().add(timedelta(seconds=-1))


# --- histogram -----------------------------------------------------------------------------------


def test_bucket_edges_are_minutes_doubling_in_eight_steps() -> None:
    # Bucket 0 holds [0, 1 min); 1 min starts bucket 1; 2 min (one doubling, 8 buckets) bucket 9.
    assert bucket_key(timedelta(0)) == bucket_key(timedelta(seconds=59)) == "b000"
    assert bucket_key(timedelta(minutes=1)) == "b001"
    assert bucket_key(timedelta(seconds=119)) == "b008"
    assert bucket_key(timedelta(minutes=2)) == "b009"
    assert bucket_key(timedelta(days=3 * 365)) == f"b{BUCKET_COUNT - 1:03d}"
    assert round(RELATIVE_ERROR, 4) == 0.0433


def test_histogram_estimates_median_and_p90_within_the_bound() -> None:
    # Exact (nearest rank): median 5 h, p90 9 h; estimates within 4.33 %:
    # 4h47m..5h13m and 8h37m..9h23m.
    histogram = DurationHistogram.of(HOURS_1_TO_10)
    assert histogram.count == 10
    median_estimate, p90_estimate = histogram.median(), histogram.p90()
    assert median_estimate is not None and p90_estimate is not None
    assert within_bound(median_estimate, timedelta(hours=5))
    assert within_bound(p90_estimate, timedelta(hours=9))


def test_histogram_under_a_minute_and_beyond_the_last_edge() -> None:
    assert DurationHistogram.of([timedelta(seconds=5)]).median() == timedelta(seconds=30)
    # Beyond ≈ 728 days the estimate is the last edge: the true value is at least that.
    assert DurationHistogram.of([timedelta(days=1000)]).median() == LAST_EDGE


def test_empty_histogram_has_no_statistic() -> None:
    assert DurationHistogram().median() is None and DurationHistogram().p90() is None


def test_histogram_merges_clinics_and_stores_non_empty_buckets() -> None:
    clinic_a = DurationHistogram.of([timedelta(hours=1), timedelta(hours=1)])
    clinic_b = DurationHistogram.of([timedelta(minutes=1)])
    district = clinic_a + clinic_b
    assert district == DurationHistogram.of([timedelta(hours=1)] * 2 + [timedelta(minutes=1)])
    assert district == clinic_a.merge(clinic_b) == sum([clinic_a, clinic_b], DurationHistogram())
    # 1 h = 60 min = 2^5.9 min: bucket ⌊8 × log2 60⌋ + 1 = ⌊47.26⌋ + 1 = 48.
    assert district.to_dict() == {"b001": 1, "b048": 2}
    assert DurationHistogram.from_dict(district.to_dict()) == district
    assert clinic_a.count == 2  # operands unchanged


def test_one_duration_is_one_increment() -> None:
    duration = timedelta(days=2, hours=3)
    assert DurationHistogram.of([duration]).to_dict() == {bucket_key(duration): 1}


@pytest.mark.parametrize(
    ("data", "message"),
    [({"b162": 1}, "unknown"), ({"x": 1}, "unknown"), ({"b001": -1}, "count"),
     ({"b001": 1.5}, "count")],
)  # fmt: skip
def test_histogram_dict_with_foreign_content_is_refused(
    data: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        DurationHistogram.from_dict(data)


durations = st.lists(
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=700)), min_size=1, max_size=200
)


@given(durations, st.sampled_from([0, 10, 50, 90, 95, 100]))
def test_histogram_percentile_is_within_the_bound_of_the_exact_one(
    sample: list[timedelta], p: int
) -> None:
    exact = percentile(sample, p)
    estimate = DurationHistogram.of(sample).percentile(p)
    assert exact is not None and estimate is not None
    assert within_bound(estimate, exact)


@given(durations, durations)
def test_histogram_merge_equals_histogram_of_all(
    first: list[timedelta], second: list[timedelta]
) -> None:
    a, b = DurationHistogram.of(first), DurationHistogram.of(second)
    assert a + b == DurationHistogram.of(first + second) == b + a
    assert DurationHistogram.from_dict((a + b).to_dict()) == a + b


# --- rates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("met", "missed", "rate"),
    [(3, 1, "75.00"), (2, 1, "66.67"), (1, 2, "33.33"), (5, 0, "100.00"), (0, 4, "0.00"),
     (1, 31, "3.13")],  # 100/32 = 3.125 → 3.13 half up
)  # fmt: skip
def test_deadline_rate_is_the_percentage_met(met: int, missed: int, rate: str) -> None:
    assert str(deadline_rate(met, missed)) == rate


def test_deadline_rate_without_deadlines_is_none_and_negative_refused() -> None:
    assert deadline_rate(0, 0) is None
    with pytest.raises(ValueError, match="missed"):
        deadline_rate(1, -1)


def test_complaints_per_1000_visits() -> None:
    # 7 complaints in 2,400 visits: 7,000 / 2,400 = 2.91666… → 2.92.
    assert str(complaints_per_1000_visits(7, 2400)) == "2.92"
    assert str(complaints_per_1000_visits(0, 2400)) == "0.00"
    assert complaints_per_1000_visits(3, 0) is None


@given(st.decimals(min_value=-1000, max_value=1000, places=6))
def test_round_half_up_matches_decimal_round_half_up(value: Decimal) -> None:
    expected = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert round_half_up(Fraction(value)) == expected


def test_round_half_up_of_exact_thirds() -> None:
    assert str(round_half_up(Fraction(2, 3))) == "0.67"
    assert str(round_half_up(Fraction(-2, 3))) == "-0.67"
    assert str(round_half_up(Fraction(1, 1000))) == "0.00"


# --- months --------------------------------------------------------------------------------------


def test_month_key_is_the_clinics_calendar_month() -> None:
    # 16:30 UTC on 30 November = 23:30 WIB (still November), 00:30 WITA and 01:30 WIT (December).
    moment = datetime(2026, 11, 30, 16, 30, tzinfo=UTC)
    assert month_key(moment, WIB) == "2026-11"
    assert month_key(moment, WITA) == month_key(moment, WIT) == "2026-12"


def test_month_key_refuses_naive_time() -> None:
    with pytest.raises(ValueError, match="naive"):
        month_key(datetime(2026, 11, 30, 16, 30), WIB)


def test_month_bounds_are_utc_instants_of_the_local_month() -> None:
    # November in WIB (UTC+7) runs from 31 Oct 17:00 UTC to 30 Nov 17:00 UTC.
    assert month_bounds("2026-11", WIB) == (
        datetime(2026, 10, 31, 17, tzinfo=UTC),
        datetime(2026, 11, 30, 17, tzinfo=UTC),
    )
    # December in WIT (UTC+9) ends at the new year in Jayapura: 31 Dec 15:00 UTC.
    start, end = month_bounds("2026-12", WIT)
    assert (start, end) == (
        datetime(2026, 11, 30, 15, tzinfo=UTC),
        datetime(2026, 12, 31, 15, tzinfo=UTC),
    )
    assert month_key(start, WIT) == "2026-12" and month_key(end, WIT) == "2027-01"


def test_month_range_fills_a_trend_across_the_new_year() -> None:
    assert month_range("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert month_range("2026-05", "2026-05") == ["2026-05"]
    with pytest.raises(ValueError, match="backwards"):
        month_range("2026-02", "2025-11")


@pytest.mark.parametrize("key", ["2026-13", "2026-1", "2026-00", "26-11", "2026/11"])
def test_malformed_month_key_is_refused(key: str) -> None:
    with pytest.raises(ValueError, match="month key"):
        month_bounds(key, WIB)
