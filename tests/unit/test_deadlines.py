"""The deadline calendar: Indonesian working days, counted in the clinic's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import holidays
import pytest

from services.triage.domain.deadlines import DeadlinePolicy, PolicyOverride, WorkingCalendar
from services.triage.domain.errors import InvalidCommand

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")


def at(zone: ZoneInfo, year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def end_of(zone: ZoneInfo, year: int, month: int, day: int) -> datetime:
    """The due moment of a deadline falling on that local day, as stored (UTC)."""
    return datetime(year, month, day, 23, 59, 59, tzinfo=zone).astimezone(UTC)


@pytest.fixture
def calendar() -> WorkingCalendar:
    return WorkingCalendar("Asia/Jakarta")


def test_triage_is_due_three_working_days_after_receipt(calendar: WorkingCalendar) -> None:
    received = at(WIB, 2026, 3, 2, 10)  # Monday
    assert calendar.triage_due(received) == end_of(WIB, 2026, 3, 5)  # Thursday


def test_deadlines_are_stored_in_utc(calendar: WorkingCalendar) -> None:
    due = calendar.triage_due(at(WIB, 2026, 3, 2, 10))
    assert due.tzinfo is UTC
    assert due == datetime(2026, 3, 5, 16, 59, 59, tzinfo=UTC)


def test_deadline_skips_the_weekend(calendar: WorkingCalendar) -> None:
    received = at(WIB, 2026, 3, 5, 9)  # Thursday
    assert calendar.triage_due(received) == end_of(WIB, 2026, 3, 10)  # Fri, Mon, Tue


def test_complaint_received_on_friday_evening_counts_from_monday(
    calendar: WorkingCalendar,
) -> None:
    received = at(WIB, 2026, 3, 6, 19)  # Friday, after the office closed
    assert calendar.start_day(received) == date(2026, 3, 9)
    assert calendar.triage_due(received) == end_of(WIB, 2026, 3, 12)


def test_complaint_received_on_a_saturday_counts_from_monday(calendar: WorkingCalendar) -> None:
    assert calendar.start_day(at(WIB, 2026, 3, 7, 10)) == date(2026, 3, 9)


def test_complaint_received_before_office_closes_counts_from_that_day(
    calendar: WorkingCalendar,
) -> None:
    assert calendar.start_day(at(WIB, 2026, 3, 6, 15, 59)) == date(2026, 3, 6)
    assert calendar.start_day(at(WIB, 2026, 3, 6, 16, 0)) == date(2026, 3, 9)


def test_deadline_skips_hari_kemerdekaan(calendar: WorkingCalendar) -> None:
    received = at(WIB, 2026, 8, 14, 10)  # Friday; Monday 17 August 2026 is a holiday
    assert not calendar.is_working_day(date(2026, 8, 17))
    assert calendar.triage_due(received) == end_of(WIB, 2026, 8, 20)  # Tue, Wed, Thu


def test_hari_kemerdekaan_2027_is_not_a_working_day(calendar: WorkingCalendar) -> None:
    assert not calendar.is_working_day(date(2027, 8, 17))  # a Tuesday
    assert calendar.is_working_day(date(2027, 8, 18))


def test_deadline_skips_idul_fitri_holiday(calendar: WorkingCalendar) -> None:
    # Idul Fitri 1446 H: Monday 31 March and Tuesday 1 April 2025.
    received = at(WIB, 2025, 3, 28, 10)  # Friday
    assert calendar.triage_due(received) == end_of(WIB, 2025, 4, 4)  # Wed, Thu, Fri


def test_deadline_skips_idul_fitri_2027_as_the_holiday_library_dates_it(
    calendar: WorkingCalendar,
) -> None:
    idul_fitri = sorted(
        day
        for day, name in holidays.country_holidays("ID", years=2027).items()
        if "Eid al-Fitr" in name
    )
    assert len(idul_fitri) == 2
    for day in idul_fitri:
        assert not calendar.is_working_day(day)
    day_before = datetime.combine(idul_fitri[0] - timedelta(days=1), time(9), WIB)
    due = calendar.add_working_days(day_before, 1)
    assert calendar.local(due).date() > idul_fitri[-1]


def test_idul_fitri_2026_falls_on_a_weekend_in_the_holiday_library(
    calendar: WorkingCalendar,
) -> None:
    names = holidays.country_holidays("ID", years=2026)
    assert "Eid al-Fitr" in names[date(2026, 3, 21)]
    received = at(WIB, 2026, 3, 18, 10)  # Wednesday; Thursday 19 March is Nyepi
    assert calendar.triage_due(received) == end_of(WIB, 2026, 3, 24)  # Fri, Mon, Tue


def test_cuti_bersama_added_by_the_operator_is_not_a_working_day() -> None:
    # Collective leave around Nyepi and Idul Fitri 2026, entered by the operator.
    cuti_bersama = frozenset(date(2026, 3, d) for d in (18, 20, 23, 24))
    calendar = WorkingCalendar("Asia/Jakarta", cuti_bersama)
    received = at(WIB, 2026, 3, 18, 10)  # a day off: the clock starts on Wednesday 25 March
    assert calendar.start_day(received) == date(2026, 3, 25)
    assert calendar.triage_due(received) == end_of(WIB, 2026, 3, 30)  # Thu, Fri, Mon


def test_deadline_crosses_into_the_new_year_skipping_new_years_day(
    calendar: WorkingCalendar,
) -> None:
    received = at(WIB, 2026, 12, 31, 10)  # Thursday; Friday 1 January 2027 is a holiday
    assert calendar.add_working_days(received, 1) == end_of(WIB, 2027, 1, 4)


def test_urgent_complaint_is_due_the_same_working_day(calendar: WorkingCalendar) -> None:
    received = at(WIB, 2026, 3, 3, 15, 30)  # Tuesday afternoon
    assert calendar.response_due(received, urgent=True) == end_of(WIB, 2026, 3, 3)


def test_urgent_complaint_after_hours_is_due_by_the_end_of_the_next_working_day(
    calendar: WorkingCalendar,
) -> None:
    received = at(WIB, 2026, 8, 14, 20)  # Friday night before Hari Kemerdekaan
    assert calendar.response_due(received, urgent=True) == end_of(WIB, 2026, 8, 18)


def test_answer_is_due_five_working_days_after_triage(calendar: WorkingCalendar) -> None:
    triaged = at(WIB, 2026, 3, 3, 10)  # Tuesday
    assert calendar.response_due(triaged, urgent=False) == end_of(WIB, 2026, 3, 10)


def test_auto_close_is_due_ten_working_days_after_the_answer(calendar: WorkingCalendar) -> None:
    answered = at(WIB, 2026, 3, 5, 11)  # Thursday; Nyepi (Thu 19 March) is skipped
    assert calendar.close_due(answered) == end_of(WIB, 2026, 3, 20)


def test_complaint_at_2330_wib_counts_from_the_next_working_day(
    calendar: WorkingCalendar,
) -> None:
    received = at(WIB, 2026, 3, 2, 23, 30)  # Monday 23:30 WIB = Monday 16:30 UTC
    assert received.astimezone(UTC).date() == date(2026, 3, 2)
    assert calendar.start_day(received) == date(2026, 3, 3)
    assert calendar.triage_due(received) == end_of(WIB, 2026, 3, 6)


def test_early_morning_complaint_counts_by_the_local_date_not_the_utc_date(
    calendar: WorkingCalendar,
) -> None:
    received = at(WIB, 2026, 3, 3, 6, 30)  # Tuesday 06:30 WIB = Monday 23:30 UTC
    assert received.astimezone(UTC).date() == date(2026, 3, 2)
    assert calendar.start_day(received) == date(2026, 3, 3)


def test_office_closing_is_judged_in_the_clinic_time_zone() -> None:
    moment = at(WIB, 2026, 3, 3, 14, 30)  # 14:30 WIB = 15:30 WITA = 16:30 WIT
    assert WorkingCalendar("Asia/Jakarta").start_day(moment) == date(2026, 3, 3)
    assert WorkingCalendar("Asia/Makassar").start_day(moment) == date(2026, 3, 3)
    assert WorkingCalendar("Asia/Jayapura").start_day(moment) == date(2026, 3, 4)


def test_deadline_ends_at_local_midnight_in_wit() -> None:
    calendar = WorkingCalendar("Asia/Jayapura")
    due = calendar.triage_due(at(WIT, 2026, 3, 2, 10))
    assert due == datetime(2026, 3, 5, 14, 59, 59, tzinfo=UTC)  # 23:59:59 WIT
    assert calendar.local(due).date() == date(2026, 3, 5)


def test_pause_within_one_working_afternoon_uses_no_working_day(
    calendar: WorkingCalendar,
) -> None:
    assert calendar.working_days_elapsed(at(WIB, 2026, 3, 3, 9), at(WIB, 2026, 3, 3, 15)) == 0


def test_pause_from_tuesday_morning_to_thursday_morning_uses_two_working_days(
    calendar: WorkingCalendar,
) -> None:
    paused, resumed = at(WIB, 2026, 3, 3, 10), at(WIB, 2026, 3, 5, 9)
    assert calendar.working_days_elapsed(paused, resumed) == 2


def test_pause_over_a_weekend_counts_only_working_days(calendar: WorkingCalendar) -> None:
    paused, resumed = at(WIB, 2026, 3, 6, 10), at(WIB, 2026, 3, 9, 9)  # Friday to Monday
    assert calendar.working_days_elapsed(paused, resumed) == 1


def test_extending_a_deadline_skips_holidays_and_keeps_the_end_of_day(
    calendar: WorkingCalendar,
) -> None:
    due = end_of(WIB, 2026, 8, 14)  # Friday; Monday 17 August is a holiday
    assert calendar.extend(due, 2) == end_of(WIB, 2026, 8, 19)


def test_clinic_policy_overrides_district_policy_which_overrides_the_default() -> None:
    district = PolicyOverride(triage_days=2, response_days=7)
    clinic = PolicyOverride(response_days=4)
    policy = DeadlinePolicy().overridden(district, clinic)
    assert policy == DeadlinePolicy(
        triage_days=2, response_days=4, urgent_response_days=0, auto_close_days=10
    )


def test_clinic_calendar_combines_district_and_clinic_days_off_and_policies() -> None:
    calendar = WorkingCalendar.for_clinic(
        "Asia/Makassar",
        district_days_off=[date(2026, 3, 4)],
        clinic_days_off=[date(2026, 3, 5)],
        district_policy=PolicyOverride(triage_days=1),
        clinic_policy=PolicyOverride(auto_close_days=5),
    )
    assert calendar.extra_days_off == {date(2026, 3, 4), date(2026, 3, 5)}
    assert calendar.policy.triage_days == 1
    assert calendar.policy.auto_close_days == 5
    assert calendar.triage_due(at(WITA, 2026, 3, 3, 10)) == end_of(WITA, 2026, 3, 6)


def test_default_policy_follows_sp4n_lapor() -> None:
    policy = DeadlinePolicy()
    assert (policy.triage_days, policy.response_days) == (3, 5)
    assert (policy.urgent_response_days, policy.auto_close_days) == (0, 10)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("triage_days", 0),
        ("response_days", -1),
        ("urgent_response_days", -1),
        ("auto_close_days", 0),
    ],
)
def test_policy_refuses_impossible_day_counts_naming_the_field(field: str, value: int) -> None:
    with pytest.raises(InvalidCommand) as refused:
        DeadlinePolicy(**{field: value})
    assert refused.value.field == field


def test_unknown_time_zone_is_refused() -> None:
    with pytest.raises(InvalidCommand) as refused:
        WorkingCalendar("Asia/Ranai")
    assert refused.value.field == "timezone"


def test_naive_datetime_is_refused(calendar: WorkingCalendar) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        calendar.triage_due(datetime(2026, 3, 2, 10))
