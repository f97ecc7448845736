"""The deadline calendar: Indonesian working days in a clinic's time zone.

Rules (times are UTC inside; days are counted in the clinic's zone, WIB/WITA/WIT):

* A working day is Monday to Friday, not a national holiday (``holidays.country_holidays("ID")``)
  and not one of the extra days off an operator entered for the district or clinic (cuti
  bersama, local holidays).
* The clock starts on the *start day*: the local day of the event if that is a working day and
  the office has not yet closed (``office_closes_at``, 16:00 local by default); otherwise the
  next working day. A complaint received on a Friday evening, a Saturday or a holiday therefore
  counts from the next working day.
* "Within N working days" means by the end of the N-th working day after the start day (the
  start day is day 0): 23:59:59 local time of that day. N = 0 is the end of the start day itself.
* Defaults follow SP4N-LAPOR!: triage 3 working days after receipt, answer 5 working days after
  triage, automatic close 10 working days after the answer. An urgent complaint is answered the
  same working day (``urgent_response_days = 0``). A district and then a clinic may override any
  of these (clinic over district over default).
* While the team waits on the complainant the clock is paused. On their reply the running
  deadline moves later by the number of working days the pause used up: the working days whose
  office closing time fell inside the pause. A pause within one afternoon costs nothing; a pause
  from Tuesday morning to Thursday morning moves the deadline two working days.

``holidays`` estimates future Islamic holidays; an operator corrects a shifted date by adding the
official day as an extra day off.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from services.triage.domain.errors import InvalidCommand

_END_OF_DAY = time(23, 59, 59)
_ONE_DAY = timedelta(days=1)


class DeadlineKind(StrEnum):
    """The deadlines staff can miss (auto-close is an action, not a staff deadline)."""

    TRIAGE = "triage"
    RESPONSE = "response"


@dataclass(frozen=True)
class Deadlines:
    """The due moments of one complaint, UTC; None until the step that sets them."""

    triage_due: datetime
    response_due: datetime | None = None
    close_due: datetime | None = None


@dataclass(frozen=True)
class PolicyOverride:
    """A district's or clinic's changes to the deadline policy; None keeps the inherited value."""

    triage_days: int | None = None
    response_days: int | None = None
    urgent_response_days: int | None = None
    auto_close_days: int | None = None


@dataclass(frozen=True)
class DeadlinePolicy:
    """How many working days each step may take."""

    triage_days: int = 3
    response_days: int = 5
    urgent_response_days: int = 0
    auto_close_days: int = 10

    def __post_init__(self) -> None:
        for spec in fields(self):
            value = getattr(self, spec.name)
            minimum = 0 if spec.name == "urgent_response_days" else 1
            if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
                raise InvalidCommand(spec.name, f"harus bilangan bulat minimal {minimum}")

    def overridden(self, *overrides: PolicyOverride | None) -> DeadlinePolicy:
        """Apply overrides in order, later ones winning: pass ``(district, clinic)``."""
        policy = self
        for override in overrides:
            if override is not None:
                changes = {k: v for k, v in asdict(override).items() if v is not None}
                policy = replace(policy, **changes)
        return policy


@lru_cache(maxsize=32)
def national_holidays(year: int) -> frozenset[date]:
    """Indonesia's national holidays of one year."""
    return frozenset(holidays.country_holidays("ID", years=year))


def _utc(at: datetime) -> datetime:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware")
    return at.astimezone(UTC)


@dataclass(frozen=True)
class WorkingCalendar:
    """One clinic's deadline calendar: its zone, its days off and its deadline policy."""

    timezone: str = "Asia/Jakarta"
    extra_days_off: frozenset[date] = frozenset()
    office_closes_at: time = time(16, 0)
    policy: DeadlinePolicy = field(default_factory=DeadlinePolicy)

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidCommand("timezone", f"zona waktu '{self.timezone}' tidak dikenal") from exc
        if self.office_closes_at.tzinfo is not None:
            raise InvalidCommand("office_closes_at", "jam tutup dicatat tanpa zona waktu")

    @classmethod
    def for_clinic(
        cls,
        timezone: str,
        *,
        district_days_off: Iterable[date] = (),
        clinic_days_off: Iterable[date] = (),
        district_policy: PolicyOverride | None = None,
        clinic_policy: PolicyOverride | None = None,
        office_closes_at: time = time(16, 0),
    ) -> WorkingCalendar:
        """A clinic's calendar: both lists of days off, clinic policy over district over default."""
        return cls(
            timezone=timezone,
            extra_days_off=frozenset(district_days_off) | frozenset(clinic_days_off),
            office_closes_at=office_closes_at,
            policy=DeadlinePolicy().overridden(district_policy, clinic_policy),
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local(self, at: datetime) -> datetime:
        """The moment in the clinic's zone."""
        return _utc(at).astimezone(self.zone)

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() < 5
            and day not in self.extra_days_off
            and day not in national_holidays(day.year)
        )

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += _ONE_DAY
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def start_day(self, at: datetime) -> date:
        """The working day from which a clock started at ``at`` counts."""
        local = self.local(at)
        if self.is_working_day(local.date()) and local.time() < self.office_closes_at:
            return local.date()
        return self.next_working_day(local.date())

    def end_of_day(self, day: date) -> datetime:
        """23:59:59 local of ``day``, in UTC."""
        return datetime.combine(day, _END_OF_DAY, tzinfo=self.zone).astimezone(UTC)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The end (23:59:59 local, as UTC) of the ``days``-th working day after the start day."""
        if days < 0:
            raise ValueError("days must not be negative")
        return self.end_of_day(self._advance(self.start_day(start), days))

    def working_days_elapsed(self, start: datetime, end: datetime) -> int:
        """Working days whose office closing time lies in ``(start, end]``."""
        start, end = _utc(start), _utc(end)
        day, last, count = self.local(start).date(), self.local(end).date(), 0
        while day <= last:
            closing = datetime.combine(day, self.office_closes_at, tzinfo=self.zone)
            if self.is_working_day(day) and start < closing <= end:
                count += 1
            day += _ONE_DAY
        return count

    def extend(self, due: datetime, days: int) -> datetime:
        """Move a deadline ``days`` working days later, keeping its local time of day."""
        local = self.local(due)
        day = self._advance(local.date(), days)
        return datetime.combine(day, local.time(), tzinfo=self.zone).astimezone(UTC)

    def triage_due(self, received_at: datetime) -> datetime:
        return self.add_working_days(received_at, self.policy.triage_days)

    def response_due(self, start: datetime, *, urgent: bool) -> datetime:
        policy = self.policy
        days = policy.urgent_response_days if urgent else policy.response_days
        return self.add_working_days(start, days)

    def close_due(self, responded_at: datetime) -> datetime:
        return self.add_working_days(responded_at, self.policy.auto_close_days)

    def _advance(self, day: date, days: int) -> date:
        for _ in range(days):
            day = self.next_working_day(day)
        return day
