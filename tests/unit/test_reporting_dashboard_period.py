"""The period a dashboard page shows, read from its query string."""

from __future__ import annotations

from datetime import date

import pytest

from services.reporting.dashboard_period import (
    Period,
    PeriodError,
    months_before,
    read_month,
    read_period,
)

TODAY = date(2026, 11, 26)


def test_without_a_period_the_page_shows_the_twelve_months_up_to_this_one() -> None:
    period = read_period({}, TODAY)
    assert (period.first, period.last, len(period.months)) == ("2025-12", "2026-11", 12)


def test_one_end_given_sets_the_other_by_it() -> None:
    assert read_period({"to": "2026-03"}, TODAY) == Period("2025-04", "2026-03")
    assert read_period({"from": "2026-10"}, TODAY) == Period("2026-10", "2026-11")
    assert read_period({"from": "2027-02"}, TODAY) == Period("2027-02", "2027-02")


def test_the_report_links_ask_for_the_first_day_to_the_last_day_of_the_period() -> None:
    period = Period("2026-01", "2026-10")
    assert period.api_query == {"from": "2026-01-01", "to": "2026-10-31"}
    assert period.query == {"from": "2026-01", "to": "2026-10"}
    assert Period("2028-02", "2028-02").api_query["to"] == "2028-02-29"  # a leap year
    assert Period("2026-11", "2026-12").api_query["to"] == "2026-12-31"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-13"}, "from"),
        ({"from": "Oktober"}, "from"),
        ({"to": "2026-1"}, "to"),
        ({"from": "2026-10", "to": "2026-09"}, "to"),
        ({"from": "2023-01", "to": "2026-01"}, "to"),  # 37 months
    ],
)
def test_a_refused_period_names_its_field(query: dict[str, str], field: str) -> None:
    with pytest.raises(PeriodError) as refused:
        read_period(query, TODAY)
    assert refused.value.field == field and refused.value.reason


def test_thirty_six_months_are_the_longest_period() -> None:
    assert len(read_period({"from": "2023-12", "to": "2026-11"}, TODAY).months) == 36


def test_months_count_back_and_forward_across_years() -> None:
    assert months_before("2026-03", 3) == "2025-12"
    assert months_before("2025-12", -1) == "2026-01"
    assert months_before("2026-01", 24) == "2024-01"


def test_a_single_month_defaults_and_is_checked() -> None:
    assert read_month(None, "month", "2026-11") == "2026-11"
    assert read_month("2026-02", "month", "2026-11") == "2026-02"
    with pytest.raises(PeriodError, match="month"):
        read_month("2026-00", "month", "2026-11")
